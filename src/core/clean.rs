//! Cleaning: turns the decoded text of one article into an [`Article`] — metadata out of the
//! body, a title, web furniture removed, repeats dropped, walls of text split into paragraphs.
//!
//! Each rule is a small function over lines or paragraphs, applied in order by [`clean`].

use rustc_hash::FxHashSet as HashSet;

use crate::core::article::{Article, PARAGRAPH_SEPARATOR};
use crate::core::dates::parse_date;
use crate::core::furniture::Furniture;
use crate::core::text::{collapse_spaces, fold_key, sanitize, sentence_spans, StableHasher};

/// Paragraphs longer than this (in bytes) are walls of text, split at sentence boundaries.
const WALL_LEN: usize = 1200;
/// A split paragraph takes sentences until it is at least this long.
const SPLIT_TARGET: usize = 600;
/// Sentences shorter than this many words are never treated as repeats ("Yes.", "It failed.").
const MIN_REPEAT_WORDS: usize = 5;
/// Longest title derived from an opening sentence, in characters.
const DERIVED_TITLE_MAX: usize = 72;

/// Writes an article back out as plain text in the shape cleaning reads: headline, deck,
/// labelled date, byline, paragraphs, writer's note. Cleaning this text gives the same article.
pub fn render_source(a: &Article) -> String {
    let mut out = String::new();
    if !a.title_derived {
        out.push_str(&a.title);
        out.push_str("\n\n");
        if let Some(deck) = &a.deck {
            out.push_str(deck);
            out.push_str("\n\n");
        }
    }
    if let Some(date) = &a.date {
        out.push_str(&format!("Date: {date}\n"));
    }
    if let Some(author) = a.author.as_deref().filter(|au| !au.starts_with('@')) {
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

/// What cleaning found besides the article itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanReport {
    /// Escape sequences and control characters removed from the text.
    pub control_removed: usize,
}

/// Most passes cleaning makes to reach a fixed point.
const MAX_PASSES: usize = 4;

/// Cleans decoded article text. `id` and `path` are carried into the article unchanged.
///
/// One rule can expose work for an earlier one (dropping a repeated sentence leaves a "Must
/// Read" line on its own), so cleaning runs again on its own rendered output until nothing
/// changes: cleaning an already clean article is then a no-op.
pub fn clean(raw: &str, id: &str, path: &str, furniture: &Furniture) -> (Article, CleanReport) {
    let (mut article, report) = clean_once(raw, id, path, furniture);
    for _ in 1..MAX_PASSES {
        let (again, _) = clean_once(&render_source(&article), id, path, furniture);
        if again == article {
            break;
        }
        article = again;
    }
    (article, report)
}

/// One pass of the rules.
fn clean_once(raw: &str, id: &str, path: &str, furniture: &Furniture) -> (Article, CleanReport) {
    let (text, control_removed) = sanitize(raw);
    let mut lines: Vec<String> = text.lines().map(collapse_spaces).collect();

    let mut meta = Metadata::default();
    drop_trailer(&mut lines, furniture);
    remove_inline_furniture(&mut lines, furniture);
    // Furniture goes first, so that it does not push metadata out of the window at the top.
    lines.retain(|l| !furniture.is_furniture_line(l));
    take_leading_metadata(&mut lines, &mut meta, furniture);
    take_trailing_byline(&mut lines, &mut meta, furniture);

    let (title, deck) = take_title_and_deck(&mut lines);
    let mut paragraphs = lines_to_paragraphs(&lines);
    take_bio(&mut paragraphs, &mut meta, furniture);
    if let Some(t) = &title {
        let key = fold_key(t);
        // A scraped page often repeats its headline as the first line of the story.
        paragraphs.retain(|p| p.len() > t.len() * 2 || fold_key(p) != key);
    }
    let paragraphs = drop_repeats(split_walls(paragraphs));

    if meta.author.is_none() {
        meta.author = meta.bio.iter().find_map(|s| social_handle(s));
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
        date: meta.date,
        author: meta.author,
        author_note: (!meta.bio.is_empty()).then(|| meta.bio.join(" ")),
        url: None,
        tags: Vec::new(),
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

/// How many lines at the top may hold metadata.
const METADATA_WINDOW: usize = 8;

/// Takes `date 2023-12-13 …`, `Date: …`, `Published: …` and `By …` from the top of the text.
/// A `date` prefix may share its line with body text; the rest of the line stays.
fn take_leading_metadata(lines: &mut Vec<String>, meta: &mut Metadata, furniture: &Furniture) {
    let mut i = 0;
    let mut seen = 0;
    while i < lines.len() && seen < METADATA_WINDOW {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        seen += 1;
        let line = lines[i].clone();
        if meta.date.is_none() {
            if let Some((date, rest)) = leading_date(&line) {
                meta.date = Some(date);
                // What stays of the line is judged like any line.
                if rest.is_empty() || furniture.is_furniture_line(&rest) {
                    lines.remove(i);
                } else {
                    lines[i] = rest;
                    i += 1;
                }
                continue;
            }
        }
        if meta.author.is_none() {
            if let Some(name) = byline(&line) {
                meta.author = Some(name);
                lines.remove(i);
                continue;
            }
        }
        i += 1;
    }
}

/// A metadata date at the start of a line: `date 2023-12-13 rest`, `Date: 13 December 2023`,
/// `Published: Dec 13, 2023 10:00`. Returns the ISO date and the rest of the line.
fn leading_date(line: &str) -> Option<(String, String)> {
    let lower = line.to_ascii_lowercase();
    let label = ["date", "published", "updated", "posted", "published on", "posted on"]
        .into_iter()
        .filter(|l| lower.starts_with(l))
        .max_by_key(|l| l.len())?;
    let after = line[label.len()..].trim_start_matches([':', ' ']);
    if after.len() == line.len() - label.len() {
        return None; // a word such as "dated" or "updates", not a label
    }
    // An ISO date may be followed by body text on the same line.
    if let Some(head) = after.get(..10) {
        if let Some(date) = parse_date(head) {
            return Some((date, after[10..].trim().to_string()));
        }
    }
    // A written date fills the rest of a label line, perhaps with a time after it.
    let words: Vec<&str> = after.split_whitespace().collect();
    for n in (2..=words.len().min(5)).rev() {
        if let Some(date) = parse_date(&words[..n].join(" ")) {
            let rest = &words[n..];
            let rest_is_time = rest.iter().all(|w| {
                w.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
                    || matches!(w.to_ascii_lowercase().as_str(), "am" | "pm" | "pkt" | "gmt" | "utc" | "|")
            });
            return rest_is_time.then(|| (date, String::new()));
        }
    }
    None
}

/// `By Eman Mudassar Tarar` → the name.
fn byline(line: &str) -> Option<String> {
    let rest = line.strip_prefix("By ").or_else(|| line.strip_prefix("BY "))?;
    let name = rest.trim().trim_end_matches(['.', ',']);
    is_name_line(name).then(|| name.to_string())
}

/// Whether a line looks like a person's name alone: two to five capitalised words.
fn is_name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
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
    while let Some(cut) = trailer_start(lines, furniture) {
        lines.truncate(cut);
    }
}

fn trailer_start(lines: &[String], furniture: &Furniture) -> Option<usize> {
    let total: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        if at * 3 >= total && furniture.is_trailer_start(line) {
            return Some(i);
        }
        at += line.len() + 1;
    }
    None
}

fn remove_inline_furniture(lines: &mut [String], furniture: &Furniture) {
    for line in lines.iter_mut() {
        for cut in &furniture.inline {
            while let Some((s, e)) = find_spaced(line, cut) {
                line.replace_range(s..e, "");
                *line = collapse_spaces(line);
            }
        }
    }
}

/// Finds `needle` in `haystack` where any run of white space (a non-breaking space too) in
/// either matches any run in the other. Returns the byte range in `haystack`.
fn find_spaced(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    let first = needle.chars().next()?;
    for (start, _) in haystack.match_indices(first) {
        let mut h = haystack[start..].chars().peekable();
        let mut n = needle.chars().peekable();
        let mut consumed = 0;
        let matched = loop {
            match (n.peek().copied(), h.peek().copied()) {
                (None, _) => break true,
                (Some(nc), Some(hc)) if nc.is_whitespace() && hc.is_whitespace() => {
                    while n.peek().is_some_and(|c| c.is_whitespace()) {
                        n.next();
                    }
                    while let Some(c) = h.peek().copied().filter(|c| c.is_whitespace()) {
                        consumed += c.len_utf8();
                        h.next();
                    }
                }
                (Some(nc), Some(hc)) if nc == hc => {
                    consumed += hc.len_utf8();
                    n.next();
                    h.next();
                }
                _ => break false,
            }
        };
        if matched {
            return Some((start, start + consumed));
        }
    }
    None
}

/// Takes the author from the last lines: a name line (repeated or not) or a `By` line, and
/// moves closing lines about the writer into the note.
fn take_trailing_byline(lines: &mut Vec<String>, meta: &mut Metadata, furniture: &Furniture) {
    let mut bio_rev = Vec::new();
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
            continue;
        }
        let name = byline(last).or_else(|| is_name_line(last).then(|| last.trim().to_string()));
        match (name, &meta.author) {
            (Some(name), None) if lines.iter().filter(|l| !l.is_empty()).count() > 1 => {
                meta.author = Some(name);
                lines.pop();
            }
            (Some(name), Some(author)) if &name == author => {
                lines.pop();
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
    let content: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
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
    let words = line.split_whitespace().count();
    (1..=16).contains(&words)
        && line.chars().count() <= 150
        && !line.ends_with(['.', ',', ';', ':'])
        && line.chars().any(char::is_alphabetic)
        && line.chars().next().is_some_and(|c| !c.is_lowercase())
}

fn is_deck(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=30).contains(&words) && line.chars().count() <= 220 && !line.ends_with(['.', ',', ';', ':'])
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
        let n = l.chars().count();
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

/// Drops sentences that repeat an earlier one, exactly or as its prefix, ignoring case and
/// punctuation. A paragraph left empty disappears.
fn drop_repeats(paragraphs: Vec<String>) -> Vec<String> {
    // Hashes of whole sentence keys, and of every word-boundary prefix long enough to count.
    let mut seen: HashSet<u64> = HashSet::default();
    let mut seen_prefixes: HashSet<u64> = HashSet::default();
    let mut prefixes = Vec::new();
    let mut out = Vec::with_capacity(paragraphs.len());
    for p in paragraphs {
        let mut kept: Vec<&str> = Vec::new();
        let mut dropped = false;
        for (s, e) in sentence_spans(&p) {
            let sentence = &p[s..e];
            prefixes.clear();
            let (whole, words) = key_hashes(sentence, &mut prefixes);
            if words < MIN_REPEAT_WORDS {
                kept.push(sentence);
                continue;
            }
            if seen.contains(&whole) || seen_prefixes.contains(&whole) {
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
    let folded;
    let key = if sentence.is_ascii() {
        sentence
    } else {
        folded = fold_key(sentence);
        folded.as_str()
    };
    let mut hash = StableHasher::default();
    let mut words = 0;
    let mut gap = false;
    for &b in key.as_bytes() {
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
    }
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
