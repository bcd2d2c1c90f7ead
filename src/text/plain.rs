//! HTML to plain text, for one-line fields (titles) and the search index.
//!
//! This is not the article renderer (that is `render`): it only needs words in order,
//! with paragraph breaks, and never any markup or entity left over.

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Words of an HTML fragment, with a newline where a block ends. Scripts and styles are dropped;
/// entities are decoded. The result is sanitized.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                push_text(&mut out, rest);
            }
            break;
        };
        if skip_until.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        // `<` not starting a tag (e.g. "a < b") is text
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            if skip_until.is_none() {
                out.push('<');
            }
            rest = &rest[1..];
            continue;
        }
        // an unclosed tag runs to the end of the input
        let (tag, after) = match rest.find('>') {
            Some(end) => (&rest[1..end], &rest[end + 1..]),
            None => (&rest[1..], ""),
        };
        rest = after;
        let closing = tag.starts_with('/');
        let bare = tag.trim_start_matches('/');
        let name_len = bare.bytes().take_while(u8::is_ascii_alphanumeric).count();
        // tag names are short: lower-case them on the stack
        let mut lower = [0u8; 12];
        let name = if name_len <= lower.len() {
            lower[..name_len].copy_from_slice(&bare.as_bytes()[..name_len]);
            lower[..name_len].make_ascii_lowercase();
            std::str::from_utf8(&lower[..name_len]).unwrap_or("")
        } else {
            ""
        };
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name {
            "script" if !closing => skip_until = Some("script"),
            "style" if !closing => skip_until = Some("style"),
            n if BLOCK_TAGS.contains(&n) => out.push('\n'),
            "img" => {
                if let Some(alt) = attr(tag, "alt").filter(|a| !a.trim().is_empty()) {
                    out.push(' ');
                    push_text(&mut out, &alt);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    tidy(&crate::text::sanitize(&out))
}

/// One line of plain text from an HTML (or plain) fragment: for titles.
pub fn html_to_line(html: &str) -> String {
    crate::text::sanitize_line(&html_to_text(html))
}

/// Decodes HTML entities in text that is not HTML (a plain-text title that still holds
/// `&amp;` or `&#8217;`), and sanitizes it to one line.
pub fn decode_line(text: &str) -> String {
    crate::text::sanitize_line(&decode_entities(text))
}

/// Decodes HTML character references. Numeric references are decoded whatever they name (a
/// `&#27;` becomes a real ESC, which the sanitizer then removes with its whole sequence,
/// instead of leaving `&#27;[2J` on screen).
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .bytes()
            .take(40)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
            .count();
        let name = &after[..len];
        let numeric = name
            .strip_prefix('#')
            .and_then(|n| match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse::<u32>().ok(),
            });
        let has_semi = after[len..].starts_with(';');
        if let Some(code) = numeric {
            out.push(
                char::from_u32(code)
                    .filter(|c| *c != '\0')
                    .unwrap_or('\u{FFFD}'),
            );
            rest = &after[len + usize::from(has_semi)..];
            continue;
        }
        if len > 0 && has_semi {
            let entity = &rest[at..at + len + 2];
            let decoded = html_escape::decode_html_entities(entity);
            out.push_str(&decoded);
            rest = &after[len + 1..];
            continue;
        }
        out.push('&');
        rest = after;
    }
    out.push_str(rest);
    out.into()
}

fn push_text(out: &mut String, raw: &str) {
    out.push_str(&decode_entities(raw));
}

/// Collapses spaces inside lines and runs of blank lines, in one pass.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // what separates the next word from the last one written
    let mut newlines = 0usize;
    for line in text.split('\n') {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            newlines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if newlines > 1 { "\n\n" } else { "\n" });
        }
        newlines = 1;
        let mut space = false;
        for w in words {
            if space {
                out.push(' ');
            }
            out.push_str(w);
            space = true;
        }
    }
    out
}

/// The value of attribute `name` inside a tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let offset = tag.len() - rest.len() + 1;
        let value = tag[offset..].trim_start();
        let (quote, body) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q).unwrap_or(body.len()),
            None => body.find(char::is_whitespace).unwrap_or(body.len()),
        };
        return Some(decode_entities(&body[..end]).into_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes() {
        let html =
            "<p>Hello&nbsp;<b>world</b> &#8217;s &amp; more</p><script>x()</script><p>Two</p>";
        assert_eq!(html_to_text(html), "Hello world \u{2019}s & more\n\nTwo");
    }

    #[test]
    fn keeps_alt_text_and_less_than() {
        assert_eq!(
            html_to_text("a < b <img src=x alt=\"chart\"> c"),
            "a < b chart c"
        );
    }

    #[test]
    fn an_unclosed_tag_ending_in_a_wide_character_is_not_a_panic() {
        // found by fuzz/render_html: the tag ran to the end, sliced inside the last character
        assert_eq!(html_to_text("<p>ok</p><a href=\"x\"\u{2019}"), "ok");
        assert_eq!(html_to_text("x <b\u{e9}"), "x");
    }

    #[test]
    fn title_helpers() {
        assert_eq!(html_to_line("<em>Big</em>\n news"), "Big news");
        assert_eq!(
            decode_line("Q&amp;A &#8216;x&#8217; &#x2014; R&D &bogus;"),
            "Q&A \u{2018}x\u{2019} \u{2014} R&D &bogus;"
        );
        assert_eq!(decode_line("&#27;[2Jhi"), "hi");
    }
}
