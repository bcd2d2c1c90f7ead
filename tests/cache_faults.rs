//! A cache Byline cannot use is never overwritten or deleted: a newer schema, a corrupt file,
//! a read-only location, a full disk. Each gets a clear error; a corrupt cache is moved aside
//! only when the user asks (`byline repair-cache`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Route, Sandbox, TestServer, fixture};

fn refreshed() -> (TestServer, Sandbox) {
    let server = TestServer::start();
    server.route(
        "/feed/",
        Route::rss(fixture("ledger.xml", &server.base)).with_etag("\"v1\""),
    );
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!("[[feeds]]\nurl = \"{}\"\n", server.url("/feed/")));
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    (server, sandbox)
}

fn checkpoint(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

#[test]
fn a_cache_from_a_newer_byline_is_refused_and_left_alone() {
    let (_server, sandbox) = refreshed();
    let cache = sandbox.path("cache.sqlite");
    {
        let conn = rusqlite::Connection::open(&cache).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    checkpoint(&cache);
    let before = std::fs::read(&cache).unwrap();
    for args in [&["list"][..], &["refresh"], &["feeds"]] {
        let run = sandbox.byline(args);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(
            run.stderr
                .contains("was written by a newer Byline (schema 999"),
            "{run:?}"
        );
        assert!(run.stderr.contains("left untouched"), "{run:?}");
    }
    let repair = sandbox.byline(&["repair-cache"]);
    assert_eq!(repair.code, 1, "a newer cache is not corrupt: {repair:?}");
    assert_eq!(std::fs::read(&cache).unwrap(), before, "not a byte changed");
}

#[test]
fn a_corrupt_cache_is_refused_and_moved_aside_only_when_asked() {
    let (_server, sandbox) = refreshed();
    let cache = sandbox.path("cache.sqlite");
    checkpoint(&cache);
    // garble everything after the header's first page
    let mut bytes = std::fs::read(&cache).unwrap();
    for b in bytes.iter_mut().skip(100).take(4096 * 3) {
        *b = 0xA5;
    }
    std::fs::write(&cache, &bytes).unwrap();
    let run = sandbox.byline(&["list"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("is not a Byline cache or is corrupt"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("byline repair-cache"),
        "the way out is named: {run:?}"
    );
    assert_eq!(std::fs::read(&cache).unwrap(), bytes, "left untouched");

    let repair = sandbox.byline(&["repair-cache"]);
    assert_eq!(repair.code, 0, "{repair:?}");
    assert!(repair.stdout.contains("moved aside to"), "{repair:?}");
    assert!(!cache.exists());
    let aside: Vec<_> = std::fs::read_dir(sandbox.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy().contains("cache.sqlite.corrupt-")
                && !p.to_string_lossy().ends_with("-wal")
                && !p.to_string_lossy().ends_with("-shm")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        bytes,
        "moved, not changed"
    );
    // and the next run starts a new cache
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    assert_eq!(
        sandbox
            .byline(&["list", "--json"])
            .json()
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let healthy = sandbox.byline(&["repair-cache"]);
    assert!(healthy.stdout.contains("healthy"), "{healthy:?}");

    // a file that is not a database at all
    std::fs::write(
        sandbox.path("junk.sqlite"),
        "not a database, just words ".repeat(50),
    )
    .unwrap();
    let junk = sandbox.path("junk.sqlite");
    let run = common::run_byline(
        &[
            "--config",
            sandbox.config().to_str().unwrap(),
            "--cache",
            junk.to_str().unwrap(),
            "list",
        ],
        sandbox.dir.path(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("not a Byline cache or is corrupt"),
        "{run:?}"
    );
}

#[test]
fn a_read_only_location_is_a_clear_error() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[[feeds]]\nurl = \"https://a.test/feed\"\n");
    // /sys is read-only even for root
    let run = common::run_byline(
        &[
            "--config",
            sandbox.config().to_str().unwrap(),
            "--cache",
            "/sys/kernel/byline-test.sqlite",
            "list",
        ],
        sandbox.dir.path(),
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("cannot open the cache /sys/kernel/byline-test.sqlite"),
        "{run:?}"
    );
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_full_disk_fails_the_refresh_and_keeps_the_cache() {
    let (server, sandbox) = refreshed();
    let cache = sandbox.path("cache.sqlite");
    checkpoint(&cache);
    let size_kib = std::fs::metadata(&cache).unwrap().len() / 1024;
    // a much bigger feed arrives; files may not grow past what they are now (RLIMIT_FSIZE,
    // with SIGXFSZ ignored so writes fail with EFBIG as on a full disk)
    let big: String = (0..400)
        .map(|n| format!("<item><title>New {n}</title><guid>new-{n}</guid><description>{}</description></item>", "text ".repeat(200)))
        .collect();
    server.route(
        "/feed/",
        Route::rss(format!(
            "<rss version=\"2.0\"><channel><title>Test Ledger</title>{big}</channel></rss>"
        ))
        .with_etag("\"v2\""),
    );
    let script = format!(
        "trap '' XFSZ; ulimit -f {}; exec {} --config {} --cache {} refresh",
        size_kib * 2 + 64, // sh counts 512-byte blocks: the current size, and a little
        env!("CARGO_BIN_EXE_byline"),
        sandbox.config().display(),
        cache.display()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("HOME", sandbox.dir.path())
        .env("BYLINE_LOG_FILE", "/dev/null")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(0),
        "the write cannot succeed: {stdout} {stderr}"
    );
    assert!(
        stdout.contains("could not save to the cache")
            || stderr.contains("full")
            || stderr.contains("disk"),
        "a clear error: {stdout} {stderr}"
    );
    // the cache is whole, with what it had
    let store = byline::store::Store::open(&cache).unwrap();
    assert!(store.integrity_ok().unwrap());
    assert_eq!(store.article_count().unwrap(), 3);
}
