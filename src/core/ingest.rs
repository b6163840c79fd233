//! Ingest: finds article files under the given paths, reads and decodes them, and cleans them
//! into articles. Every problem is collected with its path; the run goes on.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::article::Article;
use crate::core::clean::clean;
use crate::core::furniture::Furniture;
use crate::core::text::stable_hash;

/// File endings read as articles when found inside a folder.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown"];

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

/// Something that kept a file from loading cleanly, said once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    /// A note (the file loaded, with a caveat) rather than a skip.
    pub loaded: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.loaded { "note" } else { "skipped" };
        write!(f, "{what}: {}: {}", crate::core::text::display_safe(&self.path), self.message)
    }
}

/// Options for loading a collection.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub max_file_bytes: u64,
    pub furniture: Furniture,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self { max_file_bytes: DEFAULT_MAX_FILE_BYTES, furniture: Furniture::builtin() }
    }
}

/// Everything a load produced: the articles in path order, the problems, and the files passed
/// over for their format (by ending, with counts).
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub skipped_formats: BTreeMap<String, usize>,
}

impl Loaded {
    /// One line naming the files skipped for their format, if any.
    pub fn skipped_summary(&self) -> Option<String> {
        skipped_summary(&self.skipped_formats)
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
        "skipped {total} file{} in formats newsroom does not read yet ({}); it reads {}",
        if total == 1 { "" } else { "s" },
        parts.join(", "),
        ARTICLE_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(" ")
    ))
}

/// A file found for loading.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub display: String,
    /// Size and modification time (nanoseconds since 1970), when the file could be looked at.
    pub stat: Option<(u64, u128)>,
    /// Which root it was found under and where below it: the same file has the same key
    /// however the root was spelt (`news/` or `~/news`).
    pub key: String,
}

/// Walks the given paths: files named directly are always read; folders are walked recursively
/// for article files. Symlinks are followed; loops are reported.
pub fn discover(paths: &[PathBuf], problems: &mut Vec<Problem>, skipped: &mut BTreeMap<String, usize>) -> Vec<Found> {
    let mut found = Vec::new();
    for (r, root) in paths.iter().enumerate() {
        let display = root.display().to_string();
        match std::fs::metadata(root) {
            Err(e) => problems.push(Problem { path: display, message: io_message(&e), loaded: false }),
            Ok(meta) if meta.is_file() => {
                found.push(Found { path: root.clone(), display, stat: None, key: format!("{r}\0") })
            }
            Ok(meta) if meta.is_dir() => walk_dir(r, root, &mut found, problems, skipped),
            Ok(_) => {
                problems.push(Problem { path: display, message: "not a regular file or folder".into(), loaded: false })
            }
        }
    }
    // The same file reached twice (named twice, or through a link) loads once. Its device and
    // inode say so without resolving every path.
    let ids: Vec<Option<(u64, u64)>> = found
        .par_iter_mut()
        .map(|f| {
            let meta = std::fs::metadata(&f.path).ok()?;
            f.stat = Some((meta.len(), modified_ns(&meta)));
            file_identity(&meta)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut keep = ids.iter().map(|id| id.is_none_or(|id| seen.insert(id)));
    found.retain(|_| keep.next().unwrap_or(true));
    found
}

/// Modification time in nanoseconds since 1970 (0 when the system does not say).
pub fn modified_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
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

fn walk_dir(
    r: usize,
    root: &Path,
    found: &mut Vec<Found>,
    problems: &mut Vec<Problem>,
    skipped: &mut BTreeMap<String, usize>,
) {
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
    for entry in walker {
        match entry {
            Err(e) => {
                let path = e.path().map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else if let Some(io) = e.io_error() {
                    io_message(io)
                } else {
                    e.to_string()
                };
                problems.push(Problem { path, message, loaded: false });
            }
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with('.') {
                    continue; // hidden files: editor swap files, .DS_Store
                }
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                match ext {
                    Some(e) if ARTICLE_EXTENSIONS.contains(&e.as_str()) => {
                        let below = path.strip_prefix(root).unwrap_or(path).display();
                        found.push(Found {
                            path: path.to_path_buf(),
                            display: path.display().to_string(),
                            stat: None,
                            key: format!("{r}\0{below}"),
                        });
                    }
                    Some(e) => *skipped.entry(format!(".{e}")).or_default() += 1,
                    None => *skipped.entry("no ending".into()).or_default() += 1,
                }
            }
            Ok(_) => {}
        }
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(40) => "symbolic link loop".into(),
        _ => e.to_string(),
    }
}

/// Decoded text of a file, or why it is not an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The legacy encoding the text was decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
}

/// Decodes file bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy encoding
/// detected by chardetng. Empty and binary content is refused with a reason.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".into());
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let encoding = (enc != encoding_rs::UTF_8).then(|| enc.name());
        return Ok(Decoded { text: text.into_owned(), encoding });
    }
    if looks_binary(bytes) {
        return Err("binary file, not text".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), encoding: None }),
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let enc = detector.guess(None, true);
            let (text, _, _) = enc.decode(bytes);
            Ok(Decoded { text: text.into_owned(), encoding: Some(enc.name()) })
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

/// Reads a file up to the size limit.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| io_message(&e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > limit {
        return Err(format!(
            "{} is larger than the {} limit for one article (raise it with --max-file-size)",
            human_size(len),
            human_size(limit)
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > limit {
        return Err(format!("grew past the {} limit while being read", human_size(limit)));
    }
    Ok(bytes)
}

pub fn human_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.1} kB", bytes as f64 / 1024.0)
    }
}

/// The stable id of an article: a hash of its bytes.
pub fn article_id(bytes: &[u8]) -> String {
    format!("{:016x}", stable_hash(bytes))
}

/// Loads one article from bytes.
pub fn load_bytes(bytes: &[u8], path: &str, opts: &LoadOptions) -> (Option<Article>, Vec<Problem>) {
    let mut problems = Vec::new();
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(message) => {
            problems.push(Problem { path: path.to_string(), message, loaded: false });
            return (None, problems);
        }
    };
    let mut notes = Vec::new();
    if let Some(enc) = decoded.encoding {
        notes.push(format!("not UTF-8; decoded as {enc}"));
    }
    let (article, report) = clean(&decoded.text, &article_id(bytes), path, &opts.furniture);
    if report.control_removed > 0 {
        notes.push(format!("removed {} terminal control sequences or characters", report.control_removed));
    }
    if article.body.is_empty() {
        problems.push(Problem {
            path: path.to_string(),
            message: "no article text left after cleaning".into(),
            loaded: false,
        });
        return (None, problems);
    }
    if !notes.is_empty() {
        problems.push(Problem { path: path.to_string(), message: notes.join("; "), loaded: true });
    }
    (Some(article), problems)
}

/// Loads every article under the given paths, in parallel; with no paths, the bundled corpus.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    if paths.is_empty() {
        for (name, text) in BUNDLED {
            let (article, problems) = load_bytes(text.as_bytes(), &format!("{BUNDLED_PREFIX}{name}"), opts);
            loaded.articles.extend(article);
            loaded.problems.extend(problems);
        }
        return loaded;
    }
    let found = discover(paths, &mut loaded.problems, &mut loaded.skipped_formats);
    let results: Vec<(Option<Article>, Vec<Problem>)> = found
        .par_iter()
        .map(|f| match read_limited(&f.path, opts.max_file_bytes) {
            Ok(bytes) => load_bytes(&bytes, &f.display, opts),
            Err(message) => (None, vec![Problem { path: f.display.clone(), message, loaded: false }]),
        })
        .collect();
    let mut by_id: HashMap<String, String> = HashMap::new();
    for (article, problems) in results {
        loaded.problems.extend(problems);
        if let Some(a) = article {
            if let Some(first) = by_id.get(&a.id) {
                loaded.problems.push(Problem {
                    path: a.path.clone(),
                    message: format!("same content as {}", crate::core::text::display_safe(first)),
                    loaded: false,
                });
                continue;
            }
            by_id.insert(a.id.clone(), a.path.clone());
            loaded.articles.push(a);
        }
    }
    loaded
}

/// The original text of an article, for `show --raw`.
pub fn original_text(path: &str) -> Result<String, String> {
    if let Some(name) = path.strip_prefix(BUNDLED_PREFIX) {
        return BUNDLED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| "no such bundled article".to_string());
    }
    let bytes = read_limited(Path::new(path), u64::MAX)?;
    decode(&bytes).map(|d| d.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_detects_windows_1252() {
        let bytes = b"Caf\xe9 society \x93quoted\x94 and na\xefve, r\xe9sum\xe9 of the d\xe9j\xe0 vu.";
        let d = decode(bytes).unwrap();
        assert!(d.text.contains("Café") && d.text.contains("“quoted”"), "{}", d.text);
        assert_eq!(d.encoding, Some("windows-1252"));
    }

    #[test]
    fn decode_refuses_binary_and_empty() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0IHDR").unwrap_err(), "binary file, not text");
        assert_eq!(decode(b"  \n\n ").unwrap_err(), "empty file");
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
    }

    #[test]
    fn bundled_corpus_loads_five_articles() {
        let loaded = load(&[], &LoadOptions::default());
        assert_eq!(loaded.articles.len(), 5);
    }
}
