//! The corpus index: merges each article's mentions into collection-wide entities (acronyms to
//! their long forms, spelling variants, short references to full names) and answers which
//! articles mention what, and what is mentioned together.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::core::corrections::{split_key, Applied, Corrections};
use crate::core::extract::lexicon::{name_key, Lexicon};
use crate::core::extract::tokens::is_acronym;
use crate::core::extract::{ArticleEntities, Evidence, Extraction, Kind, LocalMention};

/// Why a name was merged into an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MergeReason {
    /// The entity's own name.
    Canonical,
    /// Defined in the text: "Tehrik-i-Taliban Pakistan (TTP)".
    AcronymDefinition,
    /// The same name spelt differently: Tehreek-e- / Tehrik-i-.
    VariantSpelling,
    /// A surname standing for a full name mentioned before: Munir → Asim Munir.
    ShortForm,
    /// Listed as the same thing in newsroom's gazetteers: US → United States.
    KnownAlias,
    /// The same date written another way.
    SameDate,
    /// The user merged it in (see `Alias::since`).
    MergedByYou,
    /// The entity's name before the user renamed it.
    RenamedByYou,
    /// Text the user marked as a mention of it.
    AddedByYou,
}

impl MergeReason {
    pub fn describe(self) -> &'static str {
        match self {
            MergeReason::Canonical => "name",
            MergeReason::AcronymDefinition => "acronym definition",
            MergeReason::VariantSpelling => "variant spelling",
            MergeReason::ShortForm => "short form",
            MergeReason::KnownAlias => "known alias",
            MergeReason::SameDate => "same date",
            MergeReason::MergedByYou => "merged by you",
            MergeReason::RenamedByYou => "renamed by you",
            MergeReason::AddedByYou => "added by you",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub reason: MergeReason,
    pub mentions: usize,
    /// When the user made the correction behind `reason` (`YYYY-MM-DD`).
    #[serde(default)]
    pub since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id: the kind and a slug of the canonical name.
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Every name it goes by, the canonical one first, each with why it was merged.
    pub aliases: Vec<Alias>,
    /// ISO 8601 value, for dates.
    pub value: Option<String>,
    /// How many articles mention it.
    pub articles: usize,
    pub mentions: usize,
}

/// A mention resolved to an entity: byte offsets into the article's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub entity: u32,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusIndex {
    /// Sorted by articles, then mentions (most first).
    pub entities: Vec<Entity>,
    /// Per entity, the articles mentioning it with counts, in article order.
    pub entity_articles: Vec<Vec<(u32, u32)>>,
    /// Per article, its entities with mention counts, most mentioned first.
    pub article_entities: Vec<Vec<(u32, u32)>>,
    /// Per article, the entity each of its name groups became (`NO_ENTITY` when none).
    pub group_entity: Vec<Vec<u32>>,
    /// Name and alias keys to entities.
    #[serde(skip)]
    lookup: HashMap<String, Vec<u32>>,
}

/// A name group that became no entity ("CT" defined as "counterterrorism").
pub const NO_ENTITY: u32 = u32::MAX;
/// One name-group while merging.
#[derive(Debug, Default)]
struct Group {
    kind_votes: BTreeMap<(Kind, Evidence), usize>,
    /// Surface (interned) → (count, reason it joined).
    surfaces: BTreeMap<u32, (usize, MergeReason)>,
    value: Option<String>,
    canonical_hint: Option<String>,
    /// The user's corrections: the kind they gave, and names that stay aliases.
    kind_override: Option<Kind>,
    corrected: Option<Correct>,
}

/// What the user's corrections add to an entity's aliases.
#[derive(Debug, Default)]
struct Correct {
    /// Surface → date the user merged it in.
    merged: BTreeMap<u32, String>,
    old_names: Vec<String>,
}

impl Group {
    fn kind(&self) -> Kind {
        if let Some(k) = self.kind_override {
            return k;
        }
        // The strongest evidence decides; among equals, the most votes.
        let mut best: BTreeMap<Kind, (Evidence, usize)> = BTreeMap::new();
        for (&(kind, ev), &n) in &self.kind_votes {
            let e = best.entry(kind).or_insert((ev, 0));
            if ev > e.0 {
                *e = (ev, n);
            } else if ev == e.0 {
                e.1 += n;
            }
        }
        best.into_iter()
            .max_by_key(|&(k, (ev, n))| (ev, n, std::cmp::Reverse(k)))
            .map_or(Kind::Organization, |(k, _)| k)
    }
}

/// Consonant skeleton of a name for spelling variants: "Tehreek-e-Taliban" and
/// "Tehrik-i-Taliban" both give "thrk tlbn". Single-letter particles drop out.
pub fn skeleton(key: &str) -> String {
    let mut out = String::new();
    for word in key.split(' ').filter(|w| w.len() > 1) {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut chars = word.chars();
        let first = chars.next().unwrap_or(' ');
        out.push(first);
        let mut last = first;
        for c in chars {
            if !"aeiouy".contains(c) && c != last {
                out.push(c);
            }
            last = c;
        }
    }
    out
}

/// Union-find over group indices.
fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut j = i;
    while parent[j] != r {
        let next = parent[j];
        parent[j] = r;
        j = next;
    }
    r
}

impl CorpusIndex {
    /// Builds the index from each article's extraction (in article order), resolving mentions.
    pub fn from_extractions(extractions: &[Extraction]) -> (CorpusIndex, Vec<Vec<Mention>>) {
        let interner = crate::core::intern::Interner::default();
        let summaries: Vec<(ArticleEntities, Vec<LocalMention>)> =
            extractions.iter().map(|e| e.summarize(&interner)).collect();
        let strings = interner.into_strings();
        let entities: Vec<&ArticleEntities> = summaries.iter().map(|(e, _)| e).collect();
        let index = CorpusIndex::build(&entities, &strings);
        let mentions = summaries.iter().enumerate().map(|(a, (_, local))| index.resolve(a, local)).collect();
        (index, mentions)
    }

    /// An article's mentions with collection-wide entity numbers.
    pub fn resolve(&self, article: usize, local: &[LocalMention]) -> Vec<Mention> {
        let map = self.group_entity.get(article).map_or(&[][..], Vec::as_slice);
        local
            .iter()
            .filter_map(|m| {
                let e = *map.get(m.group as usize)?;
                (e != NO_ENTITY).then_some(Mention { entity: e, start: m.start, end: m.end })
            })
            .collect()
    }

    /// Builds the index from each article's names (in article order); `strings` resolves the
    /// names' numbers.
    pub fn build(articles: &[&ArticleEntities], strings: &[Box<str>]) -> CorpusIndex {
        CorpusIndex::build_corrected(articles, strings, &Corrections::default())
    }

    /// [`CorpusIndex::build`] with the user's corrections applied between merging names into
    /// entities and counting them.
    pub fn build_corrected(
        articles: &[&ArticleEntities],
        strings: &[Box<str>],
        corrections: &Corrections,
    ) -> CorpusIndex {
        let lex = Lexicon::get();
        let split = corrections.split_keys();
        let text = |id: u32| -> &str { strings.get(id as usize).map_or("", |s| s) };

        // Acronyms: what each stands for across the collection, by vote.
        let mut defs: HashMap<u32, BTreeMap<Option<String>, usize>> = HashMap::new();
        for art in articles {
            for d in &art.definitions {
                let long = d.kind.map(|_| name_key(text(d.long)));
                *defs.entry(d.short).or_default().entry(long).or_default() += 1;
            }
        }
        let acronym_target = |short: u32| -> Option<Option<String>> {
            let votes = defs.get(&short)?;
            votes.iter().max_by_key(|(_, &n)| n).map(|(long, _)| long.clone())
        };

        // Group keys: every name goes to the key of what it names. Worked out once per distinct
        // string, then looked up by number for every article.
        const UNSEEN: u32 = u32::MAX;
        const DROPPED: u32 = u32::MAX - 1;
        let mut name_group = vec![UNSEEN; strings.len()];
        let mut date_group = vec![UNSEEN; strings.len()];
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        let mut assigned: Vec<Vec<Option<usize>>> = Vec::with_capacity(articles.len());
        for art in articles {
            let mut per_article = Vec::with_capacity(art.groups.len());
            for m in &art.groups {
                let n = m.count as usize;
                let is_date = m.kind == Kind::Date;
                let memo = if is_date { &mut date_group[m.value as usize] } else { &mut name_group[m.name as usize] };
                if *memo == UNSEEN {
                    let surface = text(m.name);
                    let resolved = if is_date {
                        let label = crate::core::extract::dates::from_iso(text(m.value)).map(|v| v.label());
                        Some((format!("date:{}", text(m.value)), label))
                    } else if !split.is_empty() && split.contains(&name_key(surface)) {
                        Some((split_key(&name_key(surface)), None))
                    } else if is_acronym(surface) && acronym_target(m.name).is_some() {
                        acronym_target(m.name).flatten().map(|long| (long, None))
                    } else {
                        let key = name_key(surface);
                        match lex.lookup(&key).and_then(|k| k.canonical.clone()) {
                            Some(canonical) => Some((name_key(&canonical), Some(canonical))),
                            None => Some((key, None)),
                        }
                    };
                    *memo = match resolved {
                        None => DROPPED, // "CT": an acronym of ordinary words
                        Some((key, hint)) => {
                            let gi = *group_of.entry(key).or_insert_with(|| {
                                groups.push(Group::default());
                                groups.len() - 1
                            });
                            if hint.is_some() {
                                groups[gi].canonical_hint = hint;
                            }
                            if is_date {
                                groups[gi].value = Some(text(m.value).to_string());
                            }
                            gi as u32
                        }
                    };
                }
                if *memo == DROPPED {
                    per_article.push(None);
                    continue;
                }
                let gi = *memo as usize;
                let g = &mut groups[gi];
                *g.kind_votes.entry((m.kind, m.evidence)).or_default() += n;
                let entry = g.surfaces.entry(m.name).or_insert_with(|| {
                    let reason = if is_date {
                        MergeReason::SameDate
                    } else if is_acronym(text(m.name)) && acronym_target(m.name).is_some() {
                        MergeReason::AcronymDefinition
                    } else if lex.lookup(&name_key(text(m.name))).is_some_and(|k| k.canonical.is_some()) {
                        MergeReason::KnownAlias
                    } else {
                        MergeReason::VariantSpelling
                    };
                    (0, reason)
                });
                entry.0 += n;
                per_article.push(Some(gi));
            }
            assigned.push(per_article);
        }

        // Spelling variants of one kind merge; so do surnames with the single full name that
        // ends in them.
        let mut parent: Vec<usize> = (0..groups.len()).collect();
        let kinds: Vec<Kind> = groups.iter().map(Group::kind).collect();
        let keys: Vec<String> = {
            let mut k = vec![String::new(); groups.len()];
            for (key, &gi) in &group_of {
                k[gi] = key.clone();
            }
            k
        };
        let mut by_skeleton: HashMap<(Kind, String), usize> = HashMap::new();
        for gi in 0..groups.len() {
            if kinds[gi] == Kind::Date
                || keys[gi].len() < 5
                || keys[gi].split(' ').all(|w| w.len() <= 1)
                || keys[gi].starts_with("split:")
            {
                continue;
            }
            let sk = skeleton(&keys[gi]);
            match by_skeleton.get(&(kinds[gi], sk.clone())) {
                Some(&other) => {
                    let (a, b) = (find(&mut parent, gi), find(&mut parent, other));
                    parent[a] = b;
                }
                None => {
                    by_skeleton.insert((kinds[gi], sk), gi);
                }
            }
        }
        let mut persons_by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
        for g in (0..groups.len()).filter(|&g| kinds[g] == Kind::Person && keys[g].contains(' ')) {
            if let Some(last) = keys[g].rsplit(' ').next() {
                persons_by_surname.entry(last).or_default().push(g);
            }
        }
        for gi in 0..groups.len() {
            if kinds[gi] == Kind::Person && !keys[gi].contains(' ') {
                if let Some([one]) = persons_by_surname.get(keys[gi].as_str()).map(Vec::as_slice) {
                    let (a, b) = (find(&mut parent, gi), find(&mut parent, *one));
                    parent[a] = b;
                    for s in groups[gi].surfaces.values_mut() {
                        s.1 = MergeReason::ShortForm;
                    }
                }
            }
        }

        // The user's corrections: merges join entities, the rest decide about one.
        let mut roots: Vec<usize> = (0..groups.len()).map(|gi| find(&mut parent, gi)).collect();
        let applied = if corrections.is_empty() {
            Applied::default()
        } else {
            let names: Vec<Vec<String>> = groups
                .iter()
                .zip(&keys)
                .map(|(g, key)| {
                    let mut n: Vec<String> = g.surfaces.keys().map(|&s| name_key(text(s))).collect();
                    n.push(key.strip_prefix("split:").unwrap_or(key).to_string());
                    n.extend(g.canonical_hint.as_deref().map(name_key));
                    n.sort();
                    n.dedup();
                    n
                })
                .collect();
            let weight: Vec<usize> = groups.iter().map(|g| g.kind_votes.values().sum()).collect();
            let stage = crate::core::corrections::Stage { names: &names, kinds: &kinds, weight: &weight };
            crate::core::corrections::apply(corrections, &stage, &mut roots)
        };
        for (gi, on) in applied.merged_on.iter().enumerate() {
            if let Some(date) = on {
                let surfaces: Vec<u32> = groups[gi].surfaces.keys().copied().collect();
                let c = groups[gi].corrected.get_or_insert_with(Correct::default);
                for s in surfaces {
                    c.merged.insert(s, date.clone());
                }
                for s in groups[gi].surfaces.values_mut() {
                    s.1 = MergeReason::MergedByYou;
                }
            }
        }

        // Entities from the merged groups.
        let mut root_entity: HashMap<usize, usize> = HashMap::new();
        let mut merged: Vec<Group> = Vec::new();
        for (gi, group) in groups.iter_mut().enumerate() {
            let root = roots[gi];
            let ei = *root_entity.entry(root).or_insert_with(|| {
                merged.push(Group::default());
                merged.len() - 1
            });
            let g = std::mem::take(group);
            let target = &mut merged[ei];
            for (k, n) in g.kind_votes {
                *target.kind_votes.entry(k).or_default() += n;
            }
            for (s, (n, reason)) in g.surfaces {
                let e = target.surfaces.entry(s).or_insert((0, reason));
                e.0 += n;
                e.1 = e.1.min(reason);
            }
            target.value = target.value.take().or(g.value);
            target.canonical_hint = target.canonical_hint.take().or(g.canonical_hint);
            if let Some(c) = g.corrected {
                target.corrected.get_or_insert_with(Correct::default).merged.extend(c.merged);
            }
        }
        let mut rejected = vec![false; merged.len()];
        for (root, d) in &applied.decisions {
            let Some(&ei) = root_entity.get(root) else { continue };
            let g = &mut merged[ei];
            if let Some(name) = &d.name {
                g.canonical_hint = Some(name.clone());
            }
            g.kind_override = d.kind;
            if !d.old_names.is_empty() {
                g.corrected.get_or_insert_with(Correct::default).old_names.clone_from(&d.old_names);
            }
            rejected[ei] = d.rejected;
        }
        // A lone candidate name that merged with nothing names nothing known; nor does what the
        // user rejected.
        let keep: Vec<bool> = merged
            .iter()
            .zip(&rejected)
            .map(|(g, &no)| !no && g.kind_votes.keys().any(|&(_, ev)| ev > Evidence::Candidate))
            .collect();
        let mut kept_index = vec![usize::MAX; merged.len()];
        let mut entities: Vec<Entity> = Vec::new();
        for (ei, g) in merged.iter().enumerate() {
            if keep[ei] {
                kept_index[ei] = entities.len();
                entities.push(make_entity(g, strings));
            }
        }
        let group_entity: Vec<Option<usize>> = (0..groups.len())
            .map(|gi| Some(kept_index[root_entity[&roots[gi]]]).filter(|&e| e != usize::MAX))
            .collect();

        // Counts per article and per entity.
        let mut per_entity_articles: Vec<Vec<(u32, u32)>> = vec![Vec::new(); entities.len()];
        let mut article_groups: Vec<Vec<u32>> = Vec::with_capacity(articles.len());
        for (ai, (art, assigned)) in articles.iter().zip(&assigned).enumerate() {
            let mut in_article: BTreeMap<u32, u32> = BTreeMap::new();
            let mut map = Vec::with_capacity(art.groups.len());
            for (g, a) in art.groups.iter().zip(assigned) {
                match a.and_then(|gi| group_entity[gi]) {
                    Some(e) => {
                        *in_article.entry(e as u32).or_default() += g.count;
                        map.push(e as u32);
                    }
                    None => map.push(NO_ENTITY),
                }
            }
            for (e, n) in in_article {
                per_entity_articles[e as usize].push((ai as u32, n));
            }
            article_groups.push(map);
        }
        for (e, list) in entities.iter_mut().zip(&per_entity_articles) {
            e.articles = list.len();
            e.mentions = list.iter().map(|&(_, n)| n as usize).sum();
        }

        // Order entities by reach, renumbering.
        let mut order: Vec<usize> = (0..entities.len()).collect();
        order.sort_by(|&a, &b| {
            let (ea, eb) = (&entities[a], &entities[b]);
            eb.articles.cmp(&ea.articles).then(eb.mentions.cmp(&ea.mentions)).then(ea.name.cmp(&eb.name))
        });
        let mut new_index = vec![0u32; entities.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new as u32;
        }
        for map in &mut article_groups {
            for e in map.iter_mut().filter(|e| **e != NO_ENTITY) {
                *e = new_index[*e as usize];
            }
        }
        let entity_articles: Vec<Vec<(u32, u32)>> =
            order.iter().map(|&old| std::mem::take(&mut per_entity_articles[old])).collect();
        let mut slots: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
        let mut entities: Vec<Entity> = order.iter().map(|&old| slots[old].take().expect("each entity once")).collect();
        unique_ids(&mut entities);
        let mut article_entities: Vec<Vec<(u32, u32)>> = vec![Vec::new(); articles.len()];
        for (e, list) in entity_articles.iter().enumerate() {
            for &(a, n) in list {
                article_entities[a as usize].push((e as u32, n));
            }
        }
        for list in &mut article_entities {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }

        let mut index = CorpusIndex {
            entities,
            entity_articles,
            article_entities,
            group_entity: article_groups,
            lookup: HashMap::new(),
        };
        index.rebuild_lookup();
        index
    }

    /// Rebuilds the name lookup (it is not stored in the cache).
    pub fn rebuild_lookup(&mut self) {
        self.lookup.clear();
        for (i, e) in self.entities.iter().enumerate() {
            for a in &e.aliases {
                let list = self.lookup.entry(name_key(&a.name)).or_default();
                if !list.contains(&(i as u32)) {
                    list.push(i as u32);
                }
            }
            if let Some(v) = &e.value {
                self.lookup.entry(v.clone()).or_default().push(i as u32);
            }
        }
    }

    /// Entities whose name or alias is `name`, ignoring case, accents and punctuation; the most
    /// mentioned first.
    pub fn find(&self, name: &str) -> Vec<u32> {
        let mut found = self.lookup.get(&name_key(name)).cloned().unwrap_or_default();
        if found.is_empty() {
            found = self.lookup.get(name.trim()).cloned().unwrap_or_default();
        }
        found.sort_unstable();
        found
    }

    /// Entities with a name or alias starting with `query`'s words ("tehreek" finds
    /// Tehreek-e-Taliban Pakistan), for when no name matches whole.
    pub fn find_prefix(&self, query: &str) -> Vec<u32> {
        let q = name_key(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<u32> = self
            .lookup
            .iter()
            .filter(|(key, _)| key.starts_with(&q) || key.contains(&format!(" {q}")))
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The entities of one article with their mention counts, most mentioned first.
    pub fn article_entities(&self, article: usize) -> Vec<(u32, u32)> {
        self.article_entities.get(article).cloned().unwrap_or_default()
    }

    /// Entities mentioned in the same articles as `entity`, with the number of articles shared,
    /// most first. Counted in a dense table: linear in the entity's articles' mentions, so even
    /// an entity in every one of 200k articles takes a few milliseconds.
    pub fn cooccurring(&self, entity: u32) -> Vec<(u32, u32)> {
        let mut counts = vec![0u32; self.entities.len()];
        let mut touched = Vec::new();
        for &(article, _) in self.entity_articles.get(entity as usize).map_or(&[][..], Vec::as_slice) {
            for &(other, _) in self.article_entities.get(article as usize).map_or(&[][..], Vec::as_slice) {
                if other != entity {
                    if let Some(c) = counts.get_mut(other as usize) {
                        if *c == 0 {
                            touched.push(other);
                        }
                        *c += 1;
                    }
                }
            }
        }
        let mut list: Vec<(u32, u32)> = touched.into_iter().map(|e| (e, counts[e as usize])).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list
    }
}

fn make_entity(g: &Group, strings: &[Box<str>]) -> Entity {
    let kind = g.kind();
    let text = |id: u32| -> &str { strings.get(id as usize).map_or("", |s| s) };
    // The most used full name; an acronym only when nothing else is written. A person goes by
    // the fullest form of the name ("Ishaq Dar", never "Dar" however often the surname is used).
    let all_acronyms = g.surfaces.keys().all(|&k| is_acronym(text(k)));
    let words = |id: u32| if kind == Kind::Person { text(id).split_whitespace().count() } else { 0 };
    let written = g
        .surfaces
        .iter()
        .filter(|(&s, _)| all_acronyms || !is_acronym(text(s)))
        .max_by(|a, b| {
            words(*a.0)
                .cmp(&words(*b.0))
                .then(a.1 .0.cmp(&b.1 .0))
                .then(text(*a.0).len().cmp(&text(*b.0).len()))
                .then(text(*b.0).cmp(text(*a.0)))
        })
        .map(|(&s, _)| text(s).to_string())
        .unwrap_or_default();
    let name = g.canonical_hint.clone().unwrap_or(written);
    let mut aliases = vec![Alias { name: name.clone(), reason: MergeReason::Canonical, mentions: 0, since: None }];
    for (&id, &(n, reason)) in &g.surfaces {
        let surface = text(id);
        if surface == name {
            aliases[0].mentions = n;
            continue;
        }
        let old_name = g.corrected.iter().flat_map(|c| &c.old_names).any(|o| name_key(o) == name_key(surface));
        if old_name {
            aliases.push(Alias {
                name: surface.to_string(),
                reason: MergeReason::RenamedByYou,
                mentions: n,
                since: None,
            });
            continue;
        }
        if reason == MergeReason::MergedByYou {
            let since = g.corrected.as_ref().and_then(|c| c.merged.get(&id).cloned());
            aliases.push(Alias { name: surface.to_string(), reason, mentions: n, since });
            continue;
        }
        let reason = if kind == Kind::Date {
            MergeReason::SameDate
        } else if reason == MergeReason::KnownAlias && skeleton(&name_key(surface)) == skeleton(&name_key(&name)) {
            MergeReason::VariantSpelling
        } else {
            reason
        };
        aliases.push(Alias { name: surface.to_string(), reason, mentions: n, since: None });
    }
    // A name the user replaced stays an alias, written or not.
    for old in g.corrected.iter().flat_map(|c| &c.old_names) {
        if !aliases.iter().any(|a| name_key(&a.name) == name_key(old)) {
            aliases.push(Alias { name: old.clone(), reason: MergeReason::RenamedByYou, mentions: 0, since: None });
        }
    }
    aliases[1..].sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
    let slug = match &g.value {
        Some(v) => v.clone(),
        None => name_key(&name).replace(' ', "-"),
    };
    Entity {
        id: format!("{}:{slug}", kind.as_str()),
        name,
        kind,
        aliases,
        value: g.value.clone(),
        articles: 0,
        mentions: 0,
    }
}

fn unique_ids(entities: &mut [Entity]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in entities.iter_mut() {
        let n = seen.entry(e.id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            e.id = format!("{}-{}", e.id, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extract::extract;

    fn index(bodies: &[&str]) -> CorpusIndex {
        let ex: Vec<Extraction> = bodies.iter().map(|b| extract(b, None)).collect();
        CorpusIndex::from_extractions(&ex).0
    }

    fn entity<'a>(idx: &'a CorpusIndex, name: &str) -> &'a Entity {
        let found = idx.find(name);
        assert_eq!(found.len(), 1, "{name}: {:?}", idx.entities.iter().map(|e| &e.name).collect::<Vec<_>>());
        &idx.entities[found[0] as usize]
    }

    #[test]
    fn skeleton_joins_transliterations() {
        assert_eq!(skeleton("tehreek e taliban pakistan"), skeleton("tehrik i taliban pakistan"));
        assert_eq!(skeleton("mohammed"), skeleton("muhammad"));
        assert_ne!(skeleton("iran"), skeleton("oran"));
    }

    #[test]
    fn acronyms_and_spelling_variants_merge_with_reasons() {
        let idx = index(&[
            "The banned Zorbak-e-Mulana Front (ZMF) struck. The ZMF said so.",
            "Fighters of the Zorbak-i-Mulana Front attacked. Later the ZMF denied it.",
            "The ZMF was quiet.",
        ]);
        let e = entity(&idx, "ZMF");
        assert_eq!(e.kind, Kind::Organization);
        assert_eq!(e.articles, 3);
        let reasons: HashMap<&str, MergeReason> = e.aliases.iter().map(|a| (a.name.as_str(), a.reason)).collect();
        assert_eq!(reasons["ZMF"], MergeReason::AcronymDefinition);
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons.values().any(|r| *r == MergeReason::VariantSpelling));
        assert_eq!(idx.find("zorbak i mulana front"), idx.find("ZMF"));
    }

    #[test]
    fn an_acronym_defined_as_a_place_is_a_place_everywhere() {
        let idx = index(&[
            "Attacks rose in Khyber Pakhtunkhwa (KP) this week.",
            "Elections in Balochistan and KP were held.",
        ]);
        let e = entity(&idx, "KP");
        assert_eq!(e.kind, Kind::Place);
        assert_eq!(e.name, "Khyber Pakhtunkhwa");
        assert_eq!(e.articles, 2);
    }

    #[test]
    fn surname_merges_with_the_one_full_name() {
        let idx = index(&["General Asim Munir is in Washington.", "Later Munir returned home."]);
        let e = entity(&idx, "Munir");
        assert_eq!(e.name, "Asim Munir");
        assert_eq!(e.articles, 2);
        assert!(e.aliases.iter().any(|a| a.name == "Munir" && a.reason == MergeReason::ShortForm));
    }

    #[test]
    fn a_person_is_named_by_the_fullest_form_never_the_surname_most_used() {
        let idx = index(&[
            "Finance Minister Ishaq Dar met bankers. Dar said the talks went well. Dar left.",
            "Dar spoke again on Monday. Later Dar flew to Dubai.",
            "Dar was unavailable. Dar returned on Friday.",
        ]);
        let e = entity(&idx, "Dar");
        assert_eq!(e.kind, Kind::Person);
        assert_eq!(e.name, "Ishaq Dar");
        let idx = index(&["Prime Minister Shehbaz Sharif spoke. Sharif said so. Sharif and Sharif again."]);
        assert_eq!(entity(&idx, "Sharif").name, "Shehbaz Sharif");
    }

    #[test]
    fn counts_and_cooccurrence() {
        let idx = index(&["Kabul and Peshawar. Kabul again.", "Kabul and Quetta.", "Peshawar alone."]);
        let kabul = idx.find("Kabul")[0];
        assert_eq!(idx.entities[kabul as usize].mentions, 3);
        assert_eq!(idx.entities[kabul as usize].articles, 2);
        assert_eq!(idx.entities[0].name, "Kabul", "most articles first");
        let co = idx.cooccurring(kabul);
        assert_eq!(co.len(), 2);
        assert!(co.iter().all(|&(_, n)| n == 1));
    }

    #[test]
    fn lowercase_acronym_definitions_remove_the_acronym() {
        let idx = index(&["A counterterrorism (CT) response. The CT policy failed.", "Another CT plan."]);
        assert!(idx.find("CT").is_empty());
    }
}
