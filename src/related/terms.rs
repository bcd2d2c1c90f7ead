//! What an article is about, in words: its most frequent distinctive words (computed once,
//! at refresh time, and stored), and the links in its body.

use std::collections::HashMap;

/// Words kept per article: enough to compare articles by their vocabulary at query time.
pub const KEPT_TERMS: usize = 128;

/// Common English words that say nothing about a story's subject. (A `match`, which the
/// compiler turns into a few comparisons: this runs for every word of every article.)
macro_rules! stop_words {
    ($($w:literal),* $(,)?) => {
        #[cfg(test)]
        const STOP_WORDS: &[&str] = &[$($w),*];

        fn is_stop_word(w: &str) -> bool {
            matches!(w, $($w)|*)
        }
    };
}

stop_words!(
    "a",
    "about",
    "above",
    "according",
    "across",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "least",
    "less",
    "like",
    "made",
    "make",
    "makes",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "need",
    "needs",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "put",
    "rather",
    "really",
    "said",
    "same",
    "say",
    "says",
    "see",
    "seen",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "three",
    "through",
    "thus",
    "to",
    "too",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "very",
    "via",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
);

/// Lower-case words of at least three letters, not numbers, not stop words.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut buf = String::new();
    alphanumeric_runs(text).filter_map(move |raw| {
        candidate(raw, &mut buf)
            .filter(|w| !is_stop_word(w))
            .map(str::to_string)
    })
}

/// The runs of letters and digits in `text`, in order: what `text.split(|c: char|
/// !c.is_alphanumeric())` gives, without its empty pieces, but ASCII bytes are looked at as
/// bytes (most text is ASCII; a `char` is decoded only where a byte is not).
fn alphanumeric_runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // whether the char at `at` is a letter or digit, and its length; `at` is always at the
    // start of a char
    let next = move |at: usize| -> (bool, usize) {
        let b = bytes[at];
        if b.is_ascii() {
            return (b.is_ascii_alphanumeric(), 1);
        }
        match text[at..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    };
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let (alphanumeric, len) = next(at);
            if alphanumeric {
                break;
            }
            at += len;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() {
            let (alphanumeric, len) = next(at);
            if !alphanumeric {
                break;
            }
            at += len;
        }
        Some(&text[start..at])
    })
}

/// `raw` (a run of letters and digits) in lower case, if it is long enough and not a number:
/// `raw` itself when it is lower-case ASCII already, else written into `buf` (reused: this
/// runs for every word of every article). Stop words are the caller's to drop.
fn candidate<'a>(raw: &'a str, buf: &'a mut String) -> Option<&'a str> {
    if raw.len() < 3 {
        return None;
    }
    if raw.is_ascii() {
        let bytes = raw.as_bytes();
        if bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        if !bytes.iter().any(u8::is_ascii_uppercase) {
            return Some(raw);
        }
        buf.clear();
        buf.push_str(raw);
        buf.make_ascii_lowercase();
        return Some(buf.as_str());
    }
    if raw.chars().count() < 3 {
        return None;
    }
    *buf = raw.to_lowercase();
    Some(buf.as_str())
}

/// The article's most frequent words with their counts; words of the title count three times
/// (a headline says what the story is about).
pub fn extract(title: &str, text: &str) -> Vec<(String, u32)> {
    // word -> (count, first seen): one allocation per distinct word, none per occurrence.
    // Stop words are counted too and dropped at the end, so each distinct word is checked
    // once rather than every time it occurs. (foldhash: several times faster than SipHash on
    // short words, and seeded at random, so a feed cannot pick words that collide.)
    let mut counts: HashMap<String, (u32, u32), foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(512, foldhash::fast::RandomState::default());
    let mut buf = String::with_capacity(32);
    let mut order = 0u32;
    for (source, weight) in [(title, 3u32), (text, 1)] {
        for raw in alphanumeric_runs(source) {
            let Some(word) = candidate(raw, &mut buf) else {
                continue;
            };
            match counts.get_mut(word) {
                Some(e) => e.0 += weight,
                None => {
                    counts.insert(word.to_string(), (weight, order));
                    order += 1;
                }
            }
        }
    }
    let mut v: Vec<(String, u32, u32)> = counts
        .into_iter()
        .filter(|(w, _)| !is_stop_word(w))
        .map(|(w, (n, o))| (w, n, o))
        .collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    v.truncate(KEPT_TERMS);
    v.into_iter().map(|(w, n, _)| (w, n)).collect()
}

/// Stored form: "word:count word:count ...".
pub fn serialize(terms: &[(String, u32)]) -> String {
    let mut s = String::with_capacity(terms.len() * 10);
    for (w, n) in terms {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
        s.push(':');
        s.push_str(&n.to_string());
    }
    s
}

pub fn parse(stored: &str) -> Vec<(String, u32)> {
    parse_pairs(stored)
        .map(|(w, n)| (w.to_string(), n))
        .collect()
}

/// `parse`, borrowing the words.
pub fn parse_pairs(stored: &str) -> impl Iterator<Item = (&str, u32)> {
    stored.split(' ').filter_map(|pair| {
        let (w, n) = pair.rsplit_once(':')?;
        Some((w, n.parse().ok()?))
    })
}

/// A URL reduced to what identifies a page: no scheme, no "www.", no fragment, no trailing
/// slash, lower-case host. `https://www.Ex.com/a/#x` and `http://ex.com/a` are the same page.
pub fn link_key(url: &str) -> Option<String> {
    link_key_of(&url::Url::parse(url.trim()).ok()?)
}

/// `link_key` of a parsed URL.
fn link_key_of(u: &url::Url) -> Option<String> {
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let path = u.path().trim_end_matches('/');
    Some(match u.query() {
        Some(q) if !q.is_empty() => format!("{host}{path}?{q}"),
        _ => format!("{host}{path}"),
    })
}

/// The values of the `href` attributes in `html`, in order, entities decoded, trimmed.
fn hrefs(html: &str) -> impl Iterator<Item = String> + '_ {
    let lower = html.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices("href=").map(|(i, _)| i + 5).collect();
    starts.into_iter().map(move |start| {
        let rest = &html[start..];
        let (quote, rest) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
            _ => (None, rest),
        };
        let end = match quote {
            Some(q) => rest.find(q),
            None => rest.find(|c: char| c.is_whitespace() || c == '>'),
        }
        .unwrap_or(rest.len());
        crate::text::decode_entities(&rest[..end])
            .trim()
            .to_string()
    })
}

/// The pages an article's body links to, as link keys (resolved against the article's URL).
pub fn links(html: &str, base: Option<&str>) -> Vec<String> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let own = base.as_ref().and_then(link_key_of);
    let mut out: Vec<String> = Vec::new();
    // a hostile body can hold a great many links: no quadratic search for repeats
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for href in hrefs(html) {
        // resolved against the article's URL (parsed once); what does not resolve is taken as
        // it is
        let key = match base.as_ref().map(|b| b.join(&href)) {
            Some(Ok(u)) => link_key_of(&u),
            _ => link_key(&href),
        };
        if let Some(key) = key
            && Some(&key) != own.as_ref()
            && seen.insert(key.clone())
        {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `extract` as first written, plainly: split on what is not a letter or digit, lower-case,
    /// drop short words, numbers and stop words at every occurrence, count (title ×3), sort by
    /// count then first appearance. The fast version must give exactly this: stored terms of
    /// old and new articles are compared with each other.
    fn extract_plainly(title: &str, text: &str) -> Vec<(String, u32)> {
        let mut counts: Vec<(String, u32)> = Vec::new();
        for (source, weight) in [(title, 3u32), (text, 1)] {
            for raw in source.split(|c: char| !c.is_alphanumeric()) {
                if raw.chars().count() < 3 || raw.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                let word = raw.to_lowercase();
                if is_stop_word(&word) {
                    continue;
                }
                match counts.iter_mut().find(|(w, _)| *w == word) {
                    Some(e) => e.1 += weight,
                    None => counts.push((word, weight)),
                }
            }
        }
        // a stable sort keeps first appearances in order among equal counts
        counts.sort_by_key(|e| std::cmp::Reverse(e.1));
        counts.truncate(KEPT_TERMS);
        counts
    }

    /// `links` as first written (the same `href` values): every resolved URL serialized and
    /// parsed again, repeats found by a search of what is kept.
    fn links_plainly(html: &str, base: Option<&str>) -> Vec<String> {
        let base = base.and_then(|b| url::Url::parse(b).ok());
        let own = base.as_ref().and_then(|b| link_key(b.as_str()));
        let mut out: Vec<String> = Vec::new();
        for href in hrefs(html) {
            let absolute = match &base {
                Some(b) => b.join(&href).map(|u| u.to_string()).unwrap_or(href),
                None => href,
            };
            if let Some(key) = link_key(&absolute)
                && Some(&key) != own.as_ref()
                && !out.contains(&key)
            {
                out.push(key);
            }
        }
        out
    }

    proptest! {
        #[test]
        fn links_are_the_plain_definition(
            hrefs in proptest::collection::vec(
                "(https?://(www\\.)?[Ee]x\\.(com|org)|//ex\\.com|/|\\.\\./|mailto:|javascript:|#|\\?)?[a-z/]{0,8}(\\?q=[a-z]{0,3})?(#[a-z]{0,3})?(&amp;x)?",
                0..12,
            ),
            quotes in proptest::collection::vec(0..3u8, 12),
            base in proptest::option::of("https?://(www\\.)?ex\\.com/[a-z]{0,3}/?"),
        ) {
            let html: String = hrefs
                .iter()
                .zip(&quotes)
                .map(|(h, q)| match q {
                    0 => format!("<a HREF=\"{h}\">x</a> "),
                    1 => format!("<a href='{h}'>x</a> "),
                    _ => format!("<a href={h}>x</a> "),
                })
                .collect();
            prop_assert_eq!(links(&html, base.as_deref()), links_plainly(&html, base.as_deref()));
        }

        #[test]
        fn runs_are_what_split_gives(s in any::<String>()) {
            let split: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(alphanumeric_runs(&s).collect::<Vec<_>>(), split);
        }

        #[test]
        fn extract_is_the_plain_definition(
            title in "[A-Za-z0-9 ÉéİıßÜü日本ǅ.,'’-]{0,40}",
            text in "((The|the|DATA|data|Data|straße|İstanbul|ÉCOLE|école|ǅemal|日本語|123|a1b|x|of|privacy|Privacy|aadhaar)[ .,;’'-]{1,3}){0,200}",
        ) {
            prop_assert_eq!(extract(&title, &text), extract_plainly(&title, &text));
        }
    }

    #[test]
    fn words_keep_non_ascii_and_drop_numbers_and_stop_words() {
        let got: Vec<String> = words("Über 2026 THE straße-Ölkrise x1 a1b").collect();
        assert_eq!(got, vec!["über", "straße", "ölkrise", "a1b"]);
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn terms_favour_the_title_and_skip_noise() {
        let t = extract(
            "Encryption and traceability",
            "The government wants traceability. 2026 and the rules.",
        );
        assert_eq!(t[0], ("traceability".to_string(), 4));
        assert_eq!(t[1], ("encryption".to_string(), 3));
        assert!(
            !t.iter()
                .any(|(w, _)| w == "the" || w == "2026" || w == "and")
        );
        assert_eq!(parse(&serialize(&t)), t);
    }

    #[test]
    fn link_keys_identify_pages() {
        assert_eq!(
            link_key("https://www.Ex.com/a/b/#frag").as_deref(),
            Some("ex.com/a/b")
        );
        assert_eq!(link_key("http://ex.com/a/b").as_deref(), Some("ex.com/a/b"));
        assert_eq!(link_key("mailto:x@y"), None);
        let html = r#"<a href="/a/">A</a> <a href='https://ex.com/b/'>B</a> <a href="https://ex.com/self/#c">me</a> <a href=/a/>again</a>"#;
        assert_eq!(
            links(html, Some("https://ex.com/self/")),
            vec!["ex.com/a", "ex.com/b"]
        );
    }
}
