//! The reader: three panes driven by the keyboard. The only module that knows the terminal.
//!
//! Shape (see ../shared/DESIGN.md): `App::update(msg)` is pure and returns jobs; jobs run off
//! the UI loop and answer with messages; drawing only reads state. The loop waits on
//! terminal events and job answers, drains the burst, then draws once.

pub mod app;
pub mod event;
mod input;
pub mod jobs;
pub mod layout;
pub mod style;
mod terminal;
pub mod ui;

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::StreamExt;
use ratatui::crossterm::event::EventStream;

use app::App;
use event::{Job, Msg};
use jobs::Executor;
use style::Palette;

use crate::config::Config;
use crate::store::Store;

/// Runs the reader until the user quits. The terminal is restored however it ends.
pub fn run(config: Config, mut store: Store, cache: PathBuf) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let palette = Palette::from_env(config.theme);
    let mut guard =
        terminal::enter(config.mouse).map_err(|e| format!("cannot use the terminal: {e}"))?;
    let size = guard
        .terminal
        .size()
        .map_err(|e| format!("cannot read the terminal size: {e}"))?;
    let mut app = App::new(config.keys.clone(), config.mouse, size.width, size.height);
    app.hyperlinks = config.hyperlinks;

    // The first frame comes from the cache at once: the list's own queries run right here.
    // (the whole list, which can be long, loads after the first frame)
    let mut pending: Vec<Job> = Vec::new();
    let mut first: std::collections::VecDeque<Job> = app.start(config.refresh_on_start).into();
    while let Some(job) = first.pop_front() {
        let now = match &job {
            Job::LoadFeeds | Job::LoadRows(_) => true,
            Job::LoadIds { filter, .. } => filter.limit.is_some(),
            _ => false,
        };
        if !now {
            pending.push(job);
        } else if let Some(msg) = jobs::db_answer(&mut store, job) {
            first.extend(app.update(msg));
        }
    }
    draw(&mut guard, &app, &palette)?;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Msg>();
    let config = Arc::new(config);
    let executor = Executor::start(store, config.clone(), cache, tx, runtime.handle().clone());
    for job in pending {
        executor.run(job);
    }
    let result = runtime.block_on(async {
        let mut events = EventStream::new();
        let mut last_key: Option<std::time::Instant> = None;
        loop {
            let msg = tokio::select! {
                event = events.next() => match event {
                    Some(Ok(e)) => input::to_msg(e),
                    Some(Err(e)) => return Err(format!("terminal input failed: {e}")),
                    None => return Ok(()),
                },
                Some(msg) = rx.recv() => Some(msg),
            };
            let Some(msg) = msg else { continue };
            // For `BYLINE_LOG=byline::tui=trace`: how long from the last key to each frame
            // it causes (its own, then those of the answers it asked for).
            let cause = msg_kind(&msg);
            if cause == "key" {
                last_key = Some(std::time::Instant::now());
            }
            for job in app.update(msg) {
                executor.run(job);
            }
            // drain whatever else arrived, then draw once
            while let Ok(msg) = rx.try_recv() {
                for job in app.update(msg) {
                    executor.run(job);
                }
            }
            if app.quit {
                return Ok(());
            }
            draw(&mut guard, &app, &palette)?;
            if let Some(at) = last_key {
                tracing::trace!(
                    since_key_us = at.elapsed().as_micros() as u64,
                    cause,
                    "frame"
                );
            }
        }
    });
    drop(guard);
    // Abandon in-flight network work (a stalled server) rather than wait for it; the
    // runtime's threads end, and with them the parse workers' read connections, so the
    // database thread's is the last to close (see `Executor::close`).
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    executor.close(std::time::Duration::from_secs(1));
    result
}

fn msg_kind(msg: &Msg) -> &'static str {
    match msg {
        Msg::Key(_) => "key",
        Msg::IdsLoaded { .. } => "ids",
        Msg::RowsLoaded(_) => "rows",
        Msg::ArticleLoaded(_) => "article",
        Msg::Rendered { .. } => "rendered",
        Msg::RelatedLoaded { .. } => "related",
        _ => "other",
    }
}

fn draw(guard: &mut terminal::Guard, app: &App, palette: &Palette) -> Result<(), String> {
    let started = std::time::Instant::now();
    let result = guard
        .terminal
        .draw(|frame| {
            ui::draw(frame, app, palette);
            panic_for_tests();
        })
        .map(|_| ())
        .map_err(|e| format!("cannot draw: {e}"));
    tracing::trace!(
        elapsed_us = started.elapsed().as_micros() as u64,
        "frame drawn"
    );
    result
}

/// Debug builds only, for the end-to-end test of the panic path (`tests/tui.rs`):
/// `BYLINE_TEST_PANIC_AT_FRAME=N` panics while frame N is being drawn.
#[cfg(debug_assertions)]
fn panic_for_tests() {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};
    static FRAMES: AtomicUsize = AtomicUsize::new(0);
    static AT: OnceLock<Option<usize>> = OnceLock::new();
    let at = *AT.get_or_init(|| {
        std::env::var("BYLINE_TEST_PANIC_AT_FRAME")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let frame = FRAMES.fetch_add(1, Ordering::SeqCst) + 1;
    if at == Some(frame) {
        panic!("test panic while drawing frame {frame}");
    }
}

#[cfg(not(debug_assertions))]
fn panic_for_tests() {}
