//! Opening a collection — the one loading pipeline — with a cache of everything derived from it
//! in the XDG cache directory, so that re-opening an unchanged collection reads only the cache
//! and a changed one re-processes only the changed files.
//!
//! The cache file: a header (magic, version, a fingerprint of the rules that shaped it, where
//! the sections are, their checksums, its own checksum), each article's text as one record
//! (postcard, deflate-compressed at its fastest level: 2.7× smaller; LZ4 made it only 1.8×)
//! followed by its xxh3 checksum, then the entity names and the directory (per file its path,
//! size, change times, content hash, list entries and record positions, and the merged index).
//! It is written to a temporary file and renamed over the old one. The cache is never trusted
//! past its checksums: a damaged header, directory or version rebuilds it (said once); a damaged
//! record is read again from its article's file and the cache is rebuilt at the next open. It
//! is an optimisation only: when it cannot be written, the collection is kept in memory.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::core::corpus::{process, ArticleMeta, ArticleText, Corpus, Processed, TextStore};

use crate::core::document::ProblemKind;
use crate::core::extract::ArticleEntities;
use crate::core::index::CorpusIndex;
use crate::core::ingest::{self, discover, item_place, load_file, FileStat, LoadOptions, Problem};
use crate::core::search::{self, IndexBuilder, SearchIndex};
use crate::core::text::stable_hash;

const MAGIC: &[u8; 16] = b"NEWSROOM-CACHE\0\0";
/// Bumped whenever what is cached, or how it is derived, changes.
pub const VERSION: u32 = 15;
const HEADER_LEN: u64 = 128;
/// Every record ends with the xxh3 checksum of its bytes.
const CHECKSUM_LEN: u64 = 8;
/// The header's bytes its own checksum covers (magic, version and seven words).
const HEADER_SUMMED: usize = 76;
/// Files processed between progress reports and cache writes.
const CHUNK: usize = 1024;

/// Whether to use the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheMode {
    /// Read and write the cache in this folder.
    In(PathBuf),
    /// `--no-cache`: process everything, write nothing.
    Off,
}

impl CacheMode {
    /// `$XDG_CACHE_HOME/newsroom` (usually `~/.cache/newsroom`).
    pub fn default_dir() -> CacheMode {
        match super::settings::dirs().cache {
            Some(d) => CacheMode::In(d),
            None => CacheMode::Off,
        }
    }
}

/// What opening a collection produced besides the corpus.
#[derive(Debug, Default)]
pub struct OpenReport {
    pub problems: Vec<Problem>,
    pub skipped_formats: BTreeMap<String, usize>,
    /// Said once when the cache could not be used as it was.
    pub cache_note: Option<String>,
    /// Files read and processed, and files taken from the cache.
    pub processed: usize,
    pub reused: usize,
}

impl OpenReport {
    pub fn skipped_summary(&self) -> Option<String> {
        ingest::skipped_summary(&self.skipped_formats)
    }

    /// What the browser's status bar says of the opening, if anything.
    pub fn status_line(&self) -> Option<String> {
        match (self.not_loaded(), &self.cache_note) {
            (0, None) => None,
            (0, Some(note)) => Some(format!("cache: {note}")),
            (n, _) => Some(format!(
                "{n} file{} not loaded; the reasons are printed when you quit",
                if n == 1 { "" } else { "s" }
            )),
        }
    }

    /// Files found but not loaded: each skipped problem file and each file in a format
    /// newsroom does not read.
    pub fn not_loaded(&self) -> usize {
        self.problems.iter().filter(|p| !p.loaded()).count() + self.skipped_formats.values().sum::<usize>()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The file as found under its root (see `Found::key`): what entries are matched by.
    key: String,
    /// The path as it was given, for messages. Not cached: it is set from where the file is
    /// found this time (a path stored three times over was 2% of the cache).
    #[serde(skip)]
    path: String,
    stat: FileStat,
    /// The content hash; 0 when the file could not be read.
    hash: u64,
    /// The file's articles (none when it holds none: its problems say why).
    articles: Vec<CachedArticle>,
    /// The file's problems: the item they concern (empty for the file) and what was wrong.
    problems: Vec<(String, ProblemKind)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedArticle {
    meta: ArticleMeta,
    offset: u64,
    len: u32,
    /// A hash of the cleaned body: the same story in two files (a feed and an archive of it)
    /// is one article.
    body_hash: u64,
}

/// What re-opening an unchanged collection reads: the list entries and the merged index.
/// Written in parts ([`write_directory`]) that are read back on every core at once.
#[derive(Debug)]
struct Directory {
    entries: Vec<Entry>,
    index: CorpusIndex,
    /// The fingerprint of the user's corrections the index was built with.
    corrections: u64,
}

/// Each entry's entity names, read only when something changed and the index must be merged
/// again; the strings resolve their numbers.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Names {
    strings: Vec<Box<str>>,
    /// Per entry, its articles' entity names.
    entries: Vec<Vec<ArticleEntities>>,
}

/// Where one article's text is.
#[derive(Debug, Clone, Copy)]
enum Loc {
    /// A record in the cache file.
    File(u64, u32),
    /// In memory (no cache, or the cache could not be written).
    Mem(usize),
}

/// Texts read from the cache file on demand, or kept in memory.
struct Store {
    file: Option<Mutex<File>>,
    mem: Vec<ArticleText>,
    locs: Vec<Loc>,
    /// A cache file that could not be put in place, kept readable until the program ends.
    _unplaced: Option<tempfile::NamedTempFile>,
    /// For reading an article again from its file when its record is damaged.
    opts: LoadOptions,
    /// The cache file, marked damaged (so the next open rebuilds it) when a record fails.
    cache_path: Option<PathBuf>,
    damaged: std::sync::atomic::AtomicBool,
}

impl TextStore for Store {
    fn load(&self, article: usize, meta: &ArticleMeta) -> std::io::Result<ArticleText> {
        match self.locs.get(article).copied() {
            Some(Loc::Mem(i)) => self.mem.get(i).cloned().ok_or_else(|| std::io::Error::other("no such article")),
            Some(Loc::File(offset, len)) => {
                let file = self.file.as_ref().ok_or_else(|| std::io::Error::other("no cache file"))?;
                let read = {
                    let f = file.lock().map_err(|_| std::io::Error::other("cache lock poisoned"))?;
                    read_checked(&f, offset, len)
                };
                read.or_else(|_| {
                    // A damaged record is never trusted: the article is read again from its file,
                    // and the cache is marked so that the next open rebuilds it.
                    self.mark_damaged();
                    rederive(meta, &self.opts)
                })
            }
            None => Err(std::io::Error::other("no such article")),
        }
    }
}

impl Store {
    fn new(mem: Vec<ArticleText>, locs: Vec<Loc>, opts: &LoadOptions, cache_path: Option<&Path>) -> Store {
        Store {
            file: None,
            mem,
            locs,
            _unplaced: None,
            opts: opts.clone(),
            cache_path: cache_path.map(Path::to_path_buf),
            damaged: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn mark_damaged(&self) {
        if self.damaged.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        if let Some(path) = &self.cache_path {
            if let Ok(f) = std::fs::OpenOptions::new().write(true).open(path) {
                let _ = write_all_at(&f, &[0u8; 16], 0);
            }
        }
    }
}

/// Reads one article again from its file, as the pipeline first did.
fn rederive(meta: &ArticleMeta, opts: &LoadOptions) -> std::io::Result<ArticleText> {
    let path = Path::new(&meta.path);
    let bytes = ingest::read_limited(path, opts.max_file_bytes).map_err(|p| std::io::Error::other(p.to_string()))?;
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let loaded = load_file(&bytes, &name, &meta.path, None, None, opts);
    let article =
        loaded
            .articles
            .into_iter()
            .find(|(item, a)| *item == meta.item && a.id == meta.id)
            .map(|(_, a)| a)
            .ok_or_else(|| std::io::Error::other("the file changed since the collection was opened; open it again"))?;
    Ok(process(article, &crate::core::intern::Interner::default()).text)
}

fn checksum(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Reads a record and checks its checksum.
fn read_checked(file: &File, offset: u64, len: u32) -> std::io::Result<ArticleText> {
    let mut buf = vec![0; len as usize + CHECKSUM_LEN as usize];
    read_exact_at(file, &mut buf, offset)?;
    let (payload, sum) = buf.split_at(len as usize);
    if checksum(payload).to_le_bytes() != sum {
        return Err(std::io::Error::other("damaged cache record"));
    }
    decode_record(payload)
}

/// A record's largest decoded size: no article is near it, and a damaged length asks no more.
const MAX_RECORD_BYTES: usize = 256 << 20;

/// How hard records are deflated. zlib-rs at level 4 compresses as fast as miniz_oxide's
/// fastest level did and writes records about 15% smaller (measured on generated news).
const RECORD_COMPRESSION: flate2::Compression = flate2::Compression::new(4);

/// A record: the decoded length (u32, little-endian), then the postcard bytes deflated.
fn encode_record(text: &ArticleText) -> std::io::Result<Vec<u8>> {
    let plain = postcard::to_allocvec(text).map_err(std::io::Error::other)?;
    let size = u32::try_from(plain.len()).map_err(std::io::Error::other)?;
    let mut out = Vec::with_capacity(plain.len() / 2 + 16);
    out.extend_from_slice(&size.to_le_bytes());
    let mut enc = flate2::write::DeflateEncoder::new(out, RECORD_COMPRESSION);
    enc.write_all(&plain)?;
    enc.finish()
}

fn decode_record(payload: &[u8]) -> std::io::Result<ArticleText> {
    let damaged = |e: &dyn std::fmt::Display| std::io::Error::other(format!("damaged cache record: {e}"));
    let (size, block) = payload.split_at_checked(4).ok_or_else(|| damaged(&"too short"))?;
    let size = u32::from_le_bytes(size.try_into().expect("4 bytes")) as usize;
    if size > MAX_RECORD_BYTES {
        return Err(damaged(&"too long"));
    }
    let mut plain = Vec::with_capacity(size);
    flate2::read::DeflateDecoder::new(block).take(size as u64 + 1).read_to_end(&mut plain).map_err(|e| damaged(&e))?;
    if plain.len() != size {
        return Err(damaged(&"wrong length"));
    }
    postcard::from_bytes(&plain).map_err(|e| damaged(&e))
}

fn write_all_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.write_all_at(buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut f = file.try_clone()?;
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(buf)
    }
}

/// What else decides the cache's content: the rules and limits, so changing them rebuilds it.
fn fingerprint(opts: &LoadOptions) -> u64 {
    let rules = format!(
        "{:?}|{}|{}|{}",
        opts.furniture,
        opts.max_file_bytes,
        env!("CARGO_PKG_VERSION"),
        crate::core::extract::lexicon::data_fingerprint()
    );
    stable_hash(rules.as_bytes())
}

/// The cache file for a set of roots.
pub fn cache_file(dir: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut key = String::new();
    for r in roots {
        key.push_str(&std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()).to_string_lossy());
        key.push('\n');
    }
    dir.join(format!("{:016x}.nrcache", stable_hash(key.as_bytes())))
}

/// An existing cache, if it is whole and of this version.
struct OldCache {
    file: File,
    dir: Directory,
    /// Where the names section is, and its checksum.
    names_at: (u64, u64, u64),
}

impl OldCache {
    /// The entity names of every entry, or none when they cannot be read (then the changed
    /// path processes those files again).
    fn names(&self) -> Option<Names> {
        let (offset, len, sum) = self.names_at;
        let mut buf = vec![0; len as usize];
        read_exact_at(&self.file, &mut buf, offset).ok()?;
        if checksum(&buf) != sum {
            return None;
        }
        let mut plain = Vec::new();
        flate2::read::DeflateDecoder::new(&buf[..]).read_to_end(&mut plain).ok()?;
        let names: Names = postcard::from_bytes(&plain).ok()?;
        (names.entries.len() == self.dir.entries.len()).then_some(names)
    }
}

fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut f = file.try_clone()?;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}

fn read_old(path: &Path, fp: u64) -> Result<Option<OldCache>, String> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read the cache ({e})")),
    };
    let mut header = [0u8; HEADER_LEN as usize];
    file.read_exact(&mut header).map_err(|_| "the cache is truncated".to_string())?;
    if &header[..16] != MAGIC {
        return Err("the cache is damaged".into());
    }
    let version = u32::from_le_bytes(header[16..20].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(format!("the cache was written by another version of newsroom ({version})"));
    }
    if checksum(&header[..HEADER_SUMMED]).to_le_bytes() != header[HEADER_SUMMED..HEADER_SUMMED + 8] {
        return Err("the cache is damaged".into());
    }
    let word = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
    let (cached_fp, dir_offset, dir_len, names_offset, names_len) = (word(20), word(28), word(36), word(44), word(52));
    let (dir_sum, names_sum) = (word(60), word(68));
    if cached_fp != fp {
        return Err("the cleaning rules or limits changed since the cache was written".into());
    }
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if dir_offset < HEADER_LEN
        || dir_offset.checked_add(dir_len) != Some(file_len)
        || names_offset.checked_add(names_len) != Some(dir_offset)
    {
        return Err("the cache is truncated".into());
    }
    file.seek(SeekFrom::Start(dir_offset)).map_err(|e| e.to_string())?;
    let mut buf = vec![0; dir_len as usize];
    file.read_exact(&mut buf).map_err(|_| "the cache is truncated".to_string())?;
    if checksum(&buf) != dir_sum {
        return Err("the cache is damaged".into());
    }
    let mut dir = read_directory(&buf).ok_or_else(|| "the cache is damaged".to_string())?;
    drop(buf);
    if dir.index.group_entity.len() != dir.entries.iter().map(|e| e.articles.len()).sum::<usize>() {
        return Err("the cache is damaged".into());
    }
    dir.index.rebuild_lookup();
    Ok(Some(OldCache { file, dir, names_at: (names_offset, names_len, names_sum) }))
}

/// The collection as the cache last saw it, without looking at the files: for showing it at
/// once while [`open_collection`] checks what changed. `None` without a usable cache.
pub fn open_cached(paths: &[PathBuf], opts: &LoadOptions, mode: &CacheMode) -> Option<Corpus> {
    let CacheMode::In(dir) = mode else { return None };
    if paths.is_empty() {
        return None;
    }
    let old = read_old(&cache_file(dir, paths), fingerprint(opts)).ok()??;
    let files = files_fingerprint(&old.dir.entries);
    let corpus = corpus_from_cache(old, &mut OpenReport::default(), opts, &cache_file(dir, paths));
    corpus.set_search_index(SearchIndex::open_trusted(&search::index_dir(&cache_file(dir, paths)), files).ok());
    Some(corpus)
}

/// Opens the bundled sample corpus through the same pipeline as any folder, in memory.
pub fn open_bundled(opts: &LoadOptions) -> (Corpus, OpenReport) {
    open_collection(&[], opts, &CacheMode::Off, &|_, _| {})
}

/// Opens a collection — the one loading pipeline: the files under `paths` (the bundled corpus
/// when `paths` is empty) are found, read, parsed into documents, cleaned and extracted, and
/// go to the sinks: the cache file (unless it is off, or for the bundled corpus) and memory.
/// `progress(done, total)` is called as files are done.
pub fn open_collection(
    paths: &[PathBuf],
    opts: &LoadOptions,
    mode: &CacheMode,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Corpus, OpenReport) {
    let mut report = OpenReport::default();
    let mode = if paths.is_empty() { &CacheMode::Off } else { mode };
    let fp = fingerprint(opts);
    let cache_path = match mode {
        CacheMode::Off => None,
        CacheMode::In(dir) => Some(cache_file(dir, paths)),
    };
    // The old cache is read while the files are found: both are most of a warm open, and the
    // walk's many small system calls leave a core free for decoding.
    let (found, old) = rayon::join(
        || {
            let mut problems = Vec::new();
            let mut skipped = Default::default();
            let found = if paths.is_empty() { ingest::bundled() } else { discover(paths, &mut problems, &mut skipped) };
            (found, problems, skipped)
        },
        || {
            let (CacheMode::In(dir), Some(path)) = (mode, &cache_path) else { return Ok(None) };
            // Opened now: noted for `newsroom cache list`; others unopened for 30 days go.
            let _ = crate::core::cache_dir::touch(path, paths);
            crate::core::cache_dir::prune(
                dir,
                Some(path),
                crate::core::cache_dir::PRUNE_AFTER,
                std::time::SystemTime::now(),
            );
            read_old(path, fp)
        },
    );
    let (found, problems, skipped) = found;
    report.problems = problems;
    report.skipped_formats = skipped;
    let mut old = old.unwrap_or_else(|why| {
        report.cache_note = Some(format!("{why}; rebuilding it"));
        None
    });
    let total = found.len();
    let stats: Vec<Option<FileStat>> = found.iter().map(|f| f.stat).collect();

    // The fast path: every file as the cache knows it.
    if let Some(o) = &old {
        let same = o.dir.entries.len() == total
            && o.dir.entries.iter().zip(&found).zip(&stats).all(|((e, f), s)| {
                e.key == f.key && *s == Some(e.stat) && (!was_unreadable(e) || still_unreadable(e, f, opts))
            });
        if same {
            let mut old = old.take().expect("checked");
            // The paths as given this time.
            for (e, f) in old.dir.entries.iter_mut().zip(&found) {
                e.path.clone_from(&f.display);
                for a in &mut e.articles {
                    a.meta.path.clone_from(&f.display);
                }
            }
            report.reused = total;
            let path = cache_path.as_deref().expect("a cache was read");
            let index = open_or_rebuild_index(&old, path, &mut report);
            progress(total, total);
            let corpus = corpus_from_cache(old, &mut report, opts, path);
            corpus.set_search_index(index);
            return (corpus, report);
        }
    }

    let old_by_path: HashMap<&str, usize> = old
        .as_ref()
        .map(|o| o.dir.entries.iter().enumerate().map(|(i, e)| (e.key.as_str(), i)).collect())
        .unwrap_or_default();
    let old_names: Option<Names> = old.as_ref().and_then(OldCache::names);

    // Writing the new cache as we go keeps only list entries and names in memory.
    let writer = match &cache_path {
        Some(p) => match CacheWriter::create(p, fp) {
            Ok(w) => Some(w),
            Err(e) => {
                report.cache_note = Some(format!("cannot write the cache ({e}); continuing without it"));
                None
            }
        },
        None => None,
    };
    let interner = crate::core::intern::Interner::default();
    // The search index is another sink: only changed and new files are (re)indexed, unless it
    // is new; the articles of files gone since are deleted.
    // Benchmarks compare cold ingest without the index sink (`NEWSROOM_SEARCH_INDEX=off`);
    // searching then indexes in memory.
    let index_on = std::env::var_os("NEWSROOM_SEARCH_INDEX").is_none_or(|v| v != "off");
    let (index, index_note) = match (&cache_path, index_on) {
        (_, false) => (None, None),
        (Some(p), true) => {
            let (b, note) =
                IndexBuilder::open(&search::index_dir(p), old.as_ref().map(|o| files_fingerprint(&o.dir.entries)));
            (Some(b), note)
        }
        (None, true) => (Some(IndexBuilder::memory()), None),
    };
    let mut index = index;
    if let (Some(index), Some(o)) = (index.as_mut().filter(|i| !i.fresh()), &old) {
        let now: std::collections::HashSet<&str> = found.iter().map(|f| f.key.as_str()).collect();
        for e in o.dir.entries.iter().filter(|e| !now.contains(e.key.as_str())) {
            index.remove_file(&e.key);
        }
    }
    let mut sink =
        Sink { writer, entries: Vec::with_capacity(total), names: Vec::with_capacity(total), index, ..Sink::default() };
    // Files are processed a chunk at a time on every core while the chunk before is written
    // out, so writing the cache costs no extra time and only two chunks of text are in memory.
    let mut pending: Option<Vec<FileResult>> = None;
    let mut done = 0;
    for (chunk_found, chunk_stats) in found.chunks(CHUNK).zip(stats.chunks(CHUNK)) {
        let old_ref = old.as_ref();
        let results = std::thread::scope(|scope| {
            let sink_ref = &mut sink;
            let writing = pending.take().map(|prev| scope.spawn(move || sink_ref.absorb(prev)));
            let results: Vec<FileResult> = chunk_found
                .par_iter()
                .zip(chunk_stats)
                .map(|(f, stat)| {
                    // A cached entry helps only with its names, which a damaged cache may lack.
                    let cached = old_ref.zip(old_names.as_ref()).and_then(|(o, names)| {
                        old_by_path
                            .get(f.key.as_str())
                            .map(|&i| (&o.dir.entries[i], &names.entries[i][..], &names.strings[..]))
                    });
                    process_file(f, *stat, cached, old_ref, opts, &interner)
                })
                .collect();
            if let Some(w) = writing {
                let _ = w.join();
            }
            results
        });
        done += results.len();
        pending = Some(results);
        progress(done, total);
    }
    if let Some(prev) = pending {
        sink.absorb(prev);
    }
    drop(old_names);
    drop(old);
    report.processed = sink.processed;
    report.reused = sink.reused;
    if sink.cache_note.is_some() {
        report.cache_note = sink.cache_note.take();
    }
    let files = files_fingerprint(&sink.entries);
    let (search_index, finish_note) = match sink.index.take() {
        Some(b) => b.finish(files),
        None => (None, None),
    };
    for note in [index_note, finish_note].into_iter().flatten() {
        add_note(&mut report, note);
    }
    let names = Names { strings: interner.into_strings(), entries: std::mem::take(&mut sink.names) };
    let corpus = assemble(
        sink.entries,
        names,
        sink.locs,
        sink.mem,
        sink.writer,
        sink.abandoned,
        cache_path.as_deref(),
        opts,
        &mut report,
    );
    corpus.set_search_index(search_index);
    (corpus, report)
}

/// Adds a note to the one said about the cache.
fn add_note(report: &mut OpenReport, note: String) {
    report.cache_note = Some(match report.cache_note.take() {
        Some(n) => format!("{n}; {note}"),
        None => note,
    });
}

/// A fingerprint of the files the cache holds, which the search index must hold too.
fn files_fingerprint(entries: &[Entry]) -> u64 {
    search::files_fingerprint(entries.iter().map(|e| (e.key.as_str(), e.hash)))
}

/// The search index of an unchanged collection, rebuilt from the cached texts when it is
/// missing, damaged or out of step with the cache.
fn open_or_rebuild_index(old: &OldCache, cache_path: &Path, report: &mut OpenReport) -> Option<SearchIndex> {
    let dir = search::index_dir(cache_path);
    let files = files_fingerprint(&old.dir.entries);
    let note = match SearchIndex::open_trusted(&dir, files) {
        Ok(index) => return Some(index),
        Err(note) => note,
    };
    let (mut builder, open_note) = IndexBuilder::open(&dir, None);
    for e in &old.dir.entries {
        for a in &e.articles {
            if let Ok(text) = read_record(old, a.offset, a.len) {
                builder.add(&e.key, &a.meta, &text);
            }
        }
    }
    let (index, finish_note) = builder.finish(files);
    for n in [note, open_note, finish_note].into_iter().flatten() {
        add_note(report, n);
    }
    index
}

/// One file's outcome: its entry, its articles' texts and names, and whether the cache had it.
type FileResult = (Entry, Vec<ArticleText>, Vec<ArticleEntities>, bool);

/// Where processed files go: texts to the cache file (or memory), the rest kept for the index.
#[derive(Default)]
struct Sink {
    writer: Option<CacheWriter>,
    entries: Vec<Entry>,
    names: Vec<Vec<ArticleEntities>>,
    /// Per entry, where each of its articles' texts is.
    locs: Vec<Vec<Loc>>,
    mem: Vec<ArticleText>,
    abandoned: Option<tempfile::NamedTempFile>,
    processed: usize,
    reused: usize,
    cache_note: Option<String>,
    /// The search index being built.
    index: Option<IndexBuilder>,
}

impl Sink {
    fn absorb(&mut self, results: Vec<FileResult>) {
        for (mut entry, texts, entity_names, reused) in results {
            self.names.push(entity_names);
            if let Some(index) = self.index.as_mut().filter(|i| i.fresh() || !reused) {
                if !index.fresh() {
                    index.remove_file(&entry.key);
                }
                for (article, text) in entry.articles.iter().zip(&texts) {
                    index.add(&entry.key, &article.meta, text);
                }
            }
            let mut locs = Vec::with_capacity(texts.len());
            for (article, text) in entry.articles.iter_mut().zip(texts) {
                let written = self.writer.as_mut().map(|w| w.append(&text));
                locs.push(match written {
                    Some(Ok((offset, len))) => {
                        article.offset = offset;
                        article.len = len;
                        Loc::File(offset, len)
                    }
                    Some(Err(e)) => {
                        // The disk filled up, say: what is written stays readable; the rest
                        // stays in memory, and no cache is left behind.
                        self.cache_note = Some(format!("cannot write the cache ({e}); continuing without it"));
                        self.abandoned = self.writer.take().map(|w| w.tmp);
                        self.mem.push(text);
                        Loc::Mem(self.mem.len() - 1)
                    }
                    None => {
                        self.mem.push(text);
                        Loc::Mem(self.mem.len() - 1)
                    }
                });
            }
            if reused {
                self.reused += 1;
            } else {
                self.processed += 1;
            }
            self.entries.push(entry);
            self.locs.push(locs);
        }
    }
}

/// A file that could not be read last time is read again: it may have been fixed without
/// its times changing (permissions, a remounted disk).
fn was_unreadable(e: &Entry) -> bool {
    e.hash == 0 && e.articles.is_empty()
}

/// Whether a file that could not be read last time still fails the same way.
fn still_unreadable(e: &Entry, f: &ingest::Found, opts: &LoadOptions) -> bool {
    match ingest::read_found(f, opts.max_file_bytes) {
        Ok(_) => false,
        Err(p) => e.problems.first().is_some_and(|(_, old)| *old == p),
    }
}

/// What the old cache knows of a file: its entry, its articles' entity names and the strings
/// those use.
type CachedFile<'a> = (&'a Entry, &'a [ArticleEntities], &'a [Box<str>]);

/// Processes one file, or takes it from the old cache when it has not changed. Returns the
/// entry, its articles' texts and entity names, and whether it came from the cache.
fn process_file(
    f: &ingest::Found,
    stat: Option<FileStat>,
    cached: Option<CachedFile<'_>>,
    old: Option<&OldCache>,
    opts: &LoadOptions,
    interner: &crate::core::intern::Interner,
) -> FileResult {
    let stat = stat.unwrap_or_default();
    let reuse = |(e, names, old_strings): CachedFile<'_>, stat_changed: bool| {
        if names.len() != e.articles.len() {
            return None;
        }
        let texts = e.articles.iter().map(|a| read_record(old?, a.offset, a.len).ok()).collect::<Option<Vec<_>>>()?;
        let mut entry = e.clone();
        entry.path.clone_from(&f.display);
        for a in &mut entry.articles {
            a.meta.path.clone_from(&f.display);
        }
        if stat_changed {
            entry.stat = stat;
        }
        Some((entry, texts, names.iter().map(|n| n.renumbered(old_strings, interner)).collect(), true))
    };
    if let Some(c) = cached.filter(|(e, _, _)| e.stat == stat && !was_unreadable(e)) {
        if let Some(hit) = reuse(c, false) {
            return hit;
        }
    }
    let bytes = match ingest::read_found(f, opts.max_file_bytes) {
        Ok(b) => b,
        Err(problem) => {
            let entry = Entry {
                key: f.key.clone(),
                path: f.display.clone(),
                stat,
                hash: 0,
                articles: Vec::new(),
                problems: vec![(String::new(), problem)],
            };
            return (entry, Vec::new(), Vec::new(), false);
        }
    };
    let hash = stable_hash(&bytes);
    // Touched but not changed: the content hash decides.
    if let Some(c) = cached.filter(|(e, _, _)| e.hash == hash && e.stat.size == bytes.len() as u64) {
        if let Some(hit) = reuse(c, true) {
            return hit;
        }
    }
    let name = match &f.source {
        ingest::FoundSource::Disk(p) => p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        ingest::FoundSource::Bundled(_) => f.display.clone(),
    };
    let (loaded, processed) = if bytes.len() as u64 >= BUDGETED_FILE_BYTES {
        match load_within_budget(bytes.into_owned(), name, f.display.clone(), f.hint, hash, opts, interner) {
            Ok(done) => done,
            Err(problem) => {
                let entry = Entry {
                    key: f.key.clone(),
                    path: f.display.clone(),
                    stat,
                    hash,
                    articles: Vec::new(),
                    problems: vec![(String::new(), problem)],
                };
                return (entry, Vec::new(), Vec::new(), false);
            }
        }
    } else {
        load_and_extract(&bytes, &name, &f.display, f.hint, hash, opts, interner)
    };
    let mut entry = Entry {
        key: f.key.clone(),
        path: f.display.clone(),
        stat,
        hash,
        articles: Vec::with_capacity(processed.len()),
        problems: loaded.problems,
    };
    let mut texts = Vec::with_capacity(processed.len());
    let mut names = Vec::with_capacity(processed.len());
    for (item, Processed { mut meta, text, entities }) in processed {
        meta.item = item;
        let body_hash = checksum(text.body.as_bytes());
        entry.articles.push(CachedArticle { meta, offset: 0, len: 0, body_hash });
        texts.push(text);
        names.push(entities);
    }
    (entry, texts, names, false)
}

/// One file through the pipeline's front (documents, cleaning) and extraction: its problems, and
/// each article with its item key, names interned in `interner`.
fn load_and_extract(
    bytes: &[u8],
    name: &str,
    path: &str,
    hint: Option<ingest::Format>,
    hash: u64,
    opts: &LoadOptions,
    interner: &crate::core::intern::Interner,
) -> (ingest::FileLoad, Vec<(String, Processed)>) {
    let mut loaded = load_file(bytes, name, path, hint, Some(hash), opts);
    let processed = std::mem::take(&mut loaded.articles)
        .into_iter()
        .map(|(item, article)| (item, process(article, interner)))
        .collect();
    (loaded, processed)
}

/// Files at least this large are read on a thread of their own within the time budget; smaller
/// ones cannot take long (every step is linear in the input).
const BUDGETED_FILE_BYTES: u64 = 1024 * 1024;

/// Reads, cleans and extracts one large file on a thread of its own. A file that takes longer
/// than the budget is reported and skipped, and the load goes on (the thread is left to finish
/// on its own).
fn load_within_budget(
    bytes: Vec<u8>,
    name: String,
    path: String,
    hint: Option<ingest::Format>,
    hash: u64,
    opts: &LoadOptions,
    interner: &crate::core::intern::Interner,
) -> Result<(ingest::FileLoad, Vec<(String, Processed)>), ProblemKind> {
    let (tx, rx) = std::sync::mpsc::channel();
    let budget = opts.file_time_budget;
    let opts = opts.clone();
    std::thread::Builder::new()
        .name("newsroom-large-file".into())
        .spawn(move || {
            let own = crate::core::intern::Interner::default();
            let (loaded, processed) = load_and_extract(&bytes, &name, &path, hint, hash, &opts, &own);
            let _ = tx.send((loaded, processed, own.into_strings()));
        })
        .map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
    match rx.recv_timeout(budget) {
        Ok((loaded, processed, strings)) => {
            // Names move to the collection's own numbering.
            let processed = processed
                .into_iter()
                .map(|(item, mut p)| {
                    p.entities = p.entities.renumbered(&strings, interner);
                    (item, p)
                })
                .collect();
            Ok((loaded, processed))
        }
        Err(_) => Err(ProblemKind::TooSlow { millis: budget.as_millis() as u64 }),
    }
}

fn read_record(old: &OldCache, offset: u64, len: u32) -> std::io::Result<ArticleText> {
    read_checked(&old.file, offset, len)
}

/// Builds the corpus from the entries: drops articles seen before, merges the index, finishes
/// the cache file and reads texts from it (or from memory, without a cache).
#[allow(clippy::too_many_arguments)]
fn assemble(
    entries: Vec<Entry>,
    mut names: Names,
    locs: Vec<Vec<Loc>>,
    mem: Vec<ArticleText>,
    writer: Option<CacheWriter>,
    abandoned: Option<tempfile::NamedTempFile>,
    cache_path: Option<&Path>,
    opts: &LoadOptions,
    report: &mut OpenReport,
) -> Corpus {
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut seen_bodies: HashMap<u64, String> = HashMap::new();
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut kept_locs: Vec<Loc> = Vec::new();
    for ((mut e, locs), entity_names) in entries.into_iter().zip(locs).zip(names.entries.iter_mut()) {
        let mut keep = Vec::with_capacity(e.articles.len());
        for (a, loc) in e.articles.iter().zip(&locs) {
            let place = item_place(&e.path, &a.meta.item);
            if let Some(first) = seen_ids.get(&a.meta.id).or_else(|| seen_bodies.get(&a.body_hash)) {
                e.problems.push((a.meta.item.clone(), ProblemKind::Duplicate { of: first.clone() }));
                keep.push(false);
            } else {
                seen_bodies.insert(a.body_hash, place.clone());
                seen_ids.insert(a.meta.id.clone(), place);
                kept_locs.push(*loc);
                keep.push(true);
            }
        }
        if keep.contains(&false) {
            let mut flags = keep.iter();
            e.articles.retain(|_| *flags.next().unwrap_or(&true));
            let mut flags = keep.iter();
            entity_names.retain(|_| *flags.next().unwrap_or(&true));
        }
        for (item, kind) in &e.problems {
            report.problems.push(Problem::new(item_place(&e.path, item), kind.clone()));
        }
        kept.push(e);
    }
    let entities: Vec<&ArticleEntities> = names.entries.iter().flatten().collect();
    let index = CorpusIndex::build_corrected(&entities, &names.strings, &opts.corrections);
    drop(entities);

    let mut store = Store::new(mem, kept_locs, opts, cache_path);
    if let Some(tmp) = abandoned {
        store.file = tmp.reopen().ok().map(Mutex::new);
        store._unplaced = Some(tmp);
    }
    let mut index = index;
    if let (Some(w), Some(path)) = (writer, cache_path) {
        let dir = Directory { entries: kept, index, corrections: opts.corrections.fingerprint() };
        match w.finish(&dir, &names, path) {
            Ok(file) => store.file = Some(Mutex::new(file)),
            Err((e, tmp)) => {
                report.cache_note = Some(format!("cannot write the cache ({e}); continuing without it"));
                store.file = tmp.reopen().ok().map(Mutex::new);
                store._unplaced = Some(tmp);
            }
        }
        index = dir.index;
        kept = dir.entries;
    }
    drop(names);
    // Moved out, each file's entries freed as it goes, rather than copied (which held every
    // list entry twice at the peak).
    let metas: Vec<ArticleMeta> = kept.into_iter().flat_map(|e| e.articles.into_iter().map(|a| a.meta)).collect();
    let mut corpus = Corpus::with_store(metas, index, Arc::new(store));
    crate::core::corrections::apply_added(&mut corpus, &opts.corrections);
    corpus
}

fn corpus_from_cache(old: OldCache, report: &mut OpenReport, opts: &LoadOptions, cache_path: &Path) -> Corpus {
    // Corrections made since the index was cached: the names are merged again (no file is read)
    // once, and the index kept beside the cache for the next opens.
    let fp = opts.corrections.fingerprint();
    let rebuilt = (old.dir.corrections != fp).then(|| {
        let side = corrected_path(cache_path);
        if let Some(index) = read_corrected(&side, old.names_at.2, fp) {
            return Some(index);
        }
        match old.names() {
            Some(names) => {
                let entities: Vec<&ArticleEntities> = names.entries.iter().flatten().collect();
                let index = CorpusIndex::build_corrected(&entities, &names.strings, &opts.corrections);
                write_corrected(&side, old.names_at.2, fp, &index);
                Some(index)
            }
            None => {
                report.cache_note = Some("the cache is damaged; your entity corrections show after a rebuild".into());
                None
            }
        }
    });
    let OldCache { file, mut dir, .. } = old;
    if let Some(Some(index)) = rebuilt {
        if index.group_entity.len() == dir.index.group_entity.len() {
            dir.index = index;
        }
    }
    // The list entries are moved out of the directory, each file's freed as it goes: copying
    // them held every entry twice at the peak (a million articles: hundreds of MB).
    let articles = dir.entries.iter().map(|e| e.articles.len()).sum();
    let mut metas = Vec::with_capacity(articles);
    let mut locs = Vec::with_capacity(articles);
    for e in std::mem::take(&mut dir.entries) {
        for (item, kind) in &e.problems {
            report.problems.push(Problem::new(item_place(&e.path, item), kind.clone()));
        }
        for a in e.articles {
            locs.push(Loc::File(a.offset, a.len));
            metas.push(a.meta);
        }
    }
    // Duplicates were dropped when the cache was written; their problems say so.
    let mut store = Store::new(Vec::new(), locs, opts, Some(cache_path));
    store.file = Some(Mutex::new(file));
    let mut corpus = Corpus::with_store(metas, dir.index, Arc::new(store));
    crate::core::corrections::apply_added(&mut corpus, &opts.corrections);
    corpus
}

/// The index of a cached collection built with the user's current corrections, kept beside the
/// cache file: `names` (the checksum of the cached names) and `corrections` (their fingerprint)
/// say what it was built from.
#[derive(Serialize, Deserialize)]
struct Corrected {
    names: u64,
    corrections: u64,
    index: CorpusIndex,
}

fn corrected_path(cache_path: &Path) -> PathBuf {
    cache_path.with_extension("nrcorrected")
}

/// The kept index, if it is whole and was built from these names and corrections.
fn read_corrected(path: &Path, names: u64, corrections: u64) -> Option<CorpusIndex> {
    let bytes = std::fs::read(path).ok()?;
    let (sum, body) = bytes.split_at_checked(8)?;
    if u64::from_le_bytes(sum.try_into().ok()?) != checksum(body) {
        return None;
    }
    let c: Corrected = postcard::from_bytes(body).ok()?;
    let mut index = (c.names == names && c.corrections == corrections).then_some(c.index)?;
    index.rebuild_lookup();
    Some(index)
}

/// Keeps the index beside the cache (written whole, then renamed); failing is only slower.
fn write_corrected(path: &Path, names: u64, corrections: u64, index: &CorpusIndex) {
    let Ok(body) = postcard::to_stdvec(&Corrected { names, corrections, index: index.clone() }) else { return };
    let dir = path.parent().unwrap_or(Path::new("."));
    let Ok(mut tmp) = tempfile::Builder::new().prefix(&crate::core::writing::prefix(WRITING)).tempfile_in(dir) else {
        return;
    };
    let ok = tmp.write_all(&checksum(&body).to_le_bytes()).is_ok() && tmp.write_all(&body).is_ok();
    if ok {
        let _ = tmp.persist(path);
    }
}

/// Cache files being written are named `.writing-PID-…` until renamed into place.
const WRITING: &str = "writing";

/// Writes a new cache file beside the old one, renamed into place when whole.
struct CacheWriter {
    tmp: tempfile::NamedTempFile,
    out: BufWriter<File>,
    at: u64,
    fingerprint: u64,
}

impl CacheWriter {
    fn create(path: &Path, fingerprint: u64) -> std::io::Result<CacheWriter> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        crate::core::writing::remove_abandoned(dir, WRITING);
        let tmp = tempfile::Builder::new().prefix(&crate::core::writing::prefix(WRITING)).tempfile_in(dir)?;
        let mut out = BufWriter::with_capacity(1 << 20, tmp.reopen()?);
        out.write_all(&[0u8; HEADER_LEN as usize])?;
        Ok(CacheWriter { tmp, out, at: HEADER_LEN, fingerprint })
    }

    fn append(&mut self, text: &ArticleText) -> std::io::Result<(u64, u32)> {
        let bytes = encode_record(text)?;
        let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.out.write_all(&bytes)?;
        self.out.write_all(&checksum(&bytes).to_le_bytes())?;
        let offset = self.at;
        self.at += bytes.len() as u64 + CHECKSUM_LEN;
        Ok((offset, len))
    }

    /// Writes the directory and the header and renames the file into place. On failure the
    /// temporary file is handed back, still readable.
    fn finish(
        mut self,
        dir: &Directory,
        names: &Names,
        path: &Path,
    ) -> Result<File, (std::io::Error, tempfile::NamedTempFile)> {
        let result = (|| -> std::io::Result<()> {
            // Streamed, so no second copy of the directory is built in memory.
            let names_offset = self.at;
            let (names_len, names_sum) = write_summed_deflated(names, &mut self.out)?;
            let dir_offset = names_offset + names_len;
            let (dir_len, dir_sum) = write_directory(dir, &mut self.out)?;
            let end = dir_offset + dir_len;
            self.out.flush()?;
            let file = self.out.get_mut();
            let mut header = Vec::with_capacity(HEADER_LEN as usize);
            header.extend_from_slice(MAGIC);
            header.extend_from_slice(&VERSION.to_le_bytes());
            for word in [self.fingerprint, dir_offset, end - dir_offset, names_offset, names_len, dir_sum, names_sum] {
                header.extend_from_slice(&word.to_le_bytes());
            }
            let sum = checksum(&header[..HEADER_SUMMED]);
            header.extend_from_slice(&sum.to_le_bytes());
            header.resize(HEADER_LEN as usize, 0);
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&header)?;
            file.sync_all()
        })();
        if let Err(e) = result {
            return Err((e, self.tmp));
        }
        match self.tmp.persist(path) {
            Ok(file) => Ok(file),
            Err(e) => Err((e.error, e.file)),
        }
    }
}

/// [`write_summed`], deflated (the names section: read only when files changed).
fn write_summed_deflated<T: Serialize, W: Write>(value: &T, out: &mut W) -> std::io::Result<(u64, u64)> {
    let mut summed = Summed { out, hasher: xxhash_rust::xxh3::Xxh3::new(), len: 0 };
    let enc = flate2::write::DeflateEncoder::new(&mut summed, RECORD_COMPRESSION);
    // postcard writes a few bytes at a time, and every write into the encoder prepares its
    // output buffer again: batched, the names section took a tenth of a cold load's time.
    let mut batched = BufWriter::with_capacity(1 << 16, enc);
    postcard::to_io(value, &mut batched).map_err(std::io::Error::other)?;
    batched.into_inner().map_err(|e| e.into_error())?.finish()?;
    Ok((summed.len, summed.hasher.digest()))
}

/// Counts and checksums what passes through to `out`.
struct Summed<'a, W> {
    out: &'a mut W,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<W: Write> Write for Summed<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes a value with postcard, returning how many bytes it took and their checksum.
/// List entries per part of the directory: a part is decoded on its own, so a warm open
/// decodes the parts on every core, and writing holds one part in memory at a time.
const ENTRIES_PER_PART: usize = 4096;
/// The index's tables, each a part after the entries: entities, the articles of each, the
/// entities of each article, and the entity of each article's name groups.
const INDEX_PARTS: usize = 4;

/// Writes the directory as parts, each its byte length (u32, little-endian) then its postcard
/// bytes: the corrections' fingerprint, the number of entry parts, the entry parts, the
/// index's tables.
/// Returns its length and checksum.
fn write_directory<W: Write>(dir: &Directory, out: &mut W) -> std::io::Result<(u64, u64)> {
    let mut summed = Summed { out, hasher: xxhash_rust::xxh3::Xxh3::new(), len: 0 };
    let parts = dir.entries.chunks(ENTRIES_PER_PART);
    summed.write_all(&dir.corrections.to_le_bytes())?;
    summed.write_all(&u32::try_from(parts.len()).map_err(std::io::Error::other)?.to_le_bytes())?;
    let mut part = Vec::new();
    fn write_part(bytes: &[u8], out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(&u32::try_from(bytes.len()).map_err(std::io::Error::other)?.to_le_bytes())?;
        out.write_all(bytes)
    }
    for entries in parts {
        part.clear();
        postcard::to_io(entries, &mut part).map_err(std::io::Error::other)?;
        write_part(&part, &mut summed)?;
    }
    // The index's four tables are parts of their own too: decoding the index whole was the
    // longest single part of a warm open.
    let index = &dir.index;
    let tables: [&dyn erased::Table; INDEX_PARTS] =
        [&index.entities, &index.entity_articles, &index.article_entities, &index.group_entity];
    for table in tables {
        part.clear();
        table.encode(&mut part)?;
        write_part(&part, &mut summed)?;
    }
    Ok((summed.len, summed.hasher.digest()))
}

mod erased {
    /// One of the index's tables, of whatever type, encoded into a reused buffer.
    pub trait Table {
        fn encode(&self, out: &mut Vec<u8>) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Table for T {
        fn encode(&self, out: &mut Vec<u8>) -> std::io::Result<()> {
            postcard::to_io(self, out).map(|_| ()).map_err(std::io::Error::other)
        }
    }
}

/// Reads what [`write_directory`] wrote, the parts decoded in parallel; `None` when damaged.
fn read_directory(bytes: &[u8]) -> Option<Directory> {
    let mut rest = bytes;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let corrections = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let count = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    // Each part takes at least its 4-byte length: a damaged count asks for no more than that.
    let mut parts = Vec::with_capacity(count.min(bytes.len() / 4));
    for _ in 0..count + INDEX_PARTS {
        let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        parts.push(take(len)?);
    }
    if !rest.is_empty() {
        return None;
    }
    let tables = parts.split_off(count);
    fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
        postcard::from_bytes(bytes).ok()
    }
    let (entries, (entities, (entity_articles, (article_entities, group_entity)))) = rayon::join(
        || {
            use rayon::prelude::*;
            parts.par_iter().map(|p| decode::<Vec<Entry>>(p)).collect::<Option<Vec<_>>>()
        },
        || {
            rayon::join(
                || decode(tables[0]),
                || rayon::join(|| decode(tables[1]), || rayon::join(|| decode(tables[2]), || decode(tables[3]))),
            )
        },
    );
    let mut index = CorpusIndex::default();
    index.entities = entities?;
    index.entity_articles = entity_articles?;
    index.article_entities = article_entities?;
    index.group_entity = group_entity?;
    let entries = entries?.into_iter().flatten().collect();
    Some(Directory { entries, index, corrections })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> ArticleText {
        let para = "Tehrik-i-Taliban Pakistan (TTP) claimed the attack in Peshawar, officials said. ";
        ArticleText { deck: Some("A deck".into()), author_note: None, body: para.repeat(40), mentions: Vec::new() }
    }

    #[test]
    fn records_are_compressed_and_read_back_whole() {
        let t = text();
        let record = encode_record(&t).unwrap();
        let plain = postcard::to_allocvec(&t).unwrap();
        assert!(record.len() * 2 < plain.len(), "{} of {} bytes", record.len(), plain.len());
        let back = decode_record(&record).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn a_record_with_a_wrong_length_or_block_is_an_error_not_a_panic() {
        let record = encode_record(&text()).unwrap();
        for size in [0u32, 10, u32::MAX] {
            let mut bad = record.clone();
            bad[..4].copy_from_slice(&size.to_le_bytes());
            assert!(decode_record(&bad).is_err(), "{size}");
        }
        let mut bad = record.clone();
        bad.truncate(record.len() / 2);
        assert!(decode_record(&bad).is_err());
        assert!(decode_record(&[1, 2]).is_err());
    }
}
