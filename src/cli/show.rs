//! `byline show ID [--width N]`: one article as readable text.

use std::io::IsTerminal;

use super::output::{local_time, wrap, write_stdout};
use super::{Context, Failure};
use crate::store::ArticleId;
use crate::text::{html_to_text, sanitize_line};

pub fn run(ctx: &mut Context, id: i64, width: Option<u16>) -> Result<u8, Failure> {
    let article = ctx
        .store
        .article(ArticleId(id))?
        .ok_or_else(|| Failure::new(1, format!("no article with id {id} (see `byline list`)")))?;
    let width = width.map_or_else(terminal_width, usize::from);
    let r = &article.row;
    let mut out = String::new();
    let title = sanitize_line(&r.title);
    out.push_str(&wrap(
        if title.is_empty() {
            "(untitled)"
        } else {
            &title
        },
        width,
    ));
    let mut byline = Vec::new();
    if let Some(a) = r
        .author
        .as_deref()
        .map(sanitize_line)
        .filter(|a| !a.is_empty())
    {
        byline.push(format!("By {a}"));
    }
    if let Some(t) = r.published.or(r.updated) {
        byline.push(local_time(t));
    }
    byline.push(sanitize_line(&r.feed));
    out.push_str(&wrap(&byline.join(" · "), width));
    if let Some(url) = &r.url {
        out.push_str(&wrap(&sanitize_line(url), width));
    }
    out.push('\n');
    let body = article
        .content_html
        .as_deref()
        .or(article.summary_html.as_deref())
        .map(html_to_text)
        .unwrap_or_default();
    if body.is_empty() {
        out.push_str("(this article has no text in the feed)\n");
    } else {
        out.push_str(&wrap(&body, width));
    }
    write_stdout(&out)?;
    // Showing an article reads it, as opening it in the reader does.
    ctx.store.set_read(ArticleId(id), true)?;
    Ok(0)
}

/// The terminal's width when stdout is one, else 80.
fn terminal_width() -> usize {
    if !std::io::stdout().is_terminal() {
        return 80;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|w| *w >= 20)
        .unwrap_or(80)
}
