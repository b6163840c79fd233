//! Events and timelines at scale, release build:
//!
//!     cargo bench --bench timeline -- 100000 DIR     # DIR: a generated collection (made if missing)
//!
//! Prints: the cost of event detection per article against entity extraction (one core, over
//! generated articles and over event-dense ones); `newsroom timeline` over the collection warm
//! (the real binary, its cache filled first); the timeline view opening in process (`T` pressed
//! to the frame drawn), median and worst of 20.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use newsroom::app::{Action, App};
use newsroom::core::cache::{open_collection, CacheMode};
use newsroom::core::events;
use newsroom::core::extract::extract;
use newsroom::core::generate;
use newsroom::core::ingest::LoadOptions;
use newsroom::core::intern::Interner;
use newsroom::ui::theme::{ColorMode, Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Sentences of the kind the detector works hardest on, repeated into long articles.
const DENSE: &str =
    "Militants attacked a police post in Lakki Marwat on Sunday, killing three policemen and wounding two others. \
The attack was claimed by a banned group. Over 300 lives were lost to terrorism in January alone, the report said. \
A roadside bomb hit a patrol in Kurram on Monday, while gunmen attacked a checkpoint near Tank, killing a soldier. \
Officials warned that militants could attack polling stations next week. ";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = args.get(1).map(PathBuf::from).unwrap_or_else(|| tmp.path().join("collection"));
    let cache = tmp.path().join("cache");

    detection_cost();

    if !root.join("0000").exists() {
        generate::write_collection(&root, n, 2024).expect("write the collection");
    }
    // Fill the cache (cold), then time the warm command.
    let run = || {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_newsroom"))
            .arg("timeline")
            .arg(&root)
            .env("XDG_CACHE_HOME", &cache)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run newsroom");
        assert!(status.success());
        t.elapsed()
    };
    let cold = run();
    let mut warm: Vec<Duration> = (0..5).map(|_| run()).collect();
    warm.sort();
    println!(
        "newsroom timeline, {n} articles: cold {:.2} s; warm median {:.3} s, worst {:.3} s",
        cold.as_secs_f64(),
        warm[2].as_secs_f64(),
        warm[4].as_secs_f64()
    );

    // The view, in process, over the cached collection.
    let (corpus, _) = open_collection(
        std::slice::from_ref(&root),
        &LoadOptions::default(),
        &CacheMode::In(cache.join("newsroom")),
        &|_, _| {},
    );
    let corpus = Arc::new(corpus);
    let mut app = App::new(corpus, HashSet::new());
    app.update(Action::Resize(120, 40));
    let theme = Theme::new(ColorMode::None);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            app.update(Action::Key(KeyEvent::new(KeyCode::Char('T'), KeyModifiers::NONE)));
            terminal.draw(|f| newsroom::ui::draw(f, &app, &theme)).expect("draw");
            let took = t.elapsed();
            assert!(app.timeline.open);
            app.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
            took
        })
        .collect();
    times.sort();
    println!(
        "timeline view opening (T to frame drawn), {n} articles: median {:.1} ms, worst {:.1} ms",
        times[10].as_secs_f64() * 1e3,
        times[19].as_secs_f64() * 1e3
    );
}

/// Event detection's share of processing an article: detection alone against extraction, on
/// one core, for generated articles and for event-dense text.
fn detection_cost() {
    let furniture = newsroom::core::furniture::Furniture::builtin();
    let generated: Vec<(String, Option<String>)> = (0..2000)
        .map(|i| {
            let (name, raw) = generate::article(7, i);
            let (a, _) = newsroom::core::clean::clean(&raw, &format!("{i:016x}"), &name, &furniture);
            (a.body, a.date)
        })
        .collect();
    let dense: Vec<(String, Option<String>)> =
        (0..200).map(|_| (DENSE.repeat(20), Some("2024-05-20".to_string()))).collect();
    for (label, bodies) in [("generated", &generated), ("event-dense", &dense)] {
        let interner = Interner::default();
        let prepared: Vec<_> = bodies
            .iter()
            .map(|(b, d)| {
                let ex = extract(b, d.as_deref());
                let (_, local) = ex.summarize(&interner);
                (ex, local)
            })
            .collect();
        let t = Instant::now();
        for (b, d) in bodies {
            std::hint::black_box(extract(b, d.as_deref()));
        }
        let extraction = t.elapsed();
        let t = Instant::now();
        let mut found = 0;
        for ((b, d), (ex, local)) in bodies.iter().zip(&prepared) {
            found += events::detect(b, d.as_deref(), &ex.mentions, local).len();
        }
        let detection = t.elapsed();
        let mb = bodies.iter().map(|(b, _)| b.len()).sum::<usize>() as f64 / 1e6;
        println!(
            "{label}: {} articles, {mb:.1} MB: extraction {:.0} ms, event detection {:.1} ms ({:.1}% of extraction), {found} events",
            bodies.len(),
            extraction.as_secs_f64() * 1e3,
            detection.as_secs_f64() * 1e3,
            100.0 * detection.as_secs_f64() / extraction.as_secs_f64()
        );
    }
}
