//! WordPress clutter that is not the article: the "The post ... appeared first on ..." line,
//! share buttons, related-post widgets, forms, and empty paragraphs.

/// Classes (or ids) of blocks that are never the article.
const CLUTTER_CLASSES: &[&str] = &[
    "sharedaddy",
    "sd-sharing",
    "sd-block",
    "sharing",
    "share-buttons",
    "social-share",
    "addtoany",
    "a2a_kit",
    "jp-relatedposts",
    "related-posts",
    "yarpp",
    "wp-block-buttons",
    "newsletter",
    "advert",
    // WordPress core: visually hidden labels ("Post navigation", "Skip to content") and the
    // previous/next links after a post
    "screen-reader-text",
    "post-navigation",
];

/// Elements whose content is never text to read.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "form", "button", "iframe", "template",
];

pub fn remove(html: &str) -> String {
    let html = &blocks_for_figures(html);
    let mut out = remove_elements(html, |name, tag| {
        DROPPED_TAGS.contains(&name) || has_clutter_class(tag)
    });
    out = remove_paragraphs(&out, |inner| {
        // an image alone in its paragraph (Readability wraps them so) is content
        if has_media(inner) {
            return false;
        }
        // cheap tests first: this runs for every paragraph of every article
        let visible = visible_text(inner);
        if visible.trim().is_empty() {
            return true;
        }
        if !(visible.contains("The post ") || visible.len() < 20) {
            return false;
        }
        let text = super::plain::html_to_text(inner);
        let text = text.trim();
        text.is_empty()
            || (text.starts_with("The post ") && text.contains(" appeared first on "))
            || text.eq_ignore_ascii_case("share this:")
            || text.eq_ignore_ascii_case("like this:")
    });
    out
}

/// True if the fragment holds an image or other embedded media, which has no text of its own.
fn has_media(html: &str) -> bool {
    html.match_indices('<').any(|(i, _)| {
        let name = tag_name(&html[i..]);
        matches!(name.as_str(), "img" | "picture" | "video" | "audio" | "svg")
    })
}

/// The text of an HTML fragment outside its tags, entities left as they are; `&nbsp;` and
/// its numeric forms count as space.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&#xa0;", " ")
}

/// html2text lays `<figure>` and `<figcaption>` out inline, running the caption into the
/// image; make them blocks, with the caption in italics. A quote's closing `<cite>` gets its
/// own line too.
fn blocks_for_figures(html: &str) -> String {
    if !html.contains("<fig") && !html.contains("<cite") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name = tag_name(tag.trim_start_matches("</"));
        let closing = tag.starts_with("</");
        match (name.as_str(), closing) {
            ("figure", false) => out.push_str("<div>"),
            ("figure", true) => out.push_str("</div>"),
            ("figcaption", false) => out.push_str("<p><em>"),
            ("figcaption", true) => out.push_str("</em></p>"),
            ("cite", false) if closes_quote(&rest[end..]) => out.push_str("<p><em>\u{2014} "),
            ("cite", true)
                if rest[end..]
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("</blockquote") =>
            {
                out.push_str("</em></p>")
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// True if the `<cite>` starting here ends right before `</blockquote>`.
fn closes_quote(after_start: &str) -> bool {
    let lower = after_start.to_ascii_lowercase();
    lower
        .find("</cite>")
        .is_some_and(|i| lower[i + 7..].trim_start().starts_with("</blockquote"))
}

fn has_clutter_class(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    ["class=", "id="].iter().any(|attr| {
        lower.match_indices(attr).any(|(i, _)| {
            let value = &lower[i + attr.len()..];
            let value = value.trim_start_matches(['"', '\'']);
            let end = value.find(['"', '\'', '>']).unwrap_or(value.len());
            value[..end]
                .split(|c: char| c.is_whitespace())
                .any(|class| {
                    CLUTTER_CLASSES
                        .iter()
                        .any(|c| class == *c || class.starts_with(&format!("{c}-")))
                })
        })
    })
}

/// Name (lower case) of a start tag's element, e.g. `div` for `<div class=x>`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Removes each element whose start tag satisfies `drop(name, tag)`, with its content
/// (nested elements of the same name are counted).
fn remove_elements(html: &str, drop: impl Fn(&str, &str) -> bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name = tag_name(tag);
        if name.is_empty() || !drop(&name, tag) {
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        if tag.ends_with("/>") {
            rest = &rest[end..];
            continue;
        }
        rest = &rest[end..];
        rest = &rest[element_end(rest, &name)..];
    }
    out.push_str(rest);
    out
}

/// Offset just past the end tag that closes an element named `name` whose start tag has
/// been consumed (or the end of the text). Tags are compared without case, in place.
fn element_end(rest: &str, name: &str) -> usize {
    let bytes = rest.as_bytes();
    let name = name.as_bytes();
    let mut depth = 1;
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(|c| *c == b'<') {
        let lt = at + i;
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let matches = bytes.len() >= start + name.len()
            && bytes[start..start + name.len()].eq_ignore_ascii_case(name)
            && bytes
                .get(start + name.len())
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/');
        at = lt + 1;
        if !matches {
            continue;
        }
        if closing {
            depth -= 1;
            if depth == 0 {
                return rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
            }
        } else {
            depth += 1;
        }
    }
    rest.len()
}

/// Removes `<p>` elements whose inner HTML satisfies `drop`.
fn remove_paragraphs(html: &str, drop: impl Fn(&str) -> bool) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find("<p") {
        let start = from + i;
        let after = lower[start + 2..].chars().next();
        if !after.is_some_and(|c| c == '>' || c.is_whitespace()) {
            from = start + 2;
            continue;
        }
        let Some(open_end) = lower[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</p>").map(|e| open_end + e) else {
            break;
        };
        let inner = &html[open_end..close];
        // a paragraph holding another paragraph start is malformed: leave it alone
        if !inner.to_ascii_lowercase().contains("<p") && drop(inner) {
            out.push_str(&html[copied..start]);
            copied = close + 4;
        }
        from = close + 4;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_wordpress_clutter() {
        let html = r#"<p>Body text.</p><p>&nbsp;</p><div class="sharedaddy sd-sharing-enabled"><div class="x"><h3>Share this:</h3><ul><li>Twitter</li></ul></div></div><p>More.</p><script>alert(1)</script><p>The post <a href="https://x/a/">A</a> appeared first on <a href="https://x/">X</a>.</p>"#;
        let out = remove(html);
        assert_eq!(out, "<p>Body text.</p><p>More.</p>");
    }

    #[test]
    fn keeps_similar_but_real_content() {
        let html = r#"<p>The post office said nothing.</p><div class="shared-responsibility"><p>Kept</p></div>"#;
        assert_eq!(remove(html), html);
    }

    #[test]
    fn keeps_a_paragraph_that_holds_only_an_image() {
        // Readability wraps a figure's image in a paragraph of its own.
        let html = r#"<div><p><IMG src="a.png" alt=""></p><p><em>Caption</em></p></div><p> </p>"#;
        assert_eq!(
            remove(html),
            r#"<div><p><IMG src="a.png" alt=""></p><p><em>Caption</em></p></div>"#
        );
    }
}
