//! Web furniture rules (ads, comment forms, teaser trailers, desk credits), kept as data in
//! `assets/furniture.txt` so a new source is taught by adding a line, not by changing code.

use crate::core::text::fold_key;

/// The default rules, compiled into the binary.
pub const DEFAULT_RULES: &str = include_str!("../../assets/furniture.txt");

#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// Folded keys of whole lines to drop.
    lines: Vec<String>,
    /// Folded prefixes of lines to drop.
    prefixes: Vec<String>,
    /// Folded keys of lines that start a teaser trailer.
    trailers: Vec<String>,
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
                "line" => self.lines.push(key),
                "prefix" => self.prefixes.push(key),
                "trailer" => self.trailers.push(key),
                "inline" => self.inline.push(text.to_string()),
                "bio" => self.bios.push(key),
                other => {
                    return Err(RuleError { line: n + 1, message: format!("unknown kind {other:?}") });
                }
            }
        }
        Ok(())
    }

    /// Whether a whole line is furniture to drop.
    pub fn is_furniture_line(&self, line: &str) -> bool {
        // Furniture is short; a long line is matched by its head only.
        let key = fold_key(head(line, LONGEST_RULE));
        if key.is_empty() {
            // Lines of punctuation only ("- - -", "***") carry nothing.
            return !line.trim().is_empty() && !line.chars().any(char::is_alphanumeric);
        }
        (line.len() <= LONGEST_RULE && self.lines.contains(&key))
            || self.prefixes.iter().any(|p| starts_with_words(&key, p))
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
