//! The reader's lines: an article laid out for a width, each body line tied to its byte range in
//! the body so highlights and mention jumps find their line.

use crate::core::corpus::{ArticleMeta, ArticleText};
use crate::core::text::{wrap, wrap_spans};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Deck,
    Blank,
    /// Body text: `body[start..end]`.
    Body {
        start: usize,
        end: usize,
    },
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderLine {
    pub kind: LineKind,
    /// The text of lines that are not body text.
    pub text: String,
}

/// Lays out an article: title, date · author · words, deck, then wrapped paragraphs.
pub fn layout(article: &ArticleMeta, text: &ArticleText, width: usize) -> Vec<ReaderLine> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut push = |kind, text: String| lines.push(ReaderLine { kind, text });
    for l in wrap(&article.title, width) {
        push(LineKind::Title, l);
    }
    let mut meta = Vec::new();
    if article.title_derived {
        // The title above is the opening sentence: the source had no headline.
        meta.push("title from the text".to_string());
    }
    if let Some(d) = &article.date {
        meta.push(d.clone());
    }
    if let Some(a) = &article.author {
        meta.push(format!("by {a}"));
    }
    meta.push(format!("{} words", article.words));
    for l in wrap(&meta.join(" · "), width) {
        push(LineKind::Meta, l);
    }
    if let Some(deck) = &text.deck {
        push(LineKind::Blank, String::new());
        for l in wrap(deck, width) {
            push(LineKind::Deck, l);
        }
    }
    for (p, offset) in text.body.split(crate::core::article::PARAGRAPH_SEPARATOR).zip(text.paragraph_offsets()) {
        if p.is_empty() {
            continue;
        }
        push(LineKind::Blank, String::new());
        for (s, e) in wrap_spans(p, width) {
            push(LineKind::Body { start: offset + s, end: offset + e }, String::new());
        }
    }
    if let Some(note) = &text.author_note {
        push(LineKind::Blank, String::new());
        for l in wrap(&format!("— {note}"), width) {
            push(LineKind::Note, l);
        }
    }
    lines
}

/// The line holding body byte `offset`.
pub fn line_of(lines: &[ReaderLine], offset: usize) -> Option<usize> {
    lines.iter().position(|l| matches!(l.kind, LineKind::Body { start, end } if start <= offset && offset <= end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cache::open_bundled;
    use crate::core::ingest::LoadOptions;

    #[test]
    fn body_lines_cover_every_paragraph_and_fit_the_width() {
        let corpus = open_bundled(&LoadOptions::default()).0;
        for (i, meta) in corpus.articles.iter().enumerate() {
            let a = corpus.open(i).unwrap().text;
            let lines = layout(meta, &a, 40);
            let mut covered = 0;
            for l in &lines {
                if let LineKind::Body { start, end } = l.kind {
                    assert!(crate::core::text::width(&a.body[start..end]) <= 40);
                    covered += end - start;
                }
            }
            let text_bytes: usize = a.body.split_whitespace().map(str::len).sum();
            assert!(covered >= text_bytes, "{} < {}", covered, text_bytes);
            let last = a.body.len() - 1;
            assert!(line_of(&lines, last).is_some());
        }
    }
}
