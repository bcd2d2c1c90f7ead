//! Configuration: where it comes from, what it may hold, and errors that point at the line.
//!
//! Precedence: `--config FILE` / `BYLINE_CONFIG`, else `config.toml` in the user's config
//! directory, else the built-in default (MediaNama). An explicit path that is missing is an
//! error, never a silent fallback.

pub mod edit;
mod error;
pub mod keys;
mod raw;
pub mod theme;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::ConfigError;
pub use raw::{feed_location, resolve_path};

/// The built-in configuration: a new user gets news with no setup at all.
pub const DEFAULT_CONFIG: &str = include_str!("default.toml");

/// Where the configuration was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(p) => write!(f, "{}", p.display()),
            ConfigSource::BuiltIn => f.write_str("<built-in default config>"),
        }
    }
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub source: ConfigSource,
    /// Cache file named in the config (already resolved against the config's folder).
    pub cache: Option<PathBuf>,
    pub fetch: FetchSettings,
    /// The TUI refreshes in the background when it starts.
    pub refresh_on_start: bool,
    /// The TUI takes mouse events (wheel scrolls, click selects).
    pub mouse: bool,
    /// Links in the article pane are OSC 8 hyperlinks (clickable where the terminal can).
    pub hyperlinks: bool,
    /// What a feed gets when it does not say otherwise.
    pub defaults: FeedSettings,
    pub keys: keys::KeyMap,
    pub theme: theme::Theme,
    pub feeds: Vec<FeedSpec>,
}

/// Politeness and safety limits for fetching.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    /// Feeds fetched at once, in all.
    pub concurrency: usize,
    /// Feeds fetched at once from one host.
    pub concurrency_per_host: usize,
    pub connect_timeout: Duration,
    /// Deadline for one whole request, body included.
    pub timeout: Duration,
    /// Longest silence while reading a body.
    pub idle_timeout: Duration,
    /// Largest body accepted, counted after decompression.
    pub max_feed_bytes: u64,
    pub user_agent: String,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            concurrency: 16,
            concurrency_per_host: 2,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(15),
            max_feed_bytes: 20 * 1024 * 1024,
            user_agent: default_user_agent(),
        }
    }
}

pub fn default_user_agent() -> String {
    format!(
        "Byline/{} (terminal news reader; +https://github.com/byline-reader/byline)",
        env!("CARGO_PKG_VERSION")
    )
}

/// One feed to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// Canonical location: an `http(s)://` URL or a `file://` URL.
    pub url: String,
    /// Name chosen by the user; when absent, the feed's own title is shown.
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// Fetch each article's page during refresh (for summary-only feeds).
    pub full_text: bool,
    /// How often the reader refreshes this feed while it is open (None: only by hand).
    pub refresh_interval: Option<Duration>,
    pub retention: Retention,
}

impl FeedSpec {
    /// A feed at `url` with every setting at its default.
    pub fn new(url: impl Into<String>) -> FeedSpec {
        FeedSpec {
            url: url.into(),
            name: None,
            tags: Vec::new(),
            full_text: false,
            refresh_interval: FeedSettings::DEFAULT.refresh_interval,
            retention: Retention::DEFAULT,
        }
    }
}

/// Settings every feed has, which the top of the config sets for all and a feed may override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedSettings {
    pub refresh_interval: Option<Duration>,
    pub retention: Retention,
}

impl FeedSettings {
    pub const DEFAULT: FeedSettings = FeedSettings {
        refresh_interval: Some(Duration::from_secs(60 * 60)),
        retention: Retention::DEFAULT,
    };
}

/// Which read articles a feed keeps. Starred and unread articles are always kept (unless
/// `byline vacuum` is told otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// At most this many articles per feed (None: no limit).
    pub max_articles: Option<u64>,
    /// Only articles younger than this many days (None: no limit).
    pub max_age_days: Option<u64>,
}

impl Retention {
    /// Generous: a feed keeps its newest 5,000 articles, however old. (No age limit by
    /// default: a feed that stopped posting two years ago would otherwise lose every article
    /// read.)
    pub const DEFAULT: Retention = Retention {
        max_articles: Some(5000),
        max_age_days: None,
    };
}

impl Config {
    /// Loads the configuration following the precedence rules.
    /// `explicit` is `--config` or `BYLINE_CONFIG`.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(path) = explicit {
            return Config::from_file(path);
        }
        if let Some(path) = user_config_path()
            && path.is_file()
        {
            return Config::from_file(&path);
        }
        Config::parse(DEFAULT_CONFIG, ConfigSource::BuiltIn)
    }

    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::InvalidData => "not valid UTF-8 text".to_string(),
                _ => e.to_string(),
            };
            ConfigError::file(path, format!("cannot read config: {what}"))
        })?;
        Config::parse(&text, ConfigSource::File(path.to_path_buf()))
    }

    /// Parses and validates config text. Relative paths are resolved against the file's folder.
    pub fn parse(text: &str, source: ConfigSource) -> Result<Config, ConfigError> {
        raw::parse(text, source)
    }
}

/// `config.toml` in the user's config directory (`~/.config/byline/` on Linux).
pub fn user_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "byline").map(|d| d.config_dir().join("config.toml"))
}

/// `cache.sqlite` in the user's data directory (`~/.local/share/byline/` on Linux).
pub fn default_cache_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "byline").map(|d| d.data_dir().join("cache.sqlite"))
}

/// The state directory, for logs.
pub fn state_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "byline")
        .map(|d| d.state_dir().unwrap_or(d.data_local_dir()).to_path_buf())
}

#[cfg(test)]
mod tests;
