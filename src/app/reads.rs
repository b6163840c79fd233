//! Reading from disk, which [`App::update`] never does: the app asks (opening an article, or
//! search results scrolling into view set a [`Request`]), the shell performs it ([`perform`])
//! and answers with [`Action::Read`]. Keys that arrive while the reader waits for its article
//! wait too, and are applied in order when it comes, so typing ahead behaves as if the read
//! were instant.

use std::sync::Arc;

use super::fulltext::SearchRow;
use super::{Action, App};
use crate::core::corpus::{ArticleView, Corpus};
use crate::core::search::hits::Highlighter;

/// Something the app needs read from the collection's cache.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// An article's text and mentions, for the reader.
    Article(usize),
    /// The snippet lines of search results coming into view (for the query shown).
    Snippets { query: String, articles: Vec<u32>, highlighter: Highlighter },
}

/// What was read, for [`Action::Read`].
#[derive(Debug, Clone)]
pub enum Answer {
    Article(usize, Result<ArticleView, String>),
    /// Per article: the snippet line and the hits in it.
    Snippets {
        query: String,
        rows: Vec<SearchRow>,
    },
}

/// Reads what a request asks for.
pub fn answer(corpus: &Corpus, request: Request) -> Answer {
    match request {
        Request::Article(a) => Answer::Article(a, corpus.open(a).map_err(|e| e.to_string())),
        Request::Snippets { query, articles, highlighter } => {
            let rows = articles
                .into_iter()
                .map(|a| {
                    let (snippet, marks) = super::fulltext::snippet_of(corpus, a as usize, &highlighter);
                    SearchRow { article: a, snippet, marks }
                })
                .collect();
            Answer::Snippets { query, rows }
        }
    }
}

/// Performs every read the app asked for and hands the answers back, until it asks for no more
/// (keys waiting for an article may open another when they are applied).
pub fn perform(app: &mut App) {
    // Each answered article is one step of the typed-ahead keys; they are bounded (256), so
    // this ends.
    loop {
        let requests = app.take_reads();
        if requests.is_empty() {
            return;
        }
        let corpus = Arc::clone(&app.corpus);
        for r in requests {
            app.update(Action::Read(answer(&corpus, r)));
        }
    }
}
