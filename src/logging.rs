//! Logs go to a file in the state directory (level from `BYLINE_LOG`), never to the screen.

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The log file: `$BYLINE_LOG_FILE`, else `byline.log` in the state directory.
pub fn log_path() -> Option<std::path::PathBuf> {
    std::env::var_os("BYLINE_LOG_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| crate::config::state_dir().map(|d| d.join("byline.log")))
}

/// Installs the file logger. Without a writable log file Byline runs silently.
pub fn init() {
    let filter = EnvFilter::try_from_env("BYLINE_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let Some(path) = log_path() else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = OpenOptions::new().create(true).append(true).open(&path) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init();
}
