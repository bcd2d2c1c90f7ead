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

/// Every dialect a reader meets yields its entries.
#[test]
fn every_dialect_yields_its_entries() {
    let item =
        "<item><title>T</title><link>https://d.test/1</link><description>d</description></item>";
    let cases: Vec<(&str, String)> = vec![
        ("RSS 0.91", format!("<rss version=\"0.91\"><channel><title>C</title>{item}</channel></rss>")),
        ("RSS 0.92", format!("<rss version=\"0.92\"><channel><title>C</title>{item}</channel></rss>")),
        ("RSS 0.94", format!("<rss version=\"0.94\"><channel><title>C</title>{item}</channel></rss>")),
        ("RSS 2.0", format!("<rss version=\"2.0\"><channel><title>C</title>{item}</channel></rss>")),
        ("RSS without version", format!("<rss><channel><title>C</title>{item}</channel></rss>")),
        (
            "RSS 0.90",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\"><channel><title>C</title></channel><item><title>T</title></item></rdf:RDF>".into(),
        ),
        (
            "RSS 1.0",
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel rdf:about=\"x\"><title>C</title></channel><item rdf:about=\"https://d.test/1\"><title>T</title></item></rdf:RDF>".into(),
        ),
        (
            "Atom 0.3",
            "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>C</title><entry><title>T</title><id>1</id><issued>2004-01-01T00:00:00Z</issued><content type=\"text/html\" mode=\"escaped\">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>".into(),
        ),
        (
            "Atom 1.0",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>C</title><entry><title>T</title><id>1</id></entry></feed>".into(),
        ),
        (
            "JSON Feed 1.0",
            r#"{"version":"https://jsonfeed.org/version/1","title":"C","items":[{"id":"1","title":"T","author":{"name":"A"}}]}"#.into(),
        ),
        (
            "JSON Feed 1.1",
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"C","items":[{"id":1,"title":"T"}]}"#.into(),
        ),
    ];
    for (name, doc) in cases {
        let feed = parse_feed(doc.as_bytes(), None, "https://d.test/feed")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(feed.articles.len(), 1, "{name}");
        assert_eq!(feed.articles[0].title, "T", "{name}");
        assert!(
            feed.articles[0].url.as_deref() != Some(repair::NO_LINK),
            "{name}: placeholder link leaked"
        );
    }
}

/// Legacy encodings, declared or not, all read.
#[test]
fn legacy_encodings_read() {
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><item><title>Caf\xe9</title><guid>1</guid></item></channel></rss>";
    assert_eq!(
        parse_feed(latin1, None, "https://x/")
            .expect("latin1")
            .articles[0]
            .title,
        "Café"
    );
    let mut utf16 = vec![0xFE, 0xFF];
    for u in "<rss version=\"2.0\"><channel><item><title>Ünï</title><guid>1</guid></item></channel></rss>".encode_utf16() {
        utf16.extend_from_slice(&u.to_be_bytes());
    }
    assert_eq!(
        parse_feed(&utf16, None, "https://x/")
            .expect("utf16")
            .articles[0]
            .title,
        "Ünï"
    );
    let koi8 = b"<?xml version=\"1.0\" encoding=\"KOI8-R\"?><rss version=\"2.0\"><channel><item><title>\xf0\xd2\xc9\xd7\xc5\xd4</title><guid>1</guid></item></channel></rss>";
    assert_eq!(
        parse_feed(koi8, None, "https://x/").expect("koi8").articles[0].title,
        "Привет"
    );
    let big5 = b"<?xml version=\"1.0\" encoding=\"big5\"?><rss version=\"2.0\"><channel><item><title>\xa4\xa4\xa4\xe5</title><guid>1</guid></item></channel></rss>";
    assert_eq!(
        parse_feed(big5, None, "https://x/").expect("big5").articles[0].title,
        "中文"
    );
    // mislabelled: the server says UTF-8, one item pasted in from windows-1252
    let mixed = "<rss version=\"2.0\"><channel><item><title>na\u{ef}ve \u{2014} fine</title><guid>1</guid></item><item><title>X</title><guid>2</guid></item></channel></rss>"
        .replace("<title>X", "<title>\u{1}");
    let mixed = mixed
        .as_bytes()
        .iter()
        .flat_map(|b| {
            if *b == 1 {
                b"\x93quoted\x94 \xa3120".to_vec()
            } else {
                vec![*b]
            }
        })
        .collect::<Vec<u8>>();
    let feed = parse_feed(
        &mixed,
        Some("application/rss+xml; charset=utf-8"),
        "https://x/",
    )
    .expect("mixed");
    assert_eq!(feed.articles[0].title, "na\u{ef}ve \u{2014} fine");
    assert_eq!(feed.articles[1].title, "\u{201c}quoted\u{201d} £120");
    // mislabelled as UTF-8, wholly KOI8-R: the detector recognises it
    let koi8_text =
        "Правительство объявило новые правила для операторов связи и интернет-компаний в стране";
    let (koi8_bytes, _, _) = encoding_rs::KOI8_R.encode(koi8_text);
    let mut doc = b"<rss version=\"2.0\"><channel><item><title>".to_vec();
    doc.extend_from_slice(&koi8_bytes);
    doc.extend_from_slice(b"</title><guid>1</guid></item></channel></rss>");
    let feed =
        parse_feed(&doc, Some("text/xml; charset=utf-8"), "https://x/").expect("koi8 as utf-8");
    assert_eq!(feed.articles[0].title, koi8_text);
}

#[test]
fn entity_bombs_and_external_entities_are_not_expanded() {
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><rss version=\"2.0\"><channel><item><title>&c;</title><guid>1</guid></item></channel></rss>";
    let feed = parse_feed(bomb.as_bytes(), None, "https://x/").expect("parses");
    assert_eq!(feed.articles[0].title, "&c;");
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><item><title>&x;</title><guid>1</guid></item></channel></rss>";
    let feed = parse_feed(xxe.as_bytes(), None, "https://x/").expect("parses");
    assert_eq!(feed.articles[0].title, "&x;");
}
