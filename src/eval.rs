//! NER evaluation on CoNLL data with IO or BIO tags (WikiGold, the dev files): exact-span entity precision, recall and
//! F1 per type and micro-averaged, as `shared/eval/README.md` describes. Used by the `ner_eval`
//! example (and its alias `wikigold`); BIO tags are read as IO, so both sides are scored alike; kept in the library so the scorer itself is tested.

use std::collections::BTreeMap;

use crate::core::corpus::Corpus;
use crate::core::extract::Kind;

/// A CoNLL document: sentences of (token, tag) pairs.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub sentences: Vec<Vec<(String, String)>>,
}

/// Reads CoNLL text: `token TAG` lines, blank lines between sentences, `-DOCSTART-` between
/// documents.
pub fn read_conll(text: &str) -> Vec<Document> {
    let mut docs = vec![Document::default()];
    let mut sentence = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !sentence.is_empty() {
                docs.last_mut().expect("one document").sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        let (token, tag) = line.rsplit_once(' ').unwrap_or((line, "O"));
        if token == "-DOCSTART-" {
            if !docs.last().is_some_and(|d| d.sentences.is_empty()) {
                docs.push(Document::default());
            }
            continue;
        }
        sentence.push((token.to_string(), tag.to_string()));
    }
    if !sentence.is_empty() {
        docs.last_mut().expect("one document").sentences.push(sentence);
    }
    docs.retain(|d| !d.sentences.is_empty());
    docs
}

/// The evaluation type of a newsroom kind; dates and groups are not scored.
pub fn conll_type(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Person => Some("PER"),
        Kind::Organization => Some("ORG"),
        Kind::Place => Some("LOC"),
        Kind::Date | Kind::Group | Kind::Other => None,
    }
}

/// Spans `(sentence, first token, last token, type)` from IO tags; adjacent tokens of one type
/// form one span, as IO tagging cannot separate them.
pub fn io_spans(tags: &[Vec<String>]) -> Vec<(usize, usize, usize, String)> {
    let mut spans = Vec::new();
    for (s, sentence) in tags.iter().enumerate() {
        let mut i = 0;
        while i < sentence.len() {
            let ty = sentence[i].trim_start_matches(['I', 'B']).trim_start_matches('-');
            if sentence[i] == "O" || ty.is_empty() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < sentence.len() && sentence[j + 1].trim_start_matches(['I', 'B']).trim_start_matches('-') == ty
            {
                j += 1;
            }
            spans.push((s, i, j, ty.to_string()));
            i = j + 1;
        }
    }
    spans
}

/// Tags newsroom gives one document's tokens: the sentences are joined into text (one sentence
/// a line), extracted and merged as for any article, and each mention tags the tokens it
/// overlaps.
pub fn predict(doc: &Document) -> Vec<Vec<String>> {
    let mut text = String::new();
    let mut offsets: Vec<Vec<(usize, usize)>> = Vec::new();
    for sentence in &doc.sentences {
        let mut sentence_offsets = Vec::new();
        for (k, (token, _)) in sentence.iter().enumerate() {
            if k > 0 {
                text.push(' ');
            }
            sentence_offsets.push((text.len(), text.len() + token.len()));
            text.push_str(token);
        }
        text.push('\n');
        offsets.push(sentence_offsets);
    }
    let article = crate::core::article::Article {
        id: String::new(),
        path: String::new(),
        title: String::new(),
        title_derived: true,
        deck: None,
        date: None,
        author: None,
        author_note: None,
        url: None,
        tags: Vec::new(),
        paragraphs: vec![text.clone()],
        body: text,
    };
    let corpus = Corpus::build(vec![article]);
    let mut tags: Vec<Vec<String>> = doc.sentences.iter().map(|s| vec!["O".to_string(); s.len()]).collect();
    let view = corpus.open(0).expect("in memory");
    for m in &view.mentions {
        let Some(ty) = conll_type(corpus.entity(m.entity).kind) else { continue };
        let (ms, me) = (m.start as usize, m.end as usize);
        for (s, sentence_offsets) in offsets.iter().enumerate() {
            for (k, &(ts, te)) in sentence_offsets.iter().enumerate() {
                if ts < me && ms < te {
                    tags[s][k] = format!("I-{ty}");
                }
            }
        }
    }
    tags
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores predicted against gold spans per type, over the given types only.
pub fn score(
    gold: &[(usize, usize, usize, usize, String)],
    predicted: &[(usize, usize, usize, usize, String)],
    types: &[&str],
) -> BTreeMap<String, Counts> {
    let mut by_type: BTreeMap<String, Counts> = types.iter().map(|t| (t.to_string(), Counts::default())).collect();
    let gold_set: std::collections::HashSet<_> = gold.iter().filter(|g| types.contains(&g.4.as_str())).collect();
    for g in &gold_set {
        by_type.get_mut(&g.4).expect("scored type").gold += 1;
    }
    for p in predicted.iter().filter(|p| types.contains(&p.4.as_str())) {
        let c = by_type.get_mut(&p.4).expect("scored type");
        c.predicted += 1;
        if gold_set.contains(p) {
            c.true_positives += 1;
        }
    }
    by_type
}

/// Sum of counts over types.
pub fn micro(counts: &BTreeMap<String, Counts>) -> Counts {
    counts.values().fold(Counts::default(), |a, c| Counts {
        true_positives: a.true_positives + c.true_positives,
        predicted: a.predicted + c.predicted,
        gold: a.gold + c.gold,
    })
}

/// The per-type table and, as its last line, `micro F1=0.xxx P=0.xxx R=0.xxx`: what the
/// `ner_eval` example prints for a CoNLL file.
pub fn report(counts: &BTreeMap<String, Counts>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "type", "gold", "predicted", "correct", "P", "R", "F1"
    );
    for (ty, c) in counts.iter() {
        let _ = writeln!(
            out,
            "{ty:<6} {:>9} {:>9} {:>9} {:>7.3} {:>7.3} {:>7.3}",
            c.gold,
            c.predicted,
            c.true_positives,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    let m = micro(counts);
    let _ = write!(out, "micro F1={:.3} P={:.3} R={:.3}", m.f1(), m.precision(), m.recall());
    out
}

/// Evaluates newsroom on CoNLL documents: spans are `(document, sentence, first, last, type)`.
pub fn evaluate(docs: &[Document], types: &[&str]) -> BTreeMap<String, Counts> {
    use rayon::prelude::*;
    let per_doc: Vec<(Vec<_>, Vec<_>)> = docs
        .par_iter()
        .enumerate()
        .map(|(d, doc)| {
            let gold_tags: Vec<Vec<String>> =
                doc.sentences.iter().map(|s| s.iter().map(|(_, t)| t.clone()).collect()).collect();
            let gold = io_spans(&gold_tags).into_iter().map(|(s, a, b, t)| (d, s, a, b, t)).collect();
            let pred = io_spans(&predict(doc)).into_iter().map(|(s, a, b, t)| (d, s, a, b, t)).collect();
            (gold, pred)
        })
        .collect();
    let gold: Vec<_> = per_doc.iter().flat_map(|(g, _)| g.iter().cloned()).collect();
    let pred: Vec<_> = per_doc.iter().flat_map(|(_, p)| p.iter().cloned()).collect();
    score(&gold, &pred, types)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- O\n\nGeneral I-PER\nAsim I-PER\nMunir I-PER\nvisited O\nKabul I-LOC\n. O\n\nThe O\nTaliban I-ORG\nwaited O\n. O\n";

    #[test]
    fn reads_documents_and_io_spans() {
        let docs = read_conll(SAMPLE);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].sentences.len(), 2);
        let tags: Vec<Vec<String>> =
            docs[0].sentences.iter().map(|s| s.iter().map(|(_, t)| t.clone()).collect()).collect();
        assert_eq!(io_spans(&tags), vec![(0, 0, 2, "PER".into()), (0, 4, 4, "LOC".into()), (1, 1, 1, "ORG".into())]);
    }

    #[test]
    fn scoring_counts_exact_spans_only() {
        let gold = vec![(0, 0, 0, 2, "PER".to_string()), (0, 0, 4, 4, "LOC".to_string())];
        let pred = vec![(0, 0, 1, 2, "PER".to_string()), (0, 0, 4, 4, "LOC".to_string())];
        let counts = score(&gold, &pred, &["PER", "ORG", "LOC"]);
        let m = micro(&counts);
        assert_eq!((m.true_positives, m.predicted, m.gold), (1, 2, 2));
        assert!((m.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn report_ends_with_the_micro_line() {
        let gold = vec![(0, 0, 0, 2, "PER".to_string()), (0, 0, 4, 4, "LOC".to_string())];
        let pred = vec![(0, 0, 0, 2, "PER".to_string())];
        let text = report(&score(&gold, &pred, &["PER", "ORG", "LOC"]));
        assert_eq!(text.lines().last(), Some("micro F1=0.667 P=1.000 R=0.500"));
        assert!(text.lines().any(|l| l.starts_with("PER ") && l.ends_with("1.000")), "{text}");
    }

    #[test]
    fn bio_tags_read_as_io() {
        let tags = vec![vec!["B-PER".to_string(), "I-PER".into(), "O".into(), "B-LOC".into()]];
        assert_eq!(io_spans(&tags), vec![(0, 0, 1, "PER".into()), (0, 3, 3, "LOC".into())]);
    }

    #[test]
    fn newsroom_predictions_align_with_tokens() {
        let docs = read_conll(SAMPLE);
        let counts = evaluate(&docs, &["PER", "ORG", "LOC"]);
        // "General" is a title, not part of the name, so PER misses by one token: newsroom's
        // convention differs from the gold's here, and the scorer must say so.
        assert_eq!(counts["LOC"].true_positives, 1);
        assert_eq!(counts["ORG"].true_positives, 1);
        assert_eq!(counts["PER"].true_positives, 0);
        assert_eq!(counts["PER"].predicted, 1);
    }
}
