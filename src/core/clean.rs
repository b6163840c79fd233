//! Cleaning: turns the decoded text of one article into an [`Article`] — metadata out of the
//! body, a title, web furniture removed, repeats dropped, walls of text split into paragraphs.
//!
//! Each rule is a small function over lines or paragraphs, applied in order by
//! [`clean_document`]. Every rule reads its input a bounded number of times (hash sets, no
//! pairwise comparisons), so cleaning takes time linear in the text.

use rustc_hash::FxHashSet as HashSet;

use crate::core::article::{Article, PARAGRAPH_SEPARATOR};
use crate::core::dates::{date_prefix, parse_date};
use crate::core::document::SourceMeta;
use crate::core::furniture::Furniture;
use crate::core::text::{collapse_spaces, fold_key, sanitize, sentence_spans, strip_markdown, StableHasher};

/// Paragraphs longer than this (in bytes) are walls of text, split at sentence boundaries.
const WALL_LEN: usize = 1200;
/// A split paragraph takes sentences until it is at least this long.
const SPLIT_TARGET: usize = 600;
/// Sentences shorter than this many words are never treated as repeats ("Yes.", "It failed.").
const MIN_REPEAT_WORDS: usize = 5;
/// Longest title derived from an opening sentence, in characters.
const DERIVED_TITLE_MAX: usize = 72;

/// Writes an article back out as plain text in the shape cleaning reads: a front-matter block
/// with the title, deck, link and tags; a labelled date; a byline; the paragraphs; the writer's
/// note. Cleaning this text (with the same source metadata) gives the same article.
pub fn render_source(a: &Article) -> String {
    let mut out = String::new();
    if !a.title_derived || a.url.is_some() || !a.tags.is_empty() {
        out.push_str("---\n");
        if !a.title_derived {
            out.push_str(&format!("title: {}\n", quote(&a.title)));
            if let Some(deck) = &a.deck {
                out.push_str(&format!("deck: {}\n", quote(deck)));
            }
        }
        if let Some(url) = &a.url {
            out.push_str(&format!("url: {}\n", quote(url)));
        }
        if !a.tags.is_empty() {
            out.push_str("tags:\n");
            for tag in &a.tags {
                out.push_str(&format!("- {}\n", quote(tag)));
            }
        }
        out.push_str("---\n\n");
    }
    if let Some(date) = &a.date {
        out.push_str(&format!("Date: {date}\n"));
    }
    // A name the byline rule would not read back stays out; the source metadata gives it.
    if let Some(author) = a.author.as_deref().filter(|au| byline(&format!("By {au}")).as_deref() == Some(*au)) {
        out.push_str(&format!("By {author}\n"));
    }
    out.push('\n');
    out.push_str(&a.body);
    if let Some(note) = &a.author_note {
        out.push_str("\n\n");
        out.push_str(note);
    }
    out
}

/// A front-matter value in double quotes, so that it reads back as written.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What cleaning found besides the article itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanReport {
    /// Escape sequences and control characters removed from the text.
    pub control_removed: usize,
}

/// Most passes cleaning makes to reach a fixed point. A pass runs again only when the last one
/// changed something; a byline, a date and a trailer each exposed by the one before took five.
const MAX_PASSES: usize = 8;

/// Cleans decoded article text with nothing known about it but the text. `id` and `path` are
/// carried into the article unchanged.
pub fn clean(raw: &str, id: &str, path: &str, furniture: &Furniture) -> (Article, CleanReport) {
    clean_document(raw, &SourceMeta::default(), id, path, furniture)
}

/// Cleans decoded article text, trusting what its source says of it over what the text says:
/// a known title is the title (no headline or deck is taken from the text, and an opening
/// paragraph repeating the title goes); a known date or author wins over the text's, whose
/// metadata lines still leave the body; the link and tags are carried over.
///
/// One rule can expose work for an earlier one (dropping a repeated sentence leaves a "Must
/// Read" line on its own), so cleaning runs again on its own rendered output until nothing
/// changes: cleaning an already clean article is then a no-op.
pub fn clean_document(
    raw: &str,
    known: &SourceMeta,
    id: &str,
    path: &str,
    furniture: &Furniture,
) -> (Article, CleanReport) {
    let (known, known_controls) = Known::from_source(known);
    let (mut article, mut report) = clean_once(raw, &known, id, path, furniture);
    report.control_removed += known_controls;
    for _ in 1..MAX_PASSES {
        let (again, _) = clean_once(&render_source(&article), &known, id, path, furniture);
        if again == article {
            break;
        }
        article = again;
    }
    (article, report)
}

/// Source metadata made safe to show: sanitised, spaces collapsed, empty values dropped, the
/// date in ISO form (a value that is no date is dropped).
#[derive(Debug, Default)]
struct Known {
    title: Option<String>,
    date: Option<String>,
    author: Option<String>,
    url: Option<String>,
    tags: Vec<String>,
}

impl Known {
    fn from_source(meta: &SourceMeta) -> (Known, usize) {
        let mut removed = 0;
        let mut safe = |s: &str| {
            let (text, n) = sanitize(s);
            removed += n;
            Some(collapse_spaces(&text)).filter(|t| !t.is_empty())
        };
        let title = meta.title.as_deref().and_then(&mut safe);
        let author = meta.author.as_deref().and_then(&mut safe);
        let url = meta.url.as_deref().and_then(&mut safe);
        let date = meta.date.as_deref().and_then(parse_date);
        let mut seen = HashSet::default();
        let tags = meta.tags.iter().filter_map(|t| safe(t)).filter(|t| seen.insert(t.clone())).collect();
        (Known { title, date, author, url, tags }, removed)
    }
}

/// One pass of the rules.
fn clean_once(raw: &str, known: &Known, id: &str, path: &str, furniture: &Furniture) -> (Article, CleanReport) {
    let (text, control_removed) = sanitize(raw);
    let mut lines: Vec<String> = text.lines().map(collapse_spaces).collect();
    let front = take_front_matter(&mut lines);
    let mut lines = strip_markdown_lines(lines);

    let mut meta = Metadata::default();
    drop_trailer(&mut lines, furniture);
    remove_inline_furniture(&mut lines, furniture);
    // Furniture goes first, so that it does not push metadata out of the window at the top.
    lines.retain(|l| !furniture.is_furniture_line(l));
    take_leading_metadata(&mut lines, &mut meta, furniture);
    take_trailing_byline(&mut lines, &mut meta, furniture);

    // A title the source or the front matter gives is the title; else the text's headline.
    let given = known.title.clone().or(front.title);
    let (title, deck) = match given {
        Some(t) => {
            drop_title_line(&mut lines, &t);
            let deck = if known.title.is_none() { front.deck } else { None };
            (Some(t), deck)
        }
        None => take_title_and_deck(&mut lines),
    };
    let mut paragraphs = lines_to_paragraphs(&lines);
    take_bio(&mut paragraphs, &mut meta, furniture);
    if let Some(t) = &title {
        let key = fold_key(t);
        // A scraped page often repeats its headline as the first line of the story.
        paragraphs.retain(|p| p.len() > t.len() * 2 || fold_key(p) != key);
    }
    let paragraphs = drop_repeats(split_walls(paragraphs));

    let mut author = known.author.clone().or(front.author).or(meta.author);
    if author.is_none() {
        author = meta.bio.iter().find_map(|s| social_handle(s));
    }
    let (title, title_derived) = match title {
        Some(t) => (t, false),
        None => (derive_title(paragraphs.first().map_or("", String::as_str)), true),
    };
    let body = paragraphs.join(PARAGRAPH_SEPARATOR);
    let article = Article {
        id: id.to_string(),
        path: path.to_string(),
        title,
        title_derived,
        deck,
        date: known.date.clone().or(front.date).or(meta.date),
        author,
        author_note: (!meta.bio.is_empty()).then(|| meta.bio.join(" ")),
        url: known.url.clone().or(front.url),
        tags: if known.tags.is_empty() { front.tags } else { known.tags.clone() },
        paragraphs,
        body,
    };
    (article, CleanReport { control_removed })
}

#[derive(Default)]
struct Metadata {
    date: Option<String>,
    author: Option<String>,
    bio: Vec<String>,
}

/// What a leading front-matter block (`---`, `key: value` lines, `---`) says.
#[derive(Debug, Default, PartialEq)]
struct FrontMatter {
    title: Option<String>,
    deck: Option<String>,
    date: Option<String>,
    author: Option<String>,
    url: Option<String>,
    tags: Vec<String>,
}

/// Longest front-matter block read, in lines.
const FRONT_MATTER_MAX_LINES: usize = 100;

/// Takes a front-matter block from the top of the text: the block leaves the body, and its
/// `title`, `deck`/`subtitle`, `date`, `author`, `url`/`link` and `tags`/`categories` keys
/// are read. Lines that are not `key: value`, list items or blank mean it is no front matter.
fn take_front_matter(lines: &mut Vec<String>) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let Some(open) = lines.iter().position(|l| !l.is_empty()) else { return fm };
    if lines[open] != "---" {
        return fm;
    }
    let window = &lines[open + 1..lines.len().min(open + 2 + FRONT_MATTER_MAX_LINES)];
    let Some(close) = window.iter().position(|l| l == "---" || l == "...") else { return fm };
    let block = &window[..close];
    let is_key_line = |l: &str| {
        l.split_once(':')
            .is_some_and(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    };
    if !block.iter().any(|l| is_key_line(l))
        || !block.iter().all(|l| l.is_empty() || l.starts_with("- ") || l.starts_with('#') || is_key_line(l))
    {
        return fm;
    }
    let mut list_key = String::new();
    for line in block {
        if let Some(item) = line.strip_prefix("- ") {
            let item = unquote(item);
            match list_key.as_str() {
                "tags" | "categories" | "keywords" if !item.is_empty() => fm.tags.push(item),
                "author" | "authors" if fm.author.is_none() && !item.is_empty() => fm.author = Some(item),
                _ => {}
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.to_ascii_lowercase();
        let value = value.trim();
        list_key = key.clone();
        let text = Some(unquote(value)).filter(|v| !v.is_empty());
        match key.as_str() {
            "title" => fm.title = text,
            "deck" | "subtitle" => fm.deck = text,
            "date" => fm.date = text.as_deref().and_then(parse_date),
            "author" | "authors" => fm.author = text.or(fm.author.take()),
            "url" | "link" => fm.url = text,
            "tags" | "categories" | "keywords" => {
                if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                    fm.tags.extend(list.split(',').map(unquote).filter(|t| !t.is_empty()));
                } else if let Some(t) = text {
                    fm.tags.extend(t.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()));
                }
            }
            _ => {}
        }
    }
    let mut seen = HashSet::default();
    fm.tags.retain(|t| seen.insert(t.clone()));
    lines.drain(open..=open + 1 + close);
    fm
}

/// A YAML scalar as text: `"a \"b\""` → `a "b"`, `'it''s'` → `it's`, else as written.
fn unquote(value: &str) -> String {
    let v = value.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let mut out = String::with_capacity(v.len());
        let mut chars = v[1..v.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        return collapse_spaces(&out);
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return collapse_spaces(&v[1..v.len() - 1].replace("''", "'"));
    }
    v.to_string()
}

/// Reads stray Markdown in plain text as text; a table row stands as a paragraph of its own.
fn strip_markdown_lines(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        match strip_markdown(&line) {
            None => out.push(line),
            Some((text, true)) => {
                out.push(String::new());
                out.push(collapse_spaces(&text));
                out.push(String::new());
            }
            Some((text, false)) => out.push(collapse_spaces(&text)),
        }
    }
    out
}

/// Drops the first line when it only repeats the title the source gives.
fn drop_title_line(lines: &mut Vec<String>, title: &str) {
    let key = fold_key(title);
    if key.is_empty() {
        return;
    }
    if let Some(first) = lines.iter().position(|l| !l.is_empty()) {
        if lines[first].len() <= title.len() * 2 && fold_key(&lines[first]) == key {
            lines.remove(first);
        }
    }
}

/// How many lines at the top may hold metadata.
const METADATA_WINDOW: usize = 8;

/// Takes dates (`date 2023-12-13 …`, `Date: …`, `Published: …`, `Updated 26 Mar 2024,
/// 11:02am`, a line that is only a date) and a byline (`By …`) from the top of the text. The
/// first date and byline found are the text's; later date lines in the window leave the body
/// too. A date prefix may share its line with body text; the rest of the line stays.
fn take_leading_metadata(lines: &mut Vec<String>, meta: &mut Metadata, furniture: &Furniture) {
    let mut drop = Vec::new();
    let mut seen = 0;
    for (i, line) in lines.iter_mut().enumerate() {
        if seen >= METADATA_WINDOW {
            break;
        }
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if let Some(found) = metadata_date(line, furniture) {
            match found.rest {
                Rest::Nothing => drop.push(i),
                Rest::Byline(name) => {
                    meta.author.get_or_insert(name);
                    drop.push(i);
                }
                Rest::Body(rest) if meta.date.is_none() => *line = rest,
                Rest::Body(_) => continue,
            }
            meta.date.get_or_insert(found.date);
            continue;
        }
        if meta.author.is_none() {
            if let Some((name, date)) = byline_parts(line, furniture) {
                meta.author = Some(name);
                if let Some(date) = date {
                    meta.date.get_or_insert(date);
                }
                drop.push(i);
            }
        }
    }
    if !drop.is_empty() {
        let mut k = 0;
        let mut n = 0;
        lines.retain(|_| {
            let keep = drop.get(k) != Some(&n);
            if !keep {
                k += 1;
            }
            n += 1;
            keep
        });
    }
}

/// How many dates one metadata line may chain ("Published: … | Updated: …").
const MAX_CHAINED_DATES: usize = 3;

/// A metadata date line, and what follows the date on it.
struct FoundDate {
    date: String,
    rest: Rest,
}

enum Rest {
    /// Nothing but the date (and times, zones, more dates or furniture).
    Nothing,
    /// A byline after the date: "Posted on March 26, 2024 by Jane Doe".
    Byline(String),
    /// Body text after a labelled date: `date 2023-12-13 The recent assault …`.
    Body(String),
}

/// Labels that introduce a date, longest first among those sharing a start.
const DATE_LABELS: &[&str] = &[
    "last updated on",
    "last updated",
    "last modified",
    "first published on",
    "first published",
    "published on",
    "published at",
    "published",
    "updated on",
    "updated at",
    "updated",
    "posted on",
    "posted at",
    "posted",
    "modified",
    "date",
];

/// Separators between the parts of a metadata line.
fn trim_separators(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '•' | '·' | '-' | '–' | '—' | ';'))
}

/// A metadata date at the start of a line: `date 2023-12-13 rest`, `Date: 13 December 2023`,
/// `Published: Dec 13, 2023 10:00 | Updated: Dec 14, 2023`, or a line that is only a date
/// (`March 26, 2024`, `Tue, 26 Mar 2024 06:30:00 +0000`). Body text may follow a labelled date.
fn metadata_date(line: &str, furniture: &Furniture) -> Option<FoundDate> {
    metadata_date_within(line, furniture, MAX_CHAINED_DATES)
}

fn metadata_date_within(line: &str, furniture: &Furniture, depth: usize) -> Option<FoundDate> {
    if depth == 0 {
        return None;
    }
    let (after, labelled) = match date_label(line) {
        Some(n) => (&line[n..], true),
        None => (line, false),
    };
    let (date, used) = date_prefix(after)?;
    let rest = trim_separators(&after[used..]);
    let rest = if rest.is_empty()
        || furniture.is_furniture_line(rest)
        || metadata_date_within(rest, furniture, depth - 1).is_some()
    {
        Rest::Nothing
    } else if let Some((name, _)) = rest
        .strip_prefix("by ")
        .map(|r| format!("By {r}"))
        .as_deref()
        .or(Some(rest))
        .and_then(|r| byline_parts_within(r, furniture, depth - 1))
    {
        Rest::Byline(name)
    } else if labelled {
        Rest::Body(rest.to_string())
    } else {
        return None;
    };
    Some(FoundDate { date, rest })
}

/// The length of a date label and the colon or spaces after it ("Published: ", "date ").
fn date_label(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let label = DATE_LABELS.iter().find(|l| b.len() > l.len() && b[..l.len()].eq_ignore_ascii_case(l.as_bytes()))?;
    let after = line[label.len()..].trim_start_matches([':', ' ']);
    if after.len() == line.len() - label.len() {
        return None; // a word such as "dated" or "updates", not a label
    }
    Some(line.len() - after.len())
}

/// `By Eman Mudassar Tarar` → the name.
fn byline(line: &str) -> Option<String> {
    byline_parts(line, &Furniture::default()).map(|(name, _)| name)
}

/// Separators between a byline's name and what follows it ("| March 26, 2024", ", Reuters").
const BYLINE_SEPARATORS: &[&str] = &[" | ", " • ", " · ", " — ", " – ", " - ", ", ", " / "];

/// A byline and any date on it: `By Jane Doe`, `By Jane Doe | March 26, 2024`, `By Jane Doe,
/// Reuters`. A short capitalised credit after the name (an agency, a desk) is dropped.
fn byline_parts(line: &str, furniture: &Furniture) -> Option<(String, Option<String>)> {
    byline_parts_within(line, furniture, MAX_CHAINED_DATES)
}

fn byline_parts_within(line: &str, furniture: &Furniture, depth: usize) -> Option<(String, Option<String>)> {
    let rest = line.strip_prefix("By ").or_else(|| line.strip_prefix("BY "))?;
    if rest.len() > 200 {
        return None;
    }
    let cut = BYLINE_SEPARATORS.iter().filter_map(|s| rest.find(s).map(|i| (i, s.len()))).min();
    let (name, tail) = match cut {
        Some((i, n)) => (&rest[..i], trim_separators(&rest[i + n..])),
        None => (rest, ""),
    };
    let name = name.trim().trim_end_matches(['.', ',']);
    if !is_name_line(name) {
        return None;
    }
    if tail.is_empty() {
        return Some((name.to_string(), None));
    }
    if let Some(found) = metadata_date_within(tail, furniture, depth.saturating_sub(1)) {
        return matches!(found.rest, Rest::Nothing).then(|| (name.to_string(), Some(found.date)));
    }
    let words = tail.split_whitespace().count();
    let credit = words <= 4
        && tail.chars().next().is_some_and(char::is_uppercase)
        && !tail.ends_with(['.', '!', '?'])
        && tail.chars().count() <= 40;
    credit.then(|| (name.to_string(), None))
}

/// Whether a line looks like a person's name alone: two to five capitalised words.
fn is_name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().take(6).collect();
    if !(2..=5).contains(&words.len()) || line.chars().count() > 60 {
        return false;
    }
    let particles = ["bin", "bint", "ibn", "de", "del", "da", "van", "von", "al", "ul", "ud", "and"];
    words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        let letters_only = w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        letters_only && (first.is_uppercase() || particles.contains(w))
    }) && words[0].chars().next().is_some_and(char::is_uppercase)
}

/// Drops a teaser trailer ("Must Read", "Related Articles" and everything after), when at least
/// a third of the text stands before it, so the piece has been told.
fn drop_trailer(lines: &mut Vec<String>, furniture: &Furniture) {
    // Cutting shortens the text, which can bring an earlier marker into the last two thirds:
    // cut again until no marker qualifies, so the rule gives the same answer on its own output.
    // Offsets and markers are found once; each further cut is a binary search among them.
    let mut offsets = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    for line in lines.iter() {
        offsets.push(at);
        at += line.len() + 1;
    }
    offsets.push(at);
    let markers: Vec<usize> = (0..lines.len()).filter(|&i| furniture.is_trailer_start(&lines[i])).collect();
    let mut end = lines.len();
    loop {
        let total = offsets[end];
        let below = markers.partition_point(|&m| m < end);
        let first = markers[..below].partition_point(|&m| offsets[m] * 3 < total);
        if first == below {
            break;
        }
        end = markers[first];
    }
    lines.truncate(end);
}

fn remove_inline_furniture(lines: &mut [String], furniture: &Furniture) {
    for cut in &furniture.inline {
        let needle = Unit::parse(cut);
        let Some(head) = cut.split_whitespace().next() else { continue };
        for line in lines.iter_mut() {
            if line.contains(head) {
                if let Some(cleaned) = remove_spaced(line, &needle) {
                    *line = cleaned;
                }
            }
        }
    }
}

/// A character of text, or a run of white space (any run matches any other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Char(char),
    Space,
}

impl Unit {
    fn parse(s: &str) -> Vec<Unit> {
        let mut out: Vec<Unit> = Vec::new();
        for c in s.chars() {
            let u = if c.is_whitespace() { Unit::Space } else { Unit::Char(c) };
            if !(u == Unit::Space && out.last() == Some(&Unit::Space)) {
                out.push(u);
            }
        }
        out
    }
}

/// Removes every occurrence of `needle` from `line`, white space matching white space, and
/// occurrences that a removal brings together too ("[email [email protected] protected]"),
/// in one pass: each unit is pushed onto a stack whose top is checked against the needle.
/// Returns `None` when nothing was removed.
fn remove_spaced(line: &str, needle: &[Unit]) -> Option<String> {
    let last = *needle.last()?;
    let mut stack: Vec<(Unit, usize, usize)> = Vec::with_capacity(line.len());
    let mut removed = false;
    for (i, c) in line.char_indices() {
        let unit = if c.is_whitespace() { Unit::Space } else { Unit::Char(c) };
        if unit == Unit::Space && stack.last().is_some_and(|t| t.0 == Unit::Space) {
            // Runs of space stay one unit; after a removal the first run's text stands.
            let top = stack.len() - 1;
            if stack[top].2 == i {
                stack[top].2 = i + c.len_utf8();
            }
            continue;
        }
        stack.push((unit, i, i + c.len_utf8()));
        if unit == last && stack.len() >= needle.len() {
            let from = stack.len() - needle.len();
            if stack[from..].iter().map(|t| t.0).eq(needle.iter().copied()) {
                stack.truncate(from);
                removed = true;
            }
        }
    }
    if !removed {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    for &(_, s, e) in &stack {
        out.push_str(&line[s..e]);
    }
    Some(collapse_spaces(&out))
}

/// Takes the author from the last lines: a name line (repeated or not) or a `By` line, and
/// moves closing lines about the writer into the note.
fn take_trailing_byline(lines: &mut Vec<String>, meta: &mut Metadata, furniture: &Furniture) {
    let mut bio_rev = Vec::new();
    // Whether more than one line of text is left, kept up to date as lines are popped.
    let mut content = lines.iter().filter(|l| !l.is_empty()).count();
    loop {
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let Some(last) = lines.last() else { break };
        if is_bio_line(last, furniture) {
            let sentence = last.trim_end_matches(':').trim();
            // "The writer can be reached at" with its address cut out says nothing.
            if !bio_is_empty(sentence) {
                bio_rev.push(sentence.to_string());
            }
            lines.pop();
            content -= 1;
            continue;
        }
        let name = byline(last).or_else(|| is_name_line(last).then(|| last.trim().to_string()));
        match (name, &meta.author) {
            (Some(name), None) if content > 1 => {
                meta.author = Some(name);
                lines.pop();
                content -= 1;
            }
            (Some(name), Some(author)) if &name == author => {
                lines.pop();
                content -= 1;
            }
            _ => break,
        }
    }
    bio_rev.reverse();
    meta.bio.extend(bio_rev);
}

fn is_bio_line(line: &str, furniture: &Furniture) -> bool {
    let spans = sentence_spans(line);
    !spans.is_empty() && spans.iter().all(|&(s, e)| furniture.is_bio_sentence(&line[s..e]))
}

fn bio_is_empty(sentence: &str) -> bool {
    let key = fold_key(sentence);
    key.ends_with("reached at") || key.ends_with("reached") || key.ends_with("at")
}

/// Moves trailing sentences about the writer out of the last paragraph into the note.
fn take_bio(paragraphs: &mut Vec<String>, meta: &mut Metadata, furniture: &Furniture) {
    let Some(last) = paragraphs.last() else { return };
    let spans = sentence_spans(last);
    let mut cut = spans.len();
    while cut > 0 && furniture.is_bio_sentence(&last[spans[cut - 1].0..spans[cut - 1].1]) {
        cut -= 1;
    }
    if cut == spans.len() {
        return;
    }
    let bio: Vec<String> =
        spans[cut..].iter().map(|&(s, e)| last[s..e].to_string()).filter(|s| !bio_is_empty(s)).collect();
    let keep = if cut == 0 { String::new() } else { last[..spans[cut - 1].1].to_string() };
    if keep.is_empty() {
        paragraphs.pop();
    } else if let Some(p) = paragraphs.last_mut() {
        *p = keep;
    }
    meta.bio.splice(0..0, bio);
}

/// The first `@handle` in a sentence.
fn social_handle(sentence: &str) -> Option<String> {
    sentence.split_whitespace().find_map(|w| {
        let w = w.trim_end_matches(['.', ',', ')', ';']);
        let handle = w.strip_prefix('@')?;
        (!handle.is_empty() && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| w.to_string())
    })
}

/// Takes the headline (the first line, when it reads as one and text follows) and a deck (the
/// next line, when it is short and not a sentence of the story).
fn take_title_and_deck(lines: &mut Vec<String>) -> (Option<String>, Option<String>) {
    let content: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).take(3).collect();
    if content.len() < 2 || !is_headline(&lines[content[0]]) {
        return (None, None);
    }
    let title = lines[content[0]].clone();
    let mut deck = None;
    if content.len() >= 3 && is_deck(&lines[content[1]]) {
        deck = Some(lines[content[1]].clone());
        lines.remove(content[1]);
    }
    lines.remove(content[0]);
    (Some(title), deck)
}

fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().take(17).count();
    (1..=16).contains(&words)
        && line.chars().take(151).count() <= 150
        && !line.ends_with(['.', ',', ';', ':'])
        && line.chars().any(char::is_alphabetic)
        && line.chars().next().is_some_and(|c| !c.is_lowercase())
}

fn is_deck(line: &str) -> bool {
    let words = line.split_whitespace().take(31).count();
    (1..=30).contains(&words) && line.chars().take(221).count() <= 220 && !line.ends_with(['.', ',', ';', ':'])
}

/// Lines to paragraphs: blank lines separate paragraphs; inside a block, each line is a
/// paragraph unless the block is hard-wrapped prose, whose lines are joined.
fn lines_to_paragraphs(lines: &[String]) -> Vec<String> {
    let mut paragraphs = Vec::new();
    for block in lines.split(|l| l.is_empty()) {
        if block.is_empty() {
            continue;
        }
        if is_hard_wrapped(block) {
            paragraphs.push(block.join(" "));
        } else {
            paragraphs.extend(block.iter().cloned());
        }
    }
    paragraphs
}

/// A block whose lines all stop near one width, mid-sentence, was wrapped by an editor.
fn is_hard_wrapped(block: &[String]) -> bool {
    if block.len() < 2 {
        return false;
    }
    let body = &block[..block.len() - 1];
    body.iter().all(|l| {
        let n = l.chars().take(101).count();
        (40..=100).contains(&n) && !l.ends_with(['.', '!', '?', '"', '”'])
    })
}

/// Splits walls of text at sentence boundaries into paragraphs of a few sentences.
fn split_walls(paragraphs: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(paragraphs.len());
    for p in paragraphs {
        if p.len() <= WALL_LEN {
            out.push(p);
            continue;
        }
        let mut chunk_start = None;
        for (s, e) in sentence_spans(&p) {
            let start = *chunk_start.get_or_insert(s);
            if e - start >= SPLIT_TARGET {
                out.push(p[start..e].to_string());
                chunk_start = None;
            }
        }
        if let Some(start) = chunk_start {
            out.push(p[start..].trim().to_string());
        }
    }
    out
}

/// The length of a dateline opening a paragraph, with the separator and spaces after it:
/// `PESHAWAR: `, `PESHAWAR (Reuters) - `, `ISLAMABAD, March 26 (AP) — `, `NEW YORK, Mar. 26 -- `.
/// The place is written in capitals; a credit in brackets and a day may follow it.
pub fn dateline_len(p: &str) -> Option<usize> {
    let b = p.as_bytes();
    let limit = b.len().min(120);
    // The place: capital letters, spaces, dots, hyphens and apostrophes.
    let mut i = 0;
    let mut letters = 0;
    while i < limit {
        let c = b[i];
        if c.is_ascii_uppercase() {
            letters += 1;
        } else if !matches!(c, b' ' | b'.' | b'-' | b'\'') {
            break;
        }
        i += 1;
    }
    // A capital word starting the story ("A bomb") is not a place.
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    let place = &p[..i];
    if letters < 3 || place.split(' ').any(|w| w.len() == 1) || place.split(' ').count() > 4 {
        return None;
    }
    // ", March 26" or ", 26 March".
    if b.get(i) == Some(&b',') {
        let rest = head(&p[i + 1..], 30);
        let words: Vec<&str> = rest.split_whitespace().take(2).collect();
        let day = |w: &str| {
            let w = w.trim_end_matches(|c: char| !c.is_ascii_digit());
            (1..=2).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit())
        };
        let month = |w: &str| crate::core::dates::month_number(w.trim_end_matches(',')).is_some();
        let is_date = words.len() == 2 && ((month(words[0]) && day(words[1])) || (day(words[0]) && month(words[1])));
        if !is_date {
            return None;
        }
        let second = rest.find(words[1]).unwrap_or(0) + words[1].len();
        i += 1 + second;
    }
    let mut j = i;
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    // "(Reuters)", "(AP)", "(Dawn Report)".
    if b.get(j) == Some(&b'(') {
        let close = head(&p[j..], 40).find(')')?;
        j += close + 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
    }
    let rest = &p[j..];
    let sep = if j == i && rest.starts_with(':') {
        1
    } else if j > i || rest.starts_with(':') {
        ["--", "-", "—", "–", ":"].iter().find(|s| rest.starts_with(**s)).map(|s| s.len())?
    } else {
        return None;
    };
    let after = &rest[sep..];
    let spaces = after.len() - after.trim_start().len();
    (spaces > 0 && !after.trim_start().is_empty()).then(|| p.len() - after.len() + spaces)
}

/// At most `max` bytes of `s`, cut on a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Drops sentences that repeat an earlier one, exactly or as its prefix, ignoring case and
/// punctuation. A paragraph left empty disappears. A lead told twice, once after a dateline
/// ("PESHAWAR: A bomb …" and "A bomb …"), is kept in its dateline form, whichever comes first.
fn drop_repeats(paragraphs: Vec<String>) -> Vec<String> {
    let mut prefixes = Vec::new();
    // Hashes of dateline leads without their datelines: of whole paragraphs and of first
    // sentences, with their word-boundary prefixes.
    let datelines: Vec<Option<usize>> = paragraphs.iter().map(|p| dateline_len(p)).collect();
    let mut lead_paragraphs: HashSet<u64> = HashSet::default();
    let mut lead_sentences: HashSet<u64> = HashSet::default();
    for (p, dl) in paragraphs.iter().zip(&datelines) {
        let Some(dl) = *dl else { continue };
        prefixes.clear();
        let (whole, words) = key_hashes(&p[dl..], &mut prefixes);
        if words >= MIN_REPEAT_WORDS {
            lead_paragraphs.insert(whole);
            lead_paragraphs.extend(prefixes.iter().copied());
        }
        if let Some(&(_, e)) = sentence_spans(p).first().filter(|&&(_, e)| e > dl) {
            prefixes.clear();
            let (whole, words) = key_hashes(&p[dl..e], &mut prefixes);
            if words >= MIN_REPEAT_WORDS {
                lead_sentences.insert(whole);
                lead_sentences.extend(prefixes.iter().copied());
            }
        }
    }

    // Hashes of whole sentence keys, and of every word-boundary prefix long enough to count.
    let mut seen: HashSet<u64> = HashSet::default();
    let mut seen_prefixes: HashSet<u64> = HashSet::default();
    let mut out = Vec::with_capacity(paragraphs.len());
    for (p, dl) in paragraphs.into_iter().zip(datelines) {
        if dl.is_none() && !lead_paragraphs.is_empty() {
            prefixes.clear();
            let (whole, words) = key_hashes(&p, &mut prefixes);
            if words >= MIN_REPEAT_WORDS && lead_paragraphs.contains(&whole) {
                continue;
            }
        }
        let mut kept: Vec<&str> = Vec::new();
        let mut dropped = false;
        for (n, (s, e)) in sentence_spans(&p).into_iter().enumerate() {
            let sentence = &p[s..e];
            // A dateline is no part of what the sentence says.
            let said = match dl {
                Some(dl) if n == 0 && dl < e => &p[dl..e],
                _ => sentence,
            };
            prefixes.clear();
            let (whole, words) = key_hashes(said, &mut prefixes);
            if words < MIN_REPEAT_WORDS {
                kept.push(sentence);
                continue;
            }
            let told_with_dateline = dl.is_none() && lead_sentences.contains(&whole);
            if told_with_dateline || seen.contains(&whole) || seen_prefixes.contains(&whole) {
                dropped = true;
                continue;
            }
            seen_prefixes.extend(prefixes.iter().copied());
            seen.insert(whole);
            kept.push(sentence);
        }
        if !dropped {
            out.push(p);
        } else if !kept.is_empty() {
            out.push(kept.join(" "));
        }
    }
    out
}
/// The hash of a sentence's comparison key (what [`fold_key`] makes of it) and its word count;
/// `prefixes` gets the hash of every word-boundary prefix of at least `MIN_REPEAT_WORDS` words.
/// FNV-1a runs incrementally, so its state at each word boundary is that prefix's hash.
fn key_hashes(sentence: &str, prefixes: &mut Vec<u64>) -> (u64, usize) {
    let mut hash = StableHasher::default();
    let mut words = 0;
    let mut gap = false;
    crate::core::text::for_each_folded_byte(sentence, |b| {
        if b.is_ascii_alphanumeric() {
            if gap && words > 0 {
                if words >= MIN_REPEAT_WORDS {
                    prefixes.push(hash.value());
                }
                hash.write_byte(b' ');
            }
            if gap || words == 0 {
                words += 1;
            }
            gap = false;
            hash.write_byte(b.to_ascii_lowercase());
        } else {
            gap = true;
        }
    });
    (hash.value(), words)
}

/// A short title from the opening sentence: the whole sentence when short, else cut at the last
/// clause break or word boundary that fits, marked with "…" when cut mid-clause.
pub fn derive_title(first_paragraph: &str) -> String {
    let sentence = sentence_spans(first_paragraph).first().map_or(first_paragraph, |&(s, e)| &first_paragraph[s..e]);
    let sentence = sentence.trim().trim_end_matches(['.', '!', ';', ':']);
    if sentence.chars().count() <= DERIVED_TITLE_MAX {
        return sentence.to_string();
    }
    let byte_at = |n: usize| sentence.char_indices().nth(n).map_or(sentence.len(), |(i, _)| i);
    // A clause that runs a little past the limit still makes a better title than a cut one.
    let clause_head = &sentence[..byte_at(DERIVED_TITLE_MAX + 12)];
    if let Some(cut) = clause_head.rfind([',', ';', ':', '—', '–']) {
        if clause_head[..cut].chars().count() >= 30 {
            return clause_head[..cut].trim_end().to_string();
        }
    }
    let head = &sentence[..byte_at(DERIVED_TITLE_MAX)];
    match head.rfind(' ') {
        Some(cut) if cut > 0 => format!("{}…", head[..cut].trim_end_matches([',', ' '])),
        _ => format!("{head}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(raw: &str) -> Article {
        clean(raw, "id", "path", &Furniture::builtin()).0
    }

    #[test]
    fn inline_date_prefix_is_metadata_not_body() {
        let a = run(" date 2023-12-13 The recent assault was a reminder. More followed.");
        assert_eq!(a.date.as_deref(), Some("2023-12-13"));
        assert!(a.body.starts_with("The recent assault"));
    }

    #[test]
    fn labelled_dates_and_bylines_are_metadata() {
        let a =
            run("Headline here\nBy Jane Q Public\nPublished: December 13, 2023 10:45 am\n\nBody text follows here.");
        assert_eq!(a.date.as_deref(), Some("2023-12-13"));
        assert_eq!(a.author.as_deref(), Some("Jane Q Public"));
        assert_eq!(a.body, "Body text follows here.");
    }

    #[test]
    fn headline_becomes_title_and_short_line_after_it_the_deck() {
        let a = run("Security failure in Pakistan\n\nWhere do we go from here?\n\nThe story starts here. It goes on.");
        assert_eq!(a.title, "Security failure in Pakistan");
        assert!(!a.title_derived);
        assert_eq!(a.deck.as_deref(), Some("Where do we go from here?"));
        assert_eq!(a.paragraphs, vec!["The story starts here. It goes on."]);
    }

    #[test]
    fn title_is_derived_from_the_opening_sentence_when_there_is_no_headline() {
        let a = run("Pakistan continues to face a persistent and multifaceted terrorism threat, yet the state has not been able to respond. More text.");
        assert!(a.title_derived);
        assert_eq!(a.title, "Pakistan continues to face a persistent and multifaceted terrorism threat");
    }

    #[test]
    fn derived_title_is_cut_on_a_word_boundary() {
        let t = derive_title("The recent militant assault on security forces in Dera Ismail Khan’s Daraban area is a stark reminder of the threat.");
        assert_eq!(t, "The recent militant assault on security forces in Dera Ismail Khan’s…");
    }

    #[test]
    fn ad_markers_and_comment_forms_leave_the_body() {
        let a = run("Title line\n\nFirst paragraph here.\n\n- Advertisement -\n\nSecond paragraph here.\n\nPlease enter your comment!\nPlease enter your name here");
        assert_eq!(a.paragraphs, vec!["First paragraph here.", "Second paragraph here."]);
    }

    #[test]
    fn teaser_trailer_after_the_piece_is_dropped() {
        let a = run("Title line\n\nThe piece itself is long enough to matter here. It ends now.\n\nMust Read\n\nIslam and its influence on the bard\n\nSomething about Macbeth...");
        assert_eq!(a.paragraphs, vec!["The piece itself is long enough to matter here. It ends now."]);
    }

    #[test]
    fn cleaning_its_own_output_changes_nothing_when_each_pass_exposed_more() {
        // Found by the property tests: a date line, a trailing byline and a comment counter,
        // each left alone until the pass before removed its neighbour.
        let raw = "Gen. - Advertisement -\n Pakistan Comments (12)\n Pakistan \n Pakistan Comments (12)\n \
                   Tue, 26 Mar 2024 06:30:00 +0000\n Pakistan \n Updated 26 Mar 2024, 11:02am\n title: \"x\"\n \
                   ** date 2023-12-13 Home | Pakistan | World\n Pakistan \n date: 2024-03-26\n \
                   Updated 26 Mar 2024, 11:02am\n Tue, 26 Mar 2024 06:30:00 +0000\n By Jane Doe\n Pakistan";
        let once = run(raw);
        assert_eq!(run(&render_source(&once)), once);
        assert_eq!(once.author.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn repeated_trailer_markers_are_cut_in_one_pass() {
        let mut lines: Vec<String> =
            ["The story so far, told at some length here.", "Must Read", "More text", "Must Read", "Tail"]
                .map(String::from)
                .to_vec();
        drop_trailer(&mut lines, &Furniture::builtin());
        let once = lines.clone();
        drop_trailer(&mut lines, &Furniture::builtin());
        assert_eq!(lines, once);
        assert_eq!(lines, vec!["The story so far, told at some length here."]);
    }

    #[test]
    fn desk_credits_leave_the_body() {
        let a = run("Title line\n\nThe story. It ends.\nNEWS DESK\nPRESS UPDATE");
        assert_eq!(a.paragraphs, vec!["The story. It ends."]);
    }

    #[test]
    fn repeated_author_lines_give_the_author_once() {
        let a = run("Title line\n\nThe story. It ends.\n\nEman Mudassar Tarar\nEman Mudassar Tarar\nThe writer can be reached at [email protected]\n");
        assert_eq!(a.author.as_deref(), Some("Eman Mudassar Tarar"));
        assert_eq!(a.paragraphs, vec!["The story. It ends."]);
        assert!(!a.body.contains("protected"));
    }

    #[test]
    fn writer_note_and_handle_at_the_end_of_a_paragraph() {
        let a = run("The story has a first sentence. The writer is an independent analyst. She tweets @MsAishaK.");
        assert_eq!(a.author.as_deref(), Some("@MsAishaK"));
        assert_eq!(a.body, "The story has a first sentence.");
        assert_eq!(a.author_note.as_deref(), Some("The writer is an independent analyst. She tweets @MsAishaK."));
    }

    #[test]
    fn email_obfuscation_leftovers_are_cut() {
        let a = run("Write to [email\u{a0}protected] for details. More text here.");
        assert!(!a.body.contains("[email"));
    }

    #[test]
    fn repeated_sentence_appears_once() {
        let a = run("Caught in the crosscurrents of competition, strife, and terror, Pakistan confronts a landscape that demands diplomacy and more. Caught in the crosscurrents of competition, strife and terror, Pakistan confronts a landscape that demands diplomacy. Then something else happens.");
        assert_eq!(a.body.matches("Caught in").count(), 1);
        assert!(a.body.contains("Then something else happens."));
    }

    #[test]
    fn repeated_paragraph_as_prefix_of_a_later_one_appears_once() {
        let a = run("Title line\n\nOne of the major challenges is the complex nature of it. Extremists are entrenched in local communities.\n\nA day after the attack, more came.\n\nOne of the major challenges is the complex nature of it. Extremists are entrenched in local communities. Furthermore, poverty matters a great deal.");
        assert_eq!(a.body.matches("One of the major").count(), 1);
        assert!(a.body.contains("Furthermore, poverty matters"));
    }

    #[test]
    fn key_hashes_agree_with_fold_key() {
        for s in [
            "Caught in the crosscurrents, of strife!",
            "  Tehrīk-e-Taliban: 2023 — news ",
            "one two three four five six",
        ] {
            let key = fold_key(s);
            let mut prefixes = Vec::new();
            let (whole, words) = key_hashes(s, &mut prefixes);
            assert_eq!(whole, crate::core::text::stable_hash(key.as_bytes()), "{s}");
            assert_eq!(words, key.split(' ').filter(|w| !w.is_empty()).count(), "{s}");
            let expected: Vec<u64> = key
                .match_indices(' ')
                .map(|(i, _)| i)
                .filter(|&i| key[..i].split(' ').count() >= MIN_REPEAT_WORDS)
                .map(|i| crate::core::text::stable_hash(&key.as_bytes()[..i]))
                .collect();
            assert_eq!(prefixes, expected, "{s}");
        }
    }

    #[test]
    fn short_repeated_sentences_are_kept() {
        let a = run("He said no. She said yes. He said no.");
        assert_eq!(a.body.matches("He said no.").count(), 2);
    }

    #[test]
    fn wall_of_text_becomes_paragraphs_at_sentence_boundaries() {
        let sentence = "Pakistan and Afghanistan discussed the border at length with Gen. Munir present. ";
        let wall = sentence.trim().to_string()
            + " "
            + &(0..60)
                .map(|i| format!("Sentence number {i} says something new about the border region today."))
                .collect::<Vec<_>>()
                .join(" ");
        let a = run(&wall);
        assert!(a.paragraphs.len() >= 5, "{} paragraphs", a.paragraphs.len());
        assert!(a.paragraphs.iter().all(|p| p.ends_with('.')));
        assert!(a.paragraphs[0].contains("Gen. Munir present."));
    }

    #[test]
    fn typography_is_kept_for_display() {
        let a = run("It was “quoted” — and\u{a0}spaced. Another one.");
        assert_eq!(a.body, "It was “quoted” — and\u{a0}spaced. Another one.");
    }

    #[test]
    fn escape_sequences_are_removed_and_counted() {
        let (a, report) = clean("Red \u{1b}[31malert\u{1b}[0m here. Done.", "i", "p", &Furniture::builtin());
        assert_eq!(a.body, "Red alert here. Done.");
        assert_eq!(report.control_removed, 2);
    }

    #[test]
    fn hard_wrapped_prose_is_joined() {
        let a = run("Headline\n\nThis paragraph was wrapped by an editor at a fixed width so\nthat its lines all stop near the same column and it\ncontinues here.");
        assert_eq!(a.paragraphs.len(), 1);
    }
}
