//! Related stories on a small hand-made cache.

use super::*;
use crate::config::FeedSpec;
use crate::feed::NewArticle;
use crate::store::{FeedMeta, ListFilter};

fn spec(url: &str, name: &str) -> FeedSpec {
    FeedSpec {
        name: Some(name.into()),
        ..FeedSpec::new(url)
    }
}

fn article(key: &str, url: &str, title: &str, body: &str, cats: &[&str], day: i64) -> NewArticle {
    NewArticle {
        key: key.into(),
        url: Some(url.into()),
        title: title.into(),
        author: None,
        published: Some(1_780_000_000 + day * 86_400),
        updated: None,
        categories: cats.iter().map(|c| c.to_string()).collect(),
        summary_html: None,
        content_html: Some(body.into()),
    }
}

const ENC: &str =
    "end-to-end encryption traceability messaging originator court platforms encrypted messages";
const PAY: &str = "payments upi npci market cap wallets transactions merchants bank settlement";

fn body(topic: &str, extra: &str) -> String {
    format!("<p>{topic} {extra} {topic}</p><p>{topic}</p>")
}

/// Three feeds: A (encryption and payments stories), B (a copy of one A story and a
/// payments story), C (a copy of B's payments story under a near-identical title).
fn cache() -> (Store, Vec<ArticleId>) {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[
            spec("https://a.test/feed", "Alpha"),
            spec("https://b.test/feed", "Beta"),
            spec("https://c.test/feed", "Gamma"),
        ])
        .expect("sync");
    let a = vec![
        article(
            "1",
            "https://a.test/enc-1/",
            "Encryption rules and traceability",
            &body(ENC, "first <a href='https://a.test/enc-2/'>more</a>"),
            &["Encryption", "Messaging"],
            1,
        ),
        article(
            "2",
            "https://a.test/enc-2/",
            "Messaging apps fight traceability order",
            &body(ENC, "second"),
            &["Encryption", "Messaging"],
            2,
        ),
        article(
            "3",
            "https://a.test/enc-3/",
            "Court hears encrypted messaging case",
            &body(ENC, "third"),
            &["Encryption"],
            3,
        ),
        article(
            "4",
            "https://a.test/pay-1/",
            "UPI market cap deadline moves again",
            &body(PAY, "fourth"),
            &["Payments"],
            4,
        ),
        article(
            "5",
            "https://a.test/drones/",
            "Drone pilots get a simpler licence",
            "<p>agricultural drone pilots crop spraying licence certification aviation regulator farmers</p>",
            &["Aviation"],
            5,
        ),
    ];
    store
        .upsert_feed(feeds[0].id, &FeedMeta::default(), &a)
        .expect("a");
    let b = vec![
        article(
            "x",
            "https://a.test/enc-1/",
            "Encryption rules and traceability",
            &body(ENC, "copy"),
            &["Encryption"],
            1,
        ),
        article(
            "y",
            "https://b.test/upi/",
            "NPCI extends the UPI market cap deadline",
            &body(PAY, "beta story"),
            &["Payments"],
            4,
        ),
    ];
    store
        .upsert_feed(feeds[1].id, &FeedMeta::default(), &b)
        .expect("b");
    let c = vec![article(
        "z",
        "https://c.test/upi-story/",
        "NPCI extends the UPI market cap deadline",
        &body(PAY, "gamma copy"),
        &["Payments"],
        4,
    )];
    store
        .upsert_feed(feeds[2].id, &FeedMeta::default(), &c)
        .expect("c");
    store.rebuild_term_stats().expect("stats");
    let rows = store.list(&ListFilter::default()).expect("list");
    let mut ids: Vec<(String, ArticleId)> = rows
        .iter()
        .map(|r| (format!("{}|{}", r.feed, r.title), r.id))
        .collect();
    ids.sort();
    (store, ids.into_iter().map(|(_, id)| id).collect())
}

fn id_of(store: &Store, feed: &str, title: &str) -> ArticleId {
    store
        .list(&ListFilter::default())
        .expect("list")
        .into_iter()
        .find(|r| r.feed == feed && r.title == title)
        .map(|r| r.id)
        .unwrap_or_else(|| panic!("{feed}: {title}"))
}

#[test]
fn same_topic_ranks_first_with_reasons_and_links() {
    let (store, _) = cache();
    let enc1 = id_of(&store, "Alpha", "Encryption rules and traceability");
    let found = for_article(&store, enc1, 5).expect("related");
    assert!(!found.is_empty());
    // the copy in Beta is the same story, named as such, first
    assert_eq!(found[0].feed, "Beta");
    assert_eq!(found[0].reasons, vec!["same story in Beta".to_string()]);
    let titles: Vec<&str> = found.iter().map(|r| r.title.as_str()).collect();
    assert!(
        titles[1..3].contains(&"Messaging apps fight traceability order"),
        "{titles:?}"
    );
    assert!(
        titles[1..3].contains(&"Court hears encrypted messaging case"),
        "{titles:?}"
    );
    let enc2 = found
        .iter()
        .find(|r| r.title.starts_with("Messaging apps"))
        .expect("enc-2");
    assert!(
        enc2.reasons
            .iter()
            .any(|r| r.starts_with("shares: ") && r.contains("Encryption")),
        "{:?}",
        enc2.reasons
    );
    assert!(
        enc2.reasons.iter().any(|r| r == "linked from this article"),
        "{:?}",
        enc2.reasons
    );
    // the other way round, the link is "links to this article"
    let back = for_article(&store, enc2.id, 5).expect("related");
    let enc1_there = back
        .iter()
        .find(|r| r.id == enc1 || r.title == "Encryption rules and traceability")
        .expect("enc-1");
    assert!(
        enc1_there
            .reasons
            .iter()
            .any(|r| r == "links to this article"),
        "{:?}",
        enc1_there.reasons
    );
}

#[test]
fn the_same_story_in_several_feeds_is_listed_once() {
    let (store, _) = cache();
    let pay = id_of(&store, "Alpha", "UPI market cap deadline moves again");
    let found = for_article(&store, pay, 5).expect("related");
    let copies: Vec<&Related> = found
        .iter()
        .filter(|r| r.title == "NPCI extends the UPI market cap deadline")
        .collect();
    assert_eq!(copies.len(), 1, "{found:?}");
    let feeds_named = copies[0].feed.clone() + &copies[0].reasons.join(" ");
    assert!(
        feeds_named.contains("Beta") && feeds_named.contains("Gamma"),
        "{found:?}"
    );
}

#[test]
fn an_unrelated_story_gets_nothing() {
    let (store, _) = cache();
    let drone = id_of(&store, "Alpha", "Drone pilots get a simpler licence");
    assert_eq!(for_article(&store, drone, 5).expect("related"), Vec::new());
    assert!(
        for_article(&store, ArticleId(999_999), 5)
            .expect("missing")
            .is_empty()
    );
}

#[test]
fn the_limit_holds() {
    let (store, _) = cache();
    let enc1 = id_of(&store, "Alpha", "Encryption rules and traceability");
    assert_eq!(for_article(&store, enc1, 2).expect("related").len(), 2);
}

#[test]
fn term_statistics_count_each_article_once_per_stem() {
    let (store, _) = cache();
    let stats = store.compute_term_stats().expect("stats");
    assert_eq!(stats.sample, 8);
    // "traceability" is in the four encryption stories (three in Alpha, Beta's copy): stems
    // are counted once per article, however often it says them
    assert_eq!(stats.df.get("traceabl"), Some(&4), "{:?}", stats.df);
    // "messaging" and "messages" share the stem "messag"
    assert_eq!(stats.df.get("messag"), Some(&4));
    // in the three payments stories; "drone" in one
    assert_eq!(stats.df.get("npci"), Some(&3));
    assert_eq!(stats.df.get("drone"), Some(&1));
    assert_eq!(stats.df.get("the"), None, "stop words are never terms");
}

#[test]
fn the_window_is_the_share_of_the_ids_around_the_article() {
    // a quarter of the span, centred on the article
    assert_eq!(window_around(500, (1, 1000), 0.25), 375..=624);
    // at either end it is shifted inside the span, never shortened
    assert_eq!(window_around(3, (1, 1000), 0.25), 1..=250);
    assert_eq!(window_around(999, (1, 1000), 0.25), 751..=1000);
    // never empty, never wider than the span
    assert_eq!(window_around(7, (1, 1000), 1e-12), 7..=7);
    assert_eq!(window_around(7, (1, 1000), 3.0), 1..=1000);
}

/// A cache where every article uses the same few words (like a generated benchmark corpus):
/// the BM25 query matches every article, so it looks only at those stored around the
/// article; the stories found are the closest of those.
#[test]
fn when_every_word_is_common_candidates_come_from_the_articles_stored_around() {
    let mut store = Store::open_in_memory().expect("store");
    let feeds = store
        .sync_feeds(&[spec("https://a.test/feed", "Alpha")])
        .expect("sync");
    let words = ["harbor", "kernel", "garden", "bridge", "castle", "river"];
    let n = 6000;
    let articles: Vec<NewArticle> = (0..n)
        .map(|i| {
            // every article has every word, in a proportion of its own
            let text: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(w, word)| format!("{word} ").repeat(1 + (i + w) % 5))
                .collect();
            article(
                &i.to_string(),
                &format!("https://a.test/{i}/"),
                &format!("{} {}", words[i % 6], words[(i + 1) % 6]),
                &format!("<p>{}</p>", text.concat()),
                &[],
                i as i64,
            )
        })
        .collect();
    store
        .upsert_feed(feeds[0].id, &FeedMeta::default(), &articles)
        .expect("store");
    store.rebuild_term_stats().expect("stats");
    let (first, last) = store.id_span().expect("span");
    assert_eq!(last - first + 1, n as i64);
    let middle = ArticleId(first + n as i64 / 2);
    let found = for_article(&store, middle, 8).expect("related");
    assert!(!found.is_empty(), "the closest stories are still found");
    // the budget is 1,000 matches, the query's words are in all 6,000 articles (twice
    // over: two words), and four budgets are affordable: a third of the ids
    let window = (middle.0 - 1000)..=(middle.0 + 1000);
    for r in &found {
        assert!(window.contains(&r.id.0), "{} outside {window:?}", r.id.0);
    }
}
