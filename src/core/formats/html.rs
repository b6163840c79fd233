//! HTML: main-text extraction from whole pages, text of fragments, character sets.
//! (Stub: filled in by the HTML work.)

use crate::core::document::{ProblemKind, SourceMeta};

/// A web page's main text and the metadata the page declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageArticle {
    pub meta: SourceMeta,
    /// Paragraphs separated by one blank line.
    pub text: String,
}

/// Extracts the article of a whole page.
pub fn extract_page(html: &str) -> PageArticle {
    PageArticle { meta: SourceMeta::default(), text: fragment_text(html) }
}

/// All readable text of an HTML fragment, paragraphs separated by one blank line.
pub fn fragment_text(html: &str) -> String {
    html.to_string()
}

/// Decodes a page's bytes: BOM, then `<meta charset>`, then detection. A note when not UTF-8.
pub fn decode_page(bytes: &[u8]) -> (String, Option<ProblemKind>) {
    (String::from_utf8_lossy(bytes).into_owned(), None)
}
