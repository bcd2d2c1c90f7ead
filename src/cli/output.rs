//! Small formatting helpers shared by the commands: times, columns, JSON shapes.

use std::io::Write;

use chrono::{DateTime, Local, TimeZone, Utc};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// RFC 3339 in UTC, for JSON.
pub fn rfc3339(t: Option<i64>) -> Option<String> {
    t.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// "2026-06-16 16:10" in local time, for people.
pub fn local_time(t: i64) -> String {
    match Local.timestamp_opt(t, 0).single() {
        Some(d) => d.format("%Y-%m-%d %H:%M").to_string(),
        None => "-".into(),
    }
}

/// Cuts `s` to at most `width` columns, ending with "…" if it was cut.
pub fn truncate(s: &str, width: usize) -> String {
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
    let w = s.width();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// Writes a JSON value and a newline to stdout.
pub fn print_json(value: &serde_json::Value) -> Result<(), super::Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| super::Failure::new(1, format!("cannot write JSON: {e}")))?;
    write_stdout(&format!("{text}\n"))
}

/// Writes to stdout; a closed pipe (`byline list | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), super::Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(super::Failure::new(
            1,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_respect_wide_characters() {
        assert_eq!(truncate("中文标题很长", 7), "中文标…");
        assert_eq!(pad("中文", 6), "中文  ");
    }

    #[test]
    fn times() {
        assert_eq!(
            rfc3339(Some(1_781_606_400)).as_deref(),
            Some("2026-06-16T10:40:00Z")
        );
        assert_eq!(rfc3339(None), None);
    }
}
