//! Copies the write-ahead log back into the database on a thread of its own.
//!
//! SQLite's own checkpoint runs inside the commit that crosses the threshold, on the writer's
//! thread, and ends in two fsyncs: a cold refresh of 100 feeds spent 0.2 s of its 1.4 s in
//! them, while the feeds the parse workers had finished waited for the one writer. Here the
//! writer's commits only say how long the log is; a second connection runs a passive
//! checkpoint (one that never waits for, nor blocks, readers or the writer), so the writer
//! goes on while the disk syncs.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

/// When checkpoints run, in pages of the log (4 KiB each).
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// New pages in the log before the thread copies them back.
    pub thread: i32,
    /// Pages past which the writer checkpoints for itself after its commit, as SQLite would.
    /// The log only starts over from its beginning when a checkpoint has copied all of it
    /// before the next write begins, and a thread copying while a long refresh keeps
    /// committing never quite has: without this the log would grow by the whole refresh
    /// (55 MiB for 100 feeds).
    pub writer: i32,
}

impl Thresholds {
    /// Every 16 MiB (SQLite's default is 4 MiB: a big refresh copies a page it keeps changing
    /// fewer times), and a log of at most about 64 MiB.
    pub const DEFAULT: Thresholds = Thresholds {
        thread: 4000,
        writer: 16000,
    };
}

/// The running checkpoint thread. It ends when the writer's hook, which holds the only way
/// to wake it, is removed (`stop`); dropped without `stop`, it is left to end with the process.
pub struct Checkpointer {
    thread: JoinHandle<()>,
}

impl Checkpointer {
    /// Takes over `writer`'s checkpoints for the database at `path`. On an error `writer`
    /// keeps checkpointing for itself.
    pub fn start(
        writer: &mut Connection,
        path: &Path,
        at: Thresholds,
    ) -> Result<Checkpointer, String> {
        // One request waiting is enough: the checkpoint it starts copies everything committed.
        let (wake, asked) = mpsc::sync_channel::<()>(1);
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || run(&path, &asked))
            .map_err(|e| format!("cannot start the checkpoint thread: {e}"))?;
        // The log's length when the thread was last woken: it is woken again once as much
        // again has been written (the log's length goes down only when it starts over).
        let mut woken_at = 0;
        writer
            .wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
                if pages < woken_at {
                    woken_at = 0;
                }
                if pages >= at.writer {
                    // Busy: the thread is copying; the next commit tries again. An error here
                    // would fail a commit that has happened.
                    let started = std::time::Instant::now();
                    match wal.checkpoint() {
                        Ok(()) => tracing::debug!(
                            pages,
                            ms = started.elapsed().as_millis() as u64,
                            "checkpoint after commit"
                        ),
                        Err(e) => tracing::debug!("checkpoint after commit: {e}"),
                    }
                } else if pages - woken_at >= at.thread {
                    woken_at = pages;
                    // Full: a checkpoint is already asked for. Disconnected: the thread has
                    // stopped (it logged why); the log then waits for the writer's close.
                    let _ = wake.try_send(());
                }
                Ok(())
            }))
            // the hook, and with it the thread's only sender, is gone: the thread ends
            .map_err(|e| format!("cannot watch the write-ahead log: {e}"))?;
        Ok(Checkpointer { thread })
    }

    /// Removes `writer`'s hook, which ends the thread once it has finished what it is doing;
    /// what is left in the log is copied when the writer's connection closes, as SQLite does
    /// for the last connection.
    pub fn stop(self, writer: &mut Connection) {
        if let Err(e) = writer.wal_hook(None::<fn(&mut rusqlite::hooks::Wal, i32) -> _>) {
            tracing::warn!("could not remove the checkpoint hook: {e}");
            return;
        }
        if self.thread.join().is_err() {
            tracing::error!("the checkpoint thread panicked");
        }
    }
}

fn run(path: &Path, asked: &mpsc::Receiver<()>) {
    // Opened on this thread, when first needed: opening costs nothing at start-up.
    let mut conn: Option<Connection> = None;
    while asked.recv().is_ok() {
        let c = match conn {
            Some(ref c) => c,
            None => match open(path) {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    tracing::warn!(cache = %path.display(), "checkpoint: cannot open the cache: {e}");
                    return;
                }
            },
        };
        let started = std::time::Instant::now();
        match c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
        }) {
            Ok((log, copied)) => tracing::debug!(
                log,
                copied,
                ms = started.elapsed().as_millis() as u64,
                "checkpoint"
            ),
            Err(e) => tracing::warn!(cache = %path.display(), "checkpoint failed: {e}"),
        }
    }
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // as the writer: the log is synced before it is copied and the database after
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}
