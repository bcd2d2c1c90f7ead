//! Property tests for the feed parser and the article renderer: on arbitrary and mutated
//! input they never panic, and nothing they return holds a control character. CI runs these
//! (the default number of cases); the coverage-guided fuzz targets in `fuzz/` (cargo fuzz,
//! nightly) check the same properties and are run by hand, see BENCHMARKS.md. A long run of
//! these is `PROPTEST_CASES=2000000 cargo test --release --test fuzz_props`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use byline::feed::parse_feed;
use byline::text::render::{Mode, render};
use proptest::prelude::*;

const SEED_FEEDS: &[&str] = &[
    include_str!("fixtures/ledger.xml"),
    include_str!("fixtures/atom.xml"),
    include_str!("fixtures/feed.json"),
];

fn clean(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

fn check_feed(bytes: &[u8]) {
    if let Ok(feed) = parse_feed(bytes, None, "https://fuzz.test/feed/") {
        for a in &feed.articles {
            assert!(clean(&a.title), "{:?}", a.title);
            assert!(a.author.as_deref().is_none_or(clean));
            assert!(a.categories.iter().all(|c| clean(c)));
        }
        assert!(feed.title.as_deref().is_none_or(clean));
    }
}

/// A seed feed with edits: bytes replaced, inserted, removed, or the end cut off.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        0..SEED_FEEDS.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..4), 0..12),
        proptest::option::of(any::<usize>()),
    )
        .prop_map(|(seed, edits, cut)| {
            let mut bytes = SEED_FEEDS[seed]
                .replace("{BASE}", "https://fuzz.test")
                .into_bytes();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = at % bytes.len();
                match kind {
                    0 => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    2 => {
                        bytes.remove(at);
                    }
                    _ => {
                        // splice in markup that parsers find interesting
                        let bits: &[&[u8]] = &[
                            b"<![CDATA[",
                            b"]]>",
                            b"&#27;",
                            b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
                            b"&a;",
                            b"\xff\xfe",
                            b"</item>",
                            b"<item>",
                            b"\x1b]52;c;x\x07",
                        ];
                        let bit = bits[byte as usize % bits.len()];
                        bytes.splice(at..at, bit.iter().copied());
                    }
                }
            }
            if let Some(cut) = cut {
                let len = bytes.len();
                bytes.truncate(cut % (len + 1));
            }
            bytes
        })
}

proptest! {
    #[test]
    fn the_parser_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check_feed(&bytes);
    }

    #[test]
    fn the_parser_takes_mutated_feeds(bytes in mutated()) {
        check_feed(&bytes);
    }

    #[test]
    fn the_renderer_takes_any_text(html in "\\PC{0,400}", width in 20usize..140) {
        let r = render(&html, Some("https://fuzz.test/a/"), width, Mode::Styled);
        for line in &r.lines {
            prop_assert!(line.width() <= width);
            prop_assert!(clean(&line.text()));
        }
        prop_assert!(r.links.iter().all(|l| clean(l)));
    }

    #[test]
    fn the_renderer_takes_mutated_article_html(bytes in mutated(), width in 20usize..140) {
        let html = String::from_utf8_lossy(&bytes);
        let r = render(&html, None, width, Mode::Plain);
        for line in &r.lines {
            prop_assert!(line.width() <= width);
            prop_assert!(clean(&line.text()));
        }
    }
}
