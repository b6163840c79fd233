//! Cleaning and extraction on pathological shapes of text, against ordinary news text: each
//! shape should run within a small factor of ordinary text's MB/s (time linear in the input).
//!
//!     cargo bench --bench pathological [-- MB [LINES]]
//!
//! MB (default 5) sizes the ordinary corpus and the one-paragraph shape; LINES (default
//! 100000) the shapes made of many lines or paragraphs. Prints MB/s of clean +
//! extract over the raw bytes, on one core, and each shape's ratio to ordinary text.

use std::time::Instant;

use newsroom::core::clean::clean;
use newsroom::core::extract::extract;
use newsroom::core::furniture::Furniture;

const CORPUS: [&str; 5] = [
    include_str!("../assets/corpus/000_c4c79cd1e2dcc1b5.txt"),
    include_str!("../assets/corpus/001_27bb42572bf5a56f.txt"),
    include_str!("../assets/corpus/002_0d6c2679fc78c9a8.txt"),
    include_str!("../assets/corpus/003_9ff31f010b9ed958.txt"),
    include_str!("../assets/corpus/004_6a8170050d1b1885.txt"),
];

const GIVEN: &[&str] = &["Asim", "Sana", "Imran", "Ayesha", "Bilal", "Farah", "Omar", "Nadia", "Kamran", "Zara"];
const FAMILY: &[&str] =
    &["Munir", "Jamal", "Khan", "Siddiqui", "Raza", "Qureshi", "Malik", "Baig", "Durrani", "Hashmi"];
const WORDS: &[&str] =
    &["Pakistan", "border", "Kabul", "talks", "Army", "market", "Peshawar", "said", "Tuesday", "police"];

/// Cleans and extracts each text; returns seconds taken and mentions found.
fn measure(texts: &[String], furniture: &Furniture) -> (f64, usize) {
    let t = Instant::now();
    let mut mentions = 0;
    for raw in texts {
        let (a, _) = clean(raw, "id", "p", furniture);
        mentions += extract(&a.body, a.date.as_deref()).mentions.len();
    }
    (t.elapsed().as_secs_f64(), mentions)
}

/// A distinct name for the `i`th person: given and family names, a number-free variety.
fn person(i: usize) -> String {
    format!("{} {}{}", GIVEN[i % GIVEN.len()], FAMILY[(i / GIVEN.len()) % FAMILY.len()], suffix(i / 100))
}

/// Letters that keep names and lines distinct without digits ("", "a", "b", …, "ba", …).
fn suffix(mut n: usize) -> String {
    let mut s = String::new();
    while n > 0 {
        s.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    s
}

fn main() {
    let numbers: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let mb = numbers.first().copied().unwrap_or(5);
    let n = numbers.get(1).copied().unwrap_or(100_000);
    let size = mb * 1_000_000;
    let furniture = Furniture::builtin();
    let _ = extract("Warm up the lexicon in Peshawar.", None);

    // Ordinary news: the bundled articles, each cleaned on its own, until `size` bytes.
    let mut ordinary = Vec::new();
    let mut bytes = 0;
    while bytes < size {
        for a in CORPUS {
            ordinary.push(a.to_string());
            bytes += a.len();
        }
    }

    // One paragraph of `size` bytes: the corpus's sentences on one line, kept distinct so
    // that repeat detection does not shrink it.
    let sentences: Vec<String> = CORPUS
        .iter()
        .flat_map(|a| {
            newsroom::core::text::sentences(&a.replace('\n', " ")).into_iter().map(str::to_string).collect::<Vec<_>>()
        })
        .collect();
    let mut one = String::with_capacity(size + 1000);
    let mut round = 0;
    while one.len() < size {
        for s in &sentences {
            one.push_str(&format!("In round {} {s} ", suffix(round + 1)));
        }
        round += 1;
    }

    let one_word_lines: String = (0..n).map(|i| format!("{}\n", WORDS[i % WORDS.len()])).collect();
    let long_word = format!("A{}", "b".repeat(1_000_000));
    let person_paragraphs: String = (0..n)
        .map(|i| format!("{} spoke.\n\n{} agreed.\n\n", person(i), person(i).split(' ').nth(1).unwrap()))
        .collect();
    let one_line_paragraphs: String = (0..n)
        .map(|i| {
            format!("Line {} of the report says the market in {} was busy.\n\n", suffix(i + 1), WORDS[i % WORDS.len()])
        })
        .collect();

    let shapes: Vec<(&str, Vec<String>)> = vec![
        ("ordinary news (bundled corpus)", ordinary),
        ("one paragraph", vec![one]),
        ("one-word lines", vec![one_word_lines]),
        ("a 1 MB word", vec![long_word]),
        ("paragraphs naming people", vec![person_paragraphs]),
        ("one-line paragraphs", vec![one_line_paragraphs]),
    ];

    println!("clean + extract, one core, MB/s of raw text (ratio to ordinary news: higher is faster); {n} lines");
    let mut base = None;
    for (name, texts) in &shapes {
        let bytes: usize = texts.iter().map(String::len).sum();
        let (secs, mentions) = measure(texts, &furniture);
        let rate = bytes as f64 / 1e6 / secs;
        let ratio = rate / *base.get_or_insert(rate);
        println!(
            "{name:<32} {:>6.1} MB {:>8.2} s {rate:>8.1} MB/s  ×{ratio:.2}  ({mentions} mentions)",
            bytes as f64 / 1e6,
            secs
        );
    }
}
