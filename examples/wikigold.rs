//! Scores newsroom's entity extraction on WikiGold: exact-span PER/ORG/LOC F1 per type and
//! micro-averaged (person → PER, organization → ORG, place → LOC), IO tags on both sides.
//!
//!     cargo run --release --example wikigold [PATH]
//!
//! PATH defaults to ../shared/eval/wikigold/wikigold.conll.txt beside the repository. WikiGold is
//! for measuring only: nothing in newsroom is trained or tuned on it.

use std::path::PathBuf;

use newsroom::eval::{evaluate, micro, read_conll};

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
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(Vec::len).sum();
    println!("WikiGold: {} documents, {tokens} tokens", docs.len());
    let counts = evaluate(&docs, &["PER", "ORG", "LOC"]);
    println!("{:<6} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}", "type", "gold", "predicted", "correct", "P", "R", "F1");
    for (ty, c) in counts.iter().map(|(t, c)| (t.as_str(), *c)).chain(std::iter::once(("micro", micro(&counts)))) {
        println!(
            "{ty:<6} {:>9} {:>9} {:>9} {:>7.3} {:>7.3} {:>7.3}",
            c.gold,
            c.predicted,
            c.true_positives,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
}
