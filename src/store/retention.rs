//! Retention: which articles a feed lets go, and compacting the cache afterwards.
//!
//! A pruned article's key is remembered (table `pruned`) for as long as its feed still
//! carries it, so a refresh does not bring it back as a new, unread article.

use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::{FeedId, Result, Store, now};
use crate::config::Retention;

/// Which articles retention may delete besides read, unstarred ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneScope {
    pub unread: bool,
    pub starred: bool,
}

impl Store {
    /// Deletes the feed's articles that `retention` lets go: beyond its newest
    /// `max_articles`, or older than `max_age_days`. Unread and starred articles stay unless
    /// `scope` names them. Returns how many were deleted.
    pub fn prune(
        &mut self,
        feed: FeedId,
        retention: Retention,
        scope: PruneScope,
    ) -> Result<usize> {
        if retention.max_articles.is_none() && retention.max_age_days.is_none() {
            return Ok(0);
        }
        let cutoff = retention
            .max_age_days
            .map(|d| now().saturating_sub((d as i64).saturating_mul(86_400)));
        let keep = retention
            .max_articles
            .map(|n| n.min(i64::MAX as u64) as i64);
        // Most refreshes have nothing to let go: find out without a write transaction, from
        // the count the triggers keep.
        let (count, oldest): (i64, Option<i64>) = self
            .conn
            .prepare_cached(
                "SELECT article_count, (SELECT min(sort_time) FROM articles WHERE feed_id = ?1)
                 FROM feeds WHERE id = ?1",
            )
            .and_then(|mut s| s.query_row([feed.0], |r| Ok((r.get(0)?, r.get(1)?))))
            .optional()
            .map_err(self.err())?
            .unwrap_or((0, None));
        let too_many = keep.is_some_and(|k| count > k);
        let too_old = cutoff.zip(oldest).is_some_and(|(c, o)| o < c);
        if !too_many && !too_old {
            return Ok(0);
        }
        let err = self.err();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(&err)?;
        // ?2: the age cutoff (NULL: none); ?3: how many newest to keep (NULL: no limit)
        let keys: Vec<String> = tx
            .prepare(
                "DELETE FROM articles WHERE id IN (
                   SELECT id FROM articles a WHERE a.feed_id = ?1
                      AND (?4 OR a.read = 1) AND (?5 OR a.starred = 0)
                      AND ((?2 IS NOT NULL AND a.sort_time < ?2)
                        OR (?3 IS NOT NULL AND a.id IN (SELECT id FROM articles WHERE feed_id = ?1
                               ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?3))))
                 RETURNING key",
            )
            .and_then(|mut s| {
                s.query_map(
                    params![feed.0, cutoff, keep, scope.unread, scope.starred],
                    |r| r.get(0),
                )?
                .collect()
            })
            .map_err(&err)?;
        {
            let mut remember = tx
                .prepare_cached("INSERT OR IGNORE INTO pruned (feed_id, key) VALUES (?1, ?2)")
                .map_err(&err)?;
            for key in &keys {
                remember.execute(params![feed.0, key]).map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(keys.len())
    }

    /// Deletes the feeds no longer in the config (unsubscribed), with their articles, except
    /// the starred ones unless `scope.starred`; a feed left with starred articles stays.
    pub fn remove_unsubscribed(&mut self, scope: PruneScope) -> Result<usize> {
        let err = self.err();
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute(
            "DELETE FROM articles WHERE feed_id IN (SELECT id FROM feeds WHERE subscribed = 0)
               AND (?1 OR starred = 0)",
            [scope.starred],
        )
        .map_err(&err)?;
        let removed = tx
            .execute(
                "DELETE FROM feeds WHERE subscribed = 0
                   AND NOT EXISTS (SELECT 1 FROM articles WHERE feed_id = feeds.id)",
                [],
            )
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(removed)
    }

    /// Compacts the cache: merges the search index and rewrites the file without free pages.
    pub fn compact(&mut self) -> Result<()> {
        let err = self.err();
        self.conn
            .execute_batch(
                "INSERT INTO articles_fts (articles_fts) VALUES ('optimize');
                 VACUUM;
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .map_err(&err)?;
        Ok(())
    }

    /// The cache's size on disk, its write-ahead log included.
    pub fn size_on_disk(&self) -> u64 {
        let (db, wal) = sizes_on_disk(Path::new(&self.path));
        db + wal
    }
}

/// Sizes of the cache file at `path` and of its write-ahead log (0 for a file not there).
pub(super) fn sizes_on_disk(path: &Path) -> (u64, u64) {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let wal = format!("{}-wal", path.display());
    (size(path), size(Path::new(&wal)))
}

/// The keys retention deleted from `feed` that it remembers.
pub(super) fn pruned_keys(
    tx: &rusqlite::Transaction<'_>,
    feed: FeedId,
) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut stmt = tx.prepare_cached("SELECT key FROM pruned WHERE feed_id = ?1")?;
    let rows = stmt.query_map([feed.0], |r| r.get(0))?;
    rows.collect()
}

/// Forgets the pruned keys the feed no longer carries: they cannot come back.
pub(super) fn forget_pruned(
    tx: &rusqlite::Transaction<'_>,
    feed: FeedId,
    gone: impl Iterator<Item = String>,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached("DELETE FROM pruned WHERE feed_id = ?1 AND key = ?2")?;
    for key in gone {
        stmt.execute(params![feed.0, key])?;
    }
    Ok(())
}
