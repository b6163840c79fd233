//! The real binary in a pseudo-terminal, as a user over SSH would run it: open, filter, jump to
//! a mention, quit — and the terminal must be restored on quit, panic, SIGTERM and SIGHUP.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[path = "support/pty.rs"]
mod pty;
use pty::Session;

fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    pty::start(cols, rows, &[], env)
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
    let out = s.raw_text();
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
    let store = s.home.path().join("newsroom").join("user.sqlite");
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
                    let mut s = pty::start(160, 50, &[dir.to_str().unwrap()], env);
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
                    s.type_now(format!("\rt{tag}\rm{note}\r").as_bytes());
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
        .env("XDG_DATA_HOME", s.home.path())
        .env("XDG_CONFIG_HOME", s.home.path())
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
