//! The one door for hostile text: everything shown or printed passes through here.
//!
//! Feed content is written by strangers. A title can carry `ESC ] 52 ; c ; …` (a clipboard
//! write), `ESC [ 2 J` (clear screen), C1 controls that some terminals obey, or bidi overrides
//! that make text read backwards. `sanitize` removes every control character and whole escape
//! sequences (not just the ESC byte, so no `[2J` debris is left), and keeps valid Unicode intact.

use std::borrow::Cow;

/// Invisible format characters that can disguise text: bidi embedding, override and isolate
/// controls (they reorder how text is displayed), and zero-width spaces and joiners that
/// have no business in news text. ZWJ and ZWNJ stay: emoji and Indic scripts need them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{180E}'
            | '\u{00AD}'
    )
}

/// C0 and C1 controls and DEL (tab and newline are handled by the caller).
fn is_control(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7F..=0x9F).contains(&u)
}

/// Removes control characters and terminal escape sequences from multi-line text.
/// Keeps `\n` and `\t`; a `\r\n` pair becomes `\n`, a lone `\r` (used to overwrite a line) is dropped.
/// Clean text (nearly all of it) comes back borrowed, without a copy.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    clean(input, false)
}

/// Like [`sanitize`], for a one-line field (title, author, feed name): tabs and newlines become
/// spaces, runs of whitespace collapse to one, and the ends are trimmed.
pub fn sanitize_line(input: &str) -> String {
    // the common case, checked as bytes (the reader runs this on every row of every frame):
    // clean ASCII with single spaces between words, nothing to change
    let bytes = input.as_bytes();
    if super::columns::printable_ascii(input)
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes.windows(2).any(|w| w == b"  ")
    {
        return input.to_string();
    }
    collapse_line(input)
}

fn collapse_line(input: &str) -> String {
    let cleaned = clean(input, true);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True if the text holds nothing `sanitize` would remove. (Runs over every article's text:
/// ASCII bytes are checked as bytes, and only other characters are decoded.)
pub fn is_clean(input: &str) -> bool {
    let bytes = input.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F {
                return false;
            }
            at += 1;
            continue;
        }
        // `at` is at the start of a character: only whole characters are stepped over
        let Some(c) = input[at..].chars().next() else {
            return true;
        };
        if is_control(c) || is_bidi_control(c) {
            return false;
        }
        at += c.len_utf8();
    }
    true
}

fn clean(input: &str, one_line: bool) -> Cow<'_, str> {
    if is_clean(input) && !(one_line && input.contains(['\n', '\t'])) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(if one_line { ' ' } else { c }),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    // the '\n' is pushed on the next turn
                } else if one_line {
                    out.push(' ');
                }
            }
            '\u{1B}' => skip_escape(&mut chars),
            // 8-bit CSI: parameters then a final byte
            '\u{9B}' => skip_csi(&mut chars),
            // 8-bit OSC, DCS, SOS, PM, APC: a string ended by BEL or ST
            '\u{9D}' | '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => skip_string(&mut chars),
            c if is_control(c) || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: swallow the whole sequence, whatever its kind.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
            chars.next();
            skip_string(chars);
        }
        // nF sequences: intermediate bytes 0x20-0x2F, then one final byte
        Some(c) if ('\u{20}'..='\u{2F}').contains(&c) => {
            while let Some(&c) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2F}').contains(&c) {
                    break;
                }
            }
        }
        // two-character sequences (ESC c, ESC 7, ESC =, ...); never swallow a newline
        Some(c) if !is_control(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameter and intermediate bytes 0x20-0x3F, ended by a final byte 0x40-0x7E.
fn skip_csi(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3F}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7E}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// OSC/DCS/SOS/PM/APC body: ends at BEL, ST (ESC \ or 0x9C). A newline also ends it, so a
/// malformed sequence cannot eat the rest of an article.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{07}' | '\u{9C}' => {
                chars.next();
                return;
            }
            '\u{1B}' => {
                chars.next();
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            '\n' => return,
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn removes_whole_sequences() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "ab");
        assert_eq!(sanitize("x\u{1b}]52;c;aGVsbG8=\u{07}y"), "xy");
        assert_eq!(
            sanitize("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(sanitize("x\u{1b}P1$r\u{1b}\\y"), "xy");
        assert_eq!(sanitize("a\u{9b}31mred\u{9b}0m"), "ared");
        assert_eq!(sanitize("a\u{9d}0;title\u{07}b"), "ab");
        assert_eq!(sanitize("a\u{1b}[6nb"), "ab");
        assert_eq!(sanitize("a\u{1b}7b"), "ab");
    }

    #[test]
    fn keeps_text_and_layout() {
        assert_eq!(sanitize("line one\nline\ttwo"), "line one\nline\ttwo");
        assert_eq!(sanitize("crlf\r\nnext"), "crlf\nnext");
        assert_eq!(sanitize("fake\rreal"), "fakereal");
        assert_eq!(sanitize("नमस्ते 👩‍💻 中文 ü"), "नमस्ते 👩‍💻 中文 ü");
        assert_eq!(
            sanitize("bell\u{7} bs\u{8} nul\u{0} del\u{7f}"),
            "bell bs nul del"
        );
        assert_eq!(sanitize("evil\u{202e}txt"), "eviltxt");
        assert_eq!(sanitize("zero\u{200b}width\u{feff}"), "zerowidth");
        assert_eq!(
            sanitize("क्\u{200d}ष 👩\u{200d}💻"),
            "क्\u{200d}ष 👩\u{200d}💻"
        );
    }

    #[test]
    fn one_line_fields_collapse_whitespace() {
        assert_eq!(sanitize_line("  A\n\ttitle \r\n here "), "A title here");
    }

    proptest! {
        #[test]
        fn is_clean_is_its_definition(
            s in any::<String>(),
            before in "[a-z é日\\n\\t]{0,8}",
            odd in "[\\x00-\\x1f\\x7f\\u{80}-\\u{a0}\\u{ad}\\u{180e}\\u{200b}-\\u{200f}\\u{2060}-\\u{2069}\\u{202a}-\\u{202e}\\u{feff}]",
            after in "[a-z é日]{0,8}",
        ) {
            // any text; and clean text with one character that may not be
            for s in [s.clone(), format!("{before}{odd}{after}"), format!("{before}{after}")] {
                let plainly = !s
                    .chars()
                    .any(|c| (is_control(c) && c != '\n' && c != '\t') || is_bidi_control(c));
                prop_assert_eq!(is_clean(&s), plainly, "{:?}", s);
            }
        }

        #[test]
        fn output_never_holds_a_control(s in any::<String>()) {
            let out = sanitize(&s);
            prop_assert!(out.chars().all(|c| c == '\n' || c == '\t' || !is_control(c)));
            prop_assert!(is_clean(&out));
            let line = sanitize_line(&s);
            prop_assert!(line.chars().all(|c| !is_control(c)));
        }

        #[test]
        fn plain_ascii_lines_take_the_short_way_to_the_same_result(s in "[ -~\t\n]{0,40}") {
            prop_assert_eq!(sanitize_line(&s), collapse_line(&s), "{:?}", s);
        }

        #[test]
        fn clean_text_is_unchanged(s in "[^\\x00-\\x1f\\x7f-\\x9f\\u{ad}\\u{180e}\\u{200b}\\u{200e}\\u{200f}\\u{202a}-\\u{202e}\\u{2060}-\\u{2069}\\u{feff}]*") {
            prop_assert_eq!(sanitize(&s), s.as_str());
        }

        #[test]
        fn escapes_mixed_into_text_leave_no_esc(a in ".*", b in ".*", params in "[0-9;]{0,8}") {
            let s = format!("{a}\u{1b}[{params}m{b}\u{1b}]52;c;{a}\u{7}");
            let out = sanitize(&s);
            prop_assert!(!out.contains('\u{1b}'), "ESC left in {:?}", out);
        }
    }
}
