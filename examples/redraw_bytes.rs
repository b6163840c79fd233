//! Bytes newsroom writes to the terminal for one list-navigation keystroke (`j`), after the
//! first full frame, at 160×50 — what crosses an SSH connection per key.
//!
//!     cargo run --release --example redraw_bytes [COLS ROWS]
//!
//! It draws through ratatui's crossterm backend into a counting writer, exactly as the browser
//! draws to the terminal, synchronized-output markers included.

use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use crossterm::queue;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use newsroom::app::{Action, App};
use newsroom::core::cache::open_bundled;
use newsroom::core::ingest::LoadOptions;
use newsroom::ui::theme::{ColorMode, Theme};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Counts what it is given, as a terminal would receive it.
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let args: Vec<u16> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (cols, rows) = (args.first().copied().unwrap_or(160), args.get(1).copied().unwrap_or(50));
    let corpus = open_bundled(&LoadOptions::default()).0;
    let mut app = App::new(Arc::new(corpus), HashSet::new());
    app.update(Action::Resize(cols, rows));
    let theme = Theme::new(ColorMode::Ansi256);
    let written = Arc::new(AtomicUsize::new(0));
    let backend = CrosstermBackend::new(Counter(Arc::clone(&written)));
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)) };
    let mut terminal = Terminal::with_options(backend, options).expect("terminal");

    let frame = |terminal: &mut Terminal<CrosstermBackend<Counter>>, app: &App| -> usize {
        written.store(0, Ordering::Relaxed);
        queue!(terminal.backend_mut(), BeginSynchronizedUpdate).unwrap();
        terminal.draw(|f| newsroom::ui::draw(f, app, &theme)).unwrap();
        queue!(terminal.backend_mut(), EndSynchronizedUpdate).unwrap();
        terminal.backend_mut().flush().unwrap();
        written.load(Ordering::Relaxed)
    };
    let first = frame(&mut terminal, &app);
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
    let step = frame(&mut terminal, &app);
    app.update(Action::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)));
    frame(&mut terminal, &app);
    app.update(Action::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
    let scroll = frame(&mut terminal, &app);
    println!("terminal {cols}x{rows}");
    println!("first frame:                      {first:>7} bytes");
    println!("j in the list (next article):     {step:>7} bytes");
    println!("j in the reader (scroll a line):  {scroll:>7} bytes");
}
