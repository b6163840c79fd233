//! WikiGold by its old name: `ner_eval` on ../shared/eval/wikigold/wikigold.conll.txt beside the
//! repository, or on PATH.
//!
//!     cargo run --release --example wikigold [PATH]

use std::path::PathBuf;

use newsroom::eval::{evaluate, read_conll, report};

fn main() {
    let path = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/wikigold/wikigold.conll.txt")
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("wikigold: cannot read {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    let docs = read_conll(&text);
    println!("{}", report(&evaluate(&docs, &["PER", "ORG", "LOC"])));
}
