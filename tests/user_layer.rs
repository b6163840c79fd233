//! The user's own layer: entity corrections applied by the real index build (bundled corpus and
//! folder collections, cached and not), and stars, tags and notes through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use newsroom::core::cache::open_bundled;
use newsroom::core::corpus::Corpus;
use newsroom::core::corrections::{Correction, Corrections, Op};
use newsroom::core::extract::Kind;
use newsroom::core::index::MergeReason;
use newsroom::core::ingest::LoadOptions;
use serde_json::Value;

fn corrected(list: &[(Op, &str, Option<&str>)]) -> Corpus {
    let list = list
        .iter()
        .enumerate()
        .map(|(i, &(op, name, target))| Correction {
            id: i as i64 + 1,
            op,
            kind: None,
            name: name.into(),
            target: target.map(Into::into),
            date: "2026-11-22".into(),
        })
        .collect();
    let opts = LoadOptions { corrections: Corrections::new(list), ..LoadOptions::default() };
    open_bundled(&opts).0
}

fn one<'a>(corpus: &'a Corpus, name: &str) -> &'a newsroom::core::index::Entity {
    let found = corpus.index.find(name);
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    corpus.entity(found[0])
}

/// Mentions of an entity highlighted in the reader, over every article.
fn highlighted(corpus: &Corpus, entity: &str) -> usize {
    let ids = corpus.index.find(entity);
    (0..corpus.articles.len())
        .map(|a| corpus.open(a).unwrap().mentions.iter().filter(|m| ids.contains(&m.entity)).count())
        .sum()
}

#[test]
fn merge_joins_two_entities_with_the_reason_and_date() {
    let before = open_bundled(&LoadOptions::default()).0;
    let (taliban, afghan) = (one(&before, "Taliban").clone(), one(&before, "Afghan Taliban").clone());
    assert_ne!(taliban.id, afghan.id);
    let after = corrected(&[(Op::Merge, "Taliban", Some("Afghan Taliban"))]);
    let merged = one(&after, "Taliban");
    assert_eq!(merged.name, "Afghan Taliban");
    assert_eq!(merged.mentions, taliban.mentions + afghan.mentions);
    assert!(merged.articles >= taliban.articles.max(afghan.articles));
    let alias = merged.aliases.iter().find(|a| a.name == "Taliban").unwrap();
    assert_eq!(alias.reason, MergeReason::MergedByYou);
    assert_eq!(alias.since.as_deref(), Some("2026-11-22"));
    assert_eq!(highlighted(&after, "Afghan Taliban"), taliban.mentions + afghan.mentions);
}

#[test]
fn reject_removes_an_entity_and_its_highlights() {
    let before = open_bundled(&LoadOptions::default()).0;
    assert_eq!(highlighted(&before, "Hafiz Gul Bahadur"), one(&before, "Hafiz Gul Bahadur").mentions);
    let after = corrected(&[(Op::Reject, "hafiz gul bahadur", None)]);
    assert!(after.index.find("Hafiz Gul Bahadur").is_empty());
    assert_eq!(after.index.entities.len(), before.index.entities.len() - 1);
    let total = |c: &Corpus| (0..c.articles.len()).map(|a| c.open(a).unwrap().mentions.len()).sum::<usize>();
    assert_eq!(total(&after), total(&before) - one(&before, "Hafiz Gul Bahadur").mentions);
}

#[test]
fn rename_keeps_the_old_name_as_an_alias() {
    let after = corrected(&[(Op::Rename, "PICSS", Some("PICSS think tank"))]);
    let e = one(&after, "PICSS think tank");
    assert_eq!(e.name, "PICSS think tank");
    assert_eq!(one(&after, "Pakistan Institute for Conflict and Security Studies").id, e.id);
    assert!(e.aliases.iter().any(|a| a.reason == MergeReason::RenamedByYou));
    assert!(e.id.ends_with("picss-think-tank"), "{}", e.id);
}

#[test]
fn retype_changes_the_kind_and_a_later_correction_finds_the_new_name() {
    let after = corrected(&[
        (Op::Retype, "Hafiz Gul Bahadur", Some("person")),
        (Op::Rename, "PICSS", Some("Conflict Institute")),
        (Op::Retype, "conflict institute", Some("other")),
    ]);
    assert_eq!(one(&after, "Hafiz Gul Bahadur").kind, Kind::Person);
    assert_eq!(one(&after, "Conflict Institute").kind, Kind::Other);
}

#[test]
fn split_makes_an_alias_an_entity_of_its_own() {
    let before = open_bundled(&LoadOptions::default()).0;
    let ttp = one(&before, "TTP").clone();
    let after = corrected(&[(Op::Split, "TTP", Some("Tehrik-i-Taliban Pakistan"))]);
    let (short, long) = (one(&after, "TTP"), one(&after, "Tehrik-i-Taliban Pakistan"));
    assert_ne!(short.id, long.id);
    assert_eq!(short.name, "TTP");
    assert_eq!(short.mentions + long.mentions, ttp.mentions);
    assert!(!long.aliases.iter().any(|a| a.name == "TTP"));
}

#[test]
fn corrections_naming_nothing_in_the_collection_change_nothing() {
    let before = open_bundled(&LoadOptions::default()).0;
    let after = corrected(&[(Op::Reject, "Nobody At All", None), (Op::Merge, "Nowhere", Some("Kabul"))]);
    assert_eq!(before.index.entities, after.index.entities);
}

// ---- through the binary ----

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.run_in(args, None)
    }

    fn run_in(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn entities(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["entities", "--format", "json"];
        all.extend(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// A folder collection: the bundled sample articles.
    fn collection(&self) -> PathBuf {
        let to = self.dir.path().join("articles");
        std::fs::create_dir_all(&to).unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
        for f in std::fs::read_dir(from).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "txt") {
                std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
            }
        }
        to
    }
}

fn named<'a>(entities: &'a [Value], name: &str) -> Vec<&'a Value> {
    entities.iter().filter(|e| e["aliases"].as_array().unwrap().iter().any(|a| a == name)).collect()
}

#[test]
fn corrections_hold_after_no_cache_new_files_and_new_rules_and_undo_restores() {
    let env = Env::new();
    let col = env.collection();
    let col = col.to_str().unwrap();
    let before = env.entities(&[col]);
    assert_eq!(named(&before, "Taliban").len(), 1);
    assert_ne!(named(&before, "Taliban")[0]["id"], named(&before, "Afghan Taliban")[0]["id"]);

    let said = env.ok(&["entity", "merge", "taliban", "AFGHAN TALIBAN", col]);
    assert!(said.contains("merge Taliban into Afghan Taliban"), "{said}");
    env.ok(&["entity", "reject", "Hafiz Gul Bahadur", col]);
    let check = |entities: &[Value], when: &str| {
        let t = named(entities, "Taliban");
        assert_eq!(t.len(), 1, "{when}");
        assert_eq!(t[0]["name"], "Afghan Taliban", "{when}");
        assert_eq!(t[0]["alias_reasons"]["Taliban"], "merged by you", "{when}");
        assert!(named(entities, "Hafiz Gul Bahadur").is_empty(), "{when}");
    };
    check(&env.entities(&[col]), "from the cache");
    check(&env.entities(&["--no-cache", col]), "--no-cache");
    std::fs::write(
        Path::new(col).join("zz-new.txt"),
        "Taliban talks\n\nThe Taliban and Hafiz Gul Bahadur met officials of the Afghan Taliban in Kabul.\n",
    )
    .unwrap();
    check(&env.entities(&[col]), "a new article");
    let rules = env.dir.path().join("config/newsroom");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("furniture.txt"), "line: Subscribe to our newsletter\n").unwrap();
    check(&env.entities(&[col]), "new cleaning rules");

    let list = env.ok(&["entity", "corrections", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&list).unwrap();
    assert_eq!(list.len(), 2);
    let merge_id = list[0]["id"].as_i64().unwrap().to_string();
    env.ok(&["entity", "undo", &merge_id]);
    env.ok(&["entity", "undo", &list[1]["id"].as_i64().unwrap().to_string()]);
    let after = env.entities(&[col]);
    assert_ne!(named(&after, "Taliban")[0]["id"], named(&after, "Afghan Taliban")[0]["id"]);
    assert_eq!(named(&after, "Hafiz Gul Bahadur").len(), 1);
    assert!(!env.run(&["entity", "undo", &merge_id]).status.success(), "undone once only");
}

#[test]
fn retype_rename_export_and_import_on_the_sample_corpus() {
    let env = Env::new();
    env.ok(&["entity", "retype", "Hafiz Gul Bahadur", "person"]);
    env.ok(&["entity", "rename", "PICSS", "Conflict Institute"]);
    let e = env.entities(&[]);
    assert_eq!(named(&e, "Hafiz Gul Bahadur")[0]["kind"], "person");
    assert_eq!(named(&e, "PICSS")[0]["name"], "Conflict Institute");
    let exported = env.ok(&["entity", "corrections", "--format", "json"]);

    let colleague = Env::new();
    let file = colleague.dir.path().join("corrections.json");
    std::fs::write(&file, exported).unwrap();
    assert!(colleague.ok(&["entity", "import", file.to_str().unwrap()]).contains("imported 2"));
    let e = colleague.entities(&[]);
    assert_eq!(named(&e, "Hafiz Gul Bahadur")[0]["kind"], "person");
    assert_eq!(named(&e, "PICSS")[0]["name"], "Conflict Institute");
    std::fs::write(&file, "{not json").unwrap();
    assert!(!colleague.run(&["entity", "import", file.to_str().unwrap()]).status.success());
}

#[test]
fn an_ambiguous_or_unknown_name_lists_candidates_and_exits_1() {
    let env = Env::new();
    env.ok(&["entity", "rename", "Peshawar", "Kabul"]);
    let out = env.run(&["entity", "reject", "kabul"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("names 2 entities") && err.contains("Peshawar"), "{err}");
    let out = env.run(&["entity", "reject", "Nobody At All"]);
    assert_eq!(out.status.code(), Some(1));
    env.ok(&["entity", "reject", "Hafiz Gul Bahadur"]);
    let out = env.run(&["entity", "retype", "hafiz gul bahadur", "organization"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("you rejected it") && err.contains("entity undo"), "{err}");
}

#[test]
fn stars_tags_and_notes_show_in_list_export_and_notes() {
    let env = Env::new();
    let list: Vec<Value> = serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    assert_eq!(list[0]["star"], false);
    env.ok(&["star", &id[..8]]);
    env.ok(&["tag", &id, "flood", "follow-up"]);
    env.ok(&["untag", &id, "flood"]);
    let out = env.run_in(&["note", &id, "-"], Some("Check the casualty figures\nwith the ministry.\n"));
    assert!(out.status.success());
    let list: Vec<Value> = serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    let row = list.iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!(row["star"], true);
    assert_eq!(row["user_tags"], serde_json::json!(["follow-up"]));
    assert_eq!(row["note"], "Check the casualty figures\nwith the ministry.");
    let export: Value = serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    let art = export["articles"].as_array().unwrap().iter().find(|a| a["id"] == id.as_str()).unwrap();
    assert_eq!(art["star"], true);
    let md = env.ok(&["notes"]);
    assert!(md.contains("Check the casualty figures") && md.contains("#follow-up") && md.contains("★"), "{md}");
    let json: Vec<Value> = serde_json::from_str(&env.ok(&["notes", "--format", "json"])).unwrap();
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["id"], id.as_str());
    assert!(!env.run(&["untag", &id, "never-there"]).status.success());
}

#[test]
fn read_json_of_earlier_versions_is_imported_and_kept() {
    let env = Env::new();
    let data = env.dir.path().join("data/newsroom");
    std::fs::create_dir_all(&data).unwrap();
    let list: Vec<Value> = serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    let id = list[1]["id"].as_str().unwrap();
    std::fs::write(data.join("read.json"), format!("{{\"version\":1,\"read\":[\"{id}\"]}}")).unwrap();
    env.ok(&["mark", &list[0]["id"].as_str().unwrap()[..8]]);
    let (store, _) = newsroom::core::store::UserStore::open(Some(data.join("user.sqlite")));
    assert_eq!(store.read_marks().unwrap().len(), 2);
    assert!(data.join("read.json").exists());
}

#[test]
fn a_damaged_store_is_said_kept_aside_and_replaced_by_an_empty_one() {
    let env = Env::new();
    let data = env.dir.path().join("data/newsroom");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("user.sqlite"), b"garbage bytes, not a database ".repeat(200)).unwrap();
    let out = env.run(&["list", "--format", "json"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("kept as"), "{err}");
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    env.ok(&["star", list[0]["id"].as_str().unwrap()]);
    let list: Vec<Value> = serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    assert_eq!(list[0]["star"], true, "the new store keeps what is saved");
    let aside: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(std::fs::read(aside[0].path()).unwrap().starts_with(b"garbage bytes"));
}

#[test]
fn add_marks_every_occurrence_of_a_text_as_a_mention() {
    let before = open_bundled(&LoadOptions::default()).0;
    assert!(before.index.find("security forces").is_empty());
    // Whole-word occurrences, counted independently of the index.
    let expected: usize = (0..before.articles.len())
        .map(|a| {
            let body = before.open(a).unwrap().text.body;
            body.match_indices("security forces")
                .filter(|(i, m)| {
                    !body[..*i].chars().next_back().is_some_and(char::is_alphanumeric)
                        && !body[i + m.len()..].chars().next().is_some_and(char::is_alphanumeric)
                })
                .count()
        })
        .sum();
    assert!(expected >= 3);
    let list = vec![Correction {
        id: 1,
        op: Op::Add,
        kind: Some(Kind::Group),
        name: "security forces".into(),
        target: Some("Security forces".into()),
        date: "2026-11-22".into(),
    }];
    let opts = LoadOptions { corrections: Corrections::new(list), ..LoadOptions::default() };
    let after = open_bundled(&opts).0;
    let e = one(&after, "security forces");
    assert_eq!((e.name.as_str(), e.kind), ("Security forces", Kind::Group));
    assert_eq!(e.mentions, expected);
    assert_eq!(highlighted(&after, "Security forces"), expected, "every occurrence is highlighted");
    let e_index = after.index.find("security forces")[0];
    let filtered = after.index.entity_articles[e_index as usize].len();
    assert_eq!(filtered, e.articles, "the entity filter finds its articles");
    // An added text that is already part of a mention is left to that mention.
    let list = vec![Correction {
        op: Op::Add,
        name: "Gul Bahadur".into(),
        target: Some("Someone".into()),
        ..Correction::clone(&opts.corrections.0[0])
    }];
    let after = open_bundled(&LoadOptions { corrections: Corrections::new(list), ..LoadOptions::default() }).0;
    assert_eq!(one(&after, "Someone").mentions, 0);
}

#[test]
fn an_added_mention_follows_new_files_and_the_cache() {
    let env = Env::new();
    let col = env.collection();
    let col = col.to_str().unwrap();
    env.ok(&["entity", "add", "security forces", "Security forces", "--kind", "group", col]);
    let count = |entities: &[Value]| named(entities, "security forces")[0]["mentions"].as_u64().unwrap();
    let first = count(&env.entities(&[col]));
    assert!(first >= 3);
    assert_eq!(count(&env.entities(&[col])), first, "from the cache");
    assert_eq!(count(&env.entities(&["--no-cache", col])), first);
    std::fs::write(Path::new(col).join("zz-new.txt"), "Attack\n\nMilitants attacked security forces near Bannu.\n")
        .unwrap();
    assert_eq!(count(&env.entities(&[col])), first + 1, "a new article's text follows");
    let mentions = env.ok(&["mentions", "Security forces", col]);
    assert!(mentions.contains("zz-new.txt"), "{mentions}");
}

#[test]
fn search_answers_stars_tags_and_read_marks_from_the_store() {
    let env = Env::new();
    let list: Vec<Value> = serde_json::from_str(&env.ok(&["list", "--format", "json"])).unwrap();
    let (starred, tagged) = (list[0]["id"].as_str().unwrap(), list[1]["id"].as_str().unwrap());
    let ids = |query: &str| -> Vec<String> {
        let out = env.run(&["search", query, "--format", "json"]);
        if out.status.code() == Some(1) {
            return Vec::new();
        }
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    };
    assert!(ids("is:starred").is_empty());
    assert!(ids("tag:follow-up").is_empty());
    env.ok(&["star", starred]);
    env.ok(&["tag", tagged, "Follow-up"]);
    env.ok(&["mark", tagged]);
    assert_eq!(ids("is:starred"), vec![starred.to_string()]);
    assert_eq!(ids("tag:follow-up"), vec![tagged.to_string()], "tags match case aside");
    assert_eq!(ids("is:read"), vec![tagged.to_string()]);
    assert_eq!(ids("is:unread").len(), list.len() - 1);
    assert!(ids("is:starred tag:follow-up").is_empty());
    assert_eq!(ids("is:starred OR tag:follow-up").len(), 2);
}
