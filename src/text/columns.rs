//! Fitting text into columns: display width, not bytes or chars (CJK is two columns wide).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// True if `s` is printable ASCII (spaces included): one column a byte, nothing to clean.
/// The reader measures, cuts and pads every row of every frame; most rows are this.
pub fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

/// Cuts `s` to at most `width` columns, ending with "…" if it was cut.
pub fn truncate(s: &str, width: usize) -> String {
    if printable_ascii(s) {
        if s.len() <= width {
            return s.to_string();
        }
        let mut out = String::with_capacity(width + 2);
        out.push_str(&s[..width.saturating_sub(1)]);
        out.push('…');
        return out;
    }
    truncate_by_width(s, width)
}

fn truncate_by_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces to `width` columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = if printable_ascii(s) {
        s.len()
    } else {
        s.width()
    };
    let missing = width.saturating_sub(w);
    let mut out = String::with_capacity(s.len() + missing);
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', missing));
    out
}

/// A count and its noun, which takes an "s" unless there is one: "1 feed", "3 feeds".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Breaks `s` into lines of at most `width` columns, between words where it can.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split_whitespace() {
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        // a word longer than the line is cut where the line ends
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_says_one_without_s() {
        assert_eq!(counted(0, "feed"), "0 feeds");
        assert_eq!(counted(1, "feed"), "1 feed");
        assert_eq!(counted(1000, "article"), "1000 articles");
    }

    #[test]
    fn wrap_breaks_between_words_and_cuts_only_longer_ones() {
        assert_eq!(
            wrap("could not connect: name resolution failed", 20),
            vec!["could not connect:", "name resolution", "failed"]
        );
        assert_eq!(wrap("abcdefghij xy", 4), vec!["abcd", "efgh", "ij", "xy"]);
        assert_eq!(
            wrap("日本語のテキスト", 6),
            vec!["日本語", "のテキ", "スト"]
        );
        assert_eq!(wrap("", 10), vec![""]);
        for line in wrap("every line fits within the width it is given, always", 7) {
            assert!(line.width() <= 7, "{line:?}");
        }
    }

    #[test]
    fn columns_respect_wide_characters() {
        assert_eq!(truncate("中文标题很长", 7), "中文标…");
        assert_eq!(truncate("short", 7), "short");
        assert_eq!(pad("中文", 6), "中文  ");
    }

    #[test]
    fn padding_counts_columns_not_bytes() {
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(pad("abcdef", 5), "abcdef");
        assert_eq!(pad("", 2), "  ");
        assert_eq!(pad("café", 6), "café  ");
        assert_eq!(pad("a\u{301}b", 4), "a\u{301}b  ");
    }

    #[test]
    fn ascii_is_cut_as_any_text_is() {
        for s in [
            "",
            "a",
            "ab",
            "Kernel data their is small castle",
            "  spaced  out  ",
        ] {
            for width in 0..40 {
                assert_eq!(
                    truncate(s, width),
                    truncate_by_width(s, width),
                    "{s:?} at {width}"
                );
            }
        }
    }
}
