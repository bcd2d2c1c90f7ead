//! Fetch -> parse -> store for many feeds at once, one [`FeedReport`] per feed.
//!
//! Fetching and parsing run concurrently (at most N in flight, at most M per host); each
//! feed's articles are stored in one transaction as soon as that feed is done. The CLI and
//! the TUI share this.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::config::FeedSpec;
use crate::feed::{self, FetchOutcome, Fetcher, ParsedFeed, Validators};
use crate::store::prepare::{self, Prepared};
use crate::store::{ArticleId, FeedId, FeedMeta, FeedRow, FeedUpdate, PruneScope, Store};
use crate::text::sanitize_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NotModified,
    Error,
}

/// The outcome of refreshing one feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedReport {
    pub feed_id: FeedId,
    pub name: String,
    pub url: String,
    pub status: Status,
    pub new: usize,
    pub updated: usize,
    /// Article pages fetched for their full text (feeds with `full_text = true`), and failures.
    pub full_text: usize,
    pub full_text_failed: usize,
    /// Why it failed, in words a user understands.
    pub error: Option<String>,
    /// A problem that did not stop the feed from being read (repaired XML).
    pub warning: Option<String>,
    pub elapsed: Duration,
}

/// What a fetch-and-parse task hands back to the writer.
enum Fetched {
    NotModified,
    Parsed {
        parsed: ParsedFeed,
        /// The entries, with what the store keeps derived from them (`store::prepare`).
        prepared: Vec<Prepared>,
        validators: Validators,
    },
    Failed(String),
}

/// What a finished task hands back to the writer.
enum Done {
    Feed {
        index: usize,
        fetched: Fetched,
        elapsed: Duration,
        /// Held until the feed is written: bounds the parsed feeds waiting for the writer.
        _waiting: Option<tokio::sync::OwnedSemaphorePermit>,
    },
    Page {
        index: usize,
        article: ArticleId,
        outcome: Result<String, String>,
    },
}

/// Concurrency limits shared by every request of one refresh: N in all, M per host, and N
/// parsed feeds waiting to be written (so a slow writer does not let them pile up in memory),
/// and as many feeds parsed at once as there are cores.
struct Limits {
    total: Arc<Semaphore>,
    waiting: Arc<Semaphore>,
    cpu: Arc<Semaphore>,
    per_host: HashMap<String, Arc<Semaphore>>,
    per_host_limit: usize,
}

impl Limits {
    fn host(&mut self, url: &str) -> Arc<Semaphore> {
        let limit = self.per_host_limit;
        self.per_host
            .entry(host_key(url))
            .or_insert_with(|| Arc::new(Semaphore::new(limit)))
            .clone()
    }
}

/// Feeds parsed at once: one per core.
fn parse_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Lets each refreshed feed's old articles go, as its retention says (see
/// `store::retention`). A failure is logged: it never fails the refresh.
pub fn apply_retention(store: &mut Store, specs: &[FeedSpec], reports: &[FeedReport]) -> usize {
    let by_url: HashMap<&str, &FeedSpec> = specs.iter().map(|s| (s.url.as_str(), s)).collect();
    let mut pruned = 0;
    for report in reports.iter().filter(|r| r.status != Status::Error) {
        let Some(spec) = by_url.get(report.url.as_str()) else {
            continue;
        };
        match store.prune(report.feed_id, spec.retention, PruneScope::default()) {
            Ok(n) => pruned += n,
            Err(e) => tracing::warn!(feed = %report.url, "retention: {e}"),
        }
    }
    pruned
}

/// Refreshes `feeds`, calling `on_report` as each one finishes (in completion order).
/// Returns the reports in the order of `feeds`.
pub async fn run(
    store: &mut Store,
    feeds: &[FeedRow],
    fetcher: &Fetcher,
    mut on_report: impl FnMut(&FeedReport),
) -> Vec<FeedReport> {
    let settings = fetcher.settings().clone();
    let mut limits = Limits {
        total: Arc::new(Semaphore::new(settings.concurrency.max(1))),
        waiting: Arc::new(Semaphore::new(settings.concurrency.max(1))),
        // Many requests wait on the network at once; parsing is CPU work, and more of it at
        // once than there are cores only makes every feed slower.
        cpu: Arc::new(Semaphore::new(parse_slots())),
        per_host: HashMap::new(),
        per_host_limit: settings.concurrency_per_host.max(1),
    };
    // Parse workers read what the cache holds through their own connections (None: a
    // private in-memory cache they cannot see).
    let cache =
        Some(std::path::PathBuf::from(store.path())).filter(|p| p.as_os_str() != ":memory:");
    let mut tasks: JoinSet<Done> = JoinSet::new();
    for (index, feed) in feeds.iter().enumerate() {
        let host = limits.host(&feed.url);
        let total = limits.total.clone();
        let waiting = limits.waiting.clone();
        let cpu = limits.cpu.clone();
        let fetcher = fetcher.clone();
        let url = feed.url.clone();
        let validators = feed.validators.clone();
        let cache = cache.clone();
        tasks.spawn(async move {
            // Host first: a feed waiting for its host must not hold one of the global slots.
            let host = host.acquire_owned().await;
            let slot = total.acquire_owned().await;
            let started = Instant::now();
            let limits = (waiting, cpu);
            let (fetched, permit) =
                fetch_and_parse(&fetcher, &url, &validators, cache, (host, slot), limits).await;
            Done::Feed {
                index,
                fetched,
                elapsed: started.elapsed(),
                _waiting: permit,
            }
        });
    }
    let mut reports: Vec<Option<FeedReport>> = vec![None; feeds.len()];
    // A feed's report waits for its article pages; these count what is still out.
    let mut pages_pending = vec![0usize; feeds.len()];
    let mut held: Vec<Option<FeedReport>> = vec![None; feeds.len()];
    while let Some(joined) = tasks.join_next().await {
        let done = match joined {
            Ok(done) => done,
            Err(e) => {
                tracing::error!("refresh task failed: {e}");
                continue;
            }
        };
        match done {
            Done::Feed {
                index,
                fetched,
                elapsed,
                _waiting,
            } => {
                let feed = &feeds[index];
                let report =
                    tokio::task::block_in_place(|| store_result(store, feed, fetched, elapsed));
                let pages = if feed.full_text && report.status == Status::Ok {
                    store
                        .articles_needing_full_text(feed.id)
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                if pages.is_empty() {
                    on_report(&report);
                    reports[index] = Some(report);
                    continue;
                }
                pages_pending[index] = pages.len();
                held[index] = Some(report);
                for (article, url) in pages {
                    let host = limits.host(&url);
                    let total = limits.total.clone();
                    let fetcher = fetcher.clone();
                    tasks.spawn(async move {
                        let _host = host.acquire_owned().await;
                        let _slot = total.acquire_owned().await;
                        let outcome = crate::fulltext::fetch(&fetcher, &url).await;
                        Done::Page {
                            index,
                            article,
                            outcome,
                        }
                    });
                }
            }
            Done::Page {
                index,
                article,
                outcome,
            } => {
                let saved = tokio::task::block_in_place(|| {
                    store.save_full_text(article, outcome.as_deref().map_err(String::as_str))
                });
                if let Some(report) = held[index].as_mut() {
                    match (&outcome, saved) {
                        (Ok(_), Ok(())) => report.full_text += 1,
                        (Err(why), _) => {
                            report.full_text_failed += 1;
                            tracing::info!(article = article.0, "full text failed: {why}");
                        }
                        (_, Err(e)) => {
                            report.full_text_failed += 1;
                            tracing::warn!(article = article.0, "could not save full text: {e}");
                        }
                    }
                }
                pages_pending[index] = pages_pending[index].saturating_sub(1);
                if pages_pending[index] == 0
                    && let Some(report) = held[index].take()
                {
                    on_report(&report);
                    reports[index] = Some(report);
                }
            }
        }
    }
    // What related stories need, kept up to date here rather than at query time.
    if reports
        .iter()
        .flatten()
        .any(|r| r.new > 0 || r.updated > 0 || r.full_text > 0)
        && let Err(e) = tokio::task::block_in_place(|| store.rebuild_term_stats())
    {
        tracing::warn!("could not update term statistics: {e}");
    }
    reports
        .into_iter()
        .zip(feeds)
        .map(|(r, feed)| {
            r.unwrap_or_else(|| FeedReport {
                feed_id: feed.id,
                name: feed.name.clone(),
                url: feed.url.clone(),
                status: Status::Error,
                new: 0,
                updated: 0,
                full_text: 0,
                full_text_failed: 0,
                error: Some("internal error: the refresh task stopped".into()),
                warning: None,
                elapsed: Duration::ZERO,
            })
        })
        .collect()
}

/// Fetches and parses one feed. `network` (its request slots) is let go once the body has a
/// place among the feeds waiting for the writer, so a feed waiting for a core does not hold
/// up another's download. The returned permit (of `waiting`) is to be held until the feed is
/// written.
async fn fetch_and_parse<N>(
    fetcher: &Fetcher,
    url: &str,
    validators: &Validators,
    cache: Option<std::path::PathBuf>,
    network: N,
    (waiting, cpu): (Arc<Semaphore>, Arc<Semaphore>),
) -> (Fetched, Option<tokio::sync::OwnedSemaphorePermit>) {
    let fetched = fetcher.fetch(url, validators, feed::FEED_ACCEPT).await;
    let body = match fetched {
        Ok(FetchOutcome::NotModified) => return (Fetched::NotModified, None),
        Ok(FetchOutcome::Body(b)) => b,
        Err(e) => return (Fetched::Failed(e.to_string()), None),
    };
    // a body is let go of its request slots only once it has a place in the writer's queue:
    // downloads must not run ahead of parsing into memory
    let permit = waiting.acquire_owned().await.ok();
    drop(network);
    let _cpu = cpu.acquire_owned().await.ok();
    // Parsing, and deriving what the store keeps, is CPU work: keep it off the async workers
    // (and off the single writer).
    let feed_url = url.to_string();
    let parsed = tokio::task::spawn_blocking(move || {
        crate::priority::background();
        let result = feed::parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url)
            .map(|mut parsed| {
                let articles = std::mem::take(&mut parsed.articles);
                let prepared = prepare::prepare_feed(cache.as_deref(), &feed_url, articles);
                (parsed, prepared)
            });
        (result, body.validators)
    })
    .await;
    let fetched = match parsed {
        Ok((Ok((parsed, prepared)), validators)) => Fetched::Parsed {
            parsed,
            prepared,
            validators,
        },
        Ok((Err(e), _)) => Fetched::Failed(e.to_string()),
        Err(_) => Fetched::Failed("the feed parser crashed on this document".into()),
    };
    (fetched, permit)
}

fn store_result(
    store: &mut Store,
    feed: &FeedRow,
    fetched: Fetched,
    elapsed: Duration,
) -> FeedReport {
    let mut report = FeedReport {
        feed_id: feed.id,
        name: feed.name.clone(),
        url: feed.url.clone(),
        status: Status::Ok,
        new: 0,
        updated: 0,
        full_text: 0,
        full_text_failed: 0,
        error: None,
        warning: None,
        elapsed,
    };
    let outcome = match fetched {
        Fetched::NotModified => {
            report.status = Status::NotModified;
            store.record_feed_update(feed.id, &FeedUpdate::NotModified)
        }
        Fetched::Failed(error) => {
            report.status = Status::Error;
            report.error = Some(sanitize_line(&error));
            store.record_feed_update(feed.id, &FeedUpdate::Failed { error })
        }
        Fetched::Parsed {
            parsed,
            prepared,
            validators,
        } => match &parsed.recovered {
            // A cut-off document: what it holds is incomplete, so store nothing and let the
            // next refresh fetch it whole (the validators are not saved).
            Some(r) if r.truncated => {
                let error = format!("{} (the feed was cut short; nothing stored)", r.error);
                report.status = Status::Error;
                report.error = Some(sanitize_line(&error));
                store.record_feed_update(feed.id, &FeedUpdate::Failed { error })
            }
            recovered => {
                report.warning = recovered
                    .as_ref()
                    .map(|r| sanitize_line(&format!("repaired broken XML: {}", r.error)));
                let meta = FeedMeta {
                    title: parsed.title.clone(),
                    site_url: parsed.site_url.clone(),
                    validators,
                };
                store
                    .upsert_prepared(feed.id, &meta, prepared)
                    .map(|counts| {
                        report.new = counts.new;
                        report.updated = counts.updated;
                    })
            }
        },
    };
    if let Err(e) = outcome {
        report.status = Status::Error;
        report.error = Some(sanitize_line(&format!("could not save to the cache: {e}")));
        report.new = 0;
        report.updated = 0;
    }
    // The name may have just been learnt from the feed's title.
    if let Ok(Some(row)) = store.feed(feed.id) {
        report.name = row.name;
    }
    tracing::info!(feed = %feed::redact_url(&feed.url), status = ?report.status, new = report.new,
        updated = report.updated, error = report.error.as_deref().unwrap_or(""), "refreshed");
    report
}

/// Feeds on one host share a concurrency limit; local files share one too.
fn host_key(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| "(local)".into())
}
