//! Trains newsroom's NER tagger (`src/core/extract/tagger.rs`) and writes its weights to
//! `assets/ner/weights.bin`, deterministically (fixed order, fixed shuffle seed):
//!
//!     cargo run --release --example train_ner [-- DATA_DIR] [--epochs N] [--sets gum,wnut17,uner] [--out FILE] [--seed N] [--runs K] [--dev FILE]…
//!
//! DATA_DIR defaults to ../shared/train/ner beside the repository and holds the freely licensed
//! training splits (GUM train, WNUT-17 train, UNER English-EWT train draft; licences in
//! `assets/README.md`). Dev splits and evaluation files are never read here: measure with
//! `cargo run --release --example ner_eval -- FILE` after rebuilding, or name dev files with
//! `--dev FILE` (repeatable) to have them scored with the new weights at once, as `ner_eval` would.

use std::io::Read;
use std::path::{Path, PathBuf};

use newsroom::core::extract::lexicon::Lexicon;
use newsroom::core::extract::rule_mentions;
use newsroom::core::extract::tagger::{gold_labels, sequence, Model, Trainer};
use newsroom::core::extract::tokens::tokenize;
use newsroom::eval::{evaluate, read_conll, report};

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| {
        eprintln!("train_ner: cannot read {}: {e}", path.display());
        std::process::exit(1);
    });
    if path.extension().is_some_and(|x| x == "gz") {
        let mut text = String::new();
        if let Err(e) = flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text) {
            eprintln!("train_ner: cannot read {}: {e}", path.display());
            std::process::exit(1);
        }
        text
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn type_number(tag: &str) -> usize {
    match tag.split_once('-').map_or("", |(_, t)| t) {
        "PER" => 1,
        "ORG" => 2,
        "LOC" => 3,
        "MISC" => 4,
        _ => 0,
    }
}

/// Text (tokens joined by spaces, sentences by line breaks) and gold character spans.
fn body_and_spans(sentences: &[Vec<(String, String)>]) -> (String, Vec<(usize, usize, usize)>) {
    let mut body = String::new();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for sentence in sentences {
        let mut open: Option<(usize, usize, usize)> = None;
        for (k, (token, tag)) in sentence.iter().enumerate() {
            if k > 0 {
                body.push(' ');
            }
            let (s, e) = (body.len(), body.len() + token.len());
            body.push_str(token);
            let ty = type_number(tag);
            let continues = ty != 0 && tag.starts_with("I-") && open.is_some_and(|o| o.2 == ty);
            if continues {
                if let Some(o) = open.as_mut() {
                    o.1 = e;
                }
            } else {
                spans.extend(open.take());
                if ty != 0 {
                    open = Some((s, e, ty));
                }
            }
        }
        spans.extend(open.take());
        body.push('\n');
    }
    (body, spans)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/train/ner");
    let mut epochs = 10;
    let mut out: Option<PathBuf> = None;
    let mut dev: Vec<PathBuf> = Vec::new();
    let mut seed: u64 = 0x5EED;
    let mut runs = 5;
    let mut sets = vec!["gum".to_string(), "wnut17".into(), "uner".into()];
    while let Some(a) = args.next() {
        match a.as_str() {
            "--epochs" => epochs = args.next().and_then(|n| n.parse().ok()).unwrap_or(epochs),
            "--sets" => sets = args.next().unwrap_or_default().split(',').map(str::to_string).collect(),
            "--out" => out = args.next().map(PathBuf::from),
            "--dev" => dev.extend(args.next().map(PathBuf::from)),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or(runs),
            "--seed" => seed = args.next().and_then(|n| n.parse().ok()).unwrap_or(seed),
            _ => dir = PathBuf::from(a),
        }
    }
    let files: Vec<(&str, &str, bool)> = vec![
        ("gum", "gum/gum.train.conll", true),
        ("wnut17", "wnut17/wnut17.train.conll", false),
        ("uner", "uner-ewt/uner-ewt.train.draft.conll.gz", false),
    ];
    let lex = Lexicon::get();
    let mut examples: Vec<(Vec<Vec<u32>>, Vec<usize>)> = Vec::new();
    // A set named twice is read twice: its examples count double.
    for set in &sets {
        let Some(&(name, file, by_document)) = files.iter().find(|f| f.0 == set) else {
            eprintln!("train_ner: no set {set} (gum, wnut17, uner)");
            std::process::exit(2);
        };
        let docs = read_conll(&read(&dir.join(file)));
        let mut bodies = Vec::new();
        for doc in &docs {
            if by_document {
                bodies.push(body_and_spans(&doc.sentences));
            } else {
                bodies.extend(doc.sentences.iter().map(|s| body_and_spans(std::slice::from_ref(s))));
            }
        }
        let before = examples.len();
        for (body, spans) in &bodies {
            let tokens = tokenize(body);
            let gold = gold_labels(&tokens, spans);
            let rules = rule_mentions(body, &tokens);
            let seq = sequence(body, &tokens, &rules, lex);
            for (&(s, e), f) in seq.segments.iter().zip(seq.features) {
                examples.push((f, gold[s..e].to_vec()));
            }
        }
        println!("{name}: {} texts, {} segments", bodies.len(), examples.len() - before);
    }
    // Several runs, each in its own shuffled order, averaged: the weights depend less on one
    // order of the examples.
    let mut model = Model::zero();
    for run in 0..runs {
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut trainer = Trainer::default();
        for epoch in 1..=epochs {
            // Fisher-Yates with a fixed linear congruential generator: the same weights every run.
            for i in (1..order.len()).rev() {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let right = order.iter().filter(|&&k| trainer.learn(&examples[k].0, &examples[k].1)).count();
            println!("run {}, epoch {epoch}: {right}/{} segments right", run + 1, order.len());
        }
        let averaged = trainer.averaged();
        for (w, a) in model.emission.iter_mut().zip(&averaged.emission) {
            *w += a / runs as f32;
        }
        for (w, a) in model.transition.iter_mut().zip(&averaged.transition) {
            *w += a / runs as f32;
        }
    }
    let bytes = model.to_bytes();
    let out = out.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/ner/weights.bin"));
    std::fs::write(&out, &bytes).expect("write weights");
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    if dev.is_empty() {
        return;
    }
    // The weights as shipped (quantised), in place of the ones compiled in.
    let installed = Model::from_bytes(&bytes).is_some_and(Model::install);
    assert!(installed, "the new weights must be used for the dev files");
    for path in &dev {
        let docs = read_conll(&read(path));
        println!("{}", path.display());
        println!("{}", report(&evaluate(&docs, &["PER", "ORG", "LOC"])));
    }
}
