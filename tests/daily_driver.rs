//! The commands of a first week with Byline: add and remove feeds, OPML in and out, mark
//! read, retention and vacuum, completions, the man page and a first config. Against the
//! fixture site where it helps (skipped without BYLINE_FIXTURE_SITE), and an in-process server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{FixtureSite, Route, Sandbox, TestServer, find, fixture};

fn feed_urls(opml: &str) -> Vec<String> {
    opml.split("xmlUrl=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn add_finds_the_feed_behind_a_web_page_and_remove_takes_it_out() {
    let Some(site) = FixtureSite::start("add_finds_the_feed_behind_a_web_page") else {
        return;
    };
    let sandbox = Sandbox::new();
    let mine = "# my reading\nmouse = false  # I select text\n";
    sandbox.write_config(mine);
    // the home page announces RSS, Atom and JSON Feed: the first is taken
    let add = sandbox.byline(&["add", &site.url("/"), "--tag", "policy"]);
    assert_eq!(add.code, 0, "{add:?}");
    assert!(add.stdout.contains("added The Policy Ledger"), "{add:?}");
    assert!(add.stdout.contains("36 articles"), "{add:?}");
    assert!(
        add.stdout.contains(&site.url("/feed/atom/")),
        "the others are named: {add:?}"
    );
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(text.starts_with(mine), "comments and layout kept:\n{text}");
    assert!(
        text.contains(&format!(
            "url = \"{}\"\ntags = [\"policy\"]",
            site.url("/feed/")
        )),
        "{text}"
    );

    // the same feed again, by its URL or by an article page that announces it
    let again = sandbox.byline(&["add", &site.url("/feed/")]);
    assert_eq!(again.code, 1, "{again:?}");
    assert!(again.stderr.contains("already in"), "{again:?}");
    let page = sandbox.byline(&["add", &site.url("/about/")]);
    assert_eq!(page.code, 1, "{page:?}");
    assert!(page.stderr.contains("already in"), "{page:?}");

    // a feed URL is taken as it is, with the name given
    let json = sandbox.byline(&["add", &site.url("/feed/json/"), "--name", "Ledger JSON"]);
    assert_eq!(json.code, 0, "{json:?}");
    let refresh = sandbox.byline(&["refresh", "--json"]).json();
    assert_eq!(find(&refresh, "feed", "Ledger JSON")["new"], 36);
    assert_eq!(find(&refresh, "feed", "The Policy Ledger")["new"], 36);

    // not a feed and no feed announced
    let none = sandbox.byline(&["add", &site.url("/fault/404")]);
    assert_eq!(none.code, 1, "{none:?}");
    assert!(none.stderr.contains("no feed added"), "{none:?}");

    let removed = sandbox.byline(&["remove", "ledger json"]);
    assert_eq!(removed.code, 0, "{removed:?}");
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(!text.contains("/feed/json/"), "{text}");
    assert!(text.starts_with(mine), "{text}");
    let feeds = sandbox.byline(&["feeds", "--json"]).json();
    assert_eq!(feeds.as_array().unwrap().len(), 1, "{feeds}");
    let unknown = sandbox.byline(&["remove", "Nope"]);
    assert_eq!(unknown.code, 1, "{unknown:?}");
    assert!(
        unknown.stderr.contains("no feed named \"Nope\""),
        "{unknown:?}"
    );
}

#[test]
fn add_reads_a_page_served_here_and_refuses_what_is_no_feed() {
    let server = TestServer::start();
    server.route("/news.rss", Route::rss(fixture("ledger.xml", &server.base)));
    server.route(
        "/",
        Route::ok(
            "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/news.rss\"></head></html>",
            "text/html",
        ),
    );
    server.route(
        "/plain",
        Route::ok("<html><p>hello</p></html>", "text/html"),
    );
    let sandbox = Sandbox::new();
    sandbox.write_config("");
    let add = sandbox.byline(&["add", &server.url("/")]);
    assert_eq!(add.code, 0, "{add:?}");
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(text.contains(&server.url("/news.rss")), "{text}");
    let plain = sandbox.byline(&["add", &server.url("/plain")]);
    assert_eq!(plain.code, 1, "{plain:?}");
    assert!(plain.stderr.contains("announces no feed"), "{plain:?}");
    // the usual places were tried
    assert_eq!(server.requests_to("/feed/").len(), 1);

    // a category page, as WordPress heads it: the site's feed, its comments, then the
    // category's own feed, which is what adding the category page means
    server.route(
        "/category/fintech/feed/",
        Route::rss(fixture("ledger.xml", &server.base)),
    );
    let link = |title: &str, href: &str| {
        format!(
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{title}\" href=\"{href}\">"
        )
    };
    server.route(
        "/category/fintech/",
        Route::ok(
            format!(
                "<html><head>{}{}{}</head></html>",
                link("Ledger &raquo; Feed", "/news.rss"),
                link("Ledger &raquo; Comments Feed", "/comments/feed/"),
                link(
                    "Ledger &raquo; Fintech Category Feed",
                    "/category/fintech/feed/"
                )
            ),
            "text/html",
        ),
    );
    let category = sandbox.byline(&["add", &server.url("/category/fintech/")]);
    assert_eq!(category.code, 0, "{category:?}");
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(
        text.contains(&server.url("/category/fintech/feed/")),
        "{text}"
    );
    assert!(server.requests_to("/comments/feed/").is_empty());

    // `--config` naming a file that is not there yet: `add` makes it, from the built-in
    // default, as it does for the default path (it used to stop: "no such file")
    let new_user = Sandbox::new();
    assert!(!new_user.config().exists());
    let first = new_user.byline(&["add", &server.url("/news.rss")]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.contains("created"), "{first:?}");
    let text = std::fs::read_to_string(new_user.config()).unwrap();
    assert!(text.contains(&server.url("/news.rss")), "{text}");
    assert!(text.contains("medianama.com"), "{text}");
}

#[test]
fn opml_round_trip_and_import_report() {
    let sandbox = Sandbox::new();
    sandbox.write_config(
        "[[feeds]]\nurl = \"https://a.test/feed/\"\nname = \"A & Co\"\ntags = [\"news\", \"india\"]\n\n\
         [[feeds]]\nurl = \"https://b.test/rss\"\nname = \"B\"\n",
    );
    let first = sandbox.byline(&["export"]);
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.starts_with("<?xml"), "{first:?}");
    assert!(
        first.stdout.contains("category=\"news,india\""),
        "{first:?}"
    );
    assert!(first.stdout.contains("text=\"A &amp; Co\""), "{first:?}");
    let opml = sandbox.path("feeds.opml");
    std::fs::write(&opml, &first.stdout).unwrap();

    let other = Sandbox::new();
    other.write_config("# empty so far\n");
    let import = other.byline(&["import", opml.to_str().unwrap()]);
    assert_eq!(import.code, 0, "{import:?}");
    assert!(import.stdout.contains("imported 2 feeds"), "{import:?}");
    let second = other.byline(&["export"]);
    assert_eq!(
        second.stdout, first.stdout,
        "export, import, export: the same feeds"
    );

    // importing again skips both, and says so
    let again = other.byline(&["import", opml.to_str().unwrap()]);
    assert!(again.stdout.contains("imported 0 feeds"), "{again:?}");
    assert!(again.stdout.contains("skipped 2"), "{again:?}");

    // nested folders become tags; a clashing name gets a number; non-http is skipped
    let nested = sandbox.path("nested.opml");
    std::fs::write(
        &nested,
        "<?xml version=\"1.0\"?><opml version=\"1.0\"><head/><body>\
         <outline text=\"Tech\"><outline text=\"B\" xmlUrl=\"https://c.test/feed\"/></outline>\
         <outline text=\"Local\" xmlUrl=\"file:///etc/passwd\"/>\
         <outline text=\"A &amp; Co\" xmlUrl=\"HTTPS://A.test/feed\"/></body></opml>",
    )
    .unwrap();
    let import = sandbox.byline(&["import", nested.to_str().unwrap()]);
    assert_eq!(import.code, 0, "{import:?}");
    assert!(import.stdout.contains("imported 1 feeds"), "{import:?}");
    assert!(
        import
            .stdout
            .contains("file:///etc/passwd: not an http(s) URL"),
        "{import:?}"
    );
    assert!(
        import.stdout.contains("already there as A & Co"),
        "{import:?}"
    );
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(
        text.contains("url = \"https://c.test/feed\"\nname = \"B (2)\"\ntags = [\"Tech\"]"),
        "{text}"
    );
    assert_eq!(
        feed_urls(&sandbox.byline(&["export"]).stdout),
        [
            "https://a.test/feed/",
            "https://b.test/rss",
            "https://c.test/feed"
        ]
    );

    let broken = sandbox.path("broken.opml");
    std::fs::write(&broken, "<opml version=\"2.0\"><body><outline").unwrap();
    let bad = sandbox.byline(&["import", broken.to_str().unwrap()]);
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(
        bad.stderr.contains("broken.opml: not an OPML file"),
        "{bad:?}"
    );
}

#[test]
fn mark_read_by_id_feed_and_all() {
    let Some(site) = FixtureSite::start("mark_read_by_id_feed_and_all") else {
        return;
    };
    let sandbox = Sandbox::new();
    // RSS and Atom carry the same 36 stories; the brief is a story of its own
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"RSS\"\n[[feeds]]\nurl = \"{}\"\nname = \"Atom\"\n\
         [[feeds]]\nurl = \"{}\"\nname = \"Brief\"\n",
        site.url("/feed/"),
        site.url("/feed/atom/"),
        site.url("/fault/mutating?key=markread&window=1&reset=1")
    ));
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let unread = |name: &str| {
        find(&sandbox.byline(&["feeds", "--json"]).json(), "name", name)["unread"].clone()
    };
    assert_eq!(unread("Brief"), 1);
    // across feeds each story is listed once, and found once
    let listed = sandbox.byline(&["list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), 37, "{listed}");
    let found = sandbox
        .byline(&["search", "--json", "consent managers"])
        .json();
    let titles: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["title"].as_str())
        .collect();
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert!(
        !titles.is_empty() && unique.len() == titles.len(),
        "{found}"
    );
    let rows = sandbox.list_feed("RSS");
    let (a, b) = (rows[0]["id"].to_string(), rows[1]["id"].to_string());
    let by_id = sandbox.byline(&["mark-read", &a, &b]);
    assert_eq!(by_id.stdout, "marked 2 articles read\n", "{by_id:?}");
    assert_eq!(unread("RSS"), 34);
    assert_eq!(unread("Atom"), 34, "the same stories are read in Atom too");
    // an unread article and a typo: nothing is marked
    let unread_one = rows[2]["id"].to_string();
    let typo = sandbox.byline(&["mark-read", &unread_one, "999999"]);
    assert_eq!(typo.code, 1, "{typo:?}");
    assert!(
        typo.stderr.contains("no article with id 999999"),
        "{typo:?}"
    );
    assert_eq!(unread("RSS"), 34);
    let feed = sandbox.byline(&["mark-read", "--feed", "rss"]);
    assert_eq!(feed.stdout, "marked 34 articles read\n", "{feed:?}");
    assert_eq!(unread("Atom"), 0);
    assert_eq!(unread("Brief"), 1);
    let all = sandbox.byline(&["mark-read", "--all"]);
    assert_eq!(all.stdout, "marked 1 article read\n", "{all:?}");
    assert_eq!(unread("Brief"), 0);
    let neither = sandbox.byline(&["mark-read"]);
    assert_eq!(neither.code, 2, "{neither:?}");
}

#[test]
fn retention_lets_old_read_articles_go_and_vacuum_compacts() {
    let server = TestServer::start();
    // no validators: every refresh gets the whole feed again
    server.route("/feed.xml", Route::rss(fixture("ledger.xml", &server.base)));
    server.route("/gone.xml", Route::rss(fixture("atom.xml", &server.base)));
    let sandbox = Sandbox::new();
    let config = |extra: &str| {
        format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"Ledger\"\n{extra}\n[[feeds]]\nurl = \"{}\"\nname = \"Gone\"\n",
            server.url("/feed.xml"),
            server.url("/gone.xml")
        )
    };
    sandbox.write_config(&config(""));
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    let rows = sandbox.list_feed("Ledger");
    let total = rows.len();
    assert!(total >= 3, "{rows:?}");
    // keep 1: but every article is unread, so all stay
    sandbox.write_config(&config("keep_articles = 1"));
    let r = sandbox.byline(&["refresh"]);
    assert!(!r.stdout.contains("let go"), "{r:?}");
    assert_eq!(sandbox.list_feed("Ledger").len(), total);
    // read them all and star the oldest: the newest and the starred one stay
    assert_eq!(sandbox.byline(&["mark-read", "--feed", "Ledger"]).code, 0);
    let oldest = rows.last().unwrap()["id"].as_i64().unwrap();
    star(&sandbox, oldest);
    let r = sandbox.byline(&["refresh"]);
    assert!(
        r.stdout
            .contains(&format!("{} old articles let go", total - 2)),
        "{r:?}"
    );
    let kept: Vec<i64> = sandbox
        .list_feed("Ledger")
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(kept, [rows[0]["id"].as_i64().unwrap(), oldest]);
    // the feed still carries them: they do not come back as new
    let again = sandbox.byline(&["refresh", "--json"]).json();
    assert_eq!(find(&again, "feed", "Ledger")["new"], 0, "{again}");
    assert_eq!(sandbox.list_feed("Ledger").len(), 2);

    // "Gone" leaves the config; vacuum deletes it, and compacts
    sandbox.write_config(&format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"Ledger\"\nkeep_articles = 1\n",
        server.url("/feed.xml")
    ));
    let v = sandbox.byline(&["vacuum"]);
    assert_eq!(v.code, 0, "{v:?}");
    assert!(
        v.stdout.contains("removed 1 feeds no longer in the config"),
        "{v:?}"
    );
    assert!(v.stdout.contains("MiB ->"), "{v:?}");
    // told to, starred ones go too
    let v = sandbox.byline(&["vacuum", "--starred"]);
    assert!(v.stdout.contains("let go of 1 old articles"), "{v:?}");
    assert_eq!(sandbox.list_feed("Ledger").len(), 1);
}

/// Stars an article the way the reader does: through the cache (there is no CLI for it).
fn star(sandbox: &Sandbox, id: i64) {
    let conn = rusqlite::Connection::open(sandbox.path("cache.sqlite")).unwrap();
    conn.execute("UPDATE articles SET starred = 1 WHERE id = ?1", [id])
        .unwrap();
}

#[test]
fn completions_and_man_page_come_from_the_command_line_definition() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = sandbox.byline(&["completions", shell]);
        assert_eq!(out.code, 0, "{out:?}");
        for sub in ["refresh", "mark-read", "import", "vacuum"] {
            assert!(out.stdout.contains(sub), "{shell} completes {sub}");
        }
    }
    let bad = sandbox.byline(&["completions", "cmd.exe"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    let man = sandbox.byline(&["man"]);
    assert_eq!(man.code, 0, "{man:?}");
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH byline 1"),
        "{man:?}"
    );
    for section in [
        "BYLINE ADD",
        "BYLINE MARK-READ",
        "BYLINE VACUUM",
        "\\-\\-unread",
    ] {
        assert!(man.stdout.contains(section), "man page has {section}");
    }
}

#[test]
fn config_init_writes_the_example_once() {
    let sandbox = Sandbox::new();
    let home = sandbox.dir.path();
    // no --config: the user's config directory
    let init = common::run_byline(&["config", "init"], home);
    assert_eq!(init.code, 0, "{init:?}");
    let written = home.join("xdg-config/byline/config.toml");
    let text = std::fs::read_to_string(&written).expect("written");
    assert!(text.contains("keep_articles = 5000"), "{text}");
    let path = common::run_byline(&["config", "path"], home);
    assert_eq!(path.stdout.trim(), written.to_str().unwrap(), "{path:?}");
    std::fs::write(&written, "# mine\n").unwrap();
    let again = common::run_byline(&["config", "init"], home);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(again.stderr.contains("already there"), "{again:?}");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), "# mine\n");
    // a broken config does not stop init from writing elsewhere
    sandbox.write_config("mouse = maybe\n");
    let other = sandbox.path("new/config.toml");
    let init = common::run_byline(
        &["--config", other.to_str().unwrap(), "config", "init"],
        home,
    );
    assert_eq!(init.code, 0, "{init:?}");
}

#[test]
fn retention_and_vacuum_on_the_fixture_site() {
    let Some(site) = FixtureSite::start("retention_and_vacuum_on_the_fixture_site") else {
        return;
    };
    let sandbox = Sandbox::new();
    let feeds = format!(
        "[[feeds]]\nurl = \"{}\"\nname = \"RSS\"\nkeep_articles = 5\n",
        site.url("/feed/")
    );
    sandbox.write_config(&format!(
        "{feeds}[[feeds]]\nurl = \"{}\"\nname = \"Atom\"\n",
        site.url("/feed/atom/")
    ));
    assert_eq!(sandbox.byline(&["refresh"]).code, 0);
    assert_eq!(sandbox.list_feed("RSS").len(), 36, "all unread: all kept");
    assert_eq!(sandbox.byline(&["mark-read", "--feed", "RSS"]).code, 0);
    // the next refresh (all 304) lets the old read ones go
    let r = sandbox.byline(&["refresh"]);
    assert!(r.stdout.contains("31 old articles let go"), "{r:?}");
    let kept = sandbox.list_feed("RSS");
    assert_eq!(kept.len(), 5);
    assert_eq!(
        kept[0]["title"],
        "Explainer: how the Digital Competition Bill decides who is \u{2018}systemically significant\u{2019}"
    );
    // Atom leaves the config: vacuum deletes it and its 36 articles, and compacts
    sandbox.write_config(&feeds);
    let v = sandbox.byline(&["vacuum"]);
    assert_eq!(v.code, 0, "{v:?}");
    assert!(
        v.stdout
            .contains("let go of 0 old articles, removed 1 feeds no longer in the config"),
        "{v:?}"
    );
    let all = sandbox.byline(&["list", "--json"]).json();
    assert_eq!(all.as_array().unwrap().len(), 5);
}

#[test]
fn add_takes_a_saved_feed_by_its_path() {
    let sandbox = Sandbox::new();
    sandbox.write_config("");
    let saved = sandbox.path("saved feed.xml");
    std::fs::write(&saved, fixture("ledger.xml", "http://127.0.0.1:9")).unwrap();
    let add = sandbox.byline(&["add", saved.to_str().unwrap(), "--name", "Saved"]);
    assert_eq!(add.code, 0, "{add:?}");
    let text = std::fs::read_to_string(sandbox.config()).unwrap();
    assert!(text.contains("url = \"file:///"), "{text}");
    assert!(text.contains("saved%20feed.xml\""), "{text}");
    let refresh = sandbox.byline(&["refresh", "--json"]).json();
    assert_eq!(find(&refresh, "feed", "Saved")["status"], "ok", "{refresh}");
    // a path that is not there is not guessed at as a file
    let missing = sandbox.byline(&["add", sandbox.path("nope.xml").to_str().unwrap()]);
    assert_eq!(missing.code, 1, "{missing:?}");
}
