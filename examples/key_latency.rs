//! Keystroke → drawn frame latency of the real browser in a pseudo-terminal, as a user over
//! SSH would feel it: each key is timestamped as it is written to the pty, and the frame it
//! causes as its end (the synchronized-output end marker, `ESC [ ? 2026 l`) is read back.
//!
//!     cargo build --release && cargo run --release --example key_latency [-- COLS ROWS [PATHS…]]
//!
//! With no paths it opens the bundled corpus. It measures list moves (`j`/`k`, each previews
//! the next article) and typing at the filter prompt (`f`, then letters and Backspace: every
//! letter ranks the whole collection), and prints p50 / p95 / max of each. The binary is
//! `newsroom` beside this example's folder (`target/release/newsroom`), or `$NEWSROOM_BIN`.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

const END: &[u8] = b"\x1b[?2026l";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cols: u16 = args.first().and_then(|a| a.parse().ok()).unwrap_or(160);
    let rows: u16 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let paths: Vec<&String> = args.iter().skip(2).collect();
    let bin = std::env::var("NEWSROOM_BIN").map(std::path::PathBuf::from).unwrap_or_else(|_| {
        let exe = std::env::current_exe().expect("own path");
        exe.parent().and_then(|p| p.parent()).expect("target folder").join("newsroom")
    });
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let mut cmd = CommandBuilder::new(&bin);
    for p in &paths {
        cmd.arg(p.as_str());
    }
    cmd.env("TERM", "xterm-256color");
    for var in ["XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME"] {
        if let Ok(v) = std::env::var(var) {
            cmd.env(var, v);
        }
    }
    let mut child = pair.slave.spawn_command(cmd).expect("spawn newsroom");
    drop(pair.slave);
    // Frame ends, as the reader thread sees them.
    let frames: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let screen: Arc<Mutex<Vec<u8>>> = Arc::default();
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let (f, sc) = (Arc::clone(&frames), Arc::clone(&screen));
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        let mut tail: Vec<u8> = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let now = Instant::now();
            tail.extend_from_slice(&buf[..n]);
            let ends = tail.windows(END.len()).filter(|w| *w == END).count();
            if ends > 0 {
                let mut frames = f.lock().unwrap();
                frames.extend(std::iter::repeat_n(now, ends));
            }
            let keep = tail.len().saturating_sub(END.len() - 1);
            sc.lock().unwrap().extend_from_slice(&tail[..keep]);
            tail.drain(..keep);
        }
    });
    let mut writer = pair.master.take_writer().expect("a writer");
    // Ready when the list has been drawn and the loader has gone quiet.
    let started = Instant::now();
    loop {
        let text = String::from_utf8_lossy(&screen.lock().unwrap()).to_string();
        // The counts come back to the status bar once the files have been checked.
        let after = text.rfind("checking the collection").map_or(&text[..], |i| &text[i..]);
        if text.contains("Articles") && after.contains(" shown") {
            break;
        }
        if started.elapsed() > Duration::from_secs(300) {
            panic!("the browser never showed its list");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    settle(&frames, Duration::from_millis(1500));
    eprintln!("ready after {:.1} s", started.elapsed().as_secs_f64());

    let mut key = |k: &[u8]| -> Option<Duration> {
        settle(&frames, Duration::from_millis(60));
        let before = frames.lock().unwrap().len();
        let t0 = Instant::now();
        writer.write_all(k).unwrap();
        writer.flush().unwrap();
        let deadline = t0 + Duration::from_secs(5);
        while Instant::now() < deadline {
            {
                let frames = frames.lock().unwrap();
                if frames.len() > before {
                    return Some(frames[before].saturating_duration_since(t0));
                }
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        None
    };
    let mut moves = Vec::new();
    for i in 0..60 {
        moves.extend(key(if i % 3 == 2 { b"k" } else { b"j" }));
    }
    let mut typing = Vec::new();
    key(b"f");
    for word in ["taliban", "pakistan", "karachi", "security", "border"] {
        for c in word.bytes() {
            typing.extend(key(&[c]));
        }
        for _ in 0..word.len() {
            typing.extend(key(b"\x7f"));
        }
    }
    key(b"\x1b");
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let _ = child.wait();
    report("list move (j/k)", moves);
    report("filter letter", typing);
}

/// Waits until no frame has come for `quiet`.
fn settle(frames: &Arc<Mutex<Vec<Instant>>>, quiet: Duration) {
    let limit = Instant::now() + Duration::from_secs(30);
    loop {
        let last = frames.lock().unwrap().last().copied();
        if last.is_none_or(|t| t.elapsed() >= quiet) || Instant::now() > limit {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn report(what: &str, mut times: Vec<Duration>) {
    if times.is_empty() {
        println!("{what}: no frames");
        return;
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    println!("{what}: n={} p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms", times.len(), at(0.5), at(0.95), at(1.0));
}
