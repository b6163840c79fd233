//! Markdown: front matter (YAML `---` or TOML `+++`) as metadata, the body rendered as text by
//! pulldown-cmark with its markup gone. Code blocks are left out, so code is never read as prose.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::feed::{collapse, person_name, strip_tags};
use crate::core::dates::metadata_date;
use crate::core::document::{Content, Document, SourceMeta};

/// A Markdown file as one document: front matter as metadata, the body rendered as text.
pub fn parse(text: &str) -> Document {
    let text = text.trim_start_matches('\u{feff}');
    let (mut meta, body) = match split_front_matter(text) {
        Some((FrontMatter::Yaml(block), body)) => (read_yaml(block), body),
        Some((FrontMatter::Toml(block), body)) => (read_toml(block), body),
        None => (SourceMeta::default(), text),
    };
    let rendered = render(body, meta.title.is_none());
    if meta.title.is_none() {
        meta.title = rendered.title;
    }
    Document { item: String::new(), meta, content: Content::Text(rendered.text), original: None }
}

enum FrontMatter<'a> {
    Yaml(&'a str),
    Toml(&'a str),
}

/// The front matter block and the body after it, when the text opens with `---` or `+++` on a
/// line of its own and a matching closing line follows.
fn split_front_matter(text: &str) -> Option<(FrontMatter<'_>, &str)> {
    let first_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return None;
    }
    let block_start = (first_end + 1).min(text.len());
    let mut pos = block_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
        let line = text[pos..end].trim_end();
        if line == fence || (fence == "---" && line == "...") {
            let block = &text[block_start..pos];
            let body = text.get(end + 1..).unwrap_or("");
            return Some((if fence == "---" { FrontMatter::Yaml(block) } else { FrontMatter::Toml(block) }, body));
        }
        pos = end + 1;
    }
    None
}

/// What a front matter key says, by the keys newsroom reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Title,
    Date,
    Author,
    Tags,
}

fn key_of(name: &str) -> Option<Key> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "title" | "headline" => Key::Title,
        "date" | "published" | "pubdate" | "publishdate" | "date_published" | "created" => Key::Date,
        "author" | "authors" | "byline" => Key::Author,
        "tags" | "categories" | "category" | "keywords" => Key::Tags,
        _ => return None,
    })
}

/// Collects the values of front matter keys into metadata; the first value of a key wins, tags
/// from every tag key are kept.
#[derive(Default)]
struct MetaBuilder {
    meta: SourceMeta,
    authors: Vec<String>,
}

impl MetaBuilder {
    fn set(&mut self, key: Key, values: Vec<String>) {
        let values: Vec<String> = values.iter().map(|v| collapse(v)).filter(|v| !v.is_empty()).collect();
        match key {
            Key::Title => {
                if self.meta.title.is_none() {
                    self.meta.title = values.into_iter().next().map(|t| collapse(&strip_tags(&t)));
                }
            }
            Key::Date => {
                if self.meta.date.is_none() {
                    self.meta.date = values.first().and_then(|d| metadata_date(d));
                }
            }
            Key::Author => {
                if self.authors.is_empty() {
                    self.authors = values.iter().filter_map(|a| person_name(a)).collect();
                }
            }
            Key::Tags => {
                for v in values {
                    if v.chars().count() <= 200 && !self.meta.tags.contains(&v) {
                        self.meta.tags.push(v);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> SourceMeta {
        self.authors.dedup();
        if !self.authors.is_empty() {
            self.meta.author = Some(self.authors.join(", "));
        }
        self.meta
    }
}

/// The keys of a YAML front matter newsroom reads — `key: value`, `key: [a, b]`, `key:` followed
/// by `- a` items or by a mapping with a `name:` — without a YAML library.
fn read_yaml(block: &str) -> SourceMeta {
    let mut meta = MetaBuilder::default();
    let lines: Vec<&str> = block.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        let Some(key) = key_of(name) else { continue };
        let value = strip_comment(value.trim());
        // The indented lines that belong to this key.
        let start = i;
        while i < lines.len()
            && (lines[i].starts_with([' ', '\t']) || lines[i].trim().is_empty() || lines[i].starts_with('-'))
        {
            i += 1;
        }
        let nested = &lines[start..i];
        let values = if value.is_empty() {
            nested_values(nested)
        } else if value.starts_with(['|', '>']) {
            vec![nested.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")]
        } else {
            scalar_or_list(value)
        };
        meta.set(key, values);
    }
    meta.finish()
}

/// Values given on the lines under a key: `- a` list items (`- name: A` gives `A`), or a
/// mapping's `name:`.
fn nested_values(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let t = line.trim();
        let item = t.strip_prefix('-').map(str::trim);
        let t = item.unwrap_or(t);
        if let Some((k, v)) = t.split_once(':') {
            if k.trim().eq_ignore_ascii_case("name") {
                out.push(unquote(strip_comment(v.trim())));
            }
        } else if item.is_some() && !t.is_empty() {
            out.push(unquote(strip_comment(t)));
        }
    }
    out
}

/// A value on the key's own line: `[a, "b"]` as a list, else one (unquoted) value.
fn scalar_or_list(value: &str) -> Vec<String> {
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        return split_list(inner);
    }
    vec![unquote(value)]
}

/// The items of an inline list, split at commas outside quotes.
fn split_list(inner: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (c, quote) {
            ('"' | '\'', None) => {
                quote = Some(c);
                current.push(c);
            }
            (q, Some(open)) if q == open => {
                quote = None;
                current.push(c);
            }
            (',', None) => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items.iter().map(|s| unquote(s.trim())).filter(|s| !s.is_empty()).collect()
}

/// A value without its surrounding quotes; `\"` and `''` escapes undone.
fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return s[1..s.len() - 1].replace("\\\"", "\"").replace("\\\\", "\\");
    }
    if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') {
        return s[1..s.len() - 1].replace("''", "'");
    }
    s.to_string()
}

/// A value without a trailing ` # comment` (outside quotes).
fn strip_comment(s: &str) -> &str {
    if s.starts_with(['"', '\'']) {
        return s;
    }
    match s.find(" #") {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

/// The keys of a TOML front matter newsroom reads: `key = value` in the root table or in
/// `[taxonomies]`, `[extra]`, `[params]`, and `name` in an `[author]` table; arrays may span lines.
fn read_toml(block: &str) -> SourceMeta {
    let mut meta = MetaBuilder::default();
    let mut table = String::new();
    let mut lines = block.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.starts_with('[') && !line.contains('=') {
            table = line.trim_matches(['[', ']', ' ']).to_ascii_lowercase();
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let name = name.trim().trim_matches('"');
        let key = match (table.as_str(), key_of(name)) {
            ("author" | "authors", _) if name.eq_ignore_ascii_case("name") => Some(Key::Author),
            ("" | "taxonomies" | "extra" | "params", k) => k,
            _ => None,
        };
        let Some(key) = key else { continue };
        let mut value = value.trim().to_string();
        // An array continued on the following lines.
        if value.starts_with('[') && !value.trim_end().ends_with(']') {
            for more in lines.by_ref() {
                value.push(' ');
                value.push_str(more.trim());
                if more.trim_end().ends_with(']') {
                    break;
                }
            }
        }
        meta.set(key, scalar_or_list(strip_comment(&value)));
    }
    meta.finish()
}

struct Rendered {
    title: Option<String>,
    text: String,
}

/// Builds text out of blocks (paragraphs, lists, tables), each of one or more lines.
#[derive(Default)]
struct Writer {
    blocks: Vec<String>,
    lines: Vec<String>,
    line: String,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.line.push_str(s);
    }

    fn end_line(&mut self) {
        let line = collapse(&std::mem::take(&mut self.line));
        if !line.is_empty() {
            self.lines.push(line);
        }
    }

    fn end_block(&mut self) {
        self.end_line();
        if !self.lines.is_empty() {
            self.blocks.push(std::mem::take(&mut self.lines).join("\n"));
        }
    }
}

/// Renders Markdown as text; with `want_title`, the first level-1 heading is returned as the
/// title instead of being written.
fn render(markdown: &str, want_title: bool) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut w = Writer::default();
    let mut title: Option<String> = None;
    let mut want_title = want_title;
    // Inside a code block: its text is not written.
    let mut in_code = false;
    // Inside the heading taken as the title: its text goes there.
    let mut title_text: Option<String> = None;
    let mut item_depth = 0usize;
    let mut cells: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        if in_code {
            if matches!(event, Event::End(TagEnd::CodeBlock)) {
                in_code = false;
            }
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) => in_code = true,
                Tag::Heading { level, .. } => {
                    w.end_block();
                    if want_title && level == HeadingLevel::H1 {
                        title_text = Some(String::new());
                    }
                }
                Tag::Paragraph => {
                    if item_depth > 0 {
                        w.end_line();
                    } else {
                        w.end_block();
                    }
                }
                Tag::Item => {
                    w.end_line();
                    item_depth += 1;
                }
                Tag::List(_) => {
                    if item_depth == 0 {
                        w.end_block();
                    } else {
                        w.end_line();
                    }
                }
                Tag::Table(_) => w.end_block(),
                Tag::TableHead | Tag::TableRow => cells.clear(),
                Tag::BlockQuote(_) | Tag::HtmlBlock | Tag::FootnoteDefinition(_) | Tag::DefinitionList => {
                    if item_depth == 0 {
                        w.end_block()
                    } else {
                        w.end_line()
                    }
                }
                Tag::DefinitionListTitle | Tag::DefinitionListDefinition => w.end_line(),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) => {
                    if let Some(t) = title_text.take() {
                        let t = collapse(&t);
                        if !t.is_empty() {
                            title = Some(t);
                            want_title = false;
                        }
                    } else {
                        w.end_block();
                    }
                }
                TagEnd::Paragraph => {
                    if item_depth > 0 {
                        w.end_line();
                    } else {
                        w.end_block();
                    }
                }
                TagEnd::Item => {
                    w.end_line();
                    item_depth = item_depth.saturating_sub(1);
                }
                TagEnd::List(_) if item_depth == 0 => w.end_block(),
                TagEnd::TableCell => {
                    cells.push(collapse(&std::mem::take(&mut w.line)));
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    let row: Vec<&str> = cells.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
                    w.line = row.join(" · ");
                    w.end_line();
                    cells.clear();
                }
                TagEnd::Table => w.end_block(),
                TagEnd::BlockQuote(_) | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition => {
                    if item_depth == 0 {
                        w.end_block()
                    } else {
                        w.end_line()
                    }
                }
                _ => {}
            },
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => match title_text.as_mut()
            {
                Some(title) => title.push_str(&t),
                None => w.push(&t),
            },
            Event::Html(html) => {
                let text = strip_tags(&html);
                w.push(&text);
                w.push(" ");
            }
            Event::SoftBreak | Event::HardBreak => match title_text.as_mut() {
                Some(title) => title.push(' '),
                None => w.push(" "),
            },
            Event::Rule => w.end_block(),
            Event::InlineHtml(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    w.end_block();
    Rendered { title, text: w.blocks.join("\n\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = include_str!("../../../tests/fixtures/mixed/note.md");

    fn text(doc: &Document) -> &str {
        match &doc.content {
            Content::Text(t) => t,
            other => panic!("text expected, got {other:?}"),
        }
    }

    #[test]
    fn note_front_matter_and_plain_body() {
        let doc = parse(NOTE);
        assert_eq!(doc.meta.title.as_deref(), Some("Council election: Greens gain three seats in Aldbury"));
        assert_eq!(doc.meta.date.as_deref(), Some("2024-04-14"));
        assert_eq!(doc.meta.author.as_deref(), Some("Ruth Calloway"));
        assert_eq!(doc.meta.tags, ["elections", "Aldbury", "local government"]);
        let body = text(&doc);
        for markup in ["**", "](", "|", "<span", "```", "# ", "---", "![", "*Aldbury"] {
            assert!(!body.contains(markup), "{markup:?} left in:\n{body}");
        }
        assert!(!body.contains("seats ="), "code is left out:\n{body}");
        assert!(body.contains("The Green Party won three seats on Aldbury District Council on Thursday, taking control of the planning committee for the first time. Turnout was 38 per cent, according to the returning officer."), "{body}");
        assert!(body.contains("Samira Haddad at the count in Aldbury"), "image alt text kept");
        assert!(body.contains("Party · Seats · Change\nGreen · 11 · +3\nConservative · 9 · -2"), "{body}");
        assert!(body.contains("Millbrook: Conservative hold\nNorthgate: Green gain from Labour\n"), "{body}");
        assert!(body.contains("Figures are provisional."));
        assert!(!body.contains("\n\n\n") && !body.starts_with('\n') && !body.ends_with('\n'));
    }

    #[test]
    fn first_heading_is_the_title_without_front_matter() {
        let doc = parse("Intro line.\n\n# Flood *warning* for Ravenna\n\nThe Po rose overnight.\n\n# Second\n\nMore.");
        assert_eq!(doc.meta.title.as_deref(), Some("Flood warning for Ravenna"));
        assert_eq!(text(&doc), "Intro line.\n\nThe Po rose overnight.\n\nSecond\n\nMore.");
    }

    #[test]
    fn toml_front_matter() {
        let doc = parse(
            "+++\ntitle = \"Budget passes in Valletta\"\ndate = 2023-11-28T09:00:00+01:00\nauthors = [\"Maria Borg\", \"Karl Vella\"]\n\n[taxonomies]\ntags = [\n  \"Malta\",\n  \"budget\",\n]\n+++\nParliament in Valletta approved the budget.\n",
        );
        assert_eq!(doc.meta.title.as_deref(), Some("Budget passes in Valletta"));
        assert_eq!(doc.meta.date.as_deref(), Some("2023-11-28"));
        assert_eq!(doc.meta.author.as_deref(), Some("Maria Borg, Karl Vella"));
        assert_eq!(doc.meta.tags, ["Malta", "budget"]);
        assert_eq!(text(&doc), "Parliament in Valletta approved the budget.");
    }

    #[test]
    fn yaml_block_lists_and_author_mappings() {
        let doc = parse(
            "---\ntitle: 'Port reopens'\ndate: \"2022-08-01\"\nauthor:\n  name: Ines Moura\n  email: i@m.example\ncategories:\n  - shipping\n  - \"Lisbon\"\nlayout: post\n---\nText.",
        );
        assert_eq!(doc.meta.title.as_deref(), Some("Port reopens"));
        assert_eq!(doc.meta.date.as_deref(), Some("2022-08-01"));
        assert_eq!(doc.meta.author.as_deref(), Some("Ines Moura"));
        assert_eq!(doc.meta.tags, ["shipping", "Lisbon"]);
        let doc = parse("---\nauthors:\n- Ana Silva\n- name: Rui Costa\n---\nText.");
        assert_eq!(doc.meta.author.as_deref(), Some("Ana Silva, Rui Costa"));
    }

    #[test]
    fn an_unclosed_fence_is_not_front_matter() {
        let doc = parse("---\n\nA rule, then words.");
        assert_eq!(doc.meta, SourceMeta::default());
        assert_eq!(text(&doc), "A rule, then words.");
    }

    #[test]
    fn indented_code_html_blocks_and_quotes() {
        let doc = parse("Para one.\n\n    let x = secret_code();\n\n<div class=\"box\">\n<p>Boxed &amp; kept</p>\n</div>\n\n> Quoted *line*.\n");
        let body = text(&doc);
        assert!(!body.contains("secret_code"), "{body}");
        assert!(body.contains("Boxed & kept") && !body.contains('<'), "{body}");
        assert!(body.contains("Quoted line."), "{body}");
    }
}
