//! Action → state: every key behaviour of the browser, without a terminal.

use super::*;
use crate::core::cache::open_bundled;
use crate::core::ingest::LoadOptions;

pub(super) fn app() -> App {
    let corpus = open_bundled(&LoadOptions::default()).0;
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    app.update(Action::Resize(160, 50));
    settle(&mut app);
    app
}

/// What the shell does after each batch of actions: reads what was asked for, ranks.
pub(super) fn settle(app: &mut App) {
    reads::perform(app);
    app.run_pending_job();
    reads::perform(app);
}

pub(super) fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub(super) fn key(app: &mut App, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.update(Action::Key(KeyEvent::new(code, mods)));
    settle(app);
}

fn ctrl(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    settle(app);
}

fn title(app: &App, row: usize) -> &str {
    &app.corpus.articles[app.rows[row] as usize].title
}

fn entity_named(app: &App, name: &str) -> u32 {
    app.corpus.index.find(name)[0]
}

#[test]
fn starts_on_the_list_with_every_article_and_the_first_previewed() {
    let app = app();
    assert_eq!(app.rows.len(), 5);
    assert_eq!(app.focus, Pane::List);
    assert_eq!(app.current, Some(app.rows[0] as usize));
    assert!(app.read.is_empty(), "previewing does not mark read");
    assert_eq!(title(&app, 0), "The recent militant assault on security forces in Dera Ismail Khan’s…", "dated first");
}

#[test]
fn j_k_g_and_shift_g_move_in_the_list_and_preview() {
    let mut app = app();
    press(&mut app, "j");
    assert_eq!(app.selected, 1);
    assert_eq!(app.current, Some(app.rows[1] as usize));
    press(&mut app, "G");
    assert_eq!(app.selected, 4);
    press(&mut app, "j");
    assert_eq!(app.selected, 4, "stops at the end");
    press(&mut app, "k");
    assert_eq!(app.selected, 3);
    press(&mut app, "g");
    assert_eq!(app.selected, 0);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected, 1);
}

#[test]
fn enter_opens_the_article_marks_it_read_and_focuses_the_reader() {
    let mut app = app();
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Reader);
    let id = &app.corpus.articles[app.rows[1] as usize].id;
    assert!(app.read.contains(id));
    assert!(app.read_dirty);
}

#[test]
fn capital_n_toggles_the_read_mark_in_the_list() {
    let mut app = app();
    press(&mut app, "N");
    assert_eq!(app.read.len(), 1);
    press(&mut app, "N");
    assert!(app.read.is_empty());
}

#[test]
fn o_cycles_the_sort() {
    let mut app = app();
    press(&mut app, "o");
    assert_eq!(app.sort, Sort::Title);
    assert_eq!(title(&app, 0), "Pakistan continues to face a persistent and multifaceted terrorism threat");
    press(&mut app, "o");
    assert_eq!(app.sort, Sort::Path);
    assert!(app.corpus.articles[app.rows[0] as usize].path.contains("000_"));
    press(&mut app, "o");
    assert_eq!(app.sort, Sort::Date);
}

#[test]
fn reader_scrolls_less_style() {
    let mut app = app();
    app.update(Action::Resize(80, 24));
    // the longest article
    press(&mut app, "o");
    press(&mut app, "o");
    press(&mut app, "G");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Reader);
    press(&mut app, "j");
    assert_eq!(app.scroll, 1);
    press(&mut app, " ");
    let (_, h) = app.reader_size();
    assert_eq!(app.scroll, 1 + h - 1);
    press(&mut app, "b");
    assert_eq!(app.scroll, 1);
    press(&mut app, "G");
    assert_eq!(app.scroll, app.lines.len() - h);
    press(&mut app, "g");
    assert_eq!(app.scroll, 0);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.scroll, h - 1);
}

#[test]
fn tab_cycles_focus_and_s_toggles_the_sidebar() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Reader);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Sidebar);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::List);
    app.update(Action::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)));
    assert_eq!(app.focus, Pane::Sidebar);
    assert!(app.layout().sidebar.is_some());
    press(&mut app, "s");
    assert!(!app.sidebar_wanted);
    assert_ne!(app.focus, Pane::Sidebar);
    assert!(app.layout().sidebar.is_none());
}

#[test]
fn layout_is_three_panes_when_wide_and_two_when_narrow() {
    let wide = layout(160, 50, Pane::List, true);
    assert!(wide.list.is_some() && wide.reader.is_some() && wide.sidebar.is_some());
    let narrow = layout(80, 24, Pane::List, true);
    assert!(narrow.list.is_some() && narrow.reader.is_some() && narrow.sidebar.is_none());
    let narrow_side = layout(80, 24, Pane::Sidebar, true);
    assert!(narrow_side.sidebar.is_some() && narrow_side.reader.is_some());
    let tiny = layout(40, 20, Pane::Reader, true);
    assert!(tiny.reader.is_some() && tiny.list.is_none() && tiny.sidebar.is_none());
}

#[test]
fn resizing_keeps_the_reading_place() {
    let mut app = app();
    key(&mut app, KeyCode::Enter);
    press(&mut app, "jjjjjj");
    let start = app.lines[app.scroll..]
        .iter()
        .find_map(|l| match l.kind {
            reader::LineKind::Body { start, .. } => Some(start),
            _ => None,
        })
        .unwrap();
    app.update(Action::Resize(80, 24));
    let line = line_of(&app.lines, start).unwrap();
    assert!(app.scroll <= line && line < app.scroll + app.reader_size().1);
}

#[test]
fn filtering_with_ttp_narrows_and_ranks_and_esc_restores() {
    let mut app = app();
    press(&mut app, "f");
    assert!(matches!(app.prompt, Some(Prompt { kind: PromptKind::Filter, .. })));
    press(&mut app, "security");
    assert_eq!(title(&app, 0), "Security failure in Pakistan");
    assert!(app.highlights.get(&app.rows[0]).is_some_and(|h| !h.is_empty()));
    for _ in 0..8 {
        key(&mut app, KeyCode::Backspace);
    }
    // Titles and authors only: the text is for search (`/`).
    press(&mut app, "taliban");
    let narrowed = app.rows.len();
    assert!((1..5).contains(&narrowed), "{narrowed}");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert_eq!(app.breadcrumb(), vec!["“taliban”".to_string()]);
    assert_eq!(app.rows.len(), narrowed);
    key(&mut app, KeyCode::Esc);
    assert!(app.filters.is_empty());
    assert_eq!(app.rows.len(), 5);
}

#[test]
fn esc_in_the_filter_prompt_cancels_it() {
    let mut app = app();
    press(&mut app, "fzzzzqqq");
    assert!(app.rows.is_empty());
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    assert_eq!(app.rows.len(), 5);
    ctrl(&mut app, 'c');
    assert!(app.quit, "Ctrl-C quits outside a prompt");
}

#[test]
fn ctrl_u_clears_the_prompt() {
    let mut app = app();
    press(&mut app, "fpesh");
    ctrl(&mut app, 'u');
    app.run_pending_job();
    assert_eq!(app.prompt.as_ref().unwrap().input, "");
    assert_eq!(app.rows.len(), 5);
}

#[test]
fn selecting_an_entity_in_the_sidebar_highlights_it_and_enter_filters_by_it() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Sidebar);
    press(&mut app, "j");
    let e = app.sidebar[1].0;
    assert_eq!(app.selected_entity, Some(e));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::List);
    assert_eq!(app.filters, vec![Filter::Entity(e)]);
    let expected = app.corpus.entity(e).articles;
    assert_eq!(app.rows.len(), expected);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.rows.len(), 5);
}

#[test]
fn sidebar_lists_entities_grouped_by_kind() {
    let app = app();
    let kinds: Vec<usize> = app
        .sidebar
        .iter()
        .map(|&(e, _)| KIND_ORDER.iter().position(|&k| k == app.corpus.entity(e).kind).unwrap())
        .collect();
    assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
}

#[test]
fn right_bracket_walks_every_ttp_mention_through_all_articles_and_wraps() {
    let mut app = app();
    press(&mut app, "e");
    press(&mut app, "tehreek");
    key(&mut app, KeyCode::Enter);
    let ttp = entity_named(&app, "TTP");
    assert_eq!(app.selected_entity, Some(ttp));
    let total = app.corpus.entity(ttp).mentions;
    let mut seen = HashSet::new();
    let mut articles = HashSet::new();
    seen.insert((app.current.unwrap(), app.mention_cursor.unwrap()));
    articles.insert(app.current.unwrap());
    for _ in 1..total {
        press(&mut app, "]");
        let (a, c) = (app.current.unwrap(), app.mention_cursor.unwrap());
        // the mention is on screen
        let (start, _) = app.mentions_of(a, ttp).nth(c).unwrap();
        let line = line_of(&app.lines, start).unwrap();
        assert!(app.scroll <= line && line < app.scroll + app.reader_size().1);
        seen.insert((a, c));
        articles.insert(a);
    }
    assert_eq!(seen.len(), total, "every mention visited once");
    assert_eq!(articles.len(), 5);
    press(&mut app, "]");
    assert!(app.message.as_deref().unwrap_or("").contains("wrapped"), "{:?}", app.message);
    assert_eq!(app.mention_cursor, Some(0));
    press(&mut app, "[");
    assert!(seen.contains(&(app.current.unwrap(), app.mention_cursor.unwrap())));
    let last_article = app.current;
    press(&mut app, "]");
    assert_ne!(app.current, last_article, "back over the wrap");
}

#[test]
fn left_bracket_goes_back_to_the_previous_article() {
    let mut app = app();
    press(&mut app, "e");
    press(&mut app, "kabul");
    key(&mut app, KeyCode::Enter);
    let first = app.current;
    press(&mut app, "[");
    press(&mut app, "[");
    press(&mut app, "[");
    press(&mut app, "[");
    assert_ne!(app.current, first);
}

#[test]
fn bracket_without_an_entity_explains_itself() {
    let mut app = app();
    app.sidebar.clear();
    press(&mut app, "]");
    assert!(app.message.as_deref().unwrap().contains("select an entity"));
}

#[test]
fn entity_prompt_lists_matches_and_arrows_choose() {
    let mut app = app();
    press(&mut app, "e");
    press(&mut app, "pak");
    assert!(app.entity_results.len() > 2);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.entity_selected, 1);
    let chosen = app.entity_results[1];
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected_entity, Some(chosen));
    assert_eq!(app.focus, Pane::Reader);
}

#[test]
fn slash_searches_the_article_and_n_walks_matches() {
    let mut app = app();
    key(&mut app, KeyCode::Enter);
    press(&mut app, "/pakistan");
    key(&mut app, KeyCode::Enter);
    let s = app.search.clone().unwrap();
    assert!(s.matches.len() >= 3);
    assert_eq!(s.current, Some(0));
    press(&mut app, "n");
    assert_eq!(app.search.as_ref().unwrap().current, Some(1));
    press(&mut app, "N");
    press(&mut app, "N");
    assert_eq!(app.search.as_ref().unwrap().current, Some(s.matches.len() - 1), "wraps");
    key(&mut app, KeyCode::Esc);
    assert!(app.search.is_none());
    press(&mut app, "n");
    assert!(app.message.is_some());
}

#[test]
fn search_is_case_insensitive_and_unicode_aware() {
    assert_eq!(find_case_insensitive("Khan’s KHAN khan", "khan").len(), 3);
    assert_eq!(find_case_insensitive("Łódź and łódź", "ŁÓDŹ").len(), 2);
}

#[test]
fn a_details_toggle_and_help() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    press(&mut app, "a");
    assert!(app.details);
    key(&mut app, KeyCode::Esc);
    assert!(!app.details);
    press(&mut app, "?");
    assert!(app.help);
    press(&mut app, "j");
    assert_eq!(app.help_scroll, 1);
    press(&mut app, "q");
    assert!(!app.help, "a key closes help");
    assert!(!app.quit);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn enter_before_the_worker_answers_still_accepts_the_typed_query() {
    let mut app = app();
    press(&mut app, "e");
    for c in "tehreek".chars() {
        app.update(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    let _sent_to_the_worker = app.take_job();
    app.update(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(app.selected_entity, Some(entity_named(&app, "TTP")));
    press(&mut app, "f");
    for c in "security".chars() {
        app.update(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    let _ = app.take_job();
    app.update(Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(title(&app, 0), "Security failure in Pakistan");
    assert_eq!(app.filters.len(), 1);
}

#[test]
fn stale_rankings_are_ignored() {
    let mut app = app();
    press(&mut app, "f");
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)));
    let stale = app.take_job().unwrap();
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)));
    let answer = filter::run_job(&app.filter_data, &stale, &|| false).unwrap();
    let before = app.rows.clone();
    app.update(Action::Ranked(answer));
    assert_eq!(app.rows, before);
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_it() {
    let mut app = app();
    app.update(Action::Scroll(Pane::List, 2));
    settle(&mut app);
    assert_eq!(app.selected, 2);
    app.update(Action::Scroll(Pane::Reader, 3));
    assert_eq!(app.scroll, 3);
    assert_eq!(app.focus, Pane::List);
}

// ----- full-text search (`/` in the list) -----

fn search_keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    app.run_pending_search();
}

#[test]
fn slash_in_the_list_searches_the_text_and_results_replace_the_list() {
    let mut app = app();
    press(&mut app, "/");
    assert_eq!(app.prompt.as_ref().map(|p| p.kind), Some(PromptKind::FullText));
    search_keys(&mut app, "mosque");
    assert!(!app.rows.is_empty() && app.rows.len() < 5, "{:?}", app.rows);
    for &a in &app.rows {
        let body = app.corpus.open(a as usize).unwrap().text.body.to_lowercase();
        assert!(body.contains("mosque"));
        let row = app.fulltext.row(a).expect("a snippet row");
        assert!(row.marks.iter().all(|&(s, e)| row.snippet[s..e].eq_ignore_ascii_case("mosque")));
        assert!(!row.marks.is_empty());
    }
    let status = app.fulltext.status.clone().unwrap();
    assert!(status.contains("match") && status.contains("ms"), "{status}");
    // Facets: the entities the results mention, most first.
    let facets = app.fulltext.facets.clone();
    assert!(!facets.is_empty());
    assert!(facets.windows(2).all(|w| w[0].1 >= w[1].1));
    assert!(facets.iter().all(|&(_, n)| n as usize <= app.rows.len()));
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert_eq!(app.breadcrumb(), vec!["/mosque".to_string()]);
    // Opening a result puts the reader on the first hit; n walks the hits.
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Reader);
    let s = app.search.clone().expect("the hits are the reader's matches");
    assert_eq!(s.current, Some(0));
    let body = &app.view.as_ref().unwrap().text.body;
    assert!(s.matches.iter().all(|&(a, b)| body[a..b].eq_ignore_ascii_case("mosque")));
    // Esc in the list pops the search and the whole collection is back.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::List);
    key(&mut app, KeyCode::Esc);
    assert!(app.breadcrumb().is_empty());
    assert_eq!(app.rows.len(), 5);
    assert!(app.fulltext.shown.is_none());
}

#[test]
fn esc_cancels_the_search_prompt_and_a_bad_query_says_where() {
    let mut app = app();
    press(&mut app, "/");
    search_keys(&mut app, "\"unclosed");
    assert_eq!(app.rows.len(), 5, "the list stays as it was");
    let status = app.fulltext.status.clone().unwrap();
    assert!(status.contains("column 1") && status.contains("unclosed quote"), "{status}");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_some(), "a malformed query stays in the prompt to be fixed");
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    assert!(app.filters.is_empty());
    assert_eq!(app.rows.len(), 5);
}

#[test]
fn a_search_combines_with_an_entity_filter_and_stale_answers_are_dropped() {
    let mut app = app();
    let ttp = entity_named(&app, "TTP");
    app.jump_to_entity(ttp);
    app.push_filter(Filter::Entity(ttp));
    app.focus = Pane::List;
    let with_ttp = app.rows.len();
    press(&mut app, "/");
    search_keys(&mut app, "pakistan");
    assert!(app.rows.len() <= with_ttp);
    let mentioning: HashSet<u32> = app.corpus.index.entity_articles[ttp as usize].iter().map(|&(a, _)| a).collect();
    assert!(app.rows.iter().all(|a| mentioning.contains(a)));
    // An answer to an older query is ignored.
    let old = fulltext::run(
        &app.corpus,
        &fulltext::SearchJob { generation: 1, query: "zzz".into(), user: Default::default() },
    );
    let rows = app.rows.clone();
    app.update(Action::Searched(old));
    assert_eq!(app.rows, rows);
}

// ----- reading articles is the shell's effect -----

#[test]
fn update_never_reads_an_article_the_shell_reads_what_it_asked_for() {
    let mut app = app();
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
    let wanted = app.rows[1] as usize;
    assert_eq!(app.current, Some(wanted), "the reader is on the new article at once");
    assert!(app.view.is_none(), "its text is not read inside update");
    assert_eq!(app.take_reads(), vec![reads::Request::Article(wanted)]);
    let answer = reads::answer(&app.corpus, reads::Request::Article(wanted));
    app.update(Action::Read(answer));
    let body = &app.view.as_ref().expect("shown once read").text.body;
    assert_eq!(body, &app.corpus.open(wanted).unwrap().text.body);
}

#[test]
fn keys_typed_before_an_article_is_read_apply_to_it_in_order() {
    let mut app = app();
    for code in [KeyCode::Char('j'), KeyCode::Enter, KeyCode::Char('j'), KeyCode::Char('j')] {
        app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    assert_eq!(app.focus, Pane::List, "Enter waits for the article being read");
    reads::perform(&mut app);
    let a = app.rows[1] as usize;
    assert_eq!(app.current, Some(a));
    assert_eq!(app.focus, Pane::Reader);
    assert_eq!(app.scroll, 2, "the two j scrolled the article Enter opened");
    assert!(app.read.contains(&app.corpus.articles[a].id));
    assert!(app.queued.is_empty());
}

#[test]
fn only_the_newest_of_several_articles_passed_through_is_read() {
    let mut app = app();
    for _ in 0..3 {
        app.update(Action::Command(Command::Down));
    }
    assert_eq!(app.take_reads(), vec![reads::Request::Article(app.rows[3] as usize)]);
}

#[test]
fn the_date_order_is_newest_first_then_undated_with_ties_by_path_as_compared_in_full() {
    let meta = |path: &str, date: Option<&str>| crate::core::corpus::ArticleMeta {
        id: path.into(),
        path: path.into(),
        title: path.into(),
        title_derived: false,
        date: date.map(str::to_string),
        author: None,
        item: String::new(),
        url: None,
        tags: Vec::new(),
        words: 0,
        mentions: 0,
        events: Vec::new(),
    };
    let dates = [None, Some("2024-03-26"), Some("2024-03-26T06:30"), Some("2023-12-13"), Some("2024-03-2")];
    let plain = |arts: &[crate::core::corpus::ArticleMeta]| {
        let mut all: Vec<u32> = (0..arts.len() as u32).collect();
        all.sort_by(|&a, &b| {
            let (x, y) = (&arts[a as usize], &arts[b as usize]);
            y.date.is_some().cmp(&x.date.is_some()).then(y.date.cmp(&x.date)).then(x.path.cmp(&y.path))
        });
        all
    };
    // Paths in order (as discovery gives them, feeds repeating a path), then shuffled.
    let in_order: Vec<_> = (0..40).map(|i| meta(&format!("d/{:02}.txt", i / 2), dates[i * 7 % dates.len()])).collect();
    let mut shuffled = in_order.clone();
    shuffled.reverse();
    shuffled.swap(3, 17);
    for arts in [in_order, shuffled] {
        let mut fast: Vec<u32> = (0..arts.len() as u32).collect();
        super::sort_by_date(&arts, &mut fast);
        assert_eq!(fast, plain(&arts));
        assert!(arts[fast[0] as usize].date.as_deref() == Some("2024-03-26T06:30"));
        assert!(arts[*fast.last().unwrap() as usize].date.is_none());
    }
}
