//! `byline list [--feed NAME] [--unread] [--limit N] [--json]`: articles, newest first.

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::output::{local_time, pad, print_json, rfc3339, truncate, write_stdout};
use super::{Context, Failure};
use crate::store::{ArticleRow, ListFilter};
use crate::text::sanitize_line;

pub fn run(
    ctx: &mut Context,
    feed: Option<&str>,
    unread: bool,
    starred: bool,
    limit: Option<usize>,
    json: bool,
) -> Result<u8, Failure> {
    let feed_id = match feed {
        None => None,
        Some(name) => Some(ctx.feed_named(name)?),
    };
    let mut rows = ctx.store.list(&ListFilter {
        feed: feed_id,
        unread_only: unread,
        starred_only: starred,
        text: None,
        search: None,
        limit,
        offset: 0,
    })?;
    ctx.name_feeds_as_shown(rows.iter_mut());
    if json {
        print_json(&serde_json::Value::Array(
            rows.iter().map(row_json).collect(),
        ))?;
    } else {
        write_stdout(&table(&rows))?;
    }
    // An empty list from an empty cache is a new user's first `list`: say what fills it (on
    // stderr, so a script reading stdout still sees nothing). Only a hint: should counting
    // fail, the list printed stands and nothing is said.
    if rows.is_empty() && matches!(ctx.store.article_count(), Ok(0)) {
        eprintln!("byline: no articles in the cache yet: `byline refresh` fetches your feeds");
    }
    Ok(0)
}

/// The JSON shape of an article in `list` (and, with more fields, `search`).
pub fn row_json(r: &ArticleRow) -> serde_json::Value {
    json!({
        "id": r.id,
        "feed": sanitize_line(&r.feed),
        "title": sanitize_line(&r.title),
        "url": r.url.as_deref().map(sanitize_line),
        "author": r.author.as_deref().map(sanitize_line),
        "published": rfc3339(r.published.or(r.updated)),
        "categories": r.categories.iter().map(|c| sanitize_line(c)).collect::<Vec<_>>(),
        "read": r.read,
        "starred": r.starred,
    })
}

fn table(rows: &[ArticleRow]) -> String {
    use std::collections::HashMap;
    use std::fmt::Write as _;
    let id_width = rows
        .iter()
        .map(|r| r.id.0.to_string().len())
        .max()
        .unwrap_or(1);
    // Feed names repeat: clean and cut each once.
    let mut feeds: HashMap<crate::store::FeedId, String> = HashMap::new();
    for r in rows {
        feeds
            .entry(r.feed_id)
            .or_insert_with(|| truncate(&sanitize_line(&r.feed), 32));
    }
    let feed_width = feeds.values().map(|f| f.width()).max().unwrap_or(0);
    for f in feeds.values_mut() {
        *f = pad(f, feed_width);
    }
    let mut out = String::with_capacity(rows.len() * 100);
    for r in rows {
        let title = sanitize_line(&r.title);
        let feed = feeds.get(&r.feed_id).map_or("", String::as_str);
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{:>id_width$} {}{} {}  {}  {}",
            r.id.0,
            if r.read { ' ' } else { 'N' },
            if r.starred { '*' } else { ' ' },
            local_time(r.sort_time),
            feed,
            if title.is_empty() {
                "(untitled)"
            } else {
                &title
            },
        );
    }
    out
}
