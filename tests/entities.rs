//! Entities on the bundled corpus, through the real binary: what a reader sees with
//! `newsroom entities`, `mentions` and `export`.

use std::process::Command;

use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    let cache = std::env::temp_dir().join(format!("newsroom-test-cache-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("the binary runs")
}

fn export() -> Value {
    let out = run(&["export", "--format", "json"]);
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn entity<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["aliases"].as_array().unwrap().iter().any(|a| a == name))
        .unwrap_or_else(|| panic!("no entity has the alias {name}"))
}

#[test]
fn the_ttp_is_one_organisation_in_all_five_articles_under_every_spelling() {
    let doc = export();
    let ttp = entity(&doc, "TTP");
    assert_eq!(ttp["name"], "Tehrik-i-Taliban Pakistan");
    assert_eq!(ttp["kind"], "organization");
    assert_eq!(ttp["articles"], 5);
    for spelling in [
        "Tehrik-i-Taliban Pakistan",
        "Tehreek-e-Taliban Pakistan",
        "Tehreek-i-Taliban Pakistan",
        "Tehrik i Taliban Pakistan",
        "TTP",
    ] {
        assert!(
            ttp["aliases"].as_array().unwrap().iter().any(|a| a == spelling),
            "{spelling} missing: {}",
            ttp["aliases"]
        );
        assert_eq!(entity(&doc, spelling)["id"], ttp["id"]);
    }
    assert_eq!(ttp["alias_reasons"]["TTP"], "acronym definition");
    assert_eq!(ttp["alias_reasons"]["Tehreek-e-Taliban Pakistan"], "variant spelling");
}

#[test]
fn expected_kinds_on_the_sample_corpus() {
    let doc = export();
    let kp = entity(&doc, "KP");
    assert_eq!(kp["name"], "Khyber Pakhtunkhwa");
    assert_eq!(kp["kind"], "place");
    for place in ["Peshawar", "Kabul", "Islamabad", "Paktika", "North Waziristan", "Durand Line"] {
        assert_eq!(entity(&doc, place)["kind"], "place", "{place}");
    }
    for person in ["Asim Munir", "Imran Khan"] {
        assert_eq!(entity(&doc, person)["kind"], "person", "{person}");
    }
    for org in ["PICSS", "BLA", "Frontier Corps"] {
        assert_eq!(entity(&doc, org)["kind"], "organization", "{org}");
    }
    for date in ["Feb 21", "30 January 2023", "November 2022"] {
        assert_eq!(entity(&doc, date)["kind"], "date", "{date}");
    }
    for not_entity in ["CT", "Macbeth", "Hours later", "Hours"] {
        let hit = doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["aliases"].as_array().unwrap().iter().any(|a| a == not_entity));
        assert!(!hit, "{not_entity} is not an entity");
    }
}

#[test]
fn mention_offsets_index_the_body() {
    let doc = export();
    let ids: std::collections::HashSet<&str> =
        doc["entities"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    for a in doc["articles"].as_array().unwrap() {
        let body = a["body"].as_str().unwrap();
        let mentions = a["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty());
        for m in mentions {
            let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            assert_eq!(&body[s..e], m["text"].as_str().unwrap());
            assert!(ids.contains(m["entity"].as_str().unwrap()));
        }
    }
}

#[test]
fn entities_table_is_sorted_by_articles_then_mentions_and_filters_by_kind() {
    let out = run(&["entities", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<(u64, u64)> =
        rows.iter().map(|r| (r["articles"].as_u64().unwrap(), r["mentions"].as_u64().unwrap())).collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");
    let out = run(&["entities", "--kind", "person"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Asim Munir") && text.contains("Imran Khan"));
    assert!(!text.contains("Peshawar"));
    assert_eq!(run(&["entities", "--kind", "planet"]).status.code(), Some(2));
}

#[test]
fn mentions_prints_one_line_per_mention_with_context() {
    let out = run(&["mentions", "tehreek-e-taliban PAKISTAN"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let doc = export();
    let total = entity(&doc, "TTP")["mentions"].as_u64().unwrap() as usize;
    assert_eq!(text.lines().count(), total);
    assert!(text.lines().all(|l| l.starts_with("bundled:") && (l.contains("TTP") || l.contains("Taliban"))), "{text}");
    // Accent-insensitive, and a missing name is an error.
    assert!(run(&["mentions", "Peshāwar"]).status.success());
    assert_eq!(run(&["mentions", "Atlantis"]).status.code(), Some(1));
}
