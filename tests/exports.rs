//! Exports read by analysts' tools, through the real binary: CSV and JSON lines for `list`,
//! `entities` and `mentions`, FollowTheMoney for Aleph, GraphML for Gephi. Where the tool
//! itself is installed (Python's `csv`, the `followthemoney` package, networkx) the output is
//! checked with it too; without it the test says so and still checks the structure itself.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "support/bin.rs"]
mod bin;
use bin::cmd;

fn run(args: &[&str]) -> Output {
    let out = cmd().args(args).output().expect("the binary runs");
    assert!(out.status.success(), "newsroom {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(run(args).stdout).expect("UTF-8 output")
}

fn mixed() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed").display().to_string()
}

/// A collection with text a CSV or XML writer must escape: commas, quotes, a line break in a
/// title (a feed item), `<&>` and a control character.
fn awkward() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("quotes.md"),
            "---\ntitle: 'Port \"Velmora\", deal; signed <&> today'\nauthor: \"O'Brien, Ann\"\ndate: 2024-03-12\n---\n\n\
             Castellan Marine signed the dredging deal with the Port of Velmora on Tuesday, said Ines Halvorsen \
             of the Velmora Harbour Authority.\n\nAsim Munir met Ines Halvorsen in Karachi.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("feed.rss"),
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Two\nlines, \"quoted\" \
             &amp; more</title><guid>g1</guid><description>The Harbour Board of Skarnes met Jonas Ekdahl in Oslo \
             on Monday. Jonas Ekdahl said the Harbour Board of Skarnes would decide.</description></item></channel></rss>",
        )
        .unwrap();
        dir
    })
    .path()
}

fn python() -> Option<PathBuf> {
    let ok = Command::new("python3").arg("-c").arg("pass").output().is_ok_and(|o| o.status.success());
    ok.then(|| PathBuf::from("python3"))
}

/// Runs a Python script with `input` on stdin; None (and a printed reason) when Python or a
/// module it imports is missing.
fn python_run(script: &str, input: &[u8], needs: &str) -> Option<Output> {
    let Some(py) = python() else {
        eprintln!("skipped the Python check: no python3 on PATH");
        return None;
    };
    let probe = Command::new(&py).arg("-c").arg(format!("import {needs}")).output().unwrap();
    if !probe.status.success() {
        eprintln!("skipped the Python check: the {needs} package is not installed (pip install {needs})");
        return None;
    }
    let mut child = Command::new(&py)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    Some(child.wait_with_output().unwrap())
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// Python's `csv` module reads the text into the same rows the Rust reader does.
fn python_agrees(text: &str, rust_rows: &[Vec<String>], header: &[String]) {
    let script = "import csv, io, json, sys\n\
                  data = sys.stdin.buffer.read().decode('utf-8')\n\
                  rows = list(csv.reader(io.StringIO(data, newline=''), strict=True))\n\
                  json.dump(rows, sys.stdout)";
    let Some(out) = python_run(script, text.as_bytes(), "csv") else { return };
    assert!(out.status.success(), "python csv: {}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0], header);
    assert_eq!(&rows[1..], rust_rows, "Python's csv module reads the same rows");
}

#[test]
fn list_csv_has_one_header_and_every_article_verbatim() {
    let dirs = [mixed(), awkward().display().to_string()];
    let json: Vec<Value> =
        serde_json::from_str(&stdout(&["list", &dirs[0], &dirs[1], "--format", "json", "--sort", "date"])).unwrap();
    let text = stdout(&["list", &dirs[0], &dirs[1], "--format", "csv", "--sort", "date"]);
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let (header, rows) = parse_csv(&text);
    assert_eq!(&header[..5], ["id", "date", "words", "author", "title"]);
    assert_eq!(rows.len(), json.len(), "one row per article, one header row");
    for (row, a) in rows.iter().zip(&json) {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], a["id"].as_str().unwrap());
        assert_eq!(row[4], a["title"].as_str().unwrap(), "titles whole and unescaped");
        assert_eq!(row[3], a["author"].as_str().unwrap_or(""));
    }
    let quoted = rows.iter().find(|r| r[4].contains("Velmora\", deal")).expect("the awkward title");
    assert_eq!(quoted[4], "Port \"Velmora\", deal; signed <&> today");
    assert_eq!(quoted[3], "O'Brien, Ann");
    python_agrees(&text, &rows, &header);
}

#[test]
fn entities_csv_and_jsonl_agree_with_json_and_keep_long_names() {
    let json: Vec<Value> = serde_json::from_str(&stdout(&["entities", "--format", "json"])).unwrap();
    let text = stdout(&["entities", "--format", "csv"]);
    let (header, rows) = parse_csv(&text);
    assert_eq!(header, ["id", "name", "kind", "articles", "mentions", "aliases", "value"]);
    assert_eq!(rows.len(), json.len());
    for (row, e) in rows.iter().zip(&json) {
        assert_eq!(row[0], e["id"].as_str().unwrap());
        assert_eq!(row[1], e["name"].as_str().unwrap());
        assert_eq!(row[3], e["articles"].to_string());
    }
    let ttp = rows.iter().find(|r| r[1] == "Tehrik-i-Taliban Pakistan").expect("TTP");
    assert!(ttp[5].split("; ").any(|a| a == "TTP"), "aliases joined by '; ': {}", ttp[5]);
    python_agrees(&text, &rows, &header);

    let lines = stdout(&["entities", "--format", "jsonl"]);
    let parsed: Vec<Value> =
        lines.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(parsed, json, "jsonl is the json rows, one per line");
}

#[test]
fn mentions_csv_and_jsonl_give_offsets_into_the_exported_body() {
    let export: Value = serde_json::from_str(&stdout(&["export", "--format", "json"])).unwrap();
    let bodies: HashMap<&str, &str> = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["body"].as_str().unwrap()))
        .collect();
    let text = stdout(&["mentions", "TTP", "--format", "csv"]);
    let (header, rows) = parse_csv(&text);
    assert_eq!(
        header,
        ["article", "path", "paragraph", "entity", "name", "kind", "start", "end", "text", "before", "after"]
    );
    assert!(rows.len() >= 10, "TTP is mentioned often: {}", rows.len());
    for r in &rows {
        let body = bodies[r[0].as_str()];
        let (s, e): (usize, usize) = (r[6].parse().unwrap(), r[7].parse().unwrap());
        assert_eq!(&body[s..e], r[8], "start/end are byte offsets into the body");
        assert_eq!(r[4], "Tehrik-i-Taliban Pakistan");
        assert!(body[..s].ends_with(&r[9]), "before is the text just before");
    }
    python_agrees(&text, &rows, &header);
    let jsonl = stdout(&["mentions", "TTP", "--format", "jsonl"]);
    let lines: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).expect("JSON per line")).collect();
    assert_eq!(lines.len(), rows.len());
    assert_eq!(lines[0]["text"], rows[0][8].as_str());
    assert_eq!(lines[0]["start"].to_string(), rows[0][6]);
}

#[test]
fn mentions_context_begins_and_ends_on_whole_words() {
    let text = stdout(&["mentions", "TTP"]);
    let mut cut = 0;
    for line in text.lines() {
        let context = line.split_once(": ").unwrap().1;
        if let Some(rest) = context.strip_prefix('…') {
            cut += 1;
            // The context after an ellipsis starts a word: the character before it in the
            // article was a space, so the shown text never starts with half a word.
            assert!(!rest.starts_with(' '), "{line}");
        }
        if let Some(rest) = context.strip_suffix('…') {
            assert!(!rest.ends_with(' '), "{line}");
        }
    }
    assert!(cut > 0, "some contexts are cut");
    // Whole words: every word of a cut context is a word of the article (checked via export).
    let export: Value = serde_json::from_str(&stdout(&["export", "--format", "json"])).unwrap();
    let words: HashSet<&str> = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["body"].as_str().unwrap().split_whitespace())
        .collect();
    for line in text.lines() {
        let context = line.split_once(": ").unwrap().1.trim();
        let context = context.trim_start_matches('…').trim_end_matches('…');
        let first = context.split_whitespace().next().unwrap();
        let last = context.split_whitespace().last().unwrap();
        assert!(words.contains(first), "starts mid-word: {first:?} in {line}");
        assert!(words.contains(last), "ends mid-word: {last:?} in {line}");
    }
}

#[test]
fn entities_table_keeps_whole_names_when_piped() {
    let text = stdout(&["entities", "--kind", "organization"]);
    assert!(text.contains("Pakistan Institute for Conflict and Security Studies"), "{text}");
    assert!(!text.lines().any(|l| l.split("  ").next().unwrap().ends_with('…')), "{text}");
}

#[test]
fn a_format_a_command_does_not_write_is_a_usage_error() {
    let out = cmd().args(["search", "taliban", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("search does not write --format csv"));
}

fn ftm_lines(paths: &[&str]) -> (String, Vec<Value>) {
    let mut args = vec!["export", "--format", "ftm"];
    args.extend_from_slice(paths);
    let text = stdout(&args);
    let values = text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    (text, values)
}

/// Checks the stream's shape without FtM: ids, schemata, references.
fn check_ftm_structure(entities: &[Value]) {
    let mut schema_of: HashMap<&str, &str> = HashMap::new();
    for e in entities {
        let id = e["id"].as_str().unwrap();
        assert!(id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit()), "SHA-1 hex id: {id}");
        let schema = e["schema"].as_str().unwrap();
        assert!(["Article", "Person", "Organization", "Address", "Mention"].contains(&schema), "{schema}");
        for (_, values) in e["properties"].as_object().unwrap() {
            assert!(values.as_array().unwrap().iter().all(|v| v.as_str().is_some_and(|s| !s.is_empty())));
        }
        assert!(schema_of.insert(id, schema).is_none(), "ids are unique: {id}");
    }
    let prop = |e: &Value, p: &str| -> Vec<String> {
        e["properties"][p].as_array().map_or(vec![], |a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
    };
    let mut mentions = 0;
    for e in entities {
        match e["schema"].as_str().unwrap() {
            "Article" => {
                for p in ["title", "fileName", "bodyText"] {
                    assert_eq!(prop(e, p).len(), 1, "an Article has its {p}");
                }
            }
            "Mention" => {
                mentions += 1;
                let doc = prop(e, "document");
                assert_eq!(schema_of.get(doc[0].as_str()), Some(&"Article"), "document is an exported Article");
                assert!(!prop(e, "name").is_empty());
                let detected = prop(e, "detectedSchema");
                match prop(e, "resolved").as_slice() {
                    [r] => assert_eq!(schema_of.get(r.as_str()).copied(), Some(detected[0].as_str())),
                    [] => assert_eq!(detected, ["Address"], "only places go unresolved"),
                    more => panic!("one resolved entity, not {more:?}"),
                }
            }
            _ => assert!(!prop(e, "name").is_empty(), "an entity has a name"),
        }
    }
    assert!(mentions > 0);
}

#[test]
fn ftm_export_is_valid_followthemoney_with_stable_ids() {
    let folder = awkward().display().to_string();
    let (text, entities) = ftm_lines(&[&mixed(), &folder]);
    check_ftm_structure(&entities);
    let person = entities
        .iter()
        .find(|e| e["schema"] == "Person" && e["properties"]["name"][0] == "Ines Halvorsen")
        .expect("Ines Halvorsen is a Person");
    assert!(person["properties"]["alias"].is_null() || person["properties"]["alias"].is_array());
    let article = entities
        .iter()
        .find(|e| e["schema"] == "Article" && e["properties"]["title"][0] == "Port \"Velmora\", deal; signed <&> today")
        .expect("the article");
    assert_eq!(article["properties"]["author"][0], "O'Brien, Ann");
    assert_eq!(article["properties"]["publishedAt"][0], "2024-03-12");
    assert_eq!(article["properties"]["fileName"][0], "quotes.md");
    // The same collection exported again gives the same ids (Aleph updates, not duplicates).
    let (again, _) = ftm_lines(&[&mixed(), &folder]);
    assert_eq!(text, again);

    let script = r#"
import json, sys
from followthemoney import model
from followthemoney.exc import InvalidData
errors = []
seen = {}
lines = sys.stdin.read().splitlines()
for n, line in enumerate(lines, 1):
    data = json.loads(line)
    schema = model.get(data["schema"])
    if schema is None or schema.abstract:
        errors.append(f"{n}: no concrete schema {data['schema']}")
        continue
    for prop in data["properties"]:
        if prop not in schema.properties:
            errors.append(f"{n}: {schema.name} has no property {prop}")
    # Strict: values re-validated and normalised as for untrusted input; none may be dropped.
    proxy = model.get_proxy(data, cleaned=False)
    for prop, values in data["properties"].items():
        kept = proxy.get(prop, quiet=True)
        if len(kept) != len(set(values)):
            errors.append(f"{n}: {schema.name}.{prop}: {len(values) - len(kept)} value(s) rejected")
    try:
        schema.validate(proxy.to_dict())
    except InvalidData as e:
        errors.append(f"{n}: {e}")
    for req in schema.required:
        if not proxy.get(req):
            errors.append(f"{n}: {schema.name} lacks required {req}")
    seen[proxy.id] = proxy
for proxy in seen.values():
    for prop, value in proxy.itervalues():
        if prop.type.name == "entity":
            target = seen.get(value)
            if target is None:
                errors.append(f"{proxy.id}: {prop.name} points at a missing entity")
            elif prop.range is not None and not target.schema.is_a(prop.range):
                errors.append(f"{proxy.schema.name}.{prop.name} -> {target.schema.name}, not a {prop.range.name}")
print(len(lines))
for e in errors[:20]:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
"#;
    if let Some(out) = python_run(script, text.as_bytes(), "followthemoney") {
        assert!(out.status.success(), "followthemoney rejects the export:\n{}", String::from_utf8_lossy(&out.stderr));
        let checked: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        assert_eq!(checked, entities.len());
        // And the package's own command line, where it is installed.
        if let Ok(child) = Command::new("ftm").args(["validate"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn() {
            let mut child = child;
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "ftm validate fails");
            assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), entities.len());
        }
    }
}

#[test]
fn graphml_parses_back_and_loads_in_networkx() {
    use quick_xml::events::Event;
    let folder = awkward().display().to_string();
    let text = stdout(&["export", "--format", "graphml", &mixed(), &folder]);
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut nodes, mut edges) = (HashMap::new(), Vec::new());
    let mut current: Option<String> = None;
    let (mut key, mut value) = (String::new(), String::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.normalized_value(quick_xml::XmlVersion::default()).unwrap().into_owned())
                };
                match e.name().as_ref() {
                    "node" => {
                        let id = attr("id").unwrap();
                        nodes.insert(id.clone(), HashMap::<String, String>::new());
                        current = Some(id);
                    }
                    "edge" => edges.push((attr("source").unwrap(), attr("target").unwrap(), String::new())),
                    "data" => {
                        key = attr("key").unwrap();
                        value.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                Some(c) => value.push(c),
                None => value.push(match r.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("an entity XML does not define: {other}"),
                }),
            },
            Event::End(e) => match e.name().as_ref() {
                "node" => current = None,
                "data" if key == "weight" => edges.last_mut().unwrap().2 = value.clone(),
                "data" => {
                    if let Some(node) = current.as_ref().and_then(|id| nodes.get_mut(id)) {
                        node.insert(key.clone(), value.clone());
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    let entities: Vec<Value> =
        serde_json::from_str(&stdout(&["entities", "--format", "json", &mixed(), &folder])).unwrap();
    let not_dates: Vec<&Value> = entities.iter().filter(|e| e["kind"] != "date").collect();
    assert_eq!(nodes.len(), not_dates.len(), "a node per entity (dates left out)");
    for e in &not_dates {
        let node = &nodes[e["id"].as_str().unwrap()];
        assert_eq!(node["label"], e["name"].as_str().unwrap());
        assert_eq!(node["kind"], e["kind"].as_str().unwrap());
        assert_eq!(node["mentions"], e["mentions"].to_string());
    }
    assert!(!edges.is_empty());
    for (s, t, w) in &edges {
        assert!(nodes.contains_key(s) && nodes.contains_key(t) && s != t);
        assert!(w.parse::<u32>().unwrap() >= 1);
    }
    // Ines Halvorsen and Castellan Marine share articles: an edge between them.
    let id_of =
        |name: &str| not_dates.iter().find(|e| e["name"] == name).map(|e| e["id"].as_str().unwrap().to_string());
    if let (Some(a), Some(b)) = (id_of("Ines Halvorsen"), id_of("Castellan Marine")) {
        assert!(edges.iter().any(|(s, t, _)| (*s == a && *t == b) || (*s == b && *t == a)));
    }
    let script = "import sys, networkx as nx\n\
                  g = nx.read_graphml(sys.stdin.buffer)\n\
                  print(g.number_of_nodes(), g.number_of_edges(), nx.is_directed(g))";
    if let Some(out) = python_run(script, text.as_bytes(), "networkx") {
        assert!(out.status.success(), "networkx: {}", String::from_utf8_lossy(&out.stderr));
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(said.trim(), format!("{} {} False", nodes.len(), edges.len()));
    }
}

#[test]
fn cache_list_shows_each_collection_and_clear_removes_it() {
    let home = tempfile::tempdir().unwrap();
    let run_in = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_newsroom"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run_in(&["cache", "list"]).starts_with("no cached collections"));
    let folder = awkward().display().to_string();
    run_in(&["list", &folder]);
    run_in(&["list", &mixed()]);
    let listed = run_in(&["cache"]);
    let canonical = std::fs::canonicalize(&folder).unwrap().display().to_string();
    assert!(listed.starts_with("OPENED"), "{listed}");
    assert!(listed.lines().any(|l| l.ends_with(&canonical)), "{listed}");
    assert!(listed.contains("2 collections cached"), "{listed}");
    assert_eq!(run_in(&["cache", "clear", &folder]).split(" (").next(), Some("removed 1 cache"));
    let listed = run_in(&["cache", "list"]);
    assert!(!listed.contains(&canonical) && listed.contains("1 collection cached"), "{listed}");
    assert!(run_in(&["cache", "clear"]).starts_with("removed 1 cache"));
    assert!(run_in(&["cache", "list"]).starts_with("no cached collections"));
    let entries: Vec<_> = std::fs::read_dir(home.path().join("cache/newsroom"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "opened")
        .collect();
    assert!(entries.is_empty(), "nothing left but the empty record folder: {entries:?}");
}
