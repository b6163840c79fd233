//! A folder of one file of each format newsroom reads, through the real binary: every article
//! with its right title, date and author, no markup or furniture left, entities found in them.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn mixed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed")
}

#[path = "support/bin.rs"]
mod bin;

fn newsroom(args: &[&str]) -> std::process::Output {
    bin::cmd().args(args).output().expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let out = newsroom(args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// (file, title, date, author) for one article of every format.
const EXPECTED: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    (
        "page.html",
        "Rhine flood barrier holds as Cologne evacuates riverside districts",
        Some("2024-03-14"),
        Some("Lena Hartmann"),
    ),
    (
        "legacy-1252.html",
        "Porto harbour strike ends after José Müller brokers deal",
        Some("2009-10-07"),
        Some("Inês Carvalho"),
    ),
    (
        "feed.rss",
        "Port of Velmora signs dredging deal with Castellan Marine",
        Some("2024-03-12"),
        Some("Ines Halvorsen"),
    ),
    ("feed.atom", "Observatory at Cerro Alto finds second comet this year", Some("2024-05-20"), Some("Camila Reyes")),
    ("feed.json", "Rail strike halts trains between Dornbach and Kessel", Some("2024-11-02"), Some("Petra Lindqvist")),
    (
        "export.json",
        "Mining company Carrow Resources fined over river spill",
        Some("2024-07-09"),
        Some("Hannah Okafor"),
    ),
    ("export.jsonl", "Harbor tunnel repairs to close lanes in Baltimore", Some("2024-02-21"), Some("Lena Park")),
    ("letter.eml", "Port of Karachi reopens after strike – notes", Some("2025-03-04"), Some("José María Fernández")),
    ("digest.mbox", "Morning brief: Lahore court adjourns election case", Some("2025-03-05"), Some("Newsroom Desk")),
    ("digest.mbox", "Flood relief talks in Geneva", Some("2025-03-06"), Some("Bilal Hassan")),
    ("book.epub", "Counting the Cost", Some("2024-09-02"), Some("Mariam Qadir")),
    ("report.pdf", "ADB approves $475 million for Sindh flood reconstruction", None, Some("Saira Baloch")),
    ("note.md", "Council election: Greens gain three seats in Aldbury", Some("2024-04-14"), Some("Ruth Calloway")),
    ("bundle.tar.gz", "Sri Lanka reaches staff-level deal with IMF", Some("2025-02-27"), Some("Nimali Perera")),
];

#[test]
fn every_format_lists_with_its_title_date_and_author() {
    let rows = json(&["list", "--format", "json", mixed().to_str().unwrap()]);
    let rows = rows.as_array().unwrap();
    for (file, title, date, author) in EXPECTED {
        let row =
            rows.iter().find(|r| r["title"] == *title).unwrap_or_else(|| panic!("{title:?} ({file}) is not listed"));
        assert!(row["path"].as_str().unwrap().ends_with(file), "{title}: from {}", row["path"]);
        assert_eq!(row["date"].as_str(), *date, "{title}: date");
        if let Some(a) = author {
            assert!(row["author"].as_str().unwrap_or("").contains(a), "{title}: author {}", row["author"]);
        }
    }
    // Items within one file keep keys of their own; the e-book has its three chapters.
    assert_eq!(rows.iter().filter(|r| r["path"].as_str().unwrap().ends_with("book.epub")).count(), 3);
    assert_eq!(rows.iter().filter(|r| r["path"].as_str().unwrap().ends_with("feed.rss")).count(), 3);
}

#[test]
fn bodies_carry_no_markup_furniture_or_encoding_residue() {
    let doc = json(&["export", "--format", "json", mixed().to_str().unwrap()]);
    let articles = doc["articles"].as_array().unwrap();
    assert!(articles.len() >= 20, "{} articles", articles.len());
    for a in articles {
        let body = a["body"].as_str().unwrap();
        let title = a["title"].as_str().unwrap();
        for residue in ["<p", "<div", "</", "=20", "=\n", "**", "](", "%PDF", "&amp;", "&nbsp;", "&#", "```", "| ---"] {
            assert!(!body.contains(residue), "{residue:?} left in {title}:\n{body}");
        }
        assert!(!body.contains('\u{fffd}'), "a decoding error in {title}");
    }
    let page = articles.iter().find(|a| a["title"].as_str().unwrap().starts_with("Rhine flood")).unwrap();
    let body = page["body"].as_str().unwrap().to_lowercase();
    for furniture in ["cookie", "share on", "comments (", "subscribe", "advertisement"] {
        assert!(!body.contains(furniture), "{furniture:?} in the page's body");
    }
    let letter = articles.iter().find(|a| a["title"].as_str().unwrap().starts_with("Port of Karachi")).unwrap();
    let body = letter["body"].as_str().unwrap();
    assert!(!body.lines().any(|l| l.starts_with('>')), "quoted reply left in the mail:\n{body}");
    let legacy = articles.iter().find(|a| a["title"].as_str().unwrap().starts_with("Porto harbour")).unwrap();
    assert!(legacy["body"].as_str().unwrap().contains('“'), "windows-1252 quotes decoded");
}

#[test]
fn entities_are_found_in_every_format_as_in_any_article() {
    let doc = json(&["export", "--format", "json", mixed().to_str().unwrap()]);
    let entities = doc["entities"].as_array().unwrap();
    let named = |name: &str| {
        entities.iter().any(|e| e["name"] == name || e["aliases"].as_array().unwrap().iter().any(|a| a == name))
    };
    for name in ["Cologne", "Karachi", "José Müller", "International Monetary Fund", "Rotterdam", "Kessel"] {
        assert!(named(name), "{name} is not an entity");
    }
    let articles = doc["articles"].as_array().unwrap();
    let with_mentions = articles.iter().filter(|a| !a["mentions"].as_array().unwrap().is_empty()).count();
    assert!(with_mentions * 10 >= articles.len() * 9, "{with_mentions} of {} articles have mentions", articles.len());
}

#[test]
fn problems_are_said_once_and_the_rest_loads() {
    let out = newsroom(&["list", mixed().to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let scanned: Vec<&str> = stderr.lines().filter(|l| l.contains("scanned.pdf")).collect();
    assert_eq!(scanned.len(), 1, "{stderr}");
    assert!(scanned[0].contains("no text layer"));
    // The same story in the zip and the tar.gz is one article.
    assert!(stderr.contains("same content as"), "{stderr}");
}

#[test]
fn show_raw_prints_the_items_own_original() {
    let out = newsroom(&["show", "--raw", "Fishermen in Skarnes", mixed().to_str().unwrap()]);
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(raw.trim_start().starts_with("<item>"), "{raw}");
    assert!(!raw.contains("Velmora signs dredging"), "only this item");
    let out = newsroom(&["show", "--raw", "Port of Karachi", mixed().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Message-ID:"));
}

#[test]
fn newsrooms_own_export_reads_back_as_the_same_articles() {
    let first = json(&["export", "--format", "json", mixed().to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, serde_json::to_vec(&first).unwrap()).unwrap();
    let again = json(&["export", "--format", "json", file.to_str().unwrap()]);
    let key = |d: &Value| {
        let mut v: Vec<(String, String, String)> = d["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["title"].to_string(), a["date"].to_string(), a["body"].to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(key(&first), key(&again));
}
