//! Feed bytes to articles: feed-rs, behind a layer that makes it robust.
//!
//! Transcode to UTF-8 first, repair the XML (see `repair`), then parse with feed-rs inside
//! `catch_unwind`, and turn each entry into a [`NewArticle`] with sanitized one-line fields,
//! decoded entities and a stable key.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{Entry, Feed, Text};

use super::decode;
use super::json_feed;
use super::repair;
use crate::text;

/// One article as a feed describes it, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// Identity within its feed: the entry id, else the link, else a hash of title and date.
    pub key: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Unix seconds, UTC.
    pub published: Option<i64>,
    pub updated: Option<i64>,
    pub categories: Vec<String>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub site_url: Option<String>,
    /// The format, for diagnostics: "RSS", "Atom", "JSON Feed" ...
    pub format: &'static str,
    pub articles: Vec<NewArticle>,
    /// Set when the document was broken and these articles were read from a repaired copy.
    pub recovered: Option<Recovery>,
}

/// What was wrong with a document that could still be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub error: ParseError,
    /// The document stops before its end (a cut-off download): what was read is incomplete.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("empty response: no feed in it")]
    Empty,
    #[error("not a feed: got an HTML page")]
    Html,
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("XML error at line {line}, column {column}: {message}")]
    Xml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("JSON Feed error: {0}")]
    Json(String),
    #[error("the feed parser crashed on this document")]
    Panic,
}

/// Parses a feed document. `content_type` is the HTTP `Content-Type`, if any; `url` is where
/// the feed came from (relative links are resolved against it).
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    url: &str,
) -> Result<ParsedFeed, ParseError> {
    let charset = content_type.and_then(charset_of);
    let decoded = decode::to_utf8(bytes, charset.as_deref());
    let body = decoded.text.trim_start_matches('\u{FEFF}');
    let start = body.trim_start();
    if start.is_empty() {
        return Err(ParseError::Empty);
    }
    if start.starts_with('{') || start.starts_with('[') {
        return parse_json(start, url);
    }
    let start = if looks_like_html(start) {
        // Some sites serve an Atom feed wrapped in an XHTML page.
        embedded_atom(start).ok_or(ParseError::Html)?
    } else {
        start
    };
    if !start.starts_with('<') {
        return Err(ParseError::NotAFeed(
            "the response is neither XML nor JSON".into(),
        ));
    }
    let xml = repair::repair_xml(&decode::declare_utf8(start));
    let format = format_of(&xml);
    let first_error = match run_feed_rs(xml.as_bytes(), url) {
        Ok(feed) => return Ok(convert(feed, format, url, None)),
        Err(e) => e,
    };
    let well_formed_error = xml_error(&xml);
    if let Some(xml_err) = well_formed_error {
        // Broken XML: read what a repaired copy holds, and say what was wrong.
        if format != "XML"
            && let Some(balanced) = repair::balance_xml(&xml)
        {
            let recovery = Recovery {
                error: xml_err.clone(),
                truncated: repair::looks_truncated(&xml),
            };
            match run_feed_rs(balanced.as_bytes(), url) {
                Ok(feed) => return Ok(convert(feed, format, url, Some(recovery))),
                Err(e) if is_no_feed_root(&e) => return Ok(empty_feed(format, Some(recovery))),
                Err(_) => {}
            }
        }
        return Err(xml_err);
    }
    match first_error {
        // Well-formed, a feed root, but nothing feed-rs recognises inside (an RSS document
        // with no channel): an empty feed, as feedparser sees it.
        e if is_no_feed_root(&e) && format != "XML" => Ok(empty_feed(format, None)),
        feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::NoFeedRoot,
        ) => Err(ParseError::NotAFeed(format!(
            "no RSS, Atom or RDF root element (found <{}>)",
            root_name(&xml).unwrap_or_else(|| "nothing".into())
        ))),
        other => Err(ParseError::NotAFeed(text::sanitize_line(
            &other.to_string(),
        ))),
    }
}

fn is_no_feed_root(e: &feed_rs::parser::ParseFeedError) -> bool {
    matches!(
        e,
        feed_rs::parser::ParseFeedError::ParseError(feed_rs::parser::ParseErrorKind::NoFeedRoot)
    )
}

fn empty_feed(format: &'static str, recovered: Option<Recovery>) -> ParsedFeed {
    ParsedFeed {
        title: None,
        site_url: None,
        format,
        articles: Vec::new(),
        recovered,
    }
}

/// `<feed xmlns="http://www.w3.org/2005/Atom">...</feed>` inside an HTML page.
fn embedded_atom(page: &str) -> Option<&str> {
    let start = page.find("<feed")?;
    let end = page.rfind("</feed>")? + "</feed>".len();
    (end > start && page[start..end].contains("http://www.w3.org/2005/Atom"))
        .then(|| &page[start..end])
}

fn run_feed_rs(doc: &[u8], url: &str) -> Result<Feed, feed_rs::parser::ParseFeedError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(url))
        // An empty id means "the document had none": we derive our own stable key, where
        // feed-rs would invent a random one on every parse.
        .id_generator(|_, _, _| String::new())
        .build();
    match catch_unwind(AssertUnwindSafe(|| parser.parse(doc))) {
        Ok(result) => result,
        Err(_) => Err(feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::IllegalState {
                position: 0,
                reference: "parser panic".into(),
            },
        )),
    }
}

fn parse_json(text: &str, url: &str) -> Result<ParsedFeed, ParseError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ParseError::Json(e.to_string()))?;
    let Some(obj) = value.as_object() else {
        return Err(ParseError::Json("the top level is not an object".into()));
    };
    if !obj.contains_key("items") && !obj.contains_key("version") {
        return Err(ParseError::NotAFeed("JSON, but not a JSON Feed".into()));
    }
    let items = obj
        .get("items")
        .and_then(|i| i.as_array())
        .map_or(0, Vec::len);
    let fixed = json_feed::normalize(value, items > 0)?;
    let feed = run_feed_rs(fixed.as_bytes(), url)
        .map_err(|e| ParseError::Json(text::sanitize_line(&e.to_string())))?;
    Ok(convert(feed, "JSON Feed", url, None))
}

fn looks_like_html(start: &str) -> bool {
    let head: String = start
        .chars()
        .take(100)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    root_name(start).is_some_and(|n| n.eq_ignore_ascii_case("html"))
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn root_name(xml: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                return Some(e.name().as_ref().to_string());
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

fn format_of(xml: &str) -> &'static str {
    match root_name(xml).as_deref() {
        Some("rss") => "RSS",
        Some("feed") => "Atom",
        Some(n) if n.ends_with("RDF") => "RSS 1.0 (RDF)",
        _ => "XML",
    }
}

/// Finds the first well-formedness error, with its line and column.
fn xml_error(xml: &str) -> Option<ParseError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth: i64 = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => {
                if depth > 0 {
                    let (line, column) = line_col(xml, xml.len());
                    return Some(ParseError::Xml {
                        line,
                        column,
                        message: "the document ends before its elements are closed (truncated?)"
                            .into(),
                    });
                }
                return None;
            }
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(0);
                let (line, column) = line_col(xml, pos);
                return Some(ParseError::Xml {
                    line,
                    column,
                    message: text::sanitize_line(&e.to_string()),
                });
            }
            _ => {}
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

fn convert(
    feed: Feed,
    format: &'static str,
    feed_url: &str,
    recovered: Option<Recovery>,
) -> ParsedFeed {
    let feed_author = feed
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(text::decode_line)
        .find(|n| !n.is_empty());
    let site_url = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let articles = feed
        .entries
        .into_iter()
        .map(|e| convert_entry(e, feed_author.as_deref(), feed_url))
        .collect();
    ParsedFeed {
        title: feed.title.as_ref().map(text_line).filter(|t| !t.is_empty()),
        site_url,
        format,
        articles,
        recovered,
    }
}

/// A title-like field as one clean line. HTML-typed text loses its tags; plain text only has
/// its entities decoded (feeds often double-escape them).
fn text_line(t: &Text) -> String {
    if t.content_type.as_str().contains("html") || has_end_tag(&t.content) {
        text::html_to_line(&t.content)
    } else {
        text::decode_line(&t.content)
    }
}

/// `</word>` somewhere: plain text that is really HTML (feedparser's test, too).
fn has_end_tag(s: &str) -> bool {
    s.match_indices("</").any(|(i, _)| {
        let rest = &s[i + 2..];
        let n = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        n > 0 && rest[n..].starts_with('>')
    })
}

/// Body-like text as HTML: plain text is escaped so it renders as written.
fn text_html(content_type: &str, body: &str) -> String {
    if content_type.contains("html") || content_type.contains("xml") {
        body.to_string()
    } else {
        let escaped = html_escape::encode_text(body);
        escaped
            .split("\n\n")
            .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
            .collect()
    }
}

fn convert_entry(entry: Entry, feed_author: Option<&str>, feed_url: &str) -> NewArticle {
    let links: Vec<_> = entry
        .links
        .iter()
        .filter(|l| l.href != repair::NO_LINK)
        .collect();
    let url = links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| {
            // RSS: a guid that is a URL is the permalink when there is no <link>
            (entry.id.starts_with("http://") || entry.id.starts_with("https://"))
                .then(|| entry.id.clone())
        })
        .map(|h| resolve(feed_url, &h));
    let title = entry
        .title
        .as_ref()
        .map(text_line)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            // podcasts and video feeds often title only their media
            entry
                .media
                .iter()
                .filter_map(|m| m.title.as_ref())
                .map(text_line)
                .find(|t| !t.is_empty())
        })
        .unwrap_or_default();
    let author = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(text::decode_line)
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>();
    let author = if author.is_empty() {
        feed_author.map(str::to_string)
    } else {
        Some(author.join(", "))
    };
    let mut categories: Vec<String> = Vec::new();
    for c in &entry.categories {
        let name = text::decode_line(c.label.as_deref().unwrap_or(&c.term));
        if !name.is_empty() && !categories.contains(&name) {
            categories.push(name);
        }
    }
    let summary_html = entry
        .summary
        .as_ref()
        .filter(|s| !s.content.trim().is_empty())
        .map(|s| text_html(s.content_type.as_str(), &s.content));
    let content_html = entry.content.as_ref().and_then(|c| {
        c.body
            .as_ref()
            .filter(|b| !b.trim().is_empty())
            .map(|b| text_html(c.content_type.as_str(), b))
    });
    let published = entry.published.map(|d| d.timestamp());
    let updated = entry.updated.map(|d| d.timestamp());
    let key = if !entry.id.trim().is_empty() {
        entry.id.trim().to_string()
    } else if let Some(u) = &url {
        u.clone()
    } else {
        let basis = format!(
            "{}\u{1f}{}\u{1f}{}",
            title,
            published.or(updated).unwrap_or_default(),
            if title.is_empty() {
                content_html
                    .as_deref()
                    .or(summary_html.as_deref())
                    .unwrap_or("")
            } else {
                ""
            }
        );
        format!("hash:{:016x}", fnv1a(basis.as_bytes()))
    };
    NewArticle {
        key,
        url,
        title,
        author,
        published,
        updated,
        categories,
        summary_html,
        content_html,
    }
}

fn resolve(base: &str, href: &str) -> String {
    match url::Url::parse(href) {
        Ok(u) => u.to_string(),
        Err(_) => url::Url::parse(base)
            .and_then(|b| b.join(href))
            .map_or_else(|_| href.to_string(), |u| u.to_string()),
    }
}

/// FNV-1a: a stable hash (std's is randomly seeded per process).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests;
