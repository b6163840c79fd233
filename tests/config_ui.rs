//! A config file's keys and colours reach the screen: `?` help shows the keys as remapped,
//! the remapped keys move, a colour role colours what it names, and the status bar keeps its
//! message apart from the key hints (TestBackend, real key presses).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use newsroom::app::{Action, App};
use newsroom::core::cache::open_bundled;
use newsroom::core::ingest::LoadOptions;
use newsroom::core::settings::{Flags, Settings};
use newsroom::ui::theme::Theme;
use ratatui::style::Color;

const CONFIG: &str = "color = \"256\"\n[keys.everywhere]\nj = \"up\"\nk = \"down\"\n[theme]\nperson = \"#ff0000\"\n";

fn configured(config: &str, w: u16, h: u16) -> (App, Theme, Vec<String>) {
    let settings = Settings::from_parts(&Flags::default(), &|_| None, Some((Path::new("config.toml"), config)));
    let r = newsroom::cli_config::from_settings(settings);
    let corpus = open_bundled(&LoadOptions::default()).0;
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    app.keys = Arc::new(r.keys.clone());
    act(&mut app, Action::Resize(w, h));
    (app, r.theme, r.problems)
}

#[path = "support/browser.rs"]
mod browser;
use browser::{act, render, text};

fn press(app: &mut App, code: KeyCode) {
    browser::keys(app, &[code]);
}

#[test]
fn remapped_keys_move_and_show_in_help_and_a_colour_role_takes_effect() {
    let (mut app, theme, problems) = configured(CONFIG, 160, 50);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(theme.colors.iter().any(|c| c.is_some()), "{theme:?}");
    let persons = app
        .view
        .as_ref()
        .unwrap()
        .mentions
        .iter()
        .filter(|m| app.corpus.entity(m.entity).kind == newsroom::core::extract::Kind::Person)
        .count();
    assert!(persons > 0);
    // A person's name in the reader is drawn in the configured colour.
    let screen = render(&app, &theme);
    let red = (0..screen.area.height)
        .flat_map(|y| (0..screen.area.width).map(move |x| (x, y)))
        .filter(|&p| screen[p].fg == Color::Rgb(255, 0, 0))
        .count();
    let colours: std::collections::BTreeSet<String> = (0..screen.area.height)
        .flat_map(|y| (0..screen.area.width).map(move |x| (x, y)))
        .map(|p| format!("{:?}", screen[p].fg))
        .collect();
    assert!(red > 0, "no cell in the person colour: {colours:?}");
    press(&mut app, KeyCode::Char('k'));
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.selected, 2, "k is down now");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected, 1, "j is up now");
    press(&mut app, KeyCode::Char('?'));
    let help = text(&render(&app, &theme));
    assert!(help.contains("k Down") && help.contains("down a line or an item"), "{help}");
    assert!(help.contains("j Up") && help.contains("up a line or an item"), "{help}");
    assert!(help.contains("Keys — k/j scroll"), "{help}");
    // Keys that were bound but missing from help are there now.
    for k in ["C-f", "C-b", "C-d", "C-u", "F1", "h"] {
        assert!(help.split_whitespace().any(|w| w == k), "{k} missing from help:\n{help}");
    }
}

#[test]
fn without_a_config_file_j_is_down() {
    let (mut app, _, problems) = configured("", 120, 40);
    assert!(problems.is_empty());
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected, 1);
}

#[test]
fn a_bad_config_keeps_the_defaults_and_names_the_line() {
    let (mut app, _, problems) = configured("[keys.list]\nj = \"up\"\n[theme\n", 120, 40);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("config.toml:3:"), "{problems:?}");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.selected, 1, "defaults stand");
}

#[test]
fn the_status_bar_keeps_messages_apart_from_keys_and_always_offers_help() {
    for (w, h) in [(80, 24), (160, 50)] {
        let (mut app, theme, _) = configured("", w, h);
        let screen = text(&render(&app, &theme));
        let status = screen.lines().last().unwrap().to_string();
        assert!(status.contains("? help"), "{w}x{h}: {status}");
        act(&mut app, Action::Key(KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE)));
        app.message = Some("wrapped around: 5 articles mention a rather long entity name, Kabul".into());
        let status = text(&render(&app, &theme)).lines().last().unwrap().to_string();
        assert!(status.contains(" │ "), "{w}x{h}: no separator: {status}");
        assert!(status.trim_end().ends_with("? help"), "{w}x{h}: {status}");
        let message_end = status.find(" │ ").unwrap();
        assert!(!status[..message_end].contains("j/k"), "{status}");
    }
}

#[test]
fn the_help_overlay_stays_inside_the_panes() {
    for (w, h) in [(80, 24), (160, 50)] {
        let (mut app, theme, _) = configured("", w, h);
        let before = text(&render(&app, &theme));
        press(&mut app, KeyCode::Char('?'));
        let after = text(&render(&app, &theme));
        let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
        // The panes' top and bottom borders (and the status bar) are untouched by the overlay.
        let n = b.len();
        for row in [0, n - 2] {
            assert_eq!(a[row], b[row], "{w}x{h}: row {row} changed:\n{after}");
        }
        assert!(a[1].contains("Keys"), "{after}");
        // Its left and right borders stand inside the panes' borders.
        if w == 80 {
            assert!(a[5].starts_with('│') && a[5].chars().nth(1) == Some('│'), "{w}x{h}:\n{after}");
        }
    }
}
