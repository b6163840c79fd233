//! The app layer: one [`App`] state, the [`Action`]s that change it and [`App::update`]. No
//! terminal here: every key behaviour is a state change a unit test can check.

pub mod filter;
pub mod fulltext;
pub mod handoff;
pub mod keymap;
pub mod reader;
pub mod reads;
pub mod timeline;
pub mod user;

use std::collections::HashSet;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use self::filter::{Job, LazyFilterData, RankKind, Ranked};
use self::keymap::{Command, Scope};
use self::reader::{line_of, ReaderLine};
use crate::core::corpus::{ArticleView, Corpus};
use crate::core::extract::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Reader,
    Sidebar,
}

impl Pane {
    fn scope(self) -> Scope {
        match self {
            Pane::List => Scope::List,
            Pane::Reader => Scope::Reader,
            Pane::Sidebar => Scope::Sidebar,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Date,
    Title,
    Path,
}

impl Sort {
    pub fn name(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Title => "title",
            Sort::Path => "path",
        }
    }

    pub fn from_name(s: &str) -> Option<Sort> {
        [Sort::Date, Sort::Title, Sort::Path].into_iter().find(|x| x.name() == s)
    }
}

/// One step of the breadcrumb that narrows the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Articles mentioning an entity.
    Entity(u32),
    /// Articles matching a fuzzy query, best first.
    Query { text: String, matches: Vec<u32> },
    /// Articles matching a full-text search, best first.
    FullText { query: String, matches: Vec<u32> },
    /// Articles of one period of the timeline ("2023-12").
    Period { label: String, matches: Vec<u32> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Fuzzy filter over the list.
    Filter,
    /// Jump to any entity.
    Entity,
    /// Search in the open article.
    Search,
    /// Tags of an article (`-tag` removes one).
    Tag,
    /// An article's note.
    Note,
    /// The note of a highlight being made.
    HighlightNote,
    /// Merge the sidebar's entity into the one chosen.
    Merge,
    /// A new name for the sidebar's entity.
    Rename,
    /// A new kind for the sidebar's entity.
    Retype,
    /// The alias to split out of the sidebar's entity.
    Split,
    /// The entity the search's text is a mention of.
    AddMention,
    /// Full-text search over the collection (`/` in the list).
    FullText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
}

/// Search inside the open article: byte ranges of the matches and the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub matches: Vec<(usize, usize)>,
    pub current: Option<usize>,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Command(Command),
    Resize(u16, u16),
    /// Ranked results from the filter worker.
    Ranked(Ranked),
    /// Mouse wheel over a pane: lines to scroll, negative up.
    Scroll(Pane, i32),
    /// Files loaded so far, of how many.
    Progress(usize, usize),
    /// The collection finished loading; the message says what went wrong with it, if anything.
    Loaded(Arc<Corpus>, Option<String>),
    /// The collection indexed again after an entity correction.
    Reindexed(Arc<Corpus>),
    /// An answer from the search worker.
    Searched(fulltext::SearchAnswer),
    /// Colleagues changed the team's store: what they did (`ana merged X into Y`), the team's
    /// layer as it now is, and whether a re-index (sent as `Reindexed`) follows.
    Colleagues(Vec<String>, std::collections::BTreeMap<String, crate::core::store::ArticleUser>, bool),
    /// What the shell read for a [`reads::Request`].
    Read(reads::Answer),
}

/// What to do once the article being opened has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterOpen {
    /// Nothing more: the reader shows it where it was last left.
    Nothing,
    /// Move to the next mention of the selected entity (a jump to an entity).
    StepMention,
    /// Show the first (`forward`) or last mention of an entity (`]`/`[` across articles).
    Mention { entity: u32, forward: bool },
    /// Bring this body byte to the top (an event's source sentence).
    Byte(usize),
    /// Scroll to this line (the article reopened after a re-index).
    Line(usize),
}

/// Where the panes are, for a terminal size, focus and sidebar wish: at 120 columns or more all
/// three stand side by side; narrower, two (the sidebar replaces the list when wanted or
/// focused); under 60, only the focused pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub sidebar: Option<Rect>,
    pub status: Rect,
}

pub const WIDE: u16 = 120;
const NARROW: u16 = 60;

pub fn layout(width: u16, height: u16, focus: Pane, sidebar_wanted: bool) -> Layout {
    layout_with(width, height, focus, sidebar_wanted, (30, 22))
}

/// [`layout`] with the list's and the sidebar's widths (percent) when all three panes show.
pub fn layout_with(width: u16, height: u16, focus: Pane, sidebar_wanted: bool, widths: (u16, u16)) -> Layout {
    let body_h = height.saturating_sub(1);
    let status = Rect::new(0, body_h, width, height.min(1));
    let rect = |x: u16, w: u16| Some(Rect::new(x, 0, w, body_h));
    if width >= WIDE && sidebar_wanted {
        let list_w = width * widths.0.min(60) / 100;
        let side_w = width * widths.1.min(60) / 100;
        let reader_w = width - list_w - side_w;
        return Layout {
            list: rect(0, list_w),
            reader: rect(list_w, reader_w),
            sidebar: rect(list_w + reader_w, side_w),
            status,
        };
    }
    if width < NARROW {
        let full = rect(0, width);
        return match focus {
            Pane::List => Layout { list: full, status, ..Layout::default() },
            Pane::Reader => Layout { reader: full, status, ..Layout::default() },
            Pane::Sidebar => Layout { sidebar: full, status, ..Layout::default() },
        };
    }
    let show_sidebar = focus == Pane::Sidebar || (sidebar_wanted && width < WIDE && focus == Pane::Reader);
    if show_sidebar {
        let side_w = (width * 36 / 100).max(24);
        return Layout {
            reader: rect(0, width - side_w),
            sidebar: rect(width - side_w, side_w),
            status,
            ..Layout::default()
        };
    }
    let list_w = (width * 36 / 100).max(24);
    Layout { list: rect(0, list_w), reader: rect(list_w, width - list_w), status, ..Layout::default() }
}

/// The inside of a bordered pane.
pub fn inner(r: Rect) -> Rect {
    Rect::new(r.x + 1, r.y + 1, r.width.saturating_sub(2), r.height.saturating_sub(2))
}

/// Kinds in the order the sidebar lists them.
pub const KIND_ORDER: [Kind; 6] = [Kind::Person, Kind::Organization, Kind::Place, Kind::Group, Kind::Other, Kind::Date];

pub struct App {
    pub corpus: Arc<Corpus>,
    pub filter_data: Arc<LazyFilterData>,
    pub focus: Pane,
    pub sidebar_wanted: bool,
    pub size: (u16, u16),
    pub sort: Sort,
    pub filters: Vec<Filter>,
    /// The list as shown: article indices in order.
    pub rows: Vec<u32>,
    pub selected: usize,
    pub list_offset: usize,
    /// Matched title characters per article, from the live or last query.
    pub highlights: std::collections::HashMap<u32, Vec<usize>>,
    /// The article in the reader, and its text.
    pub current: Option<usize>,
    pub view: Option<ArticleView>,
    pub scroll: usize,
    pub lines: Vec<ReaderLine>,
    lines_for: Option<(usize, usize)>,
    pub search: Option<Search>,
    /// The open article's entities with mention counts, in sidebar order.
    pub sidebar: Vec<(u32, u32)>,
    pub sidebar_selected: usize,
    pub sidebar_offset: usize,
    /// The entity whose mentions are highlighted and that `]`/`[` follow.
    pub selected_entity: Option<u32>,
    /// The current mention of the selected entity in the open article (index among its mentions).
    pub mention_cursor: Option<usize>,
    pub details: bool,
    /// The details pane's entity and the entities it is often with, computed when the entity
    /// changes rather than at every frame.
    pub cooccurrence: Option<(u32, Vec<(u32, u32)>)>,
    pub prompt: Option<Prompt>,
    /// Entities found by the entity prompt, and the chosen one.
    pub entity_results: Vec<u32>,
    pub entity_selected: usize,
    pub help: bool,
    pub help_scroll: usize,
    pub message: Option<String>,
    /// Ids of the articles read.
    pub read: HashSet<String>,
    /// Read marks changed since they were last saved.
    pub read_dirty: bool,
    pub quit: bool,
    /// While the collection loads: files done and files in all.
    pub loading: Option<(usize, usize)>,
    generation: u64,
    /// The newest generation whose ranking has arrived.
    answered: u64,
    /// A ranking the shell should run (on the worker) and answer with `Action::Ranked`.
    pub pending_job: Option<Job>,
    /// Stars, tags, notes, highlights and the changes to them the shell must save.
    pub user: user::UserState,
    /// Full-text search: the pending job and the results shown.
    pub fulltext: fulltext::FullText,
    /// The timeline view and its events pane.
    pub timeline: timeline::TimelineView,
    /// The keys in force (defaults and the user's config file).
    pub keys: Arc<keymap::Keymap>,
    /// Something the shell should do outside the browser (pager, editor, browser, copy).
    pub handoff: Option<handoff::Handoff>,
    /// Keys typed while the collection loads, applied when it arrives.
    pub queued: Vec<KeyEvent>,
    /// The list's and the sidebar's widths in percent, when all three panes show.
    pub widths: (u16, u16),
    /// Reads the shell should perform (see [`reads`]).
    reads: Vec<reads::Request>,
    /// The whole collection in the order of a sort, made when first needed.
    order: (Option<Sort>, Vec<u32>),
    /// The article the reader waits for, and what to do when it comes.
    opening: Option<(usize, AfterOpen)>,
}

impl App {
    pub fn new(corpus: Arc<Corpus>, read: HashSet<String>) -> App {
        let filter_data = Arc::new(LazyFilterData::of(Arc::clone(&corpus)));
        let mut app = App {
            corpus,
            filter_data,
            focus: Pane::List,
            sidebar_wanted: true,
            size: (120, 40),
            sort: Sort::Date,
            filters: Vec::new(),
            rows: Vec::new(),
            selected: 0,
            list_offset: 0,
            highlights: Default::default(),
            current: None,
            view: None,
            scroll: 0,
            lines: Vec::new(),
            lines_for: None,
            search: None,
            sidebar: Vec::new(),
            sidebar_selected: 0,
            sidebar_offset: 0,
            selected_entity: None,
            mention_cursor: None,
            cooccurrence: None,
            details: false,
            prompt: None,
            entity_results: Vec::new(),
            entity_selected: 0,
            help: false,
            help_scroll: 0,
            message: None,
            read,
            read_dirty: false,
            quit: false,
            loading: None,
            generation: 0,
            answered: 0,
            pending_job: None,
            user: Default::default(),
            fulltext: Default::default(),
            timeline: Default::default(),
            keys: Default::default(),
            handoff: None,
            queued: Vec::new(),
            widths: (30, 22),
            reads: Vec::new(),
            order: (None, Vec::new()),
            opening: None,
        };
        app.refresh_rows();
        app.preview_selected();
        app
    }

    /// An app that shows a loading gauge until `Action::Loaded` brings the collection.
    pub fn loading(read: HashSet<String>) -> App {
        let mut app = App::new(Arc::new(Corpus::default()), read);
        app.loading = Some((0, 0));
        app
    }

    /// Puts a (newly loaded) collection in place.
    pub fn set_corpus(&mut self, corpus: Arc<Corpus>) {
        self.keep_position(false);
        // The article in the reader stays open (found by its id); at the first load, the one
        // open when newsroom last quit.
        let reopen = self
            .current
            .and_then(|a| self.corpus.articles.get(a))
            .map(|m| m.id.clone())
            .or_else(|| self.user.last_article.take());
        self.cooccurrence = None;
        self.filter_data = Arc::new(LazyFilterData::of(Arc::clone(&corpus)));
        self.corpus = corpus;
        self.filters.clear();
        self.fulltext = Default::default();
        self.timeline = Default::default();
        self.current = None;
        self.view = None;
        self.opening = None;
        self.reads.clear();
        self.order = (None, Vec::new());
        self.selected = 0;
        self.selected_entity = None;
        self.refresh_rows();
        if let Some(row) =
            reopen.and_then(|id| self.rows.iter().position(|&r| self.corpus.articles[r as usize].id == id))
        {
            self.selected = row;
            self.keep_visible();
        }
        self.preview_selected();
        self.relayout();
    }

    pub fn layout(&self) -> Layout {
        layout_with(self.size.0, self.size.1, self.focus, self.sidebar_wanted, self.widths)
    }

    fn reader_size(&self) -> (usize, usize) {
        self.layout()
            .reader
            .map(inner)
            .map_or((60, 20), |r| (usize::from(r.width).max(10), usize::from(r.height).max(1)))
    }

    fn list_height(&self) -> usize {
        let h = self.layout().list.map(inner).map_or(20, |r| usize::from(r.height).max(1));
        // Search results take two lines each: the title and a snippet.
        if self.fulltext.shown.is_some() {
            (h.saturating_sub(1) / 2).max(1)
        } else {
            h
        }
    }

    fn sidebar_height(&self) -> usize {
        self.layout().sidebar.map(inner).map_or(20, |r| usize::from(r.height).max(1))
    }

    /// The scope whose keys apply now.
    pub fn scope(&self) -> Scope {
        self.focus.scope()
    }

    pub fn update(&mut self, action: Action) {
        // A read answers what an earlier action asked for: that action's message stays.
        if !matches!(action, Action::Read(_)) {
            self.message = None;
        }
        self.apply(action);
        if self.details {
            let entity = self.details_entity();
            if entity != self.cooccurrence.as_ref().map(|c| c.0) {
                self.cooccurrence = entity.map(|e| (e, self.corpus.index.cooccurring(e)));
            }
        }
    }

    /// The entity the details pane describes: the selected one, else the sidebar's.
    pub fn details_entity(&self) -> Option<u32> {
        self.selected_entity.or_else(|| self.sidebar.get(self.sidebar_selected).map(|&(e, _)| e))
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Key(key) => self.key(key),
            Action::Command(c) => self.command(c),
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.relayout();
            }
            Action::Ranked(r) => self.ranked(r),
            Action::Searched(a) => self.searched(a),
            Action::Progress(done, total) => self.loading = Some((done, total)),
            Action::Loaded(corpus, message) => {
                self.loading = None;
                self.set_corpus(corpus);
                self.message = message;
                // What was typed while it loaded is applied now, in order.
                for key in std::mem::take(&mut self.queued) {
                    self.key(key);
                }
            }
            Action::Read(answer) => self.read_answered(answer),
            Action::Reindexed(corpus) => self.reindexed(corpus),
            Action::Colleagues(said, user, reindex) => self.colleagues(said, user, reindex),
            Action::Scroll(pane, n) => {
                let c = if n < 0 { Command::Up } else { Command::Down };
                let previous = self.focus;
                self.focus = pane;
                for _ in 0..n.unsigned_abs() {
                    self.command(c);
                }
                self.focus = previous;
            }
        }
    }

    fn key(&mut self, key: KeyEvent) {
        let command = self.keys.lookup(self.scope(), &key);
        // While the collection loads (and nothing is shown yet) keys wait for it; quitting
        // and suspending do not.
        // Likewise while the reader waits for an article's text: keys wait for it, in order.
        if (self.loading.is_some() && self.corpus.articles.is_empty()) || self.opening.is_some() {
            match command {
                Some(c @ (Command::Quit | Command::Suspend)) => self.command(c),
                _ if self.queued.len() < 256 => self.queued.push(key),
                _ => {}
            }
            return;
        }
        if self.prompt.is_some() {
            self.prompt_key(key);
            return;
        }
        if self.help {
            match command {
                Some(Command::Down) => self.help_scroll += 1,
                Some(Command::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
                _ => self.help = false,
            }
            return;
        }
        if self.timeline.open {
            self.timeline_key(key);
            return;
        }
        if self.user.notes_view {
            match command {
                Some(Command::Down) => self.user.notes_scroll += 1,
                Some(Command::Up) => self.user.notes_scroll = self.user.notes_scroll.saturating_sub(1),
                _ => self.user.notes_view = false,
            }
            return;
        }
        if let Some(c) = command {
            self.command(c);
        }
    }

    fn prompt_key(&mut self, key: KeyEvent) {
        let command = self.keys.lookup(Scope::Prompt, &key);
        let Some(prompt) = self.prompt.as_mut() else { return };
        let ctrl = key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (command, key.code) {
            (Some(Command::Cancel), _) => return self.cancel_prompt(),
            (Some(Command::Accept), _) => return self.accept_prompt(),
            (Some(Command::Up), _) => {
                self.entity_selected = self.entity_selected.saturating_sub(1);
                return;
            }
            (Some(Command::Down), _) => {
                self.entity_selected = (self.entity_selected + 1).min(self.entity_results.len().saturating_sub(1));
                return;
            }
            (Some(Command::DeleteChar), _) => {
                prompt.input.pop();
            }
            (Some(Command::ClearLine), _) => prompt.input.clear(),
            (_, KeyCode::Char(c)) if !ctrl && !c.is_control() => prompt.input.push(c),
            _ => return,
        }
        self.prompt_changed();
    }

    fn command(&mut self, c: Command) {
        match c {
            Command::Quit => {
                // The article open now is the one reopened next time, at this place.
                self.keep_position(true);
                self.quit = true;
            }
            Command::Help => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            Command::FocusNext | Command::FocusPrev => {
                let order = [Pane::List, Pane::Reader, Pane::Sidebar];
                let at = order.iter().position(|&p| p == self.focus).unwrap_or(0);
                let step = if c == Command::FocusNext { 1 } else { 2 };
                self.focus = order[(at + step) % 3];
                // Arriving in the sidebar selects its entity at once: its mentions light up.
                if self.focus == Pane::Sidebar && self.selected_entity.is_none() {
                    self.selected_entity = self.sidebar.get(self.sidebar_selected).map(|&(e, _)| e);
                }
                self.relayout();
            }
            Command::ToggleSidebar => {
                self.sidebar_wanted = !self.sidebar_wanted;
                if !self.sidebar_wanted && self.focus == Pane::Sidebar {
                    self.focus = Pane::Reader;
                }
                if self.sidebar_wanted && self.size.0 < WIDE {
                    self.focus = Pane::Sidebar;
                }
                self.relayout();
            }
            Command::Down | Command::Up | Command::PageDown | Command::PageUp | Command::Top | Command::Bottom => {
                self.movement(c)
            }
            Command::Open => match self.focus {
                Pane::List => {
                    if let Some(&a) = self.rows.get(self.selected) {
                        self.open(a as usize, true);
                        self.focus = Pane::Reader;
                        self.relayout();
                    }
                }
                Pane::Sidebar => {
                    if let Some(&(e, _)) = self.sidebar.get(self.sidebar_selected) {
                        self.push_filter(Filter::Entity(e));
                        self.focus = Pane::List;
                        self.relayout();
                    }
                }
                Pane::Reader => {}
            },
            Command::Back => self.back(),
            Command::FilterPrompt => self.open_prompt(PromptKind::Filter),
            Command::FullTextPrompt => self.open_prompt(PromptKind::FullText),
            Command::EntityPrompt => self.open_prompt(PromptKind::Entity),
            Command::SearchPrompt => {
                if self.current.is_some() {
                    self.open_prompt(PromptKind::Search);
                }
            }
            Command::NextMatch => self.step_match(true),
            Command::PrevMatch => self.step_match(false),
            Command::NextMention => self.step_mention(true),
            Command::PrevMention => self.step_mention(false),
            Command::ToggleDetails => self.details = !self.details,
            Command::CycleSort => {
                self.sort = match self.sort {
                    Sort::Date => Sort::Title,
                    Sort::Title => Sort::Path,
                    Sort::Path => Sort::Date,
                };
                self.refresh_rows();
                self.message = Some(format!("sorted by {}", self.sort.name()));
            }
            Command::Star
            | Command::Tag
            | Command::Note
            | Command::NotesView
            | Command::Undo
            | Command::Merge
            | Command::Rename
            | Command::Retype
            | Command::Reject
            | Command::Split
            | Command::Select
            | Command::Highlight
            | Command::AddMention => self.user_command(c),
            Command::Timeline => self.open_timeline(),
            Command::Pager
            | Command::PagerOriginal
            | Command::Editor
            | Command::Browser
            | Command::Copy
            | Command::CopyLink
            | Command::Suspend => self.handoff_command(c),
            // Prompt keys do nothing outside a prompt.
            Command::Accept | Command::Cancel | Command::ClearLine | Command::DeleteChar => {}
            Command::ToggleRead => {
                if let Some(&a) = self.rows.get(self.selected) {
                    let id = self.corpus.articles[a as usize].id.clone();
                    if !self.read.remove(&id) {
                        self.read.insert(id);
                    }
                    self.read_dirty = true;
                }
            }
        }
    }

    fn movement(&mut self, c: Command) {
        if self.focus == Pane::Reader && self.user.selection.is_some() {
            return self.move_selection(c);
        }
        match self.focus {
            Pane::List => {
                let page = self.list_height();
                let n = self.rows.len();
                self.selected = moved(self.selected, n, c, page);
                self.preview_selected();
            }
            Pane::Reader => {
                let (_, page) = self.reader_size();
                let max = self.lines.len().saturating_sub(page);
                self.scroll = moved(self.scroll, max + 1, c, page.saturating_sub(1).max(1));
            }
            Pane::Sidebar => {
                let page = self.sidebar_height();
                self.sidebar_selected = moved(self.sidebar_selected, self.sidebar.len(), c, page);
                self.selected_entity = self.sidebar.get(self.sidebar_selected).map(|&(e, _)| e);
                self.mention_cursor = None;
            }
        }
        self.keep_visible();
    }

    fn keep_visible(&mut self) {
        let h = self.list_height();
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + h {
            self.list_offset = self.selected + 1 - h;
        }
        self.fill_visible_snippets();
        // The sidebar shows headers too: keep a margin for them.
        let h = self.sidebar_height().saturating_sub(KIND_ORDER.len()).max(1);
        if self.sidebar_selected < self.sidebar_offset {
            self.sidebar_offset = self.sidebar_selected;
        } else if self.sidebar_selected >= self.sidebar_offset + h {
            self.sidebar_offset = self.sidebar_selected + 1 - h;
        }
    }

    /// Moving in the list shows the article in the reader without marking it read.
    fn preview_selected(&mut self) {
        if let Some(&a) = self.rows.get(self.selected) {
            if self.current != Some(a as usize) {
                self.open(a as usize, false);
            }
        }
    }

    /// Shows an article in the reader; `mark_read` when the user asked to read it.
    pub fn open(&mut self, article: usize, mark_read: bool) {
        self.open_then(article, mark_read, AfterOpen::Nothing);
    }

    /// Asks for an article's text (the shell reads it and answers with `Action::Read`), and
    /// what to do when it is there; at once when it is already open.
    fn open_then(&mut self, article: usize, mark_read: bool, then: AfterOpen) {
        if self.current != Some(article) {
            self.keep_position(false);
            self.current = Some(article);
            self.view = None;
            self.lines_for = None;
            self.scroll = 0;
            self.mention_cursor = None;
            self.relayout();
            self.refresh_sidebar();
            // Only the newest article asked for is worth reading.
            self.reads.retain(|r| !matches!(r, reads::Request::Article(_)));
            self.reads.push(reads::Request::Article(article));
            self.opening = Some((article, then));
        } else if self.opening.is_some_and(|(a, _)| a == article) {
            self.opening = Some((article, then));
        } else {
            self.after_open(then);
        }
        if mark_read {
            let id = self.corpus.articles[article].id.clone();
            if self.read.insert(id) {
                self.read_dirty = true;
            }
        }
    }

    /// Takes the reads the shell should perform.
    pub fn take_reads(&mut self) -> Vec<reads::Request> {
        std::mem::take(&mut self.reads)
    }

    fn read_answered(&mut self, answer: reads::Answer) {
        match answer {
            reads::Answer::Article(article, view) => {
                let Some((_, then)) = self.opening.take_if(|(a, _)| *a == article) else {
                    return; // the reader has moved on since
                };
                match view {
                    Ok(v) => self.view = Some(v),
                    Err(e) => self.message = Some(format!("cannot load this article: {e}")),
                }
                self.lines_for = None;
                self.relayout();
                // Back where the reader was in it, this run or the last.
                let id = &self.corpus.articles[article].id;
                if let Some(line) = self.user.positions.get(id).and_then(|&b| reader::line_of(&self.lines, b)) {
                    let (_, h) = self.reader_size();
                    self.scroll = line.min(self.lines.len().saturating_sub(h));
                }
                if self.fulltext.shown.is_some() {
                    self.show_hits();
                } else if let Some(q) = self.search.as_ref().map(|s| s.query.clone()) {
                    self.set_search(&q);
                }
                self.after_open(then);
                // Keys typed while it was read, in order (one may open another article, and
                // the rest wait again).
                for key in std::mem::take(&mut self.queued) {
                    self.key(key);
                }
            }
            reads::Answer::Snippets { query, rows } => self.fulltext.snippets_read(&query, rows),
        }
    }

    fn after_open(&mut self, then: AfterOpen) {
        match then {
            AfterOpen::Nothing => {}
            AfterOpen::StepMention => {
                self.step_mention(true);
                self.keep_visible();
            }
            AfterOpen::Mention { entity, forward } => {
                let there: Vec<(usize, usize)> =
                    self.current.map(|a| self.mentions_of(a, entity).collect()).unwrap_or_default();
                let i = if forward { 0 } else { there.len().saturating_sub(1) };
                self.mention_cursor = Some(i);
                self.scroll = 0;
                if let Some(&(s, _)) = there.get(i) {
                    self.reveal(s);
                }
                self.keep_visible();
            }
            AfterOpen::Byte(b) => {
                if let Some(line) = reader::line_of(&self.lines, b) {
                    self.scroll = line;
                }
            }
            AfterOpen::Line(line) => self.scroll = line.min(self.lines.len().saturating_sub(1)),
        }
    }

    /// Notes where the reader is in the open article (the first body byte on screen), for
    /// coming back to it; saved when it moved, or always when `last` (quitting: it is the
    /// article reopened next time).
    fn keep_position(&mut self, last: bool) {
        let Some(id) = self.current.and_then(|a| self.corpus.articles.get(a)).map(|m| m.id.clone()) else { return };
        let byte = if self.scroll == 0 { 0 } else { self.first_body_byte_on_screen().unwrap_or(0) };
        let known = self.user.positions.get(&id).copied();
        if !last && known.unwrap_or(0) == byte {
            return;
        }
        self.user.positions.insert(id.clone(), byte);
        self.user.effects.push(user::Effect::Position { article: id, byte });
    }

    /// Re-wraps the reader for its width when the article or the width changed.
    fn relayout(&mut self) {
        let (Some(a), Some(view)) = (self.current, self.view.as_ref()) else {
            self.lines.clear();
            self.lines_for = None;
            return;
        };
        let (w, h) = self.reader_size();
        if self.lines_for != Some((a, w)) {
            // Keep the reader's place: the first body byte on screen stays on screen.
            let anchor = self.lines.get(self.scroll).and_then(|l| match l.kind {
                reader::LineKind::Body { start, .. } => Some(start),
                _ => None,
            });
            self.lines = reader::layout(&self.corpus.articles[a], &view.text, w);
            self.lines_for = Some((a, w));
            self.scroll = anchor.and_then(|b| line_of(&self.lines, b)).unwrap_or(self.scroll.min(self.lines.len()));
        }
        self.scroll = self.scroll.min(self.lines.len().saturating_sub(h));
        self.keep_visible();
    }

    fn refresh_sidebar(&mut self) {
        let Some(a) = self.current else {
            self.sidebar.clear();
            return;
        };
        let mut entities = self.corpus.index.article_entities(a);
        let rank = |e: u32| KIND_ORDER.iter().position(|&k| k == self.corpus.entity(e).kind).unwrap_or(9);
        entities.sort_by(|x, y| rank(x.0).cmp(&rank(y.0)).then(y.1.cmp(&x.1)).then(x.0.cmp(&y.0)));
        self.sidebar = entities;
        self.sidebar_selected =
            self.selected_entity.and_then(|e| self.sidebar.iter().position(|&(x, _)| x == e)).unwrap_or(0);
        self.sidebar_offset = 0;
        self.keep_visible();
    }

    // ----- the list and its filters -----

    /// The articles every entity filter and accepted query allow, in article order.
    fn candidates(&self) -> Vec<u32> {
        let mut allowed: Option<HashSet<u32>> = None;
        for f in &self.filters {
            let set: HashSet<u32> = match f {
                Filter::Entity(e) => self.corpus.index.entity_articles[*e as usize].iter().map(|&(a, _)| a).collect(),
                Filter::Query { matches, .. } | Filter::FullText { matches, .. } | Filter::Period { matches, .. } => {
                    matches.iter().copied().collect()
                }
            };
            allowed = Some(match allowed {
                None => set,
                Some(prev) => prev.intersection(&set).copied().collect(),
            });
        }
        let n = self.corpus.articles.len() as u32;
        match allowed {
            None => (0..n).collect(),
            Some(set) => (0..n).filter(|a| set.contains(a)).collect(),
        }
    }

    /// `rows` in the list's order. The whole collection is sorted once per collection and sort
    /// (comparing dates and paths of 100k articles takes tens of milliseconds); a list of some
    /// of it is then picked out of that order in linear time, as when a filter is cleared.
    fn sorted(&mut self, rows: Vec<u32>) -> Vec<u32> {
        let n = self.corpus.articles.len();
        if self.order.0 != Some(self.sort) || self.order.1.len() != n {
            let arts = &self.corpus.articles;
            let mut all: Vec<u32> = (0..n as u32).collect();
            match self.sort {
                Sort::Date => sort_by_date(arts, &mut all),
                Sort::Title => all.sort_by_cached_key(|&a| arts[a as usize].title.to_lowercase()),
                Sort::Path => {
                    let ranks = path_ranks(arts);
                    all.sort_by_key(|&a| ranks[a as usize]);
                }
            }
            self.order = (Some(self.sort), all);
        }
        if rows.len() == n {
            return self.order.1.clone();
        }
        let mut wanted = vec![false; n];
        for r in rows {
            if let Some(w) = wanted.get_mut(r as usize) {
                *w = true;
            }
        }
        self.order.1.iter().copied().filter(|&a| wanted[a as usize]).collect()
    }

    /// Recomputes the list from the filters (a query filter keeps its ranking).
    pub fn refresh_rows(&mut self) {
        let keep = self.rows.get(self.selected).copied();
        let candidates = self.candidates();
        self.rows = match self.filters.last() {
            Some(Filter::Query { matches, .. }) | Some(Filter::FullText { matches, .. }) => {
                let allowed: HashSet<u32> = candidates.into_iter().collect();
                matches.iter().copied().filter(|a| allowed.contains(a)).collect()
            }
            _ => self.sorted(candidates),
        };
        if self.filters.iter().all(|f| !matches!(f, Filter::Query { .. })) {
            self.highlights.clear();
        }
        self.selected = keep.and_then(|a| self.rows.iter().position(|&r| r == a)).unwrap_or(0);
        self.list_offset = 0;
        self.keep_visible();
    }

    fn push_filter(&mut self, f: Filter) {
        self.filters.push(f);
        self.refresh_rows();
        self.selected = 0;
        self.list_offset = 0;
        self.preview_selected();
    }

    /// The breadcrumb of active filters, for the list's title.
    pub fn breadcrumb(&self) -> Vec<String> {
        self.filters
            .iter()
            .map(|f| match f {
                Filter::Entity(e) => self.corpus.entity(*e).name.clone(),
                Filter::Query { text, .. } => format!("“{text}”"),
                Filter::FullText { query, .. } => format!("/{query}"),
                Filter::Period { label, .. } => label.clone(),
            })
            .collect()
    }

    fn back(&mut self) {
        if self.user.selection.take().is_some() {
            self.message = Some("selection dropped".into());
        } else if self.help {
            self.help = false;
        } else if self.search.is_some() && !(self.focus == Pane::List && self.fulltext.shown.is_some()) {
            self.search = None;
        } else if self.details {
            self.details = false;
        } else if let Some(f) = self.filters.pop() {
            if matches!(f, Filter::FullText { .. }) {
                self.end_fulltext();
            }
            self.refresh_rows();
            self.preview_selected();
        } else if self.focus != Pane::List {
            self.focus = Pane::List;
            self.relayout();
        }
    }

    // ----- prompts -----

    fn open_prompt(&mut self, kind: PromptKind) {
        let input = match kind {
            PromptKind::Search => self.search.as_ref().map(|s| s.query.clone()).unwrap_or_default(),
            // `/` on a search result edits its query.
            PromptKind::FullText => match self.filters.last() {
                Some(Filter::FullText { query, .. }) => {
                    let q = query.clone();
                    self.filters.pop();
                    q
                }
                _ => String::new(),
            },
            _ => String::new(),
        };
        self.prompt = Some(Prompt { kind, input });
        self.entity_results.clear();
        self.entity_selected = 0;
        if kind == PromptKind::Filter || kind == PromptKind::FullText {
            self.focus = Pane::List;
            self.relayout();
        }
        self.prompt_changed();
    }

    fn prompt_changed(&mut self) {
        let Some(prompt) = &self.prompt else { return };
        let query = prompt.input.clone();
        match prompt.kind {
            PromptKind::Search => self.set_search(&query),
            PromptKind::FullText => self.fulltext_changed(query),
            PromptKind::Filter => {
                self.generation += 1;
                self.pending_job = Some(Job {
                    generation: self.generation,
                    kind: RankKind::Articles,
                    query,
                    // Without filters every article is a candidate: no list to copy per key.
                    within: (!self.filters.is_empty()).then(|| self.candidates()),
                });
            }
            PromptKind::Entity => {
                self.generation += 1;
                if query.trim().is_empty() {
                    self.entity_results.clear();
                    self.pending_job = None;
                } else {
                    self.pending_job =
                        Some(Job { generation: self.generation, kind: RankKind::Entities, query, within: None });
                }
            }
            _ => self.user_prompt_changed(),
        }
    }

    /// Takes the ranking the shell should run next.
    pub fn take_job(&mut self) -> Option<Job> {
        self.pending_job.take()
    }

    /// Runs a pending ranking here and now (tests, and tiny collections).
    pub fn run_pending_job(&mut self) {
        if let Some(job) = self.take_job() {
            if let Some(r) = filter::run_job(&self.filter_data, &job, &|| false) {
                self.update(Action::Ranked(r));
            }
        }
    }

    fn ranked(&mut self, r: Ranked) {
        if r.generation != self.generation {
            return; // an answer to a query since changed
        }
        self.answered = r.generation;
        match r.kind {
            RankKind::Articles => {
                let keep = self.rows.get(self.selected).copied();
                self.rows = if r.query.trim().is_empty() { self.sorted(r.items) } else { r.items };
                self.highlights = r.highlights.into_iter().collect();
                self.selected = keep
                    .and_then(|a| self.rows.iter().position(|&x| x == a))
                    .filter(|_| r.query.trim().is_empty())
                    .unwrap_or(0);
                self.list_offset = 0;
                self.keep_visible();
                self.preview_selected();
            }
            RankKind::Entities => {
                self.entity_results = r.items;
                self.entity_selected = 0;
            }
        }
    }

    /// Ranks the prompt's query here and now when its answer has not arrived (the job may be
    /// queued, or on the worker).
    fn answer_now(&mut self, prompt: &Prompt) {
        if self.answered == self.generation || prompt.kind == PromptKind::Search {
            return;
        }
        self.prompt = Some(prompt.clone());
        if self.pending_job.is_none() {
            self.generation += 1;
            self.prompt_changed();
        }
        self.run_pending_job();
        self.prompt = None;
    }

    fn cancel_prompt(&mut self) {
        let Some(prompt) = self.prompt.take() else { return };
        self.pending_job = None;
        self.generation += 1;
        match prompt.kind {
            PromptKind::Filter => {
                self.refresh_rows();
                self.preview_selected();
            }
            PromptKind::Search => self.search = None,
            PromptKind::Entity => self.entity_results.clear(),
            PromptKind::FullText => {
                self.end_fulltext();
                self.refresh_rows();
                self.preview_selected();
            }
            _ => {
                self.entity_results.clear();
                self.user.correcting = None;
            }
        }
    }

    fn accept_prompt(&mut self) {
        let Some(prompt) = self.prompt.take() else { return };
        match prompt.kind {
            PromptKind::Filter => {
                // Whatever the worker has not answered yet is answered now, so Enter never
                // accepts a stale list.
                self.answer_now(&prompt);
                if prompt.input.trim().is_empty() {
                    self.refresh_rows();
                } else {
                    self.filters
                        .push(Filter::Query { text: prompt.input.trim().to_string(), matches: self.rows.clone() });
                }
                self.focus = Pane::List;
                self.relayout();
            }
            PromptKind::Search => {
                self.focus = Pane::Reader;
                self.relayout();
                if self.search.as_ref().is_some_and(|s| s.matches.is_empty()) {
                    self.message = Some(format!("“{}” is not in this article", prompt.input));
                }
            }
            PromptKind::FullText => self.accept_fulltext(&prompt.input),
            PromptKind::Entity => {
                self.answer_now(&prompt);
                match self.entity_results.get(self.entity_selected).copied() {
                    Some(e) => self.jump_to_entity(e),
                    None => self.message = Some(format!("no entity matches “{}”", prompt.input)),
                }
                self.entity_results.clear();
            }
            _ => self.accept_user_prompt(prompt),
        }
    }

    /// Selects an entity: its mentions light up, the reader moves to its first mention (opening
    /// the first listed article that mentions it, if this one does not).
    pub fn jump_to_entity(&mut self, e: u32) {
        self.selected_entity = Some(e);
        self.mention_cursor = None;
        let here = self.current.is_some_and(|a| self.mentions_of(a, e).next().is_some());
        if !here {
            let articles: HashSet<u32> =
                self.corpus.index.entity_articles[e as usize].iter().map(|&(a, _)| a).collect();
            let target = self
                .rows
                .iter()
                .position(|r| articles.contains(r))
                .map(|pos| {
                    self.selected = pos;
                    self.rows[pos] as usize
                })
                .or_else(|| self.corpus.index.entity_articles[e as usize].first().map(|&(a, _)| a as usize));
            if let Some(a) = target.filter(|&a| self.current != Some(a)) {
                self.focus = Pane::Reader;
                self.open_then(a, true, AfterOpen::StepMention);
                return;
            }
        }
        self.refresh_sidebar();
        self.step_mention(true);
        self.focus = Pane::Reader;
        self.relayout();
        self.keep_visible();
    }

    // ----- search in the article -----

    fn set_search(&mut self, query: &str) {
        let Some(view) = self.view.as_ref() else { return };
        if query.is_empty() {
            self.search = None;
            return;
        }
        let body = &view.text.body;
        let matches = find_case_insensitive(body, query);
        let first_visible = self.first_body_byte_on_screen();
        let current = matches
            .iter()
            .position(|&(s, _)| first_visible.is_none_or(|f| s >= f))
            .or((!matches.is_empty()).then_some(0));
        self.search = Some(Search { query: query.to_string(), matches, current });
        self.reveal_search_match();
    }

    fn step_match(&mut self, forward: bool) {
        let Some(s) = self.search.as_mut() else {
            self.message = Some("no search: press / to search this article".into());
            return;
        };
        if s.matches.is_empty() {
            self.message = Some(format!("“{}” is not in this article", s.query));
            return;
        }
        let n = s.matches.len();
        s.current = Some(match (s.current, forward) {
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
            (None, _) => 0,
        });
        self.reveal_search_match();
    }

    fn reveal_search_match(&mut self) {
        if let Some((start, _)) = self.search.as_ref().and_then(|s| s.current.map(|c| s.matches[c])) {
            self.reveal(start);
        }
    }

    /// Where the body text on screen begins (the top line may be a heading or blank).
    fn first_body_byte_on_screen(&self) -> Option<usize> {
        self.lines.get(self.scroll..)?.iter().find_map(|l| match l.kind {
            reader::LineKind::Body { start, .. } => Some(start),
            _ => None,
        })
    }

    /// Scrolls so that body byte `offset` is on screen, a third of the way down.
    fn reveal(&mut self, offset: usize) {
        let (_, h) = self.reader_size();
        if let Some(line) = line_of(&self.lines, offset) {
            if line < self.scroll || line >= self.scroll + h {
                self.scroll = line.saturating_sub(h / 3).min(self.lines.len().saturating_sub(h));
            }
        }
    }

    // ----- mentions -----

    /// The mentions of entity `e` in the open article `a`, as byte ranges in text order.
    pub fn mentions_of(&self, a: usize, e: u32) -> impl Iterator<Item = (usize, usize)> + '_ {
        let view = self.view.as_ref().filter(|_| self.current == Some(a));
        view.into_iter()
            .flat_map(|v| v.mentions.iter())
            .filter(move |m| m.entity == e)
            .map(|m| (m.start as usize, m.end as usize))
    }

    /// `]` and `[`: the next (previous) mention of the selected entity; past the last one here,
    /// the first mention in the next listed article that mentions it, wrapping around.
    fn step_mention(&mut self, forward: bool) {
        let Some(e) = self.selected_entity.or_else(|| self.sidebar.get(self.sidebar_selected).map(|&(e, _)| e)) else {
            self.message = Some("select an entity first: Tab to the sidebar, or press e".into());
            return;
        };
        self.selected_entity = Some(e);
        let Some(a) = self.current else { return };
        let here: Vec<(usize, usize)> = self.mentions_of(a, e).collect();
        let visible_start = self.first_body_byte_on_screen();
        let next_here = match (self.mention_cursor, forward) {
            (Some(c), true) => (c + 1 < here.len()).then_some(c + 1),
            (Some(c), false) => c.checked_sub(1),
            (None, true) => here.iter().position(|&(s, _)| visible_start.is_none_or(|v| s >= v)),
            (None, false) => here.iter().rposition(|&(s, _)| visible_start.is_none_or(|v| s < v)),
        };
        if let Some(i) = next_here {
            self.mention_cursor = Some(i);
            self.reveal(here[i].0);
            return;
        }
        // On to the next article in the list that mentions it.
        let mentioning: HashSet<u32> = self.corpus.index.entity_articles[e as usize].iter().map(|&(x, _)| x).collect();
        let order: Vec<u32> = if self.rows.iter().any(|r| mentioning.contains(r)) {
            self.rows.iter().copied().filter(|r| mentioning.contains(r)).collect()
        } else {
            self.corpus.index.entity_articles[e as usize].iter().map(|&(x, _)| x).collect()
        };
        let at = order.iter().position(|&x| x as usize == a);
        let n = order.len();
        if n == 0 {
            return;
        }
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        if at.is_some_and(|i| (forward && next <= i) || (!forward && next >= i)) {
            self.message = Some(format!(
                "wrapped around: {} mention {}",
                crate::core::text::counted(n, "article", "articles"),
                self.corpus.entity(e).name
            ));
        }
        let target = order[next] as usize;
        if let Some(pos) = self.rows.iter().position(|&r| r as usize == target) {
            self.selected = pos;
        }
        // Passing through an article is not reading it: only Enter marks it read.
        self.open_then(target, false, AfterOpen::Mention { entity: e, forward });
    }

    /// Counts for the status bar.
    pub fn unread(&self) -> usize {
        self.corpus.articles.iter().filter(|a| !self.read.contains(&a.id)).count()
    }
}

/// A position moved by a command within `0..len`.
fn moved(at: usize, len: usize, c: Command, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match c {
        Command::Down => (at + 1).min(last),
        Command::Up => at.saturating_sub(1),
        Command::PageDown => (at + page).min(last),
        Command::PageUp => at.saturating_sub(page),
        Command::Top => 0,
        Command::Bottom => last,
        _ => at,
    }
}

/// Byte ranges where `needle` occurs in `hay`, ignoring case (ASCII and simple Unicode).
pub fn find_case_insensitive(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut k = 0;
        let mut j = i;
        while k < needle.len() && j < chars.len() {
            let mut lower = chars[j].1.to_lowercase();
            if lower.next() != Some(needle[k]) || lower.next().is_some() {
                break;
            }
            k += 1;
            j += 1;
        }
        if k == needle.len() {
            let end = chars.get(j).map_or(hay.len(), |c| c.0);
            out.push((chars[i].0, end));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// An article's place in the date order: undated last, newest first, path rank, its number.
type DateKey = (bool, std::cmp::Reverse<u128>, u32, u32);

/// Sorts articles newest first, undated last, then by path, in article order where those are
/// equal. Dates and paths are compared as keys packed beside each article's number: comparing
/// the strings themselves, scattered over the heap, took a quarter of a second at 100k articles.
fn sort_by_date(arts: &[crate::core::corpus::ArticleMeta], all: &mut [u32]) {
    // An ISO date (with its time, if any) packed big-endian orders as its text does; a longer
    // date string, which no source gives, falls back to comparing the strings.
    let packed = |d: &str| -> Option<u128> {
        let b = d.as_bytes();
        (b.len() <= 16 && !b.contains(&0)).then(|| {
            let mut buf = [0u8; 16];
            buf[..b.len()].copy_from_slice(b);
            u128::from_be_bytes(buf)
        })
    };
    let ranks = path_ranks(arts);
    let keys: Option<Vec<DateKey>> = all
        .iter()
        .map(|&a| {
            let m = &arts[a as usize];
            let date = match &m.date {
                Some(d) => packed(d)?,
                None => 0,
            };
            Some((m.date.is_none(), std::cmp::Reverse(date), ranks[a as usize], a))
        })
        .collect();
    match keys {
        Some(mut keys) => {
            keys.sort_unstable();
            for (slot, key) in all.iter_mut().zip(keys) {
                *slot = key.3;
            }
        }
        None => all.sort_by(|&a, &b| {
            let (x, y) = (&arts[a as usize], &arts[b as usize]);
            y.date.is_some().cmp(&x.date.is_some()).then(y.date.cmp(&x.date)).then(x.path.cmp(&y.path))
        }),
    }
}

/// Each article's place in path order (equal paths share it). Articles usually come in path
/// order already, which one pass over neighbours confirms.
fn path_ranks(arts: &[crate::core::corpus::ArticleMeta]) -> Vec<u32> {
    let mut ranks = Vec::with_capacity(arts.len());
    let mut rank = 0u32;
    for (k, m) in arts.iter().enumerate() {
        match arts.get(k.wrapping_sub(1)).map(|prev| prev.path.cmp(&m.path)) {
            None | Some(std::cmp::Ordering::Equal) => {}
            Some(std::cmp::Ordering::Less) => rank += 1,
            Some(std::cmp::Ordering::Greater) => return path_ranks_sorted(arts),
        }
        ranks.push(rank);
    }
    ranks
}

/// [`path_ranks`] of articles not in path order.
fn path_ranks_sorted(arts: &[crate::core::corpus::ArticleMeta]) -> Vec<u32> {
    let mut ranks = vec![0u32; arts.len()];
    let mut order: Vec<u32> = (0..arts.len() as u32).collect();
    order.sort_by(|&a, &b| arts[a as usize].path.cmp(&arts[b as usize].path));
    let mut rank = 0;
    for k in 0..order.len() {
        if k > 0 && arts[order[k] as usize].path != arts[order[k - 1] as usize].path {
            rank += 1;
        }
        ranks[order[k] as usize] = rank;
    }
    ranks
}

#[cfg(test)]
mod tests;
