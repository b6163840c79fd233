//! Extraction throughput on one core, in MB/s of cleaned body text, over a generated corpus.
//!
//!     cargo bench --bench extraction [-- ARTICLES]
//!
//! Cleaning is measured too, over the raw text. Figures are for one thread: rayon spreads the
//! work over every core in real runs.

use std::time::Instant;

use newsroom::core::clean::clean;
use newsroom::core::extract::extract;
use newsroom::core::furniture::Furniture;
use newsroom::core::generate;

fn main() {
    let count: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(3000);
    let raw: Vec<String> = (0..count).map(|i| generate::article(42, i).1).collect();
    let raw_bytes: usize = raw.iter().map(String::len).sum();
    let furniture = Furniture::builtin();
    let _ = extract("Warm up the lexicon in Peshawar.", None);

    let t = Instant::now();
    let articles: Vec<_> = raw.iter().map(|r| clean(r, "id", "p", &furniture).0).collect();
    let clean_secs = t.elapsed().as_secs_f64();

    let body_bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    let t = Instant::now();
    let mut mentions = 0;
    for a in &articles {
        mentions += extract(&a.body, a.date.as_deref()).mentions.len();
    }
    let extract_secs = t.elapsed().as_secs_f64();

    // The rules alone, for comparison: what the tagger adds is the difference.
    let t = Instant::now();
    for a in &articles {
        let tokens = newsroom::core::extract::tokens::tokenize(&a.body);
        std::hint::black_box(newsroom::core::extract::rule_mentions(&a.body, &tokens));
    }
    let rules_secs = t.elapsed().as_secs_f64();

    let mb = |b: usize| b as f64 / 1e6;
    println!("corpus: {count} generated articles, {:.1} MB raw, {:.1} MB cleaned", mb(raw_bytes), mb(body_bytes));
    println!("cleaning:   {:>7.1} MB/s ({:.2} s)", mb(raw_bytes) / clean_secs, clean_secs);
    println!("extraction: {:>7.1} MB/s ({:.2} s, {mentions} mentions)", mb(body_bytes) / extract_secs, extract_secs);
    println!("rules only: {:>7.1} MB/s ({:.2} s)", mb(body_bytes) / rules_secs, rules_secs);
}
