//! The interactive shell around the app: terminal set-up and restore (on quit, panic, Ctrl-C,
//! SIGTERM, SIGHUP), the event loop, the workers, hand-offs to other programs and saving what
//! the user changed. Everything that decides anything lives in [`crate::app`]; this only moves
//! events in and frames out.
//!
//! One channel ([`Msg`]) carries everything that can change the screen: the terminal's input
//! (read on a thread of its own), the loader's progress, the filter's and the search's answers.
//! The loop blocks on it, applies every message waiting, submits the work they asked for, and
//! draws once.

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};
use crossterm::terminal::{self, BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{cursor, execute, queue};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::app::filter::FilterWorker;
use crate::app::handoff::Handoff;
use crate::app::keymap::Keymap;
use crate::app::{Action, App, Pane, Sort};
use crate::core::corpus::Corpus;
use crate::core::ingest::LoadOptions;
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
    /// The keys in force and the colours by role (from the settings).
    pub keys: Arc<Keymap>,
    pub theme: Option<Theme>,
    pub sort: Sort,
    pub widths: (u16, u16),
    /// What was wrong in the config file, said in the status bar.
    pub config_note: Option<String>,
    /// The largest file read as one article (`--max-file-size`), for originals in the pager.
    pub max_file_bytes: u64,
}

impl Options {
    pub fn new(color: ColorMode) -> Options {
        Options {
            color,
            mouse: false,
            store: None,
            store_note: None,
            keys: Default::default(),
            theme: None,
            sort: Sort::Date,
            widths: (30, 22),
            config_note: None,
            max_file_bytes: LoadOptions::default().max_file_bytes,
        }
    }
}

/// Everything the event loop waits for, in one channel.
pub enum Msg {
    Input(Event),
    /// The terminal cannot be read any more.
    InputGone(String),
    Loading(Loading),
    Ranked(crate::app::filter::Ranked),
    Searched(crate::app::fulltext::SearchAnswer),
    /// Colleagues' changes on the team's store.
    Team(TeamNews),
}

/// While another program has the terminal, newsroom's own Ctrl-C (SIGINT) belongs to it.
static HANDED_OFF: AtomicBool = AtomicBool::new(false);

/// The thread that reads the terminal. It can be parked while another program (a pager, an
/// editor, the shell after Ctrl-Z) reads the terminal instead.
struct Input {
    paused: Arc<(std::sync::Mutex<(bool, bool)>, std::sync::Condvar)>,
}

impl Input {
    fn spawn(tx: std::sync::mpsc::Sender<Msg>) -> io::Result<Input> {
        let paused = Arc::new((std::sync::Mutex::new((false, false)), std::sync::Condvar::new()));
        let state = Arc::clone(&paused);
        std::thread::Builder::new().name("newsroom-input".into()).spawn(move || {
            let (lock, cv) = &*state;
            loop {
                // (asked to pause, parked)
                if let Ok(mut g) = lock.lock() {
                    if g.0 {
                        g.1 = true;
                        cv.notify_all();
                        while g.0 {
                            g = match cv.wait(g) {
                                Ok(g) => g,
                                Err(_) => return,
                            };
                        }
                        g.1 = false;
                    }
                }
                // The timeout only bounds how long a pause waits; input wakes it at once.
                let ev = match event::poll(Duration::from_millis(50)) {
                    Ok(false) => continue,
                    Ok(true) => event::read(),
                    Err(e) => Err(e),
                };
                let msg = match ev {
                    Ok(ev) => Msg::Input(ev),
                    Err(e) => Msg::InputGone(e.to_string()),
                };
                let gone = matches!(msg, Msg::InputGone(_));
                if tx.send(msg).is_err() || gone {
                    return;
                }
            }
        })?;
        Ok(Input { paused })
    }

    /// Stops reading the terminal (waits until the thread is parked).
    fn pause(&self) {
        let (lock, cv) = &*self.paused;
        if let Ok(mut g) = lock.lock() {
            g.0 = true;
            let deadline = Instant::now() + Duration::from_secs(1);
            while !g.1 && Instant::now() < deadline {
                g = match cv.wait_timeout(g, Duration::from_millis(20)) {
                    Ok((g, _)) => g,
                    Err(_) => return,
                };
            }
        }
    }

    fn resume(&self) {
        let (lock, cv) = &*self.paused;
        if let Ok(mut g) = lock.lock() {
            g.0 = false;
            cv.notify_all();
        }
    }
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
        for sig in signals.forever() {
            // Ctrl-C in a pager newsroom handed the terminal to is the pager's.
            if (sig == SIGINT || sig == SIGQUIT) && HANDED_OFF.load(Ordering::SeqCst) {
                continue;
            }
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
    let warning = [options.config_note.clone(), options.store_note.clone(), warning]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a} · {b}"));
    let read = store.read_marks().unwrap_or_default();
    let user = store.articles().unwrap_or_default();
    let mut marks =
        Marks { store, saved: read.clone(), corrections: Vec::new(), highlights: Vec::new(), reindex: Box::new(|| {}) };
    let mut app = App::loading(read);
    app.user = crate::app::user::UserState::from_store(user);
    (app.user.positions, app.user.last_article) = marks.store.positions().unwrap_or_default();
    app.keys = Arc::clone(&options.keys);
    app.sort = options.sort;
    app.widths = options.widths;
    if let Some(w) = &warning {
        app.message = Some(w.clone());
    }
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let load = Arc::new(load);
    // After an entity correction the collection is loaded again (from the cache: only the
    // names are merged again) on a thread of its own.
    let (reload_tx, again) = (tx.clone(), Arc::clone(&load));
    let reindex = move || {
        let (tx, load) = (reload_tx.clone(), Arc::clone(&again));
        let _ = std::thread::Builder::new().name("newsroom-reindex".into()).spawn(move || {
            let (corpus, _, _) = load(&LoadContext { progress: &|_, _| {}, early: &|_| {}, again: true });
            let _ = tx.send(Msg::Loading(Loading::Reindexed(corpus)));
        });
    };
    // Colleagues' changes after this point are followed (a team's store only).
    if let Some(t) = marks.store.team() {
        watch_team(t.origin().to_string(), t.last_change().unwrap_or(0), tx.clone());
    }
    let loader_tx = tx.clone();
    std::thread::Builder::new().name("newsroom-load".into()).spawn(move || {
        let shared = std::sync::Mutex::new(loader_tx.clone());
        let send = |msg: Loading| {
            if let Ok(tx) = shared.lock() {
                let _ = tx.send(Msg::Loading(msg));
            }
        };
        let progress = |done: usize, total: usize| send(Loading::Progress(done, total));
        let early = |corpus: Corpus| send(Loading::Early(corpus));
        let (corpus, message, changed) = load(&LoadContext { progress: &progress, early: &early, again: false });
        let _ = loader_tx.send(Msg::Loading(Loading::Done(corpus, message, changed)));
    })?;
    let theme = options.theme.unwrap_or_else(|| Theme::new(options.color));

    install_panic_hook();
    install_signal_thread()?;
    let terminal = setup_terminal(options.mouse)?;
    let input = Input::spawn(tx.clone())?;
    let mut unsaved = false;
    marks.reindex = Box::new(reindex);
    let mut shell = Shell {
        terminal,
        input,
        mouse: options.mouse,
        tx,
        worker: None,
        searcher: None,
        original_limit: options.max_file_bytes,
    };
    let result = event_loop(&mut shell, &mut app, &rx, &theme, &mut marks, warning.clone(), &mut unsaved);
    drop(shell);
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

/// What the loop drives: the terminal, its input thread and the workers.
struct Shell {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
    input: Input,
    mouse: bool,
    tx: std::sync::mpsc::Sender<Msg>,
    worker: Option<FilterWorker>,
    searcher: Option<crate::app::fulltext::SearchWorker>,
    /// The largest original file shown in the pager (`--max-file-size`).
    original_limit: u64,
}

impl Shell {
    fn spawn_filter(&mut self, app: &App) {
        let tx = self.tx.clone();
        self.worker = Some(FilterWorker::spawn_with(
            Arc::clone(&app.filter_data),
            Box::new(move |r| tx.send(Msg::Ranked(r)).is_ok()),
        ));
    }

    /// Hands the work the app asked for to the workers; returns whether an answer is awaited.
    fn submit(&mut self, app: &mut App) -> bool {
        let mut awaited = false;
        if let (Some(job), Some(w)) = (app.take_job(), self.worker.as_ref()) {
            w.submit(job);
            awaited = true;
        }
        // The search worker follows the collection shown.
        if let Some(job) = app.take_search_job() {
            if self.searcher.as_ref().is_none_or(|w| !Arc::ptr_eq(&w.corpus, &app.corpus)) {
                let tx = self.tx.clone();
                self.searcher = Some(crate::app::fulltext::SearchWorker::spawn_with(
                    Arc::clone(&app.corpus),
                    Box::new(move |a| tx.send(Msg::Searched(a)).is_ok()),
                ));
            }
            if let Some(w) = self.searcher.as_ref() {
                w.submit(job);
                awaited = true;
            }
        }
        awaited
    }

    /// Gives the terminal to another program (or to the shell, for Ctrl-Z), then takes it
    /// back: input thread parked, raw mode and the alternate screen left, and all of it
    /// restored after, the screen redrawn whole.
    fn outside<R>(&mut self, f: impl FnOnce() -> R) -> io::Result<R> {
        self.input.pause();
        HANDED_OFF.store(true, Ordering::SeqCst);
        restore_terminal();
        let r = f();
        HANDED_OFF.store(false, Ordering::SeqCst);
        // Input is read again whatever happens next: a terminal that will not be taken back
        // must still hear `q`.
        self.input.resume();
        terminal::enable_raw_mode()?;
        RESTORED.store(false, Ordering::SeqCst);
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide,
            terminal::Clear(terminal::ClearType::All)
        )?;
        if self.mouse {
            execute!(io::stdout(), event::EnableMouseCapture)?;
        }
        // A new terminal has no previous frame, so the next one is drawn whole (ratatui's
        // `clear` would ask the terminal where its cursor is, and not every terminal answers).
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(r)
    }

    /// Shows `text` in `$PAGER` (`less` when unset), through a temporary file.
    fn page(&mut self, text: &str) -> io::Result<String> {
        let file = temp_file("newsroom-", text)?;
        let pager = program("PAGER", "less");
        let result = self.outside(|| run_program(&pager, file.path()))?;
        Ok(result.err().unwrap_or_default())
    }

    /// Does what the app handed off; returns what to say in the status bar.
    fn handoff(&mut self, h: Handoff) -> io::Result<String> {
        match h {
            Handoff::Copy { what, text } => {
                let seq = crate::app::handoff::osc52(&text);
                let out = self.terminal.backend_mut();
                out.write_all(&seq)?;
                out.flush()?;
                let n = crate::app::handoff::sanitize(&text).chars().count();
                Ok(format!("copied {what} ({n} characters) to the clipboard"))
            }
            Handoff::Pager { text } => self.page(&text),
            Handoff::PagerOriginal { path, item } => {
                let opts = LoadOptions { max_file_bytes: self.original_limit, ..LoadOptions::default() };
                match crate::core::ingest::original(&path, &item, &opts) {
                    Ok(text) => self.page(&crate::core::text::sanitize(&text).0),
                    Err(e) => Ok(format!("cannot read the original: {e}")),
                }
            }
            Handoff::Editor { name, text } => {
                let dir = tempfile::Builder::new().prefix("newsroom-").tempdir()?;
                let path = dir.path().join(name);
                std::fs::write(&path, text)?;
                let editor = std::env::var("VISUAL")
                    .ok()
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| program("EDITOR", "vi"));
                let result = self.outside(|| run_program(&editor, &path))?;
                Ok(result.err().unwrap_or_else(|| "the copy was not kept (your notes are m)".into()))
            }
            Handoff::Browser { url } => match std::env::var("BROWSER").ok().filter(|b| !b.trim().is_empty()) {
                // $BROWSER may be a terminal browser: it gets the terminal.
                Some(browser) => {
                    let result = self.outside(|| run_program(&browser, Path::new(&url)))?;
                    Ok(result.err().unwrap_or_default())
                }
                None => {
                    let spawned = std::process::Command::new("xdg-open")
                        .arg(&url)
                        .stdin(std::process::Stdio::null())
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn();
                    Ok(match spawned {
                        Ok(_) => format!("opened {url}"),
                        Err(_) => "no browser: set $BROWSER (xdg-open is not installed)".into(),
                    })
                }
            },
            Handoff::Suspend => {
                self.outside(|| {
                    // SAFETY: raising a signal at our own process; the default action stops it
                    // until the shell's `fg`.
                    unsafe {
                        libc::raise(libc::SIGTSTP);
                    }
                })?;
                Ok(String::new())
            }
        }
    }
}

/// `$NAME`, or `default` when it is unset or empty.
fn program(var: &str, default: &str) -> String {
    std::env::var(var).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

fn temp_file(prefix: &str, text: &str) -> io::Result<tempfile::NamedTempFile> {
    let mut f = tempfile::Builder::new().prefix(prefix).suffix(".txt").tempfile()?;
    f.write_all(text.as_bytes())?;
    f.flush()?;
    Ok(f)
}

/// Runs `program` (a command line, as `$PAGER` may be: `less -R`) on `arg` through the shell,
/// waiting for it; a program that is missing or fails is an error message.
fn run_program(program: &str, arg: &Path) -> Result<(), String> {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{program} \"$1\""))
        .arg("sh")
        .arg(arg)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(127) => Err(format!("{program}: not found (set $PAGER, $EDITOR or $BROWSER)")),
        Some(n) => Err(format!("{program} ended with status {n}")),
        None => Err(format!("{program} was stopped by a signal")),
    }
}

/// How long a frame waits for an answer the keys asked for (a ranking, a search), so that a
/// key draws once, with its answer, rather than first the stale list.
const ANSWER_WAIT: Duration = Duration::from_millis(12);

fn event_loop(
    shell: &mut Shell,
    app: &mut App,
    rx: &std::sync::mpsc::Receiver<Msg>,
    theme: &Theme,
    marks: &mut Marks,
    mut warning: Option<String>,
    unsaved: &mut bool,
) -> anyhow::Result<()> {
    let size = shell.terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    crate::app::reads::perform(app);
    // Test hook: the end-to-end tests check that a panic restores the terminal.
    let panic_after_draw = std::env::var_os("NEWSROOM_TEST_PANIC").is_some();
    // A terminal that vanished makes poll report input that read cannot deliver, forever
    // (crossterm issue 793): many empty wake-ups in a row end the program.
    let mut empty_wakeups = 0u32;
    let mut window = Instant::now();
    let mut dirty = true;
    while !app.quit {
        if dirty {
            draw(&mut shell.terminal, app, theme)?;
            dirty = false;
            if panic_after_draw {
                panic!("NEWSROOM_TEST_PANIC is set");
            }
        }
        // Block until something happens, then take everything already waiting.
        let Ok(first) = rx.recv() else { break };
        let mut batch = vec![first];
        let mut deadline: Option<Instant> = None;
        let frame_start = Instant::now();
        loop {
            let mut inputs = 0;
            let mut useful = 0;
            for msg in batch.drain(..) {
                match msg {
                    Msg::Input(ev) => {
                        inputs += 1;
                        let action = match ev {
                            Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
                            Event::Resize(w, h) => Some(Action::Resize(w, h)),
                            Event::Mouse(m) => mouse_action(app, m),
                            _ => None,
                        };
                        if let Some(a) = action {
                            useful += 1;
                            if !app.quit {
                                app.update(a);
                            }
                        }
                    }
                    Msg::InputGone(e) => return Err(anyhow::anyhow!("the terminal went away: {e}")),
                    Msg::Ranked(r) => app.update(Action::Ranked(r)),
                    Msg::Searched(a) => app.update(Action::Searched(a)),
                    // Said in the status line; a colleague's correction re-indexes as ours do.
                    Msg::Team((changes, user)) => {
                        let reindex = changes.iter().any(|c| c.reindex);
                        app.update(Action::Colleagues(changes.into_iter().map(|c| c.said).collect(), user, reindex));
                        if reindex {
                            (marks.reindex)();
                        }
                    }
                    Msg::Loading(l) => {
                        loaded(shell, app, l);
                        // A warning about the saved marks outlives the loading messages.
                        if let Some(w) = warning.take_if(|_| app.loading.is_none()) {
                            app.message = Some(match app.message.take() {
                                Some(m) => format!("{w} · {m}"),
                                None => w,
                            });
                        }
                    }
                }
                dirty = true;
            }
            if inputs > 0 && useful == 0 {
                empty_wakeups += inputs;
                if window.elapsed() > Duration::from_secs(1) {
                    window = Instant::now();
                    if empty_wakeups > 5_000 {
                        return Err(anyhow::anyhow!("the terminal stopped answering"));
                    }
                    empty_wakeups = 0;
                }
            }
            // Work is submitted before anything is drawn; a key whose answer comes within a
            // frame's wait is drawn once, with it. Article texts are read here, off `update`;
            // keys typed meanwhile waited in the app for them.
            crate::app::reads::perform(app);
            if shell.submit(app) {
                deadline.get_or_insert_with(|| Instant::now() + ANSWER_WAIT);
            }
            perform_effects(shell, app, marks, unsaved)?;
            // A stream of input that never pauses still gets a frame now and then.
            if app.quit || frame_start.elapsed() > Duration::from_millis(50) {
                break;
            }
            // More already waiting is applied before the frame, up to a frame's worth.
            let next = match deadline {
                Some(d) => rx.recv_timeout(d.saturating_duration_since(Instant::now())).ok(),
                None => rx.try_recv().ok(),
            };
            match next {
                Some(msg) => {
                    batch.push(msg);
                    // An answer arrived: draw as soon as nothing else waits.
                    if matches!(batch[0], Msg::Ranked(_) | Msg::Searched(_)) {
                        deadline = None;
                    }
                    while batch.len() < MAX_KEYS_PER_FRAME {
                        match rx.try_recv() {
                            Ok(m) => batch.push(m),
                            Err(_) => break,
                        }
                    }
                }
                None => break,
            }
        }
    }
    Ok(())
}

/// What the loading thread said.
fn loaded(shell: &mut Shell, app: &mut App, msg: Loading) {
    match msg {
        Loading::Progress(done, total) => {
            if app.loading.is_some() {
                app.update(Action::Progress(done, total));
            }
        }
        Loading::Early(corpus) => {
            app.update(Action::Loaded(Arc::new(corpus), Some("checking the collection for changes…".into())));
            shell.spawn_filter(app);
        }
        Loading::Reindexed(corpus) => {
            app.update(Action::Reindexed(Arc::new(corpus)));
            shell.spawn_filter(app);
        }
        Loading::Done(corpus, message, changed) => {
            if shell.worker.is_none() || changed {
                let message = match (shell.worker.is_some(), message) {
                    (true, None) => Some("the collection changed on disk: reloaded".to_string()),
                    (_, m) => m,
                };
                app.update(Action::Loaded(Arc::new(corpus), message));
                shell.spawn_filter(app);
            } else {
                app.message = message;
            }
        }
    }
}

/// Saves what the user changed and does what the app handed off.
fn perform_effects(shell: &mut Shell, app: &mut App, marks: &mut Marks, unsaved: &mut bool) -> anyhow::Result<()> {
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
    if let Some(h) = app.take_handoff() {
        let said = shell.handoff(h).unwrap_or_else(|e| format!("could not hand over: {e}"));
        if !said.is_empty() {
            app.message = Some(said);
        }
        // The program may have taken seconds: the size may have changed meanwhile.
        let size = shell.terminal.size()?;
        let message = app.message.take();
        app.update(Action::Resize(size.width, size.height));
        app.message = message;
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
}

/// Colleagues' changes and the team's layer after them.
type TeamNews = (Vec<crate::core::team::Change>, std::collections::BTreeMap<String, crate::core::store::ArticleUser>);

/// Follows the team store's change log on a connection of its own, every half second, and
/// sends what other newsrooms (than the one whose connection is `origin`) changed after `last`.
fn watch_team(origin: String, mut last: i64, tx: std::sync::mpsc::Sender<Msg>) {
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
                if tx.send(Msg::Team((changes, user))).is_err() {
                    return;
                }
            }
            store = Some(s);
        }
    });
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
