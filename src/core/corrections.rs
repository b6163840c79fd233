//! Entity corrections the user made: merge, split, rename, retype, reject. They are kept in the
//! user's store and applied as a stage of every entity index build (after names are merged,
//! before anything is counted), so they hold after any re-index. Each is keyed by names — the
//! kind and the normalised name or alias ([`name_key`], with [`skeleton`] as a fallback) — never
//! by positions or numbers a rebuild gives out afresh.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::core::extract::lexicon::name_key;
use crate::core::extract::Kind;
use crate::core::index::skeleton;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// `name` (and all its aliases and mentions) into `target`.
    Merge,
    /// The alias `name` out of the entity `target`, as an entity of its own.
    Split,
    /// `name` is called `target` from now on; the old name stays an alias.
    Rename,
    /// `name` is of kind `target`.
    Retype,
    /// `name` is not an entity.
    Reject,
    /// The text `name`, wherever it is written, is a mention of `target` (made when none is
    /// named so; of kind `kind`).
    Add,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Merge => "merge",
            Op::Split => "split",
            Op::Rename => "rename",
            Op::Retype => "retype",
            Op::Reject => "reject",
            Op::Add => "add",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "merge" => Op::Merge,
            "split" => Op::Split,
            "rename" => Op::Rename,
            "retype" => Op::Retype,
            "reject" => Op::Reject,
            "add" => Op::Add,
            _ => return None,
        })
    }
}

/// One correction as stored and exported.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Correction {
    /// Its number in the store (what `entity undo` takes); 0 before it is stored.
    #[serde(default)]
    pub id: i64,
    pub op: Op,
    /// The kind of the entity `name` named when the correction was made.
    #[serde(default)]
    pub kind: Option<Kind>,
    pub name: String,
    #[serde(default)]
    pub target: Option<String>,
    /// `YYYY-MM-DD`, when it was made.
    #[serde(default)]
    pub date: String,
}

impl Correction {
    /// One line for lists: `#3 2026-11-22 merge Taliban → Afghan Taliban`.
    pub fn describe(&self) -> String {
        let what = match (self.op, &self.target) {
            (Op::Merge, Some(t)) => format!("merge {} into {t}", self.name),
            (Op::Split, Some(t)) => format!("split {} out of {t}", self.name),
            (Op::Rename, Some(t)) => format!("rename {} to {t}", self.name),
            (Op::Retype, Some(t)) => format!("retype {} as {t}", self.name),
            (Op::Reject, _) => format!("reject {} (not an entity)", self.name),
            (Op::Add, Some(t)) => format!("add “{}” as a mention of {t}", self.name),
            (op, None) => format!("{} {}", op.as_str(), self.name),
        };
        format!("#{} {} {what}", self.id, self.date)
    }
}

/// The corrections an index build applies, in the order they were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corrections(pub Arc<Vec<Correction>>);

impl Corrections {
    pub fn new(list: Vec<Correction>) -> Corrections {
        Corrections(Arc::new(list))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Correction> {
        self.0.iter()
    }

    /// A hash of what the corrections do (not when they were made), kept with a cached index
    /// so that an index built under other corrections is built again.
    pub fn fingerprint(&self) -> u64 {
        let mut text = String::new();
        for c in self.iter() {
            text.push_str(&format!("{}|{:?}|{}|{:?}\n", c.op.as_str(), c.kind, c.name, c.target));
        }
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }

    /// Name keys of aliases split out of their entities.
    pub fn split_keys(&self) -> std::collections::HashSet<String> {
        self.iter().filter(|c| c.op == Op::Split).map(|c| name_key(&c.name)).collect()
    }
}

/// The group key a split alias is given, so that no merging rule takes it back.
pub fn split_key(key: &str) -> String {
    format!("split:{key}")
}

/// What corrections decided about one merged entity.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub name: Option<String>,
    pub kind: Option<Kind>,
    pub rejected: bool,
    /// Names merged in by the user, with the date.
    pub merged: Vec<(String, String)>,
    /// Names the entity had before the user renamed it.
    pub old_names: Vec<String>,
}

/// Entities as the build sees them between merging and counting: each group of names belongs to
/// a root (an entity); `names[g]` are the normalised names group `g` goes by, `kinds[g]` its
/// kind and `weight[g]` its mentions.
pub struct Stage<'a> {
    pub names: &'a [Vec<String>],
    pub kinds: &'a [Kind],
    pub weight: &'a [usize],
}

/// What [`apply`] decided: by root, and for each group the date the user merged it into
/// another entity.
#[derive(Debug, Default)]
pub struct Applied {
    pub decisions: HashMap<usize, Decision>,
    pub merged_on: Vec<Option<String>>,
}

/// Applies the corrections to the roots `root[g]` of every group, in order: merges join roots,
/// the rest decide about a root. A correction whose names are not in this collection does
/// nothing.
pub fn apply(corrections: &Corrections, stage: &Stage<'_>, root: &mut [usize]) -> Applied {
    let mut decisions: HashMap<usize, Decision> = HashMap::new();
    let mut merged_on: Vec<Option<String>> = vec![None; root.len()];
    if corrections.is_empty() {
        return Applied { decisions, merged_on };
    }
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_skeleton: HashMap<String, Vec<usize>> = HashMap::new();
    for (g, names) in stage.names.iter().enumerate() {
        for n in names {
            by_key.entry(n.as_str()).or_default().push(g);
            by_skeleton.entry(skeleton(n)).or_default().push(g);
        }
    }
    // Names the user gave (renames, merge targets) find their entity too.
    let mut given: HashMap<String, usize> = HashMap::new();
    let find = |name: &str, kind: Option<Kind>, root: &[usize], given: &HashMap<String, usize>| -> Option<usize> {
        let key = name_key(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&g) = given.get(&key) {
            return Some(root[g]);
        }
        let groups = by_key.get(key.as_str()).cloned().or_else(|| by_skeleton.get(&skeleton(&key)).cloned())?;
        // The root of that kind with the most mentions; any kind when none is of it.
        let mut weight: HashMap<usize, (bool, usize)> = HashMap::new();
        for g in groups {
            let w = weight.entry(root[g]).or_insert((false, 0));
            w.0 |= kind == Some(stage.kinds[g]);
            w.1 += stage.weight[g];
        }
        weight.into_iter().max_by_key(|&(r, (k, w))| (k, w, std::cmp::Reverse(r))).map(|(r, _)| r)
    };
    for c in corrections.iter() {
        let Some(r) = find(&c.name, c.kind, root, &given) else { continue };
        match (c.op, &c.target) {
            (Op::Merge, Some(target)) => {
                let Some(into) = find(target, None, root, &given) else { continue };
                if into == r {
                    continue;
                }
                for (x, on) in root.iter_mut().zip(merged_on.iter_mut()).filter(|(x, _)| **x == r) {
                    *x = into;
                    on.get_or_insert_with(|| c.date.clone());
                }
                let from = decisions.remove(&r).unwrap_or_default();
                let d = decisions.entry(into).or_default();
                d.merged.push((c.name.clone(), c.date.clone()));
                d.merged.extend(from.merged);
                d.old_names.extend(from.old_names);
                if d.name.is_none() {
                    d.name = Some(target.clone());
                }
                if let Some(g) = root.iter().position(|&x| x == into) {
                    given.insert(name_key(target), g);
                }
            }
            (Op::Rename, Some(new)) => {
                let d = decisions.entry(r).or_default();
                if let Some(old) = d.name.replace(new.clone()) {
                    d.old_names.push(old);
                }
                d.old_names.push(c.name.clone());
                if let Some(g) = root.iter().position(|&x| x == r) {
                    given.insert(name_key(new), g);
                }
            }
            (Op::Retype, Some(kind)) => {
                if let Some(k) = Kind::parse(kind).filter(|k| *k != Kind::Date) {
                    decisions.entry(r).or_default().kind = Some(k);
                }
            }
            (Op::Reject, _) => decisions.entry(r).or_default().rejected = true,
            // Splits are done when names are grouped; see `split_keys`.
            _ => {}
        }
    }
    Applied { decisions, merged_on }
}

/// Most added mention texts applied (each is searched for in every text).
const MAX_ADDED: usize = 1000;
/// Longest added mention text, in bytes.
const MAX_ADDED_LEN: usize = 200;

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Applies the `add` corrections to a built corpus: every whole-word occurrence of each added
/// text, in every article, becomes a mention of its entity (made when the collection has none
/// of that name), unless it overlaps a mention already there. This needs the texts, so it runs
/// where they are at hand, after the index is built: one Aho-Corasick pass over each text, only
/// when there are added texts, at most [`MAX_ADDED`] of them.
pub fn apply_added(corpus: &mut crate::core::corpus::Corpus, corrections: &Corrections) {
    use crate::core::index::{Alias, Entity, Mention, MergeReason};
    let adds: Vec<&Correction> = corrections
        .iter()
        .filter(|c| c.op == Op::Add && !c.name.trim().is_empty() && c.name.trim().len() <= MAX_ADDED_LEN)
        .take(MAX_ADDED)
        .collect();
    if adds.is_empty() {
        return;
    }
    let mut patterns: Vec<String> = Vec::new();
    let mut entity_of: Vec<u32> = Vec::new();
    for c in adds {
        let text = c.name.trim().to_string();
        let target = c.target.as_deref().map(str::trim).filter(|t| !t.is_empty()).unwrap_or(&text).to_string();
        let index = &mut corpus.index;
        let e = match index.find(&target).first() {
            Some(&e) => e,
            None => {
                let kind = c.kind.filter(|k| *k != Kind::Date).unwrap_or(Kind::Other);
                index.entities.push(Entity {
                    id: format!("{}:{}", kind.as_str(), name_key(&target).replace(' ', "-")),
                    name: target.clone(),
                    kind,
                    aliases: vec![crate::core::index::Alias {
                        name: target.clone(),
                        reason: MergeReason::Canonical,
                        mentions: 0,
                        since: None,
                    }],
                    value: None,
                    articles: 0,
                    mentions: 0,
                });
                index.entity_articles.push(Vec::new());
                (index.entities.len() - 1) as u32
            }
        };
        let entity = &mut index.entities[e as usize];
        if !entity.aliases.iter().any(|a| a.name == text) {
            entity.aliases.push(Alias {
                name: text.clone(),
                reason: MergeReason::AddedByYou,
                mentions: 0,
                since: Some(c.date.clone()).filter(|d| !d.is_empty()),
            });
        }
        index.rebuild_lookup();
        if !patterns.contains(&text) {
            patterns.push(text);
            entity_of.push(e);
        }
    }
    let Ok(ac) =
        aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(&patterns)
    else {
        return;
    };
    let mut added: std::collections::HashMap<u32, Vec<Mention>> = Default::default();
    let mut per_alias: HashMap<(u32, usize), usize> = HashMap::new();
    for a in 0..corpus.articles.len() {
        let Ok(view) = corpus.open(a) else { continue };
        let body = &view.text.body;
        let taken = &view.mentions;
        let mut found = Vec::new();
        for m in ac.find_iter(body.as_str()) {
            let (s, e) = (m.start(), m.end());
            if is_word(body[..s].chars().next_back()) || is_word(body[e..].chars().next()) {
                continue;
            }
            if taken.iter().any(|t| (t.start as usize) < e && (t.end as usize) > s) {
                continue;
            }
            let entity = entity_of[m.pattern().as_usize()];
            *per_alias.entry((entity, m.pattern().as_usize())).or_default() += 1;
            found.push(Mention { entity, start: s as u32, end: e as u32 });
        }
        if found.is_empty() {
            continue;
        }
        let index = &mut corpus.index;
        let mut counts: std::collections::BTreeMap<u32, u32> = Default::default();
        for m in &found {
            *counts.entry(m.entity).or_default() += 1;
        }
        for (&e, &n) in &counts {
            let list = &mut index.entity_articles[e as usize];
            match list.binary_search_by_key(&(a as u32), |&(x, _)| x) {
                Ok(i) => list[i].1 += n,
                Err(i) => list.insert(i, (a as u32, n)),
            }
            if let Some(per) = index.article_entities.get_mut(a) {
                match per.iter_mut().find(|(x, _)| *x == e) {
                    Some(p) => p.1 += n,
                    None => per.push((e, n)),
                }
                per.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            }
        }
        added.insert(a as u32, found);
    }
    let index = &mut corpus.index;
    for (e, list) in index.entity_articles.iter().enumerate() {
        if let Some(entity) = index.entities.get_mut(e) {
            entity.articles = list.len();
            entity.mentions = list.iter().map(|&(_, n)| n as usize).sum();
        }
    }
    for ((e, p), n) in per_alias {
        if let Some(alias) = index.entities[e as usize].aliases.iter_mut().find(|a| a.name == patterns[p]) {
            alias.mentions += n;
        }
    }
    corpus.added = added;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(op: Op, name: &str, target: Option<&str>) -> Correction {
        Correction {
            id: 1,
            op,
            kind: None,
            name: name.into(),
            target: target.map(Into::into),
            date: "2026-01-02".into(),
        }
    }

    #[test]
    fn merges_join_roots_and_keep_the_target_name() {
        let names = vec![vec!["taliban".to_string()], vec!["afghan taliban".to_string()], vec!["kabul".to_string()]];
        let kinds = [Kind::Organization, Kind::Organization, Kind::Place];
        let stage = Stage { names: &names, kinds: &kinds, weight: &[5, 3, 1] };
        let mut root = vec![0, 1, 2];
        let applied =
            apply(&Corrections::new(vec![c(Op::Merge, "Taliban", Some("Afghan Taliban"))]), &stage, &mut root);
        assert_eq!(root, [1, 1, 2]);
        assert_eq!(applied.merged_on, [Some("2026-01-02".to_string()), None, None]);
        let d = applied.decisions;
        assert_eq!(d[&1].name.as_deref(), Some("Afghan Taliban"));
        assert_eq!(d[&1].merged, [("Taliban".to_string(), "2026-01-02".to_string())]);
    }

    #[test]
    fn a_renamed_entity_is_found_by_its_new_name() {
        let names = vec![vec!["picss".to_string()]];
        let stage = Stage { names: &names, kinds: &[Kind::Organization], weight: &[1] };
        let mut root = vec![0];
        let list = vec![c(Op::Rename, "PICSS", Some("Pak Institute")), c(Op::Retype, "pak institute", Some("other"))];
        let d = apply(&Corrections::new(list), &stage, &mut root).decisions;
        assert_eq!(d[&0].name.as_deref(), Some("Pak Institute"));
        assert_eq!(d[&0].kind, Some(Kind::Other));
        assert_eq!(d[&0].old_names, ["PICSS"]);
    }

    #[test]
    fn unknown_names_do_nothing() {
        let names = vec![vec!["kabul".to_string()]];
        let stage = Stage { names: &names, kinds: &[Kind::Place], weight: &[1] };
        let mut root = vec![0];
        let d = apply(&Corrections::new(vec![c(Op::Reject, "Nowhere", None)]), &stage, &mut root).decisions;
        assert!(d.is_empty());
        assert_eq!(root, [0]);
    }
}
