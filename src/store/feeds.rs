//! Feed rows: kept in step with the config, and the outcome of each refresh.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{FeedId, Result, Store, now};
use crate::config::FeedSpec;
use crate::feed::Validators;

/// A feed as the cache knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub id: FeedId,
    pub url: String,
    /// Name from the config, else the feed's own title, else the URL's host and path.
    pub name: String,
    /// When other feeds go by the same name: the part of the URL that tells this one apart
    /// (lists of feeds only; see `feed_names`).
    pub apart: Option<String>,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub validators: Validators,
    pub last_refresh: Option<i64>,
    pub last_success: Option<i64>,
    pub last_error: Option<String>,
    pub article_count: i64,
    pub unread_count: i64,
    /// Fetch each new article's page during refresh (summary-only feeds).
    pub full_text: bool,
}

impl FeedRow {
    /// A feed known by its id, URL and name only: never refreshed, nothing counted.
    pub fn new(id: FeedId, url: impl Into<String>, name: impl Into<String>) -> FeedRow {
        FeedRow {
            id,
            url: url.into(),
            name: name.into(),
            apart: None,
            title: None,
            site_url: None,
            validators: Validators::default(),
            last_refresh: None,
            last_success: None,
            last_error: None,
            article_count: 0,
            unread_count: 0,
            full_text: false,
        }
    }

    /// The name to show in a list of feeds: told apart from others of the same name.
    pub fn shown_name(&self) -> String {
        match &self.apart {
            Some(label) => format!("{} ({label})", self.name),
            None => self.name.clone(),
        }
    }
}

/// What a refresh learnt about a feed (besides its articles).
#[derive(Debug, Clone)]
pub enum FeedUpdate {
    NotModified,
    Failed { error: String },
}

const FEED_COLUMNS: &str = "id, url, name, title, site_url, etag, last_modified, last_refresh, \
                            last_success, last_error, article_count, unread_count, full_text";

fn feed_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedRow> {
    let url: String = r.get(1)?;
    let name: Option<String> = r.get(2)?;
    let title: Option<String> = r.get(3)?;
    let display = super::articles::display_name(name, title.clone(), &url);
    Ok(FeedRow {
        id: FeedId(r.get(0)?),
        url,
        name: display,
        apart: None,
        title,
        site_url: r.get(4)?,
        validators: Validators {
            etag: r.get(5)?,
            last_modified: r.get(6)?,
        },
        last_refresh: r.get(7)?,
        last_success: r.get(8)?,
        last_error: r.get(9)?,
        article_count: r.get(10)?,
        unread_count: r.get(11)?,
        full_text: r.get::<_, i64>(12)? != 0,
    })
}

/// The host and path of a URL (or the file name of a local feed), as a name of last resort:
/// the host alone would name every feed of a site the same.
pub(super) fn fallback_name(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "file" => u
            .path_segments()
            .and_then(|mut s| s.next_back().map(str::to_string))
            .unwrap_or_else(|| url.to_string()),
        Ok(u) => match u.host_str() {
            Some(host) => {
                let host = host.strip_prefix("www.").unwrap_or(host);
                format!("{host}{}", u.path().trim_end_matches('/'))
            }
            None => url.to_string(),
        },
        Err(_) => url.to_string(),
    }
}

impl Store {
    /// Makes the feeds table match the config: adds new feeds, updates names, and marks
    /// feeds no longer in the config as unsubscribed (their articles are kept). Writes only
    /// if something changed. Returns the config's feeds in config order.
    pub fn sync_feeds(&mut self, specs: &[FeedSpec]) -> Result<Vec<FeedRow>> {
        let existing: HashMap<String, (i64, Option<String>, bool, bool)> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT url, id, name, subscribed, full_text FROM feeds")
                .map_err(self.err())?;
            let rows = stmt
                .query_map([], |r| {
                    let flags = (r.get::<_, i64>(3)? != 0, r.get::<_, i64>(4)? != 0);
                    Ok((r.get(0)?, (r.get(1)?, r.get(2)?, flags.0, flags.1)))
                })
                .map_err(self.err())?;
            rows.collect::<rusqlite::Result<_>>().map_err(self.err())?
        };
        let wanted: HashMap<&str, &FeedSpec> = specs.iter().map(|s| (s.url.as_str(), s)).collect();
        let needs_write = specs.iter().any(|s| match existing.get(&s.url) {
            None => true,
            Some((_, name, subscribed, full_text)) => {
                *name != s.name || !subscribed || *full_text != s.full_text
            }
        }) || existing
            .iter()
            .any(|(url, (_, _, subscribed, _))| *subscribed && !wanted.contains_key(url.as_str()));
        if needs_write {
            let err = self.err();
            let tx = self.conn.transaction().map_err(&err)?;
            for spec in specs {
                tx.execute(
                    "INSERT INTO feeds (url, name, subscribed, full_text) VALUES (?1, ?2, 1, ?3)
                     ON CONFLICT (url) DO UPDATE SET name = excluded.name, subscribed = 1,
                         full_text = excluded.full_text",
                    params![spec.url, spec.name, spec.full_text as i64],
                )
                .map_err(&err)?;
            }
            for (url, (id, _, subscribed, _)) in &existing {
                if *subscribed && !wanted.contains_key(url.as_str()) {
                    tx.execute("UPDATE feeds SET subscribed = 0 WHERE id = ?1", [id])
                        .map_err(&err)?;
                }
            }
            tx.commit().map_err(&err)?;
        }
        // every row in one pass (a config can name a thousand feeds; each command starts here)
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let by_url: HashMap<String, FeedRow> = stmt
            .query_map([], feed_from_row)
            .map_err(self.err())?
            .map(|row| row.map(|r| (r.url.clone(), r)))
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        let mut feeds: Vec<FeedRow> = specs
            .iter()
            .filter_map(|s| by_url.get(&s.url).cloned())
            .collect();
        super::feed_names::tell_apart(&mut feeds);
        Ok(feeds)
    }

    pub fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([url], feed_from_row).optional())
            .map_err(self.err())
    }

    pub fn feed(&self, id: FeedId) -> Result<Option<FeedRow>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?1");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([id.0], feed_from_row).optional())
            .map_err(self.err())
    }

    /// Subscribed feeds, in the order they were first added.
    pub fn feeds(&self) -> Result<Vec<FeedRow>> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE subscribed = 1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt.query_map([], feed_from_row).map_err(self.err())?;
        let mut feeds: Vec<FeedRow> = rows.collect::<rusqlite::Result<_>>().map_err(self.err())?;
        super::feed_names::tell_apart(&mut feeds);
        Ok(feeds)
    }

    /// Records a refresh that stored nothing: not modified, or failed.
    pub fn record_feed_update(&mut self, id: FeedId, update: &FeedUpdate) -> Result<()> {
        let t = now();
        match update {
            FeedUpdate::NotModified => self.conn.execute(
                "UPDATE feeds SET last_refresh = ?2, last_success = ?2, last_error = NULL WHERE id = ?1",
                params![id.0, t],
            ),
            FeedUpdate::Failed { error } => self.conn.execute(
                "UPDATE feeds SET last_refresh = ?2, last_error = ?3 WHERE id = ?1",
                params![id.0, t, error],
            ),
        }
        .map_err(self.err())?;
        Ok(())
    }
}
