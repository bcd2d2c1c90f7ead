//! The command line: a contract that scripts and tests rely on.
//!
//! Exit codes: 0 success; 2 usage or config error; 3 refresh finished but a feed failed;
//! 1 anything else. Data goes to stdout, errors to stderr, and every string that came from
//! a feed passes through `text::sanitize` first.

mod feeds;
mod generate;
mod list;
mod maintain;
mod manage;
mod output;
mod refresh;
mod related;
mod search;
mod show;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError};
use crate::store::{Store, StoreError};

#[derive(Debug, Parser)]
#[command(name = "byline", version, about = "A fast terminal news reader", long_about = None)]
pub struct Cli {
    /// Config file (default: config.toml in your config directory, else MediaNama)
    #[arg(long, global = true, env = "BYLINE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Cache file (default: the config's `cache`, else cache.sqlite in your data directory)
    #[arg(long, global = true, env = "BYLINE_CACHE", value_name = "FILE")]
    pub cache: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch all feeds; one line per feed
    Refresh {
        /// Print a JSON array of {feed, status, new, updated, error}
        #[arg(long)]
        json: bool,
    },
    /// Feeds with article and unread counts, last refresh and last error
    Feeds {
        #[arg(long)]
        json: bool,
    },
    /// Articles, newest first
    List {
        /// Only this feed (its name as `feeds` shows it)
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
        /// Only unread articles
        #[arg(long)]
        unread: bool,
        /// Only starred articles
        #[arg(long)]
        starred: bool,
        /// At most N articles
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// One article as readable text
    Show {
        /// The article's id (from `list`)
        id: i64,
        /// Wrap at N columns (default: the terminal's width, else 80)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
        width: Option<u16>,
        /// Fetch the article's web page again (for summary-only feeds)
        #[arg(long)]
        refetch: bool,
    },
    /// Other cached stories about the same thing as article ID, with the reason
    Related {
        id: i64,
        /// At most N stories
        #[arg(long, value_name = "N", default_value_t = 8)]
        limit: usize,
        /// Print a JSON array of {id, title, feed, published, score, reasons}
        #[arg(long)]
        json: bool,
    },
    /// Search the whole cache: words (all must appear), "phrases", prefix*, OR, NOT
    Search {
        query: String,
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
        /// Print the `list` objects plus score and snippet
        #[arg(long)]
        json: bool,
    },
    /// Add a feed to the config: a feed's URL, or a web page that announces one
    Add {
        url: String,
        /// The name shown (default: the feed's own title)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// A tag of your own (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Take a feed out of the config (its name, or its URL)
    Remove { name: String },
    /// Add the feeds of an OPML file to the config (folders become tags)
    Import {
        #[arg(value_name = "FILE.opml")]
        file: PathBuf,
    },
    /// Write the config's feeds as OPML 2.0 to stdout (tags as categories)
    Export,
    /// Mark articles read: by id, a whole feed, or everything
    MarkRead {
        /// Article ids (from `list`)
        ids: Vec<i64>,
        /// Every article of this feed
        #[arg(long, value_name = "NAME", conflicts_with = "ids")]
        feed: Option<String>,
        /// Every article
        #[arg(long, conflicts_with_all = ["ids", "feed"])]
        all: bool,
    },
    /// Let old articles go as each feed's retention says, delete feeds no longer in the
    /// config, and compact the cache
    Vacuum {
        /// Old unread articles go too
        #[arg(long)]
        unread: bool,
        /// Old starred articles go too
        #[arg(long)]
        starred: bool,
    },
    /// The config file
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): byline man | man -l -
    Man,
    /// Check the cache; if it is corrupt, move it aside (renamed, not deleted) so the next
    /// run starts a new one
    RepairCache,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the commented example config (every key, its default) to your config
    /// directory, or to --config FILE; never over an existing file
    Init,
    /// Print which config file is read
    Path,
}

/// An error that ends the command, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::new(2, format!("config: {e}"))
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::new(1, e.to_string())
    }
}

/// Parses the command line, runs the command, and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("byline: {}", crate::text::sanitize(&f.message));
            ExitCode::from(f.code)
        }
    }
}

pub fn run(cli: Cli) -> Result<u8, Failure> {
    let Cli {
        config: config_arg,
        cache,
        command,
    } = cli;
    // Each command loads what it needs, no more: a broken config must not stop `config init`,
    // an edit checks the file itself, and only the commands that read articles open the cache.
    let config = || Config::load(config_arg.as_deref());
    let config_file = || manage::config_path(config_arg.as_deref());
    let open = |cache| Context::open(config()?, cache);
    let Some(command) = command else {
        return reader(open(cache)?);
    };
    match command {
        Command::Completions { shell } => generate::completions(shell),
        Command::Man => generate::man(),
        Command::Config { action } => generate::config(&action, config_arg.as_deref()),
        Command::Remove { name } => manage::remove(&config_file()?, &name, |name| {
            feed_url_in_cache(config_arg.as_deref(), cache.clone(), name)
        }),
        Command::Import { file } => manage::import(&config_file()?, &file),
        Command::Add { url, name, tags } => {
            manage::add(&config_file()?, &url, name.as_deref(), &tags)
        }
        Command::RepairCache => repair(&config()?, cache),
        Command::Refresh { json } => refresh::run(&mut open(cache)?, json),
        Command::Feeds { json } => feeds::run(&mut open(cache)?, json),
        Command::List {
            feed,
            unread,
            starred,
            limit,
            json,
        } => list::run(
            &mut open(cache)?,
            feed.as_deref(),
            unread,
            starred,
            limit,
            json,
        ),
        Command::Show { id, width, refetch } => show::run(&mut open(cache)?, id, width, refetch),
        Command::Related { id, limit, json } => related::run(&mut open(cache)?, id, limit, json),
        Command::Search { query, limit, json } => {
            search::run(&mut open(cache)?, &query, limit, json)
        }
        Command::Export => manage::export(&mut open(cache)?),
        Command::MarkRead { ids, feed, all } => {
            maintain::mark_read(&mut open(cache)?, &ids, feed.as_deref(), all)
        }
        Command::Vacuum { unread, starred } => maintain::vacuum(&mut open(cache)?, unread, starred),
    }
}

/// `byline repair-cache`: the one way a cache is ever moved aside.
fn repair(config: &Config, cache: Option<PathBuf>) -> Result<u8, Failure> {
    let path =
        crate::store::resolve_path(cache.as_deref(), config.cache.as_deref()).ok_or_else(|| {
            Failure::new(
                1,
                "cannot find a data directory for the cache; pass --cache FILE",
            )
        })?;
    let message = match crate::store::repair_cache(&path)? {
        crate::store::Repair::Healthy => {
            format!("the cache {} is healthy: nothing to do", path.display())
        }
        crate::store::Repair::Missing => {
            format!("there is no cache at {}: nothing to do", path.display())
        }
        crate::store::Repair::MovedAside(to) => format!(
            "the cache {} was corrupt: moved aside to {}; the next run starts a new one",
            path.display(),
            to.display()
        ),
    };
    output::write_stdout(&format!("{message}\n"))?;
    Ok(0)
}

/// The URL of the feed the cache knows by `name` (its title, or as `feeds` shows it), for
/// `remove` given a name the config does not hold. None without a config or a cache to ask.
fn feed_url_in_cache(
    config_arg: Option<&Path>,
    cache: Option<PathBuf>,
    name: &str,
) -> Result<Option<String>, Failure> {
    let Ok(config) = Config::load(config_arg) else {
        return Ok(None);
    };
    let exists = crate::store::resolve_path(cache.as_deref(), config.cache.as_deref())
        .is_some_and(|p| p.exists());
    if !exists {
        return Ok(None);
    }
    let ctx = Context::open(config, cache)?;
    let feeds = ctx.store.feeds()?;
    Ok(find_feed(&feeds, name)?.map(|f| f.url.clone()))
}

/// `byline` with no command: the reader, when there is a terminal to draw it on.
fn reader(ctx: Context) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            2,
            "the reader needs a terminal; for scripts use a command: byline refresh, list, show (see --help)",
        ));
    }
    crate::tui::run(ctx.config, ctx.store, ctx.cache).map_err(|e| Failure::new(1, e))?;
    Ok(0)
}

/// What every command needs: the config and the cache, with the feeds in step.
pub struct Context {
    pub config: Config,
    pub store: Store,
    pub cache: PathBuf,
    /// The config's feeds, in its order, as the cache holds them when the command starts
    /// (bringing the cache in step reads them anyway).
    pub feeds: Vec<crate::store::FeedRow>,
}

impl Context {
    pub fn open(config: Config, cache: Option<PathBuf>) -> Result<Context, Failure> {
        let path = crate::store::resolve_path(cache.as_deref(), config.cache.as_deref())
            .ok_or_else(|| {
                Failure::new(
                    1,
                    "cannot find a data directory for the cache; pass --cache FILE",
                )
            })?;
        let mut store = Store::open(&path)?;
        let feeds = store.sync_feeds(&config.feeds)?;
        Ok(Context {
            config,
            store,
            cache: path,
            feeds,
        })
    }

    /// The feed a person named: as `feeds` shows it, or its URL; else its name (in any case),
    /// if no other feed has it.
    pub fn feed_named(&self, name: &str) -> Result<crate::store::FeedId, Failure> {
        let feeds = self.store.feeds()?;
        match find_feed(&feeds, name)? {
            Some(f) => Ok(f.id),
            None => {
                let known: Vec<String> = feeds
                    .iter()
                    .map(|f| crate::text::sanitize_line(&f.shown_name()))
                    .collect();
                Err(Failure::new(
                    2,
                    format!("no feed named {name:?} (feeds: {})", known.join(", ")),
                ))
            }
        }
    }

    /// Names the rows' feeds as `feeds` shows them: feeds of the same name told apart.
    pub fn name_feeds_as_shown<'a>(
        &self,
        rows: impl IntoIterator<Item = &'a mut crate::store::ArticleRow>,
    ) {
        let shown: std::collections::HashMap<crate::store::FeedId, String> = self
            .feeds
            .iter()
            .filter(|f| f.apart.is_some())
            .map(|f| (f.id, f.shown_name()))
            .collect();
        if !shown.is_empty() {
            for r in rows {
                if let Some(name) = shown.get(&r.feed_id) {
                    r.feed.clone_from(name);
                }
            }
        }
    }
}

/// The feed of `feeds` a person named (see `Context::feed_named`), None if none is; a name
/// several feeds have is an error naming them.
pub fn find_feed<'a>(
    feeds: &'a [crate::store::FeedRow],
    name: &str,
) -> Result<Option<&'a crate::store::FeedRow>, Failure> {
    // as `feeds` shows it, or the URL: one feed at most
    if let Some(f) = feeds
        .iter()
        .find(|f| f.shown_name() == name || f.url == name)
    {
        return Ok(Some(f));
    }
    // the name alone, in any case: feeds of the same name are told apart, not guessed
    let matching: Vec<&crate::store::FeedRow> = feeds.iter().filter(|f| f.name == name).collect();
    let matching = if matching.is_empty() {
        feeds
            .iter()
            .filter(|f| {
                f.name.eq_ignore_ascii_case(name) || f.shown_name().eq_ignore_ascii_case(name)
            })
            .collect()
    } else {
        matching
    };
    match matching.as_slice() {
        [f] => Ok(Some(*f)),
        [] => Ok(None),
        several => {
            let names: Vec<String> = several
                .iter()
                .map(|f| format!("{:?}", crate::text::sanitize_line(&f.shown_name())))
                .collect();
            Err(Failure::new(
                2,
                format!(
                    "{} feeds are named {name:?}: say which ({}), or give them names in the config",
                    several.len(),
                    names.join(", ")
                ),
            ))
        }
    }
}
