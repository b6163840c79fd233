//! A loaded collection: its articles, each article's extraction, and the index over them.

use rayon::prelude::*;

use crate::core::article::Article;
use crate::core::extract::{extract, Extraction};
use crate::core::index::{CorpusIndex, Entity, Mention};

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub articles: Vec<Article>,
    pub index: CorpusIndex,
}

impl Corpus {
    /// Extracts every article's entities in parallel and indexes them.
    pub fn build(articles: Vec<Article>) -> Corpus {
        let extractions: Vec<Extraction> = articles.par_iter().map(|a| extract(&a.body, a.date.as_deref())).collect();
        let index = CorpusIndex::build(&extractions);
        Corpus { articles, index }
    }

    pub fn entity(&self, i: u32) -> &Entity {
        &self.index.entities[i as usize]
    }

    pub fn mentions(&self, article: usize) -> &[Mention] {
        self.index.article_mentions.get(article).map_or(&[], Vec::as_slice)
    }

    /// The text of a mention.
    pub fn mention_text(&self, article: usize, m: &Mention) -> &str {
        &self.articles[article].body[m.start as usize..m.end as usize]
    }
}
