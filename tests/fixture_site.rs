//! Byline as a new user meets it: the fixture site's feeds, refreshed, listed and shown.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FixtureSite, Sandbox};

#[test]
fn fixture_site_feeds_refresh_list_and_show() {
    let Some(site) = FixtureSite::start("fixture_site_feeds_refresh_list_and_show") else {
        return;
    };
    let sandbox = Sandbox::new();
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Ledger (Atom)\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Ledger (JSON)\"\n\n[[feeds]]\nurl = \"{}\"\nname = \"Ledger (summaries)\"\n",
        site.url("/feed/"),
        site.url("/feed/atom/"),
        site.url("/feed/json/"),
        site.url("/feed/summary/"),
    ));
    let started = std::time::Instant::now();
    let first = sandbox.byline(&["refresh", "--json"]);
    let took = started.elapsed();
    assert_eq!(first.code, 0, "{first:?}");
    for r in first.json().as_array().expect("array") {
        assert_eq!(r["status"], "ok", "{r}");
        assert_eq!(r["new"], 36, "{r}");
    }
    println!("first refresh of 4 fixture feeds (144 articles): {took:?}");

    let second = sandbox.byline(&["refresh", "--json"]);
    for r in second.json().as_array().expect("array") {
        assert_eq!(r["status"], "not_modified", "{r}");
    }
    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    assert_eq!(feeds[0]["name"], "The Policy Ledger");
    assert_eq!(feeds[0]["articles"], 36);

    let rows = sandbox.list_feed("The Policy Ledger");
    assert_eq!(rows.len(), 36);
    // Titles arrive with WordPress's numeric entities; they must be decoded.
    assert!(
        rows.iter()
            .all(|r| !r["title"].as_str().unwrap_or("&").contains('&'))
    );
    assert_eq!(
        rows[0]["title"],
        "Explainer: how the Digital Competition Bill decides who is \u{2018}systemically significant\u{2019}"
    );
    assert_eq!(rows[0]["author"], "Farhan Qadri");
    assert_eq!(rows[0]["published"], "2026-06-16T10:40:00Z");

    let id = rows[0]["id"].as_i64().expect("id").to_string();
    let show = sandbox.byline(&["show", &id, "--width", "72"]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(
        show.stdout
            .contains("systemically significant digital enterprise"),
        "{show:?}"
    );
}
