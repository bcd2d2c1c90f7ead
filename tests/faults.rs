//! Every fault route of the fixture site in one refresh: it finishes within the configured
//! timeouts, exits 3, stores the good feed whole, and `feeds` shows one clear error per bad
//! feed. Bombs stay within the size cap and within 100 MiB of memory; no external entity is
//! fetched; the mutating feed adds exactly one article per refresh.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{FixtureSite, Sandbox, find};

/// (name, route, what its error must say; None: it must read fine)
fn routes(key: &str) -> Vec<(&'static str, String, Option<&'static str>)> {
    vec![
        ("Good", "/feed/".into(), None),
        (
            "Trickle",
            "/fault/slow?seconds=600".into(),
            Some("timed out after 6 s"),
        ),
        (
            "Stall",
            "/fault/slow?stall=1&seconds=600".into(),
            Some("server stopped sending: no data for 2 s"),
        ),
        (
            "Error 500",
            "/fault/500".into(),
            Some("server said 500 Internal Server Error"),
        ),
        (
            "Error 404",
            "/fault/404".into(),
            Some("server said 404 Not Found"),
        ),
        (
            "Redirect loop",
            "/fault/redirect-loop".into(),
            Some("too many redirects"),
        ),
        (
            "Redirect chain",
            "/fault/redirect-loop?chain=1".into(),
            Some("too many redirects"),
        ),
        (
            "Not XML",
            "/fault/notxml".into(),
            Some("not a feed: got an HTML page"),
        ),
        (
            "Huge",
            "/fault/huge".into(),
            Some("response larger than 2 MiB"),
        ),
        (
            "Gzip bomb",
            "/fault/gzip-bomb".into(),
            Some("response larger than 2 MiB"),
        ),
        (
            "Truncated",
            "/fault/truncated".into(),
            Some("the feed was cut short; nothing stored"),
        ),
        (
            "Truncated short",
            "/fault/truncated?short=1".into(),
            Some("connection broke before the whole response arrived"),
        ),
        ("Bad encoding", "/fault/bad-encoding".into(), None),
        ("Billion laughs", "/fault/billion-laughs".into(), None),
        ("XXE", "/fault/xxe".into(), None),
        ("Mutating", format!("/fault/mutating?key={key}"), None),
    ]
}

#[test]
fn every_fault_route_gets_a_clear_error_and_the_good_feed_is_stored() {
    let Some(site) =
        FixtureSite::start("every_fault_route_gets_a_clear_error_and_the_good_feed_is_stored")
    else {
        return;
    };
    let key = format!("faults-{}", std::process::id());
    let routes = routes(&key);
    let sandbox = Sandbox::new();
    let mut config = String::from(
        "max_feed_mib = 2\ntimeout = 6\nidle_timeout = 2\nconnect_timeout = 3\nconcurrency = 16\nconcurrency_per_host = 16\n",
    );
    for (name, route, _) in &routes {
        config.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"{name}\"\n",
            site.url(route)
        ));
    }
    sandbox.write_config(&config);

    let started = Instant::now();
    let refresh = sandbox.byline(&["refresh", "--json"]);
    let took = started.elapsed();
    assert_eq!(refresh.code, 3, "{refresh:?}");
    assert!(
        took < Duration::from_secs(20),
        "the refresh took {took:?}: a timeout did not fire"
    );
    let reports = refresh.json();
    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    for (name, _, expected) in &routes {
        let report = find(&reports, "feed", *name);
        let listed = find(&feeds, "name", *name);
        match expected {
            Some(words) => {
                assert_eq!(report["status"], "error", "{name}: {report}");
                let error = report["error"].as_str().unwrap_or_default();
                assert!(
                    error.contains(words),
                    "{name}: {error:?} should say {words:?}"
                );
                let shown = listed["error"].as_str().unwrap_or_default();
                assert!(shown.contains(words), "{name} in `feeds`: {shown:?}");
                assert!(!error.chars().any(char::is_control));
            }
            None => {
                assert_eq!(report["status"], "ok", "{name}: {report}");
                assert!(listed["error"].is_null(), "{name}: {listed}");
            }
        }
    }
    let good = find(&feeds, "name", "Good");
    assert_eq!(
        good["articles"], 36,
        "every article of the good feed is stored"
    );
    let truncated = find(&feeds, "name", "Truncated");
    assert_eq!(truncated["articles"], 0, "a cut-off feed stores nothing");

    // no entity expanded, no external entity fetched
    for row in sandbox.list_feed("Billion laughs") {
        assert!(
            row["title"].as_str().unwrap_or_default().len() < 300,
            "{row}"
        );
    }
    assert!(
        !site.server_log().contains("XXE CANARY FETCHED"),
        "the XXE canary was fetched"
    );
    let xxe = sandbox.list_feed("XXE");
    assert!(
        !serde_json::Value::from(xxe)
            .to_string()
            .contains("root:x:0:0"),
        "/etc/passwd leaked into the cache"
    );

    // lossy but readable
    let bad = serde_json::Value::from(sandbox.list_feed("Bad encoding"));
    assert!(bad.to_string().contains("Caf\u{e9}"), "{bad}");

    // the mutating feed: each refresh adds exactly the new item
    let count = |sandbox: &Sandbox| sandbox.list_feed("Mutating").len();
    let first = count(&sandbox);
    assert_eq!(first, 10);
    for round in 1..=2 {
        let again = sandbox.byline(&["refresh", "--json"]).json();
        let m = find(&again, "feed", "Mutating");
        assert_eq!(
            (m["new"].as_i64(), m["updated"].as_i64()),
            (Some(1), Some(0)),
            "round {round}: {m}"
        );
        assert_eq!(
            count(&sandbox),
            first + round,
            "dropped posts stay in the cache"
        );
    }
}

/// Peak memory while the size cap stops the endless feed and the gzip bomb, with the default
/// 20 MiB cap. Measured with GNU time (`.ci/run` installs it); skipped, saying so, without.
#[test]
fn bombs_stop_at_the_cap_within_100_mib() {
    let Some(site) = FixtureSite::start("bombs_stop_at_the_cap_within_100_mib") else {
        return;
    };
    if !std::path::Path::new("/usr/bin/time").exists() {
        eprintln!("bombs_stop_at_the_cap_within_100_mib: skipped (/usr/bin/time is not installed)");
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"Huge\"\n[[feeds]]\nurl = \"{}\"\nname = \"Gzip bomb\"\n",
        site.url("/fault/huge"),
        site.url("/fault/gzip-bomb")
    ));
    let peak = sandbox.dir.path().join("peak");
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&peak)
        .arg(env!("CARGO_BIN_EXE_byline"))
        .args(["--config", sandbox.config().to_str().unwrap()])
        .args(["--cache", sandbox.path("cache.sqlite").to_str().unwrap()])
        .args(["refresh", "--json"])
        .env("HOME", sandbox.dir.path())
        .env("BYLINE_LOG_FILE", sandbox.path("byline.log"))
        .output()
        .expect("run under time");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert_eq!(
        stdout.matches("response larger than 20 MiB").count(),
        2,
        "{stdout}"
    );
    let kib: u64 = std::fs::read_to_string(&peak)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    println!(
        "peak memory while capping the endless feed and the gzip bomb: {:.1} MiB",
        kib as f64 / 1024.0
    );
    assert!(kib < 100 * 1024, "peak {kib} KiB");
}
