//! `byline feeds [--json]`: each feed with its counts, last refresh and last error.

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::output::{local_time, pad, print_json, rfc3339, truncate, write_stdout};
use super::{Context, Failure};
use crate::feed::redact_url;
use crate::text::sanitize_line;

pub fn run(ctx: &mut Context, json: bool) -> Result<u8, Failure> {
    let feeds = ctx.store.feeds()?;
    if json {
        let rows: Vec<_> = feeds
            .iter()
            .map(|f| {
                let tags = ctx
                    .config
                    .feeds
                    .iter()
                    .find(|s| s.url == f.url)
                    .map(|s| s.tags.clone())
                    .unwrap_or_default();
                json!({
                    "name": sanitize_line(&f.shown_name()),
                    "url": redact_url(&f.url),
                    "tags": tags,
                    "articles": f.article_count,
                    "unread": f.unread_count,
                    "last_refresh": rfc3339(f.last_refresh),
                    "error": f.last_error.as_deref().map(sanitize_line),
                })
            })
            .collect();
        print_json(&serde_json::Value::Array(rows))?;
        return Ok(0);
    }
    let names: Vec<String> = feeds
        .iter()
        .map(|f| truncate(&sanitize_line(&f.shown_name()), 44))
        .collect();
    let name_width = names.iter().map(|n| n.width()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    for (f, name) in feeds.iter().zip(&names) {
        // a failed refresh is not "refreshed": say when it failed, and when it last worked
        let when = match (&f.last_error, f.last_refresh) {
            (_, None) => "never refreshed".to_string(),
            (None, Some(t)) => format!("refreshed {}", local_time(t)),
            (Some(_), Some(t)) => match f.last_success {
                Some(ok) => format!("failed {} (last read {})", local_time(t), local_time(ok)),
                None => format!("failed {} (never read)", local_time(t)),
            },
        };
        out.push_str(&format!(
            "{}  {:>6} articles  {:>6} unread  {when}",
            pad(name, name_width),
            f.article_count,
            f.unread_count,
        ));
        if let Some(err) = &f.last_error {
            out.push_str(&format!("  error: {}", sanitize_line(err)));
        }
        out.push('\n');
    }
    if feeds.is_empty() {
        out.push_str("No feeds: add [[feeds]] to your config (see config.example.toml).\n");
    }
    write_stdout(&out)?;
    Ok(0)
}
