//! Event records and timelines through the real binary: the bundled sample corpus's attacks
//! (the acceptance list of the events issue), JSON and CSV (parsed back), and `timeline`.

use std::process::Output;

use serde_json::Value;

#[path = "support/bin.rs"]
mod bin;
use bin::cmd;

fn newsroom(args: &[&str]) -> Output {
    let out = cmd().args(args).output().expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn events_json() -> Vec<Value> {
    let out = newsroom(&["events", "--format", "json"]);
    serde_json::from_slice::<Value>(&out.stdout).expect("valid JSON").as_array().expect("an array").clone()
}

/// The event whose places or source text mention `needle`.
fn find<'a>(events: &'a [Value], needle: &str) -> &'a Value {
    events
        .iter()
        .find(|e| {
            e["places"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains(needle))
                || e["location"].as_str().is_some_and(|l| l.contains(needle))
        })
        .unwrap_or_else(|| panic!("no event at {needle}: {}", serde_json::to_string_pretty(events).unwrap()))
}

fn source_texts(e: &Value) -> Vec<String> {
    e["sources"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_sample_corpus_attacks_are_records_with_their_sources() {
    let events = events_json();

    let daraban = find(&events, "Daraban");
    assert_eq!(daraban["event_date"], "2023-12-12");
    assert_eq!(daraban["time_precision"], "day");
    assert_eq!(daraban["killed"]["min"], 25);
    assert!(source_texts(daraban).iter().any(|t| t.contains("twenty-five")));

    let waziristan = find(&events, "South Waziristan");
    assert_eq!(waziristan["killed"]["min"], 16);

    let peshawar = find(&events, "Peshawar");
    assert_eq!(peshawar["event_date"], "2023-01-30");
    assert_eq!(peshawar["killed"]["min"], 100);
    assert_eq!(peshawar["killed"]["qualifier"], "more than");
    assert_eq!(peshawar["injured"]["min"], 200);
    assert_eq!(peshawar["injured"]["qualifier"], "over");
    assert_eq!(peshawar["event_type"], "Explosions/Remote violence");
    assert_eq!(peshawar["country"], "Pakistan");

    let bannu = find(&events, "Bannu");
    assert_eq!(bannu["sub_event_type"], "Suicide bomb");

    let kalat = find(&events, "Kalat");
    assert_eq!(kalat["killed"]["min"], 1);

    let paktika = find(&events, "Paktika");
    assert_eq!(paktika["sub_event_type"], "Air/drone strike");

    for e in &events {
        for s in e["sources"].as_array().unwrap() {
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert!(start < end, "a source is a span");
            let text = s["text"].as_str().unwrap();
            // No record from a statistic.
            assert!(!text.contains("1,600") && !text.contains("Over 100 lives"), "a statistic became an event: {text}");
            assert!(!text.contains("84 percent"), "{text}");
        }
    }
}

/// Splits RFC 4180 CSV into records of fields (quoted fields may hold commas, quotes, breaks).
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn csv_has_acled_columns_and_parses_back_to_the_json_records() {
    let out = newsroom(&["events", "--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows = parse_csv(&text);
    let header = &rows[0];
    for col in [
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "location",
        "admin1",
        "country",
        "fatalities",
        "injured",
        "source_id",
        "source_text",
    ] {
        assert!(header.contains(&col.to_string()), "no {col} column");
    }
    let json = events_json();
    assert_eq!(rows.len() - 1, json.len(), "one row per event");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, e) in rows[1..].iter().zip(&json) {
        assert_eq!(row.len(), header.len(), "every row has every column: {row:?}");
        assert_eq!(row[col("event_date")], e["event_date"].as_str().unwrap_or(""));
        assert_eq!(row[col("location")], e["location"].as_str().unwrap_or(""));
        let killed = e["killed"]["min"].as_u64().map(|n| n.to_string()).unwrap_or_default();
        assert_eq!(row[col("fatalities")], killed);
    }
    let peshawar = rows.iter().find(|r| r[col("location")] == "Peshawar").expect("the Peshawar row");
    assert_eq!(peshawar[col("time_precision")], "1");
    // The source sentence has commas: quoted, and read back whole.
    assert!(peshawar[col("source_text")].contains("more than 100 people"));
}

#[test]
fn timeline_counts_articles_and_events_by_month_and_by_entity() {
    let out = newsroom(&["timeline"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("PERIOD"), "{text}");
    let events_in = |label: &str| -> u32 {
        lines
            .iter()
            .find(|l| l.starts_with(label))
            .map(|l| l.split_whitespace().nth(2).unwrap().parse().unwrap())
            .unwrap_or_else(|| panic!("no {label} line in {text}"))
    };
    assert!(events_in("2023-01") >= 1, "the Peshawar bombing of January 2023:\n{text}");
    assert!(events_in("2023-12") >= 1, "the Daraban attack of December 2023:\n{text}");
    // Not a terminal: no bars.
    assert!(!text.contains('█'));

    let out = newsroom(&["timeline", "--by", "year", "--entity", "Peshawar"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let y2023 = text.lines().find(|l| l.starts_with("2023")).unwrap_or_else(|| panic!("{text}"));
    let cols: Vec<u32> = y2023.split_whitespace().skip(1).map(|n| n.parse().unwrap()).collect();
    assert!(cols[1] >= 1, "the Peshawar bombing of 2023: {text}");
    // The article that tells of it has no date of its own.
    let undated = text.lines().find(|l| l.starts_with("undated")).unwrap_or_else(|| panic!("{text}"));
    assert!(undated.split_whitespace().nth(1).unwrap().parse::<u32>().unwrap() >= 1, "{text}");

    let out = cmd().args(["timeline", "--entity", "Nowhere At All"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity"));
}
