//! Full-text search at scale, on this machine, release build:
//!
//!     cargo bench --bench search                      # 10k generated articles
//!     cargo bench --bench search -- 100000            # 100k (≈ 430 MB)
//!     cargo bench --bench search -- 100000 DIR        # keep (or reuse) the collection in DIR
//!     cargo bench --bench search -- 1000000 DIR CACHE # queries only, over a warm cache in CACHE
//!
//! Prints: cold ingest (`newsroom list`, empty cache) without and with the search index
//! (`NEWSROOM_SEARCH_INDEX=off` turns the index sink off, for this comparison only), runs
//! alternating; the index's size against the collection's; query → ranked results p50/p95 per
//! class of query (one word, phrase, field, entity, date, `word*`, fuzzy), and the same with the
//! snippets the browser shows; last key typed at the `/` prompt → results drawn (TestBackend).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use newsroom::app::fulltext::{self, SearchJob};
use newsroom::app::{Action, App};
use newsroom::core::cache::{open_cached, CacheMode};
use newsroom::core::corpus::Corpus;
use newsroom::core::generate::{self, Rng};
use newsroom::core::ingest::LoadOptions;
use newsroom::core::search::{self, fold_words, UserSnapshot};
use newsroom::ui::theme::{ColorMode, Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let keep = args.get(1).map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = keep.unwrap_or_else(|| tmp.path().join("collection"));
    println!(
        "newsroom search benchmark: {n} articles, {} cores",
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    if !root.join("0000").exists() {
        let t = Instant::now();
        generate::write_collection(&root, n, 2024).expect("write the collection");
        println!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let bytes = dir_size(&root);
    println!("collection on disk: {:.0} MB", bytes as f64 / 1e6);

    // Cold ingest, without and with the index, alternating (not when given a warm cache).
    let mut without = Vec::new();
    let mut with = Vec::new();
    let warm = args.get(2).map(PathBuf::from);
    let mut cache = warm.clone().unwrap_or_else(|| tmp.path().join("cache-0"));
    for round in 0..if warm.is_some() { 0 } else { 2 } {
        let c = tmp.path().join(format!("cache-off-{round}"));
        without.push(run_list(&root, &c, false));
        let _ = std::fs::remove_dir_all(&c);
        cache = tmp.path().join(format!("cache-on-{round}"));
        with.push(run_list(&root, &cache, true));
        if round == 0 {
            let _ = std::fs::remove_dir_all(&cache);
        }
    }
    let secs = |v: &[Duration]| v.iter().map(|d| format!("{:.1}", d.as_secs_f64())).collect::<Vec<_>>().join(", ");
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default().as_secs_f64();
    if warm.is_none() {
        println!(
            "cold ingest (newsroom list): without the index {} s; with it {} s: +{:.0}% (best against best)",
            secs(&without),
            secs(&with),
            (best(&with) / best(&without) - 1.0) * 100.0
        );
    }
    let index_bytes = index_size(&cache.join("newsroom"));
    println!(
        "index size: {:.0} MB = {:.2}× the collection",
        index_bytes as f64 / 1e6,
        index_bytes as f64 / bytes as f64
    );

    // Queries, in process, on the warm cache and its index.
    let opts = LoadOptions::default();
    let mode = CacheMode::In(cache.join("newsroom"));
    let t = Instant::now();
    let corpus = Arc::new(open_cached(std::slice::from_ref(&root), &opts, &mode).expect("a warm cache"));
    let index = corpus.search_index().expect("an index");
    println!("warm open with the index: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    drop(index);
    let queries = query_sets(&corpus);
    for (class, qs) in &queries {
        report(class, &corpus, qs);
    }

    // The browser: the last key typed at the `/` prompt → the results drawn.
    let mut times = Vec::new();
    for (_, qs) in queries.iter().filter(|(c, _)| ["one word", "phrase", "field"].contains(c)) {
        for q in qs.iter().take(20) {
            let mut app = App::new(Arc::clone(&corpus), HashSet::new());
            app.update(Action::Resize(160, 50));
            app.update(key('/'));
            let mut chars = q.chars().peekable();
            while let Some(c) = chars.next() {
                if chars.peek().is_none() {
                    break;
                }
                app.update(key(c));
            }
            let _ = app.take_search_job();
            let last = q.chars().last().unwrap();
            let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
            let t = Instant::now();
            app.update(key(last));
            app.run_pending_search();
            terminal.draw(|f| newsroom::ui::draw(f, &app, &Theme::new(ColorMode::Ansi256))).unwrap();
            times.push(t.elapsed());
        }
    }
    print_times("last key → results drawn in the browser", &mut times);
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Queries of each class, drawn from the collection's own words and entities.
fn query_sets(corpus: &Corpus) -> Vec<(&'static str, Vec<String>)> {
    let mut rng = Rng::new(3);
    let n = corpus.articles.len();
    let mut words = Vec::new();
    let mut phrases = Vec::new();
    while words.len() < 60 {
        let body = fold_words(&corpus.open(rng.below(n)).unwrap().text.body);
        if body.len() < 10 {
            continue;
        }
        let at = rng.below(body.len() - 3);
        if body[at].len() >= 4 && body[at].chars().all(char::is_alphabetic) {
            words.push(body[at].clone());
            phrases.push(format!("\"{} {} {}\"", body[at], body[at + 1], body[at + 2]));
        }
    }
    let entities: Vec<String> = corpus
        .index
        .entities
        .iter()
        .filter(|e| {
            e.kind == newsroom::core::extract::Kind::Organization || e.kind == newsroom::core::extract::Kind::Place
        })
        .take(30)
        .map(|e| {
            format!("{}:\"{}\"", if e.kind == newsroom::core::extract::Kind::Place { "place" } else { "org" }, e.name)
        })
        .collect();
    let field: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| match i % 3 {
            0 => format!("title:{w}"),
            1 => format!("{w} date:2024"),
            _ => format!("{w} after:2023-06"),
        })
        .collect();
    let prefix: Vec<String> = words
        .iter()
        .map(|w| format!("{}*", w.chars().take(4.max(w.chars().count() - 2)).collect::<String>()))
        .collect();
    let fuzzy: Vec<String> = words.iter().map(|w| format!("{w}~1")).collect();
    let two: Vec<String> = words.chunks(2).map(|c| c.join(" ")).collect();
    vec![
        ("one word", words),
        ("two words", two),
        ("phrase", phrases),
        ("field", field),
        ("entity", entities),
        ("word*", prefix),
        ("fuzzy", fuzzy),
    ]
}

fn report(class: &str, corpus: &Corpus, queries: &[String]) {
    let user = UserSnapshot::default();
    let mut core = Vec::new();
    let mut browser = Vec::new();
    let mut hits = 0;
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let found = search::search(corpus, q, 50, &user).expect("query runs");
        core.push(t.elapsed());
        hits += found.total;
        let t = Instant::now();
        let answer = fulltext::run(corpus, &SearchJob { generation: i as u64, query: q.clone(), user: Arc::default() });
        browser.push(t.elapsed());
        assert!(answer.result.is_ok(), "{q}");
    }
    print_times(&format!("query → ranked results, {class} (avg {} hits)", hits / queries.len().max(1)), &mut core);
    print_times(&format!("query → results with snippets (browser), {class}"), &mut browser);
}

fn print_times(label: &str, times: &mut [Duration]) {
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p50 = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!("{label}: p50 {:.1} ms, p95 {:.1} ms ({} runs)", ms(p50), ms(p95), times.len());
}

/// Runs `newsroom list ROOT` with its cache in `cache`, with or without the search index.
fn run_list(root: &Path, cache: &Path, index: bool) -> Duration {
    let t = Instant::now();
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsroom"));
    c.arg("list").arg(root).env("XDG_CACHE_HOME", cache).stdout(Stdio::null()).stderr(Stdio::null());
    if !index {
        c.env("NEWSROOM_SEARCH_INDEX", "off");
    }
    let status = c.status().expect("run newsroom");
    assert!(status.success(), "newsroom list failed");
    t.elapsed()
}

fn index_size(cache: &Path) -> u64 {
    std::fs::read_dir(cache)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().to_string_lossy().ends_with(".index"))
        .map(|e| dir_size(&e.path()))
        .sum()
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() { dir_size(&entry.path()) } else { meta.len() };
    }
    total
}
