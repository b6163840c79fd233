//! The search query language: a small parser of what analysts type into a syntax tree, with
//! one-line errors that say what is wrong and at which column.
//!
//! ```text
//! query    = clause+                      all clauses must match
//! clause   = "-"? either                  "-" excludes
//! either   = atom ("OR" atom)*            OR binds tighter than the implicit AND
//! atom     = "(" query ")" | field ":" value | "phrase" ["~" N] | word ["*" | "~" N]
//! ```

use crate::core::extract::Kind;

/// The longest query taken, in characters, and the deepest nesting of parentheses.
const MAX_QUERY_CHARS: usize = 2000;
const MAX_DEPTH: usize = 16;

/// Where a text clause looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// A bare word or phrase: the title and the body.
    Default,
    Title,
    Author,
    /// The file the article came from (its path, archive member, format ending).
    Source,
    /// The tags the source gave the article.
    Tag,
}

/// How a word matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Exact,
    /// `word*`
    Prefix,
    /// `word~N`
    Fuzzy(u8),
}

/// What the user layer answers (tags, stars, read marks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFilter {
    Tag(String),
    Starred,
    Read,
    Unread,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Word {
        field: TextField,
        word: String,
        how: Match,
    },
    Phrase {
        field: TextField,
        text: String,
        slop: u32,
    },
    /// `person:` `org:` `place:` `entity:` (kind `None`).
    Entity {
        kind: Option<Kind>,
        name: String,
    },
    /// Days since 1970-01-01, half-open: `from <= day < to`.
    Date {
        from: Option<i64>,
        to: Option<i64>,
    },
    /// `newer:"1 week"`: the span in days, resolved against today when run.
    Newer {
        days: i64,
    },
    User(UserFilter),
}

/// A malformed query: what is wrong and at which column (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (column {})", self.message, self.column)
    }
}

impl std::error::Error for QueryError {}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { column, message: message.into() })
}

/// The field names, as `?` and errors list them.
pub const FIELDS: &str = "title author source person org place entity date after before newer tag is";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Or,
    Minus,
    /// A quoted phrase with its slop.
    Phrase(String, u32),
    Word(String),
    /// `name:value` (the value quoted or not).
    Field(String, String, bool),
}

/// Splits the query into tokens, each with its column.
fn lex(input: &str) -> Result<Vec<(usize, Tok)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let stop = |c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"';
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((col, Tok::Open));
            i += 1;
        } else if c == ')' {
            out.push((col, Tok::Close));
            i += 1;
        } else if c == '"' {
            let (text, next) = quoted(&chars, i)?;
            i = next;
            let slop = if chars.get(i) == Some(&'~') {
                let start = i;
                i += 1;
                let digits: String = chars[i..].iter().take_while(|c| c.is_ascii_digit()).collect();
                i += digits.chars().count();
                if digits.is_empty() || chars.get(i).is_some_and(|&c| !stop(c)) {
                    return err(start + 1, "~ after a phrase takes a number of words, as in \"a b\"~3");
                }
                digits.parse::<u32>().unwrap_or(u32::MAX).min(100)
            } else {
                0
            };
            if text.trim().is_empty() {
                return err(col, "the quotes hold nothing to search for");
            }
            out.push((col, Tok::Phrase(text, slop)));
        } else if c == '-' && chars.get(i + 1).is_some_and(|&n| !n.is_whitespace() && n != ')') {
            out.push((col, Tok::Minus));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !stop(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word == "OR" {
                out.push((col, Tok::Or));
                continue;
            }
            if let Some((name, value)) = word.split_once(':') {
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                    if value.is_empty() {
                        if chars.get(i) == Some(&'"') {
                            let (text, next) = quoted(&chars, i)?;
                            i = next;
                            out.push((col, Tok::Field(name.to_ascii_lowercase(), text, true)));
                            continue;
                        }
                        return err(col, format!("{name}: needs a value, as in {name}:word"));
                    }
                    out.push((col, Tok::Field(name.to_ascii_lowercase(), value.to_string(), false)));
                    continue;
                }
            }
            out.push((col, Tok::Word(word)));
        }
    }
    Ok(out)
}

/// The text between the quote at `at` and its closing quote, and where after it to go on.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), QueryError> {
    match chars[at + 1..].iter().position(|&c| c == '"') {
        Some(len) => Ok((chars[at + 1..at + 1 + len].iter().collect(), at + len + 2)),
        None => err(at + 1, "unclosed quote: the \" here has no closing \""),
    }
}

/// Parses a query.
pub fn parse(input: &str) -> Result<Node, QueryError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return err(MAX_QUERY_CHARS, format!("the query is longer than {MAX_QUERY_CHARS} characters"));
    }
    let toks = lex(input)?;
    if toks.is_empty() {
        return err(1, "the query is empty: type words to search for");
    }
    let mut p = Parser { toks, at: 0, end: input.chars().count() + 1 };
    let node = p.query(0)?;
    if let Some((col, _)) = p.toks.get(p.at) {
        return err(*col, ") here closes nothing");
    }
    Ok(node)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn col(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |(c, _)| *c)
    }

    fn query(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut clauses = Vec::new();
        while let Some(t) = self.peek() {
            if *t == Tok::Close {
                break;
            }
            clauses.push(self.clause(depth)?);
        }
        if clauses.is_empty() {
            return err(self.col(), "nothing to search for here");
        }
        Ok(if clauses.len() == 1 { clauses.pop().expect("one") } else { Node::And(clauses) })
    }

    fn clause(&mut self, depth: usize) -> Result<Node, QueryError> {
        if self.peek() == Some(&Tok::Minus) {
            let col = self.col();
            self.at += 1;
            if matches!(self.peek(), None | Some(Tok::Or) | Some(Tok::Close)) {
                return err(col, "- must be followed by what to leave out, as in -word");
            }
            return Ok(Node::Not(Box::new(self.either(depth)?)));
        }
        self.either(depth)
    }

    fn either(&mut self, depth: usize) -> Result<Node, QueryError> {
        let mut alts = vec![self.atom(depth)?];
        while self.peek() == Some(&Tok::Or) {
            let col = self.col();
            self.at += 1;
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => {
                    return err(col, "OR needs something to search for on each side");
                }
                Some(Tok::Minus) => {
                    self.at += 1;
                    alts.push(Node::Not(Box::new(self.atom(depth)?)));
                }
                _ => alts.push(self.atom(depth)?),
            }
        }
        Ok(if alts.len() == 1 { alts.pop().expect("one") } else { Node::Or(alts) })
    }

    fn atom(&mut self, depth: usize) -> Result<Node, QueryError> {
        let col = self.col();
        let Some((_, tok)) = self.toks.get(self.at).cloned() else {
            return err(col, "the query ends where something to search for was expected");
        };
        self.at += 1;
        match tok {
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    return err(col, format!("parentheses nested deeper than {MAX_DEPTH}"));
                }
                if self.peek() == Some(&Tok::Close) {
                    return err(col, "() holds nothing to search for");
                }
                let inner = self.query(depth + 1)?;
                if self.peek() != Some(&Tok::Close) {
                    return err(col, "unclosed (: it has no matching )");
                }
                self.at += 1;
                Ok(inner)
            }
            Tok::Close => err(col, ") here closes nothing"),
            Tok::Or => err(col, "OR needs something to search for on each side"),
            Tok::Minus => err(col, "- must be followed by what to leave out, as in -word"),
            Tok::Phrase(text, slop) => Ok(Node::Phrase { field: TextField::Default, text, slop }),
            Tok::Word(w) => word(TextField::Default, &w, col),
            Tok::Field(name, value, quoted) => field(&name, &value, quoted, col),
        }
    }
}

/// A bare word: `word`, `word*`, `word~N`.
fn word(field: TextField, w: &str, col: usize) -> Result<Node, QueryError> {
    if let Some(stem) = w.strip_suffix('*') {
        if stem.contains('*') {
            return err(col, "* may only end a word, as in taliban*");
        }
        if stem.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return err(col, "word* needs at least two letters before the *");
        }
        return Ok(Node::Word { field, word: stem.to_string(), how: Match::Prefix });
    }
    if w.contains('*') {
        return err(col, "* may only end a word, as in taliban*");
    }
    if let Some((stem, dist)) = w.rsplit_once('~') {
        let d = if dist.is_empty() { Some(1) } else { dist.parse::<u8>().ok() };
        return match d {
            Some(d @ 1..=2) if !stem.is_empty() => {
                Ok(Node::Word { field, word: stem.to_string(), how: Match::Fuzzy(d) })
            }
            _ if stem.is_empty() => err(col, "~ must follow a word, as in waziristan~1"),
            _ => err(col, "word~N takes N = 1 or 2 (letters that may differ)"),
        };
    }
    Ok(Node::Word { field, word: w.to_string(), how: Match::Exact })
}

fn field(name: &str, value: &str, quoted: bool, col: usize) -> Result<Node, QueryError> {
    let text_field = |f: TextField| {
        if quoted {
            Ok(Node::Phrase { field: f, text: value.to_string(), slop: 0 })
        } else {
            word(f, value, col)
        }
    };
    let entity = |kind: Option<Kind>| Ok(Node::Entity { kind, name: value.to_string() });
    match name {
        "title" => text_field(TextField::Title),
        "author" | "by" => text_field(TextField::Author),
        "source" | "file" | "path" => text_field(TextField::Source),
        "person" | "who" => entity(Some(Kind::Person)),
        "org" | "organization" | "organisation" => entity(Some(Kind::Organization)),
        "place" | "where" => entity(Some(Kind::Place)),
        "entity" | "name" => entity(None),
        "date" | "on" => {
            let (from, to) = date_range(value).ok_or_else(|| bad_date(name, value, col))?;
            Ok(Node::Date { from: Some(from), to: Some(to) })
        }
        "after" | "since" => {
            let (from, _) = date_range(value).ok_or_else(|| bad_date(name, value, col))?;
            Ok(Node::Date { from: Some(from), to: None })
        }
        "before" | "until" => {
            let (from, _) = date_range(value).ok_or_else(|| bad_date(name, value, col))?;
            Ok(Node::Date { from: None, to: Some(from) })
        }
        "newer" => match span_days(value) {
            Some(days) => Ok(Node::Newer { days }),
            None => {
                err(col, format!("newer:{value:?} is not a span: use newer:\"1 week\", newer:3d, newer:\"2 months\""))
            }
        },
        "tag" => Ok(Node::User(UserFilter::Tag(value.to_string()))),
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" | "new" => Ok(Node::User(UserFilter::Unread)),
            "read" => Ok(Node::User(UserFilter::Read)),
            "starred" | "star" => Ok(Node::User(UserFilter::Starred)),
            _ => err(col, format!("is:{value} is not known: use is:unread, is:read or is:starred")),
        },
        _ => err(col, format!("unknown field {name}: (fields: {FIELDS}; quote text that has a colon)")),
    }
}

fn bad_date(name: &str, value: &str, col: usize) -> QueryError {
    QueryError {
        column: col,
        message: format!(
            "{name}:{value} is not a date: use {name}:2024, {name}:2024-03, {name}:2024-03-15{}",
            if name == "date" || name == "on" { " or date:2023-01..2023-06" } else { "" }
        ),
    }
}

/// Days since 1970-01-01 of a date in a query (its year has four digits, and one more).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    crate::core::extract::dates::days_from_civil(y.clamp(0, 10_000) as i32, m, d)
}

/// `2024`, `2024-03` or `2024-03-15`: the first day and the day after the last, or `a..b`
/// (either side may be left open: `..2023-06`).
pub fn date_range(value: &str) -> Option<(i64, i64)> {
    if let Some((a, b)) = value.split_once("..") {
        let from = if a.is_empty() { i64::MIN / 4 } else { one_date(a)?.0 };
        let to = if b.is_empty() { i64::MAX / 4 } else { one_date(b)?.1 };
        return (from < to).then_some((from, to));
    }
    one_date(value)
}

fn one_date(value: &str) -> Option<(i64, i64)> {
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
    };
    let y = i64::from(num(parts.first()?, 4)?);
    match parts.len() {
        1 => Some((days_from_civil(y, 1, 1), days_from_civil(y + 1, 1, 1))),
        2 => {
            let m = num(parts[1], 2).filter(|m| (1..=12).contains(m))?;
            let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
            Some((days_from_civil(y, m, 1), next))
        }
        3 => {
            let m = num(parts[1], 2).filter(|m| (1..=12).contains(m))?;
            let d = num(parts[2], 2).filter(|d| (1..=crate::core::dates::days_in_month(y as i32, m)).contains(d))?;
            let day = days_from_civil(y, m, d);
            Some((day, day + 1))
        }
        _ => None,
    }
}

/// The day of an article's ISO 8601 date (its first ten characters, or a year and month).
pub fn article_day(date: &str) -> Option<i64> {
    let head = date.get(..10).unwrap_or(date);
    one_date(head).or_else(|| one_date(date.get(..7)?)).or_else(|| one_date(date.get(..4)?)).map(|(d, _)| d)
}

/// `1 week`, `3 days`, `2 months`, `1y`, `10d`: a span in days.
fn span_days(value: &str) -> Option<i64> {
    let v = value.trim().to_ascii_lowercase();
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let n: i64 = if digits.is_empty() { 1 } else { digits.parse().ok()? };
    let unit = v[digits.len()..].trim();
    let per = match unit {
        "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        "m" | "month" | "months" => 30,
        "y" | "year" | "years" => 365,
        _ => return None,
    };
    n.checked_mul(per).filter(|d| *d <= 365 * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(word: &str) -> Node {
        Node::Word { field: TextField::Default, word: word.into(), how: Match::Exact }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(parse("mosque").unwrap(), w("mosque"));
        assert_eq!(parse("a b").unwrap(), Node::And(vec![w("a"), w("b")]));
        assert_eq!(parse("a b OR c").unwrap(), Node::And(vec![w("a"), Node::Or(vec![w("b"), w("c")])]));
        assert_eq!(parse("-a b").unwrap(), Node::And(vec![Node::Not(Box::new(w("a"))), w("b")]));
        assert_eq!(
            parse("\"Durand Line\"~2").unwrap(),
            Node::Phrase { field: TextField::Default, text: "Durand Line".into(), slop: 2 }
        );
        assert_eq!(
            parse("talib*").unwrap(),
            Node::Word { field: TextField::Default, word: "talib".into(), how: Match::Prefix }
        );
        assert_eq!(
            parse("wazirstan~1").unwrap(),
            Node::Word { field: TextField::Default, word: "wazirstan".into(), how: Match::Fuzzy(1) }
        );
        assert_eq!(parse("(a OR b) c").unwrap(), Node::And(vec![Node::Or(vec![w("a"), w("b")]), w("c")]));
    }

    #[test]
    fn fields() {
        assert_eq!(
            parse("org:\"Tehreek-e-Taliban Pakistan\"").unwrap(),
            Node::Entity { kind: Some(Kind::Organization), name: "Tehreek-e-Taliban Pakistan".into() }
        );
        assert_eq!(
            parse("title:\"security failure\"").unwrap(),
            Node::Phrase { field: TextField::Title, text: "security failure".into(), slop: 0 }
        );
        let jan = days_from_civil(2023, 1, 1);
        assert_eq!(parse("date:2023").unwrap(), Node::Date { from: Some(jan), to: Some(days_from_civil(2024, 1, 1)) });
        assert_eq!(
            parse("date:2023-01..2023-06").unwrap(),
            Node::Date { from: Some(jan), to: Some(days_from_civil(2023, 7, 1)) }
        );
        assert_eq!(parse("after:2023-03").unwrap(), Node::Date { from: Some(days_from_civil(2023, 3, 1)), to: None });
        assert_eq!(parse("newer:\"1 week\"").unwrap(), Node::Newer { days: 7 });
        assert_eq!(parse("is:unread").unwrap(), Node::User(UserFilter::Unread));
        assert_eq!(parse("tag:urgent").unwrap(), Node::User(UserFilter::Tag("urgent".into())));
        // A colon after something that is not a field name is text.
        assert_eq!(parse("10:30").unwrap(), w("10:30"));
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = parse("\"unclosed").unwrap_err();
        assert_eq!(e.column, 1);
        assert!(e.message.contains("unclosed quote"), "{e}");
        let e = parse("mosque colour:red").unwrap_err();
        assert_eq!(e.column, 8);
        assert!(e.message.contains("unknown field colour:"), "{e}");
        assert_eq!(parse("a OR").unwrap_err().column, 3);
        assert_eq!(parse("(a b").unwrap_err().column, 1);
        assert_eq!(parse("a b)").unwrap_err().column, 4);
        assert_eq!(parse("date:2024-13").unwrap_err().column, 1);
        assert_eq!(parse("x newer:soon").unwrap_err().column, 3);
        assert_eq!(parse("is:maybe").unwrap_err().column, 1);
        assert_eq!(parse("a*b").unwrap_err().column, 1);
        assert_eq!(parse("word~5").unwrap_err().column, 1);
        assert_eq!(parse("\"a\"~x").unwrap_err().column, 4);
        assert_eq!(parse("   ").unwrap_err().column, 1);
        assert_eq!(parse("title:").unwrap_err().column, 1);
        assert!(parse(&"(".repeat(40)).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(article_day("2023-12-13"), Some(days_from_civil(2023, 12, 13)));
        assert_eq!(article_day("2023-12-13T10:00:00+05:00"), Some(days_from_civil(2023, 12, 13)));
        assert_eq!(article_day("2023-12"), Some(days_from_civil(2023, 12, 1)));
        assert_eq!(article_day("soon"), None);
        assert!(date_range("2024-02-30").is_none());
        assert!(date_range("2024-06..2024-01").is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_errors_point_inside(q in "\\PC{0,60}") {
            if let Err(e) = parse(&q) {
                proptest::prop_assert!(e.column >= 1 && e.column <= q.chars().count() + 1, "{e} for {q:?}");
                proptest::prop_assert!(!e.message.is_empty());
            }
        }

        #[test]
        fn never_panics_on_query_like_text(q in "([a-z]{1,5}|\"|\\(|\\)|-|OR|:|\\*|~[0-9]?|date:|org:| ){0,20}") {
            if let Err(e) = parse(&q) {
                proptest::prop_assert!(e.column >= 1 && e.column <= q.chars().count() + 1, "{e} for {q:?}");
            }
        }
    }
}
