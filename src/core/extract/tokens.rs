//! A tokenizer for extraction: words (hyphenated names and dotted abbreviations whole),
//! numbers and punctuation, with byte offsets, sentence starts and line breaks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// First token of a sentence: its capital says nothing about being a name.
    pub sentence_start: bool,
    /// A line break stands between this token and the one before.
    pub line_before: bool,
    /// Followed by a possessive `’s` / `'s`, which is not part of the token.
    pub possessive: bool,
}

impl Token {
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        &body[self.start..self.end]
    }
}

/// Byte classes for ASCII tests a byte at a time: [`ALNUM`] letters and digits, [`UPPER`] capitals.
pub(crate) const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] |= ALNUM;
        }
        if c.is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};
pub(crate) const ALNUM: u8 = 1;
pub(crate) const UPPER: u8 = 2;

/// Whether a word starts with a capital letter.
pub fn is_capitalised(word: &str) -> bool {
    match word.as_bytes().first() {
        Some(&b) if b.is_ascii() => b.is_ascii_uppercase(), // without decoding: asked of every word
        _ => word.chars().next().is_some_and(char::is_uppercase),
    }
}

/// All letters capitals, at least two of them ("TTP", "U.S.", "PML-N").
pub fn is_acronym(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters >= 2
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

pub fn tokenize(body: &str) -> Vec<Token> {
    let bytes = body.as_bytes();
    let mut tokens: Vec<Token> = Vec::with_capacity(body.len() / 5);
    let mut i = 0;
    let mut line_before = true;
    let mut sentence_start = true;
    while i < body.len() {
        // A space between words, the commonest byte: passed without a closer look.
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        // ASCII without decoding: most of any article.
        let c = match bytes[i] {
            b if b.is_ascii() => b as char,
            _ => body[i..].chars().next().unwrap_or(' '),
        };
        if c.is_whitespace() {
            if c == '\n' {
                line_before = true;
                sentence_start = true;
            }
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let (kind, end, possessive) = if c.is_alphabetic() {
            let (end, possessive) = scan_word(body, i);
            (TokenKind::Word, end, possessive)
        } else if c.is_ascii_digit() {
            (TokenKind::Number, scan_number(bytes, i), false)
        } else {
            (TokenKind::Punct, i + c.len_utf8(), false)
        };
        tokens.push(Token { start, end, kind, sentence_start, line_before, possessive });
        line_before = false;
        // What the next token is, sentence-wise.
        sentence_start = match kind {
            TokenKind::Punct => match c {
                '.' => !after_abbreviation(body, &tokens),
                '!' | '?' => true,
                // Quotes and brackets pass the state on.
                '"' | '“' | '”' | '‘' | '’' | '\'' | '(' | ')' | '[' | ']' => sentence_start,
                _ => false,
            },
            _ => false,
        };
        i = if possessive { end + body[end..].chars().next().map_or(0, char::len_utf8) + 1 } else { end };
    }
    tokens
}

/// Whether the full stop just pushed follows an abbreviation or an initial.
fn after_abbreviation(body: &str, tokens: &[Token]) -> bool {
    let n = tokens.len();
    if n < 2 {
        return false;
    }
    let prev = &tokens[n - 2];
    if prev.end != tokens[n - 1].start || prev.kind != TokenKind::Word {
        return false;
    }
    let word = prev.text(body);
    let single_capital = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_capital || is_abbreviation_word(word) || word.ends_with('.')
}

/// The longest abbreviation a full stop does not end, in bytes.
const LONGEST_ABBREVIATION: usize = {
    let (mut longest, mut k) = (0, 0);
    while k < crate::core::text::ABBREVIATIONS.len() {
        if crate::core::text::ABBREVIATIONS[k].len() > longest {
            longest = crate::core::text::ABBREVIATIONS[k].len();
        }
        k += 1;
    }
    longest
};

/// `is_abbreviation` of the word in lower case, lower-cased on the stack when it is ASCII (every
/// full stop asks).
fn is_abbreviation_word(word: &str) -> bool {
    if !word.is_ascii() {
        return crate::core::text::is_abbreviation(&word.to_lowercase());
    }
    let mut buf = [0u8; LONGEST_ABBREVIATION];
    if word.len() > buf.len() {
        return false;
    }
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(crate::core::text::is_abbreviation)
}

/// A word: letters and digits, joined by inner hyphens and apostrophes ("Tehrik-i-Taliban",
/// "O'Brien"), or a dotted abbreviation ("U.S."). A trailing `’s` is noted, not included.
fn scan_word(body: &str, start: usize) -> (usize, bool) {
    // Dotted abbreviation: letter '.' letter '.' …
    if let Some(len) = dotted_abbreviation(&body[start..]) {
        return (start + len, false);
    }
    // ASCII letters and digits first, without decoding characters.
    let bytes = body.as_bytes();
    let mut from = start;
    while from < bytes.len() && BYTE_CLASS[bytes[from] as usize] & ALNUM != 0 {
        from += 1;
    }
    // Ended by ASCII that joins nothing (a space, a comma): the usual case, decided here.
    if bytes.get(from).is_none_or(|&b| b.is_ascii() && b != b'\'' && b != b'-') {
        return (from, false);
    }
    let mut chars = body[from..].char_indices().peekable();
    let mut end = from;
    while let Some((off, c)) = chars.next() {
        let off = from + off;
        if c.is_alphanumeric() {
            end = off + c.len_utf8();
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        if is_apostrophe(c) {
            let rest = &body[off + c.len_utf8()..];
            let after_s = rest.chars().nth(1);
            if matches!(next, Some('s' | 'S')) && !after_s.is_some_and(char::is_alphanumeric) {
                return (end, true);
            }
        }
        if (c == '-' || is_apostrophe(c)) && next.is_some_and(char::is_alphanumeric) {
            continue;
        }
        break;
    }
    (end, false)
}

fn dotted_abbreviation(s: &str) -> Option<usize> {
    let mut len = 0;
    let mut pairs = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if !c.is_alphabetic() || !c.is_uppercase() {
            break;
        }
        if chars.next() != Some('.') {
            break;
        }
        len += c.len_utf8() + 1;
        pairs += 1;
    }
    (pairs >= 2).then_some(len)
}

/// Digits with inner separators ("1,600", "3.5") and a suffix ("2000s", "21st").
fn scan_number(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        let separator = (b == b',' || b == b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() || separator {
            i += 1;
        } else {
            break;
        }
    }
    while i < bytes.len() && bytes[i].is_ascii_alphabetic() && i - start < 12 {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(body: &str) -> Vec<&str> {
        tokenize(body).into_iter().map(|t| &body[t.start..t.end]).collect()
    }

    #[test]
    fn hyphenated_names_and_abbreviations_stay_whole() {
        assert_eq!(words("Tehrik-i-Taliban Pakistan (TTP)"), vec!["Tehrik-i-Taliban", "Pakistan", "(", "TTP", ")"]);
        assert_eq!(words("the U.S. army"), vec!["the", "U.S.", "army"]);
    }

    #[test]
    fn possessives_are_noted_not_included() {
        let body = "Dera Ismail Khan’s Daraban area and Pakistan's";
        let toks = tokenize(body);
        assert_eq!(toks[2].text(body), "Khan");
        assert!(toks[2].possessive);
        assert_eq!(toks[3].text(body), "Daraban");
        assert_eq!(toks.last().unwrap().text(body), "Pakistan");
    }

    #[test]
    fn sentence_starts_skip_abbreviations() {
        let body = "He met Gen. Munir. Hours later, he left.";
        let toks = tokenize(body);
        let starts: Vec<&str> = toks.iter().filter(|t| t.sentence_start).map(|t| t.text(body)).collect();
        assert_eq!(starts, vec!["He", "Hours"]);
    }

    #[test]
    fn numbers_keep_separators_and_suffixes() {
        assert_eq!(words("1,600 lives in the 2000s"), vec!["1,600", "lives", "in", "the", "2000s"]);
    }
}
