//! Fuzzy filtering: ranks articles by title and author, and entities by name and
//! alias, for a query typed one key at a time. Pure functions plus a worker thread that runs
//! them off the UI thread and drops stale queries.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;

use crate::core::corpus::Corpus;

/// Match positions are worked out for this many of the best results (the ones on screen).
const HIGHLIGHTED: usize = 200;

/// What the matcher reads, prepared once per collection: accents folded so "tehrik" finds
/// "Tehrīk".
#[derive(Debug, Default)]
pub struct FilterData {
    /// Per article: title and author, folded.
    article_text: Vec<String>,
    /// Per entity: name and aliases, folded.
    entity_text: Vec<String>,
    /// Per entity: the comparison keys of its name and aliases, for exact and prefix hits.
    entity_keys: Vec<Vec<String>>,
    /// Titles as displayed, for match positions, where they are not how `article_text` begins
    /// (accents folded): most are, and a million titles kept twice cost a hundred MB.
    titles: rustc_hash::FxHashMap<u32, String>,
    /// Per article: how many bytes of `article_text` are its title (when not in `titles`).
    title_len: Vec<u32>,
    /// Per article: the characters its text holds and those that begin a word in it
    /// ([`CharSet`]), so that a title which cannot match is passed over in a few nanoseconds.
    article_chars: Vec<CharSet>,
}

/// Which characters (folded to lower case; see [`char_bit`]) a text holds, and which of them
/// begin a word. Every match needs each query character in the text, and one that is not a
/// plain substring needs the query's first character to begin a word.
#[derive(Debug, Default, Clone, Copy)]
struct CharSet {
    any: u64,
    word_start: u64,
    /// The pairs of adjacent characters, hashed to 64 bits ([`pair_bit`]): two query letters
    /// in one run must be next to each other in the text.
    pairs: u64,
}

/// A pair of adjacent characters' bit (case folded); pairs share bits, so it can only say no.
fn pair_bit(a: u8, b: u8) -> u64 {
    let (a, b) = (u32::from(a.to_ascii_lowercase()), u32::from(b.to_ascii_lowercase()));
    1 << ((a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77)) >> 26)
}

/// A character's bit: letters and digits their own, anything else one of 28 shared.
fn char_bit(b: u8) -> u64 {
    let b = b.to_ascii_lowercase();
    1 << match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + b - b'0',
        _ => 36 + b % 28,
    }
}

impl CharSet {
    fn of(text: &str) -> CharSet {
        let t = text.as_bytes();
        let mut set = CharSet::default();
        for (i, &b) in t.iter().enumerate() {
            let bit = char_bit(b);
            set.any |= bit;
            if i > 0 {
                set.pairs |= pair_bit(t[i - 1], b);
            }
            // As the scorers see a word start (any character after a non-alphanumeric one).
            if i == 0 || !t[i - 1].is_ascii_alphanumeric() {
                set.word_start |= bit;
            }
        }
        set
    }
}

/// Folds for matching: ASCII transliteration keeps byte positions simple and finds diacritics.
fn fold(s: &str) -> String {
    if s.is_ascii() {
        s.to_string()
    } else {
        deunicode::deunicode(s)
    }
}

/// The filter's data, made from the collection when first asked for: the first frame does not
/// wait for it (folding every title took a third of `App::new` at 100k articles), and the
/// filter's worker makes it as soon as it starts, beside the first frames.
pub struct LazyFilterData {
    corpus: Option<Arc<Corpus>>,
    data: std::sync::OnceLock<FilterData>,
}

impl LazyFilterData {
    pub fn of(corpus: Arc<Corpus>) -> Self {
        LazyFilterData { corpus: Some(corpus), data: std::sync::OnceLock::new() }
    }

    /// Data made already (benchmarks and tests).
    pub fn ready(data: FilterData) -> Self {
        LazyFilterData { corpus: None, data: std::sync::OnceLock::from(data) }
    }

    pub fn get(&self) -> &FilterData {
        self.data.get_or_init(|| match &self.corpus {
            Some(corpus) => FilterData::new(corpus),
            None => FilterData::from_parts(Vec::new(), Vec::new(), Vec::new()),
        })
    }
}

impl std::ops::Deref for LazyFilterData {
    type Target = FilterData;
    fn deref(&self) -> &FilterData {
        self.get()
    }
}

impl FilterData {
    pub fn new(corpus: &Corpus) -> Self {
        let article_text = corpus
            .articles
            .iter()
            .map(|a| match &a.author {
                Some(author) => fold(&format!("{} {}", a.title, author)),
                None => fold(&a.title),
            })
            .collect();
        let entity_text = corpus
            .index
            .entities
            .iter()
            .map(|e| fold(&e.aliases.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(" · ")))
            .collect();
        let entity_keys = corpus
            .index
            .entities
            .iter()
            .map(|e| e.aliases.iter().map(|a| crate::core::extract::lexicon::name_key(&a.name)).collect())
            .collect();
        let titles = corpus.articles.iter().map(|a| a.title.clone()).collect();
        FilterData::with_chars(article_text, entity_text, entity_keys, titles)
    }

    /// Matcher data from its parts: per article its title and author (its entities are not
    /// matched: articles are filtered by title and author only); per entity its names. For
    /// benchmarks of collections too large to build whole.
    pub fn from_parts(
        titles: Vec<(String, Option<String>)>,
        _article_entities: Vec<Vec<u32>>,
        entity_names: Vec<Vec<String>>,
    ) -> Self {
        let article_text = titles
            .iter()
            .map(|(t, a)| match a {
                Some(a) => fold(&format!("{t} {a}")),
                None => fold(t),
            })
            .collect();
        let entity_text = entity_names.iter().map(|n| fold(&n.join(" · "))).collect();
        let entity_keys = entity_names
            .iter()
            .map(|n| n.iter().map(|x| crate::core::extract::lexicon::name_key(x)).collect())
            .collect();
        let titles = titles.into_iter().map(|(t, _)| t).collect();
        FilterData::with_chars(article_text, entity_text, entity_keys, titles)
    }

    fn with_chars(
        article_text: Vec<String>,
        entity_text: Vec<String>,
        entity_keys: Vec<Vec<String>>,
        titles: Vec<String>,
    ) -> Self {
        let article_chars = article_text.par_iter().map(|t| CharSet::of(t)).collect();
        let title_len = titles.iter().map(|t| u32::try_from(t.len()).unwrap_or(0)).collect();
        let titles = titles
            .into_iter()
            .enumerate()
            .filter(|(i, t)| u32::try_from(t.len()).is_err() || !article_text[*i].starts_with(t.as_str()))
            .map(|(i, t)| (i as u32, t))
            .collect();
        FilterData { article_text, entity_text, entity_keys, titles, title_len, article_chars }
    }

    /// Article `i`'s title as displayed.
    fn title(&self, i: u32) -> &str {
        match self.titles.get(&i) {
            Some(t) => t,
            // Folding left it as it was: the text starts with it, then the author.
            None => &self.article_text[i as usize][..self.title_len[i as usize] as usize],
        }
    }

    pub fn articles(&self) -> usize {
        self.article_text.len()
    }
}

/// Ranked articles or entities, best first, with the matched character positions (in chars of
/// the displayed title or name) of the first few.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub generation: u64,
    pub query: String,
    pub kind: RankKind,
    pub items: Vec<u32>,
    pub highlights: Vec<(u32, Vec<usize>)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RankKind {
    #[default]
    Articles,
    Entities,
}

fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().ignore_case()
}

/// Cheap test that every character of the query appears in order (what any fuzzy match needs),
/// so the scorer runs only on real candidates.
fn is_subsequence(query: &[u8], text: &str) -> bool {
    let mut q = query.iter().peekable();
    for &b in text.as_bytes() {
        match q.peek() {
            Some(&&c) if c == b.to_ascii_lowercase() => {
                q.next();
            }
            Some(_) => {}
            None => return true,
        }
    }
    q.peek().is_none()
}

/// The query folded and lower-cased, spaces removed (skim matches across words).
fn prepare(query: &str) -> (String, Vec<u8>) {
    let folded = fold(query.trim());
    let bytes = folded.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| b.to_ascii_lowercase()).collect();
    (folded, bytes)
}

/// Ranks the entities matching `query`, best first.
pub fn rank_entities(data: &FilterData, query: &str, cancelled: &dyn Fn() -> bool) -> Option<Vec<(u32, i64)>> {
    let (folded, bytes) = prepare(query);
    let m = matcher();
    let key = crate::core::extract::lexicon::name_key(query);
    // A name typed whole, or the start of one, beats any scattered match.
    let bonus = |i: usize| -> i64 {
        let keys = &data.entity_keys[i];
        if keys.contains(&key) {
            10_000
        } else if keys.iter().any(|k| k.starts_with(&key)) {
            5_000
        } else {
            0
        }
    };
    let mut scored: Vec<(u32, i64)> = data
        .entity_text
        .par_iter()
        .enumerate()
        .filter(|(_, t)| is_subsequence(&bytes, t))
        .filter_map(|(i, t)| m.fuzzy_match(t, &folded).map(|s| (i as u32, s + bonus(i))))
        .collect();
    if cancelled() {
        return None;
    }
    // Better score first; among equals, the entity with more articles (lower index).
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(scored)
}

/// Ranks articles by the best of their title-and-author score and their entities' scores.
/// `within` narrows the candidates (the articles left by the other filters).
pub fn rank_articles(
    data: &FilterData,
    query: &str,
    within: Option<&[u32]>,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    let (folded, bytes) = prepare(query);
    if bytes.is_empty() {
        return Some(within.map_or_else(|| (0..data.articles() as u32).collect(), <[u32]>::to_vec));
    }
    let m = matcher();
    let all: Vec<u32>;
    let candidates = match within {
        Some(w) => w,
        None => {
            all = (0..data.articles() as u32).collect();
            &all
        }
    };
    // One or two typed characters match nearly every title: ranking them by fuzzy score is
    // costly and says little, so a plain scan ranks them (word starts, then substrings). Over
    // a large collection every query is ranked so first, and the fuzzy scorer then orders the
    // best few thousand, which is all anyone scrolls through.
    let short = bytes.len() <= 2;
    let large = candidates.len() > SCORE_ALL_UP_TO;
    let fuzzy = |text: &str| if is_subsequence(&bytes, text) { m.fuzzy_match(text, &folded) } else { None };
    let needed = bytes.iter().fold(0, |set, &b| set | char_bit(b));
    // Titles and authors only (the text is for search, `/`); from three letters on, a match
    // must be one run of letters or runs that each begin a word: "waz" finds Waziristan, not
    // every title with a w, an a and a z somewhere.
    let score = |i: u32, refine: bool| -> Option<i64> {
        let chars = data.article_chars[i as usize];
        if chars.any & needed != needed {
            return None; // a query character is not in the text
        }
        let text = &data.article_text[i as usize];
        if !short && !tight_with(text, &bytes, chars) {
            return None;
        }
        if short || (large && !refine) {
            quick_score_with(text, &bytes, chars)
        } else {
            fuzzy(text)
        }
    };
    let mut scored: Vec<(u32, i64)> = candidates.par_iter().filter_map(|&i| score(i, false).map(|s| (i, s))).collect();
    if cancelled() {
        return None;
    }
    // Quick scores fall in a small range: over a large collection a counting sort orders them
    // in one pass (a comparison sort of a million took most of a keystroke's time).
    let quick = short || large;
    if quick && candidates.is_sorted() {
        scored = sort_quick_scores(scored);
    } else {
        scored.par_sort_unstable_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
    }
    if large && !short {
        let top = scored.len().min(REFINED);
        let refined: Vec<(u32, i64)> =
            scored[..top].par_iter().filter_map(|&(i, _)| score(i, true).map(|s| (i, s))).collect();
        let mut refined = refined;
        refined.sort_unstable_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
        let rest = scored.split_off(top);
        scored = refined;
        scored.extend(rest);
    }
    Some(scored.into_iter().map(|(i, _)| i).collect())
}

/// Orders `(index, quick score)` pairs, indices ascending, by score (best first), then index:
/// what sorting by `(Reverse(score), index)` gives, in linear time.
fn sort_quick_scores(scored: Vec<(u32, i64)>) -> Vec<(u32, i64)> {
    let Some(low) = scored.iter().map(|p| p.1).min() else { return scored };
    let high = scored.iter().map(|p| p.1).max().unwrap_or(low);
    if high - low > 4096 {
        let mut scored = scored;
        scored.par_sort_unstable_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
        return scored;
    }
    // Bucket starts, best score first; a stable pass keeps the indices ascending within each.
    let buckets = (high - low + 1) as usize;
    let mut starts = vec![0usize; buckets + 1];
    for p in &scored {
        starts[(high - p.1) as usize + 1] += 1;
    }
    for b in 1..=buckets {
        starts[b] += starts[b - 1];
    }
    let mut out = vec![(0u32, 0i64); scored.len()];
    for p in scored {
        let b = (high - p.1) as usize;
        out[starts[b]] = p;
        starts[b] += 1;
    }
    out
}

/// Whether `query` (lower-case, no spaces) is in `text` as one run, or as runs that each begin
/// a word, in order ("secfail" in "Security failure"). Allocates nothing for titles of up to 128
/// words and queries of up to 64 bytes: it runs on every title at every keystroke.
#[cfg(test)]
fn tight(text: &str, query: &[u8]) -> bool {
    tight_with(text, query, CharSet::of(text))
}

/// [`tight`], given the text's [`CharSet`].
fn tight_with(text: &str, query: &[u8], chars: CharSet) -> bool {
    let t = text.as_bytes();
    if query.is_empty() {
        return true;
    }
    // Two query letters are in one run (next to each other in the text) or the second begins
    // a run, and so a word: a title with neither for some pair cannot match.
    if query.windows(2).any(|w| chars.word_start & char_bit(w[1]) == 0 && chars.pairs & pair_bit(w[0], w[1]) == 0) {
        return false;
    }
    if contains_folded(t, query) {
        return true;
    }
    // Runs that each begin a word: the first begins one, and the letters come in order.
    if chars.word_start & char_bit(query[0]) == 0 || !is_subsequence(query, text) {
        return false;
    }
    let is_start = |i: usize| t[i].is_ascii_alphanumeric() && (i == 0 || !t[i - 1].is_ascii_alphanumeric());
    // Where words start, on the stack for titles of up to 128 words.
    let mut small = [0usize; 128];
    let mut big: Vec<usize> = Vec::new();
    let mut count = 0;
    for i in (0..t.len()).filter(|&i| is_start(i)) {
        if count < small.len() {
            small[count] = i;
        } else {
            if big.is_empty() {
                big.extend_from_slice(&small);
            }
            big.push(i);
        }
        count += 1;
    }
    let starts: &[usize] = if count <= small.len() { &small[..count] } else { &big };
    // reach[q]: the first word from which query[q..] may go on, having matched query[..q].
    let mut reach_small = [usize::MAX; 65];
    let mut reach_big;
    let reach: &mut [usize] = if query.len() < reach_small.len() {
        &mut reach_small[..query.len() + 1]
    } else {
        reach_big = vec![usize::MAX; query.len() + 1];
        &mut reach_big
    };
    reach[0] = 0;
    for q in 0..query.len() {
        let from = reach[q];
        if from == usize::MAX {
            continue;
        }
        for (w, &start) in starts.iter().enumerate().skip(from) {
            let mut l = 0;
            while q + l < query.len() && start + l < t.len() && t[start + l].to_ascii_lowercase() == query[q + l] {
                l += 1;
                reach[q + l] = reach[q + l].min(w + 1);
            }
        }
    }
    reach[query.len()] != usize::MAX
}

/// Up to this many candidates every one gets the fuzzy score.
const SCORE_ALL_UP_TO: usize = 20_000;
/// Over more, the fuzzy score orders this many of the best by the quick scan.
const REFINED: usize = 2_000;

/// A cheap score for a one- or two-character query: at a word start beats inside a word beats
/// scattered; earlier beats later.
#[cfg(test)]
fn quick_score(text: &str, query: &[u8]) -> Option<i64> {
    quick_score_with(text, query, CharSet::of(text))
}

/// [`quick_score`], given the text's [`CharSet`]: when the query's first character begins no
/// word, the first occurrence is the best one (a later one only scores less).
fn quick_score_with(text: &str, query: &[u8], chars: CharSet) -> Option<i64> {
    let t = text.as_bytes();
    let n = query.len();
    let Some(&first) = query.first() else { return Some(100) };
    let may_start_word = chars.word_start & char_bit(first) != 0;
    let mut best: Option<i64> = None;
    let mut pos = 0;
    while pos + n <= t.len() {
        // The next place the first character occurs, then the rest of the query there.
        let Some(skip) = find_folded(&t[pos..=t.len() - n], first) else { break };
        pos += skip;
        if t[pos + 1..pos + n].iter().zip(&query[1..]).all(|(a, b)| a.to_ascii_lowercase() == *b) {
            let word_start = pos == 0 || !t[pos - 1].is_ascii_alphanumeric();
            let s = if word_start { 300 } else { 200 } - (pos as i64).min(99);
            best = best.max(Some(s));
            if word_start || !may_start_word {
                break;
            }
        }
        pos += 1;
    }
    best.or_else(|| is_subsequence(query, text).then_some(100))
}

/// Where `first` (lower-case) or its capital is first in `t`: the scan every title gets, so
/// it is memchr's (several bytes at a time) rather than a byte at a time.
fn find_folded(t: &[u8], first: u8) -> Option<usize> {
    if first.is_ascii_lowercase() {
        memchr::memchr2(first, first.to_ascii_uppercase(), t)
    } else {
        memchr::memchr(first, t)
    }
}

/// Whether `query` (lower-case) is in `t` as one run, ignoring ASCII case.
fn contains_folded(t: &[u8], query: &[u8]) -> bool {
    let n = query.len();
    if n > t.len() {
        return false;
    }
    let first = query[0];
    let mut pos = 0;
    while let Some(skip) = find_folded(&t[pos..=t.len() - n], first) {
        pos += skip;
        if t[pos + 1..pos + n].iter().zip(&query[1..]).all(|(a, b)| a.to_ascii_lowercase() == *b) {
            return true;
        }
        pos += 1;
    }
    false
}

/// Ranks jobs one after another, narrowing: when a query only grows (the user typed one more
/// character), only the previous matches can still match, so only they are scored.
#[derive(Default)]
pub struct Ranker {
    last: Option<(String, Option<Vec<u32>>, Vec<u32>)>,
}

impl Ranker {
    pub fn run(&mut self, data: &FilterData, job: &Job, cancelled: &dyn Fn() -> bool) -> Option<Ranked> {
        if job.kind != RankKind::Articles {
            return run_job(data, job, cancelled);
        }
        let narrowed = match &self.last {
            Some((q, within, matches))
                if !q.trim().is_empty() && job.query.starts_with(q.as_str()) && *within == job.within =>
            {
                // The previous matches in index order: marked in a bitmap and read back, linear
                // where sorting a million took tens of milliseconds.
                let mut marked = vec![0u64; data.articles().div_ceil(64)];
                for &i in matches {
                    if let Some(word) = marked.get_mut(i as usize / 64) {
                        *word |= 1 << (i % 64);
                    }
                }
                let sorted: Vec<u32> = marked
                    .iter()
                    .enumerate()
                    .flat_map(|(w, &bits)| {
                        let mut bits = bits;
                        std::iter::from_fn(move || {
                            (bits != 0).then(|| {
                                let b = bits.trailing_zeros();
                                bits &= bits - 1;
                                (w * 64) as u32 + b
                            })
                        })
                    })
                    .collect();
                Some(Job { within: Some(sorted), ..job.clone() })
            }
            _ => None,
        };
        let ranked = run_job(data, narrowed.as_ref().unwrap_or(job), cancelled)?;
        self.last = Some((job.query.clone(), job.within.clone(), ranked.items.clone()));
        Some(ranked)
    }
}

/// Character positions in `display` that `query` matched, for highlighting.
pub fn match_positions(display: &str, query: &str) -> Vec<usize> {
    let (folded_query, _) = prepare(query);
    let folded = fold(display);
    if folded.len() != display.len() && folded.chars().count() != display.chars().count() {
        return Vec::new(); // transliteration changed the length: positions would not line up
    }
    matcher().fuzzy_indices(&folded, &folded_query).map(|(_, p)| p).unwrap_or_default()
}

/// Ranks synchronously: what the worker does for one job.
pub fn run_job(data: &FilterData, job: &Job, cancelled: &dyn Fn() -> bool) -> Option<Ranked> {
    let (items, names): (Vec<u32>, Vec<&str>);
    match job.kind {
        RankKind::Articles => {
            items = rank_articles(data, &job.query, job.within.as_deref(), cancelled)?;
            names = items.iter().take(HIGHLIGHTED).map(|&i| data.title(i)).collect();
        }
        RankKind::Entities => {
            items = rank_entities(data, &job.query, cancelled)?.into_iter().map(|(e, _)| e).collect();
            names = Vec::new();
        }
    }
    let highlights = if job.query.trim().is_empty() {
        Vec::new()
    } else {
        items.iter().zip(names).map(|(&i, name)| (i, match_positions(name, &job.query))).collect()
    };
    Some(Ranked { generation: job.generation, query: job.query.clone(), kind: job.kind, items, highlights })
}

/// One request to rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub generation: u64,
    pub kind: RankKind,
    pub query: String,
    pub within: Option<Vec<u32>>,
}

/// Runs jobs on its own thread; a job whose generation is older than the newest submitted is
/// abandoned as soon as it is noticed.
pub struct FilterWorker {
    jobs: Sender<Job>,
    pub results: Receiver<Ranked>,
    newest: Arc<AtomicU64>,
}

impl FilterWorker {
    pub fn spawn(data: Arc<LazyFilterData>) -> FilterWorker {
        let (result_tx, results) = mpsc::channel();
        let mut w = FilterWorker::spawn_with(data, Box::new(move |r| result_tx.send(r).is_ok()));
        w.results = results;
        w
    }

    /// A worker that hands each ranking to `sink` (the shell's one channel) instead of
    /// `results`; it stops when `sink` says no one listens.
    pub fn spawn_with(data: Arc<LazyFilterData>, sink: Box<dyn Fn(Ranked) -> bool + Send>) -> FilterWorker {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let results = mpsc::channel().1;
        let newest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&newest);
        std::thread::Builder::new()
            .name("newsroom-filter".into())
            .spawn(move || {
                // Made now, while the first frames are drawn, not at the first keystroke.
                let data = data.get();
                let mut ranker = Ranker::default();
                while let Ok(mut job) = job_rx.recv() {
                    // Only the latest of the queued jobs matters.
                    while let Ok(next) = job_rx.try_recv() {
                        job = next;
                    }
                    let generation = job.generation;
                    let cancelled = || seen.load(Ordering::Relaxed) > generation;
                    if let Some(ranked) = ranker.run(data, &job, &cancelled) {
                        if !cancelled() && !sink(ranked) {
                            break;
                        }
                    }
                }
            })
            .expect("spawn the filter thread");
        FilterWorker { jobs, results, newest }
    }

    pub fn submit(&self, job: Job) {
        self.newest.fetch_max(job.generation, Ordering::Relaxed);
        let _ = self.jobs.send(job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cache::open_bundled;
    use crate::core::ingest::LoadOptions;

    fn bundled() -> (Corpus, FilterData) {
        let corpus = open_bundled(&LoadOptions::default()).0;
        let data = FilterData::new(&corpus);
        (corpus, data)
    }

    #[test]
    fn tehreek_finds_the_ttp_entity_first() {
        let (corpus, data) = bundled();
        let ranked = rank_entities(&data, "tehreek", &|| false).unwrap();
        assert_eq!(corpus.entity(ranked[0].0).name, "Tehrik-i-Taliban Pakistan");
    }

    #[test]
    fn query_narrows_articles_by_title() {
        let (corpus, data) = bundled();
        let all = rank_articles(&data, "", None, &|| false).unwrap();
        assert_eq!(all.len(), 5);
        let security = rank_articles(&data, "security failure", None, &|| false).unwrap();
        assert_eq!(corpus.articles[security[0] as usize].title, "Security failure in Pakistan");
        let taliban = rank_articles(&data, "taliban", None, &|| false).unwrap();
        assert!(!taliban.is_empty() && taliban.len() < 5, "{taliban:?}");
        assert!(rank_articles(&data, "zzzqqq", None, &|| false).unwrap().is_empty());
    }

    #[test]
    fn scattered_letters_do_not_match() {
        assert!(tight("Drone strike in North Waziristan", b"waz"));
        assert!(tight("Security failure in Pakistan", b"secfail"));
        assert!(tight("Security failure in Pakistan", b"sfip"));
        assert!(!tight("Hawks gaze at Lahore", b"waz"));
        assert!(!tight("Pakistan", b"pkn"));
        // Over a generated collection, "waz" keeps only titles that say Waziristan (or a word
        // starting so), where a plain fuzzy match took nearly all.
        let titles: Vec<(String, Option<String>)> =
            (0..2000).map(|i| (crate::core::generate::title(99, i), None)).collect();
        let data = FilterData::from_parts(titles.clone(), vec![Vec::new(); 2000], Vec::new());
        let waz = rank_articles(&data, "waz", None, &|| false).unwrap();
        let scattered = titles.iter().filter(|(t, _)| is_subsequence(b"waz", &t.to_lowercase())).count();
        assert!(!waz.is_empty());
        for &i in &waz {
            assert!(titles[i as usize].0.to_lowercase().contains("waz"), "{}", titles[i as usize].0);
        }
        let with_waz = titles.iter().filter(|(t, _)| t.to_lowercase().contains("waz")).count();
        assert_eq!(waz.len(), with_waz, "every title saying it, and no other");
        assert!(waz.len() < scattered, "{} of {scattered}", waz.len());
    }

    #[test]
    fn narrowing_gives_what_ranking_afresh_gives() {
        let (_, data) = bundled();
        let mut ranker = Ranker::default();
        for q in ["p", "pa", "pak", "paki", "pakistan t", "k", "ka", "kab"] {
            let job = Job { generation: 1, kind: RankKind::Articles, query: q.into(), within: None };
            let narrowed = ranker.run(&data, &job, &|| false).unwrap().items;
            let fresh = run_job(&data, &job, &|| false).unwrap().items;
            assert_eq!(narrowed, fresh, "{q}");
        }
    }

    #[test]
    fn the_counting_sort_orders_as_the_comparison_sort_does() {
        let mut rng = crate::core::generate::Rng::new(5);
        for n in [0, 1, 7, 1000] {
            let scored: Vec<(u32, i64)> = (0..n).map(|i| (i as u32 * 3, 100 + rng.below(201) as i64)).collect();
            let mut expected = scored.clone();
            expected.sort_unstable_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
            assert_eq!(sort_quick_scores(scored), expected);
        }
        // A wide range of scores falls back to the comparison sort, with the same order.
        let wide = vec![(0, 5), (1, 1_000_000), (2, 5), (3, -7)];
        assert_eq!(sort_quick_scores(wide), vec![(1, 1_000_000), (0, 5), (2, 5), (3, -7)]);
    }

    #[test]
    fn over_a_large_collection_narrowing_gives_what_ranking_afresh_gives() {
        let titles: Vec<(String, Option<String>)> =
            (0..SCORE_ALL_UP_TO + 500).map(|i| (crate::core::generate::title(3, i), None)).collect();
        let data = FilterData::from_parts(titles, Vec::new(), Vec::new());
        let mut ranker = Ranker::default();
        // One and two letters: every title is ranked by the quick scan, narrowed or not.
        for q in ["k", "ka"] {
            let job = Job { generation: 1, kind: RankKind::Articles, query: q.into(), within: None };
            let narrowed = ranker.run(&data, &job, &|| false).unwrap().items;
            let fresh = run_job(&data, &job, &|| false).unwrap().items;
            assert!(!fresh.is_empty(), "{q}");
            assert_eq!(narrowed, fresh, "{q}");
        }
    }

    #[test]
    fn short_queries_rank_word_starts_first() {
        assert!(quick_score("Kabul talks", b"ta") > quick_score("Pakistan", b"ta"));
        assert!(quick_score("Pakistan", b"ta").is_some());
        assert_eq!(quick_score("Lahore", b"zq"), None);
    }

    /// The scorers as first written, plainly: the character sets and the skipping must not
    /// change what matches or how it scores.
    fn plain_tight(text: &str, query: &[u8]) -> bool {
        let t = text.as_bytes();
        if t.windows(query.len()).any(|w| w.eq_ignore_ascii_case(query)) {
            return true;
        }
        let starts: Vec<usize> = (0..t.len())
            .filter(|&i| t[i].is_ascii_alphanumeric() && (i == 0 || !t[i - 1].is_ascii_alphanumeric()))
            .collect();
        let mut reach = vec![usize::MAX; query.len() + 1];
        reach[0] = 0;
        for q in 0..query.len() {
            if reach[q] == usize::MAX {
                continue;
            }
            for (w, &start) in starts.iter().enumerate().skip(reach[q]) {
                let mut l = 0;
                while q + l < query.len() && start + l < t.len() && t[start + l].to_ascii_lowercase() == query[q + l] {
                    l += 1;
                    reach[q + l] = reach[q + l].min(w + 1);
                }
            }
        }
        reach[query.len()] != usize::MAX
    }

    fn plain_quick_score(text: &str, query: &[u8]) -> Option<i64> {
        let t = text.as_bytes();
        let mut best: Option<i64> = None;
        for (pos, w) in t.windows(query.len()).enumerate() {
            if w.eq_ignore_ascii_case(query) {
                let word_start = pos == 0 || !t[pos - 1].is_ascii_alphanumeric();
                best = best.max(Some(if word_start { 300 } else { 200 } - (pos as i64).min(99)));
            }
        }
        best.or_else(|| is_subsequence(query, text).then_some(100))
    }

    #[test]
    fn the_fast_scan_matches_and_scores_as_the_plain_one() {
        let mut texts: Vec<String> = (0..3000).map(|i| crate::core::generate::title(11, i)).collect();
        texts.extend(
            ["-Kabul's talks", "al-Qaeda's 'new' cell", "a", "", "x-ray X-RAY", "2024: 10 dead in Quetta", "ttt tt t"]
                .map(String::from),
        );
        let queries = [
            "t",
            "k",
            "-",
            "'",
            "2",
            "x",
            "ta",
            "-k",
            "'s",
            "ka",
            "tt",
            "waz",
            "secfail",
            "pak",
            "ttp",
            "2024",
            "quetta",
            "strikeinquetta",
            "balochistanl",
            "sfip",
            "a-",
            "zz",
        ];
        let mut matched = 0;
        for text in &texts {
            let chars = CharSet::of(text);
            for q in queries {
                let q = q.as_bytes();
                let needed = q.iter().fold(0, |set, &b| set | char_bit(b));
                let passes = chars.any & needed == needed;
                let tight = passes && tight_with(text, q, chars);
                assert_eq!(tight, plain_tight(text, q), "{text:?} {:?}", String::from_utf8_lossy(q));
                let quick = if passes { quick_score_with(text, q, chars) } else { None };
                assert_eq!(quick, plain_quick_score(text, q), "{text:?} {:?}", String::from_utf8_lossy(q));
                matched += usize::from(tight);
            }
        }
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn titles_are_shown_as_written_whether_or_not_folding_changed_them() {
        let titles = vec![
            ("Tehrīk-i-Taliban claims strike".to_string(), Some("Zoë Khan".to_string())),
            ("Kabul talks resume".to_string(), Some("Ayesha Siddiqa".to_string())),
            ("Quetta".to_string(), None),
            ("Kabul talks resume".to_string(), Some("Jürgen Weiß".to_string())),
        ];
        let data = FilterData::from_parts(titles.clone(), Vec::new(), Vec::new());
        for (i, (title, _)) in titles.iter().enumerate() {
            assert_eq!(data.title(i as u32), title);
        }
        let ranked = run_job(
            &data,
            &Job { generation: 1, kind: RankKind::Articles, query: "tehrik".into(), within: None },
            &|| false,
        )
        .unwrap();
        assert_eq!(ranked.items, vec![0]);
        assert_eq!(ranked.highlights[0].1, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn cancelled_jobs_return_nothing() {
        let (_, data) = bundled();
        assert!(rank_articles(&data, "pak", None, &|| true).is_none());
    }

    #[test]
    fn match_positions_point_at_title_characters() {
        let p = match_positions("Security failure in Pakistan", "secfail");
        assert_eq!(p.len(), 7);
        assert_eq!(p[0], 0);
    }

    #[test]
    fn worker_answers_the_newest_job() {
        let (_, data) = bundled();
        let worker = FilterWorker::spawn(Arc::new(LazyFilterData::ready(data)));
        for (g, q) in ["p", "pe", "pes"].iter().enumerate() {
            worker.submit(Job {
                generation: g as u64 + 1,
                kind: RankKind::Articles,
                query: q.to_string(),
                within: None,
            });
        }
        let mut last = None;
        while let Ok(r) = worker.results.recv_timeout(std::time::Duration::from_secs(5)) {
            last = Some(r.generation);
            if r.generation == 3 {
                break;
            }
        }
        assert_eq!(last, Some(3));
    }
}
