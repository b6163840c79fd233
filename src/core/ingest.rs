//! Sources: finds the files under the given paths (or the bundled corpus), reads and decodes
//! them, tells their format, and turns each into documents and then cleaned articles. Every
//! problem is typed and carries where it happened; the run goes on.
//!
//! This is the front of the one loading pipeline; [`crate::core::cache::open_collection`] drives
//! it and feeds what it yields to the sinks (memory, the cache file).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::article::Article;
use crate::core::clean::clean_document;
use crate::core::document::{Content, Document, Limits, Parsed, ProblemKind, SourceMeta};
use crate::core::formats::{self, archive::ArchiveKind};
use crate::core::furniture::Furniture;
use crate::core::text::stable_hash;

pub use crate::core::document::human_size;

/// Files larger than this are skipped unless the limit is raised.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The sample corpus compiled into the binary.
pub const BUNDLED: &[(&str, &str)] = &[
    ("000_c4c79cd1e2dcc1b5.txt", include_str!("../../assets/corpus/000_c4c79cd1e2dcc1b5.txt")),
    ("001_27bb42572bf5a56f.txt", include_str!("../../assets/corpus/001_27bb42572bf5a56f.txt")),
    ("002_0d6c2679fc78c9a8.txt", include_str!("../../assets/corpus/002_0d6c2679fc78c9a8.txt")),
    ("003_9ff31f010b9ed958.txt", include_str!("../../assets/corpus/003_9ff31f010b9ed958.txt")),
    ("004_6a8170050d1b1885.txt", include_str!("../../assets/corpus/004_6a8170050d1b1885.txt")),
];

/// Path prefix of the bundled articles.
pub const BUNDLED_PREFIX: &str = "bundled:";

/// The formats newsroom reads, and how it knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Feed,
    Json,
    Mail,
    Mbox,
    Epub,
    Pdf,
    Zip,
    TarGz,
}

impl Format {
    /// Every format with the file endings that select it inside a folder.
    pub const ENDINGS: &'static [(Format, &'static [&'static str])] = &[
        (Format::Text, &["txt", "text"]),
        (Format::Markdown, &["md", "markdown"]),
        (Format::Html, &["html", "htm", "xhtml", "shtml"]),
        (Format::Feed, &["rss", "atom", "xml"]),
        (Format::Json, &["json", "jsonl", "ndjson"]),
        (Format::Mail, &["eml"]),
        (Format::Mbox, &["mbox", "mbx"]),
        (Format::Epub, &["epub"]),
        (Format::Pdf, &["pdf"]),
        (Format::Zip, &["zip"]),
        (Format::TarGz, &["tgz", "tar.gz"]),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Feed => "feed",
            Format::Json => "JSON",
            Format::Mail => "mail",
            Format::Mbox => "mbox",
            Format::Epub => "EPUB",
            Format::Pdf => "PDF",
            Format::Zip => "zip",
            Format::TarGz => "tar.gz",
        }
    }

    /// The format a file name's ending selects, if any.
    pub fn by_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tar.gz") {
            return Some(Format::TarGz);
        }
        let ext = Path::new(&lower).extension()?.to_str()?.to_string();
        Format::ENDINGS.iter().find(|(_, exts)| exts.contains(&ext.as_str())).map(|(f, _)| *f)
    }

    /// The format the content itself declares, when it does unmistakably (magic numbers, a
    /// doctype, a feed's root element, mail headers).
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        let head = &bytes[..bytes.len().min(1024)];
        if head.starts_with(b"%PDF-") {
            return Some(Format::Pdf);
        }
        if head.starts_with(b"PK\x03\x04") {
            let epub =
                head.len() > 58 && &head[30..38] == b"mimetype" && head[38..].starts_with(b"application/epub+zip");
            return Some(if epub { Format::Epub } else { Format::Zip });
        }
        if head.starts_with(&[0x1f, 0x8b]) {
            return Some(Format::TarGz);
        }
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Some(Format::Html);
        }
        if (lower.starts_with("<?xml") || lower.starts_with("<rss") || lower.starts_with("<feed"))
            && formats::feed::sniff(bytes)
        {
            return Some(Format::Feed);
        }
        if (lower.starts_with('{') || lower.starts_with('[')) && formats::json::sniff(bytes) {
            return Some(Format::Json);
        }
        if lower.starts_with("from ")
            && formats::mail::sniff(&bytes[bytes.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1)..])
        {
            return Some(Format::Mbox);
        }
        if formats::mail::sniff(bytes) {
            return Some(Format::Mail);
        }
        None
    }
}

/// Options for loading a collection.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub max_file_bytes: u64,
    /// Shared: options are cloned for every store and worker, and the rules are large.
    pub furniture: std::sync::Arc<Furniture>,
    /// Longest one large file may take to read, clean and extract before it is skipped.
    pub file_time_budget: std::time::Duration,
    /// The user's entity corrections, applied whenever the entity index is built.
    pub corrections: crate::core::corrections::Corrections,
}

/// The default time budget for one file.
pub const DEFAULT_FILE_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            furniture: std::sync::Arc::new(Furniture::builtin()),
            file_time_budget: DEFAULT_FILE_TIME_BUDGET,
            corrections: Default::default(),
        }
    }
}

impl LoadOptions {
    pub fn limits(&self) -> Limits {
        Limits { max_bytes: self.max_file_bytes, ..Limits::default() }
    }
}

/// Something that kept a file or an item from loading cleanly, said once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as given (and ` › item` for an item within it).
    pub path: String,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(path: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem { path: path.into(), kind }
    }

    /// A note (the file loaded, with a caveat) rather than a skip.
    pub fn loaded(&self) -> bool {
        self.kind.is_note()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.loaded() { "note" } else { "skipped" };
        write!(f, "{what}: {}: {}", crate::core::text::display_safe(&self.path), self.kind)
    }
}

/// One line naming the files skipped for their format (by ending, with counts), if any.
pub fn skipped_summary(skipped_formats: &BTreeMap<String, usize>) -> Option<String> {
    let total: usize = skipped_formats.values().sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = skipped_formats.iter().map(|(ext, n)| format!("{n} {ext}")).collect();
    Some(format!(
        "skipped {total} file{} in formats newsroom does not read ({})",
        if total == 1 { "" } else { "s" },
        parts.join(", "),
    ))
}

/// Where a found file's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoundSource {
    Disk(PathBuf),
    /// An article compiled into the binary (index into [`BUNDLED`]).
    Bundled(usize),
}

/// A file found for loading.
#[derive(Debug, Clone)]
pub struct Found {
    pub source: FoundSource,
    pub display: String,
    /// Size and change times, when the file could be looked at.
    pub stat: Option<FileStat>,
    /// Which root it was found under and where below it: the same file has the same key
    /// however the root was spelt (`news/` or `~/news`).
    pub key: String,
    /// The format its place says it has (a maildir message has no ending), if any.
    pub hint: Option<Format>,
}

/// The bundled corpus as found files.
pub fn bundled() -> Vec<Found> {
    BUNDLED
        .iter()
        .enumerate()
        .map(|(i, (name, text))| Found {
            source: FoundSource::Bundled(i),
            display: format!("{BUNDLED_PREFIX}{name}"),
            stat: Some(FileStat { size: text.len() as u64, mtime_ns: 0, ctime_ns: 0 }),
            key: format!("{BUNDLED_PREFIX}{name}"),
            hint: Some(Format::Text),
        })
        .collect()
}

/// Walks the given paths: files named directly are always read; folders are walked recursively
/// for files in the formats newsroom reads. Symlinks are followed; loops are reported.
pub fn discover(paths: &[PathBuf], problems: &mut Vec<Problem>, skipped: &mut BTreeMap<String, usize>) -> Vec<Found> {
    let mut found = Vec::new();
    for (r, root) in paths.iter().enumerate() {
        let display = root.display().to_string();
        match std::fs::metadata(root) {
            Err(e) => problems.push(Problem::new(display, io_problem(&e))),
            Ok(meta) if meta.is_file() => found.push(Found {
                source: FoundSource::Disk(root.clone()),
                display,
                stat: None,
                key: format!("{r}\0"),
                hint: None,
            }),
            Ok(meta) if meta.is_dir() => walk_dir(r, root, &mut found, problems, skipped),
            Ok(_) => {
                problems.push(Problem::new(display, ProblemKind::Unreadable("not a regular file or folder".into())))
            }
        }
    }
    // The same file reached twice (named twice, or through a link) loads once. Its device and
    // inode say so without resolving every path.
    let ids: Vec<Option<(u64, u64)>> = found
        .par_iter_mut()
        .map(|f| {
            let FoundSource::Disk(path) = &f.source else { return None };
            let meta = std::fs::metadata(path).ok()?;
            f.stat = Some(FileStat::of(&meta));
            file_identity(&meta)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut keep = ids.iter().map(|id| id.is_none_or(|id| seen.insert(id)));
    found.retain(|_| keep.next().unwrap_or(true));
    found
}

/// What says whether a file changed without reading it: its size, its modification time (which
/// a program may set back) and its status-change time (which no program can), in nanoseconds
/// since 1970 (0 when the system does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct FileStat {
    pub size: u64,
    pub mtime_ns: u128,
    pub ctime_ns: u128,
}

impl FileStat {
    pub fn of(meta: &std::fs::Metadata) -> FileStat {
        let mtime_ns =
            meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let ctime_ns = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime().max(0) as u128) * 1_000_000_000 + meta.ctime_nsec().max(0) as u128
        };
        #[cfg(not(unix))]
        let ctime_ns = 0;
        FileStat { size: meta.len(), mtime_ns, ctime_ns }
    }
}

#[cfg(unix)]
fn file_identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// A maildir keeps one message per file, without an ending, in `cur/` and `new/`.
fn in_maildir(path: &Path) -> bool {
    let Some(parent) = path.parent() else { return false };
    let named = parent.file_name().and_then(|n| n.to_str()).is_some_and(|n| n == "cur" || n == "new");
    named && parent.parent().is_some_and(|box_dir| box_dir.join("cur").is_dir() && box_dir.join("new").is_dir())
}

fn walk_dir(
    r: usize,
    root: &Path,
    found: &mut Vec<Found>,
    problems: &mut Vec<Problem>,
    skipped: &mut BTreeMap<String, usize>,
) {
    // By file name: siblings' paths differ only in it, so comparing whole paths orders them the
    // same without splitting each path at every comparison (~7% of a warm `list` at 100k).
    let walker =
        walkdir::WalkDir::new(root).follow_links(true).sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
    for entry in walker {
        match entry {
            Err(e) => {
                let path = e.path().map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let kind = if e.loop_ancestor().is_some() {
                    ProblemKind::Loop
                } else if let Some(io) = e.io_error() {
                    io_problem(io)
                } else {
                    ProblemKind::Unreadable(e.to_string())
                };
                problems.push(Problem::new(path, kind));
            }
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with('.') {
                    continue; // hidden files: editor swap files, .DS_Store
                }
                let hint = Format::by_name(name).or_else(|| in_maildir(path).then_some(Format::Mail));
                match hint {
                    Some(format) => {
                        let below = path.strip_prefix(root).unwrap_or(path).display();
                        found.push(Found {
                            source: FoundSource::Disk(path.to_path_buf()),
                            display: path.display().to_string(),
                            stat: None,
                            key: format!("{r}\0{below}"),
                            hint: Some(format),
                        });
                    }
                    None => {
                        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                        *skipped.entry(ext.map_or_else(|| "no ending".into(), |e| format!(".{e}"))).or_default() += 1;
                    }
                }
            }
            Ok(entry) if !entry.file_type().is_dir() => {
                // A FIFO, socket or device among the articles: said, never opened.
                problems.push(Problem::new(
                    entry.path().display().to_string(),
                    ProblemKind::Unreadable("not a regular file".into()),
                ));
            }
            Ok(_) => {}
        }
    }
}

fn io_problem(e: &std::io::Error) -> ProblemKind {
    match e.kind() {
        std::io::ErrorKind::NotFound => ProblemKind::Unreadable("no such file or folder".into()),
        std::io::ErrorKind::PermissionDenied => ProblemKind::Unreadable("permission denied".into()),
        _ if e.raw_os_error() == Some(40) => ProblemKind::Loop,
        _ => ProblemKind::Unreadable(e.to_string()),
    }
}

/// Decoded text of a file: the text and a note on how it was decoded, if it was not plain
/// UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub note: Option<ProblemKind>,
}

/// Decodes file bytes: UTF-8 (with or without BOM; a few invalid bytes in otherwise valid
/// UTF-8 become U+FFFD), UTF-16 with a BOM, or a legacy encoding detected by chardetng. Empty
/// and binary content is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ProblemKind> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ProblemKind::Empty);
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let note = if enc != encoding_rs::UTF_8 {
            Some(ProblemKind::Decoded { encoding: enc.name().to_string() })
        } else if had_errors {
            Some(ProblemKind::Replaced { count: text.matches('\u{fffd}').count() })
        } else {
            None
        };
        return Ok(Decoded { text: text.into_owned(), note });
    }
    if looks_binary(bytes) {
        return Err(ProblemKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), note: None }),
        Err(_) => {
            let (valid_multibyte, invalid) = utf8_tally(bytes);
            // UTF-8 with a stray bad byte stays UTF-8 (as `less` shows it); text with no valid
            // multi-byte sequence at all is a legacy encoding.
            if valid_multibyte > 0 && invalid <= valid_multibyte {
                let text = String::from_utf8_lossy(bytes).into_owned();
                return Ok(Decoded { text, note: Some(ProblemKind::Replaced { count: invalid }) });
            }
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let enc = detector.guess(None, true);
            let (text, _, _) = enc.decode(bytes);
            Ok(Decoded {
                text: text.into_owned(),
                note: Some(ProblemKind::Decoded { encoding: enc.name().to_string() }),
            })
        }
    }
}

/// Valid multi-byte UTF-8 sequences and invalid bytes in `bytes`.
fn utf8_tally(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                valid += s.chars().filter(|c| c.len_utf8() > 1).count();
                return (valid, invalid);
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good).map_or(0, |s| s.chars().filter(|c| c.len_utf8() > 1).count());
                let bad = e.error_len().unwrap_or(rest.len());
                invalid += 1;
                bytes = &rest[bad..];
            }
        }
    }
}

/// NUL bytes, or many control bytes other than line breaks, tabs and escapes, mean binary.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b | 0x07 | 0x08)).count();
    controls * 10 > head.len()
}

/// Reads a file up to the size limit. Anything but a regular file is refused before it is
/// opened for reading, so a FIFO or a device never blocks the load.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ProblemKind> {
    // Opened without blocking, then checked: a file swapped for a FIFO between the walk and
    // this read cannot hang the load.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| io_problem(&e))?;
    let meta = file.metadata().map_err(|e| io_problem(&e))?;
    if !meta.is_file() {
        return Err(ProblemKind::Unreadable("not a regular file".into()));
    }
    if meta.len() > limit {
        return Err(ProblemKind::TooLarge { size: meta.len(), limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| io_problem(&e))?;
    if bytes.len() as u64 > limit {
        return Err(ProblemKind::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Reads a found file's bytes.
pub fn read_found(f: &Found, limit: u64) -> Result<std::borrow::Cow<'static, [u8]>, ProblemKind> {
    match &f.source {
        FoundSource::Bundled(i) => Ok(std::borrow::Cow::Borrowed(BUNDLED[*i].1.as_bytes())),
        FoundSource::Disk(path) => read_limited(path, limit).map(std::borrow::Cow::Owned),
    }
}

/// The stable id of a whole-file article: a hash of the file's bytes.
pub fn article_id(bytes: &[u8]) -> String {
    format!("{:016x}", stable_hash(bytes))
}

/// The stable id of an item within a file: the file's content hash and the item's key.
pub fn item_id(file_hash: u64, item: &str) -> String {
    if item.is_empty() {
        return format!("{file_hash:016x}");
    }
    let mut key = file_hash.to_le_bytes().to_vec();
    key.extend_from_slice(item.as_bytes());
    format!("{:016x}", stable_hash(&key))
}

/// Where an item is, for messages: the file, and the item within it.
pub fn item_place(path: &str, item: &str) -> String {
    if item.is_empty() {
        path.to_string()
    } else {
        format!("{path} › {item}")
    }
}

/// Archives nest at most this deep (an archive in an archive is read; one level further is not).
const MAX_ARCHIVE_DEPTH: usize = 2;

/// The documents in a file's bytes. `name` is the file's (or archive member's) name, for its
/// ending; `hint` the format its place implies.
pub fn parse_file(name: &str, bytes: &[u8], hint: Option<Format>, limits: &Limits) -> Result<Parsed, ProblemKind> {
    parse_nested(name, bytes, hint, limits, 0)
}

fn parse_nested(
    name: &str,
    bytes: &[u8],
    hint: Option<Format>,
    limits: &Limits,
    depth: usize,
) -> Result<Parsed, ProblemKind> {
    if bytes.is_empty() {
        return Err(ProblemKind::Empty);
    }
    // The content's own signature wins over a misleading ending (a page saved as `.txt`).
    let format = match (Format::sniff(bytes), hint.or_else(|| Format::by_name(name))) {
        (Some(Format::Zip), Some(Format::Epub)) => Format::Epub,
        (Some(Format::Mail | Format::Mbox), Some(named)) => named,
        (Some(sniffed), _) => sniffed,
        (None, Some(Format::Feed)) if name.to_ascii_lowercase().ends_with(".xml") => {
            return Err(ProblemKind::Unsupported { format: "XML that is not a feed".into() })
        }
        (None, Some(named)) => named,
        (None, None) => Format::Text,
    };
    let text = |bytes: &[u8]| -> Result<(String, Option<ProblemKind>), ProblemKind> {
        let d = decode(bytes)?;
        Ok((d.text, d.note))
    };
    let with_note = |mut parsed: Parsed, note: Option<ProblemKind>| {
        if let Some(n) = note {
            parsed.problems.push((String::new(), n));
        }
        parsed
    };
    match format {
        Format::Text => {
            let (text, note) = text(bytes)?;
            Ok(with_note(Parsed::one(Document { content: Content::Text(text), ..Document::default() }), note))
        }
        Format::Markdown => {
            let (text, note) = text(bytes)?;
            Ok(with_note(Parsed::one(formats::markdown::parse(&text)), note))
        }
        Format::Html => {
            if looks_binary(bytes) {
                return Err(ProblemKind::Binary);
            }
            let (html, note) = formats::html::decode_page(bytes);
            Ok(with_note(Parsed::one(Document { content: Content::Page(html), ..Document::default() }), note))
        }
        Format::Feed => formats::feed::parse(bytes, limits),
        Format::Json => formats::json::parse(bytes, limits),
        Format::Mail => formats::mail::parse(bytes, limits),
        Format::Mbox => formats::mail::parse_mbox(bytes, limits),
        Format::Epub => formats::epub::parse(bytes, limits),
        Format::Pdf => formats::pdf::parse(bytes, limits),
        Format::Zip | Format::TarGz => {
            if depth >= MAX_ARCHIVE_DEPTH {
                return Err(ProblemKind::Unsupported { format: "an archive nested this deep".into() });
            }
            let kind = if format == Format::Zip { ArchiveKind::Zip } else { ArchiveKind::TarGz };
            let (members, notes) = formats::archive::members(bytes, kind, limits)?;
            let mut parsed = Parsed::default();
            parsed.problems.extend(notes.into_iter().map(|n| (String::new(), n)));
            for member in members {
                let member_hint = Format::by_name(&member.name);
                if member_hint.is_none() && Format::sniff(&member.bytes).is_none() {
                    continue; // a picture or a stylesheet beside the articles
                }
                match parse_nested(&member.name, &member.bytes, member_hint, limits, depth + 1) {
                    Ok(inner) => {
                        let join = |item: &str| {
                            if item.is_empty() {
                                member.name.clone()
                            } else {
                                format!("{}/{item}", member.name)
                            }
                        };
                        parsed.documents.extend(inner.documents.into_iter().map(|mut d| {
                            d.item = join(&d.item);
                            d
                        }));
                        parsed.problems.extend(inner.problems.into_iter().map(|(item, p)| (join(&item), p)));
                    }
                    Err(p) => parsed.problems.push((member.name.clone(), p)),
                }
                if parsed.documents.len() >= limits.max_items {
                    break;
                }
            }
            Ok(parsed)
        }
    }
}

/// The text cleaning reads and the metadata the source gives, for one document.
fn prepare(doc: &Document) -> (std::borrow::Cow<'_, str>, SourceMeta) {
    match &doc.content {
        Content::Text(t) => (std::borrow::Cow::Borrowed(t.as_str()), doc.meta.clone()),
        Content::Fragment(html) => (std::borrow::Cow::Owned(formats::html::fragment_text(html)), doc.meta.clone()),
        Content::Page(html) => {
            let page = formats::html::extract_page(html);
            let ours = &doc.meta;
            let meta = SourceMeta {
                title: ours.title.clone().or(page.meta.title),
                date: ours.date.clone().or(page.meta.date),
                author: ours.author.clone().or(page.meta.author),
                url: ours.url.clone().or(page.meta.url),
                tags: if ours.tags.is_empty() { page.meta.tags } else { ours.tags.clone() },
            };
            (std::borrow::Cow::Owned(page.text), meta)
        }
    }
}

/// What one file yielded: its articles (each with its item key) and its problems.
#[derive(Debug, Default)]
pub struct FileLoad {
    pub hash: u64,
    pub articles: Vec<(String, Article)>,
    /// Problems with the file or its items: the item key (empty for the file) and the problem.
    pub problems: Vec<(String, ProblemKind)>,
}

/// Runs one file's bytes through the pipeline's front: format, documents, cleaning.
/// `hash` is [`stable_hash`] of `bytes`, when the caller has it already.
pub fn load_file(
    bytes: &[u8],
    name: &str,
    path: &str,
    hint: Option<Format>,
    hash: Option<u64>,
    opts: &LoadOptions,
) -> FileLoad {
    let hash = hash.unwrap_or_else(|| stable_hash(bytes));
    let mut load = FileLoad { hash, ..FileLoad::default() };
    let parsed = match parse_file(name, bytes, hint, &opts.limits()) {
        Ok(p) => p,
        Err(p) => {
            load.problems.push((String::new(), p));
            return load;
        }
    };
    load.problems = parsed.problems;
    for doc in parsed.documents {
        let (text, meta) = prepare(&doc);
        let id = item_id(hash, &doc.item);
        let (article, report) = clean_document(&text, &meta, &id, path, &opts.furniture);
        if report.control_removed > 0 {
            load.problems.push((doc.item.clone(), ProblemKind::ControlsRemoved { count: report.control_removed }));
        }
        if article.body.is_empty() {
            load.problems.push((doc.item.clone(), ProblemKind::NoText));
            continue;
        }
        load.articles.push((doc.item, article));
    }
    load
}

/// The original of an item, for `show --raw`: the whole file decoded, or the item's own form
/// within it (the feed item, the mail, the JSON record).
pub fn original(path: &str, item: &str, opts: &LoadOptions) -> Result<String, String> {
    let bytes: std::borrow::Cow<'_, [u8]> = if let Some(name) = path.strip_prefix(BUNDLED_PREFIX) {
        let (_, text) = BUNDLED.iter().find(|(n, _)| *n == name).ok_or("no such bundled article")?;
        std::borrow::Cow::Borrowed(text.as_bytes())
    } else {
        std::borrow::Cow::Owned(read_limited(Path::new(path), opts.max_file_bytes).map_err(|p| p.to_string())?)
    };
    if item.is_empty() {
        return match Format::sniff(&bytes) {
            Some(Format::Pdf | Format::Epub | Format::Zip | Format::TarGz) => {
                Err("the original is a binary file; open it with its own program".into())
            }
            _ => decode(&bytes).map(|d| d.text).map_err(|p| p.to_string()),
        };
    }
    let parsed = parse_file(path, &bytes, None, &opts.limits()).map_err(|p| p.to_string())?;
    let doc = parsed.documents.into_iter().find(|d| d.item == item).ok_or("the item is no longer in its file")?;
    match doc.original {
        Some(original) => Ok(original),
        // One article per file (a single mail): its original is the file.
        None => decode(&bytes).map(|d| d.text).map_err(|p| p.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_detects_windows_1252() {
        let bytes = b"Caf\xe9 society \x93quoted\x94 and na\xefve, r\xe9sum\xe9 of the d\xe9j\xe0 vu.";
        let d = decode(bytes).unwrap();
        assert!(d.text.contains("Café") && d.text.contains("“quoted”"), "{}", d.text);
        assert_eq!(d.note, Some(ProblemKind::Decoded { encoding: "windows-1252".into() }));
    }

    #[test]
    fn one_invalid_byte_in_utf8_is_replaced_not_redecoded() {
        let mut bytes = "Łódź and Kraków, “quoted”, then a bad byte: ".as_bytes().to_vec();
        bytes.extend([0xff, b'!']);
        let d = decode(&bytes).unwrap();
        assert!(d.text.contains("Łódź and Kraków"), "{}", d.text);
        assert!(d.text.contains('\u{fffd}'));
        assert_eq!(d.note, Some(ProblemKind::Replaced { count: 1 }));
    }

    #[test]
    fn decode_refuses_binary_and_empty() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0IHDR").unwrap_err(), ProblemKind::Binary);
        assert_eq!(decode(b"  \n\n ").unwrap_err(), ProblemKind::Empty);
    }

    #[test]
    fn decode_keeps_escape_heavy_text_as_text() {
        let d = decode(b"\x1b[31mred\x1b[0m text \x1b[1mbold\x1b[0m").unwrap();
        assert!(d.text.contains("red"));
    }

    #[test]
    fn decode_reads_utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Hello there.".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Hello there.");
    }

    #[test]
    fn ids_are_stable_and_content_based() {
        assert_eq!(article_id(b"abc"), article_id(b"abc"));
        assert_ne!(article_id(b"abc"), article_id(b"abd"));
        assert_eq!(article_id(b"abc").len(), 16);
        assert_eq!(item_id(stable_hash(b"abc"), ""), article_id(b"abc"));
        assert_ne!(item_id(7, "a"), item_id(7, "b"));
        assert_eq!(item_id(7, "a"), item_id(7, "a"));
    }

    #[test]
    fn formats_by_ending_and_by_content() {
        assert_eq!(Format::by_name("a/b/News.HTM"), Some(Format::Html));
        assert_eq!(Format::by_name("x.tar.gz"), Some(Format::TarGz));
        assert_eq!(Format::by_name("x.docx"), None);
        assert_eq!(Format::sniff(b"%PDF-1.4\n..."), Some(Format::Pdf));
        assert_eq!(Format::sniff(b"\n  <!DOCTYPE html><html>"), Some(Format::Html));
        assert_eq!(Format::sniff(b"Just words."), None);
    }

    #[test]
    fn random_bytes_named_html_are_binary_not_a_page() {
        let noise: Vec<u8> = (0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(parse_file("x.html", &noise, None, &Limits::default()).unwrap_err(), ProblemKind::Binary);
    }

    #[test]
    fn a_page_saved_as_text_is_read_as_a_page() {
        let parsed = parse_file(
            "saved.txt",
            b"<!DOCTYPE html><html><body><p>Hello.</p></body></html>",
            None,
            &Limits::default(),
        )
        .unwrap();
        assert!(matches!(parsed.documents[0].content, Content::Page(_)));
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } != 0 {
            return; // no FIFOs on this file system
        }
        assert_eq!(read_limited(&fifo, 100).unwrap_err(), ProblemKind::Unreadable("not a regular file".into()));
    }

    #[test]
    fn the_limit_is_not_overflowed_by_a_huge_setting() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "Some words.").unwrap();
        assert_eq!(read_limited(&file, u64::MAX).unwrap(), b"Some words.");
    }
}
