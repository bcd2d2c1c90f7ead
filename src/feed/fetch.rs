//! Polite, bounded HTTP (and file) fetching.
//!
//! Conditional GET with the stored ETag / Last-Modified, a connect timeout, a total deadline,
//! an idle timeout between chunks, at most 5 redirects, and a size cap counted on the
//! decompressed bytes (so a gzip bomb stops at the cap, not at 1 GiB).

use std::sync::Once;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};

use crate::config::FetchSettings;

/// Cache validators remembered from the last successful fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug)]
pub enum FetchOutcome {
    /// 304, or a local file that has not changed: nothing to parse.
    NotModified,
    Body(FetchedBody),
}

#[derive(Debug)]
pub struct FetchedBody {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    /// Where the body came from after redirects.
    pub final_url: String,
    pub validators: Validators,
}

/// What went wrong, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("server stopped sending: no data for {0} s")]
    Idle(u64),
    #[error("could not connect: {0}")]
    Connect(String),
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("server said {0}")]
    Status(String),
    #[error("response larger than {0}")]
    TooLarge(String),
    #[error("connection broke before the whole response arrived: {0}")]
    Incomplete(String),
    #[error("cannot read file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{0}")]
    Other(String),
}

pub const MAX_REDIRECTS: usize = 5;

/// An HTTP client with Byline's limits. Cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
}

static TLS_PROVIDER: Once = Once::new();

/// reqwest is built without a default TLS provider (aws-lc is slow to build): install ring's.
pub fn install_tls_provider() {
    TLS_PROVIDER.call_once(|| {
        // Err means another provider is installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Fetcher {
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, FetchError> {
        install_tls_provider();
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| FetchError::Other(format!("cannot set up HTTP: {}", error_chain(&e))))?;
        Ok(Fetcher {
            client,
            settings: settings.clone(),
        })
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// Fetches `url` (http, https or file), sending the validators.
    pub async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
        accept: &str,
    ) -> Result<FetchOutcome, FetchError> {
        if url.starts_with("file:") {
            return fetch_file(url, validators, self.settings.max_feed_bytes);
        }
        let total = self.settings.timeout;
        match tokio::time::timeout(total, self.fetch_http(url, validators, accept)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout(total.as_secs())),
        }
    }

    async fn fetch_http(
        &self,
        url: &str,
        validators: &Validators,
        accept: &str,
    ) -> Result<FetchOutcome, FetchError> {
        let mut request = self.client.get(url).header(ACCEPT, accept);
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, lm);
        }
        let started = Instant::now();
        let mut response = request
            .send()
            .await
            .map_err(|e| self.describe(&e, started))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(FetchOutcome::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status(
                format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
                .trim()
                .to_string(),
            ));
        }
        let headers = response.headers().clone();
        let final_url = response.url().to_string();
        let cap = self.settings.max_feed_bytes;
        if let Some(len) = response.content_length()
            && len > cap
            && !headers.contains_key(reqwest::header::CONTENT_ENCODING)
        {
            return Err(FetchError::TooLarge(human_size(cap)));
        }
        let mut bytes: Vec<u8> =
            Vec::with_capacity(response.content_length().unwrap_or(64 * 1024).min(cap) as usize);
        let idle = self.settings.idle_timeout;
        loop {
            let chunk = match tokio::time::timeout(idle, response.chunk()).await {
                Err(_) => return Err(FetchError::Idle(idle.as_secs())),
                Ok(Err(e)) => return Err(self.describe_body(&e, started)),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(c))) => c,
            };
            if bytes.len() as u64 + chunk.len() as u64 > cap {
                return Err(FetchError::TooLarge(human_size(cap)));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(FetchOutcome::Body(FetchedBody {
            bytes,
            content_type: header(&headers, CONTENT_TYPE),
            final_url,
            validators: Validators {
                etag: header(&headers, ETAG),
                last_modified: header(&headers, LAST_MODIFIED),
            },
        }))
    }

    fn describe(&self, e: &reqwest::Error, started: Instant) -> FetchError {
        if e.is_redirect() {
            FetchError::TooManyRedirects(MAX_REDIRECTS)
        } else if e.is_timeout() {
            if e.is_connect() || started.elapsed() < self.settings.timeout {
                FetchError::Connect(format!(
                    "timed out after {} s",
                    self.settings.connect_timeout.as_secs()
                ))
            } else {
                FetchError::Timeout(self.settings.timeout.as_secs())
            }
        } else if e.is_connect() {
            FetchError::Connect(connect_reason(e))
        } else {
            FetchError::Other(error_chain(e))
        }
    }

    fn describe_body(&self, e: &reqwest::Error, started: Instant) -> FetchError {
        if e.is_timeout() {
            return self.describe(e, started);
        }
        let chain = error_chain(e);
        // reqwest reports a connection dropped mid-body as a decoding error when the
        // response was to be decompressed: the cause says which it was
        if chain.contains("reading a body from connection") || chain.contains("connection closed") {
            return FetchError::Incomplete(connect_reason(e));
        }
        if e.is_decode() {
            return FetchError::Other(format!("cannot decompress the response: {chain}"));
        }
        FetchError::Incomplete(chain)
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The innermost cause, which is the one that says what happened ("Connection refused").
fn connect_reason(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    let last = last.trim_end_matches(|c: char| c == ')' || c.is_ascii_digit() || c == ' ');
    let last = last.trim_end_matches("(os error").trim();
    crate::text::sanitize_line(last)
}

/// "outer: inner: innermost", without the URL (which may hold credentials).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        let text = s.to_string();
        let text = match text.find(" for url (") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    crate::text::sanitize_line(&parts.join(": "))
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Local feeds: the file's size and modification time stand in for an ETag.
fn fetch_file(url: &str, validators: &Validators, cap: u64) -> Result<FetchOutcome, FetchError> {
    let parsed =
        url::Url::parse(url).map_err(|e| FetchError::Other(format!("bad file URL: {e}")))?;
    let path = parsed.to_file_path().map_err(|()| FetchError::File {
        path: url.to_string(),
        reason: "not a local path".into(),
    })?;
    let shown = path.display().to_string();
    let file_err = |e: std::io::Error| FetchError::File {
        path: shown.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        },
    };
    let meta = std::fs::metadata(&path).map_err(file_err)?;
    if meta.is_dir() {
        return Err(FetchError::File {
            path: shown,
            reason: "is a directory".into(),
        });
    }
    if meta.len() > cap {
        return Err(FetchError::TooLarge(human_size(cap)));
    }
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let tag = format!("\"file-{}-{}\"", meta.len(), mtime);
    if validators.etag.as_deref() == Some(tag.as_str()) {
        return Ok(FetchOutcome::NotModified);
    }
    let bytes = std::fs::read(&path).map_err(file_err)?;
    Ok(FetchOutcome::Body(FetchedBody {
        bytes,
        content_type: None,
        final_url: url.to_string(),
        validators: Validators {
            etag: Some(tag),
            last_modified: None,
        },
    }))
}

/// A URL fit to show: any password (and user name) removed.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.to_string()
        }
        _ => url.to_string(),
    }
}
