//! Scores newsroom's entity extraction on a CoNLL file with IO or BIO tags: exact-span PER/ORG/LOC
//! precision, recall and F1 per type, then as the last line `micro F1=… P=… R=…` (person → PER,
//! organization → ORG, place → LOC; IO tags on both sides).
//!
//!     cargo run --release --example ner_eval -- FILE
//!
//! Evaluation files (WikiGold) are for measuring only: nothing in newsroom is trained or tuned on
//! them. Tune on the dev files beside the training data, never on what you report.

use std::path::PathBuf;

use newsroom::eval::{evaluate, read_conll, report};

fn main() {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: ner_eval FILE (CoNLL: `token TAG` lines, IO or BIO tags)");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ner_eval: cannot read {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    let docs = read_conll(&text);
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(Vec::len).sum();
    println!("{}: {} documents, {tokens} tokens", path.display(), docs.len());
    println!("{}", report(&evaluate(&docs, &["PER", "ORG", "LOC"])));
}
