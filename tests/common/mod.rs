//! Shared test helpers: a small HTTP server on 127.0.0.1 and a runner for the real binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A canned response.
#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: String,
    pub etag: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Sleep this long before answering (for timeouts).
    pub delay: Duration,
    /// Send the headers and this many body bytes, then stall for `delay`.
    pub stall_after: Option<usize>,
    /// gzip the body if the client accepts it.
    pub gzip: bool,
}

impl Route {
    pub fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Route {
        Route {
            status: 200,
            body: body.into(),
            content_type: content_type.into(),
            etag: None,
            headers: vec![],
            delay: Duration::ZERO,
            stall_after: None,
            gzip: false,
        }
    }

    pub fn rss(body: impl Into<Vec<u8>>) -> Route {
        Route::ok(body, "application/rss+xml; charset=UTF-8")
    }

    pub fn with_etag(mut self, etag: &str) -> Route {
        self.etag = Some(etag.into());
        self
    }

    pub fn status(status: u16, body: &str) -> Route {
        Route {
            status,
            ..Route::ok(body.as_bytes().to_vec(), "text/html")
        }
    }

    pub fn redirect(to: &str) -> Route {
        let mut r = Route::status(301, "moved");
        r.headers.push(("Location".into(), to.into()));
        r
    }
}

/// What a request looked like.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub status: u16,
}

#[derive(Clone)]
pub struct TestServer {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = TestServer {
            base,
            routes: Arc::new(Mutex::new(HashMap::new())),
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.serve(stream));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn route(&self, path: &str, route: Route) {
        self.routes.lock().expect("lock").insert(path.into(), route);
    }

    pub fn requests_to(&self, path: &str) -> Vec<Seen> {
        self.seen
            .lock()
            .expect("lock")
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    fn serve(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut stream = stream;
        loop {
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                return;
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let mut headers = HashMap::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                }
            }
            if let Some(len) = headers
                .get("content-length")
                .and_then(|l| l.parse::<usize>().ok())
            {
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
            }
            let route = self.routes.lock().expect("lock").get(&path).cloned();
            let route = route.unwrap_or_else(|| Route::status(404, "not found"));
            let not_modified = route.etag.is_some()
                && headers.get("if-none-match") == route.etag.as_ref()
                && route.status == 200;
            let status = if not_modified { 304 } else { route.status };
            self.seen.lock().expect("lock").push(Seen {
                path: path.clone(),
                headers: headers.clone(),
                status,
            });
            if !route.delay.is_zero() && route.stall_after.is_none() {
                std::thread::sleep(route.delay);
            }
            let mut body = if not_modified {
                Vec::new()
            } else {
                route.body.clone()
            };
            let mut extra = String::new();
            if route.gzip
                && !not_modified
                && headers
                    .get("accept-encoding")
                    .is_some_and(|a| a.contains("gzip"))
            {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                enc.write_all(&body).expect("gzip");
                body = enc.finish().expect("gzip");
                extra.push_str("Content-Encoding: gzip\r\n");
            }
            if let Some(etag) = &route.etag {
                extra.push_str(&format!("ETag: {etag}\r\n"));
            }
            for (k, v) in &route.headers {
                extra.push_str(&format!("{k}: {v}\r\n"));
            }
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra}\r\n",
                route.content_type,
                body.len()
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            if let Some(n) = route.stall_after {
                let _ = stream.write_all(&body[..n.min(body.len())]);
                let _ = stream.flush();
                std::thread::sleep(route.delay);
                return;
            }
            if stream.write_all(&body).is_err() {
                return;
            }
        }
    }
}

/// A scratch folder with a config and a cache for one test.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn config(&self) -> PathBuf {
        self.path("config.toml")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config(), text).expect("write config");
    }

    /// Runs the real `byline` binary with this sandbox's config and cache.
    pub fn byline(&self, args: &[&str]) -> Run {
        let config = self.config();
        let cache = self.path("cache.sqlite");
        let mut all = vec!["--config", config.to_str().expect("utf8"), "--cache"];
        all.push(cache.to_str().expect("utf8"));
        all.extend_from_slice(args);
        run_byline(&all, self.dir.path())
    }

    /// `list --feed NAME --json`: the feed's articles, newest first.
    pub fn list_feed(&self, name: &str) -> Vec<serde_json::Value> {
        let rows = self.byline(&["list", "--feed", name, "--json"]);
        match rows.json() {
            serde_json::Value::Array(rows) => rows,
            other => panic!("list --json gave {other}"),
        }
    }
}

/// The object of a JSON array (as `refresh`, `feeds` and `list` print) whose `key` is `value`.
pub fn find<'a, V>(rows: &'a serde_json::Value, key: &str, value: V) -> &'a serde_json::Value
where
    V: std::fmt::Debug + Copy,
    serde_json::Value: PartialEq<V>,
{
    rows.as_array()
        .and_then(|rows| rows.iter().find(|r| r[key] == value))
        .unwrap_or_else(|| panic!("no {key} = {value:?} in {rows}"))
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `byline` with a private HOME (no user config is read) and logs under `home`.
pub fn run_byline(args: &[&str], home: &Path) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_byline"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("XDG_STATE_HOME", home.join("xdg-state"))
        .env("BYLINE_LOG_FILE", home.join("byline.log"))
        .env_remove("BYLINE_CONFIG")
        .env_remove("BYLINE_CACHE")
        .env("TZ", "UTC")
        .output()
        .expect("run byline");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

/// A fixture under tests/fixtures with `{BASE}` replaced.
pub fn fixture(name: &str, base: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .replace("{BASE}", base)
}

/// The fixture site (`../shared/fixture-site/serve.py`) running on a free loopback port.
/// Found through BYLINE_FIXTURE_SITE (set by `.ci/run`): unset, tests that need it skip;
/// set to a folder without serve.py, they fail.
pub struct FixtureSite {
    pub base: String,
    child: std::process::Child,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl FixtureSite {
    pub fn start(test: &str) -> Option<FixtureSite> {
        let Some(dir) = std::env::var_os("BYLINE_FIXTURE_SITE") else {
            eprintln!("{test}: skipped (BYLINE_FIXTURE_SITE is not set)");
            return None;
        };
        let serve = PathBuf::from(dir).join("serve.py");
        assert!(
            serve.is_file(),
            "BYLINE_FIXTURE_SITE has no serve.py: {}",
            serve.display()
        );
        let tmp = tempfile::tempdir().expect("tempdir");
        let url_file = tmp.path().join("url");
        let log = tmp.path().join("server.log");
        // generated into our own folder, so nothing is left behind even if it must be killed
        let www = tmp.path().join("www");
        std::fs::create_dir(&www).expect("www");
        let child = Command::new("python3")
            .arg(&serve)
            .args(["--port", "0", "--out"])
            .arg(&www)
            .stdout(std::fs::File::create(&url_file).expect("url file"))
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start serve.py");
        let mut site = FixtureSite {
            base: String::new(),
            child,
            log,
            _dir: tmp,
        };
        for _ in 0..200 {
            let text = std::fs::read_to_string(&url_file).unwrap_or_default();
            if let Some(line) = text.lines().next().filter(|l| l.ends_with('/')) {
                site.base = line.trim_end_matches('/').to_string();
                return Some(site);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "serve.py did not print its URL; log: {}",
            std::fs::read_to_string(&site.log).unwrap_or_default()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for FixtureSite {
    fn drop(&mut self) {
        // SIGTERM first, for a clean stop. serve.py's handler can deadlock (it sets a
        // threading.Event from the signal handler while the main thread waits on it), so
        // after a few seconds it is killed: a test must never hang on its way out.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("serve.py did not stop on SIGTERM within 5 s: killed");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
