//! The local cache: SQLite (WAL, bound parameters only, migrations on `user_version`).
//!
//! Every feed refresh is written in one transaction, so a failed or killed refresh leaves
//! the cache exactly as it was. Read and starred state live on the article rows and no
//! refresh ever writes them.

mod articles;
mod checkpoint;
pub mod feed_names;
mod feeds;
pub mod prepare;
mod retention;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use articles::{
    Article, ArticleRow, Candidate, FeedMeta, FullText, ListFilter, RelatedInputs, SEARCH_WINDOW,
    TERM_SAMPLE, TermStats, UpsertCounts,
};
pub use feeds::{FeedRow, FeedUpdate};
pub use retention::PruneScope;
pub use schema::SCHEMA_VERSION;

/// A feed's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct FeedId(pub i64);

/// An article's row id: stable for the life of the cache, used by `show ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct ArticleId(pub i64);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the cache {path}: {reason}")]
    Open { path: String, reason: String },
    #[error(
        "the cache {path} was written by a newer Byline (schema {found}, this one knows {known}); it was left untouched"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the cache {path} is not a Byline cache or is corrupt ({reason}); it was left untouched. `byline repair-cache` moves it aside and starts a new one"
    )]
    Corrupt { path: String, reason: String },
    #[error("cache {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    path: String,
    /// Term statistics for related stories, loaded on first use (see `term_stats`).
    term_stats_cache: std::cell::RefCell<Option<std::sync::Arc<articles::TermStats>>>,
    /// `PRAGMA data_version` when last looked at (see `changed_elsewhere`).
    data_version: Option<i64>,
    /// Copies the write-ahead log back on its own thread (None: SQLite does it in the commit).
    checkpointer: Option<checkpoint::Checkpointer>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(checkpointer) = self.checkpointer.take() {
            checkpointer.stop(&mut self.conn);
        }
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, checkpoint::Thresholds::DEFAULT)
    }

    fn open_with(path: &Path, checkpoints: checkpoint::Thresholds) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: shown.clone(),
                reason: format!("cannot create folder {}: {e}", dir.display()),
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let mut store = Store::setup(conn, shown)?;
        match checkpoint::Checkpointer::start(&mut store.conn, path, checkpoints) {
            Ok(c) => store.checkpointer = Some(c),
            Err(e) => tracing::warn!(cache = %store.path, "{e}; checkpoints stay in the commits"),
        }
        Ok(store)
    }

    /// A private in-memory cache, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            path: ":memory:".into(),
            reason: e.to_string(),
        })?;
        Store::setup(conn, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: String) -> Result<Store> {
        let classify = |e: rusqlite::Error| classify_open_error(&path, e);
        // One plan per statement, whatever values are bound: otherwise SQLite (built with
        // STAT4) compiles a statement again for each new value of some parameters, and the
        // lookup of a new article's link (`original_of`) was compiled anew for every article
        // stored: 3-4% of a cold refresh's CPU.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(classify)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(classify)?;
        // Reading the header is what detects a file that is not a database.
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(classify)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(classify)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(classify)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(classify)?;
        // 16 MiB of page cache (the default is 2): related stories and search read many pages
        conn.pragma_update(None, "cache_size", -16384)
            .map_err(classify)?;
        // checkpoint the WAL every 16 MiB rather than every 4: a big refresh writes less twice
        // (a file's store hands this to its own thread: see checkpoint.rs)
        conn.pragma_update(
            None,
            "wal_autocheckpoint",
            checkpoint::Thresholds::DEFAULT.thread,
        )
        .map_err(classify)?;
        match schema::migrate(&mut conn).map_err(classify)? {
            schema::MigrateOutcome::TooNew { found } => {
                return Err(StoreError::TooNew {
                    path,
                    found,
                    known: SCHEMA_VERSION,
                });
            }
            schema::MigrateOutcome::Migrated { from, to } => {
                tracing::info!(cache = %path, from, to, "migrated cache schema");
            }
            schema::MigrateOutcome::UpToDate => {}
        }
        Ok(Store {
            conn,
            path,
            term_stats_cache: std::cell::RefCell::new(None),
            data_version: None,
            checkpointer: None,
        })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Wraps SQLite errors with the cache's path. Owns its copy of the path, so it can be
    /// used while the connection is borrowed mutably.
    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + use<> {
        let path = self.path.clone();
        move |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        }
    }

    /// True if another connection (another process: `byline refresh` from cron) has
    /// written to the cache since the last call. The first call only takes note.
    pub fn changed_elsewhere(&mut self) -> Result<bool> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(self.err())?;
        let changed = self.data_version.is_some_and(|v| v != version);
        self.data_version = Some(version);
        Ok(changed)
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(s == "ok")
    }
}

/// What `repair_cache` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Repair {
    /// The cache opens and passes `integrity_check`: nothing was done.
    Healthy,
    /// It did not: it was renamed to this path (with its -wal and -shm files).
    MovedAside(PathBuf),
    /// There is no cache file.
    Missing,
}

/// Moves a corrupt cache aside (only ever when the user asks), so the next run starts a new
/// one. A healthy cache, or one from a newer Byline, is left alone.
pub fn repair_cache(path: &Path) -> Result<Repair> {
    if !path.exists() {
        return Ok(Repair::Missing);
    }
    match Store::open(path) {
        Ok(store) if store.integrity_ok().unwrap_or(false) => return Ok(Repair::Healthy),
        Err(e @ StoreError::TooNew { .. }) => return Err(e),
        Err(StoreError::Open { path, reason }) => return Err(StoreError::Open { path, reason }),
        _ => {}
    }
    let stamp = now();
    let shown = path.display().to_string();
    let aside = PathBuf::from(format!("{shown}.corrupt-{stamp}"));
    std::fs::rename(path, &aside).map_err(|e| StoreError::Open {
        path: shown.clone(),
        reason: format!("cannot move it aside to {}: {e}", aside.display()),
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{shown}{suffix}"));
        if side.exists() {
            let _ = std::fs::rename(&side, format!("{}{suffix}", aside.display()));
        }
    }
    Ok(Repair::MovedAside(aside))
}

fn classify_open_error(path: &str, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_string(),
            reason: e.to_string(),
        },
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::Open {
            path: path.to_string(),
            reason: e.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_string(),
            source: e,
        },
    }
}

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Where the cache lives: `--cache`/`BYLINE_CACHE`, else the config's `cache`, else the data dir.
pub fn resolve_path(explicit: Option<&Path>, from_config: Option<&Path>) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| from_config.map(Path::to_path_buf))
        .or_else(crate::config::default_cache_path)
}

#[cfg(test)]
pub(crate) mod tests;
