//! newsroom at scale, on this machine, release build:
//!
//!     cargo bench --bench scale                      # 10k articles
//!     cargo bench --bench scale -- 100000            # 100k articles (≈ 400 MB)
//!     cargo bench --bench scale -- 100000 DIR        # keep the generated collection in DIR
//!     cargo bench --bench scale -- keys              # the keystroke figures alone (10k–1M titles)
//!     cargo bench --bench scale -- 1000000 DIR CACHE # cache in CACHE (as XDG_CACHE_HOME), kept;
//!                                                    # cold ingest skipped when it is warm
//!
//! Prints: cold ingest and extraction (the real binary, empty cache) and its peak RSS; warm
//! re-open (`newsroom list` over the cached collection) and its peak RSS; warm re-open to the
//! first drawn frame (in process); keystroke → filtered, ranked list at 10k, 100k and 1M titles
//! (median / p95 per keystroke, the worker's own ranking, both cores); extraction MB/s on one
//! core.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsroom::app::filter::{FilterData, Job, RankKind, Ranker};
use newsroom::app::{Action, App};
use newsroom::core::cache::{open_cached, open_collection, CacheMode};
use newsroom::core::generate;
use newsroom::core::ingest::LoadOptions;
use newsroom::ui::theme::{ColorMode, Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if args.first().is_some_and(|a| a == "keys") {
        for size in [10_000, 100_000, 1_000_000] {
            let data = synthetic_titles(size);
            report_keystrokes(&format!("{size} titles"), &data);
        }
        return;
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let keep = args.get(1).map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = keep.unwrap_or_else(|| tmp.path().join("collection"));
    let cache = args.get(2).map_or_else(|| tmp.path().join("cache"), PathBuf::from);

    println!(
        "newsroom scale benchmark: {n} articles, {} cores",
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    if !root.join("0000").exists() {
        let t = Instant::now();
        generate::write_collection(&root, n, 2024).expect("write the collection");
        println!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    let bytes = dir_size(&root);
    println!("collection on disk: {:.0} MB", bytes as f64 / 1e6);

    let cold_rss = if cache.join("newsroom").exists() {
        println!("cold ingest: skipped (the cache given is warm)");
        0
    } else {
        let (cold, cold_rss) = run_list(&root, &cache);
        println!(
            "cold ingest + extraction + cache write (newsroom list): {:.2} s, peak RSS {:.0} MB",
            cold.as_secs_f64(),
            cold_rss as f64 / 1e6
        );
        cold_rss
    };
    let (warm, warm_rss) = run_list(&root, &cache);
    println!(
        "warm re-open (newsroom list over the cache):           {:.2} s, peak RSS {:.0} MB",
        warm.as_secs_f64(),
        warm_rss as f64 / 1e6
    );
    println!(
        "peak RSS / corpus size: cold {:.2}, warm {:.2}",
        cold_rss as f64 / bytes as f64,
        warm_rss as f64 / bytes as f64
    );
    let cache_bytes = dir_size(&cache.join("newsroom"));
    println!(
        "cache and index on disk: {:.0} MB = {:.2}× the collection",
        cache_bytes as f64 / 1e6,
        cache_bytes as f64 / bytes as f64
    );

    // Warm re-open to the first frame, as the browser does it, in this process: the cached
    // collection is drawn at once while the files are checked on another thread.
    let opts = LoadOptions::default();
    let mode = CacheMode::In(cache.join("newsroom"));
    let t = Instant::now();
    let corpus = open_cached(std::slice::from_ref(&root), &opts, &mode).expect("a warm cache");
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    app.update(Action::Resize(160, 50));
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    terminal.draw(|f| newsroom::ui::draw(f, &app, &Theme::new(ColorMode::Ansi256))).unwrap();
    println!("warm re-open to the first drawn frame: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let (_, report) = open_collection(std::slice::from_ref(&root), &opts, &mode, &|_, _| {});
    assert_eq!(report.processed, 0, "the cache is warm");
    println!("checking every file against the cache (meanwhile): {:.0} ms", t.elapsed().as_secs_f64() * 1e3);

    // Keystrokes against the real collection's matcher data.
    report_keystrokes(&format!("{} articles (this collection)", app.filter_data.articles()), &app.filter_data);
    drop(app);
    for size in [10_000, 100_000, 1_000_000] {
        let data = synthetic_titles(size);
        report_keystrokes(&format!("{size} titles"), &data);
    }

    // Extraction throughput on one core.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let texts: Vec<String> = (0..2000).map(|i| generate::article(7, i).1).collect();
    let articles: Vec<_> = texts
        .iter()
        .map(|t| newsroom::core::clean::clean(t, "id", "p", &newsroom::core::furniture::Furniture::builtin()).0)
        .collect();
    let body_bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let t = Instant::now();
    pool.install(|| {
        for a in &articles {
            std::hint::black_box(newsroom::core::extract::extract(&a.body, a.date.as_deref()));
        }
    });
    println!("extraction, one core: {:.1} MB/s", body_bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
}

/// Runs `newsroom list ROOT` with its cache in `cache`; wall time and peak RSS (bytes).
// The child is reaped by wait4, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn run_list(root: &Path, cache: &Path) -> (Duration, u64) {
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("list")
        .arg(root)
        .env("XDG_CACHE_HOME", cache)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run newsroom");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t.elapsed();
    assert_eq!(status, 0, "newsroom list failed");
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() { dir_size(&entry.path()) } else { meta.len() };
    }
    total
}

/// Generated titles with a small cast of entities, for sizes too large to ingest here.
fn synthetic_titles(n: usize) -> FilterData {
    let names: Vec<Vec<String>> = [
        ["Tehrik-i-Taliban Pakistan", "TTP", "Tehreek-e-Taliban Pakistan"].as_slice(),
        &["Balochistan Liberation Army", "BLA"],
        &["Khyber Pakhtunkhwa", "KP"],
        &["Peshawar"],
        &["Kabul"],
        &["Asim Munir", "Munir"],
        &["Imran Khan"],
        &["Islamabad"],
    ]
    .iter()
    .map(|v| v.iter().map(|s| s.to_string()).collect())
    .collect();
    let titles = (0..n).map(|i| (generate::title(99, i), (i % 3 == 0).then(|| "Ayesha Siddiqa".to_string()))).collect();
    let entities = (0..n).map(|i| vec![(i % 8) as u32, ((i / 8) % 8) as u32]).collect();
    FilterData::from_parts(titles, entities, names)
}

/// Types queries a key at a time and times each ranking.
fn report_keystrokes(label: &str, data: &FilterData) {
    let queries = ["tehrik", "peshawar", "ttp kabul", "strike in quetta", "balochistan liberation"];
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut generation = 0;
    for q in queries {
        // Each query typed afresh, as the worker sees it.
        let mut ranker = Ranker::default();
        for end in 1..=q.len() {
            generation += 1;
            let job = Job { generation, kind: RankKind::Articles, query: q[..end].to_string(), within: None };
            let (t, cpu) = (Instant::now(), cpu_time());
            let ranked = ranker.run(data, &job, &|| false).expect("not cancelled");
            times.push(t.elapsed());
            cpu_times.push(cpu_time().saturating_sub(cpu));
            std::hint::black_box(ranked.items.len());
        }
    }
    times.sort();
    cpu_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |v: &[Duration], p: usize| v[(v.len() * p / 100).min(v.len() - 1)];
    println!(
        "keystroke → ranked list, {label}: median {:.1} ms, p95 {:.1} ms; CPU (both cores) median {:.1} ms, p95 {:.1} ms ({} keystrokes)",
        ms(at(&times, 50)),
        ms(at(&times, 95)),
        ms(at(&cpu_times, 50)),
        ms(at(&cpu_times, 95)),
        times.len()
    );
}

/// CPU time this process has used, every thread: what a keystroke costs whatever the load.
fn cpu_time() -> Duration {
    // SAFETY: rusage is plain data that getrusage fills.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
