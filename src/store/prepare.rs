//! What the store keeps besides an entry's own fields (its plain text, its words, its links,
//! a hash of it), computed off the writer: in the parse workers, in parallel, and only for
//! entries that are new or changed. The single writer then does nothing but SQL.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::feed::{NewArticle, parse::fnv1a};
use crate::related::terms;

/// An entry ready to be stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub article: NewArticle,
    pub(super) categories_json: String,
    pub(super) hash: i64,
    /// None when the entry looked unchanged: the writer derives it if it turns out otherwise.
    pub(super) derived: Option<Derived>,
}

#[derive(Debug, Clone)]
pub(super) struct Derived {
    pub text: String,
    pub terms: String,
    pub url_key: Option<String>,
    pub links: Vec<String>,
}

/// Prepares one entry. `known` holds the hashes of the feed's stored entries by key: an
/// entry whose hash is there unchanged is not derived (it will not be written).
pub fn prepare(article: NewArticle, known: Option<&HashMap<String, i64>>) -> Prepared {
    let categories_json =
        serde_json::to_string(&article.categories).unwrap_or_else(|_| "[]".into());
    let hash = content_hash(&article, &categories_json);
    let unchanged = known.and_then(|k| k.get(&article.key)) == Some(&hash);
    let derived = (!unchanged).then(|| derive(&article));
    Prepared {
        article,
        categories_json,
        hash,
        derived,
    }
}

pub(super) fn derive(a: &NewArticle) -> Derived {
    let body = a
        .content_html
        .as_deref()
        .or(a.summary_html.as_deref())
        .unwrap_or("");
    // the search index gets the words, without the "The post ... appeared first on ..."
    // line that every article of a WordPress feed repeats
    let text = without_appeared_first_on(crate::text::html_to_text(body));
    Derived {
        terms: terms::serialize(&terms::extract(&a.title, &text)),
        url_key: a.url.as_deref().and_then(terms::link_key),
        links: terms::links(body, a.url.as_deref()),
        text,
    }
}

/// Drops a last paragraph "The post ... appeared first on ...". (The full clutter removal
/// of `text::render` is for display; this runs for every stored article and keeps to text.)
fn without_appeared_first_on(mut text: String) -> String {
    let last = text.rfind("\n\n").map_or(0, |i| i + 2);
    let tail = &text[last..];
    if tail.starts_with("The post ") && tail.contains(" appeared first on ") {
        text.truncate(last.saturating_sub(2));
    }
    text
}

/// Identity of an entry's content: if it is unchanged, the refresh writes nothing.
pub(super) fn content_hash(a: &NewArticle, categories_json: &str) -> i64 {
    let mut basis = Vec::with_capacity(256);
    for part in [
        a.url.as_deref().unwrap_or(""),
        &a.title,
        a.author.as_deref().unwrap_or(""),
        &a.published.map(|t| t.to_string()).unwrap_or_default(),
        &a.updated.map(|t| t.to_string()).unwrap_or_default(),
        categories_json,
        a.summary_html.as_deref().unwrap_or(""),
        a.content_html.as_deref().unwrap_or(""),
    ] {
        basis.extend_from_slice(part.as_bytes());
        basis.push(0x1f);
    }
    fnv1a(&basis) as i64
}

thread_local! {
    /// A read-only connection per worker thread, kept between feeds.
    static READER: RefCell<Option<(PathBuf, Connection)>> = const { RefCell::new(None) };
}

/// The hashes of a feed's stored entries, by key, read through this thread's own read-only
/// connection (WAL lets it read while the writer writes). Any error gives an empty map: the
/// writer then checks every entry itself.
pub fn known_hashes(cache: &Path, feed_url: &str) -> HashMap<String, i64> {
    READER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(p, _)| p != cache) {
            let conn = Connection::open_with_flags(
                cache,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            );
            match conn {
                Ok(c) => {
                    let _ = c.busy_timeout(std::time::Duration::from_secs(5));
                    *slot = Some((cache.to_path_buf(), c));
                }
                Err(_) => return HashMap::new(),
            }
        }
        let Some((_, conn)) = slot.as_ref() else {
            return HashMap::new();
        };
        let result = conn
            .prepare_cached(
                "SELECT a.key, a.hash FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.url = ?1",
            )
            .and_then(|mut s| {
                s.query_map([feed_url], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                    .collect::<rusqlite::Result<HashMap<_, _>>>()
            });
        result.unwrap_or_default()
    })
}

/// Prepares a whole feed's entries, skipping the work for those the cache holds unchanged.
pub fn prepare_feed(
    cache: Option<&Path>,
    feed_url: &str,
    articles: Vec<NewArticle>,
) -> Vec<Prepared> {
    let known = cache.map(|c| known_hashes(c, feed_url));
    articles
        .into_iter()
        .map(|a| prepare(a, known.as_ref()))
        .collect()
}
