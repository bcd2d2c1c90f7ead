//! Bytes to UTF-8, before any parser sees them.
//!
//! Order of evidence: byte-order mark, the HTTP `charset`, the XML declaration, then
//! detection. A declaration that lies (UTF-8 declared, Latin-1 bytes) is caught: invalid
//! UTF-8 in an otherwise UTF-8 document is patched byte by byte as windows-1252, and a
//! document with no valid multi-byte UTF-8 at all is handed to the detector.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The document as UTF-8, with the encoding that was used.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

pub fn to_utf8(bytes: &[u8], http_charset: Option<&str>) -> Decoded {
    // 1. Byte-order marks (UTF-32 first: its LE mark starts like UTF-16's).
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE, 0, 0]) {
        return utf32(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0, 0, 0xFE, 0xFF]) {
        return utf32(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_lenient(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return with(UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return with(UTF_16BE, rest);
    }
    // 2. UTF-16/32 without a mark: the first character of an XML or JSON document is ASCII.
    match bytes {
        [0, 0, 0, b, ..] if b.is_ascii() && *b != 0 => return utf32(bytes, true),
        [b, 0, 0, 0, ..] if b.is_ascii() && *b != 0 => return utf32(bytes, false),
        [0, b, 0, c, ..] if b.is_ascii() && c.is_ascii() && *b != 0 => {
            return with(UTF_16BE, bytes);
        }
        [b, 0, c, 0, ..] if b.is_ascii() && c.is_ascii() && *b != 0 => {
            return with(UTF_16LE, bytes);
        }
        _ => {}
    }
    // 3. What the server said, then what the document says.
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.trim().trim_matches('"').as_bytes()))
        .or_else(|| xml_declared_encoding(bytes).and_then(|l| Encoding::for_label(l.as_bytes())))
        // A document that declares UTF-16 but reached us without a mark or NULs is single-byte.
        .filter(|e| *e != UTF_16LE && *e != UTF_16BE);
    match declared {
        Some(enc) if enc == UTF_8 => utf8_lenient(bytes),
        // Declared legacy, but valid multi-byte UTF-8 does not happen by chance: the
        // declaration is stale (a CMS that switched to UTF-8 and kept its template).
        Some(_) if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() => utf8_lenient(bytes),
        Some(enc) => with(enc, bytes),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => Decoded {
                text: s.to_string(),
                encoding: "UTF-8",
            },
            Err(_) => utf8_lenient(bytes),
        },
    }
}

fn with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
    }
}

/// UTF-8 that may be wrong: keep valid UTF-8 and patch stray bytes as windows-1252, unless the
/// document shows no real UTF-8 at all, in which case a detector picks the legacy encoding.
fn utf8_lenient(bytes: &[u8]) -> Decoded {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
        };
    }
    if !has_multibyte_utf8(bytes) {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
        return with(enc, bytes);
    }
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // valid_up_to guarantees `good` is UTF-8
                out.push_str(&String::from_utf8_lossy(good));
                let n = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bad[..n]);
                out.push_str(&text);
                rest = &bad[n..];
            }
        }
    }
    Decoded {
        text: out,
        encoding: "UTF-8 (with windows-1252 bytes)",
    }
}

/// True if some well-formed multi-byte UTF-8 sequence appears.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let good = &rest[..e.valid_up_to()];
                if !good.is_ascii() {
                    return true;
                }
                let skip =
                    e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
                if skip >= rest.len() {
                    return false;
                }
                rest = &rest[skip..];
            }
        }
    }
}

fn utf32(bytes: &[u8], big_endian: bool) -> Decoded {
    let text = bytes
        .chunks(4)
        .map(|c| {
            let mut b = [0u8; 4];
            b[..c.len()].copy_from_slice(c);
            let n = if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            };
            char::from_u32(n).unwrap_or('\u{FFFD}')
        })
        .collect();
    Decoded {
        text,
        encoding: if big_endian { "UTF-32BE" } else { "UTF-32LE" },
    }
}

/// The `encoding` pseudo-attribute of an `<?xml ...?>` declaration at the start.
pub fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &head[start..];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    let at = decl.find("encoding")?;
    let after = decl[at + "encoding".len()..].trim_start();
    let after = after.strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    let close = value.find(quote)?;
    Some(value[..close].trim().to_string())
}

/// The charset named by an HTML page's `<meta charset>` or `<meta http-equiv>` tag.
pub fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let start = from + i;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(at) = tag.find("charset=") {
            let value = tag[at + 8..].trim_start_matches(['"', '\'', ' ']);
            let len = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(value.len());
            if len > 0 {
                return Some(value[..len].to_string());
            }
        }
        from = end;
    }
    None
}

/// Rewrites the XML declaration's encoding to UTF-8: the text has been transcoded, and the
/// XML parser would otherwise decode it a second time.
pub fn declare_utf8(text: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with("<?xml") {
        return text.into();
    }
    let offset = text.len() - trimmed.len();
    let Some(end) = trimmed.find("?>") else {
        return text.into();
    };
    let decl = &trimmed[..end];
    let Some(at) = decl.find("encoding") else {
        return text.into();
    };
    let after = &decl[at..];
    let Some(q1) = after.find(['"', '\'']) else {
        return text.into();
    };
    let quote = after[q1..].chars().next().unwrap_or('"');
    let Some(q2) = after[q1 + 1..].find(quote) else {
        return text.into();
    };
    let value_start = offset + at + q1 + 1;
    let value_end = value_start + q2;
    if text[value_start..value_end].eq_ignore_ascii_case("utf-8") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..value_start]);
    out.push_str("UTF-8");
    out.push_str(&text[value_end..]);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_win() {
        let mut b = vec![0xFF, 0xFE];
        for u in "<rss>é</rss>".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(to_utf8(&b, Some("iso-8859-1")).text, "<rss>é</rss>");
        let mut b = vec![0xFF, 0xFE, 0, 0];
        for c in "<a>ü</a>".chars() {
            b.extend_from_slice(&(c as u32).to_le_bytes());
        }
        assert_eq!(to_utf8(&b, None).text, "<a>ü</a>");
    }

    #[test]
    fn declaration_and_http_charset() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Caf\xe9</t>";
        assert!(to_utf8(doc, None).text.contains("Café"));
        let koi = b"<t>\xf0\xd2\xc9\xd7\xc5\xd4</t>";
        assert_eq!(to_utf8(koi, Some("koi8-r")).text, "<t>Привет</t>");
    }

    #[test]
    fn lying_utf8_declaration_is_patched() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>naïve ".as_bytes();
        let mut b = doc.to_vec();
        b.extend_from_slice(b"Caf\xe9 \x93digital\x94</t>");
        let out = to_utf8(&b, Some("utf-8")).text;
        assert!(out.contains("naïve Café \u{201c}digital\u{201d}"), "{out}");
    }

    #[test]
    fn rewrites_declared_encoding() {
        let t = "<?xml version='1.0' encoding='windows-1251'?><rss/>";
        assert_eq!(
            declare_utf8(t),
            "<?xml version='1.0' encoding='UTF-8'?><rss/>"
        );
        assert_eq!(
            xml_declared_encoding(t.as_bytes()).as_deref(),
            Some("windows-1251")
        );
    }
}
