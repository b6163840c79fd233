//! A loaded collection: what the list, the index and the filter need of every article, in
//! memory; each article's text and mentions loaded when it is read, from memory or from the
//! cache file.

use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::core::article::{Article, PARAGRAPH_SEPARATOR};
use crate::core::extract::{extract, ArticleEntities, LocalMention};
use crate::core::index::{CorpusIndex, Entity, Mention};
use crate::core::intern::Interner;

/// An article as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    pub id: String,
    /// Not cached: the cache sets it from where the file is found this time.
    #[serde(skip)]
    pub path: String,
    pub title: String,
    pub title_derived: bool,
    pub date: Option<String>,
    pub author: Option<String>,
    /// The item within its file (a feed GUID, a Message-ID, …); empty when the file is the article.
    pub item: String,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub words: u32,
    pub mentions: u32,
    /// The events the article reports (see [`crate::core::events`]); their places and actors
    /// are the article's name groups, resolved through the index so corrections apply.
    pub events: Vec<crate::core::events::LocalEvent>,
}

/// The rest of an article: loaded when it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleText {
    pub deck: Option<String>,
    pub author_note: Option<String>,
    pub body: String,
    pub mentions: Vec<LocalMention>,
}

impl ArticleText {
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.body.split(PARAGRAPH_SEPARATOR).filter(|p| !p.is_empty())
    }

    /// Byte offset in `body` where each paragraph starts.
    pub fn paragraph_offsets(&self) -> Vec<usize> {
        let mut offsets = Vec::new();
        let mut at = 0;
        for p in self.body.split(PARAGRAPH_SEPARATOR) {
            offsets.push(at);
            at += p.len() + PARAGRAPH_SEPARATOR.len();
        }
        offsets
    }
}

/// An article open for reading: its text and its mentions resolved to entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleView {
    pub text: ArticleText,
    pub mentions: Vec<Mention>,
}

/// One processed article: its list entry, text and entity names.
#[derive(Debug, Clone)]
pub struct Processed {
    pub meta: ArticleMeta,
    pub text: ArticleText,
    pub entities: ArticleEntities,
}

/// Splits a cleaned article into what stays in memory and what is loaded on demand, extracting
/// its entities.
pub fn process(article: Article, strings: &Interner) -> Processed {
    let extraction = extract(&article.body, article.date.as_deref());
    let (entities, mentions) = extraction.summarize(strings);
    let events = crate::core::events::detect(&article.body, article.date.as_deref(), &extraction.mentions, &mentions);
    let meta = ArticleMeta {
        events,
        words: article.word_count() as u32,
        mentions: mentions.len() as u32,
        id: article.id,
        path: article.path,
        title: article.title,
        title_derived: article.title_derived,
        date: article.date,
        author: article.author,
        item: String::new(),
        url: article.url,
        tags: article.tags,
    };
    let text = ArticleText { deck: article.deck, author_note: article.author_note, body: article.body, mentions };
    Processed { meta, text, entities }
}

/// Where article texts come from.
pub trait TextStore: Send + Sync {
    /// The text of article number `article`, whose list entry is `meta`.
    fn load(&self, article: usize, meta: &ArticleMeta) -> std::io::Result<ArticleText>;
}

struct MemoryStore(Vec<ArticleText>);

impl TextStore for MemoryStore {
    fn load(&self, article: usize, _meta: &ArticleMeta) -> std::io::Result<ArticleText> {
        self.0.get(article).cloned().ok_or_else(|| std::io::Error::other("no such article"))
    }
}

pub struct Corpus {
    pub articles: Vec<ArticleMeta>,
    pub index: CorpusIndex,
    store: Arc<dyn TextStore>,
    /// Mentions the user added (text marked as a mention, every occurrence followed), by article.
    pub(crate) added: std::collections::HashMap<u32, Vec<Mention>>,
    /// The full-text index: built by the loading pipeline, or in memory at the first search.
    search: std::sync::OnceLock<Option<Arc<crate::core::search::SearchIndex>>>,
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corpus")
            .field("articles", &self.articles.len())
            .field("entities", &self.index.entities.len())
            .finish()
    }
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus {
            articles: Vec::new(),
            index: CorpusIndex::default(),
            store: Arc::new(MemoryStore(Vec::new())),
            added: Default::default(),
            search: Default::default(),
        }
    }
}

impl Corpus {
    /// Extracts every article's entities in parallel and indexes them, keeping texts in memory.
    pub fn build(articles: Vec<Article>) -> Corpus {
        let interner = Interner::default();
        let processed: Vec<Processed> = articles.into_par_iter().map(|a| process(a, &interner)).collect();
        Corpus::from_processed(processed, &interner.into_strings())
    }

    /// A corpus from processed articles whose names `strings` resolves.
    pub fn from_processed(processed: Vec<Processed>, strings: &[Box<str>]) -> Corpus {
        let entities: Vec<&ArticleEntities> = processed.iter().map(|p| &p.entities).collect();
        let index = CorpusIndex::build(&entities, strings);
        let (articles, texts): (Vec<ArticleMeta>, Vec<ArticleText>) =
            processed.into_iter().map(|p| (p.meta, p.text)).unzip();
        Corpus {
            articles,
            index,
            store: Arc::new(MemoryStore(texts)),
            added: Default::default(),
            search: Default::default(),
        }
    }

    /// A corpus whose texts are read from a store (the cache) when opened.
    pub fn with_store(articles: Vec<ArticleMeta>, index: CorpusIndex, store: Arc<dyn TextStore>) -> Corpus {
        Corpus { articles, index, store, added: Default::default(), search: Default::default() }
    }

    /// Gives the corpus the search index the pipeline built for it.
    pub fn set_search_index(&self, index: Option<crate::core::search::SearchIndex>) {
        if let Some(index) = index {
            let _ = self.search.set(Some(Arc::new(index)));
        }
    }

    /// The full-text index (made in memory from the texts when the pipeline gave none).
    pub fn search_index(&self) -> Result<Arc<crate::core::search::SearchIndex>, crate::core::search::SearchError> {
        self.search
            .get_or_init(|| crate::core::search::SearchIndex::for_corpus(self).map(Arc::new))
            .clone()
            .ok_or_else(|| crate::core::search::SearchError::Index("no index could be made".into()))
    }

    pub fn entity(&self, i: u32) -> &Entity {
        &self.index.entities[i as usize]
    }

    /// Loads an article's text and resolves its mentions.
    pub fn open(&self, article: usize) -> std::io::Result<ArticleView> {
        let meta = self.articles.get(article).ok_or_else(|| std::io::Error::other("no such article"))?;
        let text = self.store.load(article, meta)?;
        let mut mentions = self.index.resolve(article, &text.mentions);
        if let Some(more) = self.added.get(&(article as u32)) {
            mentions.extend(more.iter().copied());
            mentions.sort_by_key(|m| (m.start, m.end));
        }
        Ok(ArticleView { text, mentions })
    }

    /// The whole cleaned article, as `show` and `export` print it.
    pub fn article(&self, i: usize) -> std::io::Result<(Article, Vec<Mention>)> {
        let view = self.open(i)?;
        let m = &self.articles[i];
        let article = Article {
            id: m.id.clone(),
            path: m.path.clone(),
            title: m.title.clone(),
            title_derived: m.title_derived,
            deck: view.text.deck.clone(),
            date: m.date.clone(),
            author: m.author.clone(),
            author_note: view.text.author_note.clone(),
            url: m.url.clone(),
            tags: m.tags.clone(),
            paragraphs: view.text.paragraphs().map(str::to_string).collect(),
            body: view.text.body,
        };
        Ok((article, view.mentions))
    }
}
