//! Robustness of the feed, JSON and Markdown parsers: arbitrary and damaged input never panics,
//! what cannot be read is a `Malformed` problem, and pathological nesting and sizes stay cheap.

use newsroom::core::document::{Content, Limits, Parsed, ProblemKind};
use newsroom::core::formats::{feed, json, markdown};
use proptest::prelude::*;

const RSS: &str = include_str!("fixtures/mixed/feed.rss");
const ATOM: &str = include_str!("fixtures/mixed/feed.atom");
const JSON_FEED: &str = include_str!("fixtures/mixed/feed.json");
const EXPORT: &str = include_str!("fixtures/mixed/export.json");
const EXPORT_LINES: &str = include_str!("fixtures/mixed/export.jsonl");
const NOTE: &str = include_str!("fixtures/mixed/note.md");

fn limits() -> Limits {
    Limits::default()
}

/// Every outcome a parser may give for bad input: documents and problems, or a typed problem.
fn check_outcome(result: &Result<Parsed, ProblemKind>) {
    match result {
        Ok(parsed) => {
            for doc in &parsed.documents {
                assert!(doc.meta.title.is_some() || !content_text(&doc.content).trim().is_empty());
                if let Some(date) = &doc.meta.date {
                    assert_eq!(date.len(), 10, "{date}");
                }
            }
        }
        Err(ProblemKind::Malformed { .. } | ProblemKind::Empty) => {}
        Err(other) => panic!("unexpected problem {other:?}"),
    }
}

fn content_text(c: &Content) -> &str {
    match c {
        Content::Text(t) | Content::Page(t) | Content::Fragment(t) => t,
    }
}

fn is_malformed(result: &Result<Parsed, ProblemKind>) -> bool {
    matches!(result, Err(ProblemKind::Malformed { .. }))
        || matches!(result, Ok(p) if p.problems.iter().any(|(_, k)| matches!(k, ProblemKind::Partial { .. } | ProblemKind::Malformed { .. })))
}

/// A fixture with some bytes overwritten, inserted or removed.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    prop::collection::vec((0..len, any::<u8>(), 0..3u8), 1..12).prop_map(move |edits| {
        let mut bytes = base.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match op {
                0 => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn feed_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let result = feed::parse(&bytes, &limits());
        check_outcome(&result);
        let _ = feed::sniff(&bytes);
    }

    #[test]
    fn feed_text_that_is_no_feed_is_malformed(text in "[^<{]{1,300}") {
        let result = feed::parse(text.as_bytes(), &limits());
        prop_assert!(matches!(result, Err(ProblemKind::Malformed { .. } | ProblemKind::Empty)), "{result:?}");
    }

    #[test]
    fn truncated_feeds_keep_only_whole_items(cut in 0..RSS.len(), atom in any::<bool>()) {
        let full = if atom { ATOM } else { RSS };
        let cut = cut.min(full.len());
        let whole = feed::parse(full.as_bytes(), &limits()).unwrap();
        let part = feed::parse(&full.as_bytes()[..cut], &limits());
        check_outcome(&part);
        if let Ok(p) = &part {
            for doc in &p.documents {
                prop_assert!(whole.documents.contains(doc), "a truncated item was returned: {doc:?}");
            }
        }
        if cut < full.trim_end().len() {
            prop_assert!(is_malformed(&part) || part.is_err(), "a cut feed says so: {part:?}");
        }
    }

    #[test]
    fn mutated_feeds_do_not_panic(bytes in prop_oneof![mutated(RSS), mutated(ATOM), mutated(JSON_FEED)]) {
        check_outcome(&feed::parse(&bytes, &limits()));
    }

    #[test]
    fn json_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check_outcome(&json::parse(&bytes, &limits()));
        let _ = json::sniff(&bytes);
    }

    #[test]
    fn mutated_exports_do_not_panic(bytes in prop_oneof![mutated(EXPORT), mutated(EXPORT_LINES), mutated(JSON_FEED)]) {
        check_outcome(&json::parse(&bytes, &limits()));
    }

    #[test]
    fn truncated_json_array_is_malformed(cut in 1..EXPORT.len() - 2) {
        let result = json::parse(&EXPORT.as_bytes()[..cut], &limits());
        prop_assert!(matches!(result, Err(ProblemKind::Malformed { .. })), "{result:?}");
    }

    #[test]
    fn markdown_survives_arbitrary_text(text in "(?s).{0,600}") {
        let doc = markdown::parse(&text);
        let body = content_text(&doc.content);
        prop_assert!(!body.contains("\n\n\n"));
        prop_assert_eq!(body.trim(), body);
    }

    #[test]
    fn markdown_from_markdown_like_pieces(pieces in prop::collection::vec(prop_oneof![
        Just("---\n"), Just("+++\n"), Just("title: x\n"), Just("tags: [a, \"b\n"), Just("# "), Just("**"),
        Just("["), Just("](http://x)"), Just("|"), Just("```\n"), Just("    "), Just("- "), Just("> "),
        Just("<div>"), Just("</div>"), Just("\n"), Just("\n\n"), Just("word "), Just("![alt]("), Just("\\"),
    ], 0..80)) {
        let text: String = pieces.concat();
        let doc = markdown::parse(&text);
        let body = content_text(&doc.content);
        prop_assert!(!body.contains("\n\n\n"));
    }

    #[test]
    fn mutated_note_does_not_panic(bytes in mutated(NOTE)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = markdown::parse(&text);
    }
}

#[test]
fn xml_nested_ten_thousand_deep_is_malformed() {
    let deep = format!("<rss><channel>{}{}</channel></rss>", "<x>".repeat(10_000), "</x>".repeat(10_000));
    assert!(matches!(feed::parse(deep.as_bytes(), &limits()), Err(ProblemKind::Malformed { .. })));
    // Deep markup inside an item after a good item: the good item is kept, with a note.
    let good = "<item><title>Kept</title><description>Text.</description></item>";
    let deep_item = format!("<rss><channel>{good}<item><title>T</title><content:encoded>{}", "<div>".repeat(10_000));
    let p = feed::parse(deep_item.as_bytes(), &limits()).unwrap();
    assert_eq!(p.documents.len(), 1);
    assert!(matches!(p.problems[..], [(_, ProblemKind::Partial { .. })]), "{:?}", p.problems);
}

#[test]
fn json_nested_ten_thousand_deep_is_malformed() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(json::parse(arrays.as_bytes(), &limits()), Err(ProblemKind::Malformed { .. })));
    let objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert!(matches!(json::parse(objects.as_bytes(), &limits()), Err(ProblemKind::Malformed { .. })));
    let feed_items = format!("{{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":{}}}", "[".repeat(10_000));
    assert!(matches!(feed::parse(feed_items.as_bytes(), &limits()), Err(ProblemKind::Malformed { .. })));
    // Lines, each deep: every one is an item problem, or the file is malformed.
    let lines = format!("{{\"title\":\"ok\",\"body\":\"fine\"}}\n{}\n", "[".repeat(10_000));
    let p = json::parse(lines.as_bytes(), &limits()).unwrap();
    assert_eq!(p.documents.len(), 1);
    assert_eq!(p.problems.len(), 1);
}

#[test]
fn markdown_nested_ten_thousand_deep_renders() {
    for text in [
        "> ".repeat(10_000) + "quoted",
        (0..10_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect::<String>(),
        "[".repeat(10_000) + "x" + &"](y)".repeat(10_000),
        "*".repeat(10_000) + "x" + &"*".repeat(10_000),
        "<div>".repeat(10_000),
    ] {
        let doc = markdown::parse(&text);
        assert!(!content_text(&doc.content).contains("\n\n\n"));
    }
}

#[test]
fn huge_values_are_read_without_trouble() {
    let big = "a".repeat(8 * 1024 * 1024);
    let attr = format!("<rss><channel><item><title>T</title><link href=\"{big}\"/><category domain=\"{big}\">c</category></item></channel></rss>");
    let p = feed::parse(attr.as_bytes(), &limits()).unwrap();
    assert_eq!(p.documents[0].meta.title.as_deref(), Some("T"));
    let unterminated = format!("<rss><channel><item><title x=\"{big}");
    assert!(matches!(feed::parse(unterminated.as_bytes(), &limits()), Err(ProblemKind::Malformed { .. })));
    let field = format!("[{{\"title\": \"T\", \"body\": \"{big}\", \"tags\": [\"{big}\"]}}]");
    let p = json::parse(field.as_bytes(), &limits()).unwrap();
    assert_eq!(content_text(&p.documents[0].content).len(), big.len());
    assert!(p.documents[0].meta.tags.is_empty(), "a tag that long is no tag");
    let md = format!("---\ntitle: {big}\n---\n{big}");
    assert_eq!(content_text(&markdown::parse(&md).content).len(), big.len());
}

#[test]
fn xml_entity_definitions_are_not_expanded() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss><channel><item><title>Bomb &c;</title><description>Text</description></item></channel></rss>"#;
    let p = feed::parse(bomb.as_bytes(), &limits()).unwrap();
    assert_eq!(p.documents[0].meta.title.as_deref(), Some("Bomb &c;"));
}
