//! Nothing is lost: `byline refresh` is killed with SIGKILL at random moments while it
//! refreshes many feeds, 20 times. Every time the cache passes `PRAGMA integrity_check`, every
//! article stored before holds its read and starred state, the counts agree with the rows,
//! and the next refresh completes. A second test runs two processes on one cache at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;

use byline::store::{ArticleId, ListFilter, Store};
use common::{Route, Sandbox, TestServer};

const FEEDS: usize = 40;

fn feed_body(base: &str, feed: usize, version: usize) -> String {
    let mut items = String::new();
    // every version adds three items and rewrites the newest old one
    for n in 0..(20 + 3 * version) {
        let title = if n == 20 + 3 * version.saturating_sub(1) {
            format!("Item {n} of feed {feed}, v{version}")
        } else {
            format!("Item {n} of feed {feed}")
        };
        items.push_str(&format!(
            "<item><title>{title}</title><link>{base}/f{feed}/{n}/</link><guid>f{feed}-{n}</guid><pubDate>Mon, 01 Jun 2026 {:02}:00:00 +0000</pubDate><description><![CDATA[<p>Body {n} of feed {feed}: {} </p>]]></description></item>",
            n % 24,
            "words for the search index ".repeat(40)
        ));
    }
    format!("<rss version=\"2.0\"><channel><title>Feed {feed}</title>{items}</channel></rss>")
}

fn serve(server: &TestServer, version: usize) {
    for f in 0..FEEDS {
        let mut r = Route::rss(feed_body(&server.base, f, version))
            .with_etag(&format!("\"f{f}-v{version}\""));
        r.delay = Duration::from_millis(40);
        server.route(&format!("/f{f}.xml"), r);
    }
}

struct Snapshot(HashMap<ArticleId, (bool, bool)>);

fn snapshot(store: &Store) -> Snapshot {
    Snapshot(
        store
            .list(&ListFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| (r.id, (r.read, r.starred)))
            .collect(),
    )
}

fn check(store: &Store, before: &Snapshot, when: &str) {
    assert!(
        store.integrity_ok().unwrap(),
        "{when}: integrity_check failed"
    );
    let now = snapshot(store);
    for (id, state) in &before.0 {
        assert_eq!(
            now.0.get(id),
            Some(state),
            "{when}: article {} lost or changed state",
            id.0
        );
    }
    for f in store.feeds().unwrap() {
        let rows = store
            .list(&ListFilter {
                feed: Some(f.id),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            f.article_count as usize,
            rows.len(),
            "{when}: {} count",
            f.name
        );
        assert_eq!(
            f.unread_count as usize,
            rows.iter().filter(|r| !r.read).count(),
            "{when}: {} unread",
            f.name
        );
    }
}

fn config(server: &TestServer, sandbox: &Sandbox) {
    let mut c = String::new();
    for f in 0..FEEDS {
        c.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\n",
            server.url(&format!("/f{f}.xml"))
        ));
    }
    sandbox.write_config(&c);
}

/// A small deterministic generator: the seed is printed, so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn sigkill_during_refresh_loses_nothing() {
    let server = TestServer::start();
    serve(&server, 0);
    let sandbox = Sandbox::new();
    config(&server, &sandbox);
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let cache = sandbox.path("cache.sqlite");
    {
        // some state to keep: read and starred articles
        let mut store = Store::open(&cache).unwrap();
        for (i, row) in store
            .list(&ListFilter::default())
            .unwrap()
            .into_iter()
            .enumerate()
        {
            if i % 3 == 0 {
                store.set_read(row.id, true).unwrap();
            }
            if i % 7 == 0 {
                store.set_starred(row.id, true).unwrap();
            }
        }
    }
    let seed = std::env::var("BYLINE_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("kill test seed {seed} (set BYLINE_KILL_SEED to replay)");
    let mut rng = Lcg(seed);
    let mut kills = 0;
    for round in 1..=20 {
        let before = snapshot(&Store::open(&cache).unwrap());
        serve(&server, round);
        let mut child = Command::new(env!("CARGO_BIN_EXE_byline"))
            .args([
                "--config",
                sandbox.config().to_str().unwrap(),
                "--cache",
                cache.to_str().unwrap(),
                "refresh",
            ])
            .env("HOME", sandbox.dir.path())
            .env("BYLINE_LOG_FILE", sandbox.path("byline.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng.below(900)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        check(
            &Store::open(&cache).unwrap(),
            &before,
            &format!("after kill {round}"),
        );
        // and the next refresh completes
        let next = sandbox.byline(&["refresh"]);
        assert_eq!(next.code, 0, "round {round}: {next:?}");
        check(
            &Store::open(&cache).unwrap(),
            &before,
            &format!("after refresh {round}"),
        );
    }
    let rows = Store::open(&cache)
        .unwrap()
        .list(&ListFilter::default())
        .unwrap();
    assert_eq!(
        rows.len(),
        FEEDS * (20 + 3 * 20),
        "every version's items, each once"
    );
    println!("killed byline refresh {kills} times in 20 rounds: the cache stayed whole");
    assert!(
        kills >= 10,
        "the kills should land mid-refresh (got {kills})"
    );
}

#[test]
fn two_processes_share_one_cache() {
    let server = TestServer::start();
    serve(&server, 0);
    let sandbox = Sandbox::new();
    config(&server, &sandbox);
    let config = sandbox.config();
    let cache = sandbox.path("cache.sqlite");
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_byline"))
            .args([
                "--config",
                config.to_str().unwrap(),
                "--cache",
                cache.to_str().unwrap(),
            ])
            .args(args)
            .env("HOME", sandbox.dir.path())
            .env("BYLINE_LOG_FILE", sandbox.path("byline.log"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // two refreshes (a reader's and cron's) and a reader listing, all at once
    let a = spawn(&["refresh"]);
    let b = spawn(&["refresh"]);
    let readers: Vec<_> = (0..5)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(150));
            spawn(&["list", "--unread", "--limit", "5"])
        })
        .collect();
    for (name, child) in [("refresh a", a), ("refresh b", b)] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for r in readers {
        let out = r.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "list: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = Store::open(&sandbox.path("cache.sqlite")).unwrap();
    check(
        &store,
        &Snapshot(HashMap::new()),
        "after two refreshes at once",
    );
    assert_eq!(
        store.list(&ListFilter::default()).unwrap().len(),
        FEEDS * 20,
        "nothing twice, nothing lost"
    );
}
