use super::*;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Ledger &amp; Co</title><link>https://ex.test/</link>
<item><title>Rules &#8216;notified&#8217;</title><link>/a/1</link><guid isPermaLink="false">https://ex.test/?p=1</guid>
<dc:creator><![CDATA[Asha Rao]]></dc:creator><pubDate>Tue, 16 Jun 2026 10:40:00 +0000</pubDate>
<category>Privacy</category><category>DPDP</category><category>Privacy</category>
<description>Short &amp;nbsp;summary</description><content:encoded><![CDATA[<p>Full <b>text</b></p>]]></content:encoded></item>
<item><title>No id</title><link>https://ex.test/b</link></item>
<item><title>Nothing</title><pubDate>Mon, 15 Jun 2026 10:40:00 +0000</pubDate></item>
</channel></rss>"#;

#[test]
fn rss_items_become_articles() {
    let feed = parse_feed(RSS.as_bytes(), None, "https://ex.test/feed/").expect("parses");
    assert_eq!(feed.title.as_deref(), Some("Ledger & Co"));
    assert_eq!(feed.articles.len(), 3);
    let a = &feed.articles[0];
    assert_eq!(a.key, "https://ex.test/?p=1");
    assert_eq!(a.title, "Rules \u{2018}notified\u{2019}");
    assert_eq!(a.url.as_deref(), Some("https://ex.test/a/1"));
    assert_eq!(a.author.as_deref(), Some("Asha Rao"));
    assert_eq!(a.published, Some(1_781_606_400));
    assert_eq!(a.categories, vec!["Privacy", "DPDP"]);
    assert_eq!(a.content_html.as_deref(), Some("<p>Full <b>text</b></p>"));
    assert_eq!(feed.articles[1].key, "https://ex.test/b");
    // no id, no link: a hash of title and date, the same on every parse
    let again = parse_feed(RSS.as_bytes(), None, "https://ex.test/feed/").expect("parses");
    assert!(feed.articles[2].key.starts_with("hash:"));
    assert_eq!(feed.articles[2].key, again.articles[2].key);
}

#[test]
fn html_is_not_a_feed() {
    let err = parse_feed(
        b"<!DOCTYPE html><html><body>Just a moment...</body></html>",
        None,
        "https://x/",
    )
    .expect_err("html");
    assert_eq!(err.to_string(), "not a feed: got an HTML page");
    assert_eq!(
        parse_feed(b"  \n", None, "https://x/").expect_err("empty"),
        ParseError::Empty
    );
}

#[test]
fn broken_xml_is_recovered_and_the_error_kept_with_line_and_column() {
    let doc = "<rss version=\"2.0\"><channel>\n<title>x</title>\n<item><title>a</titel><guid>1</guid></item>\n<item><title>b</title><guid>2</guid></item></channel></rss>";
    let feed = parse_feed(doc.as_bytes(), None, "https://x/").expect("recovered");
    let recovery = feed.recovered.expect("was broken");
    assert!(!recovery.truncated);
    match recovery.error {
        ParseError::Xml { line, .. } => assert_eq!(line, 3),
        other => panic!("expected an XML error, got {other:?}"),
    }
    assert_eq!(feed.articles.len(), 2);
}

#[test]
fn truncated_feed_is_flagged() {
    let cut = &RSS[..RSS.find("<item><title>No id").expect("marker") + 20];
    let feed = parse_feed(cut.as_bytes(), None, "https://x/").expect("recovered");
    let recovery = feed.recovered.expect("was cut");
    assert!(recovery.truncated);
    assert!(matches!(recovery.error, ParseError::Xml { .. }));
    let whole = parse_feed(RSS.as_bytes(), None, "https://x/").expect("parses");
    assert!(whole.recovered.is_none());
}

#[test]
fn not_xml_at_all() {
    let err = parse_feed(b"<<<>>> nothing", None, "https://x/").expect_err("garbage");
    assert!(matches!(err, ParseError::Xml { line: 1, .. }), "{err}");
    let err = parse_feed(b"<html-ish>text</html-ish>", None, "https://x/").expect_err("not a feed");
    assert!(err.to_string().starts_with("not a feed"), "{err}");
}

#[test]
fn escapes_never_survive_into_fields() {
    let doc = "<rss version=\"2.0\"><channel><title>T\u{1b}]0;pwned\u{7}</title><item><title>&amp;#27;[2Jhi\u{9b}31m</title><guid>x</guid><dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\u{1b}[31mMallory</dc:creator></item></channel></rss>";
    let feed = parse_feed(doc.as_bytes(), None, "https://x/").expect("parses");
    assert_eq!(feed.title.as_deref(), Some("T"));
    assert_eq!(feed.articles[0].title, "hi");
    assert_eq!(feed.articles[0].author.as_deref(), Some("Mallory"));
}

#[test]
fn json_feed() {
    let doc = r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://j.test/1","title":"One","content_html":"<p>x</p>","date_published":"2026-01-02T03:04:05Z","tags":["a"]}]}"#;
    let feed = parse_feed(
        doc.as_bytes(),
        Some("application/feed+json"),
        "https://j.test/feed.json",
    )
    .expect("parses");
    assert_eq!(feed.articles.len(), 1);
    assert_eq!(feed.articles[0].title, "One");
    assert_eq!(feed.articles[0].categories, vec!["a"]);
}
