//! The TOML shape of the config file, and its validation into [`Config`].
//!
//! Every value that can be wrong is `Spanned`, so an error can point at its line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{Config, ConfigError, ConfigSource, FeedSettings, FeedSpec, FetchSettings, Retention};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    cache: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    concurrency_per_host: Option<Spanned<i64>>,
    connect_timeout: Option<Spanned<i64>>,
    timeout: Option<Spanned<i64>>,
    idle_timeout: Option<Spanned<i64>>,
    max_feed_mib: Option<Spanned<i64>>,
    user_agent: Option<Spanned<String>>,
    refresh_on_start: Option<bool>,
    refresh_interval: Option<Spanned<i64>>,
    keep_articles: Option<Spanned<i64>>,
    keep_days: Option<Spanned<i64>>,
    mouse: Option<bool>,
    hyperlinks: Option<bool>,
    #[serde(default)]
    keys: std::collections::BTreeMap<Spanned<String>, Spanned<KeyList>>,
    #[serde(default)]
    theme: std::collections::BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    feeds: Vec<Spanned<RawFeed>>,
}

/// `action = "key"` or `action = ["key", "key"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Spanned<String>,
    name: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    full_text: bool,
    refresh_interval: Option<Spanned<i64>>,
    keep_articles: Option<Spanned<i64>>,
    keep_days: Option<Spanned<i64>>,
}

struct Ctx<'a> {
    file: String,
    text: &'a str,
    /// Folder that relative paths in the file are resolved against.
    base_dir: PathBuf,
}

impl Ctx<'_> {
    fn err(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(&self.file, self.text, span.start, message)
    }
}

pub(super) fn parse(text: &str, source: ConfigSource) -> Result<Config, ConfigError> {
    let base_dir = match &source {
        ConfigSource::File(p) => p
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from(".")),
        ConfigSource::BuiltIn => PathBuf::from("."),
    };
    let ctx = Ctx {
        file: source.to_string(),
        text,
        base_dir,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = describe_toml_error(e.message());
        match e.span() {
            Some(span) => ConfigError::at(&ctx.file, text, span.start, message),
            None => ConfigError {
                file: ctx.file.clone(),
                position: None,
                message,
                source_line: None,
            },
        }
    })?;

    let defaults = FetchSettings::default();
    let fetch = FetchSettings {
        concurrency: positive(&ctx, "concurrency", raw.concurrency.as_ref(), 1, 1000)?
            .unwrap_or(defaults.concurrency as u64) as usize,
        concurrency_per_host: positive(
            &ctx,
            "concurrency_per_host",
            raw.concurrency_per_host.as_ref(),
            1,
            1000,
        )?
        .unwrap_or(defaults.concurrency_per_host as u64) as usize,
        connect_timeout: positive(
            &ctx,
            "connect_timeout",
            raw.connect_timeout.as_ref(),
            1,
            3600,
        )?
        .map_or(defaults.connect_timeout, Duration::from_secs),
        timeout: positive(&ctx, "timeout", raw.timeout.as_ref(), 1, 3600)?
            .map_or(defaults.timeout, Duration::from_secs),
        idle_timeout: positive(&ctx, "idle_timeout", raw.idle_timeout.as_ref(), 1, 3600)?
            .map_or(defaults.idle_timeout, Duration::from_secs),
        max_feed_bytes: positive(&ctx, "max_feed_mib", raw.max_feed_mib.as_ref(), 1, 4096)?
            .map_or(defaults.max_feed_bytes, |mib| mib * 1024 * 1024),
        user_agent: match &raw.user_agent {
            Some(ua) if ua.get_ref().trim().is_empty() || ua.get_ref().contains(['\r', '\n']) => {
                return Err(ctx.err(
                    ua.span(),
                    format!(
                        "user_agent = {:?}: must be one non-empty line",
                        ua.get_ref()
                    ),
                ));
            }
            Some(ua) => ua.get_ref().trim().to_string(),
            None => defaults.user_agent,
        },
    };

    let cache = match &raw.cache {
        Some(c) if c.get_ref().trim().is_empty() => {
            return Err(ctx.err(c.span(), "cache = \"\": the cache path is empty"));
        }
        Some(c) => Some(resolve_path(&ctx.base_dir, c.get_ref())),
        None => None,
    };

    let defaults = feed_settings(
        &ctx,
        "",
        [&raw.refresh_interval, &raw.keep_articles, &raw.keep_days],
        FeedSettings::DEFAULT,
    )?;

    let mut feeds = Vec::with_capacity(raw.feeds.len());
    let mut seen_urls: HashMap<String, usize> = HashMap::new();
    let mut seen_names: HashMap<String, usize> = HashMap::new();
    for (index, feed) in raw.feeds.iter().enumerate() {
        let feed = feed.get_ref();
        let key = format!("feeds[{index}]");
        let url = feed_url(&ctx, &key, &feed.url)?;
        if let Some(first) = seen_urls.insert(url.clone(), index) {
            return Err(ctx.err(
                feed.url.span(),
                format!(
                    "{key}.url = {:?}: duplicate feed URL (already feeds[{first}])",
                    feed.url.get_ref()
                ),
            ));
        }
        let name = match &feed.name {
            Some(n) => {
                let clean = crate::text::sanitize_line(n.get_ref());
                if clean.is_empty() {
                    return Err(ctx.err(
                        n.span(),
                        format!("{key}.name = {:?}: the name is empty", n.get_ref()),
                    ));
                }
                if let Some(first) = seen_names.insert(clean.to_lowercase(), index) {
                    return Err(ctx.err(
                        n.span(),
                        format!(
                            "{key}.name = {:?}: duplicate feed name (already feeds[{first}])",
                            n.get_ref()
                        ),
                    ));
                }
                Some(clean)
            }
            None => None,
        };
        let mut tags = Vec::with_capacity(feed.tags.len());
        for tag in &feed.tags {
            let clean = crate::text::sanitize_line(tag.get_ref());
            if clean.is_empty() {
                return Err(ctx.err(
                    tag.span(),
                    format!("{key}.tags: empty tag {:?}", tag.get_ref()),
                ));
            }
            if !tags.contains(&clean) {
                tags.push(clean);
            }
        }
        let settings = feed_settings(
            &ctx,
            &format!("{key}."),
            [&feed.refresh_interval, &feed.keep_articles, &feed.keep_days],
            defaults,
        )?;
        feeds.push(FeedSpec {
            url,
            name,
            tags,
            full_text: feed.full_text,
            refresh_interval: settings.refresh_interval,
            retention: settings.retention,
        });
    }

    let mut overrides = Vec::with_capacity(raw.keys.len());
    for (action, keys) in &raw.keys {
        let list = match keys.get_ref() {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(ks) => ks.clone(),
        };
        // Check each binding alone first, so the error points at its line.
        if let Err(e) =
            super::keys::KeyMap::with_overrides(&[(action.get_ref().clone(), list.clone())])
        {
            let span = if e.contains(": unknown action") {
                action.span()
            } else {
                keys.span()
            };
            return Err(ctx.err(span, format!("[keys] {e}")));
        }
        overrides.push((action.get_ref().clone(), list));
    }
    let keys = super::keys::KeyMap::with_overrides(&overrides).map_err(|e| {
        // two actions claim one key: point at the second of them
        let span = raw
            .keys
            .iter()
            .rev()
            .find(|(a, _)| e.contains(&format!("`{}`", a.get_ref())))
            .map_or(0..0, |(_, k)| k.span());
        ctx.err(span, format!("[keys]: {e}"))
    })?;
    let mut theme = super::theme::Theme::default();
    for (role, colour) in &raw.theme {
        theme.set(role.get_ref(), colour.get_ref()).map_err(|e| {
            let span = if e.starts_with("unknown theme role") {
                role.span()
            } else {
                colour.span()
            };
            ctx.err(
                span,
                format!("[theme] {} = {:?}: {e}", role.get_ref(), colour.get_ref()),
            )
        })?;
    }

    Ok(Config {
        source,
        cache,
        fetch,
        refresh_on_start: raw.refresh_on_start.unwrap_or(true),
        mouse: raw.mouse.unwrap_or(true),
        hyperlinks: raw.hyperlinks.unwrap_or(true),
        defaults,
        keys,
        theme,
        feeds,
    })
}

/// The largest count or age a retention key takes.
const MAX_KEEP: i64 = 100_000_000;

/// `refresh_interval`, `keep_articles` and `keep_days` (in that order), at the top of the file
/// (`prefix` "") or in a feed ("feeds[3]."): what is not set comes from `defaults`.
fn feed_settings(
    ctx: &Ctx<'_>,
    prefix: &str,
    [interval, keep_articles, keep_days]: [&Option<Spanned<i64>>; 3],
    defaults: FeedSettings,
) -> Result<FeedSettings, ConfigError> {
    let key = |k: &str| format!("{prefix}{k}");
    Ok(FeedSettings {
        refresh_interval: positive(ctx, &key("refresh_interval"), interval.as_ref(), 0, 10_080)?
            .map_or(defaults.refresh_interval, minutes),
        retention: Retention {
            max_articles: positive(
                ctx,
                &key("keep_articles"),
                keep_articles.as_ref(),
                0,
                MAX_KEEP,
            )?
            .map_or(defaults.retention.max_articles, nonzero),
            max_age_days: positive(ctx, &key("keep_days"), keep_days.as_ref(), 0, MAX_KEEP)?
                .map_or(defaults.retention.max_age_days, nonzero),
        },
    })
}

/// 0 minutes: never in the background.
fn minutes(m: u64) -> Option<Duration> {
    (m > 0).then(|| Duration::from_secs(m * 60))
}

/// 0: no limit.
fn nonzero(n: u64) -> Option<u64> {
    (n > 0).then_some(n)
}

/// toml's messages are good; make the common one friendlier.
fn describe_toml_error(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("unknown key {rest}");
    }
    if message.starts_with("missing field `url`") {
        return "a [[feeds]] entry has no `url`".to_string();
    }
    message.to_string()
}

fn positive(
    ctx: &Ctx<'_>,
    key: &str,
    value: Option<&Spanned<i64>>,
    min: i64,
    max: i64,
) -> Result<Option<u64>, ConfigError> {
    match value {
        None => Ok(None),
        Some(v) => {
            let n = *v.get_ref();
            if n < min || n > max {
                Err(ctx.err(
                    v.span(),
                    format!("{key} = {n}: must be between {min} and {max}"),
                ))
            } else {
                Ok(Some(n as u64))
            }
        }
    }
}

/// Turns what the user wrote into a canonical feed location, naming the key on error.
fn feed_url(ctx: &Ctx<'_>, key: &str, raw: &Spanned<String>) -> Result<String, ConfigError> {
    feed_location(raw.get_ref(), &ctx.base_dir).map_err(|why| {
        ctx.err(
            raw.span(),
            format!("{key}.url = {:?}: {why}", raw.get_ref()),
        )
    })
}

/// The canonical location of a feed as a config file in `base_dir` reads it, or why it is
/// none. `http(s)://` and `file://` URLs are checked; a path (absolute, `~/`, or relative to
/// `base_dir`) becomes a `file://` URL. Feeds are known by this form everywhere.
pub fn feed_location(text: &str, base_dir: &Path) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("the URL is empty".into());
    }
    // anything with a scheme is a URL (a lone letter is a Windows drive, not a scheme)
    let has_scheme = text.contains("://")
        || text.starts_with("file:")
        || url::Url::parse(text).is_ok_and(|u| u.scheme().len() > 1);
    if has_scheme {
        let url = url::Url::parse(text).map_err(|e| format!("not a valid URL ({e})"))?;
        return match url.scheme() {
            "http" | "https" => {
                if url.host_str().is_none_or(str::is_empty) {
                    Err("the URL has no host".into())
                } else {
                    Ok(url.to_string())
                }
            }
            "file" => Ok(url.to_string()),
            other => Err(format!(
                "unsupported scheme `{other}` (use http://, https://, file:// or a path)"
            )),
        };
    }
    let looks_like_path = text.starts_with('/')
        || text.starts_with("./")
        || text.starts_with("../")
        || text.starts_with("~/");
    if !looks_like_path {
        return Err(
            "not a URL: write http:// or https://, or a path starting with /, ./, ../ or ~/ for a saved feed".into(),
        );
    }
    let path = resolve_path(base_dir, text);
    let absolute = std::path::absolute(&path).map_err(|e| format!("bad path: {e}"))?;
    url::Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .map_err(|()| "cannot turn this path into a file URL".into())
}

/// `~/x` is under the home directory; a relative path is under `base_dir` (the config file's
/// folder).
pub fn resolve_path(base_dir: &Path, text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf())
    {
        return home.join(rest);
    }
    let p = PathBuf::from(text);
    if p.is_absolute() { p } else { base_dir.join(p) }
}
