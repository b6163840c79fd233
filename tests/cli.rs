//! Drives the real binary the way a user at a shell would.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

#[path = "support/bin.rs"]
mod bin;
use bin::cmd;

fn newsroom(args: &[&str]) -> Output {
    cmd().args(args).output().expect("the binary runs")
}

fn export(args: &[&str]) -> Value {
    let mut all = vec!["export", "--format", "json"];
    all.extend_from_slice(args);
    let out = newsroom(&all);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn articles(doc: &Value) -> &Vec<Value> {
    doc["articles"].as_array().expect("articles array")
}

fn by_title<'a>(doc: &'a Value, title: &str) -> &'a Value {
    articles(doc).iter().find(|a| a["title"] == title).unwrap_or_else(|| panic!("no article titled {title}"))
}

#[test]
fn export_of_the_bundled_corpus_has_five_clean_articles() {
    let doc = export(&[]);
    let list = articles(&doc);
    assert_eq!(list.len(), 5);
    for a in list {
        let body = a["body"].as_str().unwrap();
        let paragraphs: Vec<&str> = a["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(body, paragraphs.join("\n\n"), "body is the paragraphs joined by one blank line");
        for furniture in [
            "Advertisement",
            "Please enter your",
            "Must Read",
            "NEWS DESK",
            "PRESS UPDATE",
            "protected]",
            "Macbeth",
            "The writer",
        ] {
            assert!(!body.contains(furniture), "{furniture:?} left in {}", a["title"]);
        }
    }
}

#[test]
fn headlines_are_titles_and_the_others_are_derived() {
    let doc = export(&[]);
    let headline_titles = ["Pakistan Targets Terrorists Amid Taliban Talks", "Security failure in Pakistan"];
    for a in articles(&doc) {
        let title = a["title"].as_str().unwrap();
        let derived = a["title_derived"].as_bool().unwrap();
        assert_eq!(derived, !headline_titles.contains(&title), "{title}");
        assert!(!title.is_empty() && title.chars().count() <= 90, "{title}");
        assert!(!a["body"].as_str().unwrap().starts_with(title) || derived);
    }
    let security = by_title(&doc, "Security failure in Pakistan");
    assert_eq!(security["author"], "Eman Mudassar Tarar");
    assert_eq!(security["deck"], "Where do we go from here?");
}

#[test]
fn leading_date_line_is_metadata() {
    let doc = export(&[]);
    let dated: Vec<&Value> = articles(&doc).iter().filter(|a| a["date"] == "2023-12-13").collect();
    assert_eq!(dated.len(), 1);
    let body = dated[0]["body"].as_str().unwrap();
    assert!(!body.trim_start().to_lowercase().starts_with("date"), "{}", &body[..40]);
    assert!(body.starts_with("The recent militant assault"));
}

#[test]
fn no_paragraph_or_sentence_appears_twice() {
    let doc = export(&[]);
    for a in articles(&doc) {
        let mut seen = std::collections::HashSet::new();
        for p in a["paragraphs"].as_array().unwrap() {
            for s in newsroom::core::text::sentences(p.as_str().unwrap()) {
                let key = newsroom::core::text::fold_key(s);
                if key.split(' ').count() >= 5 {
                    assert!(seen.insert(key.clone()), "repeated in {}: {s}", a["title"]);
                }
            }
        }
    }
}

#[test]
fn the_single_line_wall_of_text_becomes_paragraphs() {
    let raw = std::fs::read_to_string("assets/corpus/004_6a8170050d1b1885.txt").unwrap();
    assert!(raw.trim().lines().count() == 1 && raw.len() > 7000);
    let doc = export(&[]);
    let wall = articles(&doc).iter().find(|a| a["path"].as_str().unwrap().contains("004_")).unwrap();
    assert!(wall["paragraphs"].as_array().unwrap().len() >= 5);
    assert_eq!(wall["author"], "@MsAishaK");
}

#[test]
fn list_prints_a_table_and_json() {
    let out = newsroom(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert!(text.lines().next().unwrap().starts_with("ID"));
    assert!(text.contains("Security failure in Pakistan") && text.contains("Eman Mudassar Tarar"));
    let out = newsroom(&["list", "--format", "json", "--sort", "title"]);
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5);
    assert_eq!(rows[0]["title"], "Pakistan continues to face a persistent and multifaceted terrorism threat");
}

#[test]
fn show_wraps_to_the_requested_width_and_raw_prints_the_original() {
    let out = newsroom(&["show", "Security failure", "--width", "50"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Security failure in Pakistan\n"));
    assert!(text.lines().all(|l| newsroom::core::text::width(l) <= 50), "{text}");
    let raw = newsroom(&["show", "Security failure", "--raw"]);
    let raw = String::from_utf8(raw.stdout).unwrap();
    assert!(raw.contains("Please enter your comment!"), "the original keeps what cleaning removed");
}

#[test]
fn show_by_unknown_name_is_an_error_with_exit_1_and_bad_flags_exit_2() {
    let out = newsroom(&["show", "no-such-article-anywhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article matches"));
    assert_eq!(newsroom(&["list", "--format", "yaml"]).status.code(), Some(2));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        std::fs::write(
            dir.path().join(format!("a{i:03}.txt")),
            format!("Headline number {i}\n\nBody of article {i} is here. It says a little."),
        )
        .unwrap();
    }
    let mut child = cmd().args(["list"]).arg(dir.path()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take()); // the reader goes away, as `| head -0` would
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A folder of everything that goes wrong in real collections.
fn write_bad_folder(dir: &Path) {
    std::fs::write(dir.join("good.txt"), "A good headline\n\nThe good article has a body. It reads well.").unwrap();
    std::fs::write(dir.join("binary.txt"), b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0").unwrap();
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(
        dir.join("cp1252.txt"),
        b"Caf\xe9 culture\n\nThe caf\xe9 served \x93strong\x94 coffee to the na\xefve visitors. It was busy.",
    )
    .unwrap();
    std::fs::write(dir.join("escapes.txt"), "Escape \u{1b}[2J\u{1b}[31mheadline\u{1b}[0m\n\nBody \u{1b}]0;owned\u{7}text with \u{1b}[5mblink\u{1b}[0m and \u{9b}31m more. Second sentence.").unwrap();
    let line = "Filler sentence in a very large file that nobody should load whole. ";
    std::fs::write(dir.join("huge.txt"), line.repeat(50 * 1024 * 1024 / line.len() + 1)).unwrap();
    std::fs::write(dir.join("notes.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(dir.join("notes.docx"), b"PK\x03\x04").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir, dir.join("sub").join("loop")).unwrap();
}

#[test]
fn a_folder_of_bad_input_loads_what_it_can_and_reports_each_problem_once() {
    let dir = tempfile::tempdir().unwrap();
    write_bad_folder(dir.path());
    let out = cmd().arg("list").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{9b}'), "escape reached stdout: {stdout:?}");
    assert!(!stderr.contains('\u{1b}'), "escape reached stderr");
    for title in ["A good headline", "Café culture", "Escape headline"] {
        assert!(stdout.contains(title), "{title} missing from\n{stdout}");
    }
    for (file, reason) in [
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("huge.txt", "larger than"),
        ("loop", "loop"),
        ("cp1252.txt", "windows-1252"),
        ("escapes.txt", "control sequences"),
        ("notes.pdf", "PDF"),
    ] {
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(file)).collect();
        assert_eq!(lines.len(), 1, "{file} reported {} times:\n{stderr}", lines.len());
        assert!(lines[0].contains(reason), "{file}: {}", lines[0]);
    }
    assert!(stderr.contains("1 .docx"), "{stderr}");
    // The same holds for export, where the escapes file's text is kept but cleaned.
    let out = cmd().args(["export", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn an_unreadable_path_is_reported_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), "Good headline\n\nGood body. More.").unwrap();
    let missing = dir.path().join("missing");
    let out = cmd().arg("list").arg(&missing).arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or folder"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Good headline"));
    let only_missing = cmd().arg("list").arg(&missing).output().unwrap();
    assert_eq!(only_missing.status.code(), Some(1));
}

#[test]
fn config_shows_the_flags_of_this_run_before_or_after_it_with_their_origin() {
    for args in [&["config", "--color", "16", "--mouse"][..], &["--color", "16", "--mouse", "config"]] {
        let out = cmd().args(args).env_remove("NO_COLOR").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let line = |key: &str| text.lines().find(|l| l.starts_with(key)).unwrap_or_default().to_string();
        assert!(line("color =").contains("\"16\"") && line("color =").contains("flag --color"), "{text}");
        assert!(line("mouse =").contains("true") && line("mouse =").contains("flag --mouse"), "{text}");
        assert!(line("store =").contains("user.sqlite"), "the local store's file is named: {text}");
    }
    let out = cmd().arg("config").env("NO_COLOR", "1").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.starts_with("color = \"never\"") && l.contains("env NO_COLOR")), "{text}");
}
