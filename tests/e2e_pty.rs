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
    start_with(cols, rows, env, &[])
}

fn start_with(cols: u16, rows: u16, env: &[(&str, &str)], args: &[&str]) -> Session {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let data = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsroom"));
    cmd.args(args);
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
    let store = s._data.path().join("newsroom").join("user.sqlite");
    let (store, warning) = newsroom::core::store::UserStore::open(Some(store));
    assert!(warning.is_none(), "{warning:?}");
    assert_eq!(store.read_marks().unwrap().len(), 1, "read marks saved");
}

/// The unread count the status bar shows.
fn unread(s: &Session) -> Option<usize> {
    let screen = s.contents();
    let at = screen.find(" unread")?;
    screen[..at].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[test]
fn two_browsers_marking_tagging_and_noting_at_once_and_kill_9_never_lose_what_was_confirmed() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("news");
    newsroom::core::generate::write_collection(&dir, 60, 9).unwrap();
    let (data, cache) = (home.path().join("data"), home.path().join("cache"));
    let env = [("XDG_DATA_HOME", data.to_str().unwrap()), ("XDG_CACHE_HOME", cache.to_str().unwrap())];
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(["list", "--format", "json"])
        .arg(&dir)
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let articles: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["title"].as_str().unwrap().to_string(), r["id"].as_str().unwrap().to_string()))
        .collect();
    let confirmed = Mutex::new(Vec::<(String, String)>::new());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..50 {
        let plans: Vec<(usize, bool)> = (0..2)
            .map(|w| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                ((round * 2 + w) % articles.len(), seed.is_multiple_of(3))
            })
            .collect();
        std::thread::scope(|scope| {
            for (pick, kill_early) in plans {
                let (articles, confirmed, env, dir) = (&articles, &confirmed, &env, &dir);
                scope.spawn(move || {
                    let mut s = start_with(160, 50, env, &[dir.to_str().unwrap()]);
                    let deadline = Instant::now() + Duration::from_secs(20);
                    while unread(&s).is_none() && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    unread(&s).expect("the status bar shows the unread count");
                    let (title, id) = &articles[pick];
                    s.send("f");
                    s.send(title);
                    s.send("\r");
                    // Read it (a mark), tag it and write its note, all typed at once.
                    let (tag, note) = (format!("r{round}"), format!("n{round}"));
                    s.writer.write_all(format!("\rt{tag}\rm{note}\r").as_bytes()).unwrap();
                    s.writer.flush().unwrap();
                    if !kill_early {
                        // Confirmed once "note saved" shows: the shell writes before it draws,
                        // the mark, the tag and the note in the order typed.
                        let deadline = Instant::now() + Duration::from_secs(10);
                        while !s.contents().contains("note saved") && Instant::now() < deadline {
                            std::thread::sleep(Duration::from_millis(10));
                        }
                        if s.contents().contains("note saved") {
                            confirmed.lock().unwrap().push((id.clone(), tag));
                        }
                    }
                    s.signal(libc::SIGKILL);
                    s.exited_within(Duration::from_secs(5));
                });
            }
        });
    }
    let confirmed = confirmed.into_inner().unwrap();
    assert!(confirmed.len() >= 20, "only {} marks were confirmed", confirmed.len());
    let (store, warning) = newsroom::core::store::UserStore::open(Some(data.join("newsroom/user.sqlite")));
    assert!(warning.is_none(), "the store always opens whole: {warning:?}");
    let kept = store.read_marks().unwrap();
    let user = store.articles().unwrap();
    for (id, tag) in &confirmed {
        assert!(kept.contains(id), "the confirmed mark {id} was lost");
        let u = user.get(id).unwrap_or_else(|| panic!("the tag and note of {id} were lost"));
        assert!(u.tags.contains(tag), "the confirmed tag {tag} of {id} was lost");
        assert!(u.note.as_ref().is_some_and(|n| n.starts_with('n')), "the note of {id} was lost");
    }
}

#[test]
fn a_correction_in_the_sidebar_reindexes_at_once_and_holds_on_the_command_line() {
    let mut s = start(120, 40, &[]);
    s.wait_for("Articles 5/5");
    s.send("\r");
    s.send("\t");
    // The sidebar: the right-hand 22% of the screen.
    let sidebar = |s: &Session| -> String {
        s.contents().lines().map(|l| l.chars().skip(94).collect::<String>() + "\n").collect()
    };
    let entity = "Asim Munir";
    assert!(sidebar(&s).contains(entity), "{}", s.contents());
    s.send("X");
    s.wait_for("re-indexed with your corrections");
    assert!(!sidebar(&s).contains(entity), "rejected: gone from the sidebar\n{}", s.contents());
    s.send("U");
    s.wait_for("re-indexed with your corrections");
    assert!(sidebar(&s).contains(entity), "undone: back\n{}", s.contents());
    s.send("X");
    s.wait_for("re-indexed with your corrections");
    s.send("q");
    assert!(s.exited_within(Duration::from_secs(5)));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(["entities", "--format", "json"])
        .env("XDG_DATA_HOME", s._data.path())
        .env("XDG_CONFIG_HOME", s._data.path())
        .output()
        .unwrap();
    let entities: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = entities.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(!names.contains(&entity) && names.contains(&"Tehrik-i-Taliban Pakistan"), "{names:?}");
}

#[test]
fn a_damaged_store_is_said_in_the_status_bar_and_kept_aside() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("newsroom")).unwrap();
    std::fs::write(data.path().join("newsroom/user.sqlite"), b"not a database at all ".repeat(100)).unwrap();
    let mut s = start(120, 40, &[("XDG_DATA_HOME", data.path().to_str().unwrap())]);
    s.wait_for("Articles 5/5");
    s.wait_for("damaged");
    s.send("q");
    assert!(s.exited_within(Duration::from_secs(5)));
    let names: Vec<String> = std::fs::read_dir(data.path().join("newsroom"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("user.sqlite.damaged-")), "{names:?}");
    let (store, warning) = newsroom::core::store::UserStore::open(Some(data.path().join("newsroom/user.sqlite")));
    assert!(warning.is_none() && store.is_open(), "a new, whole store: {warning:?}");
}
