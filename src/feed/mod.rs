//! Getting feeds: fetch (HTTP and files), decode to UTF-8, repair, parse into articles.

pub mod decode;
pub mod discover;
pub mod fetch;
pub mod json_feed;
pub mod parse;
pub mod repair;

pub use fetch::{FetchError, FetchOutcome, FetchedBody, Fetcher, Validators, redact_url};
pub use parse::{NewArticle, ParseError, ParsedFeed, Recovery, parse_feed};

/// The `Accept` header for feed requests.
pub const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
