//! JSON and JSON Lines exports of articles: news APIs, scrapers, newsroom's own
//! `export --format json`. One document per record.
//!
//! serde_json stops at 128 levels of nesting, so deep input is a clear error, never a stack
//! overflow.

use serde_json::{Map, Value};

use super::feed::{collapse, hash_key, is_json_feed_head, looks_like_html, person_name};
use crate::core::dates::metadata_date;
use crate::core::document::{Content, Document, Limits, Parsed, ProblemKind, SourceMeta};

const FORMAT: &str = "JSON";

/// Keys under which an object holds its array of records.
const LIST_KEYS: &[&str] =
    &["articles", "items", "data", "results", "documents", "docs", "entries", "posts", "stories", "records", "hits"];
const TITLE_KEYS: &[&str] = &["title", "headline", "webtitle", "name"];
const BODY_KEYS: &[&str] =
    &["body", "text", "content", "articlebody", "full_text", "fulltext", "bodytext", "description", "summary"];
const DATE_KEYS: &[&str] = &[
    "date",
    "published",
    "publishedat",
    "published_at",
    "pubdate",
    "pub_date",
    "datepublished",
    "publication_date",
    "webpublicationdate",
    "created_at",
    "createdat",
    "timestamp",
];
const AUTHOR_KEYS: &[&str] = &["author", "byline", "authors", "creator"];
const URL_KEYS: &[&str] = &["url", "link", "weburl", "permalink"];
const ID_KEYS: &[&str] = &["id", "_id", "uuid", "guid"];
const TAG_KEYS: &[&str] = &["tags", "keywords", "categories", "category"];
/// Objects inside a record whose fields belong to the record (Guardian `fields`,
/// Elasticsearch `_source`).
const INNER_KEYS: &[&str] = &["fields", "_source"];

/// Whether these bytes look like a JSON or JSONL export of articles (or a JSON Feed): they
/// start with `[` or `{`, and their opening names a title field and a text field.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if !head.starts_with(['[', '{']) {
        return false;
    }
    if is_json_feed_head(head) {
        return true;
    }
    let has_key = |keys: &[&str]| keys.iter().any(|k| head.contains(&format!("\"{k}\"")));
    has_key(&["title", "headline", "webtitle"]) && has_key(BODY_KEYS)
}

/// Reads a JSON document (an array of records, or an object holding one) or, when the file is
/// not one JSON value, JSON Lines. A record with neither title nor text, or a line that is not
/// JSON, is an item problem.
pub fn parse(bytes: &[u8], limits: &Limits) -> Result<Parsed, ProblemKind> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(ProblemKind::Empty);
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            if value.get("version").and_then(Value::as_str).is_some_and(|v| v.contains("jsonfeed.org")) {
                return super::feed::parse(bytes, limits);
            }
            let records = find_records(&value).ok_or_else(|| {
                ProblemKind::malformed(
                    FORMAT,
                    "no articles found: neither an array of records nor an object holding one",
                )
            })?;
            let mut parsed = Parsed::default();
            for (n, record) in records.iter().enumerate() {
                if n >= limits.max_items {
                    parsed.problems.push((String::new(), items_limit(limits)));
                    break;
                }
                add_record(&mut parsed, record, &format!("#{}", n + 1));
            }
            Ok(parsed)
        }
        Err(whole) => parse_lines(text, limits).ok_or_else(|| ProblemKind::malformed(FORMAT, whole.to_string())),
    }
}

fn items_limit(limits: &Limits) -> ProblemKind {
    ProblemKind::Partial { detail: format!("only the first {} records were read", limits.max_items) }
}

/// JSON Lines: `None` unless the first non-blank line is a JSON object on its own.
fn parse_lines(text: &str, limits: &Limits) -> Option<Parsed> {
    let mut parsed = Parsed::default();
    let mut seen_object = false;
    let mut taken = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let key = format!("line {}", n + 1);
        match serde_json::from_str::<Value>(line) {
            Ok(value) if value.is_object() => {
                seen_object = true;
                if taken >= limits.max_items {
                    parsed.problems.push((String::new(), items_limit(limits)));
                    break;
                }
                taken += 1;
                add_record(&mut parsed, &value, &key);
            }
            Ok(_) if seen_object => {
                parsed.problems.push((key, ProblemKind::malformed(FORMAT, "a line that is not a JSON object")))
            }
            Err(e) if seen_object => parsed.problems.push((key, ProblemKind::malformed(FORMAT, e.to_string()))),
            _ => return None,
        }
    }
    seen_object.then_some(parsed)
}

/// The records of an export: a top-level array, an array under a known key, one level down
/// (`response.docs`), or a single object that is itself an article.
fn find_records(value: &Value) -> Option<Vec<&Value>> {
    match value {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Object(obj) => {
            if let Some(list) = list_in(obj) {
                return Some(list);
            }
            for inner in obj.values().filter_map(Value::as_object) {
                if let Some(list) = list_in(inner) {
                    return Some(list);
                }
            }
            // One article on its own.
            Fields::of(obj).body().is_some().then(|| vec![value])
        }
        _ => None,
    }
}

fn list_in(obj: &Map<String, Value>) -> Option<Vec<&Value>> {
    LIST_KEYS.iter().find_map(|want| {
        obj.iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(want) && v.is_array())
            .map(|(_, v)| v.as_array().map(|a| a.iter().collect()).unwrap_or_default())
    })
}

/// A record's fields by lower-cased name, with the fields of a `fields`/`_source` object.
struct Fields<'a> {
    pairs: Vec<(String, &'a Value)>,
}

impl<'a> Fields<'a> {
    fn of(obj: &'a Map<String, Value>) -> Fields<'a> {
        let mut pairs: Vec<(String, &'a Value)> = obj.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
        for inner in INNER_KEYS {
            if let Some(Value::Object(more)) = obj.get(*inner) {
                pairs.extend(more.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)));
            }
        }
        Fields { pairs }
    }

    /// The first value under any of the keys, in the keys' order.
    fn get(&self, keys: &[&str]) -> Option<&'a Value> {
        keys.iter().find_map(|k| self.pairs.iter().find(|(name, v)| name == k && !v.is_null()).map(|(_, v)| *v))
    }

    /// The first non-empty text under any of the keys (a number is not text).
    fn text(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.pairs
                .iter()
                .filter(|(name, v)| name == k && !v.is_number())
                .find_map(|(_, v)| as_text(v).filter(|s| !s.trim().is_empty()))
        })
    }

    /// The longest text among the body fields.
    fn body(&self) -> Option<String> {
        BODY_KEYS
            .iter()
            .flat_map(|k| self.pairs.iter().filter(move |(name, _)| name == k))
            .filter_map(|(_, v)| body_text(v))
            .filter(|s| s.split_whitespace().next().is_some())
            .max_by_key(|s| meaningful_len(s))
    }
}

/// A value as a line of text: a string, a number, an object's `main`/`name`-like field (NYT's
/// `headline.main`), or an array's first.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => ["main", "default", "value", "text", "name", "original", "rendered"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_string)),
        Value::Array(a) => a.iter().find_map(as_text),
        _ => None,
    }
}

/// A body: a string, or an array of paragraph strings, or an object's `rendered`/`text`.
fn body_text(v: &Value) -> Option<String> {
    match v {
        Value::Array(a) if a.iter().all(Value::is_string) && !a.is_empty() => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        Value::Number(_) => None,
        v => as_text(v),
    }
}

/// Length of a body without its markup and NewsAPI's `… [+1234 chars]` tail, so a full text
/// wins over a truncated teaser.
fn meaningful_len(s: &str) -> usize {
    let s = match s.rfind("[+") {
        Some(i) if s.ends_with("chars]") => &s[..i],
        _ => s,
    };
    let mut in_tag = false;
    s.chars()
        .filter(|&c| {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    return false;
                }
                _ => {}
            }
            !in_tag && !c.is_whitespace()
        })
        .count()
}

fn add_record(parsed: &mut Parsed, record: &Value, position: &str) {
    let Some(obj) = record.as_object() else {
        parsed.problems.push((position.to_string(), ProblemKind::malformed(FORMAT, "a record that is not an object")));
        return;
    };
    let f = Fields::of(obj);
    let key = match f.get(ID_KEYS) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => hash_key(&record.to_string()),
    };
    // newsroom's own export: a derived title is not the source's.
    let derived = f.get(&["title_derived"]).and_then(Value::as_bool).unwrap_or(false);
    let title = if derived { None } else { f.text(TITLE_KEYS).map(|t| collapse(&t)).filter(|t| !t.is_empty()) };
    let body = f.body();
    if title.is_none() && body.is_none() {
        parsed.problems.push((key, ProblemKind::malformed(FORMAT, "a record with neither a title nor any text")));
        return;
    }
    let content = match body {
        Some(b) if looks_like_html(&b) => Content::Fragment(b),
        Some(b) => Content::Text(b),
        None => Content::default(),
    };
    let date = f.get(DATE_KEYS).and_then(json_date);
    let author = f.get(AUTHOR_KEYS).and_then(authors);
    let url = f.text(URL_KEYS).map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    let tags = f.get(TAG_KEYS).map(tags).unwrap_or_default();
    parsed.documents.push(Document {
        item: key,
        meta: SourceMeta { title, date, author, url, tags },
        content,
        original: serde_json::to_string_pretty(record).ok(),
    });
}

/// A date as exports write it: an ISO or RFC 2822 string, or seconds or milliseconds since 1970.
fn json_date(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.len() <= 14 && t.bytes().all(|b| b.is_ascii_digit()) && t.len() != 8 {
                return epoch_date(t.parse().ok()?);
            }
            metadata_date(t)
        }
        Value::Number(n) => epoch_date(n.as_i64().or_else(|| n.as_f64().map(|f| f as i64))?),
        Value::Object(o) => ["$date", "date", "value"].iter().find_map(|k| o.get(*k)).and_then(json_date),
        _ => None,
    }
}

/// Seconds (or, when too large to be seconds, milliseconds) since 1970 as a UTC calendar date.
fn epoch_date(n: i64) -> Option<String> {
    let secs = if n.abs() >= 100_000_000_000 { n / 1000 } else { n };
    let (year, month, day) = crate::core::extract::dates::civil_from_days(secs.div_euclid(86_400));
    (1970..=2999).contains(&year).then(|| crate::core::dates::iso(year, month, day))
}

/// Author names from a string (a leading "By " dropped), an array of strings or of objects
/// with a `name`, or one such object.
fn authors(v: &Value) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |raw: &str| {
        let raw = raw.trim();
        let raw = match raw.get(..3) {
            Some(by) if by.eq_ignore_ascii_case("by ") => &raw[3..],
            _ => raw,
        };
        if let Some(name) = person_name(raw) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    };
    match v {
        Value::Array(list) => list.iter().filter_map(as_name).for_each(|n| add(&n)),
        v => {
            if let Some(n) = as_name(v) {
                add(&n)
            }
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

fn as_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            if let Some(n) = ["name", "display_name", "displayname", "original", "byline"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
            {
                return Some(n.to_string());
            }
            // {"firstname": "A", "lastname": "B"}
            let part = |k: &str| o.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).and_then(|(_, v)| v.as_str());
            let whole =
                [part("firstname"), part("middlename"), part("lastname")].into_iter().flatten().collect::<Vec<_>>();
            (!whole.is_empty()).then(|| whole.join(" "))
        }
        _ => None,
    }
}

/// Tags from an array of strings (or of objects with a `name`/`value`/`term`), or a
/// comma-separated string.
fn tags(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |raw: &str| {
        let t = collapse(raw);
        if !t.is_empty() && t.chars().count() <= 200 && !out.contains(&t) {
            out.push(t);
        }
    };
    match v {
        Value::String(s) => s.split([',', ';']).for_each(&mut add),
        Value::Array(list) => {
            for item in list {
                match item {
                    Value::String(s) => add(s),
                    Value::Object(o) => {
                        if let Some(s) = ["name", "value", "term", "label", "webtitle"]
                            .iter()
                            .find_map(|k| o.get(*k).and_then(Value::as_str))
                        {
                            add(s)
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARRAY: &str = include_str!("../../../tests/fixtures/mixed/export.json");
    const LINES: &str = include_str!("../../../tests/fixtures/mixed/export.jsonl");

    fn read(text: &str) -> Parsed {
        parse(text.as_bytes(), &Limits::default()).expect("a readable export")
    }

    fn text_of(doc: &Document) -> &str {
        match &doc.content {
            Content::Text(t) => t,
            other => panic!("plain text expected, got {other:?}"),
        }
    }

    #[test]
    fn news_api_array() {
        let p = read(ARRAY);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let [spill, teachers] = &p.documents[..] else { panic!("two records: {p:?}") };
        assert_eq!(spill.meta.title.as_deref(), Some("Mining company Carrow Resources fined over river spill"));
        assert_eq!(spill.meta.date.as_deref(), Some("2024-07-09"));
        assert_eq!(spill.meta.author.as_deref(), Some("Hannah Okafor"));
        assert_eq!(spill.meta.url.as_deref(), Some("https://northernstandard.example/business/carrow-fined"));
        assert_eq!(spill.meta.tags, ["mining", "environment", "Ashford"]);
        assert_eq!(spill.item, "ns-88213");
        // The longest body field, HTML, left for the HTML step.
        match &spill.content {
            Content::Fragment(html) => {
                assert!(html.contains("<b>Carrow Resources</b>") && html.contains("Marlow Vale"))
            }
            other => panic!("{other:?}"),
        }
        assert!(spill.original.as_deref().unwrap().contains("\n  \"publishedAt\": \"2024-07-09T14:20:00Z\""));

        assert_eq!(teachers.meta.title.as_deref(), Some("Teachers in Port Elric vote to accept pay offer"));
        assert_eq!(teachers.meta.author.as_deref(), Some("Rafael Duarte"), "\"By \" is not part of the name");
        assert_eq!(teachers.meta.date.as_deref(), Some("2024-06-12"), "epoch seconds");
        assert_eq!(teachers.meta.tags, ["education", "unions"]);
        assert_eq!(teachers.item, "3f2c9a6e-1b7d-4e0a-9c55-0d8e2b6f4a11");
        let body = text_of(teachers);
        assert!(body.starts_with("Members of the Port Elric") && body.contains("\n\nThe association's president"));
    }

    #[test]
    fn json_lines_export() {
        let p = read(LINES);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let [air, tunnel] = &p.documents[..] else { panic!("two records: {p:?}") };
        assert_eq!(air.meta.title.as_deref(), Some("Airline Skyreach adds routes from Baltimore"));
        assert_eq!(air.meta.date.as_deref(), Some("2024-02-20"));
        assert_eq!(air.meta.author.as_deref(), Some("Lena Park, Tom Reilly"));
        assert_eq!(air.meta.tags, ["aviation"]);
        assert_eq!(air.item, "5501", "numeric ids are keys too");
        assert!(text_of(air).contains("Owen Fairbanks"));
        assert_eq!(tunnel.meta.date.as_deref(), Some("2024-02-21"));
        assert_eq!(tunnel.meta.author.as_deref(), Some("Lena Park"));
        assert!(text_of(tunnel).contains("Fort McHenry Tunnel"));
    }

    #[test]
    fn a_bad_line_is_an_item_problem() {
        let text = format!("{}\n{{\"title\": \"cut off\", \"body\": \"The mi\n", LINES.trim_end());
        let p = read(&text);
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].0, "line 4");
        assert!(matches!(p.problems[0].1, ProblemKind::Malformed { .. }));
    }

    #[test]
    fn records_nested_under_a_key_or_one_level_down() {
        let wrapped = r#"{"status": "ok", "articles": [{"Title": "A", "Body": "Text a."}]}"#;
        assert_eq!(read(wrapped).documents[0].meta.title.as_deref(), Some("A"));
        let nyt = r#"{"response": {"docs": [{"headline": {"main": "Port strike ends"}, "lead_paragraph": "x",
            "abstract": "y", "pub_date": "2024-01-02T05:00:00+0000", "byline": {"original": "By Ann Lee"},
            "web_url": "https://n.example/a", "_id": "nyt://article/1"}]}}"#;
        let p = read(nyt);
        let d = &p.documents[0];
        assert_eq!(d.meta.title.as_deref(), Some("Port strike ends"));
        assert_eq!(d.meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(d.meta.author.as_deref(), Some("Ann Lee"));
        assert_eq!(d.item, "nyt://article/1");
        let guardian = r#"{"response": {"results": [{"id": "world/2024/x", "webTitle": "Floods in Porto Alegre",
            "webPublicationDate": "2024-05-06T10:00:00Z", "webUrl": "https://g.example/x",
            "fields": {"bodyText": "Rescuers in Porto Alegre worked through the night.", "byline": "Tom Phillips"}}]}}"#;
        let d = &read(guardian).documents[0];
        assert_eq!(d.meta.title.as_deref(), Some("Floods in Porto Alegre"));
        assert_eq!(d.meta.date.as_deref(), Some("2024-05-06"));
        assert_eq!(d.meta.author.as_deref(), Some("Tom Phillips"));
        assert_eq!(d.meta.url.as_deref(), Some("https://g.example/x"));
        assert_eq!(text_of(d), "Rescuers in Porto Alegre worked through the night.");
    }

    #[test]
    fn newsroom_export_round_trips() {
        let export = r#"{
  "articles": [
    {"id":"a1","path":"x/a.txt","title":"Ministers meet in Lagos","title_derived":false,"deck":null,"date":"2024-02-03","author":"Ade Bello","url":"https://e.example/a","tags":["politics"],"paragraphs":["One.","Two."],"body":"Ministers met in Lagos.\n\nThey agreed.","mentions":[{"entity":"e1","start":16,"end":21,"text":"Lagos"}]},
    {"id":"a2","path":"x/b.txt","title":"The council of Abuja voted on Monday","title_derived":true,"deck":null,"date":null,"author":null,"paragraphs":["The council of Abuja voted on Monday."],"body":"The council of Abuja voted on Monday.","mentions":[]}
  ],
  "entities": [
    {"id":"e1","name":"Lagos","kind":"place","aliases":["Lagos"],"alias_reasons":{},"articles":1,"mentions":1}
  ]
}"#;
        let p = read(export);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let [a, b] = &p.documents[..] else { panic!("two articles, no entities: {p:?}") };
        assert_eq!(a.meta.title.as_deref(), Some("Ministers meet in Lagos"));
        assert_eq!(a.meta.date.as_deref(), Some("2024-02-03"));
        assert_eq!(a.meta.author.as_deref(), Some("Ade Bello"));
        assert_eq!(a.meta.tags, ["politics"]);
        assert_eq!(text_of(a), "Ministers met in Lagos.\n\nThey agreed.");
        assert_eq!(a.item, "a1");
        assert_eq!(b.meta.title, None, "a derived title is derived again");
        assert_eq!(b.meta.date, None);
    }

    #[test]
    fn records_without_title_or_text_are_problems() {
        let p = read(r#"[{"id": "x1", "url": "https://a.example/"}, 7, {"title": "Kept"}]"#);
        assert_eq!(p.documents.len(), 1);
        let keys: Vec<&str> = p.problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["x1", "#2"]);
    }

    #[test]
    fn records_without_ids_get_stable_hash_keys() {
        let text = r#"[{"title": "A", "body": "a"}, {"title": "B", "body": "b"}]"#;
        let (p, q) = (read(text), read(text));
        assert_eq!(p.documents[0].item, q.documents[0].item);
        assert_ne!(p.documents[0].item, p.documents[1].item);
    }

    #[test]
    fn json_feed_goes_to_the_feed_parser() {
        let p = read(include_str!("../../../tests/fixtures/mixed/feed.json"));
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].meta.author.as_deref(), Some("Petra Lindqvist"));
    }

    #[test]
    fn epoch_seconds_and_milliseconds() {
        assert_eq!(epoch_date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(epoch_date(1_709_251_200).as_deref(), Some("2024-03-01"));
        assert_eq!(epoch_date(1_709_251_200_000).as_deref(), Some("2024-03-01"));
        assert_eq!(epoch_date(951_782_400).as_deref(), Some("2000-02-29"));
        assert_eq!(json_date(&Value::String("1709251200".into())).as_deref(), Some("2024-03-01"));
        assert_eq!(epoch_date(-5), None);
    }

    #[test]
    fn deep_nesting_is_malformed_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(parse(deep.as_bytes(), &Limits::default()), Err(ProblemKind::Malformed { .. })));
        let deep_obj = format!("[{{\"title\": \"t\", \"body\": {}1{}}}]", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        assert!(matches!(parse(deep_obj.as_bytes(), &Limits::default()), Err(ProblemKind::Malformed { .. })));
    }

    #[test]
    fn not_an_export_is_malformed() {
        for text in ["hello", "{\"name\": 3, \"version\": \"1.0\"}", "42", "{\"title\": \"t\""] {
            assert!(matches!(parse(text.as_bytes(), &Limits::default()), Err(ProblemKind::Malformed { .. })), "{text}");
        }
    }

    #[test]
    fn sniffs_exports() {
        assert!(sniff(ARRAY.as_bytes()));
        assert!(sniff(LINES.as_bytes()));
        assert!(sniff(include_bytes!("../../../tests/fixtures/mixed/feed.json")));
        assert!(!sniff(br#"{"name": "pkg", "version": "1.0.0", "dependencies": {}}"#));
        assert!(!sniff(b"title,body\nA,b"));
    }
}
