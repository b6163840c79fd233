//! Documents: what every source yields and the one cleaning step reads, and the one typed
//! problem every stage reports.
//!
//! A file is not an article: a feed, a mailbox, a JSON export, an e-book or an archive holds many.
//! Each format parser turns a file's bytes into [`Document`]s, each with the key of its item
//! within the file, what the source itself says of it (title, date, author, link) and its
//! content as text or HTML.

use serde::{Deserialize, Serialize};

/// One article as its source gives it, before cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Which item of its file this is, stable across runs: empty when the file is one article;
    /// otherwise a feed GUID, a Message-ID, a JSON `id`, an EPUB chapter's path, an archive
    /// member's name (and `/`-joined, the key inside it). Never a position that shifts when
    /// another item is added, unless the source offers nothing better.
    pub item: String,
    /// What the source says of the item; cleaning fills in what is missing from the text.
    pub meta: SourceMeta,
    pub content: Content,
    /// The item's own original form (the feed item, the mail message, the JSON record), for
    /// `show --raw`; `None` when the item is the whole file.
    pub original: Option<String>,
}

/// Metadata a source carries itself. Every field is optional; cleaning trusts these over what
/// it can read from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    pub title: Option<String>,
    /// ISO 8601 calendar date (`YYYY-MM-DD`).
    pub date: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
}

/// An item's content, in the form the source has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Plain text, or text rendered from a structured format (Markdown, PDF): paragraphs
    /// separated by blank lines (hard-wrapped lines are joined by cleaning).
    Text(String),
    /// A whole web page: the main text is extracted and the page's own metadata read.
    Page(String),
    /// An HTML fragment (a feed item's or a mail's HTML body): all of its text is kept.
    Fragment(String),
}

impl Default for Content {
    fn default() -> Self {
        Content::Text(String::new())
    }
}

/// What a format parser made of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub documents: Vec<Document>,
    /// Problems with single items (the file itself was read): the item key and what was wrong.
    pub problems: Vec<(String, ProblemKind)>,
}

impl Parsed {
    pub fn one(doc: Document) -> Parsed {
        Parsed { documents: vec![doc], problems: Vec::new() }
    }
}

/// Something that kept a file or an item from loading cleanly, or a note about how it loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemKind {
    Empty,
    Binary,
    TooLarge {
        size: u64,
        limit: u64,
    },
    Unreadable(String),
    Loop,
    Duplicate {
        of: String,
    },
    /// Nothing was left to read after cleaning.
    NoText,
    Malformed {
        format: String,
        detail: String,
    },
    /// Reading the file took longer than the time budget for one file; it was skipped.
    TooSlow {
        millis: u64,
    },
    /// A file whose format newsroom does not read.
    Unsupported {
        format: String,
    },
    /// A note: the text was not UTF-8 and was decoded from this encoding.
    Decoded {
        encoding: String,
    },
    /// A note: this many invalid bytes were replaced with U+FFFD.
    Replaced {
        count: usize,
    },
    /// A note: terminal control sequences or characters were removed.
    ControlsRemoved {
        count: usize,
    },
    /// A note: part of the file was not read (a damaged page, a member past a limit).
    Partial {
        detail: String,
    },
}

impl ProblemKind {
    pub fn malformed(format: &str, detail: impl Into<String>) -> ProblemKind {
        ProblemKind::Malformed { format: format.to_string(), detail: detail.into() }
    }

    /// A note leaves the item loaded; anything else means it was skipped.
    pub fn is_note(&self) -> bool {
        matches!(
            self,
            ProblemKind::Decoded { .. }
                | ProblemKind::Replaced { .. }
                | ProblemKind::ControlsRemoved { .. }
                | ProblemKind::Partial { .. }
        )
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::core::text::display_safe;
        match self {
            ProblemKind::Empty => write!(f, "empty file"),
            ProblemKind::Binary => write!(f, "binary file, not text"),
            ProblemKind::TooLarge { size, limit } => write!(
                f,
                "{} is larger than the {} limit for one file (raise it with --max-file-size)",
                human_size(*size),
                human_size(*limit)
            ),
            ProblemKind::Unreadable(why) => write!(f, "{}", display_safe(why)),
            ProblemKind::Loop => write!(f, "symbolic link loop"),
            ProblemKind::Duplicate { of } => write!(f, "same content as {}", display_safe(of)),
            ProblemKind::NoText => write!(f, "no article text left after cleaning"),
            ProblemKind::Malformed { format, detail } => {
                write!(f, "not a readable {format} file: {}", display_safe(detail))
            }
            ProblemKind::TooSlow { millis } => {
                write!(f, "took longer than {} s to read; skipped so the rest could load", *millis as f64 / 1000.0)
            }
            ProblemKind::Unsupported { format } => write!(f, "{format} is a format newsroom does not read"),
            ProblemKind::Decoded { encoding } => write!(f, "not UTF-8; decoded as {encoding}"),
            ProblemKind::Replaced { count } => {
                write!(f, "{count} invalid byte{} replaced with �", if *count == 1 { "" } else { "s" })
            }
            ProblemKind::ControlsRemoved { count } => {
                write!(f, "removed {count} terminal control sequences or characters")
            }
            ProblemKind::Partial { detail } => write!(f, "read in part: {}", display_safe(detail)),
        }
    }
}

/// A size for people: `12.3 MB`, `4.0 kB`.
pub fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}

/// Bounds every parser keeps to, so that no single file can take unbounded time or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file (or archive member, once unpacked) read.
    pub max_bytes: u64,
    /// Most bytes unpacked from one archive in all.
    pub max_unpacked: u64,
    /// Most items taken from one file.
    pub max_items: usize,
    /// Deepest nesting a parser follows (markup, JSON, archives within archives).
    pub max_depth: usize,
    /// Longest a parser that cannot bound itself (PDF) may run on one file, in milliseconds.
    pub max_millis: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_unpacked: 512 * 1024 * 1024,
            max_items: 100_000,
            max_depth: 256,
            max_millis: 10_000,
        }
    }
}
