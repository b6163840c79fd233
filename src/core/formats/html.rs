//! HTML: main-text extraction from whole pages, text of fragments, character sets.
//!
//! A whole page goes through rs-trafilatura for its main text (measured best of the Rust
//! extractors on the article-extraction benchmark, see `examples/article_extraction.rs`); its
//! result is rendered to plain text here, and the page's metadata (JSON-LD, OpenGraph, `<meta>`,
//! `<time>`, canonical link, bylines, `<title>`) is read by a pass of our own over the parsed DOM.
//! Every walk over the tree is iterative, so nesting depth costs no stack.

use dom_query::{Document, NodeRef};
use serde_json::Value;

use crate::core::document::{ProblemKind, SourceMeta};

/// A web page's main text and the metadata the page declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageArticle {
    pub meta: SourceMeta,
    /// Paragraphs separated by one blank line.
    pub text: String,
}

/// Pages nested deeper than this skip the extractor (whose walks recurse) and are read by the
/// iterative fallback, which drops page furniture by element and role alone.
const MAX_EXTRACTOR_DEPTH: usize = 400;

/// Extracts the article of a whole page.
pub fn extract_page(html: &str) -> PageArticle {
    let doc = Document::from(html);
    let meta = page_meta(&doc);
    let depth = max_depth(doc.root());
    let mut text = String::new();
    if depth <= MAX_EXTRACTOR_DEPTH {
        text = main_text(html, meta.url.clone());
    }
    if text.trim().is_empty() {
        text = fallback_text(&doc);
    }
    PageArticle { meta, text }
}

/// All readable text of an HTML fragment, paragraphs separated by one blank line. Quoted replies
/// that mail programs mark (`<blockquote type="cite">`, Gmail's and Yahoo's quote blocks,
/// Thunderbird's "… wrote:" line) are left out, as they are for plain-text mail.
pub fn fragment_text(html: &str) -> String {
    let doc = Document::fragment(html);
    render(doc.root(), &is_quoted_reply)
}

fn is_quoted_reply(node: &NodeRef) -> bool {
    if !node.is_element() {
        return false;
    }
    let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
    if name == "blockquote" && node.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("cite")) {
        return true;
    }
    node.attr("class").is_some_and(|c| {
        c.split_whitespace().any(|c| matches!(c, "gmail_quote" | "gmail_attr" | "yahoo_quoted" | "moz-cite-prefix"))
    })
}

/// Decodes a page's bytes: BOM, then `<meta charset>`, then detection. A note when not UTF-8.
pub fn decode_page(bytes: &[u8]) -> (String, Option<ProblemKind>) {
    let encoding = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        enc
    } else {
        match declared_charset(bytes) {
            Some(enc) if enc != encoding_rs::UTF_8 => enc,
            // Declared UTF-8 or nothing declared: trust valid UTF-8, otherwise detect.
            _ if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
            _ => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                detector.guess(None, true)
            }
        }
    };
    let (text, _, _) = encoding.decode(bytes);
    let note = (encoding != encoding_rs::UTF_8).then(|| ProblemKind::Decoded { encoding: encoding.name().to_string() });
    (text.into_owned(), note)
}

/// The character set a page declares in its first bytes (`<meta charset>` or `http-equiv`).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && lower[i].is_ascii_whitespace() {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && (lower[i].is_ascii_whitespace() || lower[i] == b'"' || lower[i] == b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_.:".contains(&lower[i])) {
            i += 1;
        }
        if let Some(enc) = encoding_rs::Encoding::for_label(&lower[start..i]) {
            // A page cannot really declare UTF-16 in ASCII: the HTML standard reads it as UTF-8.
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The main text as rs-trafilatura finds it, rendered to paragraphs; empty when it finds none.
fn main_text(html: &str, url: Option<String>) -> String {
    let options = rs_trafilatura::Options {
        url,
        // newsroom reads articles: skipping the page-type classifier doubles the speed and
        // scores the same on the benchmark.
        page_type: Some(rs_trafilatura::page_type::PageType::Article),
        ..rs_trafilatura::Options::default()
    };
    // The extractor is a large body of third-party code: a panic in it costs the body, not the
    // whole load (the caller falls back to the furniture-stripped page).
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rs_trafilatura::extract_with_options(html, &options)));
    match result {
        Ok(Ok(r)) => {
            let plain = plain_paragraphs(&r.content_text);
            match r.content_html {
                Some(h) if !h.trim().is_empty() => structured(&h, &plain).unwrap_or(plain),
                _ => plain,
            }
        }
        _ => String::new(),
    }
}

/// The extractor's HTML rendered with lists and tables kept, limited to the paragraphs its plain
/// text also has (its HTML keeps headings, datelines and captions its text drops). `None` when
/// the two disagree too much to trust the HTML.
fn structured(content_html: &str, plain: &str) -> Option<String> {
    let plain_words = format!(" {} ", word_key(plain, " "));
    // Without spaces, so that a drop capital ("<span>H</span>ong Kong") matches either way.
    let plain_letters = word_key(plain, "");
    let rendered = fragment_text(content_html);
    let kept: Vec<&str> = rendered
        .split("\n\n")
        .filter(|p| {
            let letters = word_key(p, "");
            if letters.chars().count() >= 24 {
                plain_letters.contains(&letters)
            } else {
                !letters.is_empty() && plain_words.contains(&format!(" {} ", word_key(p, " ")))
            }
        })
        .collect();
    let kept_words: usize = kept.iter().map(|p| p.split_whitespace().count()).sum();
    let plain_count = plain.split_whitespace().count();
    (kept_words * 10 >= plain_count * 9).then(|| kept.join("\n\n"))
}

/// Words (letters and digits) of a text, lower-cased and joined by `sep`.
fn word_key(text: &str, sep: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(sep)
}

/// Plain text with one paragraph per non-blank line, whitespace collapsed.
fn plain_paragraphs(text: &str) -> String {
    let paras: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    paras.join("\n\n")
}

/// The page's text without its furniture, for pages the extractor cannot take.
fn fallback_text(doc: &Document) -> String {
    let body = doc.select_single("body");
    let root = body.nodes().first().copied().unwrap_or_else(|| doc.root());
    render(root, &is_furniture)
}

/// Elements that are page furniture by their name, role or class.
fn is_furniture(node: &NodeRef) -> bool {
    let Some(name) = node.node_name() else { return false };
    if matches!(&*name, "nav" | "header" | "footer" | "aside" | "form" | "button" | "select" | "menu" | "dialog") {
        return true;
    }
    if let Some(role) = node.attr("role") {
        if matches!(&*role, "navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog") {
            return true;
        }
    }
    let mut marks = String::new();
    if let Some(c) = node.attr("class") {
        marks.push_str(&c.to_ascii_lowercase());
    }
    if let Some(i) = node.attr("id") {
        marks.push(' ');
        marks.push_str(&i.to_ascii_lowercase());
    }
    const WORDS: [&str; 12] = [
        "cookie",
        "comment",
        "share",
        "social",
        "related",
        "newsletter",
        "advert",
        "sidebar",
        "footer",
        "navbar",
        "promo",
        "subscribe",
    ];
    marks.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| WORDS.iter().any(|k| w == *k || w.starts_with(k)))
        || marks.split_whitespace().any(|w| w == "ad" || w == "ads" || w.starts_with("ad-"))
}

/// Deepest element nesting under `root`, walked iteratively.
fn max_depth(root: NodeRef) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let mut child = node.first_child();
        while let Some(c) = child {
            if c.is_element() {
                stack.push((c, depth + 1));
            }
            child = c.next_sibling();
        }
    }
    deepest
}

// ---------------------------------------------------------------------------------------------
// Rendering a tree to paragraphs

/// Elements whose content is never text a reader sees.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "source"
            | "track"
            | "input"
            | "textarea"
    )
}

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "li"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "figure"
            | "figcaption"
            | "address"
            | "hr"
            | "form"
            | "fieldset"
            | "details"
            | "summary"
            | "center"
            | "body"
            | "html"
            | "hgroup"
            | "tr"
            | "menu"
            | "dialog"
            | "picture"
    )
}

/// Collects paragraphs: words joined by single spaces, `<br>` kept as a line break.
#[derive(Default)]
struct Paragraphs {
    done: Vec<String>,
    cur: String,
    /// Whitespace was seen since the last word.
    space: bool,
    /// Inside `<pre>`: line breaks of the text are kept.
    pre: usize,
    /// Cells already written on the current table row.
    cells: Vec<usize>,
}

impl Paragraphs {
    fn text(&mut self, t: &str) {
        if self.pre > 0 {
            for (i, line) in t.split('\n').enumerate() {
                if i > 0 {
                    self.line_break();
                }
                self.words(line);
            }
            return;
        }
        self.words(t);
    }

    fn words(&mut self, t: &str) {
        if t.starts_with(char::is_whitespace) {
            self.space = true;
        }
        for (i, w) in t.split_whitespace().enumerate() {
            if (i > 0 || self.space) && !self.cur.is_empty() && !self.cur.ends_with(['\n', ' ']) {
                self.cur.push(' ');
            }
            self.cur.push_str(w);
            self.space = false;
        }
        if t.ends_with(char::is_whitespace) {
            self.space = true;
        }
    }

    fn line_break(&mut self) {
        while self.cur.ends_with(' ') {
            self.cur.pop();
        }
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
        self.space = false;
    }

    fn raw(&mut self, s: &str) {
        self.cur.push_str(s);
        self.space = false;
    }

    fn flush(&mut self) {
        let p = self.cur.trim();
        // A paragraph of nothing but the list bullet or cell separators is no paragraph.
        if p.chars().any(|c| c.is_alphanumeric()) {
            self.done.push(p.to_string());
        }
        self.cur.clear();
        self.space = false;
    }

    fn finish(mut self) -> String {
        self.flush();
        self.done.join("\n\n")
    }
}

/// Renders the text under `root`, skipping subtrees `skip` rejects. Iterative.
fn render(root: NodeRef, skip: &dyn Fn(&NodeRef) -> bool) -> String {
    let mut out = Paragraphs::default();
    // (node, entering): on leaving, block elements close their paragraph.
    let mut stack: Vec<(NodeRef, bool)> = vec![(root, true)];
    while let Some((node, entering)) = stack.pop() {
        if node.is_text() {
            out.text(&node.text());
            continue;
        }
        let name = node.node_name();
        let name = name.as_deref().unwrap_or("");
        if !entering {
            match name {
                "pre" => {
                    out.pre = out.pre.saturating_sub(1);
                    out.flush();
                }
                "tr" => {
                    out.cells.pop();
                    out.flush();
                }
                "td" | "th" => out.space = true,
                _ if is_block(name) => out.flush(),
                _ => {}
            }
            continue;
        }
        if node.is_element() {
            if is_hidden(name) || node.has_attr("hidden") || (node.id != root.id && skip(&node)) {
                continue;
            }
            match name {
                "br" => out.line_break(),
                "li" => {
                    out.flush();
                    out.raw("• ");
                }
                "pre" => {
                    out.flush();
                    out.pre += 1;
                }
                "tr" => {
                    out.flush();
                    out.cells.push(0);
                }
                "td" | "th" => {
                    let before = out.cells.last().copied();
                    if let Some(n) = out.cells.last_mut() {
                        *n += 1;
                    }
                    if before.is_some_and(|n| n > 0) {
                        out.raw(" · ");
                    }
                }
                "img" => {}
                _ if is_block(name) => out.flush(),
                _ => {}
            }
        } else if !(node.is_document() || node.is_fragment()) {
            // Comments, doctypes, processing instructions.
            continue;
        }
        stack.push((node, false));
        let mut children = Vec::new();
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            children.push(c);
        }
        stack.extend(children.into_iter().rev().map(|c| (c, true)));
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// What the page says of itself, most specific source first: JSON-LD, OpenGraph and `<meta>`,
/// `<time datetime>`, bylines, then `<title>` with the site name cut.
fn page_meta(doc: &Document) -> SourceMeta {
    let mut ld = LdMeta::default();
    for node in doc.select(r#"script[type="application/ld+json"]"#).nodes() {
        let raw = node.text();
        if raw.len() > 1 << 20 {
            continue;
        }
        if let Ok(v) = serde_json::from_str::<Value>(raw.trim()) {
            ld.visit(&v, 0);
        }
    }

    let metas = MetaTags::read(doc);
    let site = metas.get(&["og:site_name", "application-name"]);

    let title = ld
        .headline
        .clone()
        .or_else(|| {
            metas.get(&["og:title", "twitter:title", "dc.title", "headline"]).map(|t| cut_site(&t, site.as_deref()))
        })
        .or_else(|| {
            let t = doc.select_single("title").text();
            let t = collapse(&t);
            (!t.is_empty()).then(|| cut_site(&t, site.as_deref()))
        })
        .or_else(|| {
            let h = collapse(&doc.select_single("h1").text());
            (!h.is_empty()).then_some(h)
        });

    let date = ld
        .date
        .as_deref()
        .and_then(crate::core::dates::metadata_date)
        .or_else(|| {
            metas
                .all(&[
                    "article:published_time",
                    "og:article:published_time",
                    "datepublished",
                    "date",
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "dc.date",
                    "dc.date.issued",
                    "dcterms.date",
                    "dcterms.created",
                    "sailthru.date",
                    "parsely-pub-date",
                    "article.published",
                    "published_time",
                ])
                .iter()
                .find_map(|d| crate::core::dates::metadata_date(d))
        })
        .or_else(|| {
            doc.select("time[datetime]")
                .nodes()
                .iter()
                .find_map(|n| n.attr("datetime").and_then(|d| crate::core::dates::metadata_date(&d)))
        })
        .or_else(|| {
            doc.select(r#"[itemprop="datePublished"]"#).nodes().iter().find_map(|n| {
                n.attr("content").or_else(|| n.attr("datetime")).and_then(|d| crate::core::dates::metadata_date(&d))
            })
        })
        .or_else(|| {
            // A dateline in prose: "By Inês Carvalho, Porto — 7 October 2009".
            let sel = ".byline, .dateline, .date, .published, .timestamp, .article-date, .post-date, time";
            doc.select(sel).nodes().iter().take(20).find_map(|n| {
                let t = n.text();
                (t.len() <= 300).then(|| prose_date(&t)).flatten()
            })
        });

    let author = (!ld.authors.is_empty())
        .then(|| ld.authors.join(", "))
        .or_else(|| {
            let names: Vec<String> = metas
                .all(&["author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"])
                .iter()
                .filter_map(|a| clean_author(a))
                .collect();
            (!names.is_empty()).then(|| dedup(names).join(", "))
        })
        .or_else(|| byline(doc));

    let url = metas
        .get(&["og:url"])
        .or_else(|| doc.select_single(r#"link[rel="canonical"]"#).attr("href").map(|h| h.trim().to_string()))
        .or(ld.url.clone())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));

    let mut tags = ld.tags.clone();
    for t in metas.all(&["article:tag", "news_keywords", "keywords"]) {
        tags.extend(t.split(',').map(collapse));
    }
    tags.retain(|t| !t.is_empty() && t.chars().count() <= 60);
    let tags = dedup(tags).into_iter().take(30).collect();

    SourceMeta { title: title.filter(|t| !t.is_empty()), date, author, url, tags }
}

/// What the JSON-LD article objects of a page say.
#[derive(Default)]
struct LdMeta {
    headline: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
    url: Option<String>,
    tags: Vec<String>,
    found: bool,
}

impl LdMeta {
    /// Visits JSON-LD values (objects, arrays, `@graph`), taking the first article object.
    fn visit(&mut self, v: &Value, depth: usize) {
        if depth > 16 || self.found {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i, depth + 1)),
            Value::Object(map) => {
                if is_article_type(map.get("@type")) {
                    self.take(map);
                    return;
                }
                if let Some(g) = map.get("@graph") {
                    self.visit(g, depth + 1);
                }
                if let Some(m) = map.get("mainEntity") {
                    self.visit(m, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn take(&mut self, map: &serde_json::Map<String, Value>) {
        self.found = true;
        let s = |key: &str| map.get(key).and_then(Value::as_str).map(collapse).filter(|t| !t.is_empty());
        self.headline = s("headline").or_else(|| s("name")).map(|t| decode_entities(&t));
        self.date = s("datePublished").or_else(|| s("dateCreated")).or_else(|| s("uploadDate"));
        self.url = s("url");
        let mut names = Vec::new();
        if let Some(a) = map.get("author").or_else(|| map.get("creator")) {
            ld_names(a, &mut names, 0);
        }
        self.authors = dedup(names.iter().filter_map(|n| clean_author(n)).collect());
        match map.get("keywords") {
            Some(Value::String(k)) => self.tags.extend(k.split(',').map(collapse)),
            Some(Value::Array(ks)) => self.tags.extend(ks.iter().filter_map(Value::as_str).map(collapse)),
            _ => {}
        }
    }
}

fn is_article_type(t: Option<&Value>) -> bool {
    let is = |s: &str| {
        s.ends_with("Article") || matches!(s, "BlogPosting" | "Report" | "LiveBlogPosting" | "SocialMediaPosting")
    };
    match t {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

/// Author names in a JSON-LD `author`: a string, a Person/Organization object, or a list.
fn ld_names(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| ld_names(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(n) = map.get("name") {
                ld_names(n, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `<meta>` tags by lower-cased `property`, `name` or `itemprop`, in page order.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn read(doc: &Document) -> MetaTags {
        let mut tags = Vec::new();
        for node in doc.select("meta[content]").nodes() {
            let Some(content) = node.attr("content") else { continue };
            let content = collapse(&content);
            if content.is_empty() {
                continue;
            }
            for key in ["property", "name", "itemprop"] {
                if let Some(k) = node.attr(key) {
                    tags.push((k.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        MetaTags(tags)
    }

    /// The first value under the first of `keys` present.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    /// Every value under any of `keys`, in the order of `keys`.
    fn all(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().flat_map(|k| self.0.iter().filter(move |(n, _)| n == k).map(|(_, v)| v.clone())).collect()
    }
}

/// A byline in the page: `rel=author`, `itemprop=author`, or an element classed byline/author.
fn byline(doc: &Document) -> Option<String> {
    let sel = r#"[rel="author"], [itemprop="author"], .byline, .author, .article-author, .byline-name"#;
    doc.select(sel).nodes().iter().take(20).find_map(|n| {
        let t = n.text();
        if t.len() > 300 {
            return None;
        }
        let t = collapse(&t);
        let t = t.strip_prefix("By ").or_else(|| t.strip_prefix("by ")).unwrap_or(&t);
        // The names end where the place or the date of the byline begins.
        let end = [",", " — ", " – ", " - ", " | ", " · ", " in ", " at ", " on "]
            .iter()
            .filter_map(|sep| t.find(sep))
            .min()
            .unwrap_or(t.len());
        let names = t[..end].replace(" and ", ", ");
        let names = names.split(", ").filter_map(clean_author).collect::<Vec<_>>();
        (!names.is_empty() && names.iter().all(|n| looks_like_name(n))).then(|| names.join(", "))
    })
}

/// Two to five words, each capitalised or a name particle ("van", "de", "von").
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    *w,
                    "van" | "von" | "de" | "da" | "di" | "del" | "der" | "den" | "du" | "la" | "le" | "bin" | "al"
                )
        })
}

/// The first date written in a short text, in any form `parse_date` reads.
fn prose_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '—' | '–' | '·'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | ';')))
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).find_map(|i| {
        (2..=4).rev().find_map(|n| {
            let end = (i + n).min(words.len());
            let candidate = words[i..end].join(" ");
            crate::core::dates::metadata_date(candidate.trim_end_matches([',', '.']))
        })
    })
}

/// A person's name from a byline or meta value: "By " cut, URLs and e-mail addresses refused.
fn clean_author(raw: &str) -> Option<String> {
    let mut t = collapse(&decode_entities(raw));
    for prefix in ["By ", "by ", "BY ", "Von ", "Par "] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim().to_string();
        }
    }
    let t = t.trim_matches(|c: char| c == ',' || c == '|' || c.is_whitespace()).to_string();
    let plausible = !t.is_empty()
        && t.chars().count() <= 80
        && !t.contains("://")
        && !t.starts_with("www.")
        && !t.contains('@')
        && t.chars().any(char::is_alphabetic);
    plausible.then_some(t)
}

/// "Headline | Site" → "Headline": the longest part when the title is split by a site separator.
fn cut_site(title: &str, site: Option<&str>) -> String {
    let title = collapse(&decode_entities(title));
    for sep in [" | ", " - ", " — ", " – ", " :: ", " · ", " « ", " » "] {
        if title.contains(sep) {
            let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
            if let Some(site) = site {
                let site = site.trim();
                if let Some(pos) = parts.iter().position(|p| p.eq_ignore_ascii_case(site)) {
                    let rest: Vec<&str> =
                        parts.iter().enumerate().filter(|(i, _)| *i != pos).map(|(_, p)| *p).collect();
                    return rest.join(sep);
                }
            }
            if let Some(longest) = parts.iter().max_by_key(|p| p.chars().count()) {
                if longest.split_whitespace().count() >= 2 {
                    return longest.to_string();
                }
            }
        }
    }
    title
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Entities left in JSON-LD or meta values (`&amp;`, `&#8217;`) decoded by the HTML parser.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    fragment_text(&s.replace('<', "&lt;"))
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().filter(|i| seen.insert(i.to_lowercase())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed").join(name);
        std::fs::read(path).expect("fixture")
    }

    fn page_fixture() -> PageArticle {
        let (html, note) = decode_page(&fixture("page.html"));
        assert_eq!(note, None);
        extract_page(&html)
    }

    #[test]
    fn news_page_metadata_comes_from_json_ld_graph() {
        let page = page_fixture();
        assert_eq!(
            page.meta.title.as_deref(),
            Some("Rhine flood barrier holds as Cologne evacuates riverside districts")
        );
        assert_eq!(page.meta.date.as_deref(), Some("2024-03-14"));
        assert_eq!(page.meta.author.as_deref(), Some("Lena Hartmann, Pieter van Dam"));
        assert_eq!(
            page.meta.url.as_deref(),
            Some("https://continental-courier.example/europe/2024/03/14/rhine-flood-cologne")
        );
        assert!(page.meta.tags.contains(&"Cologne".to_string()), "{:?}", page.meta.tags);
    }

    #[test]
    fn news_page_keeps_the_article_and_drops_the_furniture() {
        let text = page_fixture().text;
        for kept in [
            "Mayor Henriette Reker told reporters",
            "Janez Lenarčič",
            "Residents will not be allowed back into Rodenkirchen",
            "Christoph Schmitz",
        ] {
            assert!(text.contains(kept), "lost {kept:?} from:\n{text}");
        }
        for furniture in [
            "cookie",
            "Share on Facebook",
            "Related stories",
            "Elbe peaks in Dresden",
            "rhinelander77",
            "sealed surfaces",
            "All rights reserved",
            "Advertisement",
            "Holiday deals",
            "Morning Briefing",
            "Privacy policy",
        ] {
            assert!(!text.contains(furniture), "kept {furniture:?} in:\n{text}");
        }
        assert!(!text.contains('<') && !text.contains("&amp;"), "markup left:\n{text}");
    }

    #[test]
    fn news_page_lists_and_tables_stay_readable() {
        let text = page_fixture().text;
        assert!(text.contains("• the Lanxess Arena in Deutz, for families with children"), "{text}");
        assert!(text.contains("Cologne · 9.40 m · 11.30 m"), "{text}");
        assert!(!text.contains(" | "), "{text}");
        assert!(!text.contains("\n\n\n"));
    }

    #[test]
    fn windows_1252_page_reads_right() {
        let bytes = fixture("legacy-1252.html");
        let (html, note) = decode_page(&bytes);
        assert_eq!(note, Some(ProblemKind::Decoded { encoding: "windows-1252".into() }));
        let page = extract_page(&html);
        assert_eq!(page.meta.title.as_deref(), Some("Porto harbour strike ends after José Müller brokers deal"));
        assert_eq!(page.meta.author.as_deref(), Some("Inês Carvalho"));
        assert_eq!(page.meta.date.as_deref(), Some("2009-10-07"));
        assert!(page.text.contains("brokered by José Müller"), "{}", page.text);
        assert!(page.text.contains("“Nobody won everything"), "{}", page.text);
        assert!(page.text.contains("António Gonçalves"), "{}", page.text);
        assert!(!page.text.contains('\u{FFFD}'));
        for furniture in ["Início", "Desporto", "Publicidade", "Contactos"] {
            assert!(!page.text.contains(furniture), "kept {furniture:?} in:\n{}", page.text);
        }
    }

    fn article_page(head: &str, body: &str) -> String {
        let para = "The committee met in Geneva on Tuesday to discuss the new rules for shipping, and its members \
                    agreed that the proposal needed more work before a vote could be held next spring.";
        format!(
            "<html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>\
             <article><h1>Heading</h1>{body}<p>{para}</p><p>{para} Again.</p><p>{para} Once more.</p></article>\
             <footer>Contact us</footer></body></html>"
        )
    }

    #[test]
    fn json_ld_article_inside_graph_gives_headline_date_and_authors() {
        let head = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","name":"Page name"},
            {"@type":["ReportageNewsArticle"],"headline":"Talks resume in Geneva",
             "datePublished":"2021-06-02T10:00:00Z","author":{"@type":"Person","name":"Amira Haddad"}}]}</script>
            <title>Something else | Site</title>"#;
        let page = extract_page(&article_page(head, ""));
        assert_eq!(page.meta.title.as_deref(), Some("Talks resume in Geneva"));
        assert_eq!(page.meta.date.as_deref(), Some("2021-06-02"));
        assert_eq!(page.meta.author.as_deref(), Some("Amira Haddad"));
    }

    #[test]
    fn opengraph_tags_give_title_date_url_and_the_author_name_not_a_profile_link() {
        let head = r#"<meta property="og:title" content="Port reopens after storm">
            <meta property="article:published_time" content="2022-11-30T23:10:00-05:00">
            <meta property="article:author" content="https://www.facebook.com/somebody">
            <meta name="author" content="Tomás Ortega">
            <meta property="og:url" content="https://news.example/port-reopens">"#;
        let page = extract_page(&article_page(head, ""));
        assert_eq!(page.meta.title.as_deref(), Some("Port reopens after storm"));
        assert_eq!(page.meta.date.as_deref(), Some("2022-11-30"));
        assert_eq!(page.meta.author.as_deref(), Some("Tomás Ortega"));
        assert_eq!(page.meta.url.as_deref(), Some("https://news.example/port-reopens"));
    }

    #[test]
    fn title_element_loses_its_site_name_and_time_element_gives_the_date() {
        let head = "<title>Storm closes the port of Leixões - Daily Example</title>";
        let page = extract_page(&article_page(head, r#"<time datetime="2020-02-29">Saturday</time>"#));
        assert_eq!(page.meta.title.as_deref(), Some("Storm closes the port of Leixões"));
        assert_eq!(page.meta.date.as_deref(), Some("2020-02-29"));
        let head = "<title>Storm closes the port | Daily Example</title>";
        assert_eq!(extract_page(&article_page(head, "")).meta.title.as_deref(), Some("Storm closes the port"));
    }

    #[test]
    fn dates_in_timestamp_and_mail_forms_become_iso() {
        assert_eq!(crate::core::dates::metadata_date("2019-11-20T13:14:00+00:00").as_deref(), Some("2019-11-20"));
        assert_eq!(crate::core::dates::metadata_date("Wed, 20 Nov 2019 13:14:00 +0000").as_deref(), Some("2019-11-20"));
        assert_eq!(crate::core::dates::metadata_date("November 20, 2019 1:14 PM").as_deref(), Some("2019-11-20"));
        assert_eq!(crate::core::dates::metadata_date("20191120").as_deref(), Some("2019-11-20"));
        assert_eq!(crate::core::dates::metadata_date("2019-13-45"), None);
        assert_eq!(crate::core::dates::metadata_date("yesterday"), None);
    }

    #[test]
    fn fragment_keeps_all_text_with_paragraphs_lists_tables_and_line_breaks() {
        let html = "<div>First line<br>second line</div><p>Caf&eacute; &amp; bar &#8212; open</p>\
                    <script>var x = 1;</script><style>p { color: red }</style>\
                    <ul><li>one</li><li>two <b>bold</b></li></ul>\
                    <table><tr><th>City</th><th>Pop.</th></tr><tr><td>Lyon</td><td>522,000</td></tr></table>\
                    <p>  spaced    out\n text </p>";
        assert_eq!(
            fragment_text(html),
            "First line\nsecond line\n\nCafé & bar — open\n\n• one\n\n• two bold\n\nCity · Pop.\n\nLyon · 522,000\n\nspaced out text"
        );
    }

    #[test]
    fn fragment_of_plain_text_and_inline_markup_is_one_paragraph() {
        assert_eq!(fragment_text("Just <em>some</em> text, <a href='x'>linked</a>."), "Just some text, linked.");
        assert_eq!(fragment_text(""), "");
        assert_eq!(fragment_text("<script>alert(1)</script>"), "");
    }

    #[test]
    fn charset_comes_from_bom_then_meta_then_detection() {
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<p>Zürich</p>".as_bytes());
        assert_eq!(decode_page(&bom), ("<p>Zürich</p>".to_string(), None));

        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<p>Zürich</p>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let (text, note) = decode_page(&utf16);
        assert_eq!(text, "<p>Zürich</p>");
        assert_eq!(note, Some(ProblemKind::Decoded { encoding: "UTF-16LE".into() }));

        let mut equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\"><p>".to_vec();
        equiv.extend_from_slice(&[0xA3, 0xF3, 0x64, 0xBC]); // Łódź
        let (text, note) = decode_page(&equiv);
        assert!(text.ends_with("Łódź"), "{text}");
        assert_eq!(note, Some(ProblemKind::Decoded { encoding: "ISO-8859-2".into() }));

        let mut undeclared =
            b"<p>Les r\xe9fugi\xe9s ont quitt\xe9 la r\xe9gion, a d\xe9clar\xe9 le pr\xe9fet \x93hier\x94.".to_vec();
        undeclared.extend_from_slice(b"</p>");
        let (text, note) = decode_page(&undeclared);
        assert!(text.contains("réfugiés") && text.contains("“hier”"), "{text}");
        assert_eq!(note, Some(ProblemKind::Decoded { encoding: "windows-1252".into() }));

        assert_eq!(decode_page("<p>naïve</p>".as_bytes()), ("<p>naïve</p>".to_string(), None));
    }

    #[test]
    fn deep_nesting_and_huge_attributes_do_not_overflow_or_hang() {
        for tag in ["div", "span", "b", "table", "li"] {
            let deep = format!("{}text{}", format!("<{tag}>").repeat(10_000), format!("</{tag}>").repeat(10_000));
            let page = format!("<html><body><p>Before</p>{deep}<p>After</p></body></html>");
            let start = std::time::Instant::now();
            let _ = extract_page(&page);
            assert!(fragment_text(&deep).contains("text"));
            let _ = decode_page(page.as_bytes());
            assert!(start.elapsed().as_secs() < 60, "{tag}: {:?}", start.elapsed());
        }
        let huge = format!(
            "<html><body><div data-x=\"{}\"><p>Short article text here.</p></div></body></html>",
            "a".repeat(5 << 20)
        );
        let page = extract_page(&huge);
        assert!(!page.text.contains("aaaa"));
        assert_eq!(fragment_text(&huge), "Short article text here.");
    }

    #[test]
    fn nesting_just_under_the_extractor_limit_runs_on_a_small_stack() {
        let depth = MAX_EXTRACTOR_DEPTH - 5;
        let html = format!(
            "<html><body>{}<p>The mayor of Lyon opened the new bridge across the Rhône on Monday morning.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let text = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || extract_page(&html).text)
            .expect("thread")
            .join()
            .expect("no stack overflow");
        assert!(text.contains("mayor of Lyon"), "{text}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let (html, _) = decode_page(&bytes);
            let page = extract_page(&html);
            let _ = fragment_text(&html);
            prop_assert!(!page.text.contains("\n\n\n"));
        }

        #[test]
        fn markup_soup_never_panics_and_leaves_no_tags(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class='ad'>".to_string()),
                    Just("</div>".to_string()), Just("<li>".to_string()), Just("<td>".to_string()),
                    Just("<tr>".to_string()), Just("<br>".to_string()), Just("<script>".to_string()),
                    Just("&amp;".to_string()), Just("<!--".to_string()), Just("<table>".to_string()),
                    "[a-zA-Z ]{0,12}",
                ],
                0..60,
            )
        ) {
            let html = parts.concat();
            let text = fragment_text(&html);
            prop_assert!(!text.contains("<p>") && !text.contains("&amp;"));
            prop_assert!(!text.contains("\n\n\n"));
            prop_assert_eq!(text.trim(), text.as_str());
            let _ = extract_page(&html);
        }
    }

    #[test]
    fn quoted_replies_marked_by_mail_programs_are_left_out_of_fragments() {
        let html = r#"<div>Thanks, the shipment left Karachi today.</div>
            <div class="gmail_quote"><div class="gmail_attr">On Mon, Ann wrote:</div>
            <blockquote class="gmail_quote">Did the shipment leave?</blockquote></div>
            <blockquote type="cite">Older quoted text</blockquote>
            <blockquote>A quotation in an article stays.</blockquote>"#;
        let text = fragment_text(html);
        assert!(text.contains("left Karachi today"), "{text}");
        assert!(text.contains("A quotation in an article stays."), "{text}");
        for gone in ["Did the shipment leave", "Ann wrote", "Older quoted text"] {
            assert!(!text.contains(gone), "{gone:?} in {text}");
        }
    }
}
