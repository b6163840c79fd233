//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, one [`Document`] per item.
//!
//! XML feeds are read with quick-xml as a stream of events (no tree, no recursion), so nesting
//! depth costs nothing but a stack entry and time stays linear in the input. Each item keeps its
//! own XML, cut from the file between its start and end tags, as its `original`.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use serde_json::Value;

use crate::core::dates::metadata_date;
use crate::core::document::{Content, Document, Limits, Parsed, ProblemKind, SourceMeta};
use crate::core::text::stable_hash;

const FORMAT: &str = "feed";

/// Whether these bytes are a feed: an XML document whose root element is `<rss>`, `<feed>`
/// (Atom) or `<rdf:RDF>` (RSS 0.90/1.0), or a JSON Feed. Reads only the first few kilobytes.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let text = decode(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return is_json_feed_head(text);
    }
    matches!(root_element(text).as_deref(), Some("rss" | "feed" | "RDF"))
}

/// Whether the opening of a JSON text declares it a JSON Feed.
pub(crate) fn is_json_feed_head(text: &str) -> bool {
    text.contains("jsonfeed.org/version")
}

/// The local name of the first element of an XML text, skipping the prolog, comments,
/// processing instructions and the doctype.
fn root_element(text: &str) -> Option<String> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().allow_dangling_amp = true;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => return Some(e.local_name().into_inner().to_string()),
            Ok(Event::Eof) | Err(_) => return None,
            Ok(Event::Text(t)) if !t.xml10_content().trim().is_empty() => return None,
            Ok(_) => {}
        }
    }
}

/// Reads a feed: every item with a title or text becomes a document; an item with neither is
/// an item problem. A feed damaged after some items keeps those items, with a `Partial` note
/// (item key empty); one with no readable item is `Malformed`.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Parsed, ProblemKind> {
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ProblemKind::Empty);
    }
    if text.trim_start().starts_with('{') {
        let value: Value =
            serde_json::from_str(text).map_err(|e| ProblemKind::malformed(FORMAT, format!("JSON Feed: {e}")))?;
        return parse_json_feed(&value, limits);
    }
    parse_xml(text, limits)
}

/// Decodes an XML feed's bytes: a byte-order mark, else the encoding its declaration names,
/// else UTF-8 (invalid bytes replaced).
fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let declared = declared_encoding(bytes).unwrap_or(encoding_rs::UTF_8);
    // A declaration is read as ASCII, so a UTF-16 label without a byte-order mark is wrong.
    let declared = if declared == encoding_rs::UTF_16LE || declared == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        declared
    };
    let (text, _, _) = declared.decode(bytes);
    text
}

/// The encoding named by `<?xml … encoding="…"?>` at the start of the bytes.
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(256)];
    let head =
        std::str::from_utf8(head).unwrap_or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""));
    let decl = head.trim_start_matches('\u{feff}').trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    let label = &rest[..rest.find(quote)?];
    encoding_rs::Encoding::for_label(label.trim().as_bytes())
}

/// Which vocabulary an element belongs to, from its namespace (or, when the feed forgot to
/// declare it, its conventional prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace, or RSS 0.90/1.0's own.
    Rss,
    Atom,
    Content,
    Dc,
    Other,
}

fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Unbound => Ns::Rss,
        ResolveResult::Bound(ns) => match ns.0.trim_end_matches(['/', '#']) {
            "http://www.w3.org/2005/Atom" | "http://purl.org/atom/ns" => Ns::Atom,
            "http://purl.org/rss/1.0"
            | "http://my.netscape.com/rdf/simple/0.9"
            | "http://backend.userland.com/rss2" => Ns::Rss,
            "http://purl.org/rss/1.0/modules/content" => Ns::Content,
            "http://purl.org/dc/elements/1.1" | "http://purl.org/dc/terms" => Ns::Dc,
            _ => Ns::Other,
        },
        ResolveResult::Unknown(prefix) => match prefix.as_str() {
            "atom" => Ns::Atom,
            "content" => Ns::Content,
            "dc" | "dcterms" => Ns::Dc,
            _ => Ns::Other,
        },
    }
}

/// An item field being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Id,
    Published,
    Updated,
    Author,
    Tag,
    /// `content:encoded` or Atom `content`.
    Full,
    /// RSS `description` or Atom `summary`.
    Summary,
}

/// How a body field's text is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    /// Atom `type="xhtml"`: the element's children are the markup.
    Xhtml,
    /// RSS `description`: HTML or text, told apart by looking.
    Guess,
    /// An Atom body of another media type, or given by `src`: not read.
    Skip,
}

/// The text of one element being gathered.
struct Capture {
    field: Field,
    kind: Kind,
    /// Depth of the captured element on the element stack.
    depth: usize,
    text: String,
    /// Text of an Atom `<name>` child (authors).
    name: String,
    in_name: bool,
    /// Byte offset just after the start tag, for markup captured raw.
    inner_start: usize,
    has_children: bool,
}

#[derive(Default)]
struct Body {
    text: String,
    html: bool,
}

#[derive(Default)]
struct Item {
    /// Byte offsets of the item's start and end tags in the decoded text.
    start: usize,
    end: usize,
    depth: usize,
    title: Option<String>,
    link: Option<String>,
    id: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    tags: Vec<String>,
    full: Option<Body>,
    summary: Option<Body>,
}

fn parse_xml(text: &str, limits: &Limits) -> Result<Parsed, ProblemKind> {
    let mut reader = NsReader::from_str(text);
    {
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        config.expand_empty_elements = false;
    }
    // Local names of the open elements.
    let mut stack: Vec<String> = Vec::new();
    let mut root_checked = false;
    let mut item: Option<Item> = None;
    let mut capture: Option<Capture> = None;
    let mut feed_authors: Vec<String> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut stopped: Option<String> = None;
    let max_depth = limits.max_depth.max(8);

    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((resolved, event)) => (namespace(&resolved), event),
            Err(e) => {
                stopped = Some(format!("XML error at byte {}: {e}", reader.error_position()));
                break;
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name().into_inner().to_string();
                if !root_checked {
                    root_checked = true;
                    if !matches!(local.as_str(), "rss" | "feed" | "RDF") {
                        return Err(ProblemKind::malformed(
                            FORMAT,
                            format!("the root element is <{}>, not <rss>, <feed> or <rdf:RDF>", clip(&local, 40)),
                        ));
                    }
                }
                if stack.len() >= max_depth {
                    stopped = Some(format!("elements nested deeper than {max_depth}"));
                    break;
                }
                let depth = stack.len();
                let after = reader.buffer_position() as usize;
                if let Some(c) = capture.as_mut() {
                    c.has_children = true;
                    if c.field == Field::Author && local == "name" && depth == c.depth + 1 {
                        c.in_name = true;
                    }
                } else if let Some(it) = item.as_mut() {
                    if depth == it.depth + 1 {
                        capture = start_item_field(it, ns, &local, e, depth, after);
                    }
                } else if is_item(ns, &local) {
                    if items.len() >= limits.max_items {
                        stopped = Some(format!("only the first {} items were read", limits.max_items));
                        break;
                    }
                    item = Some(Item { start: before, depth, ..Item::default() });
                } else if depth >= 1
                    && matches!(stack.last().map(String::as_str), Some("channel" | "feed"))
                    && matches!((ns, local.as_str()), (Ns::Atom, "author") | (Ns::Dc, "creator"))
                {
                    capture = Some(new_capture(Field::Author, Kind::Text, depth, after));
                }
                if empty {
                    // An empty element ends where it starts.
                    if capture.as_ref().is_some_and(|c| c.depth == depth) {
                        let c = capture.take().expect("checked");
                        finish_capture(c, text, before, item.as_mut(), &mut feed_authors);
                    }
                    if let Some(c) = capture.as_mut() {
                        if c.in_name && depth == c.depth + 1 {
                            c.in_name = false;
                        }
                    }
                } else {
                    stack.push(local);
                }
            }
            Event::End(_) => {
                stack.pop();
                let depth = stack.len();
                if let Some(c) = capture.as_mut() {
                    if c.in_name && depth == c.depth + 1 {
                        c.in_name = false;
                    }
                }
                if capture.as_ref().is_some_and(|c| c.depth == depth) {
                    let c = capture.take().expect("checked");
                    finish_capture(c, text, before, item.as_mut(), &mut feed_authors);
                }
                if item.as_ref().is_some_and(|it| it.depth == depth) {
                    let mut it = item.take().expect("checked");
                    it.end = reader.buffer_position() as usize;
                    items.push(it);
                }
            }
            Event::Text(t) => {
                if let Some(c) = capture.as_mut() {
                    c.push(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(c) = capture.as_mut() {
                    c.push(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = capture.as_mut() {
                    let name = r.into_inner();
                    match resolve_entity(&name) {
                        Some(ch) => c.push(ch.encode_utf8(&mut [0; 4])),
                        None => c.push(&format!("&{name};")),
                    }
                }
            }
            Event::Eof => {
                if !root_checked {
                    return Err(ProblemKind::malformed(FORMAT, "no XML element found"));
                }
                if !stack.is_empty() {
                    stopped = Some("the file ends before the feed does (truncated?)".to_string());
                }
                break;
            }
            _ => {}
        }
    }

    let mut parsed = Parsed::default();
    let feed_author = (!feed_authors.is_empty()).then(|| feed_authors.join(", "));
    for it in items {
        let original = text.get(it.start..it.end).map(str::to_string);
        push_item(&mut parsed, it, original, feed_author.as_deref());
    }
    if let Some(why) = stopped {
        if parsed.documents.is_empty() && parsed.problems.is_empty() {
            return Err(ProblemKind::malformed(FORMAT, why));
        }
        parsed.problems.push((String::new(), ProblemKind::Partial { detail: why }));
    }
    Ok(parsed)
}

fn is_item(ns: Ns, local: &str) -> bool {
    matches!((ns, local), (Ns::Rss, "item") | (Ns::Atom, "entry"))
}

fn new_capture(field: Field, kind: Kind, depth: usize, inner_start: usize) -> Capture {
    Capture {
        field,
        kind,
        depth,
        text: String::new(),
        name: String::new(),
        in_name: false,
        inner_start,
        has_children: false,
    }
}

impl Capture {
    fn push(&mut self, s: &str) {
        if self.in_name {
            self.name.push_str(s);
        } else {
            self.text.push_str(s);
        }
    }
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().into_inner() == key).map(|a| {
        match a.normalized_value(quick_xml::XmlVersion::default()) {
            Ok(v) => v.into_owned(),
            // An HTML entity XML does not know: decoded as in text.
            Err(_) => decode_entities(&a.value),
        }
    })
}

/// Starts reading a direct child of an item, when it is a field we use.
fn start_item_field(
    it: &mut Item,
    ns: Ns,
    local: &str,
    e: &BytesStart<'_>,
    depth: usize,
    after: usize,
) -> Option<Capture> {
    let plain = matches!(ns, Ns::Rss | Ns::Atom);
    let (field, kind) = match (ns, local) {
        (_, "title") if plain => (Field::Title, title_kind(e)),
        (_, "link") if plain => {
            if let Some(href) = attribute(e, "href") {
                let rel = attribute(e, "rel");
                if matches!(rel.as_deref(), None | Some("alternate")) && it.link.is_none() {
                    it.link = Some(href.trim().to_string());
                }
                return None;
            }
            (Field::Link, Kind::Text)
        }
        (Ns::Rss, "guid") | (Ns::Atom, "id") => (Field::Id, Kind::Text),
        (Ns::Rss, "pubDate") | (Ns::Atom, "published" | "issued") | (Ns::Dc, "date") => (Field::Published, Kind::Text),
        (Ns::Atom, "updated" | "modified") | (Ns::Dc, "modified") => (Field::Updated, Kind::Text),
        (_, "author") if plain => (Field::Author, Kind::Text),
        (Ns::Dc, "creator") => (Field::Author, Kind::Text),
        (Ns::Atom, "category") => {
            if let Some(term) = attribute(e, "label").or_else(|| attribute(e, "term")) {
                push_tag(&mut it.tags, &term);
            }
            return None;
        }
        (Ns::Rss, "category") | (Ns::Dc, "subject") => (Field::Tag, Kind::Text),
        (Ns::Content, "encoded") => (Field::Full, Kind::Html),
        (Ns::Rss, "description") => (Field::Summary, Kind::Guess),
        (Ns::Atom, "content") => (Field::Full, atom_kind(e)),
        (Ns::Atom, "summary") => (Field::Summary, atom_kind(e)),
        _ => return None,
    };
    Some(new_capture(field, kind, depth, after))
}

fn title_kind(e: &BytesStart<'_>) -> Kind {
    match attribute(e, "type").as_deref() {
        Some("html" | "xhtml" | "text/html") => Kind::Html,
        _ => Kind::Guess,
    }
}

fn atom_kind(e: &BytesStart<'_>) -> Kind {
    if attribute(e, "src").is_some() {
        return Kind::Skip;
    }
    match attribute(e, "type").as_deref().map(str::trim) {
        None | Some("" | "text" | "text/plain") => Kind::Text,
        Some("html" | "text/html") => Kind::Html,
        Some("xhtml" | "application/xhtml+xml") => Kind::Xhtml,
        Some(_) => Kind::Skip,
    }
}

/// Stores a finished field in its item (or, outside items, the feed's author).
fn finish_capture(c: Capture, src: &str, end: usize, item: Option<&mut Item>, feed_authors: &mut Vec<String>) {
    let Some(it) = item else {
        if let Some(name) = author_name(&c) {
            feed_authors.push(name);
        }
        return;
    };
    let single = |s: &str| {
        let s = collapse(s);
        (!s.is_empty()).then_some(s)
    };
    match c.field {
        Field::Title => {
            let raw = if c.has_children { src.get(c.inner_start..end).unwrap_or("") } else { &c.text };
            let title = if c.kind == Kind::Html || looks_like_html(raw) || c.has_children {
                strip_tags(raw)
            } else {
                raw.to_string()
            };
            it.title = it.title.take().or_else(|| single(&title));
        }
        Field::Link => it.link = it.link.take().or_else(|| single(&c.text)),
        Field::Id => it.id = it.id.take().or_else(|| single(&c.text)),
        Field::Published => it.published = it.published.take().or_else(|| single(&c.text)),
        Field::Updated => it.updated = it.updated.take().or_else(|| single(&c.text)),
        Field::Author => {
            if let Some(name) = author_name(&c) {
                if !it.authors.contains(&name) {
                    it.authors.push(name);
                }
            }
        }
        Field::Tag => push_tag(&mut it.tags, &c.text),
        Field::Full | Field::Summary => {
            let body = match c.kind {
                Kind::Skip => return,
                Kind::Xhtml => Body { text: src.get(c.inner_start..end).unwrap_or("").to_string(), html: true },
                // Markup left unescaped in the feed arrives as child elements: take it raw.
                _ if c.has_children => Body { text: src.get(c.inner_start..end).unwrap_or("").to_string(), html: true },
                Kind::Html => Body { text: c.text, html: true },
                Kind::Text => Body { text: c.text, html: false },
                Kind::Guess => {
                    let html = looks_like_html(&c.text);
                    Body { text: c.text, html }
                }
            };
            if body.text.trim().is_empty() {
                return;
            }
            let slot = if c.field == Field::Full { &mut it.full } else { &mut it.summary };
            if slot.is_none() {
                *slot = Some(body);
            }
        }
    }
}

/// A person's name from an author element: Atom's `<name>`, else its text; an RSS
/// `email (Name)` gives the name, a bare e-mail address nothing.
fn author_name(c: &Capture) -> Option<String> {
    let name = collapse(&c.name);
    if !name.is_empty() {
        return Some(name);
    }
    if c.has_children {
        return None; // an Atom author with only <email> or <uri>
    }
    person_name(&c.text)
}

/// A name from `Name`, `email (Name)` or `Name <email>`; `None` for a bare address.
pub(crate) fn person_name(raw: &str) -> Option<String> {
    let s = collapse(raw);
    if s.is_empty() {
        return None;
    }
    if let (Some(open), true) = (s.find('('), s.ends_with(')')) {
        if s[..open].contains('@') {
            let name = collapse(&s[open + 1..s.len() - 1]);
            return (!name.is_empty()).then_some(name);
        }
    }
    if let (Some(open), true) = (s.find('<'), s.ends_with('>')) {
        let name = collapse(s[..open].trim_matches('"'));
        return (!name.is_empty()).then_some(name);
    }
    if s.contains('@') && !s.contains(' ') {
        return None;
    }
    Some(s)
}

fn push_tag(tags: &mut Vec<String>, raw: &str) {
    let tag = collapse(raw);
    if !tag.is_empty() && tag.chars().count() <= 200 && !tags.contains(&tag) {
        tags.push(tag);
    }
}

fn push_item(parsed: &mut Parsed, it: Item, original: Option<String>, feed_author: Option<&str>) {
    let date =
        it.published.as_deref().and_then(metadata_date).or_else(|| it.updated.as_deref().and_then(metadata_date));
    let content =
        it.full.or(it.summary).map(|b| if b.html { Content::Fragment(b.text) } else { Content::Text(b.text) });
    let key = it.id.clone().or_else(|| it.link.clone()).unwrap_or_else(|| {
        hash_key(&format!("{}\u{0}{}", it.title.as_deref().unwrap_or(""), date.as_deref().unwrap_or("")))
    });
    if it.title.is_none() && content.is_none() {
        parsed.problems.push((key, ProblemKind::malformed(FORMAT, "an item with neither a title nor any text")));
        return;
    }
    let author = if it.authors.is_empty() { feed_author.map(str::to_string) } else { Some(it.authors.join(", ")) };
    parsed.documents.push(Document {
        item: key,
        meta: SourceMeta { title: it.title, date, author, url: it.link, tags: it.tags },
        content: content.unwrap_or_default(),
        original,
    });
}

/// An item key made from what an item says of itself, when it has no id or link.
pub(crate) fn hash_key(s: &str) -> String {
    format!("h{:016x}", stable_hash(s.as_bytes()))
}

/// XML's own entities, character references and the HTML entities feeds use most.
fn resolve_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n).filter(|&c| c != '\0');
    }
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "eacute" => 'é',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

/// Whether text holds HTML markup: a tag such as `<p>`, `</a>`, `<br/>`, or an entity.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!')) || has_entity(s)
}

fn has_entity(s: &str) -> bool {
    s.match_indices('&').any(|(i, _)| {
        let rest = &s[i + 1..];
        let len = rest.find(';').unwrap_or(usize::MAX);
        len > 0 && len <= 10 && rest[..len].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
    })
}

/// Text with tags removed and the commonest entities decoded: for titles, which are one line.
pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!') {
            match after.find('>') {
                Some(gt) => rest = &after[gt + 1..],
                None => {
                    rest = "";
                }
            }
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    decode_entities(&out)
}

/// Decodes `&name;` and `&#n;` references that [`resolve_entity`] knows; leaves others.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|&n| n > 0 && n <= 10);
        match semi.and_then(|n| resolve_entity(&after[..n]).map(|c| (n, c))) {
            Some((n, c)) => {
                out.push(c);
                rest = &after[n + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace collapsed to single spaces, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

// ---------------------------------------------------------------------------------------------
// JSON Feed

fn parse_json_feed(feed: &Value, limits: &Limits) -> Result<Parsed, ProblemKind> {
    let Some(obj) = feed.as_object() else {
        return Err(ProblemKind::malformed(FORMAT, "a JSON Feed is an object"));
    };
    let Some(items) = obj.get("items").and_then(Value::as_array) else {
        return Err(ProblemKind::malformed(FORMAT, "a JSON Feed without an \"items\" array"));
    };
    let feed_author = json_authors(obj);
    let mut parsed = Parsed::default();
    for (n, item) in items.iter().enumerate() {
        if n >= limits.max_items {
            parsed.problems.push((
                String::new(),
                ProblemKind::Partial { detail: format!("only the first {} items were read", limits.max_items) },
            ));
            break;
        }
        let Some(it) = item.as_object() else {
            parsed
                .problems
                .push((format!("#{}", n + 1), ProblemKind::malformed(FORMAT, "an item that is not an object")));
            continue;
        };
        let text = |k: &str| it.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let title = text("title").map(collapse);
        let date =
            text("date_published").and_then(metadata_date).or_else(|| text("date_modified").and_then(metadata_date));
        let url = text("url").or_else(|| text("external_url")).map(str::to_string);
        let content = if let Some(html) = text("content_html") {
            Some(Content::Fragment(html.to_string()))
        } else if let Some(t) = text("content_text") {
            Some(Content::Text(t.to_string()))
        } else {
            text("summary").map(|s| {
                if looks_like_html(s) {
                    Content::Fragment(s.to_string())
                } else {
                    Content::Text(s.to_string())
                }
            })
        };
        let id = match it.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let key = id.or_else(|| url.clone()).unwrap_or_else(|| {
            hash_key(&format!("{}\u{0}{}", title.as_deref().unwrap_or(""), date.as_deref().unwrap_or("")))
        });
        if title.is_none() && content.is_none() {
            parsed.problems.push((key, ProblemKind::malformed(FORMAT, "an item with neither a title nor any text")));
            continue;
        }
        let mut tags = Vec::new();
        for t in it.get("tags").and_then(Value::as_array).into_iter().flatten() {
            if let Some(t) = t.as_str() {
                push_tag(&mut tags, t);
            }
        }
        let author = json_authors(it).or_else(|| feed_author.clone());
        parsed.documents.push(Document {
            item: key,
            meta: SourceMeta { title, date, author, url, tags },
            content: content.unwrap_or_default(),
            original: serde_json::to_string_pretty(item).ok(),
        });
    }
    Ok(parsed)
}

/// JSON Feed 1.1 `authors` (or 1.0 `author`) names, joined.
fn json_authors(obj: &serde_json::Map<String, Value>) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    let one = |v: &Value| v.get("name").and_then(Value::as_str).and_then(person_name);
    if let Some(list) = obj.get("authors").and_then(Value::as_array) {
        names.extend(list.iter().filter_map(one));
    }
    if names.is_empty() {
        names.extend(obj.get("author").and_then(one));
    }
    names.dedup();
    (!names.is_empty()).then(|| names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = include_str!("../../../tests/fixtures/mixed/feed.rss");
    const ATOM: &str = include_str!("../../../tests/fixtures/mixed/feed.atom");
    const JSON_FEED: &str = include_str!("../../../tests/fixtures/mixed/feed.json");

    fn read(text: &str) -> Parsed {
        parse(text.as_bytes(), &Limits::default()).expect("a readable feed")
    }

    fn fragment(doc: &Document) -> &str {
        match &doc.content {
            Content::Fragment(html) => html,
            other => panic!("expected an HTML fragment, got {other:?}"),
        }
    }

    fn titles(p: &Parsed) -> Vec<&str> {
        p.documents.iter().map(|d| d.meta.title.as_deref().unwrap_or("")).collect()
    }

    #[test]
    fn rss_items_with_creators_dates_and_encoded_content() {
        let p = read(RSS);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            titles(&p),
            [
                "Port of Velmora signs dredging deal with Castellan Marine",
                "Fishermen in Skarnes protest new quota rules",
                "Ferry service to Grimsøy restored after storm"
            ]
        );
        let dates: Vec<_> = p.documents.iter().map(|d| d.meta.date.as_deref()).collect();
        assert_eq!(dates, [Some("2024-03-12"), Some("2024-03-14"), Some("2024-03-16")]);
        let authors: Vec<_> = p.documents.iter().map(|d| d.meta.author.as_deref()).collect();
        assert_eq!(authors, [Some("Ines Halvorsen"), Some("Jonas Ekdahl, Ines Halvorsen"), None]);

        let first = &p.documents[0];
        assert_eq!(first.item, "hl-2024-0312-velmora");
        assert_eq!(first.meta.url.as_deref(), Some("https://harbourledger.example/coast/2024/03/velmora-dredging"));
        assert_eq!(first.meta.tags, ["Shipping", "Velmora"]);
        // content:encoded wins over description, and its entities are left for the HTML step.
        let html = fragment(first);
        assert!(html.contains("<strong>Castellan Marine</strong>") && html.contains("Tidewatch Alliance"));
        assert!(!html.contains("two metres"));
        // The item's own XML, cut from the file.
        let original = first.original.as_deref().unwrap();
        assert!(original.starts_with("<item>") && original.ends_with("</item>"), "{original}");
        assert!(original.contains("<guid isPermaLink=\"false\">hl-2024-0312-velmora</guid>"));

        // No guid: the link is the key; an escaped HTML description is a fragment.
        let third = &p.documents[2];
        assert_eq!(third.item, "https://harbourledger.example/coast/2024/03/grimsoy-ferry");
        assert!(fragment(third).starts_with("<p>Nordlys Ferries resumed"));
    }

    #[test]
    fn atom_entries_prefer_content_and_fall_back_to_the_feed_author() {
        let p = read(ATOM);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            titles(&p),
            [
                "Observatory at Cerro Alto finds second comet this year",
                "Drought shrinks Lake Parana reservoir to record low"
            ]
        );
        let [comet, drought] = &p.documents[..] else { panic!("two entries") };
        assert_eq!(comet.meta.date.as_deref(), Some("2024-05-20"), "published, as written, before updated");
        assert_eq!(comet.meta.author.as_deref(), Some("Camila Reyes"));
        assert_eq!(comet.meta.tags, ["Astronomy", "chile"]);
        assert_eq!(comet.meta.url.as_deref(), Some("https://meridiancourier.example/science/4471-cerro-alto-comet"));
        assert_eq!(comet.item, "tag:meridiancourier.example,2024:science/4471");
        let html = fragment(comet);
        assert!(html.starts_with("<p>Astronomers at the Cerro Alto Observatory"), "{html}");
        assert!(!html.contains("faint comet"), "content wins over summary");

        assert_eq!(drought.meta.date.as_deref(), Some("2024-05-18"), "updated when nothing was published");
        assert_eq!(drought.meta.author.as_deref(), Some("Meridian Courier Science Desk"));
        let xhtml = fragment(drought);
        assert!(xhtml.contains("<p>The Lake Parana reservoir") && xhtml.contains("Rosa Benítez"), "{xhtml}");
    }

    #[test]
    fn json_feed_items() {
        let p = read(JSON_FEED);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(
            titles(&p),
            ["Rail strike halts trains between Dornbach and Kessel", "Kessel council approves new flood defences"]
        );
        let [strike, flood] = &p.documents[..] else { panic!("two items") };
        assert_eq!(strike.meta.date.as_deref(), Some("2024-11-02"));
        assert_eq!(strike.meta.author.as_deref(), Some("Petra Lindqvist"));
        assert_eq!(strike.meta.tags, ["transport", "strikes"]);
        assert_eq!(strike.item, "lg-2024-1102");
        assert!(fragment(strike).contains("Gregor Albrecht"));
        assert!(strike.original.as_deref().unwrap().contains("\"lg-2024-1102\""));
        assert_eq!(flood.meta.date.as_deref(), Some("2024-11-03"));
        assert_eq!(flood.meta.author.as_deref(), Some("Lowland Gazette staff"));
        match &flood.content {
            Content::Text(t) => assert!(t.contains("Councillor Miriam Osei") && t.contains("\n\n")),
            other => panic!("plain text expected, got {other:?}"),
        }
    }

    #[test]
    fn rss_1_0_with_dublin_core() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://a.example/"><title>A</title><dc:creator>Desk</dc:creator></channel>
  <item rdf:about="https://a.example/1">
    <title>Minister resigns in Tallinn</title>
    <link>https://a.example/1</link>
    <description>The minister, Kadri Tamm, resigned on Friday.</description>
    <dc:date>2023-10-06T12:00:00+03:00</dc:date>
    <dc:subject>Politics</dc:subject>
  </item>
</rdf:RDF>"#;
        let p = read(rdf);
        let [doc] = &p.documents[..] else { panic!("one item: {p:?}") };
        assert_eq!(doc.meta.title.as_deref(), Some("Minister resigns in Tallinn"));
        assert_eq!(doc.meta.date.as_deref(), Some("2023-10-06"));
        assert_eq!(doc.meta.author.as_deref(), Some("Desk"));
        assert_eq!(doc.meta.tags, ["Politics"]);
        assert_eq!(doc.content, Content::Text("The minister, Kadri Tamm, resigned on Friday.".into()));
    }

    #[test]
    fn an_item_without_title_or_text_is_an_item_problem() {
        let rss = "<rss><channel><item><guid>empty-1</guid><link>https://x.example/</link></item>\
                   <item><title>Kept</title></item></channel></rss>";
        let p = read(rss);
        assert_eq!(titles(&p), ["Kept"]);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].0, "empty-1");
        assert!(matches!(p.problems[0].1, ProblemKind::Malformed { .. }));
    }

    #[test]
    fn items_without_ids_get_stable_distinct_keys() {
        let rss = "<rss><channel><item><title>One</title></item><item><title>Two</title></item></channel></rss>";
        let (a, b) = (read(rss), read(rss));
        assert_eq!(a.documents[0].item, b.documents[0].item);
        assert_ne!(a.documents[0].item, a.documents[1].item);
        assert!(!a.documents[0].item.is_empty());
    }

    #[test]
    fn a_truncated_feed_keeps_its_whole_items() {
        let cut = &RSS[..RSS.find("Fishermen in Skarnes").unwrap()];
        let p = read(cut);
        assert_eq!(titles(&p), ["Port of Velmora signs dredging deal with Castellan Marine"]);
        assert!(
            matches!(p.problems.last(), Some((k, ProblemKind::Partial { .. })) if k.is_empty()),
            "{:?}",
            p.problems
        );
        // Cut before any item ends: nothing to keep.
        let early = &RSS[..RSS.find("<dc:creator>").unwrap()];
        assert!(matches!(parse(early.as_bytes(), &Limits::default()), Err(ProblemKind::Malformed { .. })));
    }

    #[test]
    fn max_items_is_kept_with_a_note() {
        let limits = Limits { max_items: 2, ..Limits::default() };
        let p = parse(RSS.as_bytes(), &limits).unwrap();
        assert_eq!(p.documents.len(), 2);
        assert!(matches!(p.problems[..], [(_, ProblemKind::Partial { .. })]));
    }

    #[test]
    fn not_a_feed_is_malformed() {
        for text in ["<html><body><p>Hi</p></body></html>", "plain words", "{\"items\": 3}", "<rss><channel>"] {
            match parse(text.as_bytes(), &Limits::default()) {
                Err(ProblemKind::Malformed { format, .. }) => assert_eq!(format, "feed"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(parse(b"  \n", &Limits::default()), Err(ProblemKind::Empty));
    }

    #[test]
    fn latin1_feed_is_decoded_by_its_declaration() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>".to_vec();
        bytes.extend_from_slice(b"Caf\xe9 in M\xe1laga</title></item></channel></rss>");
        let p = parse(&bytes, &Limits::default()).unwrap();
        assert_eq!(titles(&p), ["Café in Málaga"]);
    }

    #[test]
    fn entities_in_titles_are_decoded_and_rss_author_emails_give_names() {
        let rss = "<rss><channel><item><title>Smith &amp; Sons &#8212; a &ldquo;quiet&rdquo; sale</title>\
                   <author>jane@paper.example (Jane Roe)</author><description>x</description></item>\
                   <item><title>T</title><author>desk@paper.example</author><description>y</description></item>\
                   </channel></rss>";
        let p = read(rss);
        assert_eq!(titles(&p)[0], "Smith & Sons — a “quiet” sale");
        assert_eq!(p.documents[0].meta.author.as_deref(), Some("Jane Roe"));
        assert_eq!(p.documents[1].meta.author, None, "a bare address is not a name");
    }

    #[test]
    fn sniffs_feeds_and_nothing_else() {
        assert!(sniff(RSS.as_bytes()));
        assert!(sniff(ATOM.as_bytes()));
        assert!(sniff(JSON_FEED.as_bytes()));
        assert!(sniff(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><?xml-stylesheet href='s.xsl'?><rdf:RDF/>"));
        assert!(!sniff(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"));
        assert!(!sniff(b"<!DOCTYPE html><html><body>feed</body></html>"));
        assert!(!sniff(b"{\"title\": \"x\"}"));
        assert!(!sniff(b""));
    }

    #[test]
    fn dates_in_feed_forms() {
        assert_eq!(metadata_date("Tue, 12 Mar 2024 08:30:00 +0100").as_deref(), Some("2024-03-12"));
        assert_eq!(metadata_date("12 Mar 2024 08:30 GMT").as_deref(), Some("2024-03-12"));
        assert_eq!(metadata_date("2024-05-20T22:15:00-04:00").as_deref(), Some("2024-05-20"));
        assert_eq!(metadata_date("2024-05-20 22:15:00").as_deref(), Some("2024-05-20"));
        assert_eq!(metadata_date("20240520T221500Z").as_deref(), Some("2024-05-20"));
        assert_eq!(metadata_date("March 5, 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(metadata_date("Tue, 31 Feb 2024 08:30:00 +0100"), None);
        assert_eq!(metadata_date("yesterday"), None);
    }
}
