//! Article rows: the per-feed upsert a refresh makes, and the queries readers make.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::prepare;
use super::retention;
use super::{ArticleId, FeedId, Result, Store, now};
use crate::feed::{NewArticle, Validators};
use crate::related::terms;

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

/// SQL: "`a` is a copy of an article in a subscribed feed", so lists across feeds leave it
/// out (an unsubscribed feed's original does not hide its copies). A macro, to be
/// `concat!`ed into fixed SQL.
macro_rules! hidden_copy {
    () => {
        "EXISTS (SELECT 1 FROM copies c JOIN articles o ON o.id = c.original_id \
           JOIN feeds fo ON fo.id = o.feed_id WHERE c.article_id = a.id AND fo.subscribed = 1)"
    };
}
/// Which articles to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub feed: Option<FeedId>,
    pub unread_only: bool,
    pub starred_only: bool,
    /// Words that must appear in the title, author or feed name (case-insensitive).
    pub text: Option<String>,
    /// A full-text search (what a person typed): matches only, best first.
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

impl ListFilter {
    /// The WHERE clause and its bound values (?1 feed, ?4 text pattern). `copies`: whether
    /// the cache holds any copies to leave out across feeds (most hold none, and a list
    /// then need not look for them row by row).
    fn clause(&self, copies: bool) -> String {
        let mut sql = String::from(" WHERE f.subscribed = 1");
        // Only fixed SQL fragments are appended; values are bound.
        sql.push_str(match self.feed {
            Some(_) => " AND a.feed_id = ?1",
            // across feeds, a story is listed once (see `copies` in schema.rs)
            None if copies => concat!(" AND ?1 IS NULL AND NOT ", hidden_copy!()),
            None => " AND ?1 IS NULL",
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
        let prepared = articles
            .iter()
            .cloned()
            .map(|a| prepare::prepare(a, None))
            .collect();
        self.upsert_prepared(feed, meta, prepared)
    }

    /// `upsert_feed` for entries prepared off the writer (see `prepare`).
    pub fn upsert_prepared(
        &mut self,
        feed: FeedId,
        meta: &FeedMeta,
        articles: Vec<prepare::Prepared>,
    ) -> Result<UpsertCounts> {
        let err = self.err();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        let mut counts = UpsertCounts::default();
        let t = now();
        {
            // Which entries are new, which changed: decided first, so the search index can
            // be told in one statement each (see schema.rs on FTS5 and triggers).
            let mut find = tx
                .prepare_cached("SELECT id, hash FROM articles WHERE feed_id = ?1 AND key = ?2")
                .map_err(&err)?;
            let mut seen = std::collections::HashSet::new();
            let mut work: Vec<(prepare::Prepared, Option<i64>)> = Vec::new();
            let pruned = retention::pruned_keys(&tx, feed).map_err(&err)?;
            for p in articles {
                if !seen.insert(p.article.key.clone()) || pruned.contains(&p.article.key) {
                    continue;
                }
                let existing: Option<(i64, i64)> = find
                    .query_row(params![feed.0, p.article.key], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()
                    .map_err(&err)?;
                match existing {
                    Some((_, old_hash)) if old_hash == p.hash => {}
                    Some((id, _)) => work.push((p, Some(id))),
                    None => work.push((p, None)),
                }
            }
            if !pruned.is_empty() {
                let gone = pruned.into_iter().filter(|k| !seen.contains(k));
                retention::forget_pruned(&tx, feed, gone).map_err(&err)?;
            }
            let changed: Vec<i64> = work.iter().filter_map(|(_, id)| *id).collect();
            unindex(&tx, &changed).map_err(&err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO articles (feed_id, key, url, title, author, published, updated,
                         first_seen, sort_time, categories, summary_html, content_html, text, hash,
                         terms, url_key, read)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17)",
                )
                .map_err(&err)?;
            let mut update = tx
                .prepare_cached(
                    "UPDATE articles SET url = ?2, title = ?3, author = ?4, published = ?5,
                         updated = ?6, sort_time = COALESCE(?5, ?6, first_seen), categories = ?7,
                         summary_html = ?8, content_html = ?9, text = ?10, hash = ?11,
                         terms = ?12, url_key = ?13
                     WHERE id = ?1",
                )
                .map_err(&err)?;
            let mut touched: Vec<i64> = Vec::with_capacity(work.len());
            let mut category_ids = HashMap::new();
            for (p, existing) in work {
                let prepare::Prepared {
                    article: a,
                    categories_json: categories,
                    hash,
                    derived,
                } = p;
                let d = derived.unwrap_or_else(|| prepare::derive(&a));
                let (text, words, url_key) = (&d.text, &d.terms, &d.url_key);
                let id = match existing {
                    Some(id) => {
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
                                text,
                                hash,
                                words,
                                url_key
                            ])
                            .map_err(&err)?;
                        counts.updated += 1;
                        id
                    }
                    None => {
                        // the same story already stored from another feed: this is a copy,
                        // read if that is
                        let original = match url_key {
                            Some(k) => original_of(&tx, k).map_err(&err)?,
                            None => None,
                        }
                        .filter(|o| o.feed != feed);
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
                                text,
                                hash,
                                words,
                                url_key,
                                original.as_ref().is_some_and(|o| o.read)
                            ])
                            .map_err(&err)?;
                        counts.new += 1;
                        let id = tx.last_insert_rowid();
                        if let Some(o) = original {
                            let whole = full_text_state(a.content_html.as_deref(), text, None)
                                == FullText::InFeed;
                            let (copy, of) =
                                if takes_the_place_of(&tx, &o, feed, whole).map_err(&err)? {
                                    tx.prepare_cached(
                                        "UPDATE copies SET original_id = ?1 WHERE original_id = ?2",
                                    )
                                    .and_then(|mut s| s.execute(params![id, o.id]))
                                    .map_err(&err)?;
                                    (o.id, id)
                                } else {
                                    (id, o.id)
                                };
                            tx.prepare_cached(
                                "INSERT INTO copies (article_id, original_id) VALUES (?1, ?2)",
                            )
                            .and_then(|mut s| s.execute(params![copy, of]))
                            .map_err(&err)?;
                        }
                        id
                    }
                };
                index_links_and_categories(
                    &tx,
                    ArticleId(id),
                    &a,
                    &d.links,
                    existing.is_some(),
                    &mut category_ids,
                )
                .map_err(&err)?;
                touched.push(id);
            }
            index(&tx, &touched).map_err(&err)?;
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
        // Across feeds, the index that holds the shown columns (without statistics the
        // planner would pick the narrower time index, then read each article's row); for
        // one feed, its own index.
        let index = if filter.feed.is_none() {
            " INDEXED BY articles_list"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM articles a{index} JOIN feeds f ON f.id = a.feed_id{}
             ORDER BY a.sort_time DESC, a.id DESC LIMIT ?2 OFFSET ?3",
            filter.clause(self.any_copies()?)
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
    /// into view. A search ranks only the newest `SEARCH_WINDOW` matches, as `search_ranked`
    /// does.
    pub fn list_ids(&self, filter: &ListFilter) -> Result<Vec<(ArticleId, bool)>> {
        self.list_ids_within(filter, SEARCH_WINDOW)
    }

    /// `list_ids`, a search ranking the newest `window` matches that pass the filter.
    pub(super) fn list_ids_within(
        &self,
        filter: &ListFilter,
        window: i64,
    ) -> Result<Vec<(ArticleId, bool)>> {
        let search = filter.search.as_deref().and_then(crate::search::fts_query);
        let copies = self.any_copies()?;
        let sql = if search.is_some() {
            // The filter applies before the window (a search within one feed reaches back
            // as far in that feed), and BM25 is computed only for the window: ranking every
            // match of a word found in most articles took 160-210 ms on 50,950 articles (2-3 s
            // with the cache not yet in memory, reading every matching article's row).
            format!(
                "SELECT id, read FROM (
                     SELECT a.id AS id, a.read AS read, bm25(articles_fts, 3.0, 1.0) AS score
                       FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                       JOIN feeds f ON f.id = a.feed_id{} AND articles_fts MATCH ?5
                      ORDER BY articles_fts.rowid DESC LIMIT ?6)
                 ORDER BY score, id DESC LIMIT ?2 OFFSET ?3",
                filter.clause(copies)
            )
        } else {
            format!(
                "SELECT a.id, a.read FROM articles a JOIN feeds f ON f.id = a.feed_id{} AND ?5 IS NULL
                 AND ?6 IS NOT NULL ORDER BY a.sort_time DESC, a.id DESC LIMIT ?2 OFFSET ?3",
                filter.clause(copies)
            )
        };
        let limit = filter.limit.map_or(-1, |l| l as i64);
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(
                params![
                    filter.feed.map(|f| f.0),
                    limit,
                    filter.offset as i64,
                    filter.text_pattern(),
                    search,
                    window
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
            Ok(html) => {
                let text = crate::text::html_to_text(html);
                let (title, url): (String, Option<String>) = self
                    .conn
                    .query_row(
                        "SELECT title, url FROM articles WHERE id = ?1",
                        [id.0],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(self.err())?;
                let err = self.err();
                let tx = self.conn.transaction().map_err(&err)?;
                // the search index: out with the summary's words, in with the article's
                unindex(&tx, &[id.0]).map_err(&err)?;
                tx.execute(
                    "UPDATE articles SET full_html = ?2, full_status = 'ok', full_fetched_at = ?3,
                         text = ?4, terms = ?5 WHERE id = ?1",
                    params![
                        id.0,
                        html,
                        t,
                        text,
                        terms::serialize(&terms::extract(&title, &text))
                    ],
                )
                .map_err(&err)?;
                index(&tx, &[id.0]).map_err(&err)?;
                // the page's links join those of the summary
                add_links(&tx, id, &terms::links(html, url.as_deref())).map_err(&err)?;
                tx.commit().map_err(&err)?;
                Ok(1)
            }
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

    /// Whether any article is a copy of another (see `copies` in schema.rs).
    fn any_copies(&self) -> Result<bool> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM copies)")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(self.err())
    }

    /// Whether the article has copies in other feeds, or is one (so marking it read or
    /// unread changes other feeds' counts too).
    pub fn has_copies(&self, id: ArticleId) -> Result<bool> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM copies WHERE article_id = ?1 OR original_id = ?1)",
            )
            .and_then(|mut s| s.query_row([id.0], |r| r.get(0)))
            .map_err(self.err())
    }

    /// Unread articles that lists across feeds leave out as copies: what the feeds' unread
    /// counts hold more than "all feeds" does.
    pub fn hidden_unread(&self) -> Result<i64> {
        self.conn
            // (from the copies, not the articles: most caches hold few copies)
            .prepare_cached(concat!(
                "SELECT count(*) FROM copies JOIN articles a ON a.id = copies.article_id
                   JOIN feeds f ON f.id = a.feed_id WHERE a.read = 0 AND f.subscribed = 1 AND ",
                hidden_copy!()
            ))
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(self.err())
    }

    /// Marks one article read; returns 1 if it was unread.
    pub fn mark_read(&mut self, id: ArticleId) -> Result<usize> {
        self.conn
            .execute(
                "UPDATE articles SET read = 1 WHERE id = ?1 AND read = 0",
                [id.0],
            )
            .map_err(self.err())
    }

    /// Marks every article of every subscribed feed read; returns how many changed.
    pub fn mark_all_read(&mut self) -> Result<usize> {
        self.mark_read_batch(None, ArticleId(i64::MAX), None)
    }

    /// Marks every article of a feed read; returns how many changed.
    pub fn mark_feed_read(&mut self, feed: FeedId) -> Result<usize> {
        self.mark_read_batch(Some(feed), ArticleId(i64::MAX), None)
    }

    /// Marks unread articles read, in one transaction: those of `feed` (None: of every
    /// subscribed feed) with ids up to `up_to`, at most `limit` of them. Returns how many it
    /// marked. The reader goes in batches, up to the last article stored when the user asked:
    /// updating a row rewrites it whole, article text included, so 50,000 at once take
    /// seconds, and its other jobs would wait behind them.
    pub fn mark_read_batch(
        &mut self,
        feed: Option<FeedId>,
        up_to: ArticleId,
        limit: Option<usize>,
    ) -> Result<usize> {
        // LIMIT -1: no limit
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let marked = match feed {
            // the partial index of unread articles finds them without a scan
            None => self
                .conn
                .prepare_cached(
                    "UPDATE articles SET read = 1 WHERE id IN (
                         SELECT id FROM articles WHERE read = 0 AND id <= ?1
                            AND feed_id IN (SELECT id FROM feeds WHERE subscribed = 1)
                          LIMIT ?2)",
                )
                .and_then(|mut s| s.execute(params![up_to.0, limit])),
            Some(feed) => self
                .conn
                .prepare_cached(
                    "UPDATE articles SET read = 1 WHERE id IN (
                         SELECT id FROM articles WHERE feed_id = ?3 AND read = 0 AND id <= ?1
                          LIMIT ?2)",
                )
                .and_then(|mut s| s.execute(params![up_to.0, limit, feed.0])),
        };
        marked.map_err(self.err())
    }

    /// The highest article id (0 when there is none): what "every article stored now" ends at.
    pub fn last_article_id(&self) -> Result<ArticleId> {
        self.id_span().map(|(_, last)| ArticleId(last))
    }

    /// Number of articles in the cache.
    pub fn article_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
            .map_err(self.err())
    }
}

/// The first stored article of a story (by normalised URL) that is not a copy: what a new
/// article with that URL, in another feed, is a copy of.
struct Original {
    id: i64,
    feed: FeedId,
    read: bool,
}

fn original_of(
    tx: &rusqlite::Transaction<'_>,
    url_key: &str,
) -> rusqlite::Result<Option<Original>> {
    tx.prepare_cached(
        "SELECT a.id, a.feed_id, a.read FROM articles a WHERE a.url_key = ?1
            AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.article_id = a.id)
          ORDER BY a.id LIMIT 1",
    )?
    .query_row([url_key], |r| {
        Ok(Original {
            id: r.get(0)?,
            feed: FeedId(r.get(1)?),
            read: r.get::<_, i64>(2)? != 0,
        })
    })
    .optional()
}

/// A new article with the whole story (`whole`) takes the place of an original that has
/// only its summary (a site's summary feed stored first; no full text fetched): lists across
/// feeds then show the story whole, offline too. Not when the new article's feed already
/// holds a copy of it (a feed's own articles are never copies of each other). The original's
/// text is read only for a whole new article.
fn takes_the_place_of(
    tx: &rusqlite::Transaction<'_>,
    original: &Original,
    feed: FeedId,
    whole: bool,
) -> rusqlite::Result<bool> {
    if !whole {
        return Ok(false);
    }
    let (summary, feed_has_a_copy): (bool, bool) = tx
        .prepare_cached(
            "SELECT o.content_html, o.text, o.full_status,
                    EXISTS (SELECT 1 FROM copies c JOIN articles a ON a.id = c.article_id
                             WHERE c.original_id = o.id AND a.feed_id = ?2)
               FROM articles o WHERE o.id = ?1",
        )?
        .query_row(params![original.id, feed.0], |r| {
            let content: Option<String> = r.get(0)?;
            let text: String = r.get(1)?;
            let status: Option<String> = r.get(2)?;
            let state = full_text_state(content.as_deref(), &text, status.as_deref());
            Ok((
                matches!(state, FullText::NotFetched | FullText::Failed(_)),
                r.get(3)?,
            ))
        })?;
    Ok(summary && !feed_has_a_copy)
}

/// Adds the articles' current title and text to the search index. The store keeps the index
/// itself (no trigger), one statement for many articles: FTS5 flushes at every statement.
fn index(tx: &rusqlite::Transaction<'_>, ids: &[i64]) -> rusqlite::Result<()> {
    fts_write(
        tx,
        "INSERT INTO articles_fts (rowid, title, text)
         SELECT id, title, text FROM articles WHERE id IN (SELECT value FROM json_each(?1))",
        ids,
    )
}

/// Takes the articles' stored title and text out of the search index (before they change).
fn unindex(tx: &rusqlite::Transaction<'_>, ids: &[i64]) -> rusqlite::Result<()> {
    fts_write(
        tx,
        "INSERT INTO articles_fts (articles_fts, rowid, title, text)
         SELECT 'delete', id, title, text FROM articles WHERE id IN (SELECT value FROM json_each(?1))",
        ids,
    )
}

fn fts_write(tx: &rusqlite::Transaction<'_>, sql: &str, ids: &[i64]) -> rusqlite::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // a list of integers always serializes
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    tx.prepare_cached(sql)?.execute([ids])?;
    Ok(())
}

/// Records that article `id` links to each of `keys` (normalised URLs); known links stay.
fn add_links(
    tx: &rusqlite::Transaction<'_>,
    id: ArticleId,
    keys: &[String],
) -> rusqlite::Result<()> {
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO article_links (article_id, url_key) VALUES (?1, ?2)",
    )?;
    for key in keys {
        link.execute(params![id.0, key])?;
    }
    Ok(())
}

/// Records the article's outgoing links and its categories (for related stories); those of
/// an article written before (`replacing`) go first. `category_ids` remembers the ids looked
/// up in this transaction: a feed's articles mostly share a handful of categories.
fn index_links_and_categories(
    tx: &rusqlite::Transaction<'_>,
    id: ArticleId,
    a: &NewArticle,
    links: &[String],
    replacing: bool,
    category_ids: &mut HashMap<String, i64>,
) -> rusqlite::Result<()> {
    if replacing {
        tx.prepare_cached("DELETE FROM article_links WHERE article_id = ?1")?
            .execute([id.0])?;
        tx.prepare_cached("DELETE FROM article_categories WHERE article_id = ?1")?
            .execute([id.0])?;
    }
    add_links(tx, id, links)?;
    let mut tag = tx.prepare_cached(
        "INSERT OR IGNORE INTO article_categories (article_id, category_id) VALUES (?1, ?2)",
    )?;
    for name in &a.categories {
        let key = name.to_lowercase();
        let cid = match category_ids.get(&key) {
            Some(&cid) => cid,
            None => {
                let cid = category_id(tx, &key, name)?;
                category_ids.insert(key, cid);
                cid
            }
        };
        tag.execute(params![id.0, cid])?;
    }
    Ok(())
}

/// The id of the category `key`, added (named `name`) if it is new.
fn category_id(tx: &rusqlite::Transaction<'_>, key: &str, name: &str) -> rusqlite::Result<i64> {
    let known = tx
        .prepare_cached("SELECT id FROM categories WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match known {
        Some(id) => Ok(id),
        None => {
            tx.prepare_cached("INSERT INTO categories (key, name) VALUES (?1, ?2)")?
                .execute([key, name])?;
            Ok(tx.last_insert_rowid())
        }
    }
}

/// What related stories need to know about one article.
#[derive(Debug, Clone)]
pub struct RelatedInputs {
    pub row: ArticleRow,
    pub terms: String,
    pub url_key: Option<String>,
    /// (category id, name, number of articles carrying it)
    pub categories: Vec<(i64, String, i64)>,
}

/// A candidate for related stories.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub row: ArticleRow,
    pub terms: String,
    pub url_key: Option<String>,
}

impl Store {
    pub fn related_inputs(&self, id: ArticleId) -> Result<Option<RelatedInputs>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, a.terms, a.url_key FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?1"
        );
        let found = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row([id.0], |r| {
                    Ok((
                        row_from(r)?,
                        r.get::<_, String>(14)?,
                        r.get::<_, Option<String>>(15)?,
                    ))
                })
                .optional()
            })
            .map_err(self.err())?;
        let Some((row, terms, url_key)) = found else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.name, c.df FROM article_categories ac JOIN categories c ON c.id = ac.category_id
                 WHERE ac.article_id = ?1",
            )
            .map_err(self.err())?;
        let categories = stmt
            .query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        Ok(Some(RelatedInputs {
            row,
            terms,
            url_key,
            categories,
        }))
    }

    /// Articles in the cache (of every feed, as the search index holds them).
    pub fn indexed_count(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT COALESCE(SUM(article_count), 0) FROM feeds",
                [],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// The lowest and highest article ids (0, 0 when there is none).
    pub fn id_span(&self) -> Result<(i64, i64)> {
        // two subqueries: SQLite reads min() and max() of a rowid from the ends of the table
        // only when each is alone in its query
        self.conn
            .query_row(
                "SELECT COALESCE((SELECT MIN(id) FROM articles), 0),
                        COALESCE((SELECT MAX(id) FROM articles), 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())
    }

    /// Full-text matches for an FTS5 query among the articles whose ids are `within`, best
    /// first, with their BM25 score (lower is better; the title counts three times as much as
    /// the body).
    pub fn fts_matches(
        &self,
        query: &str,
        within: std::ops::RangeInclusive<i64>,
        limit: usize,
    ) -> Result<Vec<(ArticleId, f64)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT rowid, bm25(articles_fts, 3.0, 1.0) AS score FROM articles_fts
                 WHERE articles_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3
                 ORDER BY score LIMIT ?4",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(
                params![query, within.start(), within.end(), limit as i64],
                |r| Ok((ArticleId(r.get(0)?), r.get(1)?)),
            )
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Articles sharing one of these categories: (article, category id).
    pub fn sharing_category_ids(
        &self,
        id: ArticleId,
        categories: &[i64],
    ) -> Result<Vec<(ArticleId, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT article_id FROM article_categories WHERE category_id = ?1 AND article_id <> ?2")
            .map_err(self.err())?;
        let mut out = Vec::new();
        for c in categories {
            let rows = stmt
                .query_map(params![c, id.0], |r| Ok(ArticleId(r.get(0)?)))
                .map_err(self.err())?;
            for row in rows {
                out.push((row.map_err(self.err())?, *c));
            }
        }
        Ok(out)
    }

    /// Cached articles this article links to, and articles that link to it.
    pub fn linked(
        &self,
        id: ArticleId,
        url_key: Option<&str>,
    ) -> Result<(Vec<ArticleId>, Vec<ArticleId>)> {
        let out_ids = self
            .conn
            .prepare_cached(
                "SELECT a.id FROM article_links l JOIN articles a ON a.url_key = l.url_key
                 WHERE l.article_id = ?1 AND a.id <> ?1",
            )
            .and_then(|mut s| {
                s.query_map([id.0], |r| Ok(ArticleId(r.get(0)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(self.err())?;
        let in_ids = match url_key {
            None => Vec::new(),
            Some(key) => self
                .conn
                .prepare_cached(
                    "SELECT article_id FROM article_links WHERE url_key = ?1 AND article_id <> ?2",
                )
                .and_then(|mut s| {
                    s.query_map(params![key, id.0], |r| Ok(ArticleId(r.get(0)?)))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .map_err(self.err())?,
        };
        Ok((out_ids, in_ids))
    }

    /// The same page in other feeds (same normalised URL).
    pub fn same_url(&self, id: ArticleId, url_key: &str) -> Result<Vec<ArticleId>> {
        self.conn
            .prepare_cached("SELECT id FROM articles WHERE url_key = ?1 AND id <> ?2")
            .and_then(|mut s| {
                s.query_map(params![url_key, id.0], |r| Ok(ArticleId(r.get(0)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(self.err())
    }

    /// Rows, terms and URL keys of candidates (subscribed feeds only).
    pub fn candidates(&self, ids: &[ArticleId]) -> Result<Vec<Candidate>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, a.terms, a.url_key FROM articles a JOIN feeds f ON f.id = a.feed_id
             WHERE a.id = ?1 AND f.subscribed = 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = stmt
                .query_row([id.0], |r| {
                    Ok(Candidate {
                        row: row_from(r)?,
                        terms: r.get(14)?,
                        url_key: r.get(15)?,
                    })
                })
                .optional()
                .map_err(self.err())?
            {
                out.push(c);
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Articles matching an FTS5 query (see `search::fts_query`), best first, with the BM25
    /// score (sign flipped: higher is better) and a snippet around the matched words.
    /// Ids matching an FTS5 query, best (BM25 over title and text) first, with their
    /// scores (lower is better, as FTS5 gives them). Only the newest `SEARCH_WINDOW` matches
    /// are ranked: BM25 costs a little for every match, and a word found in most of a
    /// 100,000-article cache would otherwise take a tenth of a second.
    pub fn search_ranked(&self, fts_query: &str) -> Result<Vec<(ArticleId, f64)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, score FROM (
                     SELECT rowid AS id, bm25(articles_fts, 3.0, 1.0) AS score FROM articles_fts
                      WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
                 ORDER BY score, id DESC",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![fts_query, SEARCH_WINDOW], |r| {
                Ok((ArticleId(r.get(0)?), r.get(1)?))
            })
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// An article's list row and plain text, if its feed is subscribed and it is not a copy
    /// of a story listed from another feed.
    pub fn search_row(&self, id: ArticleId) -> Result<Option<(ArticleRow, String)>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, a.text FROM articles a JOIN feeds f ON f.id = a.feed_id
             WHERE a.id = ?1 AND f.subscribed = 1 AND NOT {}",
            hidden_copy!()
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(self.err())?;
        stmt.query_row([id.0], |r| Ok((row_from(r)?, r.get(14)?)))
            .optional()
            .map_err(self.err())
    }
}

/// How many of the newest matches a search ranks.
pub const SEARCH_WINDOW: i64 = 5000;

/// Articles sampled for term statistics (the newest ones).
pub const TERM_SAMPLE: i64 = 2000;

/// Document frequencies of stemmed terms over a sample of articles.
#[derive(Debug, Clone, Default)]
pub struct TermStats {
    pub generation: i64,
    pub sample: i64,
    pub df: std::collections::HashMap<String, u32>,
}

impl Store {
    /// Term statistics computed from the newest articles' stored words (read only). Runs
    /// after every refresh that stored something, over up to `TERM_SAMPLE` articles of 128
    /// words each: no allocation per word (each distinct word is stemmed once, to a number).
    pub fn compute_term_stats(&self) -> Result<TermStats> {
        type Fast = foldhash::fast::RandomState;
        let err = self.err();
        // word -> stem number; stem -> number; per stem number: articles holding it, and the
        // last article counted (an article counts once per stem)
        let mut stem_of: HashMap<String, usize, Fast> = HashMap::default();
        let mut numbers: HashMap<String, usize, Fast> = HashMap::default();
        let mut df: Vec<u32> = Vec::new();
        let mut last_counted: Vec<i64> = Vec::new();
        let mut sample = 0i64;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT terms FROM articles ORDER BY id DESC LIMIT ?1")
            .map_err(&err)?;
        let mut rows = stmt.query([TERM_SAMPLE]).map_err(&err)?;
        while let Some(row) = rows.next().map_err(&err)? {
            let stored = row.get_ref(0).map_err(&err)?.as_str().unwrap_or("");
            sample += 1;
            for (word, _) in terms::parse_pairs(stored) {
                let number = match stem_of.get(word) {
                    Some(&n) => n,
                    None => {
                        let next = numbers.len();
                        let n = *numbers.entry(porter_stemmer::stem(word)).or_insert(next);
                        if n == next {
                            df.push(0);
                            last_counted.push(-1);
                        }
                        stem_of.insert(word.to_string(), n);
                        n
                    }
                };
                if last_counted[number] != sample {
                    last_counted[number] = sample;
                    df[number] += 1;
                }
            }
        }
        Ok(TermStats {
            generation: -1,
            sample,
            df: numbers.into_iter().map(|(stem, n)| (stem, df[n])).collect(),
        })
    }

    /// Recomputes and saves term statistics. Run after a refresh stored something; cheap
    /// (tens of milliseconds).
    pub fn rebuild_term_stats(&mut self) -> Result<()> {
        let err = self.err();
        let TermStats { sample, df, .. } = self.compute_term_stats()?;
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute("DELETE FROM term_stats", []).map_err(&err)?;
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO term_stats (term, df) VALUES (?1, ?2)")
                .map_err(&err)?;
            for (term, n) in &df {
                insert.execute(params![term, n]).map_err(&err)?;
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('term_sample', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [sample],
        )
        .map_err(&err)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('term_generation', 1)
             ON CONFLICT (key) DO UPDATE SET value = value + 1",
            [],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(())
    }

    /// The term statistics, loaded once per generation and kept in memory.
    pub fn term_stats(&self) -> Result<std::sync::Arc<TermStats>> {
        let generation: i64 = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'term_generation'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?
            .unwrap_or(0);
        if let Some(cached) = self.term_stats_cache.borrow().as_ref()
            && cached.generation == generation
        {
            return Ok(cached.clone());
        }
        let sample: i64 = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'term_sample'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?
            .unwrap_or(0);
        let mut df = std::collections::HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT term, df FROM term_stats")
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))
            .map_err(self.err())?;
        for row in rows {
            let (t, n) = row.map_err(self.err())?;
            df.insert(t, n);
        }
        let stats = std::sync::Arc::new(TermStats {
            generation,
            sample,
            df,
        });
        *self.term_stats_cache.borrow_mut() = Some(stats.clone());
        Ok(stats)
    }

    /// Categories of each of these articles: (article, category id, name, df).
    pub fn categories_of(&self, ids: &[ArticleId]) -> Result<Vec<(ArticleId, i64, String, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT ac.category_id, c.name, c.df FROM article_categories ac
                 JOIN categories c ON c.id = ac.category_id WHERE ac.article_id = ?1",
            )
            .map_err(self.err())?;
        let mut out = Vec::new();
        for id in ids {
            let rows = stmt
                .query_map([id.0], |r| Ok((*id, r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(self.err())?;
            for row in rows {
                out.push(row.map_err(self.err())?);
            }
        }
        Ok(out)
    }
}
