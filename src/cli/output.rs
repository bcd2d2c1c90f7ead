//! Small formatting helpers shared by the commands: times, columns, JSON shapes.

use std::io::Write;

use chrono::{DateTime, Utc};

/// RFC 3339 in UTC, for JSON.
pub fn rfc3339(t: Option<i64>) -> Option<String> {
    t.and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

pub use crate::text::page::local_time;

pub use crate::text::columns::{pad, truncate};

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
    fn times() {
        assert_eq!(
            rfc3339(Some(1_781_606_400)).as_deref(),
            Some("2026-06-16T10:40:00Z")
        );
        assert_eq!(rfc3339(None), None);
    }
}
