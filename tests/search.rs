//! Full-text search: `newsroom search` on the bundled corpus as a user would type it, the
//! phrase search checked against a plain scan of a generated 10k collection, and the index
//! kept beside the cache: incremental, and rebuilt (said once) when damaged or old.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;

use newsroom::core::cache::{open_collection, CacheMode, OpenReport};
use newsroom::core::corpus::{ArticleMeta, ArticleText, Corpus, Processed};
use newsroom::core::generate;
use newsroom::core::ingest::LoadOptions;
use newsroom::core::search::{self, fold_words, UserSnapshot};
use serde_json::Value;

#[path = "support/bin.rs"]
mod bin;
use bin::cmd;

fn newsroom(args: &[&str]) -> Output {
    cmd().args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The titles `search QUERY --format json` returns on the bundled corpus.
fn titles(query: &str) -> Vec<String> {
    let out = newsroom(&["search", query, "--format", "json"]);
    assert!(out.status.success(), "{query}: {}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["results"].as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn one_word_finds_the_peshawar_article_with_the_word_highlighted_in_a_snippet() {
    let out = newsroom(&["search", "mosque"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().any(|l| l.contains("Peshawar")), "the Peshawar article is listed:\n{text}");
    for l in &lines {
        assert!(l.to_lowercase().contains("mosque"), "each line has a snippet with the word: {l}");
    }
}

#[test]
fn json_gives_ids_scores_and_hit_offsets_into_the_body() {
    let out = newsroom(&["search", "\"Durand Line\"", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = doc["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let export = newsroom(&["export", "--format", "json"]);
    let export: Value = serde_json::from_slice(&export.stdout).unwrap();
    for r in results {
        let article = export["articles"].as_array().unwrap().iter().find(|a| a["id"] == r["id"]).unwrap();
        let body = article["body"].as_str().unwrap();
        let hits = r["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "every result shows where the phrase is");
        for h in hits {
            let (s, e) = (h["start"].as_u64().unwrap() as usize, h["end"].as_u64().unwrap() as usize);
            assert_eq!(body[s..e].to_lowercase(), "durand line");
            assert_eq!(h["text"].as_str().unwrap(), &body[s..e]);
        }
        assert!(r["score"].as_f64().unwrap() > 0.0);
    }
    // Exactly the articles that contain the phrase.
    let with_phrase: BTreeSet<&str> = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            let b = a["body"].as_str().unwrap().to_lowercase();
            b.contains("durand line") || a["title"].as_str().unwrap().to_lowercase().contains("durand line")
        })
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    let found: BTreeSet<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(found, with_phrase);
}

#[test]
fn entity_fields_match_any_alias_and_dates_narrow() {
    let export = newsroom(&["export", "--format", "json"]);
    let export: Value = serde_json::from_slice(&export.stdout).unwrap();
    let dated_2023: BTreeSet<String> = export["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["date"].as_str().is_some_and(|d| d.starts_with("2023")))
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    let ttp = titles("org:\"Tehreek-e-Taliban Pakistan\" date:2023");
    assert!(!ttp.is_empty());
    for t in &ttp {
        assert!(dated_2023.contains(t), "{t} is dated 2023");
    }
    // The acronym finds the same organisation.
    let by_alias: BTreeSet<String> = titles("org:TTP").into_iter().collect();
    let by_name: BTreeSet<String> = titles("org:\"Tehreek-e-Taliban Pakistan\"").into_iter().collect();
    assert_eq!(by_alias, by_name);
    assert!(by_name.len() >= 2);
    // KP is Khyber Pakhtunkhwa.
    let kp = titles("place:KP");
    assert!(!kp.is_empty());
    assert_eq!(kp.iter().collect::<BTreeSet<_>>(), titles("place:\"Khyber Pakhtunkhwa\"").iter().collect());
}

#[test]
fn a_malformed_query_is_explained_on_one_line_with_exit_2() {
    let out = newsroom(&["search", "\"unclosed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("column 1") && err.contains("unclosed quote"), "{err}");
    let out = newsroom(&["search", "mosque colour:red"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("column 8"), "{}", stderr(&out));
}

#[test]
fn no_hits_is_exit_1_like_grep() {
    let out = newsroom(&["search", "zzyzzyx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
}

#[test]
fn operators_combine() {
    let all = titles("pakistan");
    let without = titles("pakistan -mosque");
    let mosque = titles("mosque");
    assert_eq!(without.len() + mosque.iter().filter(|t| all.contains(t)).count(), all.len());
    let either: BTreeSet<String> = titles("mosque OR \"Durand Line\"").into_iter().collect();
    let union: BTreeSet<String> = mosque.into_iter().chain(titles("\"Durand Line\"")).collect();
    assert_eq!(either, union);
    // Prefix and fuzzy.
    assert!(titles("talib*").len() >= titles("taliban").len());
    assert_eq!(
        titles("talibam~1").iter().collect::<BTreeSet<_>>(),
        titles("taliban OR talibans OR talibam").iter().collect()
    );
}

#[test]
fn facets_name_the_entities_most_mentioned_in_the_results() {
    let out = newsroom(&["search", "mosque", "--facets"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("ENTITY"), "{text}");
    assert!(text.contains("Peshawar"), "{text}");
}

// ----- correctness at scale -----

/// The generated collection, cleaned as the pipeline cleans it (entity extraction is left out:
/// phrase search does not use it, and it is what makes a 10k ingest slow in a test build).
fn generated(n: usize, seed: u64) -> Corpus {
    use rayon::prelude::*;
    let furniture = newsroom::core::furniture::Furniture::builtin();
    let processed: Vec<Processed> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (name, raw) = generate::article(seed, i);
            let (a, _) = newsroom::core::clean::clean(&raw, &format!("{i:016x}"), &name, &furniture);
            let meta = ArticleMeta {
                id: a.id,
                path: a.path,
                title: a.title,
                title_derived: a.title_derived,
                date: a.date,
                author: a.author,
                item: String::new(),
                url: a.url,
                tags: a.tags,
                words: 0,
                mentions: 0,
                events: Vec::new(),
            };
            let text = ArticleText { deck: a.deck, author_note: a.author_note, body: a.body, mentions: Vec::new() };
            Processed { meta, text, entities: Default::default() }
        })
        .collect();
    Corpus::from_processed(processed, &[])
}

#[test]
fn phrase_search_returns_exactly_the_articles_containing_the_phrase_in_a_10k_collection() {
    let n = 10_000;
    let corpus = generated(n, 77);
    assert_eq!(corpus.articles.len(), n);
    // The plain scan: every folded word of every title and body, and where each word is.
    let texts: Vec<Vec<String>> = (0..n)
        .map(|i| {
            let mut words = fold_words(&corpus.articles[i].title);
            words.push(String::new()); // a phrase never runs from the title into the body
            words.extend(fold_words(&corpus.open(i).unwrap().text.body));
            words
        })
        .collect();
    let mut at: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, words) in texts.iter().enumerate() {
        for (p, w) in words.iter().enumerate() {
            at.entry(w.as_str()).or_default().push((i, p));
        }
    }
    let scan = |phrase: &[String]| -> BTreeSet<String> {
        at.get(phrase[0].as_str())
            .into_iter()
            .flatten()
            .filter(|&&(i, p)| texts[i].get(p..p + phrase.len()).is_some_and(|w| w == phrase))
            .map(|&(i, _)| corpus.articles[i].id.clone())
            .collect()
    };
    // 200 phrases of two to four words drawn from bodies, spread over the collection.
    let mut rng = generate::Rng::new(9);
    let user = UserSnapshot::default();
    let mut checked = 0;
    while checked < 200 {
        let words = &texts[rng.below(n)];
        let len = 2 + checked % 3;
        let start = rng.below(words.len() - len + 1);
        let phrase = &words[start..start + len];
        if phrase.iter().any(String::is_empty) {
            continue;
        }
        let query = format!("\"{}\"", phrase.join(" "));
        let found = search::search(&corpus, &query, usize::MAX / 2, &user).unwrap();
        let got: BTreeSet<String> = found.hits.iter().map(|h| corpus.articles[h.article].id.clone()).collect();
        let want = scan(phrase);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{query}");
        assert_eq!(found.total, want.len(), "{query}");
        checked += 1;
    }
}

// ----- the index beside the cache -----

fn collection(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate::write_collection(dir.path(), n, 5).unwrap();
    dir
}

fn open(root: &Path, cache: &Path) -> (Corpus, OpenReport) {
    open_collection(&[root.to_path_buf()], &LoadOptions::default(), &CacheMode::In(cache.to_path_buf()), &|_, _| {})
}

fn ids(corpus: &Corpus, query: &str) -> BTreeSet<String> {
    let found = search::search(corpus, query, 10_000, &UserSnapshot::default()).unwrap();
    found.hits.iter().map(|h| corpus.articles[h.article].id.clone()).collect()
}

fn index_dir(cache: &Path) -> PathBuf {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && p.to_string_lossy().ends_with(".index"))
        .expect("an index folder beside the cache file")
}

#[test]
fn changed_new_and_removed_files_are_reindexed_and_nothing_else() {
    let root = collection(20);
    let cache = tempfile::tempdir().unwrap();
    let (first, _) = open(root.path(), cache.path());
    let before = ids(&first, "zanzibarian");
    assert!(before.is_empty());
    let file = root.path().join("0000").join("0000003.txt");
    std::fs::write(&file, "A zanzibarian headline\n\nThe zanzibarian story is here now.").unwrap();
    std::fs::write(root.path().join("0000").join("extra.txt"), "Extra\n\nAnother zanzibarian tale from Quetta.")
        .unwrap();
    let removed = first.articles.iter().find(|a| a.path.ends_with("0000004.txt")).unwrap().id.clone();
    std::fs::remove_file(root.path().join("0000").join("0000004.txt")).unwrap();
    let (second, r) = open(root.path(), cache.path());
    assert_eq!((r.processed, r.reused), (2, 18));
    assert!(r.cache_note.is_none(), "{:?}", r.cache_note);
    assert_eq!(ids(&second, "zanzibarian").len(), 2);
    assert!(!ids(&second, "the").contains(&removed), "a removed file's article is gone from the index");
    // Re-opened unchanged: the same answers, from the index on disk.
    let (third, r) = open(root.path(), cache.path());
    assert_eq!(r.processed, 0);
    assert_eq!(ids(&third, "zanzibarian"), ids(&second, "zanzibarian"));
    assert_eq!(ids(&third, "the OR zanzibarian").len(), 20);
}

fn damage_and_reopen(damage: impl Fn(&Path)) {
    let root = collection(12);
    let cache = tempfile::tempdir().unwrap();
    let (first, _) = open(root.path(), cache.path());
    let want = ids(&first, "the");
    assert_eq!(want.len(), 12);
    drop(first);
    damage(&index_dir(cache.path()));
    let (second, r) = open(root.path(), cache.path());
    let note = r.cache_note.clone().unwrap_or_default();
    assert!(note.contains("search index"), "said once: {note:?}");
    assert_eq!(ids(&second, "the"), want, "rebuilt, the same answers");
    drop(second);
    let (_, r) = open(root.path(), cache.path());
    assert!(r.cache_note.is_none(), "said only once: {:?}", r.cache_note);
}

#[test]
fn a_truncated_index_is_rebuilt() {
    damage_and_reopen(|dir| {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "idx" || x == "term" || x == "pos") {
                let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
                f.set_len(f.metadata().unwrap().len() / 2).unwrap();
            }
        }
    });
}

#[test]
fn an_index_with_garbage_metadata_is_rebuilt() {
    damage_and_reopen(|dir| std::fs::write(dir.join("meta.json"), b"{ not json").unwrap());
}

#[test]
fn an_index_of_another_version_is_rebuilt() {
    damage_and_reopen(|dir| {
        std::fs::write(dir.join("newsroom-search.json"), br#"{"version":0,"files":1}"#).unwrap();
    });
}

#[test]
fn an_index_another_newsroom_is_writing_is_left_alone() {
    let root = collection(6);
    let cache = tempfile::tempdir().unwrap();
    drop(open(root.path(), cache.path()));
    let dir = index_dir(cache.path());
    // Another process holds the index's writer lock …
    let index = tantivy::Index::open_in_dir(&dir).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
    // … while this one opens the collection with a new file in it.
    std::fs::write(root.path().join("0000").join("extra.txt"), "Extra\n\nA zanzibarian tale from Quetta.").unwrap();
    let (second, r) = open(root.path(), cache.path());
    let note = r.cache_note.unwrap_or_default();
    assert!(note.contains("another newsroom"), "{note}");
    assert_eq!(ids(&second, "zanzibarian").len(), 1, "searched in memory meanwhile");
    assert!(dir.join("meta.json").exists(), "the other's index is left in place");
    drop(writer);
    let (third, r) = open(root.path(), cache.path());
    assert!(r.cache_note.is_none(), "{:?}", r.cache_note);
    assert_eq!(ids(&third, "zanzibarian").len(), 1);
}
