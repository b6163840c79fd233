//! The article model: what cleaning produces and every later stage reads.

use serde::{Deserialize, Serialize};

/// A cleaned article. `body` is the paragraphs joined by one blank line; entity mention offsets
/// are byte offsets into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: a hash of the file's bytes, so the same content has the same id on every run.
    pub id: String,
    /// Where the article came from, as given on the command line (or `bundled:` for the corpus
    /// compiled into the binary).
    pub path: String,
    pub title: String,
    /// True when the source had no headline and the title was made from the opening sentence.
    pub title_derived: bool,
    pub deck: Option<String>,
    /// ISO 8601 date.
    pub date: Option<String>,
    pub author: Option<String>,
    /// Closing lines about the writer ("The writer is …"), kept out of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_note: Option<String>,
    /// The item's link, when its source gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Tags or categories the source gives (front matter, feed categories, JSON keywords).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub paragraphs: Vec<String>,
    pub body: String,
}

impl Article {
    pub fn word_count(&self) -> usize {
        self.body.split_whitespace().count()
    }
}

/// The separator between paragraphs in `body`.
pub const PARAGRAPH_SEPARATOR: &str = "\n\n";
