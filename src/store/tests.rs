use super::*;
use crate::config::FeedSpec;
use crate::feed::NewArticle;

fn spec(url: &str, name: Option<&str>) -> FeedSpec {
    FeedSpec {
        name: name.map(str::to_string),
        ..FeedSpec::new(url)
    }
}

fn article(key: &str, title: &str, published: i64) -> NewArticle {
    NewArticle {
        key: key.into(),
        url: Some(format!("https://ex.test/{key}")),
        title: title.into(),
        author: Some("A".into()),
        published: Some(published),
        updated: None,
        categories: vec!["Privacy".into()],
        summary_html: Some("<p>sum</p>".into()),
        content_html: Some(format!("<p>{title} body</p>")),
    }
}

#[test]
fn upsert_inserts_updates_and_skips_unchanged() {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[spec("https://ex.test/feed", Some("Ex"))])
        .expect("sync");
    let feed = feeds[0].id;
    let meta = FeedMeta {
        title: Some("Example".into()),
        ..Default::default()
    };
    let batch = vec![
        article("1", "One", 100),
        article("2", "Two", 200),
        article("1", "One again", 100),
    ];
    let c = store.upsert_feed(feed, &meta, &batch).expect("upsert");
    assert_eq!(c, UpsertCounts { new: 2, updated: 0 });

    let again = store.upsert_feed(feed, &meta, &batch).expect("upsert");
    assert_eq!(again, UpsertCounts { new: 0, updated: 0 });

    let list = store.list(&ListFilter::default()).expect("list");
    assert_eq!(
        list.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
        ["Two", "One"]
    );
    assert_eq!(list[0].feed, "Ex");
    let two = list[0].id;
    store.set_read(two, true).expect("read");
    store.set_starred(two, true).expect("star");

    let changed = vec![article("2", "Two, revised", 200)];
    let c = store.upsert_feed(feed, &meta, &changed).expect("upsert");
    assert_eq!(c, UpsertCounts { new: 0, updated: 1 });
    let a = store.article(two).expect("get").expect("exists");
    assert_eq!(a.row.title, "Two, revised");
    assert!(a.row.read && a.row.starred, "state survives an update");
    assert!(a.text.contains("Two, revised body"));

    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!((row.article_count, row.unread_count), (2, 1));
    store.mark_feed_read(feed).expect("mark");
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!(row.unread_count, 0);
    let unread = store
        .list(&ListFilter {
            unread_only: true,
            ..Default::default()
        })
        .expect("list");
    assert!(unread.is_empty());
}

#[test]
fn the_same_entry_in_two_feeds_is_two_articles() {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[
            spec("https://a.test/feed", None),
            spec("https://b.test/feed", None),
        ])
        .expect("sync");
    for f in &feeds {
        store
            .upsert_feed(f.id, &FeedMeta::default(), &[article("same", "Same", 1)])
            .expect("upsert");
    }
    assert_eq!(store.article_count().expect("count"), 2);
    let names: Vec<String> = store
        .feeds()
        .expect("feeds")
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, ["a.test/feed", "b.test/feed"]);
}

#[test]
fn sync_follows_the_config_and_keeps_articles_of_dropped_feeds() {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[
            spec("https://a.test/feed", Some("A")),
            spec("https://b.test/feed", None),
        ])
        .expect("sync");
    store
        .upsert_feed(feeds[1].id, &FeedMeta::default(), &[article("x", "X", 1)])
        .expect("upsert");
    let now_feeds = store
        .sync_feeds(&[spec("https://a.test/feed", Some("Renamed"))])
        .expect("sync");
    assert_eq!(now_feeds.len(), 1);
    assert_eq!(now_feeds[0].name, "Renamed");
    assert_eq!(store.feeds().expect("feeds").len(), 1);
    assert_eq!(
        store.article_count().expect("count"),
        1,
        "articles are kept"
    );
    // subscribing again brings them back
    store
        .sync_feeds(&[
            spec("https://a.test/feed", None),
            spec("https://b.test/feed", None),
        ])
        .expect("sync");
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 1);
}

/// A new cache following `https://HOST.test/feed` for each host, in that order.
pub(crate) fn store_following(hosts: &[&str]) -> (Store, Vec<FeedRow>) {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = follow(&mut store, hosts);
    (store, feeds)
}

/// Follows `https://HOST.test/feed` for each host, in that order.
fn follow(store: &mut Store, hosts: &[&str]) -> Vec<FeedRow> {
    let specs: Vec<FeedSpec> = hosts
        .iter()
        .map(|h| spec(&format!("https://{h}.test/feed"), None))
        .collect();
    store.sync_feeds(&specs).expect("sync")
}

#[test]
fn marking_read_in_steps_stops_at_the_ceiling_and_at_the_feed() {
    let (mut store, feeds) = store_following(&["a", "b", "gone"]);
    let batch = |p: &str| -> Vec<NewArticle> {
        (0..5)
            .map(|i| article(&format!("{p}{i}"), &format!("{p} {i}"), 100 + i))
            .collect()
    };
    for (feed, p) in feeds.iter().zip(["a", "b", "g"]) {
        store
            .upsert_feed(feed.id, &FeedMeta::default(), &batch(p))
            .expect("upsert");
    }
    // dropped from the config: "everything" is every subscribed feed
    store
        .sync_feeds(&[
            spec("https://a.test/feed", None),
            spec("https://b.test/feed", None),
        ])
        .expect("sync");
    let ceiling = store.last_article_id().expect("last");
    // stored after the user asked: stays unread
    store
        .upsert_feed(feeds[0].id, &FeedMeta::default(), &batch("late"))
        .expect("upsert");
    let unread = |store: &Store, feed: usize| -> i64 {
        store
            .feed(feeds[feed].id)
            .expect("feed")
            .expect("exists")
            .unread_count
    };

    // one feed: all five of b, in steps of two
    let steps: Vec<usize> = (0..4)
        .map(|_| {
            store
                .mark_read_batch(Some(feeds[1].id), ceiling, Some(2))
                .expect("step")
        })
        .collect();
    assert_eq!(steps, [2, 2, 1, 0]);
    assert_eq!((unread(&store, 0), unread(&store, 1)), (10, 0));

    // every subscribed feed: the five of a stored before the ceiling, not the late ones,
    // not the dropped feed's
    let mut marked = 0;
    loop {
        let n = store.mark_read_batch(None, ceiling, Some(3)).expect("step");
        assert!(n <= 3);
        if n == 0 {
            break;
        }
        marked += n;
    }
    assert_eq!(marked, 5);
    assert_eq!((unread(&store, 0), unread(&store, 2)), (5, 5));
    let still_unread: Vec<String> = store
        .list(&ListFilter {
            unread_only: true,
            feed: Some(feeds[0].id),
            ..Default::default()
        })
        .expect("list")
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(still_unread.len(), 5);
    assert!(
        still_unread.iter().all(|t| t.starts_with("late")),
        "{still_unread:?}"
    );
}

#[test]
fn sync_gives_the_feeds_in_the_config_order() {
    let (mut store, first) = store_following(&["a", "b", "c"]);
    let again = store
        .sync_feeds(&[
            spec("https://c.test/feed", None),
            spec("https://a.test/feed", Some("A")),
        ])
        .expect("sync");
    let urls: Vec<&str> = again.iter().map(|f| f.url.as_str()).collect();
    assert_eq!(urls, ["https://c.test/feed", "https://a.test/feed"]);
    assert_eq!((again[0].id, again[1].id), (first[2].id, first[0].id));
    assert_eq!(again[1].name, "A");
}

#[test]
fn refuses_a_newer_schema_and_a_non_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("c.sqlite");
    drop(Store::open(&path).expect("create"));
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("bump");
    }
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(&path).err().expect("too new");
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "file untouched"
    );

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(
        &junk,
        b"this is not a database at all, just text, long enough to be a header....",
    )
    .expect("write");
    let err = Store::open(&junk).err().expect("corrupt");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(
        std::fs::read(&junk)
            .expect("read")
            .starts_with(b"this is not")
    );
}

#[test]
fn search_skips_dropped_feeds_even_when_they_rank_first() {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[
            spec("https://kept.test/feed", Some("Kept")),
            spec("https://dropped.test/feed", Some("Dropped")),
        ])
        .expect("sync");
    // The dropped feed's articles say "spectrum" more often, so they rank first, and there
    // are more of them than the first ranking round takes.
    let loud: Vec<NewArticle> = (0..60)
        .map(|i| article(&format!("d{i}"), "spectrum spectrum spectrum auction", i))
        .collect();
    store
        .upsert_feed(feeds[1].id, &FeedMeta::default(), &loud)
        .expect("upsert");
    let quiet: Vec<NewArticle> = (0..3)
        .map(|i| article(&format!("k{i}"), &format!("Spectrum note {i}"), i))
        .collect();
    store
        .upsert_feed(feeds[0].id, &FeedMeta::default(), &quiet)
        .expect("upsert");
    store
        .sync_feeds(&[spec("https://kept.test/feed", Some("Kept"))])
        .expect("sync");

    let hits = crate::search::search(&store, "spectrum", 5).expect("search");
    assert_eq!(hits.len(), 3, "all three subscribed matches, none dropped");
    assert!(hits.iter().all(|h| h.row.feed == "Kept"));
    assert!(
        hits.iter()
            .all(|h| h.snippet.contains(crate::search::MATCH_START))
    );
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));

    // with everything subscribed, the loud ones come first
    store
        .sync_feeds(&[
            spec("https://kept.test/feed", Some("Kept")),
            spec("https://dropped.test/feed", Some("Dropped")),
        ])
        .expect("sync");
    let hits = crate::search::search(&store, "spectrum", 5).expect("search");
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h.row.feed == "Dropped"));
}

/// An in-memory cache following one feed.
fn store_with_one_feed() -> (Store, FeedId) {
    let mut store = Store::open_in_memory().expect("store");
    let feed = store
        .sync_feeds(&[spec("https://ex.test/feed", None)])
        .expect("sync")[0]
        .id;
    (store, feed)
}

/// Titles of the feed's articles, newest first.
fn titles(store: &Store) -> Vec<String> {
    listed(store, ListFilter::default())
}

#[test]
fn retention_keeps_the_newest_and_never_unread_or_starred() {
    let (mut store, feed) = store_with_one_feed();
    let now = super::now();
    let batch: Vec<_> = (1..=6)
        .map(|n| {
            article(
                &n.to_string(),
                &format!("A{n}"),
                now - 86_400 * (10 - n) - 3600,
            )
        })
        .collect();
    store
        .upsert_feed(feed, &FeedMeta::default(), &batch)
        .expect("upsert");
    let rows = store.list(&ListFilter::default()).expect("list");
    // read: all but A1; A2 starred
    for r in &rows {
        if r.title != "A1" {
            store.set_read(r.id, true).expect("read");
        }
        if r.title == "A2" {
            store.set_starred(r.id, true).expect("star");
        }
    }
    let keep_two = crate::config::Retention {
        max_articles: Some(2),
        max_age_days: None,
    };
    let n = store
        .prune(feed, keep_two, PruneScope::default())
        .expect("prune");
    assert_eq!(n, 2, "A3 and A4 go; A1 is unread, A2 starred");
    assert_eq!(titles(&store), ["A6", "A5", "A2", "A1"]);
    let row = store.feed(feed).expect("feed").expect("exists");
    assert_eq!((row.article_count, row.unread_count), (4, 1));

    // by age: A5 is 5 days and an hour old
    let young = crate::config::Retention {
        max_articles: None,
        max_age_days: Some(5),
    };
    assert_eq!(
        store
            .prune(feed, young, PruneScope::default())
            .expect("prune"),
        1
    );
    assert_eq!(titles(&store), ["A6", "A2", "A1"]);

    // told to: unread and starred go too
    let all = PruneScope {
        unread: true,
        starred: true,
    };
    assert_eq!(store.prune(feed, young, all).expect("prune"), 2);
    assert_eq!(titles(&store), ["A6"]);
    let hits = crate::search::search(&store, "A1", 5).expect("search");
    assert!(hits.is_empty(), "gone from search");
}

#[test]
fn a_pruned_article_does_not_come_back_while_its_feed_carries_it() {
    let (mut store, feed) = store_with_one_feed();
    let now = super::now();
    let batch = vec![
        article("old", "Old", now - 86_400 * 100),
        article("new", "New", now),
    ];
    store
        .upsert_feed(feed, &FeedMeta::default(), &batch)
        .expect("upsert");
    for r in store.list(&ListFilter::default()).expect("list") {
        store.set_read(r.id, true).expect("read");
    }
    let month = crate::config::Retention {
        max_articles: None,
        max_age_days: Some(30),
    };
    assert_eq!(
        store
            .prune(feed, month, PruneScope::default())
            .expect("prune"),
        1
    );
    let c = store
        .upsert_feed(feed, &FeedMeta::default(), &batch)
        .expect("upsert");
    assert_eq!(c, UpsertCounts { new: 0, updated: 0 }, "not new again");
    assert_eq!(titles(&store), ["New"]);
    // once the feed drops it, it is forgotten: were it to return, it would be news
    store
        .upsert_feed(feed, &FeedMeta::default(), &batch[1..])
        .expect("upsert");
    let c = store
        .upsert_feed(feed, &FeedMeta::default(), &batch)
        .expect("upsert");
    assert_eq!(c.new, 1);
}

#[test]
fn changed_elsewhere_sees_writes_by_another_connection_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.sqlite");
    let mut reader = Store::open(&path).expect("open");
    let mut other = Store::open(&path).expect("open");
    assert!(!reader.changed_elsewhere().expect("first look"));
    reader
        .sync_feeds(&[spec("https://ex.test/a", None)])
        .expect("own write");
    assert!(!reader.changed_elsewhere().expect("own writes do not count"));
    other
        .sync_feeds(&[spec("https://ex.test/b", None)])
        .expect("other write");
    assert!(reader.changed_elsewhere().expect("look"));
    assert!(!reader.changed_elsewhere().expect("once"));
}

/// Writes `commits` transactions of about forty log pages each.
fn write_commits(store: &mut Store, commits: usize) {
    let feed = store
        .sync_feeds(&[spec("https://ex.test/feed", None)])
        .expect("sync")[0]
        .id;
    let body = "<p>".to_string() + &"words of a long article ".repeat(1600) + "</p>";
    for i in 0..commits {
        let mut a = article(&format!("{i}"), &format!("Article {i}"), 100 + i as i64);
        a.content_html = Some(format!("{body}<p>{i}</p>"));
        store
            .upsert_feed(feed, &FeedMeta::default(), &[a])
            .expect("upsert");
    }
}

#[test]
fn the_log_is_copied_back_on_a_thread_of_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.sqlite");
    // the writer never checkpoints: whatever reaches the database file, the thread copied
    let at = checkpoint::Thresholds {
        thread: 16,
        writer: i32::MAX,
    };
    let mut store = Store::open_with(&path, at).expect("open");
    let (db_before, _) = retention::sizes_on_disk(&path);
    write_commits(&mut store, 30);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while retention::sizes_on_disk(&path).0 <= db_before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        retention::sizes_on_disk(&path).0 > db_before,
        "the database file grew while the writer was open: {:?}",
        retention::sizes_on_disk(&path)
    );
    drop(store);
    // the thread was done and its connection closed before the writer's: the last
    // connection to close copies what is left and removes the log
    assert_eq!(
        retention::sizes_on_disk(&path).1,
        0,
        "no log left after closing"
    );
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.list(&ListFilter::default()).expect("list").len(), 30);
}

#[test]
fn the_writer_keeps_the_log_from_growing_without_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.sqlite");
    // no thread checkpoints: the bound is the writer's alone
    let at = checkpoint::Thresholds {
        thread: i32::MAX,
        writer: 40,
    };
    let mut store = Store::open_with(&path, at).expect("open");
    write_commits(&mut store, 60);
    let (db, wal) = retention::sizes_on_disk(&path);
    // about forty pages a commit: without the writer's checkpoints the log would hold 2,400
    assert!(wal < 120 * 4096, "log of {wal} bytes");
    assert!(db > 300 * 4096, "database file of {db} bytes");
}

#[test]
fn an_updated_article_keeps_only_its_new_categories_and_links() {
    let mut store = Store::open_in_memory().expect("store");
    let feed = store
        .sync_feeds(&[spec("https://ex.test/feed", None)])
        .expect("sync")[0]
        .id;
    let with = |key: &str, categories: &[&str], link: &str| NewArticle {
        categories: categories.iter().map(|c| c.to_string()).collect(),
        content_html: Some(format!(
            "<p>{key} <a href=\"https://x.test/{link}\">l</a></p>"
        )),
        ..article(key, &format!("Title {key}"), 100)
    };
    let meta = FeedMeta::default();
    let first = [
        with("1", &["Privacy", "Policy"], "a"),
        with("2", &["privacy"], "b"),
    ];
    store.upsert_feed(feed, &meta, &first).expect("upsert");
    let id = |key: &str| -> ArticleId {
        store
            .conn
            .query_row("SELECT id FROM articles WHERE key = ?1", [key], |r| {
                Ok(ArticleId(r.get(0)?))
            })
            .expect("id")
    };
    let (one, two) = (id("1"), id("2"));
    let categories = |store: &Store, of: ArticleId| -> Vec<(String, i64)> {
        let mut got: Vec<_> = store
            .categories_of(&[of])
            .expect("categories")
            .into_iter()
            .map(|(_, _, name, df)| (name, df))
            .collect();
        got.sort();
        got
    };
    let links = |store: &Store, of: ArticleId| -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare("SELECT url_key FROM article_links WHERE article_id = ?1 ORDER BY 1")
            .expect("prepare");
        let rows = stmt.query_map([of.0], |r| r.get(0)).expect("query");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    };
    // one category for both spellings, named as first seen, counted once per article
    assert_eq!(
        categories(&store, one),
        [("Policy".to_string(), 1), ("Privacy".to_string(), 2)]
    );
    assert_eq!(categories(&store, two), [("Privacy".to_string(), 2)]);
    let links_before = links(&store, one);
    assert_eq!(links_before.len(), 1, "{links_before:?}");

    store
        .upsert_feed(feed, &meta, &[with("1", &["Telecom", "PRIVACY"], "c")])
        .expect("update");
    assert_eq!(
        categories(&store, one),
        [("Privacy".to_string(), 2), ("Telecom".to_string(), 1)]
    );
    let policy_df: i64 = store
        .conn
        .query_row("SELECT df FROM categories WHERE key = 'policy'", [], |r| {
            r.get(0)
        })
        .expect("policy");
    assert_eq!(policy_df, 0, "the category the article no longer carries");
    let links_after = links(&store, one);
    assert_eq!(links_after.len(), 1, "{links_after:?}");
    assert_ne!(links_after, links_before, "the old link went");
    assert_eq!(
        links(&store, two).len(),
        1,
        "the other article's link stays"
    );
}

#[test]
fn the_reader_search_ranks_the_newest_matches_that_pass_its_filter() {
    let (mut store, feeds) = store_following(&["old", "new"]);
    // Stored first (older rowids): two matches in "old", one of them loud.
    let old = vec![
        article("o1", "Spectrum auction spectrum spectrum", 1),
        article("o2", "A note on spectrum", 2),
    ];
    store
        .upsert_feed(feeds[0].id, &FeedMeta::default(), &old)
        .expect("upsert");
    // Then four in "new", and one that does not match.
    let new: Vec<NewArticle> = (0..4)
        .map(|i| {
            article(
                &format!("n{i}"),
                &format!("Spectrum {}", "word ".repeat(i)),
                10 + i as i64,
            )
        })
        .chain([article("n9", "Nothing here", 20)])
        .collect();
    store
        .upsert_feed(feeds[1].id, &FeedMeta::default(), &new)
        .expect("upsert");
    let id_of = |key: &str| {
        store
            .list(&ListFilter::default())
            .expect("list")
            .into_iter()
            .find(|r| r.url.as_deref() == Some(&format!("https://ex.test/{key}")))
            .map(|r| r.id)
            .expect("stored")
    };
    let search = |feed: Option<FeedId>, window: i64| {
        let filter = ListFilter {
            feed,
            search: Some("spectrum".into()),
            ..ListFilter::default()
        };
        store
            .list_ids_within(&filter, window)
            .expect("ids")
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };

    // A wide window: every match, the loud old one first, shorter titles before longer.
    let all = search(None, 100);
    assert_eq!(all.len(), 6, "{all:?}");
    assert_eq!(all[0], id_of("o1"));
    let news: Vec<_> = (0..4).map(|i| id_of(&format!("n{i}"))).collect();
    let pos = |id| all.iter().position(|x| *x == id).expect("listed");
    assert!(news.windows(2).all(|w| pos(w[0]) < pos(w[1])), "{all:?}");
    // The reader's search and `byline search` rank alike.
    let ranked: Vec<_> = store
        .search_ranked("\"spectrum\"")
        .expect("ranked")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(all, ranked);

    // A window of four: only the four newest matches, ranked among themselves.
    assert_eq!(search(None, 4), news);
    // Within one feed the window counts that feed's matches only.
    assert_eq!(search(Some(feeds[0].id), 4), vec![id_of("o1"), id_of("o2")]);
}

/// An entry of feed-specific `key` for the story at `https://ex.test/{story}`.
pub(crate) fn story(key: &str, story: &str, title: &str, published: i64) -> NewArticle {
    NewArticle {
        url: Some(format!("https://ex.test/{story}")),
        ..article(key, title, published)
    }
}

fn listed(store: &Store, filter: ListFilter) -> Vec<String> {
    store
        .list(&filter)
        .expect("list")
        .into_iter()
        .map(|r| r.title)
        .collect()
}

fn unread_counts(store: &Store) -> Vec<i64> {
    store
        .feeds()
        .expect("feeds")
        .iter()
        .map(|f| f.unread_count)
        .collect()
}

#[test]
fn a_story_in_several_feeds_is_listed_once_across_feeds_and_read_in_all() {
    let (mut store, feeds) = store_following(&["a", "b", "c", "d"]);
    let (a, b, c, d) = (feeds[0].id, feeds[1].id, feeds[2].id, feeds[3].id);
    let meta = FeedMeta::default();
    let stories = [("a1", "s1", "Story one", 10), ("a2", "s2", "Two", 20)];
    store
        .upsert_feed(a, &meta, &stories.map(|(k, s, t, p)| story(k, s, t, p)))
        .expect("a");
    // the same story under b's own key, and through http://www. (the same page)
    let mut via_www = story("b1", "s1", "Story one", 10);
    via_www.url = Some("http://www.ex.test/s1/".into());
    store
        .upsert_feed(b, &meta, &[via_www, story("b3", "s3", "Three", 30)])
        .expect("b");
    store
        .upsert_feed(c, &meta, &[story("c1", "s1", "Story one", 10)])
        .expect("c");

    let all = ListFilter::default();
    assert_eq!(listed(&store, all.clone()), ["Three", "Two", "Story one"]);
    let ids = store.list_ids(&all).expect("ids");
    assert_eq!(ids.len(), 3, "{ids:?}");
    let only_b = ListFilter {
        feed: Some(b),
        ..Default::default()
    };
    assert_eq!(listed(&store, only_b.clone()), ["Three", "Story one"]);
    // search: once across feeds, and a feed's own copy within it
    let searching = |feed| ListFilter {
        feed,
        search: Some("story".into()),
        ..Default::default()
    };
    assert_eq!(store.list_ids(&searching(None)).expect("s").len(), 1);
    let in_c = store.list_ids(&searching(Some(c))).expect("s");
    assert_eq!(in_c.len(), 1);
    assert_eq!(
        crate::search::search(&store, "story", 10).expect("s").len(),
        1
    );
    // the feeds count their own; "all feeds" leaves the two copies out
    assert_eq!(unread_counts(&store), [2, 2, 1, 0]);
    assert_eq!(store.hidden_unread().expect("hidden"), 2);

    // reading one copy reads the story in every feed
    let copy_in_c = in_c[0].0;
    assert!(store.has_copies(copy_in_c).expect("copies"));
    store.set_read(copy_in_c, true).expect("read");
    assert_eq!(unread_counts(&store), [1, 1, 0, 0]);
    assert_eq!(store.hidden_unread().expect("hidden"), 0);
    let unread = ListFilter {
        unread_only: true,
        ..Default::default()
    };
    assert_eq!(listed(&store, unread.clone()), ["Three", "Two"]);
    // and unreading the original unreads them all
    let original = store.list_ids(&searching(None)).expect("s")[0].0;
    assert_ne!(original, copy_in_c);
    store.set_read(original, false).expect("unread");
    assert_eq!(unread_counts(&store), [2, 2, 1, 0]);
    // marking a feed read reads its stories in the other feeds too
    store.mark_feed_read(c).expect("mark");
    assert_eq!(unread_counts(&store), [1, 1, 0, 0]);

    // a new copy of a story already read arrives read; a story of its own does not
    let stories = [("d1", "s1", "Story one", 10), ("d4", "s4", "Four", 40)];
    store
        .upsert_feed(d, &meta, &stories.map(|(k, s, t, p)| story(k, s, t, p)))
        .expect("d");
    assert_eq!(unread_counts(&store), [1, 1, 0, 1]);
    assert_eq!(listed(&store, unread), ["Four", "Three", "Two"]);
    // an article without a link is nobody's copy
    let mut no_link = article("a5", "Five", 50);
    no_link.url = None;
    store.upsert_feed(a, &meta, &[no_link.clone()]).expect("a");
    store.upsert_feed(b, &meta, &[no_link]).expect("b");
    assert_eq!(listed(&store, all)[..2], ["Five", "Five"]);
    assert!(
        !store.has_copies(ids[0].0).expect("copies"),
        "Three has none"
    );
}

#[test]
fn the_whole_story_takes_the_place_of_a_summary_stored_first() {
    let (mut store, feeds) = store_following(&["summary", "full", "other"]);
    let (summary, full, other) = (feeds[0].id, feeds[1].id, feeds[2].id);
    let meta = FeedMeta::default();
    let whole = |key: &str| {
        let mut a = story(key, "s1", "Story one", 10);
        a.content_html = Some(format!("<p>{}</p>", "word ".repeat(80)));
        a
    };
    let short = |key: &str| {
        let mut a = story(key, "s1", "Story one", 10);
        a.content_html = None;
        a
    };
    store
        .upsert_feed(summary, &meta, &[short("s")])
        .expect("summary");
    store.upsert_feed(full, &meta, &[whole("f")]).expect("full");
    // a later summary is a copy of the whole story, not of the first summary
    store
        .upsert_feed(other, &meta, &[short("o")])
        .expect("other");
    let ids = store.list_ids(&ListFilter::default()).expect("ids");
    assert_eq!(ids.len(), 1, "{ids:?}");
    let listed = store.article(ids[0].0).expect("article").expect("there");
    assert_eq!(
        listed.row.feed_id, full,
        "the whole story is the one listed"
    );
    assert_eq!(listed.full_text, FullText::InFeed);
    let copies: Vec<(i64, i64)> = store
        .conn
        .prepare("SELECT article_id, original_id FROM copies ORDER BY article_id")
        .expect("sql")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("copies");
    let id_in = |feed| {
        store
            .list_ids(&ListFilter {
                feed: Some(feed),
                ..Default::default()
            })
            .expect("ids")[0]
            .0
            .0
    };
    let (s, f, o) = (id_in(summary), id_in(full), id_in(other));
    assert_eq!(copies, [(s, f), (o, f)]);
    // still one story: reading the summary reads it everywhere
    store.set_read(ArticleId(s), true).expect("read");
    assert_eq!(unread_counts(&store), [0, 0, 0]);
    assert_eq!(store.hidden_unread().expect("hidden"), 0);

    // a summary does not take the place of a whole story, nor a whole story that of another
    let (mut store, feeds) = store_following(&["full", "summary", "full2"]);
    store
        .upsert_feed(feeds[0].id, &meta, &[whole("f")])
        .expect("full");
    store
        .upsert_feed(feeds[1].id, &meta, &[short("s")])
        .expect("summary");
    store
        .upsert_feed(feeds[2].id, &meta, &[whole("g")])
        .expect("full2");
    let ids = store.list_ids(&ListFilter::default()).expect("ids");
    assert_eq!(ids.len(), 1, "{ids:?}");
    let listed = store.article(ids[0].0).expect("article").expect("there");
    assert_eq!(listed.row.feed_id, feeds[0].id);
}

#[test]
fn copies_are_listed_when_their_original_is_not() {
    let (mut store, feeds) = store_following(&["a", "b", "c"]);
    let meta = FeedMeta::default();
    for (f, key) in feeds.iter().zip(["a1", "b1", "c1"]) {
        store
            .upsert_feed(f.id, &meta, &[story(key, "s1", "Story one", 10)])
            .expect("upsert");
    }
    // a second article of b with the same URL: another copy of a's
    store
        .upsert_feed(
            feeds[1].id,
            &meta,
            &[story("b2", "s1", "Story one again", 11)],
        )
        .expect("b");
    let all = ListFilter::default();
    assert_eq!(listed(&store, all.clone()), ["Story one"]);
    let feed_of_listed = |store: &Store| -> Vec<FeedId> {
        store
            .list(&ListFilter::default())
            .expect("list")
            .iter()
            .map(|r| r.feed_id)
            .collect()
    };
    assert_eq!(feed_of_listed(&store), [feeds[0].id]);

    // the original's feed dropped from the config: a copy is listed in its place
    store
        .sync_feeds(&[
            spec("https://b.test/feed", None),
            spec("https://c.test/feed", None),
        ])
        .expect("sync");
    let shown = feed_of_listed(&store);
    assert_eq!(shown.len(), 3, "b2, and b1 and c1 both: {shown:?}");
    // ... and then deleted: the oldest copy (b's) becomes the original, c's is its copy,
    // and b's second article is listed as b's own (a feed's own articles are never copies
    // of each other)
    store
        .remove_unsubscribed(PruneScope::default())
        .expect("remove");
    assert_eq!(listed(&store, all), ["Story one again", "Story one"]);
    assert_eq!(feed_of_listed(&store), [feeds[1].id, feeds[1].id]);
    assert_eq!(store.hidden_unread().expect("hidden"), 1);
    let copies: i64 = store
        .conn
        .query_row("SELECT count(*) FROM copies", [], |r| r.get(0))
        .expect("count");
    assert_eq!(copies, 1);
}

#[test]
fn an_older_cache_learns_its_copies_when_it_is_opened() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cache.sqlite");
    {
        let mut store = Store::open(&path).expect("store");
        let feeds = follow(&mut store, &["a", "b"]);
        for f in &feeds {
            store
                .upsert_feed(
                    f.id,
                    &FeedMeta::default(),
                    &[
                        story("k", "s1", "Story one", 10),
                        story("k2", "s2", "Two", 20),
                    ],
                )
                .expect("upsert");
        }
        // back to schema 3: no copies table, no triggers; story two read in b only
        store
            .conn
            .execute_batch(
                "DROP TRIGGER copies_ad; DROP TRIGGER copies_ad_original;
                 DROP TRIGGER copies_au_read; DROP TABLE copies; PRAGMA user_version = 3;",
            )
            .expect("downgrade");
        store
            .conn
            .execute(
                "UPDATE articles SET read = 1 WHERE key = 'k2' AND feed_id = ?1",
                [feeds[1].id.0],
            )
            .expect("read");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(listed(&store, ListFilter::default()), ["Two", "Story one"]);
    assert_eq!(
        store.hidden_unread().expect("hidden"),
        1,
        "story one's copy"
    );
    // story two, read in b, is read in a too
    assert_eq!(unread_counts(&store), [1, 1]);
}
