//! Article rows: the per-feed upsert a refresh makes, and the queries readers make.

use rusqlite::{OptionalExtension, params};

use super::{ArticleId, FeedId, Result, Store, now};
use crate::feed::{NewArticle, Validators, parse::fnv1a};

/// How many articles a refresh added and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub new: usize,
    pub updated: usize,
}

/// One line of the article list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub feed_id: FeedId,
    pub feed: String,
    pub title: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub published: Option<i64>,
    pub updated: Option<i64>,
    /// The time the list is ordered by: published, else updated, else first seen.
    pub sort_time: i64,
    pub categories: Vec<String>,
    pub read: bool,
    pub starred: bool,
}

/// An article with its bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub row: ArticleRow,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    /// Plain text of the body (what search indexes).
    pub text: String,
    /// The article extracted from its web page, for summary-only feeds.
    pub full_html: Option<String>,
    pub full_text: FullText,
}

/// Where the article's full text stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FullText {
    /// The feed carries the full text.
    InFeed,
    /// Only a summary, and no page fetch has been tried.
    NotFetched,
    Fetched,
    /// The page fetch failed; the summary stays, and this says why.
    Failed(String),
}

impl Article {
    /// The best body there is: the feed's content, else the extracted page, else the summary.
    pub fn body_html(&self) -> &str {
        self.content_html
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .or(self.full_html.as_deref())
            .or(self.summary_html.as_deref())
            .unwrap_or("")
    }

    /// True if the full text should be fetched from the article's page.
    pub fn needs_full_text(&self) -> bool {
        self.full_text == FullText::NotFetched
            && self
                .row
                .url
                .as_deref()
                .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"))
    }
}

/// Feeds whose content is shorter than this many words carry a summary, not the article.
const SUMMARY_WORDS: usize = 60;

fn full_text_state(content_html: Option<&str>, text: &str, status: Option<&str>) -> FullText {
    match status {
        Some("ok") => FullText::Fetched,
        Some(reason) => FullText::Failed(reason.to_string()),
        None if content_html.is_some_and(|c| !c.trim().is_empty())
            && text.split_whitespace().count() >= SUMMARY_WORDS =>
        {
            FullText::InFeed
        }
        None => FullText::NotFetched,
    }
}

/// Which articles to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub feed: Option<FeedId>,
    pub unread_only: bool,
    pub starred_only: bool,
    /// Words that must appear in the title, author or feed name (case-insensitive).
    pub text: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

impl ListFilter {
    /// The WHERE clause and its bound values (?1 feed, ?4 text pattern).
    fn clause(&self) -> String {
        let mut sql = String::from(" WHERE f.subscribed = 1");
        // Only fixed SQL fragments are appended; values are bound.
        sql.push_str(if self.feed.is_some() {
            " AND a.feed_id = ?1"
        } else {
            " AND ?1 IS NULL"
        });
        if self.unread_only {
            sql.push_str(" AND a.read = 0");
        }
        if self.starred_only {
            sql.push_str(" AND a.starred = 1");
        }
        if self.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            sql.push_str(
                " AND (a.title LIKE ?4 ESCAPE '\\' OR a.author LIKE ?4 ESCAPE '\\' \
                 OR COALESCE(f.name, f.title, '') LIKE ?4 ESCAPE '\\')",
            );
        } else {
            sql.push_str(" AND ?4 IS NULL");
        }
        sql
    }

    fn text_pattern(&self) -> Option<String> {
        let t = self.text.as_deref()?.trim();
        if t.is_empty() {
            return None;
        }
        let escaped = t
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        Some(format!("%{escaped}%"))
    }
}

const ROW_COLUMNS: &str = "a.id, a.feed_id, f.name, f.title, f.url, a.title, a.url, a.author, \
     a.published, a.updated, a.sort_time, a.categories, a.read, a.starred";

fn row_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleRow> {
    let name: Option<String> = r.get(2)?;
    let title: Option<String> = r.get(3)?;
    let url: String = r.get(4)?;
    let categories: String = r.get(11)?;
    Ok(ArticleRow {
        id: ArticleId(r.get(0)?),
        feed_id: FeedId(r.get(1)?),
        feed: display_name(name, title, &url),
        title: r.get(5)?,
        url: r.get(6)?,
        author: r.get(7)?,
        published: r.get(8)?,
        updated: r.get(9)?,
        sort_time: r.get(10)?,
        categories: serde_json::from_str(&categories).unwrap_or_default(),
        read: r.get::<_, i64>(12)? != 0,
        starred: r.get::<_, i64>(13)? != 0,
    })
}

pub(super) fn display_name(name: Option<String>, title: Option<String>, url: &str) -> String {
    name.filter(|n| !n.is_empty())
        .or_else(|| title.filter(|t| !t.is_empty()))
        .unwrap_or_else(|| super::feeds::fallback_name(url))
}

/// Identity of an entry's content: if it is unchanged, the refresh writes nothing.
fn content_hash(a: &NewArticle, categories_json: &str) -> i64 {
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

/// What a successful fetch tells about the feed itself.
#[derive(Debug, Clone, Default)]
pub struct FeedMeta {
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub validators: Validators,
}

impl Store {
    /// Stores one feed's articles and its new validators in ONE transaction: new entries are
    /// inserted, changed ones updated in place (read and starred state untouched), unchanged
    /// ones cost nothing. Duplicate keys within the batch keep their first occurrence.
    pub fn upsert_feed(
        &mut self,
        feed: FeedId,
        meta: &FeedMeta,
        articles: &[NewArticle],
    ) -> Result<UpsertCounts> {
        let err = self.err();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut counts = UpsertCounts::default();
        let t = now();
        {
            let mut find = tx
                .prepare_cached("SELECT id, hash FROM articles WHERE feed_id = ?1 AND key = ?2")
                .map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO articles (feed_id, key, url, title, author, published, updated,
                         first_seen, sort_time, categories, summary_html, content_html, text, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )
                .map_err(&err)?;
            let mut update = tx
                .prepare_cached(
                    "UPDATE articles SET url = ?2, title = ?3, author = ?4, published = ?5,
                         updated = ?6, sort_time = COALESCE(?5, ?6, first_seen), categories = ?7,
                         summary_html = ?8, content_html = ?9, text = ?10, hash = ?11
                     WHERE id = ?1",
                )
                .map_err(&err)?;
            let mut seen = std::collections::HashSet::new();
            for a in articles {
                if !seen.insert(a.key.as_str()) {
                    continue;
                }
                let categories =
                    serde_json::to_string(&a.categories).unwrap_or_else(|_| "[]".into());
                let hash = content_hash(a, &categories);
                let existing: Option<(i64, i64)> = find
                    .query_row(params![feed.0, a.key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
                    .map_err(&err)?;
                match existing {
                    Some((_, old_hash)) if old_hash == hash => {}
                    Some((id, _)) => {
                        update
                            .execute(params![
                                id,
                                a.url,
                                a.title,
                                a.author,
                                a.published,
                                a.updated,
                                categories,
                                a.summary_html,
                                a.content_html,
                                body_text(a),
                                hash
                            ])
                            .map_err(&err)?;
                        counts.updated += 1;
                    }
                    None => {
                        insert
                            .execute(params![
                                feed.0,
                                a.key,
                                a.url,
                                a.title,
                                a.author,
                                a.published,
                                a.updated,
                                t,
                                a.published.or(a.updated).unwrap_or(t),
                                categories,
                                a.summary_html,
                                a.content_html,
                                body_text(a),
                                hash
                            ])
                            .map_err(&err)?;
                        counts.new += 1;
                    }
                }
            }
        }
        tx.execute(
            "UPDATE feeds SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url),
                 etag = ?4, last_modified = ?5, last_refresh = ?6, last_success = ?6,
                 last_error = NULL
             WHERE id = ?1",
            params![
                feed.0,
                meta.title,
                meta.site_url,
                meta.validators.etag,
                meta.validators.last_modified,
                t
            ],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(counts)
    }

    /// Articles of subscribed feeds, newest first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<ArticleRow>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id{}
             ORDER BY a.sort_time DESC, a.id DESC LIMIT ?2 OFFSET ?3",
            filter.clause()
        );
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(
                params![
                    filter.feed.map(|f| f.0),
                    limit,
                    filter.offset as i64,
                    filter.text_pattern()
                ],
                row_from,
            )
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Just the ids (and read flags) of `list`, for a list that loads rows as they scroll
    /// into view.
    pub fn list_ids(&self, filter: &ListFilter) -> Result<Vec<(ArticleId, bool)>> {
        let sql = format!(
            "SELECT a.id, a.read FROM articles a JOIN feeds f ON f.id = a.feed_id{}
             ORDER BY a.sort_time DESC, a.id DESC LIMIT ?2 OFFSET ?3",
            filter.clause()
        );
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(
                params![
                    filter.feed.map(|f| f.0),
                    limit,
                    filter.offset as i64,
                    filter.text_pattern()
                ],
                |r| Ok((ArticleId(r.get(0)?), r.get::<_, i64>(1)? != 0)),
            )
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Other articles sharing categories with `id`, most shared first, then newest, with the
    /// shared category names.
    pub fn sharing_categories(
        &self,
        id: ArticleId,
        limit: usize,
    ) -> Result<Vec<(ArticleRow, Vec<String>)>> {
        let sql = format!(
            "WITH mine AS (SELECT value AS cat FROM json_each((SELECT categories FROM articles WHERE id = ?1))),
                  hits AS (SELECT a.id AS id, group_concat(c.value, char(31)) AS shared, COUNT(*) AS n
                             FROM articles a, json_each(a.categories) c
                            WHERE c.value IN (SELECT cat FROM mine) AND a.id <> ?1
                            GROUP BY a.id)
             SELECT {ROW_COLUMNS}, hits.shared FROM hits
               JOIN articles a ON a.id = hits.id JOIN feeds f ON f.id = a.feed_id
              WHERE f.subscribed = 1
              ORDER BY hits.n DESC, a.sort_time DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(params![id.0, limit as i64], |r| {
                let shared: String = r.get(14)?;
                Ok((
                    row_from(r)?,
                    shared.split('\u{1f}').map(str::to_string).collect(),
                ))
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// The list rows of these articles (in no particular order).
    pub fn rows(&self, ids: &[ArticleId]) -> Result<Vec<ArticleRow>> {
        let mut out = Vec::with_capacity(ids.len());
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        for id in ids {
            if let Some(row) = stmt
                .query_row([id.0], row_from)
                .optional()
                .map_err(self.err())?
            {
                out.push(row);
            }
        }
        Ok(out)
    }

    pub fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, a.summary_html, a.content_html, a.text, a.full_html, a.full_status
             FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?1"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row([id.0], |r| {
                    let content_html: Option<String> = r.get(15)?;
                    let text: String = r.get(16)?;
                    let status: Option<String> = r.get(18)?;
                    Ok(Article {
                        row: row_from(r)?,
                        summary_html: r.get(14)?,
                        full_text: full_text_state(
                            content_html.as_deref(),
                            &text,
                            status.as_deref(),
                        ),
                        content_html,
                        text,
                        full_html: r.get(17)?,
                    })
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Stores the outcome of a full-text fetch: the extracted HTML (which also becomes the
    /// searchable text), or why it failed (the summary stays).
    pub fn save_full_text(
        &mut self,
        id: ArticleId,
        outcome: std::result::Result<&str, &str>,
    ) -> Result<()> {
        let t = now();
        match outcome {
            Ok(html) => self.conn.execute(
                "UPDATE articles SET full_html = ?2, full_status = 'ok', full_fetched_at = ?3,
                     text = ?4 WHERE id = ?1",
                params![id.0, html, t, crate::text::html_to_text(html)],
            ),
            Err(reason) => self.conn.execute(
                "UPDATE articles SET full_status = ?2, full_fetched_at = ?3 WHERE id = ?1",
                params![id.0, reason, t],
            ),
        }
        .map_err(self.err())?;
        Ok(())
    }

    /// Articles of a feed whose page should be fetched: no full content in the feed, never
    /// tried before, and a web address.
    pub fn articles_needing_full_text(&self, feed: FeedId) -> Result<Vec<(ArticleId, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, url, content_html, text FROM articles
                 WHERE feed_id = ?1 AND full_status IS NULL AND url LIKE 'http%'
                 ORDER BY sort_time DESC",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([feed.0], |r| {
                let content: Option<String> = r.get(2)?;
                let text: String = r.get(3)?;
                Ok((ArticleId(r.get(0)?), r.get::<_, String>(1)?, content, text))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, url, content, text) = row.map_err(self.err())?;
            if full_text_state(content.as_deref(), &text, None) == FullText::NotFetched {
                out.push((id, url));
            }
        }
        Ok(out)
    }

    pub fn set_read(&mut self, id: ArticleId, read: bool) -> Result<()> {
        self.conn
            .execute(
                "UPDATE articles SET read = ?2 WHERE id = ?1",
                params![id.0, read as i64],
            )
            .map_err(self.err())?;
        Ok(())
    }

    pub fn set_starred(&mut self, id: ArticleId, starred: bool) -> Result<()> {
        self.conn
            .execute(
                "UPDATE articles SET starred = ?2 WHERE id = ?1",
                params![id.0, starred as i64],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Marks every article of a feed read; returns how many changed.
    pub fn mark_feed_read(&mut self, feed: FeedId) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE articles SET read = 1 WHERE feed_id = ?1 AND read = 0",
                [feed.0],
            )
            .map_err(self.err())
    }

    /// Number of articles in the cache.
    pub fn article_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
            .map_err(self.err())
    }
}

/// The words of an article, for the search index.
fn body_text(a: &NewArticle) -> String {
    let html = a
        .content_html
        .as_deref()
        .or(a.summary_html.as_deref())
        .unwrap_or("");
    crate::text::html_to_text(html)
}
