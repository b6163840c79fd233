//! Opening a collection, with a cache of everything derived from it in the XDG cache directory,
//! so that re-opening an unchanged collection reads only the cache and a changed one
//! re-processes only the changed files.
//!
//! The cache file: a header (magic, version, a fingerprint of the rules that shaped it, where
//! the directory is), each article's text as one record, then the directory: per file its path,
//! size, modification time, content hash, list entry, entity names and record position, and the
//! merged index. It is written to a temporary file and renamed over the old one. A damaged,
//! truncated or older cache is rebuilt, never trusted and never fatal.

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
use crate::core::ingest::{self, discover, item_place, load_file, LoadOptions, Problem};
use crate::core::text::stable_hash;

const MAGIC: &[u8; 16] = b"NEWSROOM-CACHE\0\0";
/// Bumped whenever what is cached, or how it is derived, changes.
pub const VERSION: u32 = 7;
const HEADER_LEN: u64 = 64;
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
        match directories::ProjectDirs::from("", "", "newsroom") {
            Some(d) => CacheMode::In(d.cache_dir().to_path_buf()),
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The file as found under its root (see `Found::key`): what entries are matched by.
    key: String,
    /// The path as it was given, for messages.
    path: String,
    size: u64,
    mtime_ns: u128,
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
}

/// What re-opening an unchanged collection reads: the list entries and the merged index.
#[derive(Debug, Serialize, Deserialize)]
struct Directory {
    entries: Vec<Entry>,
    index: CorpusIndex,
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
}

impl TextStore for Store {
    fn load(&self, article: usize) -> std::io::Result<ArticleText> {
        match self.locs.get(article).copied() {
            Some(Loc::Mem(i)) => self.mem.get(i).cloned().ok_or_else(|| std::io::Error::other("no such article")),
            Some(Loc::File(offset, len)) => {
                let file = self.file.as_ref().ok_or_else(|| std::io::Error::other("no cache file"))?;
                let mut buf = vec![0; len as usize];
                {
                    let mut f = file.lock().map_err(|_| std::io::Error::other("cache lock poisoned"))?;
                    f.seek(SeekFrom::Start(offset))?;
                    f.read_exact(&mut buf)?;
                }
                postcard::from_bytes(&buf).map_err(|e| std::io::Error::other(format!("damaged cache record: {e}")))
            }
            None => Err(std::io::Error::other("no such article")),
        }
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
fn cache_file(dir: &Path, roots: &[PathBuf]) -> PathBuf {
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
    names_at: (u64, u64),
}

impl OldCache {
    /// The entity names of every entry, or none when they cannot be read (then the changed
    /// path processes those files again).
    fn names(&self) -> Option<Names> {
        let (offset, len) = self.names_at;
        let mut buf = vec![0; len as usize];
        read_exact_at(&self.file, &mut buf, offset).ok()?;
        let names: Names = postcard::from_bytes(&buf).ok()?;
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
    let word = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().expect("8 bytes"));
    let (cached_fp, dir_offset, dir_len, names_offset, names_len) = (word(20), word(28), word(36), word(44), word(52));
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
    let mut dir: Directory = postcard::from_bytes(&buf).map_err(|_| "the cache is damaged".to_string())?;
    drop(buf);
    if dir.index.group_entity.len() != dir.entries.iter().map(|e| e.articles.len()).sum::<usize>() {
        return Err("the cache is damaged".into());
    }
    dir.index.rebuild_lookup();
    Ok(Some(OldCache { file, dir, names_at: (names_offset, names_len) }))
}

/// The collection as the cache last saw it, without looking at the files: for showing it at
/// once while [`open_collection`] checks what changed. `None` without a usable cache.
pub fn open_cached(paths: &[PathBuf], opts: &LoadOptions, mode: &CacheMode) -> Option<Corpus> {
    let CacheMode::In(dir) = mode else { return None };
    if paths.is_empty() {
        return None;
    }
    let old = read_old(&cache_file(dir, paths), fingerprint(opts)).ok()??;
    Some(corpus_from_cache(old, &mut OpenReport::default()))
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
    let (found, mode) = if paths.is_empty() {
        (ingest::bundled(), &CacheMode::Off)
    } else {
        (discover(paths, &mut report.problems, &mut report.skipped_formats), mode)
    };
    let total = found.len();
    let stats: Vec<Option<(u64, u128)>> = found.iter().map(|f| f.stat).collect();

    let fp = fingerprint(opts);
    let (cache_path, mut old) = match mode {
        CacheMode::Off => (None, None),
        CacheMode::In(dir) => {
            let path = cache_file(dir, paths);
            let old = match read_old(&path, fp) {
                Ok(old) => old,
                Err(why) => {
                    report.cache_note = Some(format!("{why}; rebuilding it"));
                    None
                }
            };
            (Some(path), old)
        }
    };

    // The fast path: every file as the cache knows it.
    if let Some(o) = &old {
        let same = o.dir.entries.len() == total
            && o.dir
                .entries
                .iter()
                .zip(&found)
                .zip(&stats)
                .all(|((e, f), s)| e.key == f.key && *s == Some((e.size, e.mtime_ns)));
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
            progress(total, total);
            return (corpus_from_cache(old, &mut report), report);
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
    let mut sink =
        Sink { writer, entries: Vec::with_capacity(total), names: Vec::with_capacity(total), ..Sink::default() };
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
    let names = Names { strings: interner.into_strings(), entries: std::mem::take(&mut sink.names) };
    let corpus = assemble(
        sink.entries,
        names,
        sink.locs,
        sink.mem,
        sink.writer,
        sink.abandoned,
        cache_path.as_deref(),
        &mut report,
    );
    (corpus, report)
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
}

impl Sink {
    fn absorb(&mut self, results: Vec<FileResult>) {
        for (mut entry, texts, entity_names, reused) in results {
            self.names.push(entity_names);
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

/// What the old cache knows of a file: its entry, its articles' entity names and the strings
/// those use.
type CachedFile<'a> = (&'a Entry, &'a [ArticleEntities], &'a [Box<str>]);

/// Processes one file, or takes it from the old cache when it has not changed. Returns the
/// entry, its articles' texts and entity names, and whether it came from the cache.
fn process_file(
    f: &ingest::Found,
    stat: Option<(u64, u128)>,
    cached: Option<CachedFile<'_>>,
    old: Option<&OldCache>,
    opts: &LoadOptions,
    interner: &crate::core::intern::Interner,
) -> FileResult {
    let (size, mtime_ns) = stat.unwrap_or((0, 0));
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
            entry.size = size;
            entry.mtime_ns = mtime_ns;
        }
        Some((entry, texts, names.iter().map(|n| n.renumbered(old_strings, interner)).collect(), true))
    };
    if let Some(c) = cached.filter(|(e, _, _)| e.size == size && e.mtime_ns == mtime_ns) {
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
                size,
                mtime_ns,
                hash: 0,
                articles: Vec::new(),
                problems: vec![(String::new(), problem)],
            };
            return (entry, Vec::new(), Vec::new(), false);
        }
    };
    let hash = stable_hash(&bytes);
    // Touched but not changed: the content hash decides.
    if let Some(c) = cached.filter(|(e, _, _)| e.hash == hash && e.size == bytes.len() as u64) {
        if let Some(hit) = reuse(c, true) {
            return hit;
        }
    }
    let name = match &f.source {
        ingest::FoundSource::Disk(p) => p.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        ingest::FoundSource::Bundled(_) => f.display.clone(),
    };
    let loaded = load_file(&bytes, &name, &f.display, f.hint, opts);
    let mut entry = Entry {
        key: f.key.clone(),
        path: f.display.clone(),
        size,
        mtime_ns,
        hash,
        articles: Vec::with_capacity(loaded.articles.len()),
        problems: loaded.problems,
    };
    let mut texts = Vec::with_capacity(loaded.articles.len());
    let mut names = Vec::with_capacity(loaded.articles.len());
    for (item, article) in loaded.articles {
        let Processed { mut meta, text, entities } = process(article, interner);
        meta.item = item;
        entry.articles.push(CachedArticle { meta, offset: 0, len: 0 });
        texts.push(text);
        names.push(entities);
    }
    (entry, texts, names, false)
}

fn read_record(old: &OldCache, offset: u64, len: u32) -> std::io::Result<ArticleText> {
    let mut buf = vec![0; len as usize];
    read_exact_at(&old.file, &mut buf, offset)?;
    postcard::from_bytes(&buf).map_err(|e| std::io::Error::other(e.to_string()))
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
    report: &mut OpenReport,
) -> Corpus {
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut kept_locs: Vec<Loc> = Vec::new();
    for ((mut e, locs), entity_names) in entries.into_iter().zip(locs).zip(names.entries.iter_mut()) {
        let mut keep = Vec::with_capacity(e.articles.len());
        for (a, loc) in e.articles.iter().zip(&locs) {
            let place = item_place(&e.path, &a.meta.item);
            if let Some(first) = seen_ids.get(&a.meta.id) {
                e.problems.push((a.meta.item.clone(), ProblemKind::Duplicate { of: first.clone() }));
                keep.push(false);
            } else {
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
    let index = CorpusIndex::build(&entities, &names.strings);
    drop(entities);
    let metas: Vec<ArticleMeta> = kept.iter().flat_map(|e| e.articles.iter().map(|a| a.meta.clone())).collect();

    let mut store = Store { file: None, mem, locs: kept_locs, _unplaced: None };
    if let Some(tmp) = abandoned {
        store.file = tmp.reopen().ok().map(Mutex::new);
        store._unplaced = Some(tmp);
    }
    let mut index = index;
    if let (Some(w), Some(path)) = (writer, cache_path) {
        let dir = Directory { entries: kept, index };
        match w.finish(&dir, &names, path) {
            Ok(file) => store.file = Some(Mutex::new(file)),
            Err((e, tmp)) => {
                report.cache_note = Some(format!("cannot write the cache ({e}); continuing without it"));
                store.file = tmp.reopen().ok().map(Mutex::new);
                store._unplaced = Some(tmp);
            }
        }
        index = dir.index;
    }
    Corpus::with_store(metas, index, Arc::new(store))
}

fn corpus_from_cache(old: OldCache, report: &mut OpenReport) -> Corpus {
    let OldCache { file, dir, .. } = old;
    let mut metas = Vec::new();
    let mut records = Vec::new();
    for e in &dir.entries {
        for (item, kind) in &e.problems {
            report.problems.push(Problem::new(item_place(&e.path, item), kind.clone()));
        }
        for a in &e.articles {
            metas.push(a.meta.clone());
            records.push((a.offset, a.len));
        }
    }
    // Duplicates were dropped when the cache was written; their problems say so.
    let locs = records.into_iter().map(|(o, l)| Loc::File(o, l)).collect();
    let store = Store { file: Some(Mutex::new(file)), mem: Vec::new(), locs, _unplaced: None };
    Corpus::with_store(metas, dir.index, Arc::new(store))
}

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
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        let mut out = BufWriter::with_capacity(1 << 20, tmp.reopen()?);
        out.write_all(&[0u8; HEADER_LEN as usize])?;
        Ok(CacheWriter { tmp, out, at: HEADER_LEN, fingerprint })
    }

    fn append(&mut self, text: &ArticleText) -> std::io::Result<(u64, u32)> {
        let bytes = postcard::to_allocvec(text).map_err(std::io::Error::other)?;
        self.out.write_all(&bytes)?;
        let offset = self.at;
        self.at += bytes.len() as u64;
        Ok((offset, bytes.len() as u32))
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
            postcard::to_io(names, &mut self.out).map_err(std::io::Error::other)?;
            let dir_offset = self.out.stream_position()?;
            postcard::to_io(dir, &mut self.out).map_err(std::io::Error::other)?;
            let end = self.out.stream_position()?;
            self.out.flush()?;
            let file = self.out.get_mut();
            let mut header = Vec::with_capacity(HEADER_LEN as usize);
            header.extend_from_slice(MAGIC);
            header.extend_from_slice(&VERSION.to_le_bytes());
            for word in [self.fingerprint, dir_offset, end - dir_offset, names_offset, dir_offset - names_offset] {
                header.extend_from_slice(&word.to_le_bytes());
            }
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
