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
    store.search(&query, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

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
