//! Search over the whole cache: FTS5 with BM25 ranking over title and text, snippets around
//! the matched words, "phrase queries" and prefix* matching.

use crate::store::{ArticleRow, Result, Store};

/// Marks around matched words in snippets; `show_snippet` turns them into styles or brackets.
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub row: ArticleRow,
    /// Higher is better (BM25, sign flipped).
    pub score: f64,
    /// Text around the matched words, with MATCH_START/MATCH_END around each.
    pub snippet: String,
}

/// Turns what a person types into an FTS5 query: words must all appear (any form: the index
/// stems them), "quoted phrases" must appear as written, `word*` matches any word starting
/// so, and OR / NOT between terms work as in FTS5. Anything else is dropped, so no input can
/// be a syntax error. None if nothing searchable is left.
pub fn fts_query(input: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == '"' {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            let words: Vec<String> = tokens(&phrase).collect();
            if !words.is_empty() {
                parts.push(format!("\"{}\"", words.join(" ")));
            }
            continue;
        }
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        if word == "OR" || word == "NOT" {
            if !parts.is_empty() && !parts.last().is_some_and(|p| p == "OR" || p == "NOT") {
                parts.push(word);
            }
            continue;
        }
        let prefix = word.ends_with('*');
        let words: Vec<String> = tokens(&word).collect();
        for (i, t) in words.iter().enumerate() {
            if prefix && i + 1 == words.len() {
                parts.push(format!("\"{t}\"*"));
            } else {
                parts.push(format!("\"{t}\""));
            }
        }
    }
    while parts.last().is_some_and(|p| p == "OR" || p == "NOT") {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The cache ranked against `input`, best first.
pub fn search(store: &Store, input: &str, limit: usize) -> Result<Vec<Hit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let terms = highlight_terms(input);
    let mut hits = Vec::new();
    for (id, score) in store.search_ranked(&query)? {
        if hits.len() == limit {
            break;
        }
        // (articles of feeds no longer subscribed are skipped here)
        if let Some((row, text)) = store.search_row(id)? {
            hits.push(Hit {
                row,
                score: -score,
                snippet: snippet(&text, &terms, SNIPPET_WORDS),
            });
        }
    }
    Ok(hits)
}

/// Words around the matches in a snippet.
const SNIPPET_WORDS: usize = 20;

/// A word to mark in snippets: as typed (lower case), whether it was a prefix, its stem.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    word: String,
    prefix: bool,
    stem: String,
}

/// The words of a search to mark in its snippets (not those after NOT).
fn highlight_terms(input: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut negated = false;
    for raw in input.split(|c: char| c.is_whitespace() || c == '"') {
        if raw.is_empty() {
            continue;
        }
        match raw {
            "NOT" => negated = true,
            "OR" => {}
            _ => {
                let prefix = raw.ends_with('*');
                for word in tokens(raw) {
                    if !negated {
                        let stem = porter_stemmer::stem(&word);
                        terms.push(Term { word, prefix, stem });
                    }
                }
                negated = false;
            }
        }
    }
    terms
}

fn matches(word: &str, terms: &[Term]) -> bool {
    // Stemming every word of an article is slow; a stem keeps its word's first two letters,
    // so only words that start like a term are looked at closely.
    let starts_like = |t: &Term| {
        let mut a = word.chars().flat_map(char::to_lowercase);
        let mut b = t.word.chars();
        (0..2).all(|_| a.next() == b.next())
    };
    terms.iter().filter(|t| starts_like(t)).any(|t| {
        let lower = word.to_lowercase();
        if t.prefix {
            lower.starts_with(&t.word)
        } else {
            lower == t.word || porter_stemmer::stem(&lower) == t.stem
        }
    })
}

/// About `words` words of `text` around where the search's words are densest, each match
/// between MATCH_START and MATCH_END, with "…" where the text was cut. (Made here rather than
/// by FTS5's snippet(), which re-reads the index for every result: a prefix query would
/// expand again each time.)
fn snippet(text: &str, terms: &[Term], words: usize) -> String {
    // (start, end) byte offsets of each word, the way the index splits them
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    if spans.is_empty() {
        return String::new();
    }
    let hit: Vec<bool> = spans
        .iter()
        .map(|&(s, e)| matches(&text[s..e], terms))
        .collect();
    // the window with the most matches (the first such)
    let width = words.min(spans.len());
    let mut count = hit[..width].iter().filter(|h| **h).count();
    let (mut best, mut best_count) = (0, count);
    for first in 1..=spans.len() - width {
        count = count + usize::from(hit[first + width - 1]) - usize::from(hit[first - 1]);
        if count > best_count {
            (best, best_count) = (first, count);
        }
    }
    // start a little before the first match in the window, if it can
    if let Some(offset) = hit[best..best + width].iter().position(|h| *h) {
        best = (best + offset).saturating_sub(3).min(spans.len() - width);
    }
    let mut out = String::new();
    if best > 0 {
        out.push('…');
    }
    let from = if best > 0 { spans[best].0 } else { 0 };
    let last = best + width - 1;
    let mut at = from;
    for i in best..=last {
        let (s, e) = spans[i];
        out.push_str(&text[at..s]);
        if hit[i] {
            out.push(MATCH_START);
            out.push_str(&text[s..e]);
            out.push(MATCH_END);
        } else {
            out.push_str(&text[s..e]);
        }
        at = e;
    }
    if last + 1 < spans.len() {
        out.push('…');
    } else {
        out.push_str(&text[at..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, input: &str) -> String {
        snippet(text, &highlight_terms(input), 8)
            .replace(MATCH_START, "[")
            .replace(MATCH_END, "]")
    }

    #[test]
    fn snippets_mark_words_stems_and_prefixes_around_the_densest_part() {
        let text = "The ministry said nothing. Later, data protection rules for protected data \
                    were notified, and encryption was protected too. Nothing else happened here.";
        assert_eq!(
            marked(text, "protection"),
            "…nothing. Later, data [protection] rules for [protected] data…"
        );
        assert_eq!(
            marked(text, "encrypt* NOT ministry"),
            "…were notified, and [encryption] was protected too. Nothing…"
        );
        assert_eq!(marked("short text", "text"), "short [text]");
        assert_eq!(marked("", "text"), "");
        // no match: the beginning
        assert_eq!(marked("one two", "zebra"), "one two");
    }

    #[test]
    fn queries_are_always_valid_fts5() {
        assert_eq!(
            fts_query("data protection").as_deref(),
            Some("\"data\" \"protection\"")
        );
        assert_eq!(
            fts_query("\"consent managers\" rules").as_deref(),
            Some("\"consent managers\" \"rules\"")
        );
        assert_eq!(fts_query("encrypt*").as_deref(), Some("\"encrypt\"*"));
        assert_eq!(
            fts_query("upi OR npci").as_deref(),
            Some("\"upi\" OR \"npci\"")
        );
        assert_eq!(fts_query("OR upi OR").as_deref(), Some("\"upi\""));
        assert_eq!(
            fts_query("e-commerce").as_deref(),
            Some("\"e\" \"commerce\"")
        );
        assert_eq!(fts_query("(*^&) \" ").as_deref(), None);
        assert_eq!(fts_query("").as_deref(), None);
        assert_eq!(
            fts_query("\"unclosed phrase").as_deref(),
            Some("\"unclosed phrase\"")
        );
    }
}
