//! Full text for summary-only feeds: fetch the article's page and extract the article.
//!
//! Used on first open (the reader shows the summary at once and swaps the article in; `show`
//! waits, up to the fetch timeout) and during refresh for feeds with `full_text = true`.
//! The outcome is stored either way, so a page is fetched at most once unless asked again.

use crate::feed::{FetchOutcome, Fetcher, Validators, decode};
use crate::text::extract;

pub const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

/// Fetches `url` and returns the extracted article as HTML, or why it could not.
pub async fn fetch(fetcher: &Fetcher, url: &str) -> Result<String, String> {
    let body = match fetcher
        .fetch(url, &Validators::default(), PAGE_ACCEPT)
        .await
    {
        Ok(FetchOutcome::Body(b)) => b,
        Ok(FetchOutcome::NotModified) => return Err("the server said \"not modified\"".into()),
        Err(e) => return Err(e.to_string()),
    };
    let content_type = body.content_type.clone().unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    if !lower.is_empty() && !lower.contains("html") {
        let kind = lower.split(';').next().unwrap_or("").trim().to_string();
        return Err(format!("not a web page (got {kind})"));
    }
    let extracted = tokio::task::spawn_blocking(move || {
        let charset = content_type
            .split(';')
            .skip(1)
            .find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .map(|c| c.trim_matches('"').to_string())
            })
            .or_else(|| decode::html_meta_charset(&body.bytes));
        let page = decode::to_utf8(&body.bytes, charset.as_deref()).text;
        extract::extract(&page, &body.final_url).map_err(|e| e.to_string())
    })
    .await;
    extracted.unwrap_or_else(|_| Err("the article extractor crashed on this page".into()))
}
