//! Scores newsroom's entity extraction on a CoNLL file with IO or BIO tags: exact-span PER/ORG/LOC
//! precision, recall and F1 per type, then as the last line `micro F1=… P=… R=…` (person → PER,
//! organization → ORG, place → LOC; IO tags on both sides).
//!
//!     cargo run --release --example ner_eval -- FILE [--errors] [--weights FILE]
//!
//! `--weights` scores with tagger weights written by `train_ner --out FILE` instead of the
//! shipped ones. `--errors` first lists every missed (`-`) and wrong (`+`) span with its sentence. Evaluation
//! files (WikiGold) are for measuring only: nothing in newsroom is trained or tuned on them. Tune
//! on the dev files beside the training data, never on what you report.

use std::path::PathBuf;

use newsroom::core::extract::tagger::Model;
use newsroom::eval::{evaluate, io_spans, predict, read_conll, report};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_errors = args.iter().any(|a| a == "--errors");
    let weights_at = args.iter().position(|a| a == "--weights").map(|k| k + 1);
    let Some(path) = args
        .iter()
        .enumerate()
        .find(|&(k, a)| !a.starts_with("--") && Some(k) != weights_at)
        .map(|(_, a)| PathBuf::from(a))
    else {
        eprintln!("usage: ner_eval FILE [--errors] [--weights FILE] (CoNLL: `token TAG` lines, IO or BIO tags)");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("ner_eval: cannot read {}: {e}", path.display());
            std::process::exit(1);
        }
    };
    if let Some(weights) = args.iter().position(|a| a == "--weights").and_then(|k| args.get(k + 1)) {
        let model = std::fs::read(weights).ok().and_then(|b| Model::from_bytes(&b));
        if !model.is_some_and(Model::install) {
            eprintln!("ner_eval: {weights} holds no tagger weights");
            std::process::exit(1);
        }
    }
    let docs = read_conll(&text);
    if show_errors {
        let types = ["PER", "ORG", "LOC"];
        for doc in &docs {
            let gold_tags: Vec<Vec<String>> =
                doc.sentences.iter().map(|s| s.iter().map(|(_, t)| t.clone()).collect()).collect();
            let gold: Vec<_> = io_spans(&gold_tags).into_iter().filter(|g| types.contains(&g.3.as_str())).collect();
            let pred: Vec<_> = io_spans(&predict(doc)).into_iter().filter(|g| types.contains(&g.3.as_str())).collect();
            let words = |s: usize, a: usize, b: usize| {
                doc.sentences[s][a..=b].iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" ")
            };
            for (sign, list, other) in [("-", &gold, &pred), ("+", &pred, &gold)] {
                for x in list.iter().filter(|x| !other.contains(x)) {
                    let sentence = words(x.0, 0, doc.sentences[x.0].len() - 1);
                    println!("{sign} {} {:<30} | {sentence}", x.3, words(x.0, x.1, x.2));
                }
            }
        }
    }
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(Vec::len).sum();
    println!("{}: {} documents, {tokens} tokens", path.display(), docs.len());
    println!("{}", report(&evaluate(&docs, &["PER", "ORG", "LOC"])));
}
