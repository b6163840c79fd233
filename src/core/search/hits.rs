//! Where a query's words and phrases are in an article's text: byte offsets found by running the
//! index's own tokenizer over the text (tokens carry their offsets), for snippets, JSON and the
//! reader's `n`/`N`.

use super::query::{Match, Node, TextField};
use tantivy::tokenizer::TokenStream;

use super::{analyzer, fold_words};
use crate::core::corpus::Corpus;
use crate::core::index::Mention;

/// One thing to look for in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Word(String),
    Prefix(String),
    Fuzzy(String, u8),
    Phrase(Vec<String>, u32),
}

/// The patterns of a query that can be seen in the body (not under `-`, not in other fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighter {
    patterns: Vec<Pattern>,
    /// The entities the query's `person:`/`org:`/`place:`/`entity:` name: their mentions are
    /// hits too.
    entities: Vec<u32>,
}

impl Highlighter {
    pub fn new(node: &Node) -> Highlighter {
        let mut patterns = Vec::new();
        collect(node, &mut patterns);
        Highlighter { patterns, entities: Vec::new() }
    }

    /// A highlighter whose hits include the mentions of the entities the query names.
    pub fn for_corpus(node: &Node, corpus: &Corpus) -> Highlighter {
        let mut h = Highlighter::new(node);
        collect_entities(node, corpus, &mut h.entities);
        h.entities.sort_unstable();
        h.entities.dedup();
        h
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.entities.is_empty()
    }

    /// The hits in an article: its words and phrases, and the mentions of the entities named.
    pub fn spans_in(&self, text: &str, mentions: &[Mention]) -> Vec<(usize, usize)> {
        let mut spans = self.spans(text);
        if !self.entities.is_empty() {
            spans.extend(
                mentions
                    .iter()
                    .filter(|m| self.entities.binary_search(&m.entity).is_ok())
                    .map(|m| (m.start as usize, m.end as usize))
                    .filter(|&(s, e)| s < e && e <= text.len()),
            );
            spans.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
            for (s, e) in spans {
                match merged.last_mut() {
                    Some(last) if s < last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            spans = merged;
        }
        spans
    }

    /// The byte ranges in `text` the query's words and phrases match, in order, not overlapping.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut tokens: Vec<(String, usize, usize)> = Vec::new();
        while let Some(t) = stream.next() {
            tokens.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        let mut spans = Vec::new();
        for (i, (tok, from, to)) in tokens.iter().enumerate() {
            for p in &self.patterns {
                match p {
                    Pattern::Word(w) if tok == w => spans.push((*from, *to)),
                    Pattern::Prefix(w) if tok.starts_with(w.as_str()) => spans.push((*from, *to)),
                    Pattern::Fuzzy(w, d) if within(tok, w, *d) => spans.push((*from, *to)),
                    Pattern::Phrase(words, slop) => {
                        if let Some(end) = phrase_at(&tokens, i, words, *slop) {
                            spans.push((*from, tokens[end].2));
                        }
                    }
                    _ => {}
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }
}

fn collect_entities(node: &Node, corpus: &Corpus, out: &mut Vec<u32>) {
    match node {
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| collect_entities(p, corpus, out)),
        Node::Entity { kind, name } => out.extend(super::resolve_entities(corpus, *kind, name)),
        _ => {}
    }
}

fn collect(node: &Node, out: &mut Vec<Pattern>) {
    match node {
        Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| collect(p, out)),
        Node::Word { field: TextField::Default, word, how } => {
            let words = fold_words(word);
            match (how, words.len()) {
                (_, 0) => {}
                (Match::Exact, 1) => out.push(Pattern::Word(words[0].clone())),
                (Match::Exact, _) => out.push(Pattern::Phrase(words, 0)),
                (Match::Prefix, 1) => out.push(Pattern::Prefix(words[0].clone())),
                (Match::Prefix, _) => {
                    // The last word is the prefix: highlight the words before it as a phrase.
                    out.push(Pattern::Phrase(words[..words.len() - 1].to_vec(), 0));
                }
                (Match::Fuzzy(d), _) => out.extend(words.into_iter().map(|w| Pattern::Fuzzy(w, *d))),
            }
        }
        Node::Phrase { field: TextField::Default, text, slop } => {
            let words = fold_words(text);
            match words.len() {
                0 => {}
                1 => out.push(Pattern::Word(words[0].clone())),
                _ => out.push(Pattern::Phrase(words, *slop)),
            }
        }
        _ => {}
    }
}

/// Where the phrase starting at token `i` ends (its last token), if it is there: the words in
/// order, each at most `slop` extra tokens after the one before.
fn phrase_at(tokens: &[(String, usize, usize)], i: usize, words: &[String], slop: u32) -> Option<usize> {
    if tokens[i].0 != words[0] {
        return None;
    }
    let mut at = i;
    let mut spare = slop as usize;
    for w in &words[1..] {
        let mut next = at + 1;
        loop {
            if tokens.get(next)?.0 == *w {
                break;
            }
            if next - at > spare {
                return None;
            }
            next += 1;
        }
        spare -= next - at - 1;
        at = next;
    }
    Some(at)
}

/// Whether `a` is within `d` edits (insertions, deletions, substitutions, transpositions) of `b`.
fn within(a: &str, b: &str, d: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let d = usize::from(d);
    if a.len().abs_diff(b.len()) > d {
        return false;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m] <= d
}

/// A one-line snippet of `text` around its first hit, about `chars` characters long: the line
/// (newlines as spaces, `…` where it is cut) and the hits' byte ranges within it.
pub fn snippet(text: &str, spans: &[(usize, usize)], chars: usize) -> (String, Vec<(usize, usize)>) {
    let first = spans.first().map_or(0, |s| s.0);
    // Start a third of the way back, at a word boundary.
    let lead = chars / 3;
    let mut start = first;
    for (n, (i, _)) in text[..first].char_indices().rev().enumerate() {
        start = i;
        if n >= lead {
            break;
        }
    }
    if start > 0 {
        if let Some(space) = text[start..first].find(char::is_whitespace) {
            start += space + 1;
        }
    }
    let mut end = text[start..].char_indices().nth(chars).map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(char::is_whitespace).filter(|&s| start + s > first) {
            end = start + space;
        }
    }
    let mut line = String::new();
    let mut out_spans = Vec::new();
    if start > 0 {
        line.push('…');
    }
    let mut map = Vec::with_capacity(end - start + 1);
    let mut last_space = false;
    for (i, c) in text[start..end].char_indices() {
        map.push((start + i, line.len()));
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                line.push(' ');
            }
            last_space = true;
        } else {
            line.push(c);
            last_space = false;
        }
    }
    map.push((end, line.len()));
    let at = |b: usize| map.iter().find(|(src, _)| *src >= b).map_or(line.len(), |(_, dst)| *dst);
    for &(s, e) in spans {
        if s >= start && e <= end {
            out_spans.push((at(s), at(e)));
        }
    }
    if end < text.len() {
        line.push('…');
    }
    (line, out_spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::search::query::parse;

    fn spans(q: &str, text: &str) -> Vec<String> {
        Highlighter::new(&parse(q).unwrap()).spans(text).into_iter().map(|(s, e)| text[s..e].to_string()).collect()
    }

    #[test]
    fn words_phrases_prefixes_fuzzy() {
        let text = "The Durand Line runs near Łódź; the durand line again. Talibans and the Taliban.";
        assert_eq!(spans("\"durand line\"", text), ["Durand Line", "durand line"]);
        assert_eq!(spans("lodz", text), ["Łódź"]);
        assert_eq!(spans("talib*", text), ["Talibans", "Taliban"]);
        assert_eq!(spans("talibam~1", text), ["Taliban"]);
        assert_eq!(spans("-durand runs", text), ["runs"]);
        assert_eq!(spans("title:durand", text), Vec::<String>::new());
        assert_eq!(spans("\"durand runs\"~1", text), ["Durand Line runs"]);
    }

    #[test]
    fn snippet_is_one_line_around_the_first_hit() {
        let text = format!("{}\n\nThe mosque in Peshawar was hit.\n\nMore.", "word ".repeat(40));
        let hl = Highlighter::new(&parse("mosque").unwrap());
        let s = hl.spans(&text);
        let (line, hits) = snippet(&text, &s, 40);
        assert!(!line.contains('\n'));
        assert!(line.starts_with('…'));
        assert_eq!(hits.len(), 1);
        assert_eq!(&line[hits[0].0..hits[0].1], "mosque");
    }
}
