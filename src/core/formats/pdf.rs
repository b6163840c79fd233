//! PDF: the text layer in reading order, paragraphs rebuilt across line breaks and hyphenation,
//! running headers, footers and page numbers dropped; title and author from the document's
//! metadata, else the title from the first page's first lines.
//!
//! Text is read by `pdf-extract` (on `lopdf`), which places every glyph; lines and paragraphs
//! are rebuilt here from the glyphs' positions and sizes. Pure-Rust extractors panic or loop on
//! real-world files, so extraction runs on its own thread under `catch_unwind`, bounded by
//! `Limits.max_millis`: a panic or an overrun is a problem for this file, never a crash. While
//! it runs, [`in_isolation`] is true on that thread, so the application's panic hook can stay
//! quiet about panics caught here.

use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use pdf_extract::{Document as Pdf, MediaBox, OutputDev, OutputError, Transform};

use crate::core::document::{Content, Document, Limits, Parsed, ProblemKind, SourceMeta};

const FORMAT: &str = "PDF";

thread_local! {
    static IN_ISOLATION: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is extracting a PDF: a panic here is caught and reported as a
/// problem with the file, so a panic hook need not print it.
pub fn in_isolation() -> bool {
    IN_ISOLATION.with(Cell::get)
}

pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Parsed, ProblemKind> {
    if bytes.is_empty() {
        return Err(ProblemKind::Empty);
    }
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(ProblemKind::malformed(FORMAT, "no %PDF header"));
    }
    let data: Arc<[u8]> = Arc::from(bytes);
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let worker = {
        let cancel = cancel.clone();
        std::thread::Builder::new()
            .name("pdf-extract".into())
            // lopdf bounds its nesting, but deep content still recurses: room to spare.
            .stack_size(32 << 20)
            .spawn(move || {
                IN_ISOLATION.with(|f| f.set(true));
                let result = catch_unwind(AssertUnwindSafe(|| extract(&data, &cancel)));
                IN_ISOLATION.with(|f| f.set(false));
                let _ = tx.send(result);
            })
    };
    if let Err(e) = worker {
        return Err(ProblemKind::Unreadable(format!("could not start the PDF reader: {e}")));
    }
    let limit = Duration::from_millis(limits.max_millis);
    let extracted = match rx.recv_timeout(limit) {
        Ok(Ok(result)) => result?,
        Ok(Err(panic)) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            return Err(ProblemKind::malformed(FORMAT, format!("the PDF reader failed: {why}")));
        }
        Err(_) => {
            // The thread is left to finish on its own; it stops at its next glyph or page.
            cancel.store(true, Ordering::Relaxed);
            let secs = limits.max_millis.div_ceil(1000);
            return Err(ProblemKind::malformed(FORMAT, format!("took longer than {secs} s")));
        }
    };
    assemble(extracted)
}

/// What the worker thread hands back.
struct Extracted {
    info: Info,
    pages: Vec<Vec<Line>>,
    failed_pages: Vec<(u32, String)>,
}

#[derive(Debug, Default)]
struct Info {
    title: Option<String>,
    author: Option<String>,
}

/// One line of text as placed on the page.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// Baseline, from the top of the page.
    y: f64,
    size: f64,
}

fn extract(data: &[u8], cancel: &AtomicBool) -> Result<Extracted, ProblemKind> {
    let mut doc = Pdf::load_mem(data).map_err(|e| ProblemKind::malformed(FORMAT, e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ProblemKind::malformed(FORMAT, "encrypted, a password is needed"));
    }
    let info = metadata(&doc);
    let mut pages = Vec::new();
    let mut failed_pages = Vec::new();
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if numbers.is_empty() {
        return Err(ProblemKind::malformed(FORMAT, "no pages"));
    }
    for number in numbers {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let mut sink = Glyphs::new(cancel);
        // One damaged page does not lose the others.
        let page = catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc_page(&doc, &mut sink, number)));
        match page {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failed_pages.push((number, e.to_string())),
            Err(_) => failed_pages.push((number, "the PDF reader failed on it".into())),
        }
        sink.finish_line();
        pages.push(sink.lines);
    }
    Ok(Extracted { info, pages, failed_pages })
}

/// Collects glyphs into lines, in the order the page draws them.
struct Glyphs<'a> {
    cancel: &'a AtomicBool,
    page_top: f64,
    lines: Vec<Line>,
    current: String,
    y: f64,
    size: f64,
    last_end: f64,
    started: bool,
    new_word: bool,
    glyphs: usize,
}

impl<'a> Glyphs<'a> {
    fn new(cancel: &'a AtomicBool) -> Self {
        Glyphs {
            cancel,
            page_top: 0.0,
            lines: Vec::new(),
            current: String::new(),
            y: 0.0,
            size: 0.0,
            last_end: 0.0,
            started: false,
            new_word: false,
            glyphs: 0,
        }
    }

    fn finish_line(&mut self) {
        let text = self.current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.lines.push(Line { text, y: self.y, size: self.size });
        }
        self.current.clear();
        self.started = false;
    }
}

/// Glyphs on one page past which the rest is dropped (a runaway content stream).
const MAX_GLYPHS_PER_PAGE: usize = 2_000_000;

impl OutputDev for Glyphs<'_> {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_top = media_box.ury;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs.is_multiple_of(4096) && self.cancel.load(Ordering::Relaxed) || self.glyphs > MAX_GLYPHS_PER_PAGE
        {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The side of the square with the area of the transformed font-size square.
        let (sx, sy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (sx * sy).abs().sqrt().max(0.1);
        let (x, y) = (trm.m31, self.page_top - trm.m32);
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        if self.started {
            let moved_down = (y - self.y).abs() > self.size.min(size) * 0.5;
            let moved_back = x < self.last_end - size * 2.0;
            if moved_down || moved_back {
                self.finish_line();
            } else if self.new_word && x > self.last_end + size * 0.1 {
                self.current.push(' ');
            }
        }
        if !self.started {
            self.started = true;
            self.y = y;
            self.size = size;
        }
        self.current.push_str(ch);
        self.size = self.size.max(size);
        self.last_end = x + width * size;
        self.new_word = false;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.new_word = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Title and author from the document information dictionary, else from the XMP metadata.
fn metadata(doc: &Pdf) -> Info {
    let mut info = Info::default();
    let dict = doc.trailer.get(b"Info").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
    if let Some(dict) = dict {
        let field = |key: &[u8]| {
            dict.get(key)
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_str().ok())
                .map(text_string)
                .map(|s| collapse(&s))
                .filter(|s| !s.is_empty())
        };
        info.title = field(b"Title").filter(|t| meaningful_title(t));
        info.author = field(b"Author");
    }
    if info.title.is_none() || info.author.is_none() {
        let xmp = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"Metadata").ok())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_stream().ok())
            .and_then(|s| s.decompressed_content().ok().or_else(|| Some(s.content.clone())));
        if let Some(xmp) = xmp {
            let xmp = String::from_utf8_lossy(&xmp[..xmp.len().min(1 << 20)]).into_owned();
            if info.title.is_none() {
                info.title = xmp_field(&xmp, "dc:title").filter(|t| meaningful_title(t));
            }
            if info.author.is_none() {
                info.author = xmp_field(&xmp, "dc:creator");
            }
        }
    }
    info
}

/// A PDF text string: UTF-16 with a byte-order mark, UTF-8 with one, else PDFDocEncoding (read
/// as Latin-1, which it matches for letters).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Titles that name the file or the program rather than the document.
fn meaningful_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let filename = [".doc", ".docx", ".pdf", ".indd", ".tex", ".odt", ".rtf", ".ps"].iter().any(|e| lower.ends_with(e));
    !(filename || lower == "untitled" || lower.starts_with("microsoft word - ") || lower.starts_with("untitled"))
}

/// The first value of an XMP property (`<dc:title><rdf:Alt><rdf:li>…`), unescaped.
fn xmp_field(xmp: &str, property: &str) -> Option<String> {
    let start = xmp.find(&format!("<{property}"))?;
    let end = xmp[start..].find(&format!("</{property}")).map_or(xmp.len(), |e| start + e);
    let inner = &xmp[start..end];
    let li = inner.find("<rdf:li").map_or(inner, |i| &inner[i..]);
    let open = li.find('>')? + 1;
    let value = &li[open..];
    let value = &value[..value.find('<').unwrap_or(value.len())];
    let value = value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    Some(collapse(&value)).filter(|v| !v.is_empty())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The document from the pages' lines.
fn assemble(extracted: Extracted) -> Result<Parsed, ProblemKind> {
    let Extracted { info, mut pages, failed_pages } = extracted;
    drop_running_lines(&mut pages);
    let paragraphs = paragraphs(&pages);
    if paragraphs.iter().all(|p| p.text.chars().all(|c| !c.is_alphanumeric())) {
        if let Some((number, why)) = failed_pages.first().filter(|_| failed_pages.len() == pages.len()) {
            return Err(ProblemKind::malformed(FORMAT, format!("page {number}: {why}")));
        }
        return Err(ProblemKind::malformed(FORMAT, "no text layer (scanned?)"));
    }
    let title = info.title.or_else(|| first_page_title(&paragraphs));
    let text = paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n\n");
    let problems = failed_pages
        .into_iter()
        .map(|(number, why)| {
            (String::new(), ProblemKind::Partial { detail: format!("page {number} could not be read: {why}") })
        })
        .collect();
    Ok(Parsed {
        documents: vec![Document {
            item: String::new(),
            meta: SourceMeta { title, author: info.author, ..SourceMeta::default() },
            content: Content::Text(text),
            original: None,
        }],
        problems,
    })
}

/// How many lines at the top and bottom of a page may be running heads, feet or page numbers.
const MARGIN_LINES: usize = 3;

/// Drops running headers and footers (the same line, numbers aside, near the top or bottom of
/// most pages) and page numbers.
fn drop_running_lines(pages: &mut [Vec<Line>]) {
    let margin = |page: &[Line], i: usize| i < MARGIN_LINES || i + MARGIN_LINES >= page.len();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut keys: Vec<String> =
            page.iter().enumerate().filter(|(i, _)| margin(page, *i)).map(|(_, l)| running_key(&l.text)).collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let with_text = pages.iter().filter(|p| !p.is_empty()).count();
    let repeated = |key: &str| with_text >= 2 && seen.get(key).is_some_and(|&n| n >= 2 && n * 2 > with_text);
    for page in pages.iter_mut() {
        let len = page.len();
        let mut i = 0;
        page.retain(|line| {
            let at = i;
            i += 1;
            let in_margin = at < MARGIN_LINES || at + MARGIN_LINES >= len;
            !(in_margin && (is_page_number(&line.text) || repeated(&running_key(&line.text))))
        });
    }
}

/// A line with its numbers blanked out, so "Page 3" and "Page 4" are the same running line.
fn running_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            if !in_number {
                key.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            key.push(c);
        }
    }
    key
}

/// "7", "- 7 -", "Page 7", "Page 7 of 12", "7 / 12", "vii".
fn is_page_number(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace()).to_lowercase();
    let t = t.strip_prefix("page").map_or(t.as_str(), str::trim_start);
    let words: Vec<&str> = t.split(|c: char| c.is_whitespace() || c == '/').filter(|w| !w.is_empty()).collect();
    let number = |w: &str| {
        (w.len() <= 5 && w.bytes().all(|b| b.is_ascii_digit()))
            || (w.len() <= 6 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l')))
    };
    match words.as_slice() {
        [n] => number(n),
        [n, of, m] => number(n) && *of == "of" && number(m),
        [n, m] => number(n) && number(m),
        _ => false,
    }
}

struct Paragraph {
    text: String,
    size: f64,
    /// On the first page with text.
    first_page: bool,
}

/// Lines joined into paragraphs: a new paragraph where the gap between lines is larger than the
/// page's usual line spacing or the type size changes; a line broken after a hyphen is joined
/// without it; a paragraph running on to the next page is continued.
fn paragraphs(pages: &[Vec<Line>]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut open = false; // whether the last paragraph may continue
    let mut seen_text = false;
    for page in pages {
        if page.is_empty() {
            continue;
        }
        let first_page = !seen_text;
        seen_text = true;
        let spacing = usual_spacing(page);
        for (i, line) in page.iter().enumerate() {
            let continues = if i == 0 {
                open && out.last().is_some_and(|p| same_size(p.size, line.size) && !ends_sentence(&p.text))
            } else {
                let previous = &page[i - 1];
                let gap = line.y - previous.y;
                same_size(previous.size, line.size) && gap > 0.0 && gap <= (spacing * 1.3).max(line.size * 1.5)
            };
            match out.last_mut() {
                Some(p) if continues => {
                    join_line(&mut p.text, &line.text);
                }
                _ => out.push(Paragraph { text: line.text.clone(), size: line.size, first_page }),
            }
        }
        open = true;
    }
    out
}

/// The most common distance between consecutive lines of a page.
fn usual_spacing(page: &[Line]) -> f64 {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for pair in page.windows(2) {
        let gap = pair[1].y - pair[0].y;
        if gap > 0.0 && same_size(pair[0].size, pair[1].size) {
            *counts.entry((gap * 2.0).round() as i64).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(gap, n)| (n, -gap))
        .map_or_else(|| page.first().map_or(12.0, |l| l.size * 1.2), |(gap, _)| gap as f64 / 2.0)
}

fn same_size(a: f64, b: f64) -> bool {
    (a - b).abs() <= a.max(b) * 0.12
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', ':', '"', '”', '’', ')'])
}

/// Appends a line to a paragraph: "reconstruc-" + "tion" → "reconstruction".
fn join_line(paragraph: &mut String, line: &str) {
    let ends_hyphen = paragraph.ends_with('-') || paragraph.ends_with('\u{ad}');
    let before_hyphen = paragraph.chars().rev().nth(1);
    let next_lower = line.chars().next().is_some_and(char::is_lowercase);
    let broken_word = ends_hyphen && before_hyphen.is_some_and(char::is_alphabetic) && next_lower;
    if broken_word || paragraph.ends_with('\u{ad}') {
        paragraph.pop();
        paragraph.push_str(line);
    } else {
        paragraph.push(' ');
        paragraph.push_str(line);
    }
}

/// The first paragraph of the first page, when it is short and set at least as large as the
/// text after it.
fn first_page_title(paragraphs: &[Paragraph]) -> Option<String> {
    let first = paragraphs.first().filter(|p| p.first_page)?;
    let body_size =
        paragraphs.iter().skip(1).find(|p| p.text.split_whitespace().count() > 20).map_or(first.size, |p| p.size);
    let words = first.text.split_whitespace().count();
    (words <= 25 && first.size >= body_size * 0.99 && first.text.chars().any(char::is_alphabetic))
        .then(|| first.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/mixed/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn text(parsed: &Parsed) -> &str {
        match &parsed.documents[0].content {
            Content::Text(t) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn report_has_its_metadata_and_clean_text() {
        let parsed = parse(&fixture("report.pdf"), &Limits::default()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let doc = &parsed.documents[0];
        assert_eq!(doc.meta.title.as_deref(), Some("ADB approves $475 million for Sindh flood reconstruction"));
        assert_eq!(doc.meta.author.as_deref(), Some("Saira Baloch"));
        let body = text(&parsed);
        // The two-line headline is one paragraph, the byline another.
        assert!(
            body.starts_with("ADB approves $475 million for Sindh flood reconstruction\n\nBy Saira Baloch"),
            "{body}"
        );
        assert!(body.contains("the priority was the reconstruction of 1,200 schools"), "{body}");
        assert!(!body.contains("South Asia Development Monitor") && !body.contains("Regional briefing"), "{body}");
        // Page numbers gone: no paragraph is a bare number.
        assert!(body.split("\n\n").all(|p| !is_page_number(p)), "{body}");
        // Paragraphs rebuilt: line breaks joined with a space, one blank line between them.
        assert!(body.contains("help Pakistan rebuild schools"), "{body}");
        assert!(!body.contains("\n\n\n") && !body.contains('\r'));
        let paragraphs: Vec<&str> = body.split("\n\n").collect();
        assert!(paragraphs.iter().any(|p| p.starts_with("Aid groups welcomed the loan")), "{body}");
        assert!(paragraphs.iter().any(|p| p.starts_with("Nazia Memon, who heads")), "{body}");
        // The page break falls between paragraphs: the first page's last one ends whole.
        assert!(paragraphs.iter().any(|p| p.ends_with("agreed with the fund.")), "{body}");
    }

    #[test]
    fn a_title_from_the_first_lines_when_the_metadata_has_none() {
        let parsed = parse(&fixture("untitled.pdf"), &Limits::default()).unwrap();
        let doc = &parsed.documents[0];
        assert_eq!(doc.meta.title.as_deref(), Some("Monsoon rains flood Karachi streets"));
        assert_eq!(doc.meta.author, None);
        assert!(text(&parsed).contains("Karachi Metropolitan Corporation"));
    }

    #[test]
    fn a_scan_without_text_is_a_problem() {
        let result = parse(&fixture("scanned.pdf"), &Limits::default());
        assert_eq!(result, Err(ProblemKind::malformed("PDF", "no text layer (scanned?)")));
    }

    #[test]
    fn truncated_and_corrupted_pdfs_are_problems_not_crashes() {
        let pdf = fixture("report.pdf");
        for cut in [0, 9, 100, pdf.len() / 3, pdf.len() / 2, pdf.len() - 200, pdf.len() - 1] {
            let result = parse(&pdf[..cut], &Limits::default());
            if let Err(problem) = &result {
                assert!(matches!(problem, ProblemKind::Malformed { .. } | ProblemKind::Empty), "{problem:?}");
            }
        }
        // Garbage in the middle of every stream.
        let mut damaged = pdf.clone();
        let mut from = 0;
        while let Some(p) = damaged[from..].windows(6).position(|w| w == b"stream") {
            let at = from + p + 8;
            for b in damaged.iter_mut().skip(at).take(12) {
                *b = b'#';
            }
            from = at + 12;
            if from >= damaged.len() {
                break;
            }
        }
        let result = parse(&damaged, &Limits::default());
        assert!(
            result.is_err()
                || !result.as_ref().unwrap().problems.is_empty()
                || !text(result.as_ref().unwrap()).is_empty()
        );
    }

    #[test]
    fn in_isolation_is_set_only_on_the_extraction_thread() {
        assert!(!in_isolation());
        let _ = parse(&fixture("report.pdf"), &Limits::default());
        assert!(!in_isolation());
    }

    #[test]
    fn an_overrun_is_reported_with_the_limit() {
        let limits = Limits { max_millis: 0, ..Limits::default() };
        let result = parse(&fixture("report.pdf"), &limits);
        // With no time at all the reader cannot finish (or only just does).
        if let Err(problem) = result {
            assert_eq!(problem, ProblemKind::malformed("PDF", "took longer than 0 s"));
        }
    }

    #[test]
    fn page_numbers_are_recognised() {
        for yes in ["7", "- 7 -", "Page 7", "page 7 of 12", "7 / 12", "xii"] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["7 killed in Quetta", "Page one", "Section 7 of the act", "7 July"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn hyphenated_line_breaks_are_joined() {
        let mut p = String::from("the reconstruc-");
        join_line(&mut p, "tion of schools");
        assert_eq!(p, "the reconstruction of schools");
        let mut p = String::from("a Pakistan-");
        join_line(&mut p, "India deal");
        assert_eq!(p, "a Pakistan- India deal");
        let mut p = String::from("costs fell by 5 -");
        join_line(&mut p, "and rose");
        assert_eq!(p, "costs fell by 5 - and rose");
    }

    #[test]
    fn metadata_strings_are_decoded() {
        assert_eq!(text_string(b"\xfe\xff\x00J\x00o\x00s\x00\xe9"), "José");
        assert_eq!(text_string(b"Jos\xe9"), "José");
        assert_eq!(
            xmp_field(
                "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Floods &amp; aid</rdf:li></rdf:Alt></dc:title>",
                "dc:title"
            )
            .as_deref(),
            Some("Floods & aid")
        );
        assert!(!meaningful_title("Microsoft Word - draft3.docx"));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let mut with_header = b"%PDF-1.4\n".to_vec();
            with_header.extend_from_slice(&bytes);
            let _ = parse(&bytes, &Limits::default());
            let _ = parse(&with_header, &Limits::default());
        }

        #[test]
        fn mutated_reports_never_panic(flips in proptest::collection::vec((0usize..4000, any::<u8>()), 1..16), cut in 0usize..4000) {
            let mut pdf = fixture("report.pdf");
            for &(at, b) in &flips {
                let i = at % pdf.len();
                pdf[i] = b;
            }
            pdf.truncate(cut.max(16).min(pdf.len()));
            if let Ok(parsed) = parse(&pdf, &Limits::default()) {
                prop_assert_eq!(parsed.documents.len(), 1);
            }
        }
    }
}
