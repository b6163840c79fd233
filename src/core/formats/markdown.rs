//! (Stub: filled in by the formats work.)

use crate::core::document::{Content, Document};

/// A Markdown file as one document: front matter as metadata, the body rendered as text.
pub fn parse(text: &str) -> Document {
    Document { content: Content::Text(text.to_string()), ..Document::default() }
}
