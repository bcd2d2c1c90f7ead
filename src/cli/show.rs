//! `byline show ID [--width N]`: one article as readable text.
//!
//! Styled (ANSI) when stdout is a terminal and `NO_COLOR` is unset; plain text, with no escape
//! code at all, otherwise.

use std::io::IsTerminal;

use super::output::{local_time, write_stdout};
use super::{Context, Failure};
use crate::feed::Fetcher;
use crate::store::{Article, ArticleId, FullText};
use crate::text::render::{Line, Mode, Rendered, Span, Style, render};
use crate::text::sanitize_line;

pub fn run(ctx: &mut Context, id: i64, width: Option<u16>, refetch: bool) -> Result<u8, Failure> {
    let missing = || Failure::new(1, format!("no article with id {id} (see `byline list`)"));
    let mut article = ctx.store.article(ArticleId(id))?.ok_or_else(missing)?;
    // A summary-only article: fetch its page once (or again, if asked), waiting up to the
    // fetch timeout, and keep the result for offline reading.
    let has_web_url = article
        .row
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
    if article.needs_full_text()
        || (refetch && has_web_url && article.full_text != FullText::InFeed)
    {
        let url = article.row.url.clone().unwrap_or_default();
        let outcome = fetch_page(ctx, &url)?;
        ctx.store
            .save_full_text(ArticleId(id), outcome.as_deref().map_err(String::as_str))?;
        article = ctx.store.article(ArticleId(id))?.ok_or_else(missing)?;
    }
    let tty = std::io::stdout().is_terminal();
    let width = width.map_or_else(|| terminal_width(tty), usize::from);
    let styled = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let page = article_page(
        &article,
        width,
        if styled { Mode::Styled } else { Mode::Plain },
    );
    write_stdout(&if styled {
        page.to_ansi()
    } else {
        page.to_plain()
    })?;
    // Showing an article reads it, as opening it in the reader does.
    ctx.store.set_read(ArticleId(id), true)?;
    Ok(0)
}

/// The whole article as the reader shows it: a header (title, byline, date, feed, link), a
/// blank line, then the body with its numbered links.
pub fn article_page(article: &Article, width: usize, mode: Mode) -> Rendered {
    let r = &article.row;
    let mut header = String::new();
    let title = sanitize_line(&r.title);
    header.push_str(&format!(
        "<h1>{}</h1>",
        html_escape::encode_text(if title.is_empty() {
            "(untitled)"
        } else {
            &title
        })
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
    let head = render(&header, None, width, mode);
    let mut lines = head.lines;
    let dim = Style {
        dim: true,
        ..Style::default()
    };
    for text in [
        Some(byline.join(" \u{b7} ")),
        r.url.as_deref().map(sanitize_line),
    ]
    .into_iter()
    .flatten()
    {
        let wrapped = render(
            &format!("<p>{}</p>", html_escape::encode_text(&text)),
            None,
            width,
            Mode::Plain,
        );
        for line in wrapped.lines {
            lines.push(Line {
                spans: vec![Span {
                    text: line.text(),
                    style: dim,
                }],
            });
        }
    }
    if let FullText::Failed(why) = &article.full_text {
        let note = format!("summary only: the full article could not be fetched ({why})");
        let wrapped = render(
            &format!("<p>{}</p>", html_escape::encode_text(&sanitize_line(&note))),
            None,
            width,
            Mode::Plain,
        );
        for line in wrapped.lines {
            lines.push(Line {
                spans: vec![Span {
                    text: line.text(),
                    style: dim,
                }],
            });
        }
    }
    lines.push(Line::default());
    let body = render(article.body_html(), r.url.as_deref(), width, mode);
    if body.lines.is_empty() {
        lines.push(Line {
            spans: vec![Span {
                text: "(this article has no text in the feed)".into(),
                style: dim,
            }],
        });
    }
    lines.extend(body.lines);
    Rendered {
        width,
        lines,
        links: body.links,
    }
}

fn fetch_page(ctx: &Context, url: &str) -> Result<Result<String, String>, Failure> {
    let fetcher = Fetcher::new(&ctx.config.fetch).map_err(|e| Failure::new(1, e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(1, format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(crate::fulltext::fetch(&fetcher, url));
    runtime.shutdown_background();
    Ok(outcome)
}

/// The terminal's width when stdout is one, else 80.
fn terminal_width(tty: bool) -> usize {
    if tty && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
        return usize::from(w).max(20);
    }
    80
}
