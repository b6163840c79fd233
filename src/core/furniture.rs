//! Web furniture rules (ads, comment forms, teaser trailers, desk credits), kept as data in
//! `assets/furniture.txt` so a new source is taught by adding a line, not by changing code.

use rustc_hash::FxHashSet as HashSet;

use crate::core::text::fold_key;

/// The default rules, compiled into the binary.
pub const DEFAULT_RULES: &str = include_str!("../../assets/furniture.txt");

#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// Folded keys of whole lines to drop, numbers written as `0` (see [`line_key`]).
    lines: HashSet<String>,
    /// Folded prefixes of lines to drop.
    prefixes: Vec<String>,
    /// Lower-case labels: a line starting with one and a colon is dropped.
    labels: Vec<String>,
    /// Folded words a line made only of is dropped (a row of share buttons).
    words: HashSet<String>,
    /// Folded keys of lines that start a teaser trailer.
    trailers: HashSet<String>,
    /// Literal text cut out of paragraphs.
    pub inline: Vec<String>,
    /// Folded prefixes of closing sentences about the writer.
    bios: Vec<String>,
}

/// A rule file line that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("furniture rules, line {line}: {message}")]
pub struct RuleError {
    pub line: usize,
    pub message: String,
}

impl Furniture {
    /// The built-in rules.
    pub fn builtin() -> Self {
        Self::parse(DEFAULT_RULES).expect("built-in furniture rules parse")
    }

    /// Parses rules in the `kind: text` format described at the top of `assets/furniture.txt`.
    pub fn parse(source: &str) -> Result<Self, RuleError> {
        let mut rules = Self::default();
        rules.extend(source)?;
        Ok(rules)
    }

    /// Adds the rules of another rule file to these.
    pub fn extend(&mut self, source: &str) -> Result<(), RuleError> {
        for (n, raw) in source.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((kind, text)) = line.split_once(':') else {
                return Err(RuleError { line: n + 1, message: format!("expected `kind: text`, found {line:?}") });
            };
            let text = text.trim();
            if text.is_empty() {
                return Err(RuleError { line: n + 1, message: "empty rule text".into() });
            }
            let key = fold_key(text);
            match kind.trim() {
                // `#` in a line rule stands for any number.
                "line" => {
                    self.lines.insert(line_key(&text.replace('#', " 0 ")));
                }
                "prefix" => self.prefixes.push(key),
                "label" => self.labels.push(text.trim_end_matches(':').trim().to_lowercase()),
                "words" => self.words.extend(key.split(' ').map(str::to_string)),
                "trailer" => {
                    self.trailers.insert(key);
                }
                "inline" => self.inline.push(text.to_string()),
                "bio" => self.bios.push(key),
                other => {
                    return Err(RuleError { line: n + 1, message: format!("unknown kind {other:?}") });
                }
            }
        }
        Ok(())
    }

    /// Whether a whole line is furniture to drop: a rule's line, prefix, label or words, or a
    /// navigation line (see [`is_navigation_line`]).
    pub fn is_furniture_line(&self, line: &str) -> bool {
        // Furniture is short; a long line is matched by its head only.
        let key = fold_key(head(line, LONGEST_RULE));
        if key.is_empty() {
            // Lines of punctuation only ("- - -", "***") carry nothing.
            return !line.trim().is_empty() && !line.chars().any(char::is_alphanumeric);
        }
        let short = line.len() <= LONGEST_RULE;
        (short && self.lines.contains(&line_key(&key)))
            || self.prefixes.iter().any(|p| starts_with_words(&key, p))
            || self.labels.iter().any(|l| starts_with_label(line.trim_start(), l))
            || (short && !self.words.is_empty() && key.split(' ').all(|w| self.words.contains(w)))
            || is_navigation_line(line)
    }

    /// Whether a line starts a teaser trailer.
    pub fn is_trailer_start(&self, line: &str) -> bool {
        if line.len() > LONGEST_RULE {
            return false;
        }
        let key = fold_key(line);
        !key.is_empty() && self.trailers.contains(&key)
    }

    /// Whether a sentence is about the writer ("The writer is …", "She tweets @…").
    pub fn is_bio_sentence(&self, sentence: &str) -> bool {
        let key = fold_key(head(sentence, LONGEST_RULE));
        self.bios.iter().any(|p| starts_with_words(&key, p))
    }
}

/// A line's comparison key with every number written `0`: "Comments (12)", "1.2K shares" and
/// "12 Comments" match the rules `Comments #`, `# shares` and `# Comments`.
fn line_key(line: &str) -> String {
    let key = fold_key(line);
    if !key.bytes().any(|b| b.is_ascii_digit()) {
        return key;
    }
    let is_number = |w: &str| {
        let digits = w.trim_end_matches(['k', 'm', 'b']);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let mut out: Vec<&str> = Vec::new();
    for w in key.split(' ') {
        if is_number(w) {
            if out.last() != Some(&"0") {
                out.push("0");
            }
        } else {
            out.push(w);
        }
    }
    out.join(" ")
}

/// Whether `line` starts with `label` (lower case) and a colon: "Tags: Pakistan, Politics".
fn starts_with_label(line: &str, label: &str) -> bool {
    let n = label.len();
    line.len() > n
        && line.as_bytes()[..n].eq_ignore_ascii_case(label.as_bytes())
        && line[n..].trim_start().starts_with(':')
}

/// Characters that separate the items of a navigation line.
fn is_nav_separator(c: char) -> bool {
    matches!(c, '|' | '>' | '»' | '›' | '•' | '→')
}

/// Lower-case words a navigation item may hold besides capitalised ones ("Sci & Tech").
const NAV_JOINERS: &[&str] = &["&", "and", "of", "the", "in", "for", "to", "on", "de", "e", "i"];

/// A breadcrumb or section menu: two or more short capitalised items separated by `|`, `>`,
/// `»`, `›`, `•` or a spaced `/` ("Home | Pakistan | World", "Home > World > Asia"). A byline
/// ("By Jane Doe | Reuters") is not one.
pub fn is_navigation_line(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 300 || line.starts_with("By ") || line.starts_with("BY ") || line.ends_with(['.', '?', '!']) {
        return false;
    }
    let mut items = Vec::new();
    let mut start = 0;
    let mut prev = ' ';
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map_or(' ', |&(_, n)| n);
        let slash = c == '/' && prev.is_whitespace() && next.is_whitespace();
        if is_nav_separator(c) || slash {
            items.push(&line[start..i]);
            start = i + c.len_utf8();
        }
        prev = c;
    }
    if items.is_empty() {
        return false;
    }
    items.push(&line[start..]);
    let mut inner: &[&str] = &items;
    // Separators may open or close the line ("| News | Sport |").
    if inner.first().is_some_and(|i| i.trim().is_empty()) {
        inner = &inner[1..];
    }
    if inner.last().is_some_and(|i| i.trim().is_empty()) {
        inner = &inner[..inner.len() - 1];
    }
    inner.len() >= 2 && inner.iter().all(|item| is_nav_item(item.trim()))
}

fn is_nav_item(item: &str) -> bool {
    let words: Vec<&str> = item.split_whitespace().collect();
    if words.is_empty() || words.len() > 4 || item.chars().count() > 32 {
        return false;
    }
    let word_ok = |w: &str| {
        w.chars().all(|c| c.is_alphanumeric() || matches!(c, '&' | '-' | '.' | '\'' | '’'))
            && (w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || NAV_JOINERS.contains(&w)
                || w == "&")
    };
    words[0].chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && item.chars().any(char::is_alphabetic)
        && words.iter().all(|w| word_ok(w))
        // "Tuesday | 26 March 2024" is a date line, read as metadata.
        && !word_starts(item).any(|from| crate::core::dates::date_prefix(&item[from..]).is_some())
}

/// Byte offsets where the words of `s` start.
fn word_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let mut prev_space = true;
    s.char_indices().filter_map(move |(i, c)| {
        let start = prev_space && !c.is_whitespace();
        prev_space = c.is_whitespace();
        start.then_some(i)
    })
}

/// Longer lines are never whole furniture lines; prefixes are matched within this many bytes.
const LONGEST_RULE: usize = 120;

/// At most `max` bytes of `s`, cut on a character boundary.
fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether `key` starts with the words of `prefix` (both folded).
fn starts_with_words(key: &str, prefix: &str) -> bool {
    key.starts_with(prefix) && (key.len() == prefix.len() || key.as_bytes()[prefix.len()] == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_recognise_sample_furniture() {
        let f = Furniture::builtin();
        assert!(f.is_furniture_line("- Advertisement -"));
        assert!(f.is_furniture_line("Please enter your comment!"));
        assert!(f.is_furniture_line("NEWS DESK"));
        assert!(f.is_trailer_start("Must Read"));
        assert!(f.is_bio_sentence("The writer is an independent media analyst."));
        assert!(!f.is_furniture_line("Advertisements for the war were everywhere."));
        assert!(!f.is_bio_sentence("The writers strike ended."));
    }

    #[test]
    fn numbers_in_line_rules_match_any_number() {
        let f = Furniture::parse("line: # Comments\nline: Comments #\nline: # shares").unwrap();
        for line in ["12 Comments", "Comments (12)", "1.2K shares", "0 comments"] {
            assert!(f.is_furniture_line(line), "{line}");
        }
        assert!(!f.is_furniture_line("12 comments were made about the plan"));
        assert!(!f.is_furniture_line("Comments"));
    }

    #[test]
    fn labels_and_word_rows() {
        let f = Furniture::parse("label: Tags\nwords: Facebook Twitter WhatsApp Share").unwrap();
        assert!(f.is_furniture_line("Tags: Pakistan, Politics"));
        assert!(f.is_furniture_line("TAGS : Pakistan"));
        assert!(!f.is_furniture_line("Tags are what the site uses"));
        assert!(f.is_furniture_line("Share Facebook Twitter WhatsApp"));
        assert!(!f.is_furniture_line("Share the load"));
    }

    #[test]
    fn navigation_lines_are_furniture() {
        for line in [
            "Home | Pakistan | World",
            "Home > World > Asia",
            "Home » Sci & Tech » Gadgets",
            "| News | Opinion | Sport |",
            "Pakistan / World",
            "News • Business • Markets",
        ] {
            assert!(is_navigation_line(line), "{line}");
        }
        for line in [
            "By Jane Doe | Reuters",
            "Published: 26 Mar 2024 | Updated: 27 Mar 2024",
            "Tuesday | 26 March 2024",
            "Prices rose > 5% | analysts say",
            "The army said 3 > 2 in every way",
            "and/or",
            "Security failure in Pakistan",
            "Pakistan | ",
            "a | b",
        ] {
            assert!(!is_navigation_line(line), "{line}");
        }
    }

    #[test]
    fn new_rules_are_data() {
        let mut f = Furniture::builtin();
        assert!(!f.is_furniture_line("Brought to you by Acme"));
        f.extend("prefix: Brought to you by").unwrap();
        assert!(f.is_furniture_line("Brought to you by Acme"));
    }

    #[test]
    fn bad_rule_names_its_line() {
        let err = Furniture::parse("# c\nline: ok\nnonsense").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
