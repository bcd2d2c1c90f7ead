//! The feed parse layer (transcoding, feed-rs, our clean-up) on any bytes: it never panics,
//! and nothing it returns holds a control character.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn clean(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks a declared charset, as an HTTP header would give one.
    let (content_type, bytes) = match data.split_first() {
        Some((b, rest)) => {
            let ct = match b % 5 {
                0 => None,
                1 => Some("application/rss+xml; charset=utf-8"),
                2 => Some("text/xml; charset=iso-8859-1"),
                3 => Some("application/xml; charset=utf-16"),
                _ => Some("application/feed+json"),
            };
            (ct, rest)
        }
        None => (None, data),
    };
    if let Ok(feed) = byline::feed::parse_feed(bytes, content_type, "https://fuzz.test/feed/") {
        assert!(feed.title.as_deref().is_none_or(clean));
        for a in &feed.articles {
            assert!(clean(&a.title), "{:?}", a.title);
            assert!(a.author.as_deref().is_none_or(clean));
            assert!(a.categories.iter().all(|c| clean(c)));
        }
    }
});
