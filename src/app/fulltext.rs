//! Full-text search in the browser: the job the shell runs on a worker thread for each key typed
//! at the `/` prompt of the list (stale queries dropped), and its answer — ranked articles, each
//! with a one-line snippet and its hits highlighted.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use crate::core::corpus::Corpus;
use crate::core::search::{self, hits, Highlighter, UserSnapshot};

/// Results shown for a query, at most (the status bar says how many match in all).
pub const LIMIT: usize = 1000;
/// Snippets are made for this many of the best results (the ones on screen come first); the
/// rest get theirs when the answer is made again with the list scrolled — in practice nobody
/// reads past the first screens.
const SNIPPETS: usize = 60;
/// Entities shown as facets beside the results.
pub const FACETS: usize = 6;
/// Characters in a snippet line.
const SNIPPET_CHARS: usize = 160;

/// A search the shell should run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchJob {
    pub generation: u64,
    pub query: String,
    /// Read marks, stars and tags, for `is:` and `tag:`.
    pub user: Arc<UserSnapshot>,
}

/// One result: the article, its snippet line and the hits in it (byte ranges in the line).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRow {
    pub article: u32,
    pub snippet: String,
    pub marks: Vec<(usize, usize)>,
}

/// What a search found, or why it could not run.
#[derive(Debug, Clone)]
pub struct SearchAnswer {
    pub generation: u64,
    pub query: String,
    pub result: Result<Answered, String>,
}

#[derive(Debug, Clone)]
pub struct Answered {
    pub rows: Vec<SearchRow>,
    pub total: usize,
    pub elapsed: Duration,
    pub notes: Vec<String>,
    pub highlighter: Highlighter,
}

/// Runs a search job: parse, search, snippets for the best results.
pub fn run(corpus: &Corpus, job: &SearchJob) -> SearchAnswer {
    let started = std::time::Instant::now();
    let result = (|| {
        let node = search::parse(&job.query).map_err(|e| format!("column {}: {}", e.column, e.message))?;
        let index = corpus.search_index().map_err(|e| e.to_string())?;
        let found = index.search(corpus, &node, LIMIT, &*job.user).map_err(|e| e.to_string())?;
        let highlighter = Highlighter::for_corpus(&node, corpus);
        let rows = found
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let (snippet, marks) = if i < SNIPPETS {
                    snippet_of(corpus, h.article, &highlighter)
                } else {
                    (String::new(), Vec::new())
                };
                SearchRow { article: h.article as u32, snippet, marks }
            })
            .collect();
        Ok(Answered { rows, total: found.total, elapsed: started.elapsed(), notes: found.notes, highlighter })
    })();
    SearchAnswer { generation: job.generation, query: job.query.clone(), result }
}

/// The snippet line of one article for a query.
pub fn snippet_of(corpus: &Corpus, article: usize, highlighter: &Highlighter) -> (String, Vec<(usize, usize)>) {
    match corpus.open(article) {
        Ok(view) => {
            let spans = highlighter.spans_in(&view.text.body, &view.mentions);
            hits::snippet(&view.text.body, &spans, SNIPPET_CHARS)
        }
        Err(e) => (format!("(cannot load this article: {e})"), Vec::new()),
    }
}

/// Runs searches on its own thread; only the newest of the queued jobs is run.
pub struct SearchWorker {
    jobs: Sender<SearchJob>,
    pub results: Receiver<SearchAnswer>,
    newest: Arc<AtomicU64>,
    /// The collection it searches.
    pub corpus: Arc<Corpus>,
}

impl SearchWorker {
    pub fn spawn(corpus: Arc<Corpus>) -> SearchWorker {
        let (result_tx, results) = mpsc::channel();
        let mut w = SearchWorker::spawn_with(corpus, Box::new(move |a| result_tx.send(a).is_ok()));
        w.results = results;
        w
    }

    /// A worker that hands each answer to `sink` (the shell's one channel) instead of
    /// `results`; it stops when `sink` says no one listens.
    pub fn spawn_with(corpus: Arc<Corpus>, sink: Box<dyn Fn(SearchAnswer) -> bool + Send>) -> SearchWorker {
        let (jobs, job_rx) = mpsc::channel::<SearchJob>();
        let results = mpsc::channel().1;
        let newest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&newest);
        let searched = Arc::clone(&corpus);
        let _ = std::thread::Builder::new().name("newsroom-search".into()).spawn(move || {
            while let Ok(mut job) = job_rx.recv() {
                while let Ok(next) = job_rx.try_recv() {
                    job = next;
                }
                if job.generation < seen.load(Ordering::SeqCst) {
                    continue;
                }
                let answer = run(&searched, &job);
                if !sink(answer) {
                    break;
                }
            }
        });
        SearchWorker { jobs, results, newest, corpus }
    }

    pub fn submit(&self, job: SearchJob) {
        self.newest.fetch_max(job.generation, Ordering::SeqCst);
        let _ = self.jobs.send(job);
    }
}

/// The browser's search state: the query being answered and the answer shown.
#[derive(Debug, Default)]
pub struct FullText {
    pub generation: u64,
    /// A search the shell should run (on the worker) and answer with `Action::Searched`.
    pub pending: Option<SearchJob>,
    /// The query and answer shown, while the prompt is open or the list is a search result.
    pub shown: Option<(String, Answered)>,
    /// Count and time of the last search, or what is wrong with the query, for the status bar.
    pub status: Option<String>,
    /// The entities mentioned in most of the results shown, with counts (the sidebar's facets).
    pub facets: Vec<(u32, u32)>,
}

impl FullText {
    /// The snippet row of an article in the results shown.
    pub fn row(&self, article: u32) -> Option<&SearchRow> {
        self.shown.as_ref().and_then(|(_, a)| a.rows.iter().find(|r| r.article == article))
    }

    pub fn highlighter(&self) -> Option<&Highlighter> {
        self.shown.as_ref().map(|(_, a)| &a.highlighter)
    }

    /// Asks for the snippets missing for these articles (those past the first few results);
    /// they show "…" until read.
    fn request_snippets(&mut self, articles: &[u32]) -> Option<super::reads::Request> {
        let (query, answered) = self.shown.as_mut()?;
        let mut wanted = Vec::new();
        for row in answered.rows.iter_mut().filter(|r| r.snippet.is_empty() && articles.contains(&r.article)) {
            row.snippet = "…".into();
            wanted.push(row.article);
        }
        (!wanted.is_empty()).then(|| super::reads::Request::Snippets {
            query: query.clone(),
            articles: wanted,
            highlighter: answered.highlighter.clone(),
        })
    }

    /// Snippets read for the query shown (an answer for an older query is dropped).
    pub fn snippets_read(&mut self, query: &str, read: Vec<SearchRow>) {
        let Some((_, answered)) = self.shown.as_mut().filter(|(q, _)| q == query) else { return };
        for new in read {
            if let Some(row) = answered.rows.iter_mut().find(|r| r.article == new.article) {
                *row = new;
            }
        }
    }
}

/// The status line of an answer: how many, and how long it took.
pub fn status_of(answered: &Answered) -> String {
    let ms = answered.elapsed.as_secs_f64() * 1000.0;
    let mut s = match (answered.total, answered.rows.len()) {
        (0, _) => format!("no article matches · {ms:.0} ms"),
        (1, _) => format!("1 article matches · {ms:.0} ms"),
        (t, n) if t > n => format!("{t} articles match (best {n} shown) · {ms:.0} ms"),
        (t, _) => format!("{t} articles match · {ms:.0} ms"),
    };
    for n in &answered.notes {
        s.push_str(" · ");
        s.push_str(n);
    }
    s
}

impl super::App {
    /// The `/` prompt's query changed: a new search for the worker.
    pub(super) fn fulltext_changed(&mut self, query: String) {
        self.fulltext.generation += 1;
        if query.trim().is_empty() {
            self.fulltext.pending = None;
            self.fulltext.shown = None;
            self.fulltext.status = None;
            self.refresh_rows();
            self.preview_selected();
            return;
        }
        // Read marks, stars and tags go along only when the query asks about them.
        let user = if query.contains("is:") || query.contains("tag:") {
            Arc::new(UserSnapshot {
                read: self.read.clone(),
                starred: self.user.starred.clone(),
                tags: self.user.tags.clone(),
            })
        } else {
            Arc::default()
        };
        self.fulltext.pending = Some(SearchJob { generation: self.fulltext.generation, query, user });
    }

    /// Takes the search the shell should run next.
    pub fn take_search_job(&mut self) -> Option<SearchJob> {
        self.fulltext.pending.take()
    }

    /// Runs a pending search here and now (tests, and Enter before the worker answered).
    pub fn run_pending_search(&mut self) {
        if let Some(job) = self.take_search_job() {
            let answer = run(&self.corpus, &job);
            self.update(super::Action::Searched(answer));
        }
    }

    pub(super) fn searched(&mut self, answer: SearchAnswer) {
        if answer.generation != self.fulltext.generation {
            return; // an answer to a query since changed
        }
        match answer.result {
            Ok(answered) => {
                self.fulltext.status = Some(status_of(&answered));
                // Entity filters below the search narrow it.
                let allowed: HashSet<u32> = self.candidates().into_iter().collect();
                let mut answered = answered;
                answered.rows.retain(|r| allowed.contains(&r.article));
                self.rows = answered.rows.iter().map(|r| r.article).collect();
                let articles: Vec<usize> = self.rows.iter().map(|&a| a as usize).collect();
                self.fulltext.facets = search::facets(&self.corpus, &articles, FACETS);
                self.highlights.clear();
                self.fulltext.shown = Some((answer.query, answered));
                self.selected = 0;
                self.list_offset = 0;
                self.current = None;
                self.keep_visible();
                self.preview_selected();
            }
            Err(why) => {
                // The list stays as it was; the status bar says what is wrong, and where.
                self.fulltext.status = Some(format!("query: {why}"));
            }
        }
    }

    pub(super) fn accept_fulltext(&mut self, input: &str) {
        if input.trim().is_empty() {
            self.end_fulltext();
            self.refresh_rows();
            return;
        }
        // Enter never accepts a stale list: an unanswered query is answered now.
        let answered = self.fulltext.shown.as_ref().is_some_and(|(q, _)| q == input) && self.fulltext.pending.is_none();
        if !answered {
            if self.fulltext.pending.is_none() {
                self.fulltext_changed(input.to_string());
            }
            self.run_pending_search();
        }
        if self.fulltext.shown.as_ref().is_none_or(|(q, _)| q != input) {
            // The query is malformed: keep it in the prompt to be fixed.
            self.prompt = Some(super::Prompt { kind: super::PromptKind::FullText, input: input.to_string() });
            return;
        }
        self.filters.push(super::Filter::FullText { query: input.trim().to_string(), matches: self.rows.clone() });
        self.focus = super::Pane::List;
        self.relayout();
    }

    /// The list is no longer a search result.
    pub(super) fn end_fulltext(&mut self) {
        self.fulltext.pending = None;
        self.fulltext.generation += 1;
        if !self.filters.iter().any(|f| matches!(f, super::Filter::FullText { .. })) {
            self.fulltext.shown = None;
            self.fulltext.status = None;
            self.search = None;
        }
    }

    /// Puts the reader's matches on the search's hits in the open article, at the first one, so
    /// `n`/`N` walk them.
    pub(super) fn show_hits(&mut self) {
        let (Some(view), Some((query, answered))) = (self.view.as_ref(), self.fulltext.shown.as_ref()) else {
            return;
        };
        let matches = answered.highlighter.spans_in(&view.text.body, &view.mentions);
        let current = (!matches.is_empty()).then_some(0);
        let first = matches.first().map(|m| m.0);
        self.search = Some(super::Search { query: query.clone(), matches, current });
        if let Some(at) = first {
            self.relayout();
            self.reveal(at);
        }
    }

    /// Snippets for the results on screen.
    pub(super) fn fill_visible_snippets(&mut self) {
        if self.fulltext.shown.is_none() {
            return;
        }
        let h = self.list_height();
        let visible: Vec<u32> = self.rows.iter().skip(self.list_offset).take(h).copied().collect();
        if let Some(request) = self.fulltext.request_snippets(&visible) {
            self.reads.push(request);
        }
    }
}
