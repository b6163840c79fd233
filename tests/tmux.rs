//! The real binary inside tmux, where users over SSH run it: at 80×24 and 160×50, with
//! `TERM=xterm-256color`, `TERM=screen` and `NO_COLOR=1`, the list shows dates and its sort,
//! the status bar offers help, keys move, help fits the screen, colour shows only where it may,
//! and quitting leaves the terminal as it was; `y` puts the title in tmux's buffer (OSC 52 with
//! `set-clipboard on`); Ctrl-Z suspends to the shell and `fg` draws the browser again.
//! Without tmux these tests say so and pass, except in CI (`CI` set), where that is a failure;
//! `.ci/run` installs tmux when it is missing.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of this test's own (its own socket, no config file), killed when dropped.
struct Tmux {
    socket: String,
    home: tempfile::TempDir,
}

/// Whether tmux can be run here; without it outside CI, the reason is printed.
fn have_tmux() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(found || !in_ci, "tmux is needed in CI (.ci/run installs it)");
    if !found {
        eprintln!("skipped: tmux is not installed");
    }
    found
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let socket = format!("newsroom-test-{}-{name}", std::process::id());
        Tmux { socket, home: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").args(["-L", &self.socket, "-f", "/dev/null"]).args(args).output().expect("tmux runs")
    }

    /// Starts `command` in a detached window of `w`×`h` that stays after it ends.
    fn start(&self, w: u16, h: u16, command: &str) {
        let out = self.run(&["new-session", "-d", "-s", "t", "-x", &w.to_string(), "-y", &h.to_string(), command]);
        assert!(out.status.success(), "tmux new-session: {}", String::from_utf8_lossy(&out.stderr));
        self.run(&["set-option", "-g", "remain-on-exit", "on"]);
    }

    /// The browser with its own config, cache and data folders, and this environment.
    fn newsroom(&self, env: &str) -> String {
        let h = self.home.path().display();
        format!(
            "env XDG_CONFIG_HOME={h}/config XDG_CACHE_HOME={h}/cache XDG_DATA_HOME={h}/data {env} {}",
            env!("CARGO_BIN_EXE_newsroom")
        )
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen with its attributes and colours as escape sequences.
    fn screen_styled(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-e", "-t", "t"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", "t", format]).stdout).trim().to_string()
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&Tmux) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{what} never happened; screen:\n{}", self.screen());
    }

    fn wait_for_text(&self, text: &str) {
        self.wait_for(&format!("{text:?} on screen"), |t| t.screen().contains(text));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// The SGR parameter lists of a styled capture that set a colour (foreground or background).
fn colour_codes(styled: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in styled.split("\x1b[").skip(1) {
        let Some(end) = part.find('m') else { continue };
        let params = &part[..end];
        if !params.bytes().all(|b| b.is_ascii_digit() || b == b';') {
            continue;
        }
        let colour = params
            .split(';')
            .any(|p| matches!(p.parse::<u16>(), Ok(30..=37 | 38 | 40..=47 | 48 | 90..=97 | 100..=107)));
        if colour {
            found.push(params.to_string());
        }
    }
    found
}

#[test]
fn the_browser_holds_at_80x24_and_160x50_with_each_terminal() {
    if !have_tmux() {
        return;
    }
    for (w, h) in [(80u16, 24u16), (160, 50)] {
        for env in ["TERM=xterm-256color", "TERM=screen", "TERM=xterm-256color NO_COLOR=1"] {
            let case = format!("{w}x{h} {env}");
            let tmux = Tmux::new(&format!("{w}-{}", env.len()));
            tmux.start(w, h, &tmux.newsroom(env));
            tmux.wait_for_text("Articles 5/5 by date");
            tmux.wait_for_text("2023-12-13");
            // A first frame arrives in several writes: wait for its last line.
            tmux.wait_for("the status line", |t| t.screen().lines().last().is_some_and(|l| l.contains("? help")));
            let screen = tmux.screen();
            let lines: Vec<&str> = screen.lines().collect();
            assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(*l) <= usize::from(w)), "{case}");
            let status = lines.iter().rev().find(|l| !l.trim().is_empty()).unwrap();
            assert!(status.contains("? help") && status.contains("5 articles"), "{case}: {status}");
            assert!(!screen.contains("untitled"), "{case}:\n{screen}");

            let colours = colour_codes(&tmux.screen_styled());
            if env.contains("NO_COLOR") {
                assert!(colours.is_empty(), "{case}: colour under NO_COLOR: {colours:?}");
            } else {
                assert!(!colours.is_empty(), "{case}: no colour at all");
            }

            // The help overlay fits the screen, and any key closes it.
            tmux.keys(&["?"]);
            tmux.wait_for_text(" Keys — ");
            let help = tmux.screen();
            assert!(help.lines().count() <= usize::from(h), "{case}");
            assert!(help.contains("quit"), "{case}: help names the keys:\n{help}");
            tmux.keys(&["Escape"]);
            tmux.wait_for("help closed", |t| !t.screen().contains(" Keys — "));

            // j previews the next article in the reader.
            let reader_before = tmux.screen().lines().nth(1).unwrap_or("").to_string();
            tmux.keys(&["j"]);
            tmux.wait_for("the reader follows j", |t| t.screen().lines().nth(1).unwrap_or("") != reader_before);

            // q quits: the program ends and the terminal is off the alternate screen.
            tmux.keys(&["q"]);
            tmux.wait_for("newsroom ends", |t| t.display("#{pane_dead}") == "1");
            let status = tmux.display("#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}");
            assert!(matches!(status.as_str(), "1:0:" | "1::"), "{case}: ended with {status}");
            assert_eq!(tmux.display("#{alternate_on}"), "0", "{case}: still on the alternate screen");
        }
    }
}

#[test]
fn y_in_tmux_puts_the_articles_title_in_its_buffer() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::new("osc52");
    tmux.start(100, 30, &tmux.newsroom("TERM=screen"));
    tmux.run(&["set-option", "-g", "set-clipboard", "on"]);
    tmux.wait_for_text("Articles 5/5");
    tmux.keys(&["y"]);
    tmux.wait_for("a buffer", |t| t.run(&["show-buffer"]).status.success());
    let buffer = String::from_utf8_lossy(&tmux.run(&["show-buffer"]).stdout).into_owned();
    assert!(buffer.starts_with("The recent militant assault on security forces"), "{buffer:?}");
    assert!(!buffer.contains('\x1b'), "the copy is sanitised");
    tmux.keys(&["q"]);
}

#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_draws_the_browser_again() {
    if !have_tmux() {
        return;
    }
    let tmux = Tmux::new("suspend");
    tmux.start(100, 30, "env PS1='$ ' sh -i");
    tmux.wait_for_text("$");
    tmux.keys(&[&tmux.newsroom("TERM=screen"), "Enter"]);
    tmux.wait_for_text("Articles 5/5");
    tmux.keys(&["C-z"]);
    tmux.wait_for("the shell is back", |t| !t.screen().contains("Articles 5/5"));
    assert_eq!(tmux.display("#{alternate_on}"), "0", "suspended off the alternate screen");
    tmux.keys(&["fg", "Enter"]);
    tmux.wait_for_text("Articles 5/5");
    tmux.keys(&["j"]);
    tmux.wait_for_text("Articles 5/5");
    tmux.keys(&["q"]);
    tmux.wait_for("the shell prompt", |t| t.display("#{alternate_on}") == "0" && !t.screen().contains("Articles"));
}
