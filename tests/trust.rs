//! What the user keeps is never lost and no single file stalls a load, driven through the real
//! binary: marks under concurrent writers and kill -9, interrupted ingest, FIFOs.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cmd(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsroom"));
    c.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::null());
    c
}

fn ids(home: &Path, dir: &Path) -> Vec<String> {
    let out = cmd(home).args(["list", "--format", "json"]).arg(dir).output().unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// A small pseudo-random sequence, so that a failure can be replayed.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn two_writers_and_kill_9_never_lose_a_confirmed_mark_star_tag_or_note() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("news");
    newsroom::core::generate::write_collection(&dir, 40, 3).unwrap();
    let all = ids(home.path(), &dir);
    let (left, right) = all.split_at(all.len() / 2);
    let confirmed = std::sync::Mutex::new(Vec::<(&str, usize, String)>::new());
    std::thread::scope(|s| {
        for (w, mine) in [left, right].into_iter().enumerate() {
            let (home, dir, confirmed) = (home.path(), &dir, &confirmed);
            s.spawn(move || {
                let mut seed = 0x9e37_79b9_7f4a_7c15 ^ (w as u64 + 1);
                for round in 0..50 {
                    let id = &mine[round % mine.len()];
                    // Marks, stars, tags and notes in turn.
                    let what = ["mark", "star", "tag", "note"][round % 4];
                    let mut c = cmd(home);
                    match what {
                        "tag" => c.args(["tag", id, &format!("t{w}")]).arg("--").arg(dir),
                        "note" => c.args(["note", id, &format!("note {w}")]).arg(dir),
                        _ => c.args([what, id]).arg(dir),
                    };
                    let mut child = c.stdout(Stdio::piped()).spawn().unwrap();
                    // Killed at a random moment of its run, or left to finish.
                    let kill_after = Duration::from_millis(next(&mut seed) % 60);
                    if !next(&mut seed).is_multiple_of(3) {
                        std::thread::sleep(kill_after);
                        let _ = child.kill();
                    }
                    let out = child.wait_with_output().unwrap();
                    if out.status.success() && !out.stdout.is_empty() {
                        confirmed.lock().unwrap().push((what, w, id.clone()));
                    }
                }
            });
        }
    });
    let confirmed = confirmed.into_inner().unwrap();
    assert!(!confirmed.is_empty(), "some runs finished");
    let path = home.path().join("data/newsroom/user.sqlite");
    let (store, warning) = newsroom::core::store::UserStore::open(Some(path));
    assert!(warning.is_none(), "the store opens whole: {warning:?}");
    let kept = store.read_marks().unwrap();
    let user = store.articles().unwrap();
    for (what, w, id) in &confirmed {
        let ok = match *what {
            "mark" => kept.contains(id),
            "star" => user.get(id).is_some_and(|u| u.star),
            "tag" => user.get(id).is_some_and(|u| u.tags.contains(&format!("t{w}"))),
            _ => user.get(id).is_some_and(|u| u.note.as_ref().is_some_and(|n| n.starts_with("note "))),
        };
        assert!(ok, "a confirmed {what} of {id} was lost");
    }
    assert!(cmd(home.path()).arg("mark").arg(&all[0]).arg(&dir).output().unwrap().status.success());
}

#[test]
fn an_interrupted_cold_ingest_leaves_nothing_behind() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("news");
    newsroom::core::generate::write_collection(&dir, 1500, 4).unwrap();
    let cache = home.path().join("cache/newsroom");
    let writing = |cache: &Path| {
        std::fs::read_dir(cache)
            .map(|d| d.filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(".writing-")).count())
            .unwrap_or(0)
    };
    let mut child = cmd(home.path()).arg("list").arg(&dir).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let start = Instant::now();
    while writing(&cache) == 0 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let out = cmd(home.path()).args(["list", "--format", "json"]).arg(&dir).output().unwrap();
    assert!(out.status.success());
    assert_eq!(writing(&cache), 0, "the killed run's half-written cache is gone");
    let fresh = cmd(home.path()).args(["list", "--format", "json", "--no-cache"]).arg(&dir).output().unwrap();
    assert_eq!(out.stdout, fresh.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_articles_is_reported_not_waited_on() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("news");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("good.txt"), "A good headline\n\nThe good article has a body. It reads well.").unwrap();
    let fifo = dir.join("pipe.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut child =
        cmd(home.path()).arg("list").arg(&dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "the load hangs on the FIFO");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("A good headline"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pipe.txt: not a regular file"));
    // Named directly, too.
    let out = cmd(home.path()).arg("list").arg(&fifo).arg(dir.join("good.txt")).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}

/// A file unreadable when the cache first saw it is read once it is fixed, though its size and
/// times did not change. Permissions do not stop root, so as root the binary runs as `nobody`.
#[cfg(unix)]
#[test]
fn a_file_unreadable_when_cached_is_read_once_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let root = unsafe { libc::geteuid() } == 0;
    let setpriv = Path::new("/usr/bin/setpriv");
    if root && !setpriv.exists() {
        eprintln!("skipped: running as root without setpriv to drop privileges");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let dir = home.path().join("news");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "First headline\n\nKabul is in this story. It is short.").unwrap();
    std::fs::write(dir.join("b.txt"), "Second headline\n\nPeshawar is in this one. Also short.").unwrap();
    for d in [home.path().to_path_buf(), dir.clone()] {
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let locked = dir.join("b.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let list = || {
        let mut c = if root {
            let mut c = Command::new(setpriv);
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_newsroom")]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_newsroom"))
        };
        c.env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .arg("list")
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let first = list();
    assert!(String::from_utf8_lossy(&first.stderr).contains("permission denied"), "{first:?}");
    assert!(!String::from_utf8_lossy(&first.stdout).contains("Second headline"));
    // The cache now holds the failure; the fix changes neither size nor modification time.
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    let second = list();
    assert!(String::from_utf8_lossy(&second.stdout).contains("Second headline"), "{second:?}");
    assert!(!String::from_utf8_lossy(&second.stderr).contains("permission denied"));
}
