//! Hand-offs in the real binary in a pseudo-terminal: the article in `$PAGER` and `$EDITOR`
//! (fake programs that record what they were given), the screen coming back after; a copy as
//! OSC 52 bytes; Ctrl-Z handing the terminal back; a config file's keys; a missing program.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    data: tempfile::TempDir,
}

fn start(cols: u16, rows: u16, env: &[(&str, String)], config: Option<&str>) -> Session {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let data = tempfile::tempdir().unwrap();
    if let Some(text) = config {
        std::fs::create_dir_all(data.path().join("newsroom")).unwrap();
        std::fs::write(data.path().join("newsroom").join("config.toml"), text).unwrap();
    }
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsroom"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_DATA_HOME", data.path());
    cmd.env("XDG_CONFIG_HOME", data.path());
    cmd.env("XDG_CACHE_HOME", data.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = pair.slave.spawn_command(cmd).expect("spawn newsroom");
    drop(pair.slave);
    let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            s.lock().unwrap().process(&buf[..n]);
            r.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let writer = pair.master.take_writer().unwrap();
    Session { child, master: pair.master, writer, screen, raw, data }
}

impl Session {
    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let raw = self.raw_text();
        let tail: String = raw.chars().rev().take(600).collect::<Vec<_>>().into_iter().rev().collect();
        panic!("{text:?} never appeared; screen:\n{}\nlast output: {tail:?}", self.contents());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).to_string()
    }

    fn quit(&mut self) {
        self.send("q");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return self.assert_restored();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("q did not quit");
    }

    fn assert_restored(&self) {
        std::thread::sleep(Duration::from_millis(100));
        let parser = self.screen.lock().unwrap();
        assert!(!parser.screen().alternate_screen(), "still on the alternate screen");
        if let Some(fd) = self.master.as_raw_fd() {
            // SAFETY: tcgetattr fills a termios we own, for a descriptor the pty owns.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
            assert!(t.c_lflag & libc::ICANON != 0, "terminal left in raw mode");
        }
    }

    /// Whether the terminal is in raw mode now.
    fn raw_mode(&self) -> bool {
        let fd = self.master.as_raw_fd().expect("a pty descriptor");
        // SAFETY: as above.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t.c_lflag & libc::ICANON == 0
    }
}

/// A fake program: records its argument's first line and the terminal mode it ran in, prints
/// a banner, and waits for a line (as a pager waits for `q`).
fn fake_program(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let log = dir.join(format!("{name}.log"));
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nhead -n 1 \"$1\" > '{log}'\nstty -a | grep -q -- '-icanon' && echo raw >> '{log}'\necho FAKE {name} RUNNING\nread answer\necho \"$answer\" >> '{log}'\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path.display().to_string()
}

fn hand_off(var: &str, key: &str) {
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
}

#[test]
fn the_article_in_a_pager_and_the_screen_comes_back() {
    hand_off("PAGER", "p");
}

#[test]
fn a_copy_of_the_article_in_an_editor_and_the_screen_comes_back() {
    hand_off("EDITOR", "E");
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
        .env("XDG_CONFIG_HOME", s.data.path())
        .env("XDG_DATA_HOME", s.data.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("config.toml:2") && text.contains("j = \"up\""), "{text}");
    assert!(text.contains("# default"), "{text}");
    assert_eq!(out.status.code(), Some(1), "a bad line is an error for newsroom config");
    assert!(String::from_utf8_lossy(&out.stderr).contains("config.toml:4: unknown command “explode”"));
}
