//! The whole screen through ratatui's TestBackend, at 120×40 and 80×24, after real key presses.

use std::collections::HashSet;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use newsroom::app::{Action, App};
use newsroom::core::cache::open_bundled;
use newsroom::core::corpus::Corpus;
use newsroom::core::extract::Kind;
use newsroom::core::ingest::LoadOptions;
use newsroom::ui::theme::{ColorMode, Theme};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

#[path = "support/browser.rs"]
mod browser;
use browser::{act, app, keys, text, typed};

fn render(app: &App, mode: ColorMode) -> Buffer {
    browser::render(app, &Theme::new(mode))
}

#[test]
fn start_screen_120x40() {
    let app = app(120, 40);
    insta::assert_snapshot!("start_120x40", text(&render(&app, ColorMode::None)));
}

#[test]
fn start_screen_80x24_has_list_and_reader() {
    let app = app(80, 24);
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("Articles 5/5") && screen.contains("Reader") && !screen.contains("Entities"));
    insta::assert_snapshot!("start_80x24", screen);
}

#[test]
fn entity_jump_and_details_120x40() {
    let mut app = app(120, 40);
    typed(&mut app, "e");
    typed(&mut app, "tehreek");
    insta::assert_snapshot!("entity_prompt_120x40", text(&render(&app, ColorMode::None)));
    keys(&mut app, &[KeyCode::Enter, KeyCode::Tab, KeyCode::Char('a')]);
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("acronym definition") && screen.contains("variant spelling"), "{screen}");
    insta::assert_snapshot!("entity_details_120x40", screen);
}

#[test]
fn filter_prompt_80x24() {
    let mut app = app(80, 24);
    typed(&mut app, "ftaliban");
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("filter› taliban") && screen.contains("1 match"));
    insta::assert_snapshot!("filter_80x24", screen);
}

#[test]
fn help_lists_every_key_of_the_keymap() {
    let mut app = app(100, 120);
    typed(&mut app, "?");
    let screen = text(&render(&app, ColorMode::None));
    let keymap = newsroom::app::keymap::Keymap::default();
    for scope in newsroom::app::keymap::Scope::ALL {
        for (keys, help) in keymap.help_rows(scope) {
            assert!(screen.contains(help), "{help} missing");
            assert!(screen.contains(&keys), "{keys} missing");
        }
    }
    let mut small = self::app(80, 24);
    typed(&mut small, "?");
    insta::assert_snapshot!("help_80x24", text(&render(&small, ColorMode::None)));
}

#[test]
fn sidebar_at_80x24_replaces_the_list() {
    let mut app = app(80, 24);
    typed(&mut app, "s");
    typed(&mut app, "s");
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("Entities") && screen.contains("Reader") && !screen.contains("Articles"));
}

/// Cells of the body text where `word` is drawn.
fn cells_of(buffer: &Buffer, word: &str) -> Vec<(u16, u16)> {
    let area = buffer.area;
    let mut hits = Vec::new();
    for y in 0..area.height {
        let row: Vec<&str> = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        let line: String = row.concat();
        if let Some(byte) = line.find(word) {
            let col = line[..byte].chars().count() as u16;
            hits.push((col, y));
        }
    }
    hits
}

#[test]
fn mentions_show_by_attribute_without_colour() {
    let app = app(120, 40);
    let buffer = render(&app, ColorMode::None);
    let (x, y) = *cells_of(&buffer, "Asim Munir,").first().expect("the reader shows Asim Munir");
    let cell = &buffer[(x, y)];
    assert!(cell.modifier.contains(Theme::kind_modifier(Kind::Person)));
    assert_eq!(cell.fg, Color::Reset, "no colour when colour is off");
    let (x, y) = cells_of(&buffer, "Daraban area")[0];
    assert!(buffer[(x, y)].modifier.contains(Modifier::ITALIC), "places are italic");
    let coloured = render(&app, ColorMode::Ansi16);
    assert_ne!(coloured[(x, y)].fg, Color::Reset);
}

#[test]
fn selected_entity_mentions_are_reversed() {
    let mut app = app(120, 40);
    typed(&mut app, "e");
    typed(&mut app, "ttp");
    keys(&mut app, &[KeyCode::Enter]);
    let buffer = render(&app, ColorMode::None);
    let hits = cells_of(&buffer, "TTP");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|&(x, y)| buffer[(x, y)].modifier.contains(Modifier::REVERSED)));
}

#[test]
fn tiny_terminals_and_every_key_never_panic() {
    for (w, h) in [(1, 1), (10, 3), (20, 5), (45, 12), (59, 20), (61, 20), (119, 30), (300, 100)] {
        let mut app = app(w, h);
        for code in [KeyCode::Tab, KeyCode::Char('j'), KeyCode::Enter, KeyCode::Char('a'), KeyCode::Char('?')] {
            keys(&mut app, &[code]);
            render(&app, ColorMode::Ansi16);
        }
        typed(&mut app, "?e");
        typed(&mut app, "kabul");
        render(&app, ColorMode::TrueColor);
        keys(&mut app, &[KeyCode::Enter, KeyCode::Char(']'), KeyCode::Char('/')]);
        typed(&mut app, "the");
        render(&app, ColorMode::Ansi256);
    }
}

#[test]
fn an_empty_collection_shows_and_answers_keys() {
    let mut app = App::new(Arc::new(Corpus::default()), HashSet::new());
    act(&mut app, Action::Resize(80, 24));
    for c in "jkgG]][[fx".chars() {
        keys(&mut app, &[KeyCode::Char(c)]);
    }
    keys(
        &mut app,
        &[
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::Enter,
            KeyCode::Tab,
            KeyCode::Enter,
            KeyCode::Char('a'),
            KeyCode::Char('e'),
        ],
    );
    typed(&mut app, "zzz");
    keys(&mut app, &[KeyCode::Enter]);
    while app.focus != newsroom::app::Pane::List {
        keys(&mut app, &[KeyCode::Tab]);
    }
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("Articles 0/0") && screen.contains("no article matches"), "{screen}");
}

#[test]
fn a_mixed_folder_reads_in_the_browser() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed");
    let (corpus, _) = newsroom::core::cache::open_collection(
        &[dir],
        &LoadOptions::default(),
        &newsroom::core::cache::CacheMode::Off,
        &|_, _| {},
    );
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    act(&mut app, Action::Resize(160, 50));
    typed(&mut app, "fRhine flood");
    keys(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("Rhine flood barrier holds"), "{screen}");
    assert!(screen.contains("mobile flood barrier held overnight"), "the page's text in the reader:\n{screen}");
    assert!(screen.contains("Cologne"), "{screen}");
    assert!(!screen.contains("cookie") && !screen.contains('<'), "{screen}");
}

#[test]
fn sidebar_shows_a_corrected_entity_with_its_provenance() {
    use newsroom::core::corrections::{Correction, Corrections, Op};
    let merge = Correction {
        id: 1,
        op: Op::Merge,
        kind: None,
        name: "Taliban".into(),
        target: Some("Afghan Taliban".into()),
        date: "2026-11-22".into(),
    };
    let opts = LoadOptions { corrections: Corrections::new(vec![merge]), ..LoadOptions::default() };
    let corpus = open_bundled(&opts).0;
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    act(&mut app, Action::Resize(120, 40));
    typed(&mut app, "e");
    typed(&mut app, "taliban");
    keys(&mut app, &[KeyCode::Enter, KeyCode::Tab, KeyCode::Char('a')]);
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("merged by you") && screen.contains("on 2026-11-22"), "{screen}");
    insta::assert_snapshot!("sidebar_corrected_120x40", screen);
}

#[test]
fn notes_view_lists_notes_and_highlights() {
    let mut app = app(100, 30);
    keys(&mut app, &[KeyCode::Char('*')]);
    typed(&mut app, "tfollow-up");
    keys(&mut app, &[KeyCode::Enter]);
    typed(&mut app, "mAsk PICSS for the raw figures.");
    keys(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
    typed(&mut app, "vjj");
    typed(&mut app, "Hthe key claim");
    keys(&mut app, &[KeyCode::Enter]);
    let reader = text(&render(&app, ColorMode::None));
    typed(&mut app, "w");
    let screen = text(&render(&app, ColorMode::None));
    assert!(
        screen.contains("Your notes") && screen.contains("Ask PICSS") && screen.contains("the key claim"),
        "{screen}"
    );
    assert!(screen.contains("#follow-up") && screen.contains("★"), "{screen}");
    assert!(!reader.contains("Your notes"));
    insta::assert_snapshot!("notes_view_100x30", screen);
}

#[test]
fn search_results_show_date_title_and_a_snippet_with_the_hits_highlighted() {
    let mut app = app(120, 40);
    for c in "/mosque".chars() {
        act(&mut app, Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    app.run_pending_search();
    browser::settle(&mut app);
    let buffer = render(&app, ColorMode::Ansi256);
    let screen = text(&buffer);
    assert!(screen.contains("search› mosque"), "{screen}");
    // Every "mosque" in the list pane's snippet lines is drawn highlighted.
    let list_w = app.layout().list.unwrap().width;
    let mut highlighted = 0;
    for y in 0..buffer.area.height {
        let row: String = (0..list_w).map(|x| buffer[(x, y)].symbol().to_string()).collect();
        if let Some(at) = row.to_lowercase().find("mosque").filter(|_| row.starts_with("│    ")) {
            let x = row[..at].chars().count() as u16;
            let cell = &buffer[(x, y)];
            assert!(cell.modifier.contains(Modifier::UNDERLINED), "the hit at row {y} is highlighted");
            highlighted += 1;
        }
    }
    assert!(highlighted > 0, "{screen}");
    // The time a search took varies from run to run (and so does the padding after it, one
    // space fewer per digit): the snapshot shows it as "N ms" and two spaces.
    let shown = text(&render(&app, ColorMode::None));
    let at = shown.find(" ms ").expect("the status bar shows the search's time");
    let digits = shown[..at].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let steady = format!("{}N ms  {}", &shown[..digits], shown[at + 3..].trim_start_matches(' '));
    insta::assert_snapshot!("search_results_120x40", steady);
}

#[test]
fn timeline_view_by_month_filters_the_list_120x40() {
    let mut app = app(120, 40);
    typed(&mut app, "T");
    assert!(app.timeline.open);
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains("Timeline of the collection") && screen.contains("Events of the list"), "{screen}");
    insta::assert_snapshot!("timeline_120x40", screen);
    // Enter on the selected month filters the list to it; Esc pops the filter.
    let label = app.timeline.chart.bars[app.timeline.selected].label.clone();
    keys(&mut app, &[KeyCode::Enter]);
    assert!(!app.timeline.open);
    assert_eq!(app.breadcrumb(), vec![label]);
    assert!(app.rows.len() < 5 && !app.rows.is_empty());
    keys(&mut app, &[KeyCode::Esc]);
    assert_eq!(app.rows.len(), 5);
}

#[test]
fn the_selected_period_of_the_timeline_is_drawn_at_80_columns() {
    let mut app = app(80, 24);
    typed(&mut app, "T");
    let label = app.timeline.chart.bars[app.timeline.selected].label.clone();
    let screen = text(&render(&app, ColorMode::None));
    // Months are labelled "23-12" under their bars.
    assert!(screen.contains(&label[2..]), "{label} is not on screen:\n{screen}");
}

#[test]
fn an_event_in_the_timeline_opens_its_source_sentence() {
    let mut app = app(120, 40);
    typed(&mut app, "T");
    assert!(!app.timeline.events.is_empty());
    keys(&mut app, &[KeyCode::Tab, KeyCode::Enter]);
    let event = &app.timeline.events[0];
    let source = event.sources[0];
    assert_eq!(app.current, Some(source.article as usize));
    assert_eq!(app.focus, newsroom::app::Pane::Reader);
    // The reader's top line is the one holding the sentence's first byte.
    assert_eq!(newsroom::app::reader::line_of(&app.lines, source.start as usize), Some(app.scroll));
    let body = app.view.as_ref().unwrap().text.body.clone();
    let first_word = body[source.start as usize..].split_whitespace().next().unwrap().to_string();
    let screen = text(&render(&app, ColorMode::None));
    assert!(screen.contains(&first_word), "the source sentence {first_word:?} is on screen:\n{screen}");
}
