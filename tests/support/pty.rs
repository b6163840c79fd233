//! The real binary in a pseudo-terminal, as a user over SSH runs it: the screen as a vt100
//! parser sees it, the raw bytes, keys sent, signals, and whether the terminal was restored.
#![allow(dead_code)] // each test file uses its own share of these

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    pub master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// The folder given as its config, cache and data home (unless `env` said otherwise).
    pub home: tempfile::TempDir,
}

/// newsroom with `args` in a `cols`×`rows` terminal, in a home folder of its own.
pub fn start(cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Session {
    start_in(tempfile::tempdir().unwrap(), cols, rows, args, env)
}

/// The same in a home folder prepared beforehand (a config file in it, say).
pub fn start_in(home: tempfile::TempDir, cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Session {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsroom"));
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    for var in ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] {
        cmd.env(var, home.path());
    }
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
    Session { child, master: pair.master, writer, screen, raw, home }
}

impl Session {
    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).to_string()
    }

    /// Waits up to `limit` for the screen to satisfy `ok`; how long it took.
    pub fn until(&self, limit: Duration, what: &str, ok: impl Fn(&Session) -> bool) -> Duration {
        let start = Instant::now();
        while start.elapsed() < limit {
            if ok(self) {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let raw = self.raw_text();
        let tail: String = raw.chars().rev().take(600).collect::<Vec<_>>().into_iter().rev().collect();
        panic!("{what}: not within {limit:?}; screen:\n{}\nlast output: {tail:?}", self.contents());
    }

    pub fn wait_for(&self, text: &str) {
        self.until(Duration::from_secs(20), &format!("{text:?} on screen"), |s| s.contents().contains(text));
    }

    /// Types `keys`, then leaves the program a moment to answer.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Types `bytes` at once, without waiting.
    pub fn type_now(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn exited_within(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// `q`, and the program ends with the terminal restored.
    pub fn quit(&mut self) {
        self.send("q");
        assert!(self.exited_within(Duration::from_secs(5)), "q did not quit");
        self.assert_restored();
    }

    pub fn signal(&self, sig: i32) {
        let pid = self.child.process_id().expect("a pid") as i32;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    }

    pub fn kill_9(&mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }

    fn termios(&self) -> libc::termios {
        let fd = self.master.as_raw_fd().expect("a pty descriptor");
        // SAFETY: tcgetattr fills a termios we own, for a descriptor the pty owns.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
        t
    }

    /// Whether the terminal is in raw mode now.
    pub fn raw_mode(&self) -> bool {
        self.termios().c_lflag & libc::ICANON == 0
    }

    /// The terminal is back to normal: main screen, cursor shown, line editing and echo on.
    pub fn assert_restored(&self) {
        std::thread::sleep(Duration::from_millis(100));
        {
            let parser = self.screen.lock().unwrap();
            assert!(!parser.screen().alternate_screen(), "still on the alternate screen");
            assert!(!parser.screen().hide_cursor(), "cursor still hidden");
        }
        let raw = self.raw_text();
        let entered = raw.rfind("\x1b[?1049h").expect("the alternate screen was used");
        assert!(raw.rfind("\x1b[?1049l").is_some_and(|left| left > entered), "the alternate screen was never left");
        let t = self.termios();
        assert!(t.c_lflag & libc::ICANON != 0, "terminal left in raw mode");
        assert!(t.c_lflag & libc::ECHO != 0, "echo left off");
    }
}
