//! `byline refresh [--json]`: fetch every feed, one line per feed.

use serde_json::json;

use super::output::{print_json, write_stdout};
use super::{Context, Failure};
use crate::feed::Fetcher;
use crate::refresh::{self, FeedReport, Status};
use crate::store::FeedId;
use crate::store::feed_names::Apart;
use crate::text::sanitize_line;

pub fn run(ctx: &mut Context, json: bool) -> Result<u8, Failure> {
    let feeds = &ctx.feeds;
    let fetcher = Fetcher::new(&ctx.config.fetch).map_err(|e| Failure::new(1, e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(1, format!("cannot start the async runtime: {e}")))?;
    let store = &mut ctx.store;
    // Each feed's name as known so far (a first refresh learns them): feeds of the same name
    // are told apart in their lines.
    let mut names: Vec<(FeedId, String)> = feeds.iter().map(|f| (f.id, f.name.clone())).collect();
    let apart = Apart::new(feeds.iter().map(|f| f.url.as_str()));
    // Lines are printed as feeds finish, so a slow feed never hides the others' results.
    let reports = runtime.block_on(refresh::run(store, feeds, &fetcher, |r| {
        if let Some(entry) = names.iter_mut().find(|(id, _)| *id == r.feed_id) {
            entry.1.clone_from(&r.name);
        }
        if !json {
            let shown = apart.shown(&names, r.feed_id, &r.name);
            let _ = write_stdout(&format!("{}\n", line(&shown, r)));
        }
    }));
    // Do not wait for abandoned connections (a stalled server) on the way out.
    runtime.shutdown_background();
    let pruned = refresh::apply_retention(&mut ctx.store, &ctx.config.feeds, &reports);
    if pruned > 0 && !json {
        write_stdout(&format!("{pruned} old articles let go (retention)\n"))?;
    }
    if json {
        let rows: Vec<_> = reports
            .iter()
            .map(|r| {
                json!({
                    "feed": sanitize_line(&r.name),
                    "url": crate::feed::redact_url(&r.url),
                    "status": r.status,
                    "new": r.new,
                    "updated": r.updated,
                    "full_text": r.full_text,
                    "full_text_failed": r.full_text_failed,
                    "error": r.error.as_deref().map(sanitize_line),
                    "warning": r.warning.as_deref().map(sanitize_line),
                })
            })
            .collect();
        print_json(&serde_json::Value::Array(rows))?;
    }
    let failed = reports.iter().filter(|r| r.status == Status::Error).count();
    if failed > 0 {
        eprintln!(
            "byline: {failed} of {} feeds failed (see `byline feeds`)",
            reports.len()
        );
        return Ok(3);
    }
    Ok(0)
}

fn line(name: &str, r: &FeedReport) -> String {
    let name = sanitize_line(name);
    let what = match r.status {
        Status::Ok => {
            let mut s = format!("{} new, {} updated", r.new, r.updated);
            if r.full_text > 0 {
                s.push_str(&format!(", {} full texts fetched", r.full_text));
            }
            if r.full_text_failed > 0 {
                s.push_str(&format!(", {} full texts failed", r.full_text_failed));
            }
            s
        }
        Status::NotModified => "not modified".to_string(),
        Status::Error => format!("error: {}", r.error.as_deref().unwrap_or("unknown")),
    };
    match &r.warning {
        Some(w) => format!("{name}: {what} ({w})"),
        None => format!("{name}: {what}"),
    }
}
