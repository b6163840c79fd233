//! The interactive shell around the app: terminal set-up and restore (on quit, panic, Ctrl-C,
//! SIGTERM, SIGHUP), the event loop, the filter worker and saving read marks. Everything that
//! decides anything lives in [`crate::app`]; this only moves events in and frames out.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use crossterm::terminal::{self, BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{cursor, execute, queue};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::app::filter::FilterWorker;
use crate::app::{Action, App, Pane};
use crate::core::corpus::Corpus;
use crate::core::store::UserStore;
use crate::ui::theme::{ColorMode, Theme};

/// Options of the interactive browser.
#[derive(Debug, Clone)]
pub struct Options {
    pub color: ColorMode,
    pub mouse: bool,
    /// The user's store (read marks, stars, tags, notes, corrections); none keeps nothing.
    pub store: Option<std::path::PathBuf>,
    /// What opening the store before the browser found (a damaged store kept aside), said in
    /// the status bar and on stderr like the store's own warnings.
    pub store_note: Option<String>,
}

/// Whether mouse capture is on, so that restoring turns it off.
static MOUSE_ON: AtomicBool = AtomicBool::new(false);
/// Set once the terminal has been restored: restoring twice would print stray sequences.
static RESTORED: AtomicBool = AtomicBool::new(true);

/// The bytes that put a terminal back: mouse off, synchronized output off, cursor shown, main
/// screen back.
fn restore_sequence() -> Vec<u8> {
    let mut s = Vec::new();
    if MOUSE_ON.load(Ordering::SeqCst) {
        s.extend_from_slice(b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l");
    }
    s.extend_from_slice(b"\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l");
    s
}

/// Restores the terminal. Safe from any thread, a signal handler's included: it writes with a
/// plain `write(2)` on the terminal's descriptor rather than through `stdout`'s lock, which
/// the drawing thread may hold.
pub fn restore_terminal() {
    if RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    let seq = restore_sequence();
    // SAFETY: writing a byte buffer we own to file descriptor 1; a failure (the terminal is
    // gone) is ignored.
    unsafe {
        libc::write(libc::STDOUT_FILENO, seq.as_ptr().cast(), seq.len());
    }
}

fn setup_terminal(mouse: bool) -> io::Result<Terminal<CrosstermBackend<io::Stdout>>> {
    terminal::enable_raw_mode()?;
    RESTORED.store(false, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, terminal::EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(out, event::EnableMouseCapture)?;
        MOUSE_ON.store(true, Ordering::SeqCst);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Restores the terminal before a panic message is printed, so the message is readable and the
/// shell is usable.
/// Most queued input events applied before a frame is drawn.
const MAX_KEYS_PER_FRAME: usize = 64;

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A parser panicking inside its isolation is caught and reported as a problem with
        // that file; the screen stays.
        if crate::core::formats::pdf::in_isolation() {
            return;
        }
        restore_terminal();
        previous(info);
    }));
}

/// SIGTERM, SIGHUP (a dropped SSH connection), SIGINT and SIGQUIT: restore the terminal and exit
/// from the signal thread at once, so nothing is left spinning on a vanished terminal.
/// Read marks are saved as they change, atomically, so there is nothing left to save.
fn install_signal_thread() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])?;
    std::thread::Builder::new().name("newsroom-signals".into()).spawn(move || {
        if let Some(sig) = signals.forever().next() {
            restore_terminal();
            std::process::exit(128 + sig);
        }
    })?;
    Ok(())
}

/// What the loading thread reports.
pub enum Loading {
    Progress(usize, usize),
    /// The collection as last cached, shown while the files are checked.
    Early(Corpus),
    /// The collection as it is; `changed` says whether it differs from what `Early` showed.
    Done(Corpus, Option<String>, bool),
    /// The collection indexed again with the user's corrections.
    Reindexed(Corpus),
}

/// What a loader is given: a way to report progress and to show a cached collection early.
pub struct LoadContext<'a> {
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    pub early: &'a dyn Fn(Corpus),
    /// Loading again after an entity correction: the collection is on screen already, so
    /// nothing is shown early.
    pub again: bool,
}

/// Runs the browser until the user quits. `load` opens the collection on a thread of its own,
/// reporting progress, so the browser is up at once and fills in. It returns the collection,
/// a message for the status bar, and whether it changed since it was shown early.
pub fn run<L>(options: Options, load: L) -> anyhow::Result<()>
where
    L: Fn(&LoadContext<'_>) -> (Corpus, Option<String>, bool) + Send + Sync + 'static,
{
    let (store, warning) = UserStore::open_for(options.store.clone());
    let warning = match (options.store_note.clone(), warning) {
        (Some(a), Some(b)) => Some(format!("{a} · {b}")),
        (a, b) => a.or(b),
    };
    // Colleagues' changes after this point are followed (a team's store only).
    let team = store.team().map(|t| watch_team(t.origin().to_string(), t.last_change().unwrap_or(0)));
    let read = store.read_marks().unwrap_or_default();
    let user = store.articles().unwrap_or_default();
    let mut marks = Marks {
        store,
        saved: read.clone(),
        corrections: Vec::new(),
        highlights: Vec::new(),
        reindex: Box::new(|| {}),
        team,
    };
    let mut app = App::loading(read);
    app.user = crate::app::user::UserState::from_store(user);
    (app.user.positions, app.user.last_article) = marks.store.positions().unwrap_or_default();
    if let Some(w) = &warning {
        app.message = Some(w.clone());
    }
    let (tx, loading) = std::sync::mpsc::channel::<Loading>();
    let load = Arc::new(load);
    // After an entity correction the collection is loaded again (from the cache: only the
    // names are merged again) on a thread of its own.
    let (reload_tx, again) = (tx.clone(), Arc::clone(&load));
    let reindex = move || {
        let (tx, load) = (reload_tx.clone(), Arc::clone(&again));
        let _ = std::thread::Builder::new().name("newsroom-reindex".into()).spawn(move || {
            let (corpus, _, _) = load(&LoadContext { progress: &|_, _| {}, early: &|_| {}, again: true });
            let _ = tx.send(Loading::Reindexed(corpus));
        });
    };
    std::thread::Builder::new().name("newsroom-load".into()).spawn(move || {
        let shared = std::sync::Mutex::new(tx.clone());
        let send = |msg: Loading| {
            if let Ok(tx) = shared.lock() {
                let _ = tx.send(msg);
            }
        };
        let progress = |done: usize, total: usize| send(Loading::Progress(done, total));
        let early = |corpus: Corpus| send(Loading::Early(corpus));
        let (corpus, message, changed) = load(&LoadContext { progress: &progress, early: &early, again: false });
        let _ = tx.send(Loading::Done(corpus, message, changed));
    })?;
    let theme = Theme::new(options.color);

    install_panic_hook();
    install_signal_thread()?;
    let mut terminal = setup_terminal(options.mouse)?;
    let mut unsaved = false;
    marks.reindex = Box::new(reindex);
    let result = event_loop(&mut terminal, &mut app, &loading, &theme, &mut marks, warning.clone(), &mut unsaved);
    restore_terminal();
    // What was said about the marks on screen is said again where it stays.
    if let Some(w) = &warning {
        eprintln!("newsroom: {}", crate::core::text::display_safe(w));
    }
    if app.read_dirty || unsaved {
        marks.save(&app.read).map_err(|e| anyhow::anyhow!("read marks were not saved: {e}"))?;
    }
    result
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
    app: &mut App,
    loading: &std::sync::mpsc::Receiver<Loading>,
    theme: &Theme,
    marks: &mut Marks,
    mut warning: Option<String>,
    unsaved: &mut bool,
) -> anyhow::Result<()> {
    let mut worker: Option<FilterWorker> = None;
    let mut searcher: Option<crate::app::fulltext::SearchWorker> = None;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let mut dirty = true;
    // Test hook: the end-to-end tests check that a panic restores the terminal.
    let panic_after_draw = std::env::var_os("NEWSROOM_TEST_PANIC").is_some();
    // A terminal that vanished makes poll report input that read cannot deliver, forever
    // (crossterm issue 793): many empty wake-ups in a row end the program.
    let mut empty_wakeups = 0u32;
    let mut window = Instant::now();
    while !app.quit {
        if dirty {
            draw(terminal, app, theme)?;
            dirty = false;
            if panic_after_draw {
                panic!("NEWSROOM_TEST_PANIC is set");
            }
        }
        while let Ok(msg) = loading.try_recv() {
            match msg {
                Loading::Progress(done, total) => {
                    if app.loading.is_some() {
                        app.update(Action::Progress(done, total));
                    }
                }
                Loading::Early(corpus) => {
                    app.update(Action::Loaded(Arc::new(corpus), Some("checking the collection for changes…".into())));
                    worker = Some(FilterWorker::spawn(Arc::clone(&app.filter_data)));
                }
                Loading::Reindexed(corpus) => {
                    app.update(Action::Reindexed(Arc::new(corpus)));
                    worker = Some(FilterWorker::spawn(Arc::clone(&app.filter_data)));
                }
                Loading::Done(corpus, message, changed) => {
                    if worker.is_none() || changed {
                        let message = match (worker.is_some(), message) {
                            (true, None) => Some("the collection changed on disk: reloaded".to_string()),
                            (_, m) => m,
                        };
                        app.update(Action::Loaded(Arc::new(corpus), message));
                        worker = Some(FilterWorker::spawn(Arc::clone(&app.filter_data)));
                    } else {
                        app.message = message;
                    }
                }
            }
            // A warning about the saved marks outlives the loading messages.
            if let Some(w) = warning.take_if(|_| app.loading.is_none()) {
                app.message = Some(match app.message.take() {
                    Some(m) => format!("{w} · {m}"),
                    None => w,
                });
            }
            dirty = true;
        }
        // Colleagues' changes: said in the status line; a correction re-indexes as ours do.
        if let Some(news) = marks.team.as_ref().and_then(|t| t.try_recv().ok()) {
            let reindex = news.0.iter().any(|c| c.reindex);
            app.update(Action::Colleagues(news.0.into_iter().map(|c| c.said).collect(), news.1, reindex));
            if reindex {
                (marks.reindex)();
            }
            dirty = true;
        }
        if let (Some(job), Some(w)) = (app.take_job(), worker.as_ref()) {
            w.submit(job);
        }
        // The search worker follows the collection shown.
        if let Some(job) = app.take_search_job() {
            if searcher.as_ref().is_none_or(|w| !Arc::ptr_eq(&w.corpus, &app.corpus)) {
                searcher = Some(crate::app::fulltext::SearchWorker::spawn(Arc::clone(&app.corpus)));
            }
            if let Some(w) = searcher.as_ref() {
                w.submit(job);
            }
        }
        if let Some(w) = searcher.as_ref() {
            while let Ok(answer) = w.results.try_recv() {
                app.update(Action::Searched(answer));
                dirty = true;
            }
        }
        if let Some(w) = worker.as_ref() {
            while let Ok(ranked) = w.results.try_recv() {
                app.update(Action::Ranked(ranked));
                dirty = true;
            }
        }
        if dirty {
            continue;
        }
        if !event::poll(Duration::from_millis(40))? {
            continue;
        }
        // Everything already typed is applied before the next frame: a held key costs one
        // redraw per frame, not one per repeat, and queued keys never outlive the input.
        let mut actions = Vec::new();
        loop {
            let ev = match event::read() {
                Ok(ev) => ev,
                Err(e) => return Err(anyhow::anyhow!("the terminal went away: {e}")),
            };
            actions.extend(match ev {
                Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
                Event::Resize(w, h) => Some(Action::Resize(w, h)),
                Event::Mouse(m) => mouse_action(app, m),
                _ => None,
            });
            if actions.len() >= MAX_KEYS_PER_FRAME || !event::poll(Duration::ZERO)? {
                break;
            }
        }
        match actions.is_empty() {
            false => {
                empty_wakeups = 0;
                for a in actions {
                    app.update(a);
                    if app.quit {
                        break;
                    }
                }
                dirty = true;
            }
            true => {
                empty_wakeups += 1;
                if window.elapsed() > Duration::from_secs(1) {
                    window = Instant::now();
                    if empty_wakeups > 5_000 {
                        return Err(anyhow::anyhow!("the terminal stopped answering"));
                    }
                    empty_wakeups = 0;
                }
            }
        }
        // Stars, tags, notes, highlights and corrections, each written as it is made.
        let effects = app.user.take_effects();
        if !effects.is_empty() {
            match marks.perform(effects) {
                Ok(true) => (marks.reindex)(),
                Ok(false) => {}
                Err(e) => app.message = Some(format!("could not save: {e}")),
            }
        }
        if app.read_dirty {
            match marks.save(&app.read) {
                Ok(merged) => {
                    app.read = merged;
                    *unsaved = false;
                }
                Err(e) => {
                    app.message = Some(format!("could not save read marks: {e}"));
                    *unsaved = true;
                }
            }
            app.read_dirty = false;
        }
    }
    Ok(())
}

/// Read marks as the store last had them, so that only what this run changed is written and
/// what another newsroom wrote meanwhile is kept.
struct Marks {
    store: UserStore,
    saved: std::collections::HashSet<String>,
    /// Corrections and highlights this run added, newest last, for undo.
    corrections: Vec<i64>,
    highlights: Vec<i64>,
    /// Loads the collection again with the corrections as they now are.
    reindex: Box<dyn Fn()>,
    /// Colleagues' changes, from the thread that follows the team's store.
    team: Option<std::sync::mpsc::Receiver<TeamNews>>,
}

/// Colleagues' changes and the team's layer after them.
type TeamNews = (Vec<crate::core::team::Change>, std::collections::BTreeMap<String, crate::core::store::ArticleUser>);

/// Follows the team store's change log on a connection of its own, every half second, and
/// sends what other newsrooms (than the one whose connection is `origin`) changed after `last`.
fn watch_team(origin: String, mut last: i64) -> std::sync::mpsc::Receiver<TeamNews> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new().name("newsroom-team".into()).spawn(move || {
        let mut store: Option<UserStore> = None;
        loop {
            std::thread::sleep(Duration::from_millis(500));
            // A lost connection is opened again (quietly: the browser's own writes say it).
            let s = match store.take().filter(UserStore::is_team) {
                Some(s) => s,
                None => UserStore::open_selected().0,
            };
            let Some(team) = s.team() else { continue };
            let Ok((next, changes)) = team.changes_after(last, &origin) else { continue };
            last = next;
            if !changes.is_empty() {
                let user = team.articles().unwrap_or_default();
                if tx.send((changes, user)).is_err() {
                    return;
                }
            }
            store = Some(s);
        }
    });
    rx
}

impl Marks {
    /// Writes the app's changes; returns whether the collection must be indexed again.
    fn perform(&mut self, effects: Vec<crate::app::user::Effect>) -> anyhow::Result<bool> {
        use crate::app::user::Effect;
        let mut reindex = false;
        for e in effects {
            match e {
                Effect::Star { article, on } => {
                    self.store.set_star(&article, on)?;
                }
                Effect::Tag { article, tag, on: true } => {
                    self.store.add_tags(&article, &[tag])?;
                }
                Effect::Tag { article, tag, on: false } => {
                    self.store.remove_tag(&article, &tag)?;
                }
                Effect::Note { article, text } => {
                    self.store.set_note(&article, &text)?;
                }
                Effect::Highlight { article, start, end, passage, note } => {
                    let id = self.store.add_highlight(&article, (start, end), &passage, note.as_deref())?;
                    self.highlights.push(id);
                }
                Effect::RemoveLastHighlight => {
                    if let Some(id) = self.highlights.pop() {
                        self.store.remove_highlight(id)?;
                    }
                }
                Effect::Correct(c) => {
                    self.corrections.extend(self.store.add_corrections(&[c])?);
                    reindex = true;
                }
                Effect::UndoLastCorrection => {
                    if let Some(id) = self.corrections.pop() {
                        self.store.undo_correction(id)?;
                        reindex = true;
                    }
                }
                Effect::Position { article, byte } => self.store.set_position(&article, byte)?,
            }
        }
        Ok(reindex)
    }

    fn save(
        &mut self,
        current: &std::collections::HashSet<String>,
    ) -> anyhow::Result<std::collections::HashSet<String>> {
        let add: Vec<String> = current.difference(&self.saved).cloned().collect();
        let remove: Vec<String> = self.saved.difference(current).cloned().collect();
        let merged = self.store.set_read(&add, &remove)?;
        self.saved = merged.clone();
        Ok(merged)
    }
}

fn draw(terminal: &mut Terminal<CrosstermBackend<io::Stdout>>, app: &App, theme: &Theme) -> io::Result<()> {
    // Synchronized output: terminals that know it show the frame whole; others ignore it.
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| crate::ui::draw(f, app, theme))?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()
}

/// The wheel scrolls the pane under the pointer (only with `--mouse`).
fn mouse_action(app: &App, m: event::MouseEvent) -> Option<Action> {
    let delta = match m.kind {
        MouseEventKind::ScrollDown => 3,
        MouseEventKind::ScrollUp => -3,
        _ => return None,
    };
    let l = app.layout();
    let hit = |r: Option<ratatui::layout::Rect>| {
        r.is_some_and(|r| r.contains(ratatui::layout::Position::new(m.column, m.row)))
    };
    let pane = if hit(l.list) {
        Pane::List
    } else if hit(l.sidebar) {
        Pane::Sidebar
    } else {
        Pane::Reader
    };
    Some(Action::Scroll(pane, delta))
}
