//! The local cache: SQLite (WAL, bound parameters only, migrations on `user_version`).
//!
//! Every feed refresh is written in one transaction, so a failed or killed refresh leaves
//! the cache exactly as it was. Read and starred state live on the article rows and no
//! refresh ever writes them.

mod articles;
mod feeds;
pub mod prepare;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use articles::{
    Article, ArticleRow, Candidate, FeedMeta, FullText, ListFilter, RelatedInputs, TERM_SAMPLE,
    TermStats, UpsertCounts,
};
pub use feeds::{FeedRow, FeedUpdate};
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
        "the cache {path} is not a Byline cache or is corrupt ({reason}); it was left untouched"
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
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
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
        Store::setup(conn, shown)
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
        conn.pragma_update(None, "wal_autocheckpoint", 4000)
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

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(self.err())?;
        Ok(s == "ok")
    }
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
mod tests;
