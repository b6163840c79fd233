//! Hand-offs in the real binary in a pseudo-terminal: the article in `$PAGER` and `$EDITOR`
//! (fake programs that record what they were given), the screen coming back after; a copy as
//! OSC 52 bytes; Ctrl-Z handing the terminal back; a config file's keys; a missing program.

use std::path::Path;

#[path = "support/bin.rs"]
mod bin;
#[path = "support/pty.rs"]
mod pty;
use pty::Session;

/// newsroom in a pty, with these variables and, when given, this config file.
fn start(cols: u16, rows: u16, env: &[(&str, String)], config: Option<&str>) -> Session {
    let home = tempfile::tempdir().unwrap();
    if let Some(text) = config {
        std::fs::create_dir_all(home.path().join("newsroom")).unwrap();
        std::fs::write(home.path().join("newsroom").join("config.toml"), text).unwrap();
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pty::start_in(home, cols, rows, &[], &env)
}

/// A fake program: records its argument's first line and the terminal mode it ran in, prints
/// a banner, and waits for a line (as a pager waits for `q`).
fn fake_program(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let log = dir.join(format!("{name}.log"));
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nhead -n 1 \"$1\" > '{log}'\ncp \"$1\" '{log}.file'\nstty -a | grep -q -- '-icanon' && echo raw >> '{log}'\necho FAKE {name} RUNNING\nread answer\necho \"$answer\" >> '{log}'\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path.display().to_string()
}

/// Hands the "Security failure" article to a fake `$var` program with `key`; what the program
/// was given.
fn hand_off(var: &str, key: &str) -> String {
    let bin = tempfile::tempdir().unwrap();
    let program = fake_program(bin.path(), "prog");
    let mut s = start(100, 30, &[(var, program)], None);
    s.wait_for("Articles 5/5");
    // The frame may still be arriving: wait for the row itself.
    s.wait_for("Security failure");
    // Select that article and hand it off.
    s.send("f");
    s.send("security failure");
    s.send("\r");
    s.send(key);
    s.wait_for("FAKE prog RUNNING");
    assert!(!s.screen.lock().unwrap().screen().alternate_screen(), "the program runs on the main screen");
    s.send("typed to the program\r");
    // The browser is back: its screen drawn again, raw mode on.
    s.wait_for("Articles");
    assert!(s.screen.lock().unwrap().screen().alternate_screen());
    assert!(s.raw_mode(), "raw mode is back");
    let log = std::fs::read_to_string(bin.path().join("prog.log")).unwrap();
    let mut lines = log.lines();
    assert_eq!(lines.next(), Some("Security failure in Pakistan"), "the program got the article: {log}");
    assert_eq!(lines.next(), Some("typed to the program"), "the program had the terminal, cooked: {log}");
    s.send("j");
    s.quit();
    std::fs::read_to_string(bin.path().join("prog.log.file")).unwrap()
}

#[test]
fn the_article_in_a_pager_and_the_screen_comes_back() {
    let shown = hand_off("PAGER", "p");
    assert!(shown.contains("\nSource: "), "the article as show prints it: {shown}");
    // `v` in the list does the same, as in newsboat and mutt.
    assert_eq!(hand_off("PAGER", "v"), shown);
}

#[test]
fn the_original_file_in_a_pager_is_what_show_raw_prints() {
    let shown = hand_off("PAGER", "P");
    let raw = bin::cmd().args(["show", "Security failure", "--raw"]).output().unwrap();
    assert_eq!(shown, String::from_utf8_lossy(&raw.stdout));
    assert!(!shown.contains("\nSource: "));
}

#[test]
fn a_copy_of_the_article_in_an_editor_and_the_screen_comes_back() {
    let given = hand_off("EDITOR", "E");
    assert!(given.starts_with("Security failure in Pakistan\n"), "{given}");
}

#[test]
fn a_missing_pager_is_a_status_message() {
    let mut s = start(120, 30, &[("PAGER", "no-such-pager-anywhere".into())], None);
    s.wait_for("Articles 5/5");
    s.send("p");
    s.wait_for("no-such-pager-anywhere: not found");
    s.send("j");
    s.quit();
}

fn base64(bytes: &[u8]) -> String {
    newsroom::app::handoff::base64(bytes)
}

#[test]
fn y_copies_the_title_as_osc_52() {
    let mut s = start(120, 30, &[], None);
    s.wait_for("Articles 5/5");
    s.send("f");
    s.send("security failure");
    s.send("\r");
    s.send("y");
    s.wait_for("copied the title");
    let expected = format!("\x1b]52;c;{}\x07", base64(b"Security failure in Pakistan"));
    assert!(s.raw_text().contains(&expected), "no OSC 52 with the title in the output");
    s.quit();
}

#[test]
fn ctrl_z_hands_the_terminal_back_and_resuming_redraws() {
    let mut s = start(100, 30, &[], None);
    s.wait_for("Articles 5/5");
    let before = s.raw_text().matches("\x1b[?1049h").count();
    // Ctrl-Z. The pty's session has no job control shell, so the stop itself is discarded by
    // the kernel (an orphaned process group); what newsroom does around it is what is checked:
    // the terminal restored, then taken again and the screen drawn whole.
    s.send("\x1a");
    s.wait_for("Articles 5/5");
    let raw = s.raw_text();
    let left = raw.rfind("\x1b[?1049l").expect("the alternate screen was left");
    let back = raw.rfind("\x1b[?1049h").expect("and entered again");
    assert!(back > left && raw.matches("\x1b[?1049h").count() == before + 1, "not handed back and taken again");
    assert!(s.raw_mode());
    s.quit();
}

#[test]
fn a_config_file_remaps_keys_and_a_bad_line_is_named() {
    let config = "[keys.everywhere]\nj = \"up\"\nk = \"down\"\nx = \"explode\"\n";
    let mut s = start(160, 50, &[], Some(config));
    s.wait_for("Articles 5/5");
    s.wait_for("config.toml:4: unknown command “explode”");
    let first = s.contents();
    s.send("k");
    s.send("k");
    assert_ne!(s.contents(), first, "k (now down) moved the selection");
    s.send("?");
    s.wait_for("k Down");
    s.send("\x1b");
    s.quit();
    // `newsroom config` says where each value came from.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .arg("config")
        .env("XDG_CONFIG_HOME", s.home.path())
        .env("XDG_DATA_HOME", s.home.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("config.toml:2") && text.contains("j = \"up\""), "{text}");
    assert!(text.contains("# default"), "{text}");
    assert_eq!(out.status.code(), Some(1), "a bad line is an error for newsroom config");
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.toml:4: unknown command “explode”"));
}
