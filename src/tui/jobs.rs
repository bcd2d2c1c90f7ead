//! Running the jobs `App::update` asks for, off the UI loop: a database worker thread (its own
//! connection), a render worker thread (latest request wins), and tasks on the async runtime
//! for network work. Every answer comes back as a `Msg` carrying owned data.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Instant, SystemTime};

use tokio::sync::mpsc::UnboundedSender;

use super::app::RELATED_LIMIT;
use super::event::{Job, Msg};
use crate::config::Config;
use crate::feed::Fetcher;
use crate::store::{Article, ArticleId, Store};
use crate::text::{Mode, page::article_page};

/// Work for the database thread.
enum DbJob {
    Run(Job),
    SaveFullText {
        id: ArticleId,
        outcome: Result<String, String>,
    },
    /// The reader is quitting: close the cache, saying how it goes (see `Executor::close`).
    Close(mpsc::Sender<Closing>),
}

/// The database thread's answers to `DbJob::Close`.
#[derive(Debug, PartialEq)]
enum Closing {
    /// A "mark read" is still going on: it is finished first.
    Finishing,
    Closed,
}

/// The config as the reader last read it: refreshes take their feeds from it, and the
/// database thread reads the file again when it changes (`byline add` while the reader is
/// open), off the UI loop.
struct Watched {
    config: Arc<Config>,
    /// The config file's modification time when last read.
    modified: Option<SystemTime>,
    /// When due feeds were last looked for.
    last_due_check: Option<Instant>,
}

type SharedConfig = Arc<Mutex<Watched>>;

fn lock(watched: &Mutex<Watched>) -> MutexGuard<'_, Watched> {
    watched.lock().unwrap_or_else(PoisonError::into_inner)
}

pub struct Executor {
    db: mpsc::Sender<DbJob>,
    render: mpsc::Sender<(Arc<Article>, u16)>,
    msgs: UnboundedSender<Msg>,
    runtime: tokio::runtime::Handle,
    watched: SharedConfig,
    cache: std::path::PathBuf,
    fetcher: Option<Fetcher>,
    refreshing: Arc<AtomicBool>,
}

impl Executor {
    /// Starts the workers. The database worker takes `store`.
    pub fn start(
        store: Store,
        config: Arc<Config>,
        cache: std::path::PathBuf,
        msgs: UnboundedSender<Msg>,
        runtime: tokio::runtime::Handle,
    ) -> Executor {
        // from now on, writes by other processes show (see `Job::CheckCache`)
        let mut store = store;
        let _ = store.changed_elsewhere();
        let watched = Arc::new(Mutex::new(Watched {
            modified: config_file(&config).and_then(|p| modified(&p)),
            config: config.clone(),
            last_due_check: None,
        }));
        let (db, db_rx) = mpsc::channel::<DbJob>();
        let db_msgs = msgs.clone();
        let db_watched = watched.clone();
        std::thread::Builder::new()
            .name("byline-db".into())
            .spawn(move || db_worker(store, db_rx, db_msgs, db_watched))
            .ok();
        let (render, render_rx) = mpsc::channel::<(Arc<Article>, u16)>();
        let render_msgs = msgs.clone();
        std::thread::Builder::new()
            .name("byline-render".into())
            .spawn(move || render_worker(render_rx, render_msgs))
            .ok();
        let fetcher = match Fetcher::new(&config.fetch) {
            Ok(f) => Some(f),
            Err(e) => {
                let _ = msgs.send(Msg::Error(format!("network unavailable: {e}")));
                None
            }
        };
        // the clock of background work: due refreshes, changes made by other processes
        let tick_msgs = msgs.clone();
        runtime.spawn(async move {
            let mut ticks = tokio::time::interval(TICK);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                if tick_msgs.send(Msg::Tick).is_err() {
                    break;
                }
            }
        });
        Executor {
            db,
            render,
            msgs,
            runtime,
            watched,
            cache,
            fetcher,
            refreshing: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Closes the database thread's connection to the cache, waiting for its job in hand for
    /// up to `wait`. Closed, the last connection copies the write-ahead log into the cache and
    /// removes it; a process that just exits leaves it (up to 64 MiB after a big refresh) to
    /// be read through again by the next start, 0.1 s.
    ///
    /// A "mark read" still going on is finished first, for up to `MARKING_WAIT` more: what
    /// the user marked read stays read.
    pub fn close(self, wait: std::time::Duration) {
        let (closing, answers) = mpsc::channel();
        if self.db.send(DbJob::Close(closing)).is_err() {
            return;
        }
        let mut wait = wait;
        loop {
            match answers.recv_timeout(wait) {
                Ok(Closing::Finishing) => wait = MARKING_WAIT,
                Ok(Closing::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    tracing::warn!(
                        "quitting without closing the cache: the database thread is busy"
                    );
                    return;
                }
            }
        }
    }

    pub fn run(&self, job: Job) {
        match job {
            Job::Render { article, width } => {
                let _ = self.render.send((article, width));
            }
            Job::Refresh(None) => self.refresh(Scope::All),
            Job::Refresh(Some(feed)) => self.refresh(Scope::Feed(feed)),
            Job::RefreshDue => {
                // intervals are whole minutes: looking once a minute is enough, and spares
                // opening the cache at every tick
                {
                    let mut watched = lock(&self.watched);
                    if watched
                        .last_due_check
                        .is_some_and(|t| t.elapsed() < DUE_CHECK)
                    {
                        return;
                    }
                    watched.last_due_check = Some(Instant::now());
                }
                self.refresh(Scope::Due);
            }
            Job::FetchFullText { id, url } => {
                let Some(fetcher) = self.fetcher.clone() else {
                    return;
                };
                let db = self.db.clone();
                self.runtime.spawn(async move {
                    let outcome = crate::fulltext::fetch(&fetcher, &url).await;
                    let _ = db.send(DbJob::SaveFullText { id, outcome });
                });
            }
            Job::OpenUrl(url) => {
                let msgs = self.msgs.clone();
                std::thread::spawn(move || {
                    if let Err(e) = open_url(&url) {
                        let _ = msgs.send(Msg::Error(format!("cannot open the browser: {e}")));
                    }
                });
            }
            Job::Copy(text) => {
                // OSC 52: the terminal puts it on the clipboard (over SSH too).
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()));
                let _ = out.flush();
            }
            other => {
                let _ = self.db.send(DbJob::Run(other));
            }
        }
    }

    /// One refresh at a time, with its own connection to the cache.
    fn refresh(&self, scope: Scope) {
        if self.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let Some(fetcher) = self.fetcher.clone() else {
            self.refreshing.store(false, Ordering::SeqCst);
            return;
        };
        let msgs = self.msgs.clone();
        let config = lock(&self.watched).config.clone();
        let cache = self.cache.clone();
        let refreshing = self.refreshing.clone();
        self.runtime.spawn(async move {
            let result = async {
                let mut store = Store::open(&cache).map_err(|e| e.to_string())?;
                let feeds = match scope {
                    // In the background the config is not written to the cache: another
                    // process (`byline add`, then `byline refresh`) may know a newer one.
                    Scope::Due => {
                        let feeds = store.feeds().map_err(|e| e.to_string())?;
                        let due = due_feeds(&feeds, &config.feeds, crate::store::now());
                        if due.is_empty() {
                            return Ok(0);
                        }
                        feeds.into_iter().filter(|f| due.contains(&f.id)).collect()
                    }
                    Scope::All => store.sync_feeds(&config.feeds).map_err(|e| e.to_string())?,
                    Scope::Feed(id) => {
                        let mut feeds =
                            store.sync_feeds(&config.feeds).map_err(|e| e.to_string())?;
                        feeds.retain(|f| f.id == id);
                        feeds
                    }
                };
                let _ = msgs.send(Msg::RefreshStarted { total: feeds.len() });
                let reports = crate::refresh::run(&mut store, &feeds, &fetcher, |r| {
                    let _ = msgs.send(Msg::FeedRefreshed(r.clone()));
                })
                .await;
                crate::refresh::apply_retention(&mut store, &config.feeds, &reports);
                Ok::<usize, String>(reports.len())
            }
            .await;
            match result {
                // nothing was due: nothing to say
                Ok(0) if scope == Scope::Due => {}
                Ok(_) => {
                    let _ = msgs.send(Msg::RefreshFinished);
                }
                Err(e) => {
                    let _ = msgs.send(Msg::Error(format!("refresh failed: {e}")));
                    let _ = msgs.send(Msg::RefreshFinished);
                }
            }
            refreshing.store(false, Ordering::SeqCst);
        });
    }
}

/// The file the config comes from; for the built-in default, the user's config file, which
/// `byline add` or `config init` may create while the reader is open.
fn config_file(config: &Config) -> Option<std::path::PathBuf> {
    match &config.source {
        crate::config::ConfigSource::File(path) => Some(path.clone()),
        crate::config::ConfigSource::BuiltIn => crate::config::user_config_path(),
    }
}

/// When a file was last modified (None: no such file, or unreadable).
fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Reads the config file again if it changed since it was last read: None if it did not (or
/// is gone: what was read stays), else the new config, which is now the reader's, or why the
/// file cannot be read (the old config stays). Keys, theme and network settings stay as the
/// reader started.
fn reread_config(watched: &Mutex<Watched>) -> Option<Result<Arc<Config>, String>> {
    let (path, seen) = {
        let w = lock(watched);
        (config_file(&w.config)?, w.modified)
    };
    let now = modified(&path);
    if now == seen {
        return None;
    }
    // noted before reading: a broken file is reported once, not at every tick
    lock(watched).modified = now;
    now?;
    Some(match Config::from_file(&path) {
        Ok(new) => {
            let new = Arc::new(new);
            let mut w = lock(watched);
            w.config = new.clone();
            // a feed just added is due at once: look at the next tick, not in a minute
            w.last_due_check = None;
            Ok(new)
        }
        Err(e) => Err(e.to_string()),
    })
}

/// What another process changed: the config file (its feeds then take effect in the cache)
/// and the cache itself (`byline refresh` from cron). Either way, what is shown reloads.
fn outside_changes(
    store: &mut Store,
    watched: &Mutex<Watched>,
    msgs: &UnboundedSender<Msg>,
) -> Option<Msg> {
    let synced = match reread_config(watched) {
        None => false,
        Some(Ok(config)) => {
            let count = config.feeds.len();
            let _ = msgs.send(Msg::Info(format!("config read again: {count} feeds")));
            match store.sync_feeds(&config.feeds) {
                Ok(_) => true,
                Err(e) => return Some(Msg::Error(e.to_string())),
            }
        }
        Some(Err(e)) => {
            let _ = msgs.send(Msg::Error(format!("config not read again: {e}")));
            false
        }
    };
    match store.changed_elsewhere() {
        Ok(changed) => (synced || changed).then_some(Msg::CacheChanged),
        Err(e) => Some(Msg::Error(e.to_string())),
    }
}

/// Which feeds a refresh takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Feed(crate::store::FeedId),
    /// Those whose interval has passed since their last refresh.
    Due,
}

/// The feeds whose refresh interval has passed at `now` (unix seconds): never refreshed, or
/// refreshed at least their interval ago. Feeds without an interval are refreshed by hand.
pub fn due_feeds(
    feeds: &[crate::store::FeedRow],
    specs: &[crate::config::FeedSpec],
    now: i64,
) -> Vec<crate::store::FeedId> {
    feeds
        .iter()
        .filter(|f| {
            let Some(spec) = specs.iter().find(|s| s.url == f.url) else {
                return false;
            };
            let Some(interval) = spec.refresh_interval else {
                return false;
            };
            f.last_refresh
                .is_none_or(|t| now.saturating_sub(t) >= interval.as_secs() as i64)
        })
        .map(|f| f.id)
        .collect()
}

/// How often the reader looks for outside changes (and, at most every `DUE_CHECK`, for due
/// feeds).
pub const TICK: std::time::Duration = std::time::Duration::from_secs(5);
const DUE_CHECK: std::time::Duration = std::time::Duration::from_secs(60);

/// The feeds with their counts, and the unread copies that lists across feeds leave out.
fn feeds_loaded(store: &Store) -> crate::store::Result<Msg> {
    Ok(Msg::FeedsLoaded(store.feeds()?, store.hidden_unread()?))
}

/// Runs a database job and returns its answer, if it has one. Also used at start-up,
/// synchronously, so the first frame already shows the list.
pub fn db_answer(store: &mut Store, job: Job) -> Option<Msg> {
    let started = std::time::Instant::now();
    let kind = job.kind();
    let answer = match job {
        Job::LoadFeeds => feeds_loaded(store).map(Some),
        Job::LoadIds { seq, filter, rows } => store.list_ids(&filter).and_then(|ids| {
            let first: Vec<ArticleId> = ids.iter().take(rows).map(|(id, _)| *id).collect();
            Ok(Some(Msg::IdsLoaded {
                seq,
                complete: filter.limit.is_none(),
                rows: store.rows(&first)?,
                ids,
            }))
        }),
        Job::LoadRows(ids) => store.rows(&ids).map(|rows| Some(Msg::RowsLoaded(rows))),
        Job::LoadArticle(id) => store.article(id).map(|a| {
            Some(match a {
                Some(a) => Msg::ArticleLoaded(Arc::new(a)),
                None => Msg::Error(format!("article {} is no longer in the cache", id.0)),
            })
        }),
        Job::LoadRelated(id) => crate::related::for_article(store, id, RELATED_LIMIT)
            .map(|items| Some(Msg::RelatedLoaded { id, items })),
        // a story in several feeds is read in all of them: their counts change too
        Job::SetRead { id, read } => store.set_read(id, read).and_then(|()| {
            if store.has_copies(id)? {
                feeds_loaded(store).map(Some)
            } else {
                Ok(None)
            }
        }),
        Job::SetStarred { id, starred } => store.set_starred(id, starred).map(|()| None),
        // (`db_worker` runs marking read, in steps, and CheckCache itself; the rest are not
        // database jobs)
        other => {
            tracing::error!("not a database job: {other:?}");
            Ok(None)
        }
    };
    tracing::trace!(
        elapsed_us = started.elapsed().as_micros() as u64,
        kind,
        "db job"
    );
    answer.unwrap_or_else(|e| Some(Msg::Error(e.to_string())))
}

/// How long quitting waits for a "mark read" in progress to finish: 50,000 articles take
/// about 2.5 s.
const MARKING_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Articles marked read per transaction when a whole feed, or everything, is: about 50 ms of
/// work on a big cache, so the reader's other jobs wait at most that long.
const MARK_STEP: usize = 1000;

/// A "mark read" in progress: a feed's articles or every subscribed feed's, up to the last
/// one stored when the user asked.
struct Marking {
    feed: Option<crate::store::FeedId>,
    ceiling: ArticleId,
}

/// Starts marking `feed` (None: everything) read.
fn start_marking(
    store: &Store,
    feed: Option<crate::store::FeedId>,
    marking: &mut std::collections::VecDeque<Marking>,
) -> Vec<Msg> {
    match store.last_article_id() {
        Ok(ceiling) => {
            marking.push_back(Marking { feed, ceiling });
            Vec::new()
        }
        Err(e) => marking_failed(e, marking),
    }
}

/// A marking that failed: say so and, once no other marking is going on, have the reader
/// load what the cache holds. It showed everything read as soon as the user asked.
fn marking_failed(
    e: impl std::fmt::Display,
    marking: &std::collections::VecDeque<Marking>,
) -> Vec<Msg> {
    let mut msgs = vec![Msg::Error(format!("cannot mark articles read: {e}"))];
    if marking.is_empty() {
        msgs.push(Msg::MarkedRead);
    }
    msgs
}

/// One step (`MARK_STEP` articles) of the first marking in hand; `MarkedRead` once the last
/// one is done.
fn mark_step(store: &mut Store, marking: &mut std::collections::VecDeque<Marking>) -> Vec<Msg> {
    let Some(m) = marking.front() else {
        return Vec::new();
    };
    let started = Instant::now();
    let result = store.mark_read_batch(m.feed, m.ceiling, Some(MARK_STEP));
    tracing::trace!(
        elapsed_us = started.elapsed().as_micros() as u64,
        marked = result.as_ref().ok(),
        "mark read step"
    );
    if matches!(result, Ok(n) if n >= MARK_STEP) {
        return Vec::new();
    }
    marking.pop_front();
    match result {
        Err(e) => marking_failed(e, marking),
        Ok(_) if marking.is_empty() => vec![Msg::MarkedRead],
        Ok(_) => Vec::new(),
    }
}

fn db_worker(
    mut store: Store,
    jobs: mpsc::Receiver<DbJob>,
    msgs: UnboundedSender<Msg>,
    watched: SharedConfig,
) {
    let mut marking = std::collections::VecDeque::new();
    loop {
        // Marking many articles read goes a step at a time, and only while no other job
        // waits: opening an article right after "mark everything read" is not held up.
        let job = if marking.is_empty() {
            match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        } else {
            match jobs.try_recv() {
                Ok(job) => job,
                Err(mpsc::TryRecvError::Empty) => {
                    for msg in mark_step(&mut store, &mut marking) {
                        if msgs.send(msg).is_err() {
                            return;
                        }
                    }
                    continue;
                }
                Err(mpsc::TryRecvError::Disconnected) => return,
            }
        };
        let answers: Vec<Msg> = match job {
            DbJob::Close(closing) => {
                // finish what the user marked read, still a step per transaction: should the
                // process end first, the steps done stay
                if !marking.is_empty() {
                    let _ = closing.send(Closing::Finishing);
                }
                while !marking.is_empty() {
                    // (no one is left to tell but the log)
                    for msg in mark_step(&mut store, &mut marking) {
                        if let Msg::Error(e) = msg {
                            tracing::warn!("{e}");
                        }
                    }
                }
                drop(store);
                let _ = closing.send(Closing::Closed);
                return;
            }
            DbJob::Run(Job::MarkAllRead) => start_marking(&store, None, &mut marking),
            DbJob::Run(Job::MarkFeedRead(feed)) => start_marking(&store, Some(feed), &mut marking),
            DbJob::Run(Job::CheckCache) => outside_changes(&mut store, &watched, &msgs)
                .into_iter()
                .collect(),
            DbJob::Run(job) => db_answer(&mut store, job).into_iter().collect(),
            DbJob::SaveFullText { id, outcome } => {
                let saved = store.save_full_text(id, outcome.as_deref().map_err(String::as_str));
                match saved.and_then(|()| store.article(id)) {
                    Ok(Some(a)) => vec![Msg::ArticleLoaded(Arc::new(a))],
                    Ok(None) => Vec::new(),
                    Err(e) => vec![Msg::Error(e.to_string())],
                }
            }
        };
        for msg in answers {
            if msgs.send(msg).is_err() {
                return;
            }
        }
    }
}

fn render_worker(requests: mpsc::Receiver<(Arc<Article>, u16)>, msgs: UnboundedSender<Msg>) {
    while let Ok(mut request) = requests.recv() {
        // A burst (resizing, moving fast): only the latest request matters.
        while let Ok(newer) = requests.try_recv() {
            request = newer;
        }
        let (article, width) = request;
        let rendered = article_page(&article, usize::from(width), Mode::Styled);
        let msg = Msg::Rendered {
            id: article.row.id,
            width,
            rendered: Arc::new(rendered),
        };
        if msgs.send(msg).is_err() {
            return;
        }
    }
}

/// Opens a URL without a shell: `$BROWSER` (a program and its arguments, split on spaces)
/// with the URL as one more argument, else the platform's opener.
pub fn open_url(url: &str) -> std::io::Result<()> {
    open_url_with(url, std::env::var_os("BROWSER").as_deref())
}

/// `open_url` with the `$BROWSER` setting given.
pub fn open_url_with(url: &str, browser: Option<&std::ffi::OsStr>) -> std::io::Result<()> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(std::io::Error::other(format!("not a web address: {url}")));
    }
    if let Some(browser) = browser.filter(|b| !b.is_empty()) {
        let browser = browser.to_string_lossy().to_string();
        let mut parts = browser.split_whitespace();
        if let Some(program) = parts.next() {
            let mut child = std::process::Command::new(program)
                .args(parts)
                .arg(url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()?;
            let _ = child.wait();
            return Ok(());
        }
    }
    open::that_detached(url)
}

/// Standard base64, for OSC 52.
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(
            super::base64(b"https://x.test/a"),
            "aHR0cHM6Ly94LnRlc3QvYQ=="
        );
    }

    use super::*;
    use crate::config::FeedSpec;
    use crate::store::FeedId;

    /// A cache file of one feed with `2 * MARK_STEP + 500` unread articles, the id of the
    /// newest, and a database thread on it, its first jobs queued before it starts (so the
    /// order it answers in is its own choice).
    fn worker_on_unread_cache(
        path: &std::path::Path,
        first_jobs: impl FnOnce(ArticleId) -> Vec<DbJob>,
    ) -> (
        ArticleId,
        mpsc::Sender<DbJob>,
        tokio::sync::mpsc::UnboundedReceiver<Msg>,
        std::thread::JoinHandle<()>,
    ) {
        let mut store = Store::open(path).expect("store");
        let feeds = store
            .sync_feeds(&[FeedSpec::new("https://ex.test/feed")])
            .expect("sync");
        let articles: Vec<crate::feed::NewArticle> = (0..2 * MARK_STEP + 500)
            .map(|i| crate::feed::NewArticle {
                key: i.to_string(),
                url: None,
                title: format!("Story {i}"),
                author: None,
                published: Some(1_700_000_000 + i as i64),
                updated: None,
                categories: Vec::new(),
                summary_html: None,
                content_html: Some(format!("<p>story {i}</p>")),
            })
            .collect();
        store
            .upsert_feed(feeds[0].id, &crate::store::FeedMeta::default(), &articles)
            .expect("upsert");
        let newest = store.last_article_id().expect("last");
        let config = Config::parse(
            "[[feeds]]\nurl = \"https://ex.test/feed\"\n",
            crate::config::ConfigSource::File("/nonexistent/byline-test.toml".into()),
        )
        .expect("config");
        let watched = Arc::new(Mutex::new(Watched {
            config: Arc::new(config),
            modified: None,
            last_due_check: None,
        }));
        let (jobs, jobs_rx) = mpsc::channel();
        let (msgs, msgs_rx) = tokio::sync::mpsc::unbounded_channel();
        for job in first_jobs(newest) {
            jobs.send(job).expect("send");
        }
        let worker = std::thread::spawn(move || db_worker(store, jobs_rx, msgs, watched));
        (newest, jobs, msgs_rx, worker)
    }

    /// "Mark everything read" on a big cache goes in steps between the reader's other jobs:
    /// an article opened right after it is answered before the marking is done, and the
    /// reader is told when it is.
    #[test]
    fn marking_everything_read_lets_other_jobs_through() {
        let dir = tempfile::tempdir().expect("tmp");
        let (opened, jobs, mut msgs, worker) =
            worker_on_unread_cache(&dir.path().join("c.sqlite"), |newest| {
                vec![
                    DbJob::Run(Job::MarkAllRead),
                    DbJob::Run(Job::LoadArticle(newest)),
                ]
            });
        match msgs.blocking_recv() {
            Some(Msg::ArticleLoaded(a)) => {
                assert_eq!(a.row.id, opened);
                assert!(!a.row.read, "answered before the marking reached it");
            }
            other => panic!("expected the article first, got {other:?}"),
        }
        assert!(matches!(msgs.blocking_recv(), Some(Msg::MarkedRead)));
        jobs.send(DbJob::Run(Job::LoadFeeds)).expect("send");
        match msgs.blocking_recv() {
            Some(Msg::FeedsLoaded(f, _)) => {
                assert_eq!((f[0].article_count, f[0].unread_count), (2500, 0));
            }
            other => panic!("expected the feeds, got {other:?}"),
        }
        // nothing left to finish: closing says only that it has
        let (closing, answers) = mpsc::channel();
        jobs.send(DbJob::Close(closing)).expect("send");
        assert_eq!(answers.recv().ok(), Some(Closing::Closed));
        assert!(answers.recv().is_err(), "nothing more");
        worker.join().expect("worker");
    }

    /// "Mark everything read" failing part way (here a trigger refuses the newest 1,000):
    /// the reader hears why, then reloads, so it stops showing as read what is not.
    #[test]
    fn a_marking_that_fails_says_so_and_has_the_reader_reload() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.sqlite");
        let (_, jobs, mut msgs, worker) = worker_on_unread_cache(&path, |_| Vec::new());
        rusqlite::Connection::open(&path)
            .expect("second connection")
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE UPDATE OF read ON articles WHEN new.id > 1500
                 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
            )
            .expect("trigger");
        jobs.send(DbJob::Run(Job::MarkAllRead)).expect("send");
        match msgs.blocking_recv() {
            Some(Msg::Error(e)) => {
                assert!(e.contains("cannot mark articles read"), "{e}");
                assert!(e.contains("disk on fire"), "{e}");
            }
            other => panic!("expected the error, got {other:?}"),
        }
        // (polled, so that a reload never sent fails the test rather than hangs it)
        let deadline = Instant::now() + std::time::Duration::from_secs(10);
        let reload = loop {
            match msgs.try_recv() {
                Ok(msg) => break Some(msg),
                Err(_) if Instant::now() > deadline => break None,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        };
        assert!(matches!(reload, Some(Msg::MarkedRead)), "{reload:?}");
        jobs.send(DbJob::Run(Job::LoadFeeds)).expect("send");
        match msgs.blocking_recv() {
            Some(Msg::FeedsLoaded(f, _)) => assert!(f[0].unread_count >= 1000, "{f:?}"),
            other => panic!("expected the feeds, got {other:?}"),
        }
        drop(jobs);
        worker.join().expect("worker");
    }

    /// Quitting in the middle of "mark everything read": the database thread says it is
    /// finishing, finishes, then closes; the cache, opened again, has nothing unread.
    #[test]
    fn quitting_finishes_marking_read_first() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("c.sqlite");
        let (closing, answers) = mpsc::channel();
        let (_, _jobs, _msgs, worker) = worker_on_unread_cache(&path, |_| {
            vec![DbJob::Run(Job::MarkAllRead), DbJob::Close(closing)]
        });
        assert_eq!(answers.recv().ok(), Some(Closing::Finishing));
        assert_eq!(answers.recv().ok(), Some(Closing::Closed));
        worker.join().expect("worker");
        let store = Store::open(&path).expect("reopen");
        let feeds = store.feeds().expect("feeds");
        assert_eq!((feeds[0].article_count, feeds[0].unread_count), (2500, 0));
    }

    #[test]
    fn due_feeds_are_those_whose_interval_has_passed() {
        let minute = std::time::Duration::from_secs(60);
        let specs = vec![
            FeedSpec {
                refresh_interval: Some(minute),
                ..FeedSpec::new("https://ex.test/feed1")
            },
            FeedSpec {
                refresh_interval: None,
                ..FeedSpec::new("https://ex.test/feed2")
            },
            FeedSpec {
                refresh_interval: Some(minute),
                ..FeedSpec::new("https://ex.test/feed3")
            },
        ];
        let mut feeds: Vec<_> = (1..=4)
            .map(|i| super::super::app::tests::feed(i, &format!("F{i}")))
            .collect();
        let now = 1_000_000;
        feeds[0].last_refresh = Some(now - 60); // a minute ago: due
        feeds[1].last_refresh = None; // by hand only
        feeds[2].last_refresh = Some(now - 59); // not yet
        // feeds[3] is not in the config
        assert_eq!(due_feeds(&feeds, &specs, now), [FeedId(1)]);
        feeds[2].last_refresh = None; // never refreshed: due
        assert_eq!(due_feeds(&feeds, &specs, now), [FeedId(1), FeedId(3)]);
    }

    /// Reading a story that other feeds carry too changes their counts: the answer is the
    /// feeds again. Reading any other article needs no answer.
    #[test]
    fn reading_a_story_in_several_feeds_reloads_the_counts() {
        use crate::store::tests::{store_following, story};
        let (mut store, feeds) = store_following(&["a", "b"]);
        let meta = crate::store::FeedMeta::default();
        store
            .upsert_feed(feeds[0].id, &meta, &[story("a1", "s", "Shared", 1)])
            .expect("a");
        let b = [story("b1", "s", "Shared", 1), story("b2", "o", "Own", 2)];
        store.upsert_feed(feeds[1].id, &meta, &b).expect("b");
        let ids = store.list_ids(&Default::default()).expect("ids");
        assert_eq!(ids.len(), 2, "the shared story once: {ids:?}");
        let (own, shared) = (ids[0].0, ids[1].0);
        let read = |id| Job::SetRead { id, read: true };
        match db_answer(&mut store, read(shared)) {
            Some(Msg::FeedsLoaded(f, hidden)) => {
                assert_eq!((f[0].unread_count, f[1].unread_count, hidden), (0, 1, 0));
            }
            other => panic!("expected the feeds, got {other:?}"),
        }
        assert!(db_answer(&mut store, read(own)).is_none());
    }
}
