//! EPUB (2 and 3): one document per chapter in reading (spine) order, titled from the table of
//! contents (`nav.xhtml` or `toc.ncx`), with the book's title, author and date as fallback
//! metadata. A book whose chapters are too short to read alone is one document.
//!
//! Read with `zip` and `quick-xml` directly: every file is taken out of the zip through the
//! same limits as an archive member (`max_bytes` each, `max_unpacked` in all), which an EPUB
//! library reading whole entries would not do.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::core::document::{human_size, Content, Document, Limits, Parsed, ProblemKind, SourceMeta};

const FORMAT: &str = "EPUB";
/// A book shorter than this is read as one document.
const MIN_BOOK_WORDS: usize = 1_000;
/// A chapter shorter than this is too short to read alone; when most are, the book is one
/// document.
const MIN_CHAPTER_WORDS: usize = 150;

pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Parsed, ProblemKind> {
    if bytes.is_empty() {
        return Err(ProblemKind::Empty);
    }
    let mut book = Book::open(bytes, limits)?;
    let opf_path = book.rootfile()?;
    let opf = book.text(&opf_path)?;
    let package = Package::read(&opf, &opf_path);
    if package.spine.is_empty() {
        return Err(ProblemKind::malformed(FORMAT, "the package lists no chapters"));
    }
    if book.encrypted_content()? {
        return Err(ProblemKind::malformed(FORMAT, "the chapters are encrypted (DRM)"));
    }
    let titles = book.toc_titles(&package);

    let mut chapters = Vec::new();
    let mut problems = Vec::new();
    for href in &package.spine {
        let path = resolve(&opf_path, href);
        match book.text(&path) {
            Ok(xhtml) => {
                let body = body_of(&xhtml).to_string();
                let words = word_count(&body);
                if words > 0 {
                    chapters.push(Chapter { href: href.clone(), title: titles.get(&path).cloned(), body, words });
                }
            }
            Err(problem) if matches!(problem, ProblemKind::Partial { .. }) => {
                problems.push((href.clone(), problem));
                break; // the book's unpacked-size budget is spent
            }
            Err(problem) => problems.push((href.clone(), problem)),
        }
    }
    if chapters.is_empty() {
        return Err(problems.pop().map_or(ProblemKind::malformed(FORMAT, "no chapter has any text"), |p| p.1));
    }

    let meta = SourceMeta {
        title: package.title.clone(),
        date: package.date.clone(),
        author: package.author.clone(),
        ..SourceMeta::default()
    };
    let total: usize = chapters.iter().map(|c| c.words).sum();
    let short = chapters.iter().filter(|c| c.words < MIN_CHAPTER_WORDS).count();
    if total < MIN_BOOK_WORDS || short * 2 > chapters.len() || chapters.len() == 1 {
        let mut html = String::new();
        for chapter in &chapters {
            html.push_str("<section>");
            html.push_str(&chapter.body);
            html.push_str("</section>\n");
        }
        let mut meta = meta;
        if meta.title.is_none() && chapters.len() == 1 {
            meta.title = chapters[0].title.clone();
        }
        return Ok(Parsed {
            documents: vec![Document { item: String::new(), meta, content: Content::Fragment(html), original: None }],
            problems,
        });
    }

    let mut documents = Vec::new();
    let count = chapters.len();
    for chapter in chapters {
        if documents.len() >= limits.max_items {
            let detail = format!("only the first {} of {count} chapters read", limits.max_items);
            problems.push((String::new(), ProblemKind::Partial { detail }));
            break;
        }
        let title = chapter.title.or_else(|| first_heading(&chapter.body)).or_else(|| meta.title.clone());
        documents.push(Document {
            item: chapter.href,
            meta: SourceMeta { title, ..meta.clone() },
            content: Content::Fragment(chapter.body),
            original: None,
        });
    }
    Ok(Parsed { documents, problems })
}

struct Chapter {
    href: String,
    title: Option<String>,
    body: String,
    words: usize,
}

/// The zip, and how much has been unpacked from it.
struct Book<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    unpacked: u64,
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Self, ProblemKind> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ProblemKind::malformed(FORMAT, format!("not a zip file: {e}")))?;
        Ok(Book { zip, limits, unpacked: 0 })
    }

    /// One file of the book as text, within the limits.
    fn text(&mut self, path: &str) -> Result<String, ProblemKind> {
        let left = self.limits.max_unpacked.saturating_sub(self.unpacked);
        let cap = self.limits.max_bytes.min(left);
        let file = self.zip.by_name(path).map_err(|e| ProblemKind::malformed(FORMAT, format!("{path}: {e}")))?;
        let mut bytes = Vec::new();
        let read = file.take(cap.saturating_add(1)).read_to_end(&mut bytes);
        self.unpacked += bytes.len() as u64;
        if bytes.len() as u64 > cap {
            let detail = if cap == self.limits.max_bytes {
                format!("{path} is larger than {}", human_size(cap))
            } else {
                format!("the book unpacks to more than {}", human_size(self.limits.max_unpacked))
            };
            return Err(ProblemKind::Partial { detail });
        }
        read.map_err(|e| ProblemKind::malformed(FORMAT, format!("{path}: {e}")))?;
        Ok(decode(&bytes))
    }

    /// The package document's path, from `META-INF/container.xml`, else the first `.opf` file.
    fn rootfile(&mut self) -> Result<String, ProblemKind> {
        if let Ok(container) = self.text("META-INF/container.xml") {
            let mut found = None;
            walk(&container, |ev| {
                if let Xml::Start { name, attrs, .. } = ev {
                    if name == "rootfile" && found.is_none() {
                        found = attr(&attrs, "full-path").map(|p| percent_decode(p.trim_start_matches('/')));
                    }
                }
            });
            if let Some(path) = found {
                return Ok(path);
            }
        }
        self.zip
            .file_names()
            .flatten()
            .find(|n| n.to_ascii_lowercase().ends_with(".opf"))
            .map(|n| n.into_owned())
            .ok_or_else(|| ProblemKind::malformed(FORMAT, "no package document (container.xml or .opf)"))
    }

    /// Whether chapters (not just fonts, which are often obfuscated) are encrypted.
    fn encrypted_content(&mut self) -> Result<bool, ProblemKind> {
        if self.zip.index_for_name("META-INF/encryption.xml").is_none() {
            return Ok(false);
        }
        let xml = self.text("META-INF/encryption.xml").unwrap_or_default();
        let mut content = false;
        walk(&xml, |ev| {
            if let Xml::Start { name, attrs, .. } = ev {
                if name == "CipherReference" {
                    let uri = attr(&attrs, "URI").unwrap_or_default().to_ascii_lowercase();
                    content |= uri.ends_with(".xhtml") || uri.ends_with(".html") || uri.ends_with(".htm");
                }
            }
        });
        Ok(content)
    }

    /// Chapter titles by chapter path, from the EPUB 3 navigation document, else the NCX.
    fn toc_titles(&mut self, package: &Package) -> HashMap<String, String> {
        let mut titles = HashMap::new();
        if let Some(nav) = &package.nav {
            if let Ok(xhtml) = self.text(nav) {
                read_nav(&xhtml, nav, &mut titles);
            }
        }
        if titles.is_empty() {
            if let Some(ncx) = &package.ncx {
                if let Ok(xml) = self.text(ncx) {
                    read_ncx(&xml, ncx, &mut titles);
                }
            }
        }
        titles
    }
}

/// Decodes an XHTML or XML file: UTF-8 (the EPUB rule), or UTF-16 with a byte-order mark.
fn decode(bytes: &[u8]) -> String {
    let (text, _, _) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, _)) => encoding.decode(bytes),
        None => encoding_rs::UTF_8.decode(bytes),
    };
    text.into_owned()
}

/// What the package document says.
#[derive(Debug, Default)]
struct Package {
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    /// Chapter hrefs (relative to the package document) in reading order.
    spine: Vec<String>,
    /// Paths in the zip of the navigation document and the NCX.
    nav: Option<String>,
    ncx: Option<String>,
}

impl Package {
    fn read(opf: &str, opf_path: &str) -> Package {
        let mut package = Package::default();
        let mut items: HashMap<String, (String, String)> = HashMap::new(); // id → (href, media type)
        let mut spine_ids = Vec::new();
        let mut spine_toc = None;
        let mut creators: Vec<(String, Option<String>)> = Vec::new(); // (name, role)
        let mut current: Option<(String, Vec<(String, String)>)> = None;
        let mut text = String::new();
        walk(opf, |ev| match ev {
            Xml::Start { name, attrs, empty } => match name.as_str() {
                "item" => {
                    let (Some(id), Some(href)) = (attr(&attrs, "id"), attr(&attrs, "href")) else { return };
                    let media = attr(&attrs, "media-type").unwrap_or_default().to_string();
                    if attr(&attrs, "properties").is_some_and(|p| p.split_whitespace().any(|p| p == "nav")) {
                        package.nav = Some(resolve(opf_path, href));
                    }
                    items.insert(id.to_string(), (href.to_string(), media));
                }
                "itemref" if attr(&attrs, "linear") != Some("no") => {
                    if let Some(id) = attr(&attrs, "idref") {
                        spine_ids.push(id.to_string());
                    }
                }
                "spine" => spine_toc = attr(&attrs, "toc").map(str::to_string),
                "title" | "creator" | "date" if !empty => {
                    current = Some((name, attrs));
                    text.clear();
                }
                _ => {}
            },
            Xml::Text(t) => {
                if current.is_some() {
                    text.push_str(&t);
                }
            }
            Xml::End { name } => {
                let Some((open, attrs)) = current.take_if(|(open, _)| *open == name) else { return };
                let value = collapse(&text);
                if value.is_empty() {
                    return;
                }
                match open.as_str() {
                    "title" if package.title.is_none() => package.title = Some(value),
                    "creator" => creators.push((value, attr(&attrs, "role").map(str::to_string))),
                    "date" if package.date.is_none() => package.date = crate::core::dates::metadata_date(&value),
                    _ => {}
                }
            }
        });
        package.author = creators
            .iter()
            .find(|(_, role)| role.as_deref() == Some("aut"))
            .or_else(|| creators.first())
            .map(|(name, _)| name.clone());
        for id in spine_ids {
            if let Some((href, media)) = items.get(&id) {
                let media = media.to_ascii_lowercase();
                if media.contains("html") || media.is_empty() {
                    package.spine.push(href.clone());
                }
            }
        }
        let ncx_item = spine_toc
            .and_then(|id| items.get(&id))
            .or_else(|| items.values().find(|(_, media)| media == "application/x-dtbncx+xml"));
        package.ncx = ncx_item.map(|(href, _)| resolve(opf_path, href));
        package
    }
}

fn read_nav(xhtml: &str, nav_path: &str, titles: &mut HashMap<String, String>) {
    // Inside <nav epub:type="toc">: each <a href>'s text.
    let mut in_toc = 0usize;
    let mut link: Option<String> = None;
    let mut text = String::new();
    walk(xhtml, |ev| match ev {
        Xml::Start { name, attrs, empty } => {
            if name == "nav" && !empty {
                if in_toc > 0 || attr(&attrs, "type").is_some_and(|t| t.split_whitespace().any(|t| t == "toc")) {
                    in_toc += 1;
                }
            } else if name == "a" && in_toc > 0 && !empty {
                link = attr(&attrs, "href").map(|h| resolve(nav_path, h));
                text.clear();
            }
        }
        Xml::Text(t) => {
            if link.is_some() {
                text.push_str(&t);
            }
        }
        Xml::End { name } => {
            if name == "a" {
                if let Some(path) = link.take() {
                    let title = collapse(&text);
                    if !title.is_empty() {
                        titles.entry(path).or_insert(title);
                    }
                }
            } else if name == "nav" && in_toc > 0 {
                in_toc -= 1;
            }
        }
    });
}

fn read_ncx(xml: &str, ncx_path: &str, titles: &mut HashMap<String, String>) {
    // navPoint > navLabel > text, then navPoint > content@src. Nested navPoints each have their own.
    let mut labels: Vec<String> = Vec::new();
    let mut in_text = false;
    walk(xml, |ev| match ev {
        Xml::Start { name, attrs, empty } => match name.as_str() {
            "navPoint" if !empty => labels.push(String::new()),
            "text" if !empty => in_text = !labels.is_empty(),
            "content" => {
                if let (Some(src), Some(label)) = (attr(&attrs, "src"), labels.last()) {
                    let title = collapse(label);
                    if !title.is_empty() {
                        titles.entry(resolve(ncx_path, src)).or_insert(title);
                    }
                }
            }
            _ => {}
        },
        Xml::Text(t) => {
            if in_text {
                if let Some(label) = labels.last_mut() {
                    label.push_str(&t);
                }
            }
        }
        Xml::End { name } => match name.as_str() {
            "text" => in_text = false,
            "navPoint" => {
                labels.pop();
            }
            _ => {}
        },
    });
}

/// What the XML walk reports: names are local (no prefix), texts have references resolved.
enum Xml {
    Start { name: String, attrs: Vec<(String, String)>, empty: bool },
    End { name: String },
    Text(String),
}

/// Walks an XML document, forgiving of what real EPUBs get wrong (mismatched end tags, stray
/// ampersands); stops at the first error it cannot step over.
fn walk(xml: &str, mut f: impl FnMut(Xml)) {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let local = |q: &str| q.rsplit(':').next().unwrap_or_default().to_string();
    loop {
        match reader.read_event() {
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                let empty = matches!(ev, Event::Empty(_));
                let (Event::Start(e) | Event::Empty(e)) = ev else { unreachable!() };
                let attrs = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .map(|a| {
                        let value = a
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map_or_else(|_| a.value.to_string(), |v| v.into_owned());
                        (local(a.key.as_ref()), value)
                    })
                    .collect();
                f(Xml::Start { name: local(e.name().as_ref()), attrs, empty });
                if empty {
                    f(Xml::End { name: local(e.name().as_ref()) });
                }
            }
            Ok(Event::End(e)) => f(Xml::End { name: local(e.name().as_ref()) }),
            Ok(Event::Text(t)) => f(Xml::Text(t.xml10_content().into_owned())),
            Ok(Event::CData(t)) => f(Xml::Text(t.xml10_content().into_owned())),
            Ok(Event::GeneralRef(r)) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match r.as_ref() {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        "nbsp" => Some("\u{a0}".into()),
                        _ => None,
                    },
                };
                if let Some(s) = resolved {
                    f(Xml::Text(s));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

fn attr<'v>(attrs: &'v [(String, String)], name: &str) -> Option<&'v str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The path in the zip of `href`, written in the file at `base`: relative to its folder,
/// percent-decoded, without a `#fragment`.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let href = percent_decode(href);
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base.rsplit_once('/').map(|(dir, _)| dir.split('/').collect()).unwrap_or_default()
    };
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The inside of `<body>`, or the whole text when it has none.
fn body_of(xhtml: &str) -> &str {
    let lower = xhtml.to_ascii_lowercase();
    let Some(open) = lower.find("<body") else { return xhtml };
    let Some(gt) = lower[open..].find('>') else { return xhtml };
    let start = open + gt + 1;
    let end = lower.rfind("</body").filter(|&e| e >= start).unwrap_or(xhtml.len());
    xhtml[start..end].trim()
}

/// Words of text outside tags, roughly.
fn word_count(html: &str) -> usize {
    let mut words = 0;
    let mut in_tag = false;
    let mut in_word = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_alphanumeric() && !in_word => {
                words += 1;
                in_word = true;
            }
            c if c.is_whitespace() => in_word = false,
            _ => {}
        }
    }
    words
}

/// The text of the first `<h1>`–`<h3>`.
fn first_heading(html: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut text = String::new();
    let mut done = false;
    walk(html, |ev| {
        if done {
            return;
        }
        match ev {
            Xml::Start { name, empty: false, .. } if matches!(name.as_str(), "h1" | "h2" | "h3") => depth += 1,
            Xml::Text(t) if depth > 0 => text.push_str(&t),
            Xml::End { name } if depth > 0 && matches!(name.as_str(), "h1" | "h2" | "h3") => {
                depth -= 1;
                done = depth == 0;
            }
            _ => {}
        }
    });
    Some(collapse(&text)).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/mixed/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn html(doc: &Document) -> &str {
        match &doc.content {
            Content::Fragment(t) => t,
            other => panic!("{other:?}"),
        }
    }

    /// A small EPUB 2 (NCX, no nav) with the given chapters.
    fn epub2(chapters: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/epub+zip").unwrap();
        zip.start_file("META-INF/container.xml", stored).unwrap();
        zip.write_all(br#"<container><rootfiles><rootfile full-path="book.opf"/></rootfiles></container>"#).unwrap();
        let mut manifest = String::new();
        let mut spine = String::new();
        let mut nav = String::new();
        for (i, (title, _)) in chapters.iter().enumerate() {
            manifest.push_str(&format!(r#"<item id="c{i}" href="ch%20{i}.html" media-type="application/xhtml+xml"/>"#));
            spine.push_str(&format!(r#"<itemref idref="c{i}"/>"#));
            nav.push_str(&format!(
                r#"<navPoint id="n{i}"><navLabel><text>{title}</text></navLabel><content src="ch%20{i}.html#start"/></navPoint>"#
            ));
        }
        zip.start_file("book.opf", stored).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/"><metadata>
            <dc:title>Dispatches from Quetta &amp; Kandahar</dc:title><dc:creator opf:role="edt">An Editor</dc:creator>
            <dc:creator opf:role="aut">Omar Khan</dc:creator><dc:date>2019</dc:date></metadata>
            <manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{manifest}</manifest>
            <spine toc="ncx">{spine}</spine></package>"#
        )
        .unwrap();
        zip.start_file("toc.ncx", stored).unwrap();
        write!(zip, r#"<ncx><navMap>{nav}</navMap></ncx>"#).unwrap();
        for (i, (_, body)) in chapters.iter().enumerate() {
            zip.start_file(format!("ch {i}.html"), stored).unwrap();
            write!(zip, "<html><head><title>x</title></head><body>{body}</body></html>").unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn book_gives_one_document_per_chapter_in_spine_order() {
        let parsed = parse(&fixture("book.epub"), &Limits::default()).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let titles: Vec<_> = parsed.documents.iter().map(|d| d.meta.title.as_deref().unwrap()).collect();
        assert_eq!(titles, ["The River Rises", "Counting the Cost", "Building Back"]);
        let items: Vec<_> = parsed.documents.iter().map(|d| d.item.as_str()).collect();
        assert_eq!(items, ["text/chapter-1.xhtml", "text/chapter-2.xhtml", "text/chapter-3.xhtml"]);
        for doc in &parsed.documents {
            assert_eq!(doc.meta.author.as_deref(), Some("Mariam Qadir"));
            assert_eq!(doc.meta.date.as_deref(), Some("2024-09-02"));
            assert!(!html(doc).contains("<head") && !html(doc).contains("stylesheet"), "{}", html(doc));
        }
        assert!(html(&parsed.documents[0]).contains("the Indus broke through the embankment near Sukkur"));
        assert!(html(&parsed.documents[2]).contains("Sakina Bibi moved into one of the new brick houses"));
    }

    #[test]
    fn tiny_chapters_make_one_document() {
        let book =
            epub2(&[("One", "<h1>One</h1><p>Short text from Quetta.</p>"), ("Two", "<p>More from Kandahar.</p>")]);
        let parsed = parse(&book, &Limits::default()).unwrap();
        assert_eq!(parsed.documents.len(), 1);
        let doc = &parsed.documents[0];
        assert_eq!(doc.item, "");
        assert_eq!(doc.meta.title.as_deref(), Some("Dispatches from Quetta & Kandahar"));
        assert_eq!(doc.meta.author.as_deref(), Some("Omar Khan"));
        assert_eq!(doc.meta.date, None, "a bare year is not a date");
        let text = html(doc);
        assert!(text.find("Quetta.").unwrap() < text.find("Kandahar.").unwrap());
    }

    #[test]
    fn ncx_titles_and_escaped_hrefs_are_followed() {
        let long = |place: &str| format!("<p>{}</p>", format!("News from {place} today. ").repeat(150));
        let (a, b) = (long("Quetta"), long("Kandahar"));
        let book = epub2(&[("Quetta &amp; beyond", &a), ("Kandahar", &b)]);
        let parsed = parse(&book, &Limits::default()).unwrap();
        let titles: Vec<_> = parsed.documents.iter().map(|d| d.meta.title.as_deref().unwrap()).collect();
        assert_eq!(titles, ["Quetta & beyond", "Kandahar"]);
        assert_eq!(parsed.documents[0].item, "ch%200.html");

        let limits = Limits { max_items: 1, ..Limits::default() };
        let parsed = parse(&book, &limits).unwrap();
        assert_eq!(parsed.documents.len(), 1);
        assert!(matches!(parsed.problems[..], [(_, ProblemKind::Partial { .. })]));
    }

    #[test]
    fn a_chapter_over_the_limit_is_a_problem_not_a_crash() {
        let limits = Limits { max_bytes: 3000, ..Limits::default() };
        let parsed = parse(&fixture("book.epub"), &limits);
        // Each chapter is larger than 3,000 bytes unpacked.
        assert!(parsed.is_err(), "{parsed:?}");
        let limits = Limits { max_unpacked: 9000, ..Limits::default() };
        let parsed = parse(&fixture("book.epub"), &limits).unwrap();
        assert!(parsed.problems.iter().any(|(_, p)| matches!(p, ProblemKind::Partial { .. })));
    }

    #[test]
    fn paths_resolve_relative_to_their_file() {
        assert_eq!(resolve("OEBPS/content.opf", "text/ch%201.xhtml#p3"), "OEBPS/text/ch 1.xhtml");
        assert_eq!(resolve("OEBPS/text/nav.xhtml", "../text/a.xhtml"), "OEBPS/text/a.xhtml");
        assert_eq!(resolve("content.opf", "a.xhtml"), "a.xhtml");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e2%80%93"), "–");
    }

    #[test]
    fn not_an_epub_is_malformed() {
        assert!(matches!(parse(b"PK\x03\x04 nonsense", &Limits::default()), Err(ProblemKind::Malformed { .. })));
        assert_eq!(parse(b"", &Limits::default()), Err(ProblemKind::Empty));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("readme.txt", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"hello").unwrap();
        let zip = zip.finish().unwrap().into_inner();
        assert!(matches!(parse(&zip, &Limits::default()), Err(ProblemKind::Malformed { .. })));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&bytes, &Limits::default());
        }

        #[test]
        fn damaged_books_never_panic(cut in 0usize..7000, flips in proptest::collection::vec((0usize..7000, any::<u8>()), 0..8)) {
            let mut bytes = fixture("book.epub");
            bytes.truncate(cut.max(1).min(bytes.len()));
            for &(at, b) in &flips {
                let i = at % bytes.len();
                bytes[i] = b;
            }
            let _ = parse(&bytes, &Limits::default());
        }

        #[test]
        fn damaged_xml_never_panics(xml in "[<>/a-z =\"'&#;:0-9]{0,300}") {
            let _ = Package::read(&xml, "a/b.opf");
            let mut titles = HashMap::new();
            read_nav(&xml, "nav.xhtml", &mut titles);
            read_ncx(&xml, "toc.ncx", &mut titles);
            let _ = first_heading(&xml);
            let _ = word_count(&xml);
            let _ = body_of(&xml);
        }
    }
}
