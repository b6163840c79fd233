//! Scores `extract_page` on the article-extraction benchmark (gzip pages + `ground-truth.json`),
//! the benchmark's own way: `\w+` tokens, 4-token shingles counted as multisets, each page's
//! tp/fp/fn normalised to sum to 1, precision and recall averaged over pages, F1 of the means.
//!
//! `cargo run --release --example article_extraction -- [DIR] [--worst N] [--show PAGE-KEY]`

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use newsroom::core::formats::html::extract_page;

/// Python's `\w` (Unicode): letters, marks, digits and the underscore.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|t| !t.is_empty()).collect()
}

/// Every run of four tokens, counted; a text of fewer tokens is one shingle.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let t = tokens(text);
    let mut counts = HashMap::new();
    if t.is_empty() {
        return counts;
    }
    if t.len() < 4 {
        *counts.entry(t).or_insert(0) += 1;
        return counts;
    }
    for w in t.windows(4) {
        *counts.entry(w.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// Normalised (tp, fp, fn) of a prediction against the gold text.
fn score(gold: &str, pred: &str) -> (f64, f64, f64) {
    let g = shingles(gold);
    let p = shingles(pred);
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (k, &pc) in &p {
        let gc = g.get(k).copied().unwrap_or(0);
        tp += pc.min(gc);
        fp += pc.saturating_sub(gc);
    }
    for (k, &gc) in &g {
        fneg += gc.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let sum = (tp + fp + fneg) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fneg as f64 / sum)
}

fn precision(tp: f64, fp: f64, fneg: f64) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

fn recall(tp: f64, fp: f64, fneg: f64) -> f64 {
    if fp == 0.0 && fneg == 0.0 {
        1.0
    } else if tp == 0.0 && fneg == 0.0 {
        0.0
    } else {
        tp / (tp + fneg)
    }
}

fn main() -> anyhow::Result<()> {
    let mut dir = PathBuf::from("../shared/eval/article-extraction");
    let mut worst = 0usize;
    let mut show = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--show" {
            show = args.next();
        } else if a == "--worst" {
            worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
        } else {
            dir = PathBuf::from(a);
        }
    }
    let truth: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("ground-truth.json"))?)?;
    let truth = truth.as_object().ok_or_else(|| anyhow::anyhow!("ground-truth.json is not an object"))?;

    let (mut precisions, mut recalls) = (Vec::new(), Vec::new());
    let mut per_page = Vec::new();
    let (mut bytes, mut elapsed) = (0usize, Duration::ZERO);
    for (key, entry) in truth {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(dir.join("html").join(format!("{key}.html.gz")))?)
            .read_to_end(&mut raw)?;
        let (html, _) = newsroom::core::formats::html::decode_page(&raw);
        let start = Instant::now();
        let article = extract_page(&html);
        elapsed += start.elapsed();
        bytes += raw.len();
        let gold = entry["articleBody"].as_str().unwrap_or("");
        if show.as_deref() == Some(key.as_str()) {
            println!("{:#?}\n{}\n===== expected\n{gold}\n=====", article.meta, article.text);
        }
        let (tp, fp, fneg) = score(gold, &article.text);
        if tp + fp > 0.0 {
            precisions.push(precision(tp, fp, fneg));
        }
        if tp + fneg > 0.0 {
            recalls.push(recall(tp, fp, fneg));
        }
        per_page.push((precision(tp, fp, fneg), recall(tp, fp, fneg), key.clone()));
    }
    if worst > 0 {
        per_page.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
        for (p, r, key) in per_page.iter().take(worst) {
            println!("P={p:.3} R={r:.3} {key}");
        }
    }
    let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let (p, r) = (mean(&precisions), mean(&recalls));
    let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    println!(
        "{} pages, {:.1} MB in {:.2} s: {:.1} MB/s",
        per_page.len(),
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-9)
    );
    println!("body F1={f1:.3} P={p:.3} R={r:.3}");
    Ok(())
}
