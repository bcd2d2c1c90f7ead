//! Finding the feed behind a URL a person gives (`byline add https://www.medianama.com`):
//! the URL itself if it is a feed, else what its HTML page announces with
//! `<link rel="alternate" type="application/rss+xml" href="...">`, else the places feeds
//! usually live (`/feed/` on WordPress). Every candidate is fetched and parsed before it is
//! accepted, so what is added is a feed Byline can read.

use super::{FEED_ACCEPT, FetchOutcome, Fetcher, ParseError, Validators, parse_feed};

/// A feed found, with what it calls itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub url: String,
    pub title: Option<String>,
    pub articles: usize,
    /// Other feeds the page announced (comments feeds and the like), for the user to know.
    pub others: Vec<String>,
}

/// Where feeds usually are when a page does not say: WordPress, then common static sites.
const USUAL_PLACES: &[&str] = &["/feed/", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml"];

/// Finds the feed for `url`. The error says what was tried.
pub async fn discover(fetcher: &Fetcher, url: &str) -> Result<Found, String> {
    let body = fetch(fetcher, url).await?;
    let html = match parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url) {
        Ok(feed) => {
            return Ok(Found {
                url: body.final_url,
                title: feed.title,
                articles: feed.articles.len(),
                others: Vec::new(),
            });
        }
        Err(ParseError::Html) => String::from_utf8_lossy(&body.bytes).into_owned(),
        Err(e) => return Err(format!("{url}: {e}")),
    };
    let announced = alternate_links(&html, &body.final_url);
    let (candidates, announced_any) = if announced.is_empty() {
        let base = url::Url::parse(&body.final_url).map_err(|e| format!("{url}: {e}"))?;
        let usual = USUAL_PLACES
            .iter()
            .filter_map(|p| base.join(p).ok().map(|u| u.to_string()))
            .collect::<Vec<_>>();
        (usual, false)
    } else {
        (announced, true)
    };
    let mut failures = Vec::new();
    for candidate in &candidates {
        match fetch_feed(fetcher, candidate).await {
            Ok(mut found) => {
                if announced_any {
                    // the announced links are distinct (`alternate_links` drops repeats)
                    found.others = candidates
                        .iter()
                        .filter(|c| **c != *candidate)
                        .cloned()
                        .collect();
                }
                return Ok(found);
            }
            Err(e) => failures.push(e),
        }
    }
    Err(if announced_any {
        format!(
            "{url} is a web page whose announced feeds could not be read: {}",
            failures.join("; ")
        )
    } else {
        format!(
            "{url} is a web page that announces no feed (no <link rel=\"alternate\">), and none was found at {}",
            USUAL_PLACES.join(", ")
        )
    })
}

async fn fetch(fetcher: &Fetcher, url: &str) -> Result<super::FetchedBody, String> {
    match fetcher
        .fetch(url, &Validators::default(), FEED_ACCEPT)
        .await
    {
        Ok(FetchOutcome::Body(b)) => Ok(b),
        Ok(FetchOutcome::NotModified) => {
            Err(format!("{url}: the server answered 304 to a plain request"))
        }
        Err(e) => Err(format!("{url}: {e}")),
    }
}

async fn fetch_feed(fetcher: &Fetcher, url: &str) -> Result<Found, String> {
    let body = fetch(fetcher, url).await?;
    let feed = parse_feed(&body.bytes, body.content_type.as_deref(), &body.final_url)
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(Found {
        // the URL asked for, not where it redirected: a moved feed redirects again
        url: url.to_string(),
        title: feed.title,
        articles: feed.articles.len(),
        others: Vec::new(),
    })
}

/// The feeds an HTML page announces, absolute, in page order, without repeats.
pub fn alternate_links(html: &str, page_url: &str) -> Vec<String> {
    let doc = dom_query::Document::from(html);
    let base = doc
        .select("base[href]")
        .attr("href")
        .and_then(|b| url::Url::parse(page_url).ok()?.join(&b).ok())
        .or_else(|| url::Url::parse(page_url).ok());
    let mut found: Vec<String> = Vec::new();
    for link in doc.select("link[href]").iter() {
        let rel = link.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let kind = link.attr("type").unwrap_or_default().to_ascii_lowercase();
        let is_feed = [
            "rss+xml",
            "atom+xml",
            "feed+json",
            "application/json",
            "rdf+xml",
        ]
        .iter()
        .any(|t| kind.contains(t));
        if !is_feed {
            continue;
        }
        let href = link.attr("href").unwrap_or_default();
        let absolute = match &base {
            Some(b) => b.join(href.trim()).map(|u| u.to_string()).ok(),
            None => url::Url::parse(href.trim()).map(|u| u.to_string()).ok(),
        };
        if let Some(u) = absolute.filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            && !found.contains(&u)
        {
            found.push(u);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_announced_feeds_in_page_order() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="News" href="/feed/">
            <link rel="alternate" type="application/rss+xml" title="Comments" href="https://ex.test/comments/feed/">
            <link rel="alternate" type="text/html" hreflang="hi" href="/hi/">
            <LINK REL="Alternate" TYPE="application/atom+xml" HREF="atom.xml">
            <link rel="alternate" type="application/rss+xml" href="/feed/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            </head><body></body></html>"#;
        assert_eq!(
            alternate_links(html, "https://ex.test/blog/post"),
            [
                "https://ex.test/feed/",
                "https://ex.test/comments/feed/",
                "https://ex.test/blog/atom.xml"
            ]
        );
    }

    #[test]
    fn a_base_element_moves_relative_links() {
        let html = r#"<head><base href="https://cdn.test/site/"><link rel="alternate" type="application/feed+json" href="feed.json"></head>"#;
        assert_eq!(
            alternate_links(html, "https://ex.test/"),
            ["https://cdn.test/site/feed.json"]
        );
    }
}
