//! Full-text search: a tantivy index of every article's title, author, body, source, tags and
//! date, built by the loading pipeline as another sink beside the cache, and the query language
//! ([`query`]) that runs on it.
//!
//! The index keeps postings only — no text: the cache keeps the texts, and hit offsets are found
//! again by running the same tokenizer over the text read from it ([`hits`]). On disk it lives
//! beside the cache file (`<cachefile>.index/`) with a small meta file of our own (version, and
//! a fingerprint of the files it holds); an index that is damaged, of another version or out of
//! step with the cache is rebuilt (said once). Only the articles of changed or new files are
//! (re)indexed; those of removed files are deleted by their file's key. The bundled corpus and
//! `--no-cache` index in memory.

pub mod hits;
pub mod query;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query as TQuery, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::core::corpus::{ArticleMeta, ArticleText, Corpus};
use crate::core::extract::Kind;
pub use hits::Highlighter;
pub use query::{parse, Match, Node, QueryError, TextField, UserFilter};

/// Bumped whenever the schema, the tokenizer or what is indexed changes.
pub const VERSION: u32 = 2;
const META_FILE: &str = "newsroom-search.json";
const TOKENIZER: &str = "fold";
/// Memory for the writer's buffers, per indexing thread.
const WRITER_HEAP: usize = 48 * 1024 * 1024;

/// The analyzer every text field uses, at indexing and at query time, and for hit offsets:
/// words (letters and digits), lowercased and folded to ASCII so `Łódź` is `lodz`.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The folded words of a text.
pub fn fold_words(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    file: Field,
    title: Field,
    author: Field,
    body: Field,
    source: Field,
    tags: Field,
    date: Field,
    /// A hash of the id, as a fast field: entity filters test it per document.
    key: Field,
}

/// The hash of an article id kept in the `key` fast field.
fn id_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        file: b.add_text_field("file", STRING),
        title: b.add_text_field("title", text.clone()),
        author: b.add_text_field("author", text.clone()),
        body: b.add_text_field("body", text.clone()),
        source: b.add_text_field("source", text.clone()),
        tags: b.add_text_field("tags", text),
        date: b.add_i64_field("date", NumericOptions::default().set_indexed().set_fast()),
        key: b.add_u64_field("key", NumericOptions::default().set_fast()),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |n: &str| schema.get_field(n).ok();
    Some(Fields {
        id: f("id")?,
        file: f("file")?,
        title: f("title")?,
        author: f("author")?,
        body: f("body")?,
        source: f("source")?,
        tags: f("tags")?,
        date: f("date")?,
        key: f("key")?,
    })
}

/// What the meta file beside the index says.
#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
struct Meta {
    version: u32,
    /// The files (keys and content hashes) the index holds: it must match the cache's.
    files: u64,
    /// The index's own files and their sizes: a truncated or missing one is found at open.
    #[serde(default)]
    sizes: Vec<(String, u64)>,
}

/// The files the index is made of, with their sizes.
fn index_files(index: &Index, dir: &Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for seg in index.searchable_segment_metas().unwrap_or_default() {
        use tantivy::index::SegmentComponent as C;
        let mut parts = vec![C::Postings, C::Positions, C::Terms, C::Store, C::FastFields, C::FieldNorms];
        if seg.has_deletes() {
            parts.push(C::Delete);
        }
        for part in parts {
            let f = seg.relative_path(part);
            // Only the files there: a segment may lack a component.
            if let Ok(m) = std::fs::metadata(dir.join(&f)) {
                out.push((f.to_string_lossy().into_owned(), m.len()));
            }
        }
    }
    out.sort();
    out
}

/// Whether every file the meta file lists is there at its size.
fn sizes_match(dir: &Path, sizes: &[(String, u64)]) -> bool {
    sizes
        .iter()
        .all(|(name, size)| !name.contains("..") && std::fs::metadata(dir.join(name)).is_ok_and(|m| m.len() == *size))
}

/// A fingerprint of a collection's files: their keys and content hashes.
pub fn files_fingerprint<'a>(files: impl Iterator<Item = (&'a str, u64)>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (key, hash) in files {
        h.update(key.as_bytes());
        h.update(&[0]);
        h.update(&hash.to_le_bytes());
    }
    h.digest()
}

/// The search index of an open collection.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Where it is on disk (none in memory): its meta file is removed when a query finds it
    /// damaged, so the next open rebuilds it.
    dir: Option<PathBuf>,
    /// Article ids to their numbers in the corpus, made at the first query.
    ids: OnceLock<HashMap<String, u32>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish()
    }
}

/// Builds the index as the pipeline hands it articles.
pub struct IndexBuilder {
    index: Index,
    writer: Option<IndexWriter>,
    fields: Fields,
    dir: Option<PathBuf>,
    /// A new (empty) index: every article must be added, none deleted.
    fresh: bool,
    failed: Option<String>,
}

fn in_ram() -> (Index, Fields) {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    index.tokenizers().register(TOKENIZER, analyzer());
    (index, fields)
}

/// The index folder for a cache file.
pub fn index_dir(cache_file: &Path) -> PathBuf {
    let mut name = cache_file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".index");
    cache_file.with_file_name(name)
}

impl IndexBuilder {
    /// An index in memory (the bundled corpus, `--no-cache`).
    pub fn memory() -> IndexBuilder {
        let (index, fields) = in_ram();
        let writer = index.writer_with_num_threads(1, WRITER_HEAP).ok();
        IndexBuilder { index, writer, fields, dir: None, fresh: true, failed: None }
    }

    /// Opens the index in `dir`, trusted only when its meta file says it is of this version and
    /// holds the files `expected` fingerprints (the old cache's); otherwise it is made anew.
    /// Returns the note to say once when an index was there but could not be used.
    pub fn open(dir: &Path, expected: Option<u64>) -> (IndexBuilder, Option<String>) {
        let meta: Option<Meta> = std::fs::read(dir.join(META_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok());
        let existed = dir.exists();
        let mut note = None;
        if let Some(m) = &meta {
            if m.version == VERSION && Some(m.files) == expected && !sizes_match(dir, &m.sizes) {
                note = Some("the search index is damaged (a file is missing or cut short); rebuilding it".into());
            } else if m.version == VERSION && Some(m.files) == expected {
                match Self::open_existing(dir) {
                    Ok(b) => return (b, None),
                    Err(tantivy::TantivyError::LockFailure(..)) => return (Self::busy(), None),
                    Err(e) => note = Some(format!("the search index is damaged ({e}); rebuilding it")),
                }
            } else if m.version != VERSION {
                note = Some(format!(
                    "the search index was written by another version of newsroom ({}); rebuilding it",
                    m.version
                ));
            }
        } else if existed && dir.join("meta.json").exists() {
            note = Some("the search index is damaged; rebuilding it".to_string());
        }
        // An index that opens is emptied under its own lock (another newsroom may be using
        // it); one that does not is made anew.
        if existed {
            match Self::open_existing(dir) {
                Ok(mut b) => {
                    let emptied = b.writer.as_ref().map(|w| w.delete_all_documents());
                    if matches!(emptied, Some(Ok(_))) {
                        b.fresh = true;
                        return (b, note);
                    }
                }
                Err(tantivy::TantivyError::LockFailure(..)) => return (Self::busy(), note),
                Err(_) => {}
            }
        }
        match Self::create(dir) {
            Ok(b) => (b, note),
            Err(e) => {
                let mut b = IndexBuilder::memory();
                b.failed = Some(format!("cannot write the search index ({e}); searching in memory"));
                (b, note)
            }
        }
    }

    /// Another newsroom is writing this collection's index: this one searches in memory.
    fn busy() -> IndexBuilder {
        let mut b = IndexBuilder::memory();
        b.failed = Some("another newsroom is updating this collection's search index; searching in memory".into());
        b
    }

    fn open_existing(dir: &Path) -> tantivy::Result<IndexBuilder> {
        let index = Index::open_in_dir(dir)?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let fields = fields_of(&index.schema()).ok_or_else(|| tantivy::TantivyError::SchemaError("fields".into()))?;
        if index.schema() != schema().0 {
            return Err(tantivy::TantivyError::SchemaError("another schema".into()));
        }
        // Every segment must open (a truncated file fails here).
        let reader = index.reader()?;
        drop(reader);
        let writer = index.writer_with_num_threads(2, WRITER_HEAP)?;
        Ok(IndexBuilder {
            index,
            writer: Some(writer),
            fields,
            dir: Some(dir.to_path_buf()),
            fresh: false,
            failed: None,
        })
    }

    fn create(dir: &Path) -> std::io::Result<IndexBuilder> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(std::io::Error::other)?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let writer = index.writer_with_num_threads(2, WRITER_HEAP).map_err(std::io::Error::other)?;
        Ok(IndexBuilder {
            index,
            writer: Some(writer),
            fields,
            dir: Some(dir.to_path_buf()),
            fresh: true,
            failed: None,
        })
    }

    /// Whether every article must be added (the index is new).
    pub fn fresh(&self) -> bool {
        self.fresh
    }

    /// Deletes the articles of one file (changed or removed).
    pub fn remove_file(&mut self, key: &str) {
        if let Some(w) = &self.writer {
            w.delete_term(Term::from_field_text(self.fields.file, key));
        }
    }

    /// Indexes one article of the file `key`.
    pub fn add(&mut self, key: &str, meta: &ArticleMeta, text: &ArticleText) {
        let Some(w) = &self.writer else { return };
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &meta.id);
        doc.add_u64(f.key, id_key(&meta.id));
        doc.add_text(f.file, key);
        doc.add_text(f.title, &meta.title);
        if let Some(a) = &meta.author {
            doc.add_text(f.author, a);
        }
        doc.add_text(f.body, &text.body);
        let source = if meta.item.is_empty() { meta.path.clone() } else { format!("{} {}", meta.path, meta.item) };
        doc.add_text(f.source, &source);
        for t in &meta.tags {
            doc.add_text(f.tags, t);
        }
        if let Some(day) = meta.date.as_deref().and_then(query::article_day) {
            doc.add_i64(f.date, day);
        }
        if let Err(e) = w.add_document(doc) {
            self.fail(e.to_string());
        }
    }

    fn fail(&mut self, why: String) {
        if self.failed.is_none() {
            self.failed = Some(format!("cannot write the search index ({why}); search is off"));
        }
        self.writer = None;
    }

    /// Commits what was added and records the files the index now holds. Returns the index (none
    /// when it could not be written) and the note to say once when something went wrong.
    pub fn finish(mut self, files: u64) -> (Option<SearchIndex>, Option<String>) {
        let Some(mut w) = self.writer.take() else {
            return (None, self.failed.take());
        };
        if let Some(dir) = &self.dir {
            // The meta file goes before the commit and is written again after it: an
            // interrupted commit leaves none, and the next open rebuilds.
            let _ = std::fs::remove_file(dir.join(META_FILE));
        }
        let committed = w.commit().and_then(|_| w.wait_merging_threads());
        if let Err(e) = committed {
            return (None, Some(format!("cannot write the search index ({e}); search is off")));
        }
        if let Some(dir) = &self.dir {
            let meta = Meta { version: VERSION, files, sizes: index_files(&self.index, dir) };
            let write =
                serde_json::to_vec(&meta).map_err(std::io::Error::other).and_then(|bytes| write_atomic(dir, &bytes));
            if let Err(e) = write {
                self.failed.get_or_insert(format!("cannot write the search index ({e}); it is rebuilt next time"));
            }
        }
        match SearchIndex::new(self.index, self.fields, self.dir) {
            Ok(s) => (Some(s), self.failed),
            Err(e) => (None, Some(format!("cannot read the search index ({e}); search is off"))),
        }
    }
}

/// Writes the meta file whole or not at all.
fn write_atomic(dir: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new().prefix(".meta-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(META_FILE)).map_err(|e| e.error)?;
    Ok(())
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The article's number in the corpus.
    pub article: usize,
    pub score: f32,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Ranked, best first, at most the limit asked for.
    pub hits: Vec<Hit>,
    /// How many articles match in all.
    pub total: usize,
    /// Things to tell (a name that is no entity, …).
    pub notes: Vec<String>,
    pub elapsed: Duration,
}

/// What the user layer knows (tags, stars, read marks): the ids of the articles that match, or
/// an error to show. The lead wires the user's own store here.
pub trait UserLayer: Send + Sync {
    fn articles(&self, filter: &UserFilter) -> Result<HashSet<String>, String>;
}

/// What the user's own layer knows, as a search needs it: read marks, stars and the user's
/// tags, by article id (a copy, so a search on a worker never waits on the store).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserSnapshot {
    pub read: HashSet<String>,
    pub starred: HashSet<String>,
    /// Article id → the user's tags on it.
    pub tags: HashMap<String, Vec<String>>,
}

impl UserSnapshot {
    /// The snapshot of the user's store; what cannot be read is left empty and said.
    pub fn from_store(store: &crate::core::store::UserStore) -> (UserSnapshot, Option<String>) {
        let mut problem = None;
        let mut note = |e: crate::core::store::StoreError| {
            problem.get_or_insert_with(|| format!("your store could not be read for the search: {e}"));
        };
        let read = store.read_marks().unwrap_or_else(|e| {
            note(e);
            HashSet::new()
        });
        let articles = store.articles().unwrap_or_else(|e| {
            note(e);
            Default::default()
        });
        let mut snapshot = UserSnapshot { read, ..UserSnapshot::default() };
        for (id, user) in articles {
            if user.star {
                snapshot.starred.insert(id.clone());
            }
            if !user.tags.is_empty() {
                snapshot.tags.insert(id, user.tags);
            }
        }
        (snapshot, problem)
    }
}

impl UserLayer for UserSnapshot {
    fn articles(&self, filter: &UserFilter) -> Result<HashSet<String>, String> {
        Ok(match filter {
            UserFilter::Read | UserFilter::Unread => self.read.clone(),
            UserFilter::Starred => self.starred.clone(),
            // The user's tags here; the source's own tags are searched in the index beside them.
            UserFilter::Tag(tag) => {
                let wanted = fold_words(tag).join(" ");
                self.tags
                    .iter()
                    .filter(|(_, tags)| tags.iter().any(|t| fold_words(t).join(" ") == wanted))
                    .map(|(id, _)| id.clone())
                    .collect()
            }
        })
    }
}

/// Today, in days since 1970-01-01.
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    (secs / 86_400) as i64
}

/// A failed search: the query is malformed, or the index could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    Query(QueryError),
    #[error("{0}")]
    User(String),
    #[error("the search index could not be read ({0}); it is rebuilt at the next open")]
    Index(String),
}

impl SearchIndex {
    /// The index in `dir` as it is, when its meta file says it is of this version and holds the
    /// files `expected` fingerprints. Otherwise the note to say (none when there was no index).
    pub fn open_trusted(dir: &Path, expected: u64) -> Result<SearchIndex, Option<String>> {
        let meta: Option<Meta> = std::fs::read(dir.join(META_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok());
        match meta {
            Some(m) if m.version == VERSION && m.files == expected && !sizes_match(dir, &m.sizes) => {
                return Err(Some("the search index is damaged (a file is missing or cut short); rebuilding it".into()))
            }
            Some(m) if m.version == VERSION && m.files == expected => {}
            Some(m) if m.version != VERSION => {
                return Err(Some(format!(
                    "the search index was written by another version of newsroom ({}); rebuilding it",
                    m.version
                )))
            }
            Some(_) => return Err(None),
            None if dir.join("meta.json").exists() => {
                return Err(Some("the search index is damaged; rebuilding it".into()))
            }
            None => return Err(None),
        }
        let open = || -> tantivy::Result<SearchIndex> {
            let index = Index::open_in_dir(dir)?;
            index.tokenizers().register(TOKENIZER, analyzer());
            if index.schema() != schema().0 {
                return Err(tantivy::TantivyError::SchemaError("another schema".into()));
            }
            let fields =
                fields_of(&index.schema()).ok_or_else(|| tantivy::TantivyError::SchemaError("fields".into()))?;
            SearchIndex::new(index, fields, Some(dir.to_path_buf()))
        };
        open().map_err(|e| Some(format!("the search index is damaged ({e}); rebuilding it")))
    }

    fn new(mut index: Index, fields: Fields, dir: Option<PathBuf>) -> tantivy::Result<SearchIndex> {
        // A query runs on its segments in parallel, one thread a core: a phrase of common
        // words over 100k articles takes half the time on two cores.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { reader, fields, dir, ids: OnceLock::new() })
    }

    /// An index of a corpus in memory (a corpus made without the pipeline, or whose index
    /// could not be written).
    pub fn for_corpus(corpus: &Corpus) -> Option<SearchIndex> {
        let mut b = IndexBuilder::memory();
        for (i, meta) in corpus.articles.iter().enumerate() {
            if let Ok(view) = corpus.open(i) {
                b.add(&meta.path, meta, &view.text);
            }
        }
        b.finish(0).0
    }

    /// Size of the index on disk, in bytes (0 in memory).
    pub fn disk_size(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        std::fs::read_dir(dir)
            .map(|rd| rd.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }

    /// Runs a parsed query: the best `limit` articles and the total.
    pub fn search(
        &self,
        corpus: &Corpus,
        node: &Node,
        limit: usize,
        user: &dyn UserLayer,
    ) -> Result<Found, SearchError> {
        let started = Instant::now();
        let mut notes = Vec::new();
        // Entity clauses at the top level filter documents by their id's hash (a fast field):
        // an entity in half of 100k articles is a set test per document, not 50k terms.
        let (filters, rest): (Vec<&Node>, Vec<&Node>) = match node {
            Node::And(parts) => parts.iter().partition(|p| matches!(p, Node::Entity { .. })),
            Node::Entity { .. } => (vec![node], Vec::new()),
            _ => (Vec::new(), vec![node]),
        };
        let mut allowed: Option<HashSet<u64>> = None;
        for f in &filters {
            let Node::Entity { kind, name } = f else { continue };
            let keys: HashSet<u64> = self
                .entity_articles(corpus, *kind, name, &mut notes)
                .iter()
                .map(|&a| id_key(&corpus.articles[a].id))
                .collect();
            allowed = Some(match allowed {
                None => keys,
                Some(prev) => prev.intersection(&keys).copied().collect(),
            });
        }
        let q: Box<dyn TQuery> = match rest.as_slice() {
            [] => Box::new(AllQuery),
            [one] => self.build(corpus, one, user, &mut notes)?,
            many => self.build(corpus, &Node::And(many.iter().map(|n| (*n).clone()).collect()), user, &mut notes)?,
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let searcher = self.reader.searcher();
            // Extra room: a duplicate story or a stale entry takes a place.
            let want = limit.saturating_add(16).min(searcher.num_docs() as usize).max(1);
            let collector = (TopDocs::with_limit(want).order_by_score(), Count);
            let (top, total) = match allowed {
                None => searcher.search(&*q, &collector)?,
                Some(keys) => {
                    let keys = std::sync::Arc::new(keys);
                    let filter = tantivy::collector::FilterCollector::new(
                        "key".to_string(),
                        move |k: u64| keys.contains(&k),
                        collector,
                    );
                    searcher.search(&*q, &filter)?
                }
            };
            let mut hits = Vec::with_capacity(top.len());
            let mut seen = HashSet::new();
            let ids = self.ids(corpus);
            for (score, addr) in top {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) else { continue };
                if let Some(&article) = ids.get(id) {
                    if seen.insert(article) && hits.len() < limit {
                        hits.push(Hit { article: article as usize, score });
                    }
                }
            }
            Ok::<_, tantivy::TantivyError>((hits, total))
        }));
        let (hits, total) = match run {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => return Err(self.damaged(e.to_string())),
            Err(_) => return Err(self.damaged("it failed while searching".into())),
        };
        Ok(Found { total: total.max(hits.len()), hits, notes, elapsed: started.elapsed() })
    }

    fn damaged(&self, why: String) -> SearchError {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_file(dir.join(META_FILE));
        }
        SearchError::Index(why)
    }

    fn ids(&self, corpus: &Corpus) -> &HashMap<String, u32> {
        self.ids.get_or_init(|| corpus.articles.iter().enumerate().map(|(i, a)| (a.id.clone(), i as u32)).collect())
    }

    fn text_fields(&self, field: TextField) -> Vec<(Field, f32)> {
        let f = &self.fields;
        match field {
            TextField::Default => vec![(f.title, 2.0), (f.body, 1.0)],
            TextField::Title => vec![(f.title, 1.0)],
            TextField::Author => vec![(f.author, 1.0)],
            TextField::Source => vec![(f.source, 1.0)],
            TextField::Tag => vec![(f.tags, 1.0)],
        }
    }

    fn id_set(&self, ids: impl IntoIterator<Item = String>) -> Box<dyn TQuery> {
        let terms: Vec<Term> = ids.into_iter().map(|id| Term::from_field_text(self.fields.id, &id)).collect();
        if terms.is_empty() {
            return Box::new(EmptyQuery);
        }
        Box::new(TermSetQuery::new(terms))
    }

    fn build(
        &self,
        corpus: &Corpus,
        node: &Node,
        user: &dyn UserLayer,
        notes: &mut Vec<String>,
    ) -> Result<Box<dyn TQuery>, SearchError> {
        Ok(match node {
            Node::And(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    match p {
                        Node::Not(inner) => clauses.push((Occur::MustNot, self.build(corpus, inner, user, notes)?)),
                        _ => clauses.push((Occur::Must, self.build(corpus, p, user, notes)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(parts) => {
                let mut clauses = Vec::new();
                for p in parts {
                    clauses.push((Occur::Should, self.build(corpus, p, user, notes)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                (Occur::MustNot, self.build(corpus, inner, user, notes)?),
            ])),
            Node::Word { field, word, how } => self.word_query(*field, word, *how, notes),
            Node::Phrase { field, text, slop } => self.phrase_query(*field, text, *slop, notes),
            Node::Entity { kind, name } => {
                let articles = self.entity_articles(corpus, *kind, name, notes);
                self.id_set(articles.into_iter().map(|a| corpus.articles[a].id.clone()))
            }
            Node::Date { from, to } => self.date_query(*from, *to),
            Node::Newer { days } => self.date_query(Some(today() - days), None),
            Node::User(filter) => {
                let ids = user.articles(filter).map_err(SearchError::User)?;
                match filter {
                    UserFilter::Unread => Box::new(BooleanQuery::new(vec![
                        (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                        (Occur::MustNot, self.id_set(ids)),
                    ])),
                    UserFilter::Tag(tag) => {
                        let source_tags = self.phrase_query(TextField::Tag, tag, 0, &mut Vec::new());
                        Box::new(BooleanQuery::new(vec![
                            (Occur::Should, source_tags),
                            (Occur::Should, self.id_set(ids)),
                        ]))
                    }
                    UserFilter::Read | UserFilter::Starred => self.id_set(ids),
                }
            }
        })
    }

    /// The articles mentioning the entities a `person:`/`org:`/`place:`/`entity:` names.
    fn entity_articles(&self, corpus: &Corpus, kind: Option<Kind>, name: &str, notes: &mut Vec<String>) -> Vec<usize> {
        let entities = resolve_entities(corpus, kind, name);
        if entities.is_empty() {
            notes.push(format!(
                "{}:{name:?} names no {} in this collection",
                kind.map_or("entity", kind_field),
                kind.map_or("entity", kind_word)
            ));
        }
        let mut out: Vec<usize> = entities
            .iter()
            .flat_map(|&e| corpus.index.entity_articles.get(e as usize).map_or(&[][..], Vec::as_slice))
            .map(|&(a, _)| a as usize)
            .filter(|&a| a < corpus.articles.len())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn date_query(&self, from: Option<i64>, to: Option<i64>) -> Box<dyn TQuery> {
        let f = self.fields.date;
        let lower = from.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_i64(f, d)));
        let upper = to.map_or(Bound::Unbounded, |d| Bound::Excluded(Term::from_field_i64(f, d)));
        if from.is_none() && to.is_none() {
            return Box::new(AllQuery);
        }
        // An open side still needs a bound of the field's type.
        let lower = match lower {
            Bound::Unbounded => Bound::Included(Term::from_field_i64(f, i64::MIN)),
            b => b,
        };
        let upper = match upper {
            Bound::Unbounded => Bound::Included(Term::from_field_i64(f, i64::MAX)),
            b => b,
        };
        Box::new(RangeQuery::new(lower, upper))
    }

    fn word_query(&self, field: TextField, word: &str, how: Match, notes: &mut Vec<String>) -> Box<dyn TQuery> {
        let words = fold_words(word);
        if words.is_empty() {
            notes.push(format!("{word:?} has no letters or digits to search for"));
            return Box::new(EmptyQuery);
        }
        let mut per_field: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (f, boost) in self.text_fields(field) {
            let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(f, w)).collect();
            let q: Box<dyn TQuery> = match how {
                Match::Exact if terms.len() == 1 => {
                    Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
                }
                Match::Exact => Box::new(PhraseQuery::new(terms)),
                Match::Prefix if terms.len() == 1 => Box::new(FuzzyTermQuery::new_prefix(terms[0].clone(), 0, true)),
                Match::Prefix => Box::new(PhrasePrefixQuery::new(terms)),
                Match::Fuzzy(d) => Box::new(BooleanQuery::new(
                    terms
                        .into_iter()
                        .map(|t| (Occur::Must, Box::new(FuzzyTermQuery::new(t, d, true)) as Box<dyn TQuery>))
                        .collect(),
                )),
            };
            per_field.push((Occur::Should, boosted(q, boost)));
        }
        if per_field.len() == 1 {
            return per_field.pop().expect("one").1;
        }
        Box::new(BooleanQuery::new(per_field))
    }

    fn phrase_query(&self, field: TextField, text: &str, slop: u32, notes: &mut Vec<String>) -> Box<dyn TQuery> {
        let words = fold_words(text);
        if words.is_empty() {
            notes.push(format!("{text:?} has no letters or digits to search for"));
            return Box::new(EmptyQuery);
        }
        let mut per_field: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (f, boost) in self.text_fields(field) {
            let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(f, w)).collect();
            let q: Box<dyn TQuery> = if terms.len() == 1 {
                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
            } else {
                let mut p = PhraseQuery::new(terms);
                p.set_slop(slop);
                Box::new(p)
            };
            per_field.push((Occur::Should, boosted(q, boost)));
        }
        if per_field.len() == 1 {
            return per_field.pop().expect("one").1;
        }
        Box::new(BooleanQuery::new(per_field))
    }
}

fn boosted(q: Box<dyn TQuery>, boost: f32) -> Box<dyn TQuery> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

fn kind_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Organization => "org",
        Kind::Place => "place",
        _ => "entity",
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Organization => "organisation",
        Kind::Place => "place",
        _ => "entity",
    }
}

/// The entities a name in `person:`/`org:`/`place:`/`entity:` means: any whose name or alias it
/// is (ignoring case, accents and punctuation), else any whose name starts with its words.
pub fn resolve_entities(corpus: &Corpus, kind: Option<Kind>, name: &str) -> Vec<u32> {
    let of_kind = |ids: Vec<u32>| -> Vec<u32> {
        ids.into_iter()
            .filter(|&e| kind.is_none_or(|k| corpus.index.entities.get(e as usize).is_some_and(|x| x.kind == k)))
            .collect()
    };
    let found = of_kind(corpus.index.find(name));
    if !found.is_empty() {
        return found;
    }
    of_kind(corpus.index.find_prefix(name))
}

/// Runs a query string over a corpus: parses it and searches the corpus's index (made in
/// memory when the corpus has none).
pub fn search(corpus: &Corpus, query: &str, limit: usize, user: &dyn UserLayer) -> Result<Found, SearchError> {
    let node = parse(query).map_err(SearchError::Query)?;
    let index = corpus.search_index()?;
    index.search(corpus, &node, limit, user)
}

/// Entities mentioned most in a set of articles, with the number of those articles that
/// mention each: the facets shown beside results.
pub fn facets(corpus: &Corpus, articles: &[usize], top: usize) -> Vec<(u32, u32)> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for &a in articles {
        for &(e, _) in corpus.index.article_entities.get(a).map_or(&[][..], Vec::as_slice) {
            if corpus.index.entities.get(e as usize).is_some_and(|x| x.kind != Kind::Date) {
                *counts.entry(e).or_default() += 1;
            }
        }
    }
    let mut out: Vec<(u32, u32)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(top);
    out
}
