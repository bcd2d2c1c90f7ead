//! Logs go to a file in the state directory (level from `BYLINE_LOG`), never to the screen.
//! The file is created on the first line logged, so a quiet run leaves nothing behind.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The log file: `$BYLINE_LOG_FILE`, else `byline.log` in the state directory.
pub fn log_path() -> Option<PathBuf> {
    std::env::var_os("BYLINE_LOG_FILE")
        .map(PathBuf::from)
        .or_else(|| crate::config::state_dir().map(|d| d.join("byline.log")))
}

/// Opens (and creates) the log file only when something is written.
struct LazyFile {
    path: PathBuf,
    file: Option<File>,
    failed: bool,
}

impl Write for LazyFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.file.is_none() && !self.failed {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            match OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
            {
                Ok(f) => self.file = Some(f),
                Err(_) => self.failed = true,
            }
        }
        match &mut self.file {
            Some(f) => f.write(buf),
            // no writable log file: Byline runs silently
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// Installs the file logger (`BYLINE_LOG=off` turns it off; default `warn`).
pub fn init() {
    let filter = EnvFilter::try_from_env("BYLINE_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let Some(path) = log_path() else { return };
    let writer = Mutex::new(LazyFile {
        path,
        file: None,
        failed: false,
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .try_init();
}
