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
    let announced = in_order_to_try(alternate_links(&html, &body.final_url), &body.final_url);
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

/// A feed an HTML page announces: its absolute URL, and the title the link gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announced {
    pub url: String,
    pub title: String,
}

/// The feeds an HTML page announces, absolute, in page order, without repeats.
pub fn alternate_links(html: &str, page_url: &str) -> Vec<Announced> {
    let doc = dom_query::Document::from(html);
    let base = doc
        .select("base[href]")
        .attr("href")
        .and_then(|b| url::Url::parse(page_url).ok()?.join(&b).ok())
        .or_else(|| url::Url::parse(page_url).ok());
    let mut found: Vec<Announced> = Vec::new();
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
            && !found.iter().any(|a| a.url == u)
        {
            found.push(Announced {
                url: u,
                title: link
                    .attr("title")
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
            });
        }
    }
    found
}

/// The order to try a page's announced feeds in. WordPress announces the whole site's feed
/// first on every page, and a category or tag page its own after it: the page's own feed
/// (one under the page's address) goes first, so adding a category page adds the category.
/// Comment feeds go last (a post's own feed is its comments), otherwise page order.
pub fn in_order_to_try(announced: Vec<Announced>, page_url: &str) -> Vec<String> {
    let page = url::Url::parse(page_url).ok();
    let own = |a: &Announced| {
        let (Some(page), Ok(feed)) = (&page, url::Url::parse(&a.url)) else {
            return false;
        };
        page.path() != "/"
            && feed.host_str() == page.host_str()
            && feed.path().starts_with(page.path())
    };
    let comments =
        |a: &Announced| a.title.to_lowercase().contains("comment") || a.url.contains("/comments/");
    let mut ranked: Vec<(u8, Announced)> = announced
        .into_iter()
        .map(|a| {
            let rank = if comments(&a) {
                2
            } else if own(&a) {
                0
            } else {
                1
            };
            (rank, a)
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, a)| a.url).collect()
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
        let urls: Vec<String> = alternate_links(html, "https://ex.test/blog/post")
            .into_iter()
            .map(|a| a.url)
            .collect();
        assert_eq!(
            urls,
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
            alternate_links(html, "https://ex.test/")[0].url,
            "https://cdn.test/site/feed.json"
        );
    }

    /// What WordPress announces on a category page, a post and the home page.
    fn wordpress(page: &str) -> Vec<String> {
        let link = |title: &str, href: &str| {
            format!(
                r#"<link rel="alternate" type="application/rss+xml" title="{title}" href="{href}">"#
            )
        };
        let mut head = link("Ledger &raquo; Feed", "/feed/")
            + &link("Ledger &raquo; Comments Feed", "/comments/feed/");
        if page.starts_with("/category/") {
            head += &link(
                "Ledger &raquo; Fintech Category Feed",
                "/category/fintech/feed/",
            );
        } else if page != "/" {
            head += &link(
                "Ledger &raquo; Some post Comments Feed",
                &format!("{page}feed/"),
            );
        }
        let url = format!("https://ex.test{page}");
        in_order_to_try(alternate_links(&format!("<head>{head}</head>"), &url), &url)
    }

    #[test]
    fn a_pages_own_feed_first_and_comments_last() {
        assert_eq!(
            wordpress("/category/fintech/"),
            [
                "https://ex.test/category/fintech/feed/",
                "https://ex.test/feed/",
                "https://ex.test/comments/feed/"
            ]
        );
        // a post's own feed is its comments: the site's feed comes first
        assert_eq!(
            wordpress("/some-post/"),
            [
                "https://ex.test/feed/",
                "https://ex.test/comments/feed/",
                "https://ex.test/some-post/feed/"
            ]
        );
        assert_eq!(
            wordpress("/"),
            ["https://ex.test/feed/", "https://ex.test/comments/feed/"]
        );
    }
}
