//! The command line: a contract that scripts and tests rely on.
//!
//! Exit codes: 0 success; 2 usage or config error; 3 refresh finished but a feed failed;
//! 1 anything else. Data goes to stdout, errors to stderr, and every string that came from
//! a feed passes through `text::sanitize` first.

mod feeds;
mod list;
mod output;
mod refresh;
mod related;
mod search;
mod show;

use std::path::PathBuf;
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
    /// Check the cache; if it is corrupt, move it aside (renamed, not deleted) so the next
    /// run starts a new one
    RepairCache,
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
    let config = Config::load(cli.config.as_deref())?;
    if let Some(Command::RepairCache) = cli.command {
        return repair(&config, cli.cache);
    }
    let mut ctx = Context::open(config, cli.cache)?;
    let Some(command) = cli.command else {
        return reader(ctx);
    };
    match command {
        Command::Refresh { json } => refresh::run(&mut ctx, json),
        Command::Feeds { json } => feeds::run(&mut ctx, json),
        Command::List {
            feed,
            unread,
            starred,
            limit,
            json,
        } => list::run(&mut ctx, feed.as_deref(), unread, starred, limit, json),
        Command::Related { id, limit, json } => related::run(&mut ctx, id, limit, json),
        Command::Search { query, limit, json } => search::run(&mut ctx, &query, limit, json),
        Command::RepairCache => unreachable!("handled before the cache is opened"),
        Command::Show { id, width, refetch } => show::run(&mut ctx, id, width, refetch),
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
        store.sync_feeds(&config.feeds)?;
        Ok(Context {
            config,
            store,
            cache: path,
        })
    }
}
