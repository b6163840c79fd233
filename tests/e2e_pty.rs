//! The real binary in a pseudo-terminal, as a user over SSH would run it: open, filter, jump to
//! a mention, quit — and the terminal must be restored on quit, panic, SIGTERM and SIGHUP.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    _data: tempfile::TempDir,
}

fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsroom"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_DATA_HOME", data.path());
    cmd.env("XDG_CONFIG_HOME", data.path());
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
    Session { child, master: pair.master, writer, screen, raw, _data: data }
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
        panic!("{text:?} never appeared; screen:\n{}", self.contents());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }

    fn exited_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn signal(&self, sig: i32) {
        let pid = self.child.process_id().expect("a pid") as i32;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    }

    /// The terminal is back to normal: main screen, cursor shown, line editing and echo on.
    fn assert_restored(&self) {
        std::thread::sleep(Duration::from_millis(100));
        let parser = self.screen.lock().unwrap();
        assert!(!parser.screen().alternate_screen(), "still on the alternate screen");
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
        let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).to_string();
        let entered = raw.rfind("\x1b[?1049h").expect("the alternate screen was used");
        assert!(raw.rfind("\x1b[?1049l").is_some_and(|left| left > entered), "the alternate screen was never left");
        if let Some(fd) = self.master.as_raw_fd() {
            // SAFETY: tcgetattr fills a termios we own, for a descriptor the pty owns.
            let mut t: libc::termios = unsafe { std::mem::zeroed() };
            assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
            assert!(t.c_lflag & libc::ICANON != 0, "terminal left in raw mode");
            assert!(t.c_lflag & libc::ECHO != 0, "echo left off");
        }
    }
}

#[test]
fn open_filter_jump_to_a_mention_and_quit_restores_the_terminal() {
    let mut s = start(80, 24, &[]);
    s.wait_for("Articles 5/5");
    s.send("f");
    s.send("ttp");
    s.wait_for("filter› ttp");
    s.send("\r");
    s.wait_for("“ttp”");
    s.send("e");
    s.send("tehreek");
    s.wait_for("Tehrik-i-Taliban Pakistan");
    s.send("\r");
    s.send("]");
    s.send("]");
    {
        let parser = s.screen.lock().unwrap();
        let screen = parser.screen();
        // The selected entity's mentions are drawn in reverse video.
        let (rows, cols) = screen.size();
        let inverse = (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .filter(|&(r, c)| screen.cell(r, c).is_some_and(|cell| cell.inverse()))
            .count();
        assert!(inverse > 0, "no mention highlighted:\n{}", screen.contents());
    }
    s.send("q");
    assert!(s.exited_within(Duration::from_secs(5)), "q did not quit");
    s.assert_restored();
}

#[test]
fn sighup_ends_it_within_a_second_and_restores() {
    let mut s = start(160, 50, &[]);
    s.wait_for("Articles 5/5");
    s.signal(libc::SIGHUP);
    assert!(s.exited_within(Duration::from_secs(1)), "still running a second after SIGHUP");
    s.assert_restored();
}

#[test]
fn sigterm_ends_it_and_restores() {
    let mut s = start(100, 30, &[]);
    s.wait_for("Articles 5/5");
    s.signal(libc::SIGTERM);
    assert!(s.exited_within(Duration::from_secs(1)));
    s.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_and_prints_the_message() {
    let mut s = start(100, 30, &[("NEWSROOM_TEST_PANIC", "1")]);
    assert!(s.exited_within(Duration::from_secs(20)));
    s.assert_restored();
    let out = String::from_utf8_lossy(&s.raw.lock().unwrap()).to_string();
    let message = out.find("NEWSROOM_TEST_PANIC is set").expect("the panic message is shown");
    assert!(out[..message].contains("\x1b[?1049l"), "the message must come after the restore, on the main screen");
}

#[test]
fn read_marks_survive_a_restart() {
    let mut s = start(120, 40, &[]);
    s.wait_for("Articles 5/5");
    s.send("\r");
    s.send("q");
    assert!(s.exited_within(Duration::from_secs(5)));
    let read_file = s._data.path().join("newsroom").join("read.json");
    let text = std::fs::read_to_string(&read_file).expect("read marks saved");
    assert!(text.contains("\"read\""));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap()["read"].as_array().unwrap().len(), 1);
}
