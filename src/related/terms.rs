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
    text.split(|c: char| !c.is_alphanumeric())
        .filter_map(|raw| {
            let mut word = String::new();
            word_into(raw, &mut word).then_some(word)
        })
}

/// Puts `raw` (a run of letters and digits) in lower case into `buf` and says whether it is a
/// word worth keeping (see `words`). Reuses `buf`: this runs for every word of every article.
fn word_into(raw: &str, buf: &mut String) -> bool {
    if raw.len() < 3 || (!raw.is_ascii() && raw.chars().count() < 3) {
        return false;
    }
    if raw.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    buf.clear();
    if raw.is_ascii() {
        buf.push_str(raw);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&raw.to_lowercase());
    }
    !is_stop_word(buf)
}

/// The article's most frequent words with their counts; words of the title count three times
/// (a headline says what the story is about).
pub fn extract(title: &str, text: &str) -> Vec<(String, u32)> {
    // word -> (count, first seen): one allocation per distinct word, none per occurrence
    let mut counts: HashMap<String, (u32, u32)> = HashMap::with_capacity(256);
    let mut buf = String::with_capacity(32);
    let mut order = 0u32;
    for (source, weight) in [(title, 3u32), (text, 1)] {
        for raw in source.split(|c: char| !c.is_alphanumeric()) {
            if !word_into(raw, &mut buf) {
                continue;
            }
            match counts.get_mut(buf.as_str()) {
                Some(e) => e.0 += weight,
                None => {
                    counts.insert(buf.clone(), (weight, order));
                    order += 1;
                }
            }
        }
    }
    let mut v: Vec<(String, u32, u32)> = counts.into_iter().map(|(w, (n, o))| (w, n, o)).collect();
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
    stored
        .split(' ')
        .filter_map(|pair| {
            let (w, n) = pair.rsplit_once(':')?;
            Some((w.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// A URL reduced to what identifies a page: no scheme, no "www.", no fragment, no trailing
/// slash, lower-case host. `https://www.Ex.com/a/#x` and `http://ex.com/a` are the same page.
pub fn link_key(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
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

/// The pages an article's body links to, as link keys (resolved against the article's URL).
pub fn links(html: &str, base: Option<&str>) -> Vec<String> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let own = base.as_ref().and_then(|b| link_key(b.as_str()));
    let mut out: Vec<String> = Vec::new();
    let lower = html.to_ascii_lowercase();
    for (i, _) in lower.match_indices("href=") {
        let rest = &html[i + 5..];
        let (quote, rest) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
            _ => (None, rest),
        };
        let end = match quote {
            Some(q) => rest.find(q),
            None => rest.find(|c: char| c.is_whitespace() || c == '>'),
        }
        .unwrap_or(rest.len());
        let href = crate::text::decode_entities(&rest[..end])
            .trim()
            .to_string();
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

#[cfg(test)]
mod tests {
    use super::*;

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
