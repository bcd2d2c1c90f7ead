//! Text for people: the sanitizer every shown string goes through, and HTML to text.

pub mod plain;
pub mod sanitize;

pub use plain::{decode_entities, decode_line, html_to_line, html_to_text};
pub use sanitize::{sanitize, sanitize_line};
