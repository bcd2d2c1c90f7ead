//! `byline show ID [--width N]`: one article as readable text.
//!
//! Styled (ANSI) when stdout is a terminal and `NO_COLOR` is unset; plain text, with no escape
//! code at all, otherwise.

use std::io::IsTerminal;

use super::output::write_stdout;
use super::{Context, Failure};
use crate::feed::Fetcher;
use crate::store::{ArticleId, FullText};
use crate::text::page::article_page;
use crate::text::render::Mode;

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
