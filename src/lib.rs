//! Byline: a terminal news reader. Feeds in, a SQLite cache, readable articles, related stories.
//!
//! The core (config, feed, store, text, refresh) knows nothing of terminals; the CLI and the
//! TUI are thin layers over it.

pub mod cli;
pub mod config;
pub mod feed;
pub mod fulltext;
pub mod logging;
pub mod priority;
pub mod refresh;
pub mod related;
pub mod search;
pub mod store;
pub mod text;
pub mod tui;
