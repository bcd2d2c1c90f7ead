//! Makes real-world XML acceptable to a strict parser, and safe, before it is parsed.
//!
//! - The DOCTYPE is removed: no entity it declares is ever expanded (billion laughs) and no
//!   external entity is ever fetched (XXE).
//! - HTML entities (`&nbsp;`, `&eacute;`), which XML does not know, become character
//!   references; an `&` that starts no entity becomes `&amp;`; an undeclared entity is left as
//!   literal text.
//! - Old dialects are mapped onto the ones feed-rs reads: RSS with no or an odd `version`, the
//!   Userland RSS namespace, RSS 0.90 and Atom 0.3.
//!
//! CDATA sections, comments and processing instructions are copied untouched.

use std::fmt::Write as _;

const ATOM_03_NS: &str = "http://purl.org/atom/ns#";
const ATOM_10_NS: &str = "http://www.w3.org/2005/Atom";
const RSS_090_NS: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RSS_10_NS: &str = "http://purl.org/rss/1.0/";

/// Returns the repaired document.
pub fn repair_xml(text: &str) -> String {
    let mut out = fix_markup(text);
    if out.contains(RSS_090_NS) {
        out = out.replace(RSS_090_NS, RSS_10_NS);
    }
    if out.contains(ATOM_03_NS) {
        out = atom03_to_10(&out);
    }
    fix_rss_root(&mut out);
    if root_start_tag(&out)
        .is_some_and(|(s, e)| out[s..e].starts_with("<rdf:RDF") || out[s..e].starts_with("<RDF"))
    {
        out = give_rdf_items_links(&out);
    }
    if out.contains(ATOM_10_NS) {
        out = fix_atom_text_types(&out);
    }
    out
}

/// feed-rs accepts only `text`, `html`, `xhtml` (and MIME types on `content`) in an Atom text
/// construct's `type`; feeds also write "", "text/plain", "application/xhtml+xml" or "HTML".
fn fix_atom_text_types(text: &str) -> String {
    const ELEMENTS: &[&str] = &["title", "subtitle", "summary", "content", "rights"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<![CDATA[") {
            let end = rest.find("]]>").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: &str = tag[1..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        if ELEMENTS.contains(&local)
            && let Some(value) = attribute_value(tag, "type")
        {
            let lower = value.trim().to_ascii_lowercase();
            let has_src = local == "content" && attribute_value(tag, "src").is_some();
            let fixed = match lower.as_str() {
                // with `src`, the type must be a MIME type
                "text" if has_src => Some("text/plain".to_string()),
                "html" if has_src => Some("text/html".to_string()),
                "xhtml" if has_src => Some("application/xhtml+xml".to_string()),
                "text" | "html" | "xhtml" => (lower != value).then(|| lower.clone()),
                _ if has_src => None,
                "" | "text/plain" => Some("text".to_string()),
                "text/html" => (local != "content").then(|| "html".to_string()),
                "application/xhtml+xml" => Some("xhtml".to_string()),
                _ if local != "content" || !lower.contains('/') => Some("html".to_string()),
                _ => None,
            };
            if let Some(new) = fixed {
                let without = remove_attribute(tag, "type");
                let insert_at = 1 + name.len();
                out.push_str(&without[..insert_at]);
                out.push_str(&format!(" type=\"{new}\""));
                out.push_str(&without[insert_at..]);
                rest = &rest[end..];
                continue;
            }
        }
        out.push_str(tag);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One pass over the document: drop the DOCTYPE, fix entities, keep CDATA/comments/PIs.
fn fix_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let rest = &text[i..];
                let verbatim_end = if rest.starts_with("<![CDATA[") {
                    Some(rest.find("]]>").map_or(rest.len(), |e| e + 3))
                } else if let Some(comment) = rest.strip_prefix("<!--") {
                    Some(comment.find("-->").map_or(rest.len(), |e| e + 7))
                } else if rest.starts_with("<?") {
                    Some(rest.find("?>").map_or(rest.len(), |e| e + 2))
                } else {
                    None
                };
                if let Some(len) = verbatim_end {
                    i += len;
                    continue;
                }
                if rest.len() >= 9 && rest.as_bytes()[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
                    out.push_str(&text[copied..i]);
                    i += doctype_len(rest);
                    copied = i;
                    continue;
                }
                i += 1;
            }
            b'&' => {
                out.push_str(&text[copied..i]);
                i += 1;
                let (replacement, consumed) = fix_entity(&text[i..]);
                out.push_str(&replacement);
                i += consumed;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Length of a `<!DOCTYPE ...>` declaration, internal subset included.
fn doctype_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => return i + 1,
                _ => {}
            },
        }
    }
    rest.len()
}

/// Called after an `&`. Returns the text to emit (starting with `&`) and how many bytes after
/// the `&` it replaces.
fn fix_entity(after: &str) -> (String, usize) {
    let name_len = after
        .bytes()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    let name = &after[..name_len];
    if name_len == 0 || !after[name_len..].starts_with(';') {
        return ("&amp;".to_string(), 0);
    }
    let consumed = name_len + 1;
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        return match value.and_then(char::from_u32) {
            Some(c) if c != '\0' => (format!("&{name};"), consumed),
            _ => ("&amp;".to_string(), 0),
        };
    }
    if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
        return (format!("&{name};"), consumed);
    }
    let entity = format!("&{name};");
    let decoded = html_escape::decode_html_entities(&entity);
    if decoded != entity {
        let mut refs = String::new();
        for c in decoded.chars() {
            let _ = write!(refs, "&#{};", c as u32);
        }
        return (refs, consumed);
    }
    // Undeclared (or declared only in the removed DOCTYPE): keep it as literal text.
    ("&amp;".to_string(), 0)
}

/// A well-formed version of a broken document: end tags that close nothing are dropped, an
/// end tag that skips open elements closes them first, and whatever is open where the
/// document ends (or where it becomes unreadable) is closed. Returns `None` if nothing was
/// wrong. Like feedparser's loose mode, this keeps every entry that precedes the damage.
pub fn balance_xml(text: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut out = String::with_capacity(text.len() + 64);
    let mut stack: Vec<String> = Vec::new();
    let mut changed = false;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event();
        let after = usize::try_from(reader.buffer_position())
            .unwrap_or(text.len())
            .min(text.len());
        let raw = text.get(before..after).unwrap_or("");
        match event {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_string();
                // An entry opens inside its channel or feed: whatever is still open above
                // that was left unclosed by mistake.
                let parent = match name.as_str() {
                    "item" => stack
                        .iter()
                        .rposition(|n| n == "channel" || n.ends_with("RDF")),
                    "entry" => stack.iter().rposition(|n| n == "feed"),
                    _ => None,
                };
                if let Some(p) = parent {
                    for open in stack.drain(p + 1..).rev() {
                        out.push_str(&format!("</{open}>"));
                        changed = true;
                    }
                }
                stack.push(name);
                out.push_str(raw);
            }
            Ok(Event::End(e)) => {
                let name = e.name().as_ref().to_string();
                match stack.iter().rposition(|n| *n == name) {
                    Some(idx) => {
                        for open in stack.drain(idx + 1..).rev() {
                            out.push_str(&format!("</{open}>"));
                            changed = true;
                        }
                        stack.pop();
                        out.push_str(raw);
                    }
                    None => changed = true,
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {
                if stack.is_empty() && !out.trim().is_empty() && raw.trim_start().starts_with('<') {
                    // junk after the root element
                    changed = true;
                    break;
                }
                out.push_str(raw);
            }
            Err(_) => {
                changed = true;
                break;
            }
        }
    }
    for open in stack.iter().rev() {
        out.push_str(&format!("</{open}>"));
        changed = true;
    }
    changed.then_some(out)
}

/// True if the document does not end with its root element's end tag: it was cut short.
pub fn looks_truncated(text: &str) -> bool {
    let Some((start, end)) = root_start_tag(text) else {
        return true;
    };
    let name: String = text[start + 1..end]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect();
    let tail = text.trim_end();
    if text[start..end].ends_with("/>") && tail.len() == end {
        return false;
    }
    let Some(close) = tail.rfind("</") else {
        return true;
    };
    let last = tail[close + 2..].trim_end_matches('>').trim();
    last != name
}

/// Stands in for the link of an RSS 1.0/0.90 item that has none: feed-rs drops such items,
/// and `parse` removes this placeholder again.
pub const NO_LINK: &str = "urn:byline:no-link";

/// feed-rs drops RDF items without a `<link>`; give each one its `rdf:about`, or a placeholder.
fn give_rdf_items_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find("<item") {
        let after_name = &rest[at + 5..];
        if !after_name.starts_with(|c: char| c == '>' || c.is_whitespace()) {
            out.push_str(&rest[..at + 5]);
            rest = after_name;
            continue;
        }
        let Some(tag_end) = after_name.find('>').map(|e| at + 5 + e + 1) else {
            break;
        };
        let tag = &rest[at..tag_end];
        let body_end = rest[tag_end..]
            .find("</item>")
            .map_or(rest.len(), |e| tag_end + e);
        out.push_str(&rest[..tag_end]);
        if !tag.ends_with("/>") && !rest[tag_end..body_end].contains("<link") {
            let link = attribute_value(tag, "rdf:about").unwrap_or_else(|| NO_LINK.to_string());
            out.push_str("<link>");
            out.push_str(&link);
            out.push_str("</link>");
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    out
}

/// Atom 0.3 is Atom 1.0 with other names for a few elements.
fn atom03_to_10(text: &str) -> String {
    let mut out = text.replace(ATOM_03_NS, ATOM_10_NS);
    for (old, new) in [
        ("issued", "published"),
        ("modified", "updated"),
        ("tagline", "subtitle"),
        ("copyright", "rights"),
    ] {
        for (from, to) in [
            (format!("<{old}>"), format!("<{new}>")),
            (format!("<{old} "), format!("<{new} ")),
            (format!("</{old}>"), format!("</{new}>")),
        ] {
            if out.contains(&from) {
                out = out.replace(&from, &to);
            }
        }
    }
    out
}

/// feed-rs reads `<rss version="2.0|0.91|0.92">` only, in no namespace. Other versions (0.93,
/// 0.94, 2.01, none) are RSS 2.0 for every purpose a reader has.
fn fix_rss_root(text: &mut String) {
    let Some((start, end)) = root_start_tag(text) else {
        return;
    };
    let tag = &text[start..end];
    let is_rss = tag
        .strip_prefix("<rss")
        .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'));
    if !is_rss {
        return;
    }
    let mut new_tag = tag.to_string();
    let version = attribute_value(tag, "version");
    if !matches!(version.as_deref(), Some("2.0" | "0.91" | "0.92")) {
        new_tag = remove_attribute(&new_tag, "version");
        new_tag.insert_str(4, " version=\"2.0\"");
    }
    if attribute_value(&new_tag, "xmlns").is_some() {
        new_tag = remove_attribute(&new_tag, "xmlns");
    }
    if new_tag != tag {
        text.replace_range(start..end, &new_tag);
    }
}

/// Byte range of the root element's start tag.
fn root_start_tag(text: &str) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(rel) = text[i..].find('<') {
        let at = i + rel;
        let rest = &text[at..];
        if rest.starts_with("<?") {
            i = at + rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i = at + rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            i = at + rest.find('>')? + 1;
        } else {
            let end = at + rest.find('>')? + 1;
            return Some((at, end));
        }
    }
    None
}

fn attribute_value(tag: &str, name: &str) -> Option<String> {
    let (at, len) = find_attribute(tag, name)?;
    let value = &tag[at..at + len];
    let eq = value.find('=')?;
    let v = value[eq + 1..].trim();
    Some(v.trim_matches(['"', '\'']).to_string())
}

fn remove_attribute(tag: &str, name: &str) -> String {
    match find_attribute(tag, name) {
        Some((at, len)) => format!("{}{}", tag[..at].trim_end(), &tag[at + len..]),
        None => tag.to_string(),
    }
}

/// Start and length of ` name="value"` (exactly that name, not `xmlns:x`).
fn find_attribute(tag: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(rel) = tag[from..].find(name) {
        let at = from + rel;
        from = at + name.len();
        let before_ok = at > 0 && tag.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = &tag[from..];
        let trimmed = rest.trim_start();
        if !before_ok || !trimmed.starts_with('=') {
            continue;
        }
        let after_eq = trimmed[1..].trim_start();
        let quote = after_eq.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let close = after_eq[1..].find(quote)?;
        let end = tag.len() - after_eq.len() + close + 2;
        return Some((at, end - at));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctype_and_entities() {
        let doc = "<!DOCTYPE rss [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><rss version=\"2.0\"><t>&lol2; &nbsp;A &amp; B & C &#8217; <![CDATA[a & b &nbsp;]]></t></rss>";
        let fixed = repair_xml(doc);
        assert_eq!(
            fixed,
            "<rss version=\"2.0\"><t>&amp;lol2; &#160;A &amp; B &amp; C &#8217; <![CDATA[a & b &nbsp;]]></t></rss>"
        );
    }

    #[test]
    fn rss_versions_and_namespaces() {
        assert_eq!(
            repair_xml("<?xml version=\"1.0\"?><rss version=\"0.94\"><channel/></rss>"),
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            repair_xml("<rss><channel/></rss>"),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            repair_xml(
                "<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\"><channel/></rss>"
            ),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        let atom03 = repair_xml(
            "<feed xmlns=\"http://purl.org/atom/ns#\"><entry><issued>x</issued></entry></feed>",
        );
        assert!(atom03.contains(ATOM_10_NS) && atom03.contains("<published>x</published>"));
    }
}
