//! Text for people: the sanitizer every shown string goes through, HTML to styled lines, and
//! HTML to plain text for the search index.

pub(crate) mod clutter;
pub mod columns;
pub mod extract;
pub mod page;
pub mod plain;
pub mod render;
pub mod sanitize;

pub use plain::{decode_entities, decode_line, html_to_line, html_to_text};
pub use render::{Mode, Rendered, render};
pub use sanitize::{sanitize, sanitize_line};
