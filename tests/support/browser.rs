//! The browser without a terminal, driven as the shell drives it: each action, then what it
//! asked the shell for (article texts read, rankings run), and the screen drawn on ratatui's
//! TestBackend.
#![allow(dead_code)] // each test file uses its own share of these

use std::collections::HashSet;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use newsroom::app::{reads, Action, App};
use newsroom::core::cache::open_bundled;
use newsroom::core::corpus::Corpus;
use newsroom::core::ingest::LoadOptions;
use newsroom::ui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

/// The bundled sample corpus, processed once per test binary.
pub fn bundled() -> Arc<Corpus> {
    static CORPUS: std::sync::OnceLock<Arc<Corpus>> = std::sync::OnceLock::new();
    Arc::clone(CORPUS.get_or_init(|| Arc::new(open_bundled(&LoadOptions::default()).0)))
}

/// A browser on `corpus` in a terminal of `w`×`h`.
pub fn browser(corpus: Arc<Corpus>, w: u16, h: u16) -> App {
    let mut app = App::new(corpus, HashSet::new());
    act(&mut app, Action::Resize(w, h));
    app
}

/// A browser on the sample corpus.
pub fn app(w: u16, h: u16) -> App {
    browser(bundled(), w, h)
}

/// What the shell does after each batch of actions: reads the articles asked for, then ranks.
pub fn settle(app: &mut App) {
    reads::perform(app);
    app.run_pending_job();
    reads::perform(app);
}

pub fn act(app: &mut App, action: Action) {
    app.update(action);
    settle(app);
}

pub fn keys(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        act(app, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

pub fn typed(app: &mut App, text: &str) {
    keys(app, &text.chars().map(KeyCode::Char).collect::<Vec<_>>());
}

pub fn render(app: &App, theme: &Theme) -> Buffer {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| newsroom::ui::draw(f, app, theme)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's text, a line per row, trailing blanks cut.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
