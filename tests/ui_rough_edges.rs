//! The rough edges a new user hit, each on the screen (ratatui's TestBackend, at 80×24 and
//! 160×50, after real key presses): dates in the list, the sort shown, cuts with an ellipsis,
//! counts in the right number, the reader's header under a derived title, the place in an
//! article kept (this run and the next), and `]` not marking what it passes as read.

use std::collections::HashSet;
use std::sync::Arc;

use crossterm::event::KeyCode;
use newsroom::app::user::Effect;
use newsroom::app::{Action, App, Pane};
use newsroom::core::article::Article;
use newsroom::core::corpus::Corpus;
use newsroom::core::store::UserStore;
use newsroom::ui::theme::{ColorMode, Theme};

#[path = "support/browser.rs"]
mod browser;
use browser::{act, app, bundled, keys, typed};

fn screen(app: &App) -> String {
    browser::text(&browser::render(app, &Theme::new(ColorMode::None)))
}

/// The list pane's columns of each line (it is the leftmost pane).
fn list_pane(app: &App, screen: &str) -> Vec<String> {
    let w = usize::from(app.layout().list.expect("the list is shown").width);
    screen.lines().map(|l| l.chars().take(w).collect()).collect()
}

#[test]
fn the_list_shows_dates_and_its_sort_at_80x24_and_160x50() {
    for (w, h) in [(80, 24), (160, 50)] {
        let app = app(w, h);
        let s = screen(&app);
        let list = list_pane(&app, &s);
        assert!(list[0].contains("by date"), "the sort is shown at {w}×{h}:\n{s}");
        let dated = list.iter().filter(|l| l.contains("2023-12-13")).count();
        assert_eq!(dated, 1, "the dated article shows its date at {w}×{h}:\n{s}");
        // Titles are cut (with an ellipsis) before the date is dropped.
        assert!(list.iter().any(|l| l.contains('…')), "{s}");
        insta::assert_snapshot!(format!("list_dates_{w}x{h}"), s);
    }
    // `o` changes the sort, and the title says so.
    let mut app = app(80, 24);
    typed(&mut app, "o");
    let s = screen(&app);
    assert!(list_pane(&app, &s)[0].contains(&format!("by {}", app.sort.name())), "{s}");
    assert_ne!(app.sort.name(), "date");
}

#[test]
fn a_cut_title_or_prompt_ends_in_an_ellipsis() {
    let mut app = app(80, 24);
    // An entity filter's name in the breadcrumb is longer than the pane.
    typed(&mut app, "e");
    typed(&mut app, "tehreek");
    keys(&mut app, &[KeyCode::Enter]);
    while app.focus != Pane::Sidebar {
        keys(&mut app, &[KeyCode::Tab]);
    }
    keys(&mut app, &[KeyCode::Enter]);
    let s = screen(&app);
    let top = &list_pane(&app, &s)[0];
    assert!(top.contains('›'), "the breadcrumb is in the title: {top}");
    assert!(top.contains("…"), "cut with an ellipsis, not mid-word: {top}");
    insta::assert_snapshot!("breadcrumb_cut_80x24", s);

    // A filter prompt longer than the list: its count is cut with an ellipsis too.
    let mut app = self::app(80, 24);
    typed(&mut app, "fpakistan");
    let s = screen(&app);
    let prompt = &list_pane(&app, &s)[1];
    assert!(prompt.contains("filter› pakistan"), "{prompt}");
    assert!(prompt.contains("matches") || prompt.trim_end_matches('│').trim_end().ends_with('…'), "{prompt}");
    let mut app = self::app(160, 50);
    typed(&mut app, "fpakistan");
    assert!(screen(&app).contains(&format!("  {} matches", app.rows.len())));
    let mut one = self::app(160, 50);
    typed(&mut one, "ftaliban talks");
    assert_eq!(one.rows.len(), 1);
    let s = screen(&one);
    assert!(s.contains("1 match") && !s.contains("1 matches"), "{s}");
}

#[test]
fn counts_are_in_the_right_number() {
    let article = Article {
        id: "a1".into(),
        path: "one.txt".into(),
        title: "Ferry service to Grimsøy restored after storm".into(),
        title_derived: false,
        deck: None,
        date: Some("2024-03-16".into()),
        author: None,
        author_note: None,
        url: None,
        tags: vec![],
        paragraphs: vec!["The ferry to Grimsøy sailed again on Saturday.".into()],
        body: "The ferry to Grimsøy sailed again on Saturday.".into(),
    };
    let mut app = App::new(Arc::new(Corpus::build(vec![article])), HashSet::new());
    act(&mut app, Action::Resize(80, 24));
    let s = screen(&app);
    let status = s.lines().last().unwrap();
    assert!(status.contains("1 article ·") && !status.contains("1 articles"), "{status}");
}

#[test]
fn the_entity_prompt_says_articles_where_there_is_room() {
    let mut wide = app(160, 50);
    typed(&mut wide, "e");
    typed(&mut wide, "taliban");
    let s = screen(&wide);
    assert!(s.contains(" articles") && !s.contains(" art."), "{s}");
    insta::assert_snapshot!("entity_prompt_160x50", s);
}

#[test]
fn the_reader_header_never_says_untitled_under_a_title() {
    for (w, h) in [(80, 24), (160, 50)] {
        let app = app(w, h);
        let current = app.current.expect("an article is shown");
        assert!(app.corpus.articles[current].title_derived, "the first article has a derived title");
        let s = screen(&app);
        assert!(!s.contains("untitled"), "{s}");
        assert!(s.contains("title from the text"), "{s}");
    }
}

#[test]
fn passing_articles_with_bracket_marks_none_read_and_enter_marks_one() {
    let mut app = app(160, 50);
    typed(&mut app, "e");
    typed(&mut app, "TTP");
    keys(&mut app, &[KeyCode::Enter]);
    let mut seen = HashSet::new();
    for _ in 0..60 {
        typed(&mut app, "]");
        seen.insert(app.current.unwrap());
    }
    assert!(seen.len() >= 3, "] went through several articles: {seen:?}");
    assert!(app.read.is_empty(), "passing through is not reading: {:?}", app.read);
    assert!(!app.read_dirty);
    while app.focus != Pane::List {
        keys(&mut app, &[KeyCode::Tab]);
    }
    keys(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.read.len(), 1, "the article opened with Enter is read");
}

#[test]
fn the_place_in_an_article_is_kept_when_switching_away_and_back() {
    let mut app = app(80, 24);
    keys(&mut app, &[KeyCode::Enter]);
    let first = app.current.unwrap();
    keys(&mut app, &[KeyCode::Char(' '), KeyCode::Char(' ')]);
    let place = app.scroll;
    assert!(place > 0);
    // Back to the list, to another article, and back to the first.
    while app.focus != Pane::List {
        keys(&mut app, &[KeyCode::Tab]);
    }
    keys(&mut app, &[KeyCode::Char('j')]);
    assert_ne!(app.current, Some(first));
    assert_eq!(app.scroll, 0, "another article starts at its top");
    keys(&mut app, &[KeyCode::Char('k')]);
    assert_eq!(app.current, Some(first));
    assert_eq!(app.scroll, place, "back where the reader was");
}

#[test]
fn the_last_article_is_reopened_at_its_place_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    let (opened, place) = {
        let mut app = app(80, 24);
        keys(&mut app, &[KeyCode::Char('j'), KeyCode::Char('j'), KeyCode::Enter]);
        keys(&mut app, &[KeyCode::Char(' ')]);
        let opened = app.corpus.articles[app.current.unwrap()].id.clone();
        let place = app.scroll;
        assert!(place > 0);
        typed(&mut app, "q");
        assert!(app.quit);
        // What the shell writes to the store.
        let (mut store, _) = UserStore::open(Some(path.clone()));
        for e in app.user.take_effects() {
            if let Effect::Position { article, byte } = e {
                store.set_position(&article, byte).unwrap();
            }
        }
        (opened, place)
    };
    // The next start: the store's positions, then the collection arrives.
    let (store, _) = UserStore::open(Some(path));
    let mut app = App::loading(HashSet::new());
    (app.user.positions, app.user.last_article) = store.positions().unwrap();
    act(&mut app, Action::Resize(80, 24));
    act(&mut app, Action::Loaded(bundled(), None));
    let current = app.current.expect("an article is open");
    assert_eq!(app.corpus.articles[current].id, opened, "the article read last is reopened");
    assert_eq!(app.rows[app.selected] as usize, current, "and selected in the list");
    assert_eq!(app.scroll, place, "at the same place");
    assert!(app.read.is_empty() || app.read.contains(&opened));
}
