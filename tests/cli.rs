//! The command line end to end: the real `byline` binary against feeds served from
//! 127.0.0.1 by an in-process server (tests/common), with small fixtures of our own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{Route, Sandbox, TestServer, find, fixture};

/// A server with the three fixture feeds, and a sandbox whose config names them.
fn three_feeds() -> (TestServer, Sandbox) {
    let server = TestServer::start();
    server.route(
        "/feed/",
        Route::rss(fixture("ledger.xml", &server.base)).with_etag("\"ledger-v1\""),
    );
    server.route(
        "/atom/",
        Route::ok(fixture("atom.xml", &server.base), "application/atom+xml")
            .with_etag("\"atom-v1\""),
    );
    server.route(
        "/feed.json",
        Route::ok(fixture("feed.json", &server.base), "application/feed+json")
            .with_etag("\"json-v1\""),
    );
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Atom\"\ntags = [\"telecom\"]\n\n[[feeds]]\nurl = \"{}\"\n",
        server.url("/feed/"),
        server.url("/atom/"),
        server.url("/feed.json")
    ));
    (server, sandbox)
}

#[test]
fn first_refresh_stores_everything_and_the_second_is_not_modified() {
    let (server, sandbox) = three_feeds();
    let first = sandbox.byline(&["refresh"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(
        first.stdout.contains("Test Ledger: 3 new, 0 updated"),
        "{first:?}"
    );
    assert!(first.stdout.contains("Atom: 2 new, 0 updated"), "{first:?}");
    assert!(
        first.stdout.contains("JSON Wire: 2 new, 0 updated"),
        "{first:?}"
    );

    let second = sandbox.byline(&["refresh", "--json"]);
    assert_eq!(second.code, 0, "{second:?}");
    let reports = second.json();
    let reports = reports.as_array().expect("array");
    assert_eq!(reports.len(), 3);
    for r in reports {
        assert_eq!(r["status"], "not_modified", "{r}");
        assert_eq!(r["new"], 0);
        assert_eq!(r["updated"], 0);
        assert!(r["error"].is_null());
    }
    // Conditional GET: the second request carried the ETag, and was polite about it.
    let requests = server.requests_to("/feed/");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].headers.get("if-none-match").map(String::as_str),
        Some("\"ledger-v1\"")
    );
    assert_eq!(requests[1].status, 304);
    let ua = requests[0]
        .headers
        .get("user-agent")
        .cloned()
        .unwrap_or_default();
    assert!(
        ua.starts_with(&format!("Byline/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    let accept = requests[0]
        .headers
        .get("accept-encoding")
        .cloned()
        .unwrap_or_default();
    assert!(accept.contains("gzip") && accept.contains("br"), "{accept}");
}

#[test]
fn list_feeds_and_show_print_what_was_stored() {
    let (_server, sandbox) = three_feeds();
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);

    let list = sandbox.byline(&["list", "--json"]);
    assert_eq!(list.code, 0, "{list:?}");
    let rows = list.json();
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 7);
    let titles: Vec<&str> = rows
        .iter()
        .map(|r| r["title"].as_str().unwrap_or(""))
        .collect();
    // newest first
    assert_eq!(
        titles[0],
        "Consent managers get their rules \u{2014} finally"
    );
    assert_eq!(titles[1], "UPI market cap deadline pushed again");
    assert!(titles.contains(&"Spam calls & the new rules"), "{titles:?}");
    let first = &rows[0];
    assert_eq!(first["feed"], "Test Ledger");
    assert_eq!(first["author"], "Meera Pillai");
    assert_eq!(first["published"], "2026-06-16T10:40:00Z");
    assert_eq!(
        first["categories"],
        serde_json::json!(["Privacy", "DPDP Act"])
    );
    assert_eq!(first["read"], false);
    assert_eq!(first["starred"], false);
    assert!(first["id"].is_i64());
    // Atom: relative links resolved against xml:base
    let spam = rows
        .iter()
        .find(|r| r["title"] == "Spam calls & the new rules")
        .expect("atom entry");
    assert_eq!(
        spam["url"].as_str(),
        Some(format!("{}/atom/spam-calls/", _server.base).as_str())
    );
    let tele = rows
        .iter()
        .find(|r| r["title"] == "Telemedicine rules, two years on")
        .expect("json item");
    assert_eq!(
        tele["categories"],
        serde_json::json!(["Health data", "Telemedicine"])
    );

    let only = sandbox.byline(&["list", "--feed", "Atom", "--limit", "1", "--json"]);
    let only = only.json();
    assert_eq!(only.as_array().map(Vec::len), Some(1));
    assert_eq!(only[0]["feed"], "Atom");

    let table = sandbox.byline(&["list", "--limit", "2"]);
    assert_eq!(table.stdout.lines().count(), 2, "{table:?}");
    assert!(
        table
            .stdout
            .lines()
            .next()
            .unwrap_or("")
            .contains("Consent managers"),
        "{table:?}"
    );

    let id = first["id"].as_i64().expect("id").to_string();
    let show = sandbox.byline(&["show", &id, "--width", "40"]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(
        show.stdout
            .starts_with("# Consent managers get their rules"),
        "{show:?}"
    );
    assert!(
        !show.stdout.contains("summary only"),
        "the feed has the full text: {show:?}"
    );
    assert!(show.stdout.contains("By Meera Pillai"), "{show:?}");
    assert!(show.stdout.contains("registration rules"), "{show:?}");
    assert!(show.stdout.contains("\u{20b9}2 crore"), "{show:?}");
    assert!(
        !show.stdout.contains('<') && !show.stdout.contains("&#"),
        "{show:?}"
    );
    assert!(
        show.stdout.lines().all(|l| unicode_width(l) <= 40),
        "{show:?}"
    );
    assert!(
        !show.raw_stdout.contains(&0x1b),
        "no escape codes when stdout is not a terminal"
    );

    // show reads the article; unread counts follow
    let unread = sandbox.byline(&["list", "--unread", "--json"]).json();
    assert_eq!(unread.as_array().map(Vec::len), Some(6));
    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    let ledger = &feeds[0];
    assert_eq!(ledger["name"], "Test Ledger");
    assert_eq!(ledger["articles"], 3);
    assert_eq!(ledger["unread"], 2);
    assert!(
        ledger["last_refresh"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    assert!(ledger["error"].is_null());
    assert_eq!(feeds[1]["tags"], serde_json::json!(["telecom"]));
    let human = sandbox.byline(&["feeds"]);
    assert!(
        human.stdout.contains("Test Ledger") && human.stdout.contains("3 articles"),
        "{human:?}"
    );
}

fn unicode_width(s: &str) -> usize {
    s.chars().count()
}

#[test]
fn a_failing_feed_does_not_stop_the_others() {
    let (server, sandbox) = three_feeds();
    server.route(
        "/broken/",
        Route::status(500, "<h1>There has been a critical error</h1>"),
    );
    server.route(
        "/html/",
        Route::ok(
            "<!DOCTYPE html><html><body>Just a moment...</body></html>",
            "application/rss+xml",
        ),
    );
    let config = std::fs::read_to_string(sandbox.config()).expect("config");
    sandbox.write_config(&format!(
        "{config}\n[[feeds]]\nurl = \"{}\"\nname = \"Broken\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Bot check\"\n\n[[feeds]]\nurl = \"http://127.0.0.1:9/nothing-listens\"\nname = \"Dead\"\n",
        server.url("/broken/"),
        server.url("/html/")
    ));
    let run = sandbox.byline(&["refresh"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stdout.contains("Broken: error: server said 500"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("Bot check: error: not a feed: got an HTML page"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("Dead: error: could not connect"),
        "{run:?}"
    );
    assert!(run.stderr.contains("3 of 6 feeds failed"), "{run:?}");
    let rows = sandbox.byline(&["list", "--json"]).json();
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(7),
        "the good feeds were stored"
    );
    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    let broken = find(&feeds, "name", "Broken");
    assert_eq!(broken["error"], "server said 500 Internal Server Error");
}

#[test]
fn a_feed_that_breaks_later_keeps_its_articles_and_their_state() {
    let (server, sandbox) = three_feeds();
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let ledger = |sandbox: &Sandbox| sandbox.list_feed("Test Ledger");
    let before = ledger(&sandbox);
    assert_eq!(before.len(), 3);
    let opened = before[0]["id"].as_i64().expect("id");
    assert_eq!(sandbox.byline(&["show", &opened.to_string()]).code, 0);

    // the next version of the feed, cut off in the middle of an item
    let updated = fixture("ledger-updated.xml", &server.base);
    let cut = updated.find("</item>").expect("an item") + 20;
    server.route("/feed/", Route::rss(updated[..cut].to_string()));
    let run = sandbox.byline(&["refresh", "--json"]);
    assert_eq!(run.code, 3, "{run:?}");
    let report = run.json()[0].clone();
    assert_eq!(report["status"], "error", "{report}");
    assert!(
        report["error"]
            .as_str()
            .is_some_and(|e| e.contains("cut short")),
        "{report}"
    );
    let after = ledger(&sandbox);
    assert_eq!(
        after,
        {
            let mut b = before.clone();
            b[0]["read"] = serde_json::Value::Bool(true);
            b
        },
        "nothing stored, nothing lost, the read state kept"
    );

    // then served as UTF-8 with bytes in an item's title that are not: read (lossily), old
    // articles kept
    let mut bytes = updated.into_bytes();
    let item = bytes
        .windows(6)
        .position(|w| w == b"<item>")
        .expect("an item");
    let at = item
        + bytes[item..]
            .windows(7)
            .position(|w| w == b"<title>")
            .expect("an item title")
        + 7;
    bytes.splice(at..at, [0xff, 0xfe, b' ']);
    server.route("/feed/", Route::rss(bytes));
    let run = sandbox.byline(&["refresh", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let after = ledger(&sandbox);
    assert_eq!(after.len(), 4, "the new entry is added");
    let kept = after.iter().find(|r| r["id"] == opened).expect("kept");
    assert_eq!(kept["read"], true);
}

#[test]
fn changed_entries_update_in_place_and_keep_their_state() {
    let (server, sandbox) = three_feeds();
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let consent = sandbox.list_feed("Test Ledger")[0]["id"]
        .as_i64()
        .expect("id");
    assert_eq!(sandbox.byline(&["show", &consent.to_string()]).code, 0);

    server.route(
        "/feed/",
        Route::rss(fixture("ledger-updated.xml", &server.base)).with_etag("\"ledger-v2\""),
    );
    let run = sandbox.byline(&["refresh", "--json"]).json();
    let ledger = find(&run, "feed", "Test Ledger");
    assert_eq!(
        (ledger["new"].as_i64(), ledger["updated"].as_i64()),
        (Some(1), Some(1)),
        "{ledger}"
    );

    let rows = serde_json::Value::from(sandbox.list_feed("Test Ledger"));
    assert_eq!(rows.as_array().map(Vec::len), Some(4));
    let updated = find(&rows, "id", consent);
    assert_eq!(
        updated["title"],
        "Consent managers get their rules \u{2014} finally (updated)"
    );
    assert_eq!(updated["read"], true, "read state survives the update");
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let sandbox = Sandbox::new();
    sandbox.write_config("[[feeds]]\nurl = \"https://a.test/feed\"\nnmae = \"typo\"\n");
    let run = sandbox.byline(&["list"]);
    assert_eq!(run.code, 2, "{run:?}");
    let path = sandbox.config().display().to_string();
    assert!(
        run.stderr
            .contains(&format!("{path}:3:1: unknown key `nmae`")),
        "{run:?}"
    );
    assert!(run.stderr.contains("nmae = \"typo\""), "{run:?}");
    assert!(run.stdout.is_empty());

    sandbox.write_config("[[feeds]]\nurl = \"not a url\"\n");
    let run = sandbox.byline(&["refresh"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(":2:7: feeds[0].url = \"not a url\""),
        "{run:?}"
    );

    let missing = common::run_byline(
        &["--config", "/nonexistent/byline.toml", "list"],
        sandbox.dir.path(),
    );
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing
            .stderr
            .contains("/nonexistent/byline.toml: cannot read config: no such file"),
        "{missing:?}"
    );

    let usage = sandbox.byline(&["list", "--limit", "many"]);
    assert_eq!(usage.code, 2, "{usage:?}");
}

#[test]
fn local_files_are_feeds_too() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.path("saved.xml"),
        fixture("ledger.xml", "https://saved.test"),
    )
    .expect("write");
    sandbox.write_config("[[feeds]]\nurl = \"./saved.xml\"\nname = \"Saved\"\n");
    let first = sandbox.byline(&["refresh"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.contains("Saved: 3 new"), "{first:?}");
    let second = sandbox.byline(&["refresh"]);
    assert!(second.stdout.contains("Saved: not modified"), "{second:?}");
    let rows = sandbox.byline(&["list", "--json"]).json();
    assert_eq!(rows[0]["url"], "https://saved.test/consent-managers-rules/");

    std::fs::remove_file(sandbox.path("saved.xml")).expect("rm");
    let gone = sandbox.byline(&["refresh"]);
    assert_eq!(gone.code, 3, "{gone:?}");
    assert!(gone.stdout.contains("no such file"), "{gone:?}");
    let rows = sandbox.byline(&["list", "--json"]).json();
    assert_eq!(
        rows.as_array().map(Vec::len),
        Some(3),
        "cached articles are kept"
    );
}

#[test]
fn limits_redirects_size_gzip_and_timeouts() {
    let server = TestServer::start();
    let body = fixture("ledger.xml", &server.base);
    let mut gz = Route::rss(body.clone());
    gz.gzip = true;
    server.route("/gzip/", gz);
    server.route("/moved/", Route::redirect(&server.url("/gzip/")));
    server.route("/loop/a", Route::redirect(&server.url("/loop/b")));
    server.route("/loop/b", Route::redirect(&server.url("/loop/a")));
    server.route(
        "/big/",
        Route::rss(format!("{body}{}", " ".repeat(1_200_000))),
    );
    let mut stall = Route::rss(body.clone());
    stall.stall_after = Some(64);
    stall.delay = Duration::from_secs(30);
    server.route("/stall/", stall);
    let mut slow = Route::rss(body);
    slow.delay = Duration::from_secs(30);
    server.route("/slow/", slow);
    let sandbox = Sandbox::new();
    let feed = |path: &str, name: &str| {
        format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"{name}\"\n",
            server.url(path)
        )
    };
    sandbox.write_config(&format!(
        "max_feed_mib = 1\ntimeout = 3\nidle_timeout = 2\n{}{}{}{}{}{}",
        feed("/gzip/", "Gzip"),
        feed("/moved/", "Moved"),
        feed("/loop/a", "Loop"),
        feed("/big/", "Big"),
        feed("/stall/", "Stall"),
        feed("/slow/", "Slow"),
    ));
    let started = std::time::Instant::now();
    let run = sandbox.byline(&["refresh"]);
    let took = started.elapsed();
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stdout.contains("Gzip: 3 new"), "{run:?}");
    assert!(run.stdout.contains("Moved: 3 new"), "{run:?}");
    assert!(
        run.stdout.contains("Loop: error: too many redirects"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("Big: error: response larger than 1 MiB"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("Stall: error: server stopped sending: no data for 2 s"),
        "{run:?}"
    );
    assert!(
        run.stdout.contains("Slow: error: timed out after 3 s"),
        "{run:?}"
    );
    assert!(took < Duration::from_secs(20), "refresh waited {took:?}");
    let gz = server.requests_to("/gzip/");
    assert!(gz.iter().all(|r| {
        r.headers
            .get("accept-encoding")
            .is_some_and(|a| a.contains("gzip"))
    }));
}

#[test]
fn no_command_and_unknown_article() {
    let (_server, sandbox) = three_feeds();
    // no command starts the reader, which needs a terminal: without one, a clear usage error
    let run = sandbox.byline(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("the reader needs a terminal"),
        "{run:?}"
    );
    let run = sandbox.byline(&["show", "999"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("no article with id 999"), "{run:?}");
}

#[test]
fn full_text_for_summary_only_feeds_and_its_failures() {
    let server = TestServer::start();
    let long_body: String = (0..120).map(|i| format!("word{i} ")).collect();
    let item = |n: u32, title: &str| {
        format!(
            "<item><title>{title}</title><link>{}/story/{n}/</link><guid>{n}</guid><description>Only a summary of {title} [&#8230;]</description></item>",
            server.base
        )
    };
    let feed = format!(
        "<rss version=\"2.0\"><channel><title>Summaries</title>{}{}{}{}</channel></rss>",
        item(1, "Good page"),
        item(2, "Missing page"),
        item(3, "A PDF"),
        item(4, "Huge page")
    );
    server.route("/summary.xml", Route::rss(feed));
    let page = format!(
        "<html><head><title>Good page</title></head><body><nav><a href='/'>Home</a> <a href='/x'>Sections</a></nav>\
         <article><h1>Good page</h1><p>{long_body}</p><p>The second paragraph of the article says more.</p></article>\
         <footer>Footer words that are not the article</footer></body></html>"
    );
    server.route("/story/1/", Route::ok(page, "text/html; charset=utf-8"));
    server.route(
        "/story/3/",
        Route::ok(b"%PDF-1.7 ...".to_vec(), "application/pdf"),
    );
    server.route(
        "/story/4/",
        Route::ok(
            format!(
                "<html><body><p>{}</p></body></html>",
                "x ".repeat(1_200_000)
            ),
            "text/html",
        ),
    );
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "max_feed_mib = 1\n[[feeds]]\nurl = \"{}\"\nfull_text = true\n",
        server.url("/summary.xml")
    ));
    let run = sandbox.byline(&["refresh"]);
    assert_eq!(run.code, 0, "a failed page is not a failed feed: {run:?}");
    assert!(
        run.stdout
            .contains("4 new, 0 updated, 1 full texts fetched, 3 full texts failed"),
        "{run:?}"
    );
    for n in 1..=4 {
        assert_eq!(
            server.requests_to(&format!("/story/{n}/")).len(),
            1,
            "page {n} fetched once"
        );
    }

    let rows = sandbox.byline(&["list", "--json"]).json();
    let id_of = |title: &str| {
        find(&rows, "title", title)["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let good = sandbox.byline(&["show", &id_of("Good page")]);
    assert!(
        good.stdout.contains("word119") && good.stdout.contains("second paragraph"),
        "{good:?}"
    );
    assert!(
        !good.stdout.contains("Footer words") && !good.stdout.contains("summary only"),
        "{good:?}"
    );

    for (title, why) in [
        ("Missing page", "server said 404"),
        ("A PDF", "not a web page (got application/pdf)"),
        ("Huge page", "response larger than 1 MiB"),
    ] {
        let show = sandbox.byline(&["show", &id_of(title)]);
        assert_eq!(show.code, 0, "{show:?}");
        assert!(show.stdout.contains("summary only"), "{show:?}");
        let flat = show.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(why), "{title}: {show:?}");
        assert!(
            show.stdout.contains(&format!("Only a summary of {title}")),
            "{show:?}"
        );
    }
    // never more than once per article, unless asked
    assert_eq!(server.requests_to("/story/2/").len(), 1);
    sandbox.byline(&["show", &id_of("Missing page"), "--refetch"]);
    assert_eq!(server.requests_to("/story/2/").len(), 2);
}

#[test]
fn show_fetches_the_full_text_on_first_open() {
    let server = TestServer::start();
    server.route(
        "/feed.xml",
        Route::rss(format!(
            "<rss version=\"2.0\"><channel><title>S</title><item><title>Opened</title><link>{}/opened/</link><guid>1</guid><description>Teaser only.</description></item></channel></rss>",
            server.base
        )),
    );
    let body: String = (0..80).map(|i| format!("fulltextword{i} ")).collect();
    server.route(
        "/opened/",
        Route::ok(format!("<html><body><article><h1>Opened</h1><p>{body}</p><p>{body}</p></article></body></html>"), "text/html"),
    );
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\n",
        server.url("/feed.xml")
    ));
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    assert!(
        server.requests_to("/opened/").is_empty(),
        "not a full_text feed: nothing fetched at refresh"
    );
    let show = sandbox.byline(&["show", "1"]);
    assert!(show.stdout.contains("fulltextword79"), "{show:?}");
    let again = sandbox.byline(&["show", "1"]);
    assert!(again.stdout.contains("fulltextword79"), "{again:?}");
    assert_eq!(
        server.requests_to("/opened/").len(),
        1,
        "kept for offline reading"
    );
}

#[test]
fn search_ranks_with_snippets_phrases_and_prefixes() {
    let (_server, sandbox) = three_feeds();
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let hits = sandbox
        .byline(&["search", "consent managers", "--json"])
        .json();
    let hits = hits.as_array().expect("array");
    assert!(!hits.is_empty());
    assert_eq!(
        hits[0]["title"],
        "Consent managers get their rules \u{2014} finally"
    );
    assert!(hits[0]["score"].as_f64().is_some_and(|s| s > 0.0));
    let snippet = hits[0]["snippet"].as_str().expect("snippet");
    assert!(snippet.to_lowercase().contains("consent"), "{snippet}");
    assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
    for key in [
        "id",
        "feed",
        "title",
        "url",
        "author",
        "published",
        "categories",
        "read",
        "starred",
    ] {
        assert!(hits[0].get(key).is_some(), "list fields too: {key}");
    }
    // prefix and phrase
    let prefix = sandbox.byline(&["search", "satell*", "--json"]).json();
    assert_eq!(
        prefix[0]["title"],
        "Satellite spectrum: the auction that wasn\u{2019}t"
    );
    let phrase = sandbox
        .byline(&["search", "\"market cap\"", "--json"])
        .json();
    assert_eq!(phrase.as_array().map(Vec::len), Some(1));
    let none = sandbox
        .byline(&["search", "\"cap market\"", "--json"])
        .json();
    assert_eq!(
        none.as_array().map(Vec::len),
        Some(0),
        "a phrase is in order"
    );
    // stemming: "rule" finds "rules"
    let stem = sandbox.byline(&["search", "rule"]);
    assert!(
        stem.stdout.contains("Consent managers") && stem.stdout.contains("Spam calls"),
        "{stem:?}"
    );
    assert!(
        stem.stdout.contains("[rules]"),
        "matches are marked in plain output: {stem:?}"
    );
    let bad = sandbox.byline(&["search", "(*&^"]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

#[test]
fn related_command_prints_json_and_says_when_nothing_is_related() {
    let (_server, sandbox) = three_feeds();
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let rows = sandbox.byline(&["list", "--json"]).json();
    let upi = find(&rows, "title", "UPI market cap deadline pushed again");
    let id = upi["id"].as_i64().unwrap().to_string();
    let related = sandbox.byline(&["related", &id, "--json"]);
    assert_eq!(related.code, 0, "{related:?}");
    for r in related.json().as_array().unwrap() {
        for key in ["id", "title", "feed", "published", "score", "reasons"] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
        assert!(!r["reasons"].as_array().unwrap().is_empty());
    }
    let human = sandbox.byline(&["related", &id]);
    assert_eq!(human.code, 0);
    let missing = sandbox.byline(&["related", "4242"]);
    assert_eq!(missing.code, 1, "{missing:?}");
}

#[test]
fn list_on_an_empty_cache_says_how_to_fill_it() {
    let (_server, sandbox) = three_feeds();
    let empty = sandbox.byline(&["list"]);
    assert_eq!(empty.code, 0, "{empty:?}");
    assert_eq!(empty.stdout, "", "{empty:?}");
    assert!(empty.stderr.contains("byline refresh"), "{empty:?}");
    let json = sandbox.byline(&["list", "--json"]);
    assert_eq!(json.json(), serde_json::json!([]), "{json:?}");
    assert!(json.stderr.contains("byline refresh"), "{json:?}");
    // once something is cached, an empty list (no unread left) is just empty
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    assert_eq!(sandbox.byline(&["mark-read", "--all"]).code, 0);
    let none = sandbox.byline(&["list", "--unread"]);
    assert_eq!(
        (none.code, none.stdout.as_str(), none.stderr.as_str()),
        (0, "", ""),
        "{none:?}"
    );
}

/// Two feeds of one site that both call themselves "Test Ledger", and one that never answered.
#[test]
fn feeds_of_the_same_name_are_told_apart_and_never_guessed_between() {
    let server = TestServer::start();
    server.route("/feed/", Route::rss(fixture("ledger.xml", &server.base)));
    // other stories (other links and guids), under the same title
    let law = fixture("ledger.xml", &server.base)
        .replace("/consent-", "/law-consent-")
        .replace("/upi-", "/law-upi-")
        .replace("/satellite-", "/law-satellite-")
        .replace("?p=10", "?p=20");
    server.route("/category/law/feed/", Route::rss(law));
    server.route("/broken/feed/", Route::status(500, "down"));
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{}\"\n",
        server.url("/feed/"),
        server.url("/category/law/feed/"),
        server.url("/broken/feed/"),
    ));
    // the first refresh learns the names as it goes; the second knows them all
    assert_eq!(sandbox.byline(&["refresh"]).code, 3);
    let refresh = sandbox.byline(&["refresh"]);
    assert!(
        refresh.stdout.contains("Test Ledger (feed): "),
        "{refresh:?}"
    );
    assert!(
        refresh.stdout.contains("Test Ledger (category/law/feed): "),
        "{refresh:?}"
    );
    // a feed never read is named by its host and path, not its host alone
    assert!(
        refresh.stdout.contains("127.0.0.1/broken/feed: error: "),
        "{refresh:?}"
    );

    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    let names: Vec<&str> = feeds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Test Ledger (feed)",
            "Test Ledger (category/law/feed)",
            "127.0.0.1/broken/feed"
        ]
    );

    // a failed refresh is not called "refreshed"; one that worked before says when
    let feed_line = |name: &str| {
        let feeds = sandbox.byline(&["feeds"]).stdout;
        feeds
            .lines()
            .find(|l| l.starts_with(name))
            .map(str::to_string)
    };
    let broken = feed_line("127.0.0.1/broken/feed");
    assert!(
        broken
            .as_deref()
            .is_some_and(|l| l.contains(" failed ") && l.contains("(never read)")),
        "{broken:?}"
    );
    server.route("/category/law/feed/", Route::status(500, "down"));
    assert_eq!(sandbox.byline(&["refresh"]).code, 3);
    let law = feed_line("Test Ledger (category/law/feed)");
    assert!(
        law.as_deref()
            .is_some_and(|l| l.contains(" failed ") && l.contains("(last read ")),
        "{law:?}"
    );

    // articles name their feeds the same way, in `list` and `search`
    for args in [&["list", "--json"][..], &["search", "consent", "--json"]] {
        let rows = sandbox.byline(args).json();
        let mut feeds: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["feed"].as_str().unwrap())
            .collect();
        feeds.sort();
        feeds.dedup();
        assert_eq!(
            feeds,
            ["Test Ledger (category/law/feed)", "Test Ledger (feed)"],
            "{args:?}"
        );
    }

    // the shared name alone is refused, naming the choices; the name as shown picks one
    let mark = sandbox.byline(&["mark-read", "--feed", "Test Ledger"]);
    assert_eq!(mark.code, 2, "{mark:?}");
    assert!(
        mark.stderr.contains("2 feeds are named \"Test Ledger\"")
            && mark.stderr.contains("\"Test Ledger (category/law/feed)\""),
        "{mark:?}"
    );
    assert_eq!(sandbox.list_feed("Test Ledger (feed)").len(), 3);
    let mark = sandbox.byline(&["mark-read", "--feed", "test ledger (category/law/feed)"]);
    assert_eq!(mark.code, 0, "{mark:?}");
    let unread = sandbox.byline(&["list", "--unread", "--json"]);
    let unread = unread.json();
    let unread = unread.as_array().unwrap();
    assert_eq!(
        unread.len(),
        3,
        "only the other feed's stay unread: {unread:?}"
    );
}
