//! The article out of a whole web page, for feeds that carry only a summary.
//!
//! dom_smoothie (a port of Mozilla's Readability, actively kept, and sharing html5ever with
//! html2text) finds the main content; what it returns is HTML that `render` lays out like any
//! feed body.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the page has no readable article")]
    NoArticle,
    #[error("could not read the page: {0}")]
    Failed(String),
}

/// The main content of `page` (an HTML document fetched from `url`) as HTML.
pub fn extract(page: &str, url: &str) -> Result<String, ExtractError> {
    let config = dom_smoothie::Config {
        max_elements_to_parse: 100_000,
        ..Default::default()
    };
    // Readability drops class names, so clutter known by its class goes first.
    let page = super::clutter::remove(page);
    let mut readability = dom_smoothie::Readability::new(page, Some(url), Some(config))
        .map_err(|e| ExtractError::Failed(crate::text::sanitize_line(&e.to_string())))?;
    let article = readability.parse().map_err(|e| match e {
        dom_smoothie::ReadabilityError::GrabFailed => ExtractError::NoArticle,
        other => ExtractError::Failed(crate::text::sanitize_line(&other.to_string())),
    })?;
    let html = article.content.to_string();
    if crate::text::html_to_text(&html).split_whitespace().count() < 20 {
        return Err(ExtractError::NoArticle);
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><title>T</title></head><body>\
             <header><nav><a href='/'>Home</a> <a href='/about/'>About</a> <a href='/news/'>News</a></nav></header>\
             <article><h1>Headline</h1><div class='entry-content'>{body}</div>\
             <div class='sharedaddy'>Share this: Twitter Facebook</div></article>\
             <aside id='secondary'><h2>Trending</h2><ul><li><a href='/x'>Other story one</a></li><li><a href='/y'>Other story two</a></li></ul></aside>\
             <footer>Copyright 2026 The Site. All rights reserved.</footer></body></html>"
        )
    }

    #[test]
    fn finds_the_article_and_drops_the_page_around_it() {
        let body = "<p>The ministry published draft rules on Monday that would require every \
            large platform to appoint a grievance officer within thirty days of notification, \
            with penalties for delay.</p><p>Industry groups said the timeline was too short and \
            asked for a consultation period of at least sixty days, citing the cost of \
            compliance for smaller firms.</p><p>The rules follow a year of discussion.</p>";
        let html = extract(&page(body), "https://site.test/2026/rules/").expect("article");
        let text = crate::text::html_to_text(&html);
        assert!(
            text.contains("grievance officer") && text.contains("sixty days"),
            "{text}"
        );
        assert!(
            !text.contains("Trending") && !text.contains("Copyright"),
            "{text}"
        );
    }

    #[test]
    fn a_page_without_an_article_is_an_error() {
        let err = extract(
            "<html><body><nav>Home</nav></body></html>",
            "https://site.test/",
        )
        .expect_err("empty");
        assert_eq!(err, ExtractError::NoArticle);
    }
}
