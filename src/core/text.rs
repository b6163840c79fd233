//! Text primitives shared by cleaning, extraction and display: making untrusted text safe to
//! print, splitting sentences, folding text for comparison and wrapping by display width.

use unicode_width::UnicodeWidthChar;

/// Removes everything that could drive a terminal: escape sequences (CSI, OSC, DCS, …), C0 and
/// C1 control characters and bidirectional overrides. Newlines survive; tabs become spaces.
/// Returns the cleaned text and how many sequences or characters were removed.
pub fn sanitize(input: &str) -> (String, usize) {
    if is_plain(input) {
        return (input.to_string(), 0);
    }
    let mut out = String::with_capacity(input.len());
    let mut removed = 0;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {
                // CRLF and lone CR both end a line.
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{1b}' => {
                removed += 1;
                skip_escape_sequence(&mut chars);
            }
            c if is_unsafe_char(c) => removed += 1,
            // Invisible joiners that terminals and multiplexers disagree about (a joined emoji
            // sequence is one cell to tmux, several to everyone else): dropped, so every row
            // measures the same everywhere. ZWNJ stays: Persian and Urdu spelling needs it.
            '\u{200b}' | '\u{200d}' | '\u{2060}' => {}
            c => out.push(c),
        }
    }
    (out, removed)
}

/// Text with nothing to remove or change: no control bytes but newlines, and no C1 controls,
/// direction overrides or byte-order marks (found by their UTF-8 lead bytes).
fn is_plain(input: &str) -> bool {
    let b = input.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    for (i, &c) in b.iter().enumerate() {
        // Printable ASCII and newlines, most of any text, pass with one comparison.
        if (0x20..0x7f).contains(&c) || c == b'\n' {
            continue;
        }
        let unsafe_here = match c {
            0x00..=0x1f | 0x7f => true,
            0xc2 => (0x80..=0x9f).contains(&at(i + 1)),
            0xe2 => matches!((at(i + 1), at(i + 2)), (0x80, 0xaa..=0xae | 0x8b | 0x8d) | (0x81, 0xa6..=0xa9 | 0xa0)),
            0xef => at(i + 1) == 0xbb && at(i + 2) == 0xbf,
            _ => false,
        };
        if unsafe_here {
            return false;
        }
    }
    true
}

/// Control characters and invisible direction overrides ("Trojan source") that must never reach
/// a terminal.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Sanitises a single-line string for display: as [`sanitize`], with newlines turned into spaces.
pub fn display_safe(input: &str) -> String {
    if !input.chars().any(|c| is_unsafe_char(c) || c == '\n') {
        return input.to_string();
    }
    sanitize(input).0.replace('\n', " ")
}

fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        // CSI: parameters and intermediates, then one final byte in @..~
        Some('[') => {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        }
        // OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (ESC \).
        Some(']' | 'P' | 'X' | '^' | '_') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // Character-set designation takes one more character.
        Some('(' | ')' | '*' | '+') => {
            chars.next();
        }
        _ => {}
    }
}

/// Collapses runs of ASCII spaces and trims. Non-breaking and other typographic spaces are kept
/// as they are, for display.
pub fn collapse_spaces(s: &str) -> String {
    let b = s.as_bytes();
    let plain = b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
        && !b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && !b.iter().any(|&c| c == b'\t' || c == b'\n');
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c == ' ' || c == '\t' || c == '\n' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A comparison key: lower-case letters and digits only, words separated by one space, accents
/// folded. "Strife, and" and "strife and" share a key.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_key_into(s, false, &mut out);
    out
}

/// [`fold_key`] appended to `out` (which it treats as empty), leaving out full stops when
/// `skip_dots` (as [`crate::core::extract::lexicon::name_key`] does): no allocation beyond `out`'s.
pub fn fold_key_into(s: &str, skip_dots: bool, out: &mut String) {
    let start = out.len();
    let mut gap = false;
    let mut push = |b: u8| {
        if b.is_ascii_alphanumeric() {
            if gap && out.len() > start {
                out.push(' ');
            }
            gap = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            gap = true;
        }
    };
    if s.is_ascii() {
        for b in s.bytes() {
            if !(skip_dots && b == b'.') {
                push(b);
            }
        }
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            if !(skip_dots && c == '.') {
                push(c as u8);
            }
        } else {
            match deunicode::deunicode_char(c) {
                Some(t) => t.bytes().for_each(&mut push),
                None => push(b' '),
            }
        }
    }
}

/// Feeds `s` transliterated to ASCII (accents folded, as `deunicode` does) to `f` a byte at a
/// time, without building the folded string. A character with no transliteration is a space.
pub fn for_each_folded_byte(s: &str, mut f: impl FnMut(u8)) {
    if s.is_ascii() {
        s.bytes().for_each(f);
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            f(c as u8);
        } else {
            match deunicode::deunicode_char(c) {
                Some(t) => t.bytes().for_each(&mut f),
                None => f(b' '),
            }
        }
    }
}

/// Words after which a full stop does not end a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "gov", "sen", "rep",
    "rev", "hon", "st", "jr", "sr", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "approx", "est", "fig", "vol",
    "pp", "e.g", "i.e", "cf", "al",
];

/// Whether a lower-case word is an abbreviation a full stop does not end ("gen", "feb").
pub fn is_abbreviation(lower: &str) -> bool {
    ABBREVIATIONS.contains(&lower)
}

/// Splits a paragraph into sentences, returning byte ranges. A sentence ends at `.`, `!` or `?`
/// (and any closing quotes or brackets) followed by white space and a capital, digit or opening
/// quote — but not after an abbreviation ("Gen.", "U.S.", "Feb.") or an initial ("J.").
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Only `.`, `!` and `?` can end a sentence: the scan jumps from one to the next.
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i.min(bytes.len())..]) {
        i += found;
        let b = bytes[i];
        let mut end = i + 1;
        // closing quotes and brackets belong to the sentence
        while end < bytes.len() {
            let rest = &text[end..];
            let c = rest.chars().next().unwrap_or(' ');
            if matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»') {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        let after = &text[end..];
        let ws_len: usize = after.chars().take_while(|c| c.is_whitespace()).map(char::len_utf8).sum();
        let next = after[ws_len..].chars().next();
        let starts_sentence = matches!(next, Some(c) if c.is_uppercase() || c.is_ascii_digit()
                || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '['));
        let next_is_digit = next.is_some_and(|c| c.is_ascii_digit());
        if ws_len > 0 && starts_sentence && !(b == b'.' && is_abbreviation_before(text, i, next_is_digit)) {
            spans.push((start, end));
            start = end + ws_len;
            i = start;
            continue;
        }
        i = end.max(i + 1);
    }
    if start < text.len() {
        let tail = text[start..].trim_end();
        if !tail.is_empty() {
            spans.push((start, start + tail.len()));
        }
    }
    spans
}

/// Whether the word ending at byte `dot` (a full stop) is an abbreviation or an initial.
/// "No." abbreviates only before a number ("No. 5"), not in "he said no."
fn is_abbreviation_before(text: &str, dot: usize, next_is_digit: bool) -> bool {
    let word_start = text[..dot]
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |p| p + text[p..].chars().next().map_or(1, char::len_utf8));
    let word = &text[word_start..dot];
    if word.is_empty() {
        return false;
    }
    // An initial ("J.") or a dotted acronym ("U.S", "U.N").
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && word.chars().all(|c| c.is_alphabetic()) && word.chars().all(char::is_uppercase) {
        return true;
    }
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        return true;
    }
    // Every abbreviation is a few ASCII letters: longer words need no lower-case copy.
    if word.len() > LONGEST_ABBREVIATION || !word.is_ascii() {
        return false;
    }
    let mut buf = [0u8; LONGEST_ABBREVIATION];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).unwrap_or_default();
    if matches!(lower, "no" | "nos") {
        return next_is_digit;
    }
    is_abbreviation(lower)
}

/// The longest of [`ABBREVIATIONS`], in bytes.
pub const LONGEST_ABBREVIATION: usize = {
    let mut longest = 0;
    let mut k = 0;
    while k < ABBREVIATIONS.len() {
        if ABBREVIATIONS[k].len() > longest {
            longest = ABBREVIATIONS[k].len();
        }
        k += 1;
    }
    longest
};

/// Splits a paragraph into sentence strings.
pub fn sentences(text: &str) -> Vec<&str> {
    sentence_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect()
}

/// `1 article`, `2 articles`: a count with its noun in the right number.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Cuts a string to at most `max` columns, ending with "…" when something was cut.
pub fn truncate_to_width(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Wraps text to `max` columns on spaces, measuring with unicode-width. Returns byte ranges of
/// the lines in `text` (the spaces at a break belong to no line), so callers can map highlights.
/// A word wider than the line is broken between characters.
pub fn wrap_spans(text: &str, max: usize) -> Vec<(usize, usize)> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut line_width = 0;
    let mut last_break: Option<(usize, usize, usize)> = None; // (end of line, next start, width at end)
    let mut idx = 0;
    let mut line_has_content = false;
    for (pos, c) in text.char_indices() {
        idx = pos + c.len_utf8();
        if c == ' ' {
            if line_has_content {
                last_break = Some((pos, idx, line_width));
            } else {
                line_start = idx;
                continue;
            }
            line_width += 1;
            continue;
        }
        let w = c.width().unwrap_or(0);
        if line_width + w > max && line_has_content {
            if let Some((end, next, _)) = last_break.take() {
                lines.push((line_start, end));
                line_start = next;
                line_width = width(&text[line_start..pos]);
            } else {
                lines.push((line_start, pos));
                line_start = pos;
                line_width = 0;
            }
        }
        line_width += w;
        line_has_content = true;
    }
    if line_start < idx {
        let end = line_start + text[line_start..idx].trim_end_matches(' ').len();
        if end > line_start {
            lines.push((line_start, end));
        }
    }
    if lines.is_empty() {
        lines.push((0, 0));
    }
    lines
}

/// Wraps text to lines of at most `max` columns.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    wrap_spans(text, max).into_iter().map(|(s, e)| text[s..e].to_string()).collect()
}

/// Stray Markdown in one line of plain text, read as text: a heading's or quote's marker goes,
/// `**bold**` is `bold`, `[text](url)` and `![alt](url)` are `text` and `alt`, and a table row
/// `| a | b |` is its cells joined by " · " (a row of dashes is no text). Returns `None` when
/// the line has none, else the text and whether the line was a table row (a row stands alone).
pub fn strip_markdown(line: &str) -> Option<(String, bool)> {
    let trimmed = line.trim();
    if trimmed.len() >= 3 && trimmed.starts_with('|') && trimmed.ends_with('|') {
        let inner = &trimmed[1..trimmed.len() - 1];
        let cells: Vec<&str> = inner.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        let rule = cells.iter().all(|c| c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
        if rule {
            return Some((String::new(), true));
        }
        let row = cells.join(" · ");
        let row = strip_inline_markdown(&row).map_or(row, |r| r);
        return Some((row, true));
    }
    let mut text = trimmed;
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && text[hashes..].starts_with(' ') {
        text = text[hashes..].trim().trim_end_matches('#').trim_end();
    }
    while let Some(rest) = text.strip_prefix("> ") {
        text = rest.trim_start();
    }
    match strip_inline_markdown(text) {
        Some(t) => Some((t, false)),
        None if text.len() != trimmed.len() => Some((text.to_string(), false)),
        None => None,
    }
}

/// `**bold**` → `bold`, `[text](url)` → `text`, `![alt](url)` → `alt`, in one pass over the
/// line. `None` when there is nothing to change.
fn strip_inline_markdown(line: &str) -> Option<String> {
    let linked = if line.contains("](") { replace_links(line) } else { None };
    let text = linked.as_deref().unwrap_or(line);
    match remove_bold(text) {
        Some(t) => Some(t),
        None => linked,
    }
}

fn replace_links(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    // Every scan below starts where the last one stopped, so the line is read once.
    while i < b.len() {
        if b[i] != b'[' {
            i += 1;
            continue;
        }
        let text_start = i + 1;
        let mut j = text_start;
        while j < b.len() && b[j] != b']' && b[j] != b'[' {
            j += 1;
        }
        if j >= b.len() {
            break; // no `]` after here: no more links
        }
        if b[j] == b'[' {
            i = j;
            continue;
        }
        if b.get(j + 1) != Some(&b'(') {
            i = j + 1;
            continue;
        }
        let url_start = j + 2;
        let mut k = url_start;
        while k < b.len() && !matches!(b[k], b')' | b'(' | b'[' | b']') && !b[k].is_ascii_whitespace() {
            k += 1;
        }
        if k >= b.len() || b[k] != b')' || k == url_start {
            i = k.max(j + 1);
            continue;
        }
        let open = if i > copied && b[i - 1] == b'!' { i - 1 } else { i };
        out.push_str(&s[copied..open]);
        out.push_str(&s[text_start..j]);
        copied = k + 1;
        i = k + 1;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&s[copied..]);
    Some(out)
}

/// Drops the markers of `**bold**` pairs whose text neither starts nor ends with a space.
fn remove_bold(s: &str) -> Option<String> {
    if !s.contains("**") {
        return None;
    }
    let b = s.as_bytes();
    let mut marks = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'*' && b[i + 1] == b'*' {
            marks.push(i);
            i += 2;
        } else {
            i += 1;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    for pair in marks.chunks_exact(2) {
        let (open, close) = (pair[0], pair[1]);
        let inner = &s[open + 2..close];
        if inner.is_empty() || inner.starts_with(char::is_whitespace) || inner.ends_with(char::is_whitespace) {
            continue;
        }
        out.push_str(&s[copied..open]);
        out.push_str(inner);
        copied = close + 2;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&s[copied..]);
    Some(out)
}

/// A stable 64-bit FNV-1a hash: the same bytes give the same value on every run and machine.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h = StableHasher::default();
    bytes.iter().for_each(|&b| h.write_byte(b));
    h.value()
}

/// FNV-1a, fed a byte at a time: its value after each byte is the hash of the bytes so far.
#[derive(Debug, Clone, Copy)]
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl StableHasher {
    pub fn write_byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    pub fn value(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escape_sequences_and_controls() {
        let (clean, removed) = sanitize("a\u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{7}b\u{0}c\u{9b}d");
        assert_eq!(clean, "ared bcd");
        assert_eq!(removed, 5);
    }

    #[test]
    fn sanitize_finds_every_unsafe_character_past_the_fast_path() {
        for bad in ["\u{202e}", "\u{2066}", "\u{feff}", "\u{85}", "\u{7f}", "\u{1b}", "\r", "\u{200d}", "\u{200b}"] {
            let s = format!("“quoted” text{bad}more");
            assert!(!is_plain(&s), "{bad:?}");
            assert!(!sanitize(&s).0.contains(bad), "{bad:?}");
        }
        assert!(is_plain("“quoted” — dash… ＝ full"));
        assert_eq!(sanitize("a👩\u{200d}👩\u{200d}👧 family, می\u{200c}خواهم").0, "a👩👩👧 family, می\u{200c}خواهم");
    }

    #[test]
    fn sanitize_keeps_typography() {
        let s = "“Quoted” — dash\u{a0}nbsp ’";
        assert_eq!(sanitize(s).0, s);
    }

    #[test]
    fn sentences_do_not_break_after_abbreviations() {
        let s = "Gen. Asim Munir met Dr. Khan in the U.S. on Feb. 21. He left. Case No. 5 is open.";
        let got = sentences(s);
        assert_eq!(
            got,
            vec!["Gen. Asim Munir met Dr. Khan in the U.S. on Feb. 21.", "He left.", "Case No. 5 is open."]
        );
    }

    #[test]
    fn sentences_keep_closing_quotes() {
        let got = sentences("He said “no.” Then he left.");
        assert_eq!(got, vec!["He said “no.”", "Then he left."]);
    }

    #[test]
    fn fold_key_ignores_punctuation_case_and_accents() {
        assert_eq!(fold_key("Strife, and Tehrīk!"), fold_key("strife and tehrik"));
    }

    #[test]
    fn wrap_measures_wide_characters() {
        let lines = wrap("日本語 日本語 abc", 7);
        assert_eq!(lines, vec!["日本語", "日本語", "abc"]);
        for l in &lines {
            assert!(width(l) <= 7);
        }
    }

    #[test]
    fn wrap_breaks_overlong_words() {
        let lines = wrap("abcdefghij", 4);
        assert_eq!(lines, vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn stray_markdown_reads_as_text() {
        let md = |s: &str| strip_markdown(s).map(|(t, _)| t);
        assert_eq!(md("It was **very** bad").as_deref(), Some("It was very bad"));
        assert_eq!(md("See [the report](https://example.org/r?a=1) now").as_deref(), Some("See the report now"));
        assert_eq!(md("![A photo](img.png) caption").as_deref(), Some("A photo caption"));
        assert_eq!(md("## Heading ##").as_deref(), Some("Heading"));
        assert_eq!(md("| Name | Age |").as_deref(), Some("Name · Age"));
        assert_eq!(md("|---|:---:|").as_deref(), Some(""));
        assert_eq!(md("5 ** 2 and [not a link] (x)"), None);
        assert_eq!(md("#hashtag"), None);
        assert_eq!(md("plain"), None);
    }

    #[test]
    fn link_scanning_handles_nested_and_broken_brackets() {
        assert_eq!(replace_links("[[a](b)](c)").as_deref(), Some("[a](c)"));
        assert_eq!(replace_links("[a](b c) [d](e)").as_deref(), Some("[a](b c) d"));
        assert_eq!(replace_links("[[[[[["), None);
        assert_eq!(replace_links("[a](bbbb[c](d)").as_deref(), Some("[a](bbbbc"));
    }

    #[test]
    fn truncate_adds_ellipsis() {
        assert_eq!(truncate_to_width("abcdef", 4), "abc…");
        assert_eq!(truncate_to_width("abc", 4), "abc");
    }
}
