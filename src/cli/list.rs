//! `byline list [--feed NAME] [--unread] [--limit N] [--json]`: articles, newest first.

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::output::{local_time, pad, print_json, rfc3339, truncate, write_stdout};
use super::{Context, Failure};
use crate::store::{ArticleRow, ListFilter};
use crate::text::sanitize_line;

pub fn run(
    ctx: &mut Context,
    feed: Option<&str>,
    unread: bool,
    starred: bool,
    limit: Option<usize>,
    json: bool,
) -> Result<u8, Failure> {
    let feed_id = match feed {
        None => None,
        Some(name) => {
            let feeds = ctx.store.feeds()?;
            let found = feeds
                .iter()
                .find(|f| f.name == name)
                .or_else(|| feeds.iter().find(|f| f.name.eq_ignore_ascii_case(name)))
                .or_else(|| feeds.iter().find(|f| f.url == name));
            match found {
                Some(f) => Some(f.id),
                None => {
                    let known: Vec<String> = feeds.iter().map(|f| sanitize_line(&f.name)).collect();
                    return Err(Failure::new(
                        2,
                        format!("no feed named {name:?} (feeds: {})", known.join(", ")),
                    ));
                }
            }
        }
    };
    let rows = ctx.store.list(&ListFilter {
        feed: feed_id,
        unread_only: unread,
        starred_only: starred,
        text: None,
        search: None,
        limit,
        offset: 0,
    })?;
    if json {
        print_json(&serde_json::Value::Array(
            rows.iter().map(row_json).collect(),
        ))?;
    } else {
        write_stdout(&table(&rows))?;
    }
    Ok(0)
}

/// The JSON shape of an article in `list` (and, with more fields, `search`).
pub fn row_json(r: &ArticleRow) -> serde_json::Value {
    json!({
        "id": r.id,
        "feed": sanitize_line(&r.feed),
        "title": sanitize_line(&r.title),
        "url": r.url.as_deref().map(sanitize_line),
        "author": r.author.as_deref().map(sanitize_line),
        "published": rfc3339(r.published.or(r.updated)),
        "categories": r.categories.iter().map(|c| sanitize_line(c)).collect::<Vec<_>>(),
        "read": r.read,
        "starred": r.starred,
    })
}

fn table(rows: &[ArticleRow]) -> String {
    let id_width = rows
        .iter()
        .map(|r| r.id.0.to_string().len())
        .max()
        .unwrap_or(1);
    let feeds: Vec<String> = rows
        .iter()
        .map(|r| truncate(&sanitize_line(&r.feed), 20))
        .collect();
    let feed_width = feeds.iter().map(|f| f.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (r, feed) in rows.iter().zip(&feeds) {
        let flags = format!(
            "{}{}",
            if r.read { ' ' } else { 'N' },
            if r.starred { '*' } else { ' ' }
        );
        let title = sanitize_line(&r.title);
        out.push_str(&format!(
            "{:>id_width$} {flags} {}  {}  {}\n",
            r.id.0,
            local_time(r.sort_time),
            pad(feed, feed_width),
            if title.is_empty() {
                "(untitled)".into()
            } else {
                title
            },
        ));
    }
    out
}
