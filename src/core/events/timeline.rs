//! Counts of articles and events by day, month or year: the collection's timeline, or one
//! entity's (the articles that mention it, the events it is the place or an actor of).

use crate::core::corpus::Corpus;
use crate::core::events::{civil, iso_day, Event};

/// How wide a bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bucket {
    Day,
    #[default]
    Month,
    Year,
}

impl Bucket {
    /// The bucket a day falls in, as its ISO label ("2023-12-13", "2023-12", "2023").
    pub fn label(self, day: i64) -> String {
        let (y, m, d) = civil(day);
        match self {
            Bucket::Day => format!("{y:04}-{m:02}-{d:02}"),
            Bucket::Month => format!("{y:04}-{m:02}"),
            Bucket::Year => format!("{y:04}"),
        }
    }
}

/// One bar: its label, the articles dated in it, the events that happened in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub articles: u32,
    pub events: u32,
}

/// A timeline: bars in date order (empty months between are kept so the chart is to scale),
/// and what had no date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub bars: Vec<Bar>,
    pub undated_articles: u32,
    pub undated_events: u32,
}

/// Most bars a timeline fills in; beyond that, empty buckets between dated ones are left out.
const MAX_FILLED: usize = 2400;

/// Counts `articles` (indices into the corpus) and `events` by bucket.
pub fn count(corpus: &Corpus, articles: &[usize], events: &[Event], by: Bucket) -> Timeline {
    let mut counts: std::collections::BTreeMap<i64, (u32, u32)> = Default::default();
    let mut t = Timeline::default();
    // Keyed by the bucket's first day so the map is in date order.
    let key = |day: i64| -> i64 {
        let (y, m, _) = civil(day);
        match by {
            Bucket::Day => day,
            Bucket::Month => i64::from(y) * 12 + i64::from(m) - 1,
            Bucket::Year => i64::from(y),
        }
    };
    for &a in articles {
        match corpus.articles.get(a).and_then(|m| m.date.as_deref()).and_then(iso_day) {
            Some(day) => counts.entry(key(day)).or_default().0 += 1,
            None => t.undated_articles += 1,
        }
    }
    for e in events {
        match e.day() {
            Some(day) => counts.entry(key(day)).or_default().1 += 1,
            None => t.undated_events += 1,
        }
    }
    let label = |k: i64| match by {
        Bucket::Day => Bucket::Day.label(k),
        Bucket::Month => format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
        Bucket::Year => format!("{k:04}"),
    };
    let (Some((&first, _)), Some((&last, _))) = (counts.first_key_value(), counts.last_key_value()) else {
        return t;
    };
    if ((last - first) as usize) < MAX_FILLED {
        for k in first..=last {
            let (a, e) = counts.get(&k).copied().unwrap_or_default();
            t.bars.push(Bar { label: label(k), articles: a, events: e });
        }
    } else {
        t.bars = counts.into_iter().map(|(k, (a, e))| Bar { label: label(k), articles: a, events: e }).collect();
    }
    t
}

/// The articles and events of one entity: the articles that mention it, the events it is the
/// place or an actor of.
pub fn for_entity(corpus: &Corpus, entity: u32, events: &[Event]) -> (Vec<usize>, Vec<Event>) {
    let articles = corpus
        .index
        .entity_articles
        .get(entity as usize)
        .map(|list| list.iter().map(|&(a, _)| a as usize).collect())
        .unwrap_or_default();
    (articles, events.iter().filter(|e| e.involves(entity)).cloned().collect())
}

/// The first and last day (days since 1970) of a bucket label made by this module.
pub fn label_days(label: &str) -> Option<(i64, i64)> {
    let first = iso_day(label)?;
    let last = match label.len() {
        4 => iso_day(&format!("{}-12-31", label))?,
        7 => {
            let (y, m, _) = civil(first);
            first + i64::from(crate::core::dates::days_in_month(y, m)) - 1
        }
        _ => first,
    };
    Some((first, last))
}
