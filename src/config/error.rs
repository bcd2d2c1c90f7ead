//! Config errors that name the file, the line and column, the key and the value.

use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (or `<built-in default config>`).
    pub file: String,
    /// 1-based line and column, when the error has a place in the text.
    pub position: Option<(usize, usize)>,
    pub message: String,
    /// The offending line of the file, shown under the message.
    pub source_line: Option<String>,
}

impl ConfigError {
    pub fn file(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: path.display().to_string(),
            position: None,
            message: message.into(),
            source_line: None,
        }
    }

    /// An error at a byte offset of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> ConfigError {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        let source_line = text[line_start..].lines().next().map(|l| l.to_string());
        ConfigError {
            file: file.to_string(),
            position: Some((line, col)),
            message: message.into(),
            source_line,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{}:{}: {}", self.file, line, col, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let (Some((line, _)), Some(src)) = (self.position, &self.source_line) {
            let src = crate::text::sanitize_line(src);
            if !src.is_empty() {
                write!(f, "\n  {line} | {src}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
