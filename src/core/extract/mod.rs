//! Entity extraction: people, organisations, places, dates and groups in one article's body,
//! with byte offsets. Rule-based and offline: a capitalised-phrase chunker, gazetteers, cue words
//! (titles, organisation and place heads, words after a name), acronym definitions and date
//! patterns. Merging across the collection is the index's job.

pub mod dates;
pub mod lexicon;
pub mod tagger;
pub mod tokens;

use serde::{Deserialize, Serialize};

use self::dates::{find_dates, parse_anchor, relative_day, relative_period};
use self::lexicon::{name_key, Lexicon, Lists};
use self::tokens::{is_acronym, is_capitalised, tokenize, Token, TokenKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Organization,
    Place,
    Date,
    /// Nationalities and peoples: Pakistani, Afghan, Baloch.
    Group,
    /// Named things that are none of the above: products, vessels, weapons, events, works.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Person, Kind::Organization, Kind::Place, Kind::Date, Kind::Group, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Place => "place",
            Kind::Date => "date",
            Kind::Group => "group",
            Kind::Other => "other",
        }
    }

    /// Parses a kind name; "org", "organisation", "location" and "people" are accepted too.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "person" | "people" | "per" => Kind::Person,
            "organization" | "organisation" | "org" => Kind::Organization,
            "place" | "location" | "loc" => Kind::Place,
            "date" => Kind::Date,
            "group" | "nationality" => Kind::Group,
            "other" | "misc" => Kind::Other,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a mention's kind is; merging lets the surer evidence decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Evidence {
    /// An unknown single name, kept only if it turns out to be the short form of a name
    /// found elsewhere ("Munir" for Asim Munir).
    Candidate,
    /// A guess from the shape of the name alone.
    Shape,
    /// A cue: a word after the name, a given name.
    Cue,
    /// A title, a head word, a gazetteer entry or an acronym definition.
    Strong,
}

/// One mention in one article's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMention {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The name as written, without titles, possessives or a leading "the".
    pub name: String,
    /// For dates, the ISO 8601 value.
    pub value: Option<String>,
    /// For dates, how a reader says it ("21 February 2024"), whatever the text wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub evidence: Evidence,
}

/// "Long Form (LF)": what an acronym stands for in this article. `kind` is `None` when the long
/// form is not a name ("counterterrorism (CT)"), so the acronym is no entity either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcronymDefinition {
    pub short: String,
    pub long: String,
    pub kind: Option<Kind>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    pub mentions: Vec<RawMention>,
    pub definitions: Vec<AcronymDefinition>,
}

/// No string: for a name group without a value.
pub const NO_STRING: u32 = u32::MAX;

/// One distinct name an article uses, with how often: what merging across the collection
/// needs from an article, without its text. Strings are numbers in the collection's interner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameGroup {
    pub name: u32,
    /// For dates, the ISO value; else `NO_STRING`.
    pub value: u32,
    pub kind: Kind,
    pub evidence: Evidence,
    pub count: u32,
}

/// An acronym definition with interned strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub short: u32,
    pub long: u32,
    pub kind: Option<Kind>,
}

/// An article's entity names and acronym definitions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntities {
    pub groups: Vec<NameGroup>,
    pub definitions: Vec<Definition>,
}

impl ArticleEntities {
    /// The same names numbered by another interner (`strings` resolves the current numbers).
    pub fn renumbered(&self, strings: &[Box<str>], into: &crate::core::intern::Interner) -> ArticleEntities {
        let re = |id: u32| if id == NO_STRING { NO_STRING } else { into.intern(&strings[id as usize]) };
        ArticleEntities {
            groups: self.groups.iter().map(|g| NameGroup { name: re(g.name), value: re(g.value), ..*g }).collect(),
            definitions: self
                .definitions
                .iter()
                .map(|d| Definition { short: re(d.short), long: re(d.long), kind: d.kind })
                .collect(),
        }
    }
}

/// A mention by the index of its name group in the article's [`ArticleEntities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalMention {
    pub group: u32,
    pub start: u32,
    pub end: u32,
}

impl Extraction {
    /// The article's distinct names with counts, and its mentions pointing at them.
    pub fn summarize(&self, strings: &crate::core::intern::Interner) -> (ArticleEntities, Vec<LocalMention>) {
        let mut groups: Vec<NameGroup> = Vec::new();
        let mut index: rustc_hash::FxHashMap<(&str, Kind, Evidence, Option<&str>), u32> = Default::default();
        let mut mentions = Vec::with_capacity(self.mentions.len());
        for m in &self.mentions {
            let key = (m.name.as_str(), m.kind, m.evidence, m.value.as_deref());
            let g = *index.entry(key).or_insert_with(|| {
                groups.push(NameGroup {
                    name: strings.intern(&m.name),
                    value: m.value.as_deref().map_or(NO_STRING, |v| strings.intern(v)),
                    kind: m.kind,
                    evidence: m.evidence,
                    count: 0,
                });
                groups.len() as u32 - 1
            });
            groups[g as usize].count += 1;
            mentions.push(LocalMention { group: g, start: m.start as u32, end: m.end as u32 });
        }
        let definitions = self
            .definitions
            .iter()
            .map(|d| Definition { short: strings.intern(&d.short), long: strings.intern(&d.long), kind: d.kind })
            .collect();
        (ArticleEntities { groups, definitions }, mentions)
    }
}

/// Lower-case words that may join the parts of a name ("Tehrik i Taliban", "Osama bin Laden").
const NAME_PARTICLES: &[&str] =
    &["i", "e", "bin", "ibn", "bint", "al", "ul", "ud", "ur", "de", "da", "van", "von", "der", "del", "la", "du", "y"];
/// Lower-case words that may join the parts of an organisation's name after its head word
/// ("Institute for Conflict and Security Studies", "Bank of England").
const HEAD_CONNECTORS: &[&str] = &["of", "for", "and", "on", "the"];
/// Heads besides organisation heads that take "of" ("Gulf of Mexico", "Republic of Korea").
const OF_HEADS: &[&str] =
    &["kingdom", "republic", "gulf", "bay", "isle", "strait", "sea", "cape", "province", "city", "state", "government"];
/// Words before a vessel's name ("USS Cole", "FS Forbin"): the name is a thing, not an
/// organisation.
const VESSEL_PREFIXES: &[&str] =
    &["uss", "hms", "fs", "ins", "pns", "mv", "ss", "rfa", "hmas", "hmcs", "usns", "ms", "rv"];
/// Words before a storm's name ("Cyclone Phailin", "Hurricane Katrina", "Tropical Storm
/// Allison"): the name is an event, not a person, and so is the name alone later on.
const STORM_PREFIXES: &[&str] = &["cyclone", "hurricane", "typhoon", "storm", "tropical"];
/// Last words of a company's name that its name goes without later on ("Accenture Inc." is
/// "Accenture" in the next sentence).
const COMPANY_HEADS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "company",
    "co",
    "ltd",
    "limited",
    "plc",
    "llc",
    "gmbh",
    "ag",
    "group",
    "holdings",
    "industries",
    "technologies",
    "systems",
    "motors",
    "airlines",
    "airways",
    "records",
    "entertainment",
    "studios",
    "laboratories",
    "labs",
    "partners",
];
/// Names of events that end a capitalised phrase or stand alone ("the 2004 Olympics").
const OTHER_NAMES: &[&str] = &["olympics", "paralympics", "olympiad"];
/// Last (or first) words that make a capitalised phrase a thing or an event rather than an
/// organisation or a place: "Space Shuttle Columbia", "Nobel Prize", "World Cup".
const OTHER_HEADS: &[&str] = &[
    "shuttle",
    "prize",
    "award",
    "awards",
    "cup",
    "olympics",
    "games",
    "championship",
    "festival",
    "treaty",
    "accord",
    "accords",
    "act",
    "operation",
    "war",
    "missile",
    "rifle",
    "tank",
    "aircraft",
    "drone",
    "helicopter",
    "jet",
    "ship",
    "carrier",
    "frigate",
    "destroyer",
    "submarine",
    "vessel",
    "album",
    "novel",
    "film",
    "series",
];

/// Extracts the entity mentions of one article body. `article_date` (ISO) resolves dates such as
/// "Tuesday" or "Feb 21" that leave the year or day open.
pub fn extract(body: &str, article_date: Option<&str>) -> Extraction {
    extract_indexed(body, article_date).0
}

/// [`extract`], with the number of distinct surnames indexed for short references.
fn extract_indexed(body: &str, article_date: Option<&str>) -> (Extraction, usize) {
    let lex = Lexicon::get();
    let tokens = tokenize(body);
    // One context (tokens lower-cased and keyed once) for the rules and the combination.
    let mut ctx = Context::new(body, &tokens, lex);
    let (mut ex, surnames) = extract_rules(&mut ctx, article_date);
    if let Some(model) = tagger::Model::get() {
        ctx.surnames.clear();
        combine(model, &ctx, &mut ex);
    }
    (ex, surnames)
}

/// The rules' mentions alone (no tagger), sorted: what the tagger is trained to correct.
pub fn rule_mentions(body: &str, tokens: &[Token]) -> Vec<RawMention> {
    extract_rules(&mut Context::new(body, tokens, Lexicon::get()), None).0.mentions
}

/// The rule-based extraction: dates, then capitalised phrases classified by the lexicon and cues.
fn extract_rules(ctx: &mut Context<'_>, article_date: Option<&str>) -> (Extraction, usize) {
    let (body, tokens) = (ctx.body, ctx.tokens);
    let anchor = parse_anchor(article_date);
    let mut ex = Extraction::default();
    let mut taken = vec![false; tokens.len()];

    for found in find_dates(body, tokens) {
        let value = found.value.resolve(anchor);
        let (start, end) = (tokens[found.first].start, tokens[found.last].end);
        ex.mentions.push(RawMention {
            start,
            end,
            kind: Kind::Date,
            name: body[start..end].to_string(),
            value: Some(value.iso()),
            label: Some(value.label()),
            evidence: Evidence::Strong,
        });
        taken[found.first..=found.last].iter_mut().for_each(|t| *t = true);
    }

    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if !taken[i] && t.kind == TokenKind::Word {
            if let Some(value) = relative_day(t.text(body), anchor) {
                ex.mentions.push(ctx.date_mention(i, value));
                i += 1;
                continue;
            }
            // "last week", "last month", "this year": a period, when the article has a date.
            if let Some(next) =
                tokens.get(i + 1).filter(|n| n.kind == TokenKind::Word && !n.line_before && !taken[i + 1])
            {
                if let Some(value) = relative_period(t.text(body), next.text(body), anchor) {
                    let mut m = ctx.date_mention(i, value);
                    m.end = next.end;
                    m.name = body[m.start..m.end].to_string();
                    ex.mentions.push(m);
                    i += 2;
                    continue;
                }
            }
        }
        if taken[i] || t.kind != TokenKind::Word || !is_capitalised(t.text(body)) {
            i += 1;
            continue;
        }
        let end = ctx.chunk_end(i, &taken);
        ctx.chunk(i, end, &mut ex);
        i = end;
    }
    find_lowercase_definitions(ctx, &mut ex);
    ex.mentions.sort_by_key(|m| (m.start, m.end));
    ex.mentions.dedup_by(|b, a| b.start < a.end); // overlaps keep the first
    (ex, ctx.surnames.len())
}

/// Rules and tagger together: the rules' strong evidence (dates, known names, titles, heads,
/// acronym definitions, nationalities) stands; the tagger decides everywhere else.
fn combine(model: &tagger::Model, ctx: &Context<'_>, ex: &mut Extraction) {
    let (body, tokens, lex) = (ctx.body, ctx.tokens, ctx.lex);
    let spans = tagger::tag(model, body, tokens, &ex.mentions, lex);
    let stands = |m: &RawMention| m.kind == Kind::Date || m.kind == Kind::Group || m.evidence == Evidence::Strong;
    // Where the rules' people are (for the persons the tagger found part of), before the rules'
    // mentions are split in two.
    let rule_people: Vec<(usize, usize)> =
        ex.mentions.iter().filter(|m| m.kind == Kind::Person).map(|m| (m.start, m.end)).collect();
    // Sorted and without overlaps, as the rules' mentions are: overlap tests are binary searches,
    // so an article of a million names costs no more per name than a short one. Moved, not cloned.
    let (mut kept, rules): (Vec<RawMention>, Vec<RawMention>) =
        std::mem::take(&mut ex.mentions).into_iter().partition(stands);
    let overlaps = |sorted: &[RawMention], s: usize, e: usize| {
        let k = sorted.partition_point(|m| m.end <= s);
        sorted.get(k).is_some_and(|m| m.start < e)
    };
    let mut defined: rustc_hash::FxHashSet<String> = ex.definitions.iter().map(|d| d.short.clone()).collect();
    // A name of several words before an organisation's cue word ("the Hafiz Gul Bahadur
    // faction") is that organisation, whatever the tagger makes of its words.
    let org_cue = |m: &RawMention| {
        m.kind == Kind::Organization
            && m.evidence == Evidence::Cue
            && (m.name.contains(' ') || !lex.is_english_lowercased(&m.name))
            && cue_word_after(body, m.end, lex) == Some(Kind::Organization)
    };
    let cued: Vec<RawMention> = rules.iter().filter(|m| m.name.contains(' ') && org_cue(m)).cloned().collect();
    let mut found = Vec::new();
    for (mut a, mut b, kind) in spans {
        while a < b && (ctx.lower(a) == "the" || tokens[a].kind == TokenKind::Punct) {
            a += 1;
        }
        // A name of several words ends on a capitalised word, a number or an initial: a span
        // running into a lower-case word ("Congress abolished") or a connective ("Bank of") is
        // cut back; a one-word name may start lower-case ("eBay").
        while b > a
            && (tokens[b - 1].kind == TokenKind::Punct || (b - a > 1 && starts_lowercase(tokens[b - 1].text(body))))
        {
            b -= 1;
        }
        if a >= b || legal_form_alone(body, tokens, a, b) {
            continue;
        }
        // A title is no part of a person's name, as in the rules ("Justice Scalia" → "Scalia");
        // a title alone ("Lord", "Chief Justice") is no person.
        let mut kind = kind;
        if kind == Kind::Person {
            let title = ctx.titles_len(a, b);
            if title >= b - a {
                continue;
            }
            a += title;
            // "in Olympia", "near Geneva": a known place after a locative word is that place,
            // even when it is also a given name.
            if b - a == 1 && a > 0 && matches!(ctx.lower(a - 1), "in" | "near") && !tokens[a].possessive {
                let key = name_key(tokens[a].text(body));
                let place = lex.lookup(&key).is_some_and(|k| k.kind == Kind::Place) || lex.small_places.contains(&key);
                if place {
                    kind = Kind::Place;
                }
            }
        }
        // A cue word right after the name says what it is ("the ruling Fatah party").
        if let Some(cue) = cue_word_after(body, tokens[b - 1].end, lex).filter(|_| b - a == 1) {
            kind = cue;
        }
        let (mut s, mut e) = (tokens[a].start, tokens[b - 1].end);
        // A person the rules saw whole ("Abu Musab al-Zarqawi", "John J. Thomas") keeps its
        // length when the tagger found part of it.
        if kind == Kind::Person {
            // The rules' mentions do not overlap, so their people are sorted by end as well.
            let k = rule_people.partition_point(|r| r.1 <= s);
            if let Some(&r) = rule_people.get(k).filter(|r| r.0 <= s && e <= r.1) {
                (s, e) = r;
            }
        }
        if overlaps(&kept, s, e) || overlaps(&cued, s, e) || implausible(body, tokens, a, b, kind, lex) {
            continue;
        }
        let name = &body[s..e];
        found.push(RawMention {
            start: s,
            end: e,
            kind,
            name: name.to_string(),
            value: None,
            label: None,
            evidence: Evidence::Cue,
        });
        if !defined.contains(ctx.text(b + 1)) {
            let mut definition = Extraction::default();
            ctx.definition_after(b, name, kind, &mut definition);
            defined.extend(definition.definitions.iter().map(|d| d.short.clone()));
            ex.definitions.extend(definition.definitions);
            found.extend(definition.mentions.into_iter().filter(|m| !overlaps(&kept, m.start, m.end)));
        }
    }
    kept.extend(found);
    kept.sort_by_key(|m| (m.start, m.end));
    kept.dedup_by(|b, a| b.start < a.end);
    // A rule's guess the tagger has nothing against: a place after a cue word stands ("Daraban
    // area"); anything else becomes a candidate, kept only if the collection confirms it (an
    // acronym defined in another article, a surname of a person named elsewhere).
    let mut weak = Vec::new();
    for m in rules {
        if !overlaps(&kept, m.start, m.end) {
            let place_cue = m.kind == Kind::Place && m.evidence == Evidence::Cue;
            // So does a name of several words before an organisation's cue word ("the Hafiz
            // Gul Bahadur faction", "the Haqqani network").
            // A single name too, unless it is an ordinary word ("the Mohmand chapter").
            if place_cue || org_cue(&m) {
                weak.push(m);
            } else if is_acronym(&m.name) || m.evidence == Evidence::Candidate {
                weak.push(RawMention { evidence: Evidence::Candidate, ..m });
            }
        }
    }
    kept.extend(weak);
    kept.retain(|m| !era_beside_year(body, m));
    kept.sort_by_key(|m| (m.start, m.end));
    kept.dedup_by(|b, a| b.start < a.end);
    consistent(ctx, &mut kept);
    ex.mentions = kept;
}

fn starts_lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

/// A company's legal form cut off from its name ("…Corporation, Inc."): no name on its own.
fn legal_form_alone(body: &str, tokens: &[Token], a: usize, b: usize) -> bool {
    let word = tokens[a].text(body).trim_end_matches('.');
    b - a == 1
        && matches!(
            word.to_ascii_lowercase().as_str(),
            "inc" | "ltd" | "llc" | "plc" | "corp" | "co" | "gmbh" | "ag" | "sa" | "lp" | "llp"
        )
}

/// An era written beside a year or a century ("3000 BC", "AD 79", "the 7th century BC"), which is part of a date, not an
/// organisation, whoever found it.
fn era_beside_year(body: &str, m: &RawMention) -> bool {
    let era = matches!(m.name.trim_end_matches('.'), "BC" | "AD" | "BCE" | "CE" | "B.C" | "A.D");
    if !era {
        return false; // most mentions: nothing else to look at
    }
    let before = body[..m.start].trim_end().bytes().next_back().is_some_and(|c| c.is_ascii_digit())
        || ["century", "centuries", "millennium"].iter().any(|w| body[..m.start].trim_end().ends_with(w));
    let after = body[m.end..].trim_start().bytes().next().is_some_and(|c| c.is_ascii_digit());
    era && (before || after)
}

/// The kind the lower-case word right after `end` says a name is ("faction", "province").
fn cue_word_after(body: &str, end: usize, lex: &Lexicon) -> Option<Kind> {
    let rest = body.get(end..)?;
    let after = rest.trim_start_matches(' ');
    // The letters right after the spaces, as a slice of the body (no string built).
    let word = &after[..after.find(|c: char| !c.is_alphabetic()).unwrap_or(after.len())];
    if rest.len() == after.len() || word.chars().next().is_none_or(char::is_uppercase) {
        return None;
    }
    lex.cues.get(word).copied()
}

/// Document-level consistency: a name found once is found everywhere in the article, and a
/// surname after a full name is that person, before any gazetteer's say.
fn consistent(ctx: &Context<'_>, mentions: &mut Vec<RawMention>) {
    let named = |k: Kind| matches!(k, Kind::Person | Kind::Organization | Kind::Place | Kind::Other);
    // Name → (kind, evidence) of its surest mention; surname → where the full name first is.
    let mut names: rustc_hash::FxHashMap<String, (Kind, Evidence)> = Default::default();
    let mut surnames: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut longest = 1;
    // An ordinary word or a letter ("I", "First") is no name to spread.
    let spreadable = |m: &RawMention| {
        m.name.chars().count() > 2 && (m.name.contains(' ') || !ctx.lex.is_english_lowercased(&m.name))
    };
    for m in mentions.iter().filter(|m| named(m.kind) && m.evidence >= Evidence::Cue && spreadable(m)) {
        // The name is copied only the first time it is seen.
        match names.get_mut(m.name.as_str()) {
            Some(e) if m.evidence > e.1 => *e = (m.kind, m.evidence),
            Some(_) => {}
            None => {
                names.insert(m.name.clone(), (m.kind, m.evidence));
            }
        }
        longest = longest.max(m.name.split(' ').count()).min(6);
        // The name inside a named thing or place: "Phailin" after "Cyclone Phailin" is the
        // storm, "Busuanga" after "Busuanga Island" the island.
        if let Some((kind, inner)) = inner_name(ctx.lex, m) {
            if !names.contains_key(inner) {
                names.insert(inner.to_string(), (kind, Evidence::Strong));
            }
        }
        if m.kind == Kind::Person && m.name.contains(' ') {
            if let Some(last) = m.name.rsplit(' ').next().filter(|w| is_capitalised(w) && w.len() > 1) {
                if !surnames.contains_key(last) {
                    surnames.insert(last.to_string(), m.start);
                }
            }
        }
    }
    let mut changed: Vec<(usize, Kind, Evidence)> = Vec::new();
    for (k, m) in mentions.iter().enumerate() {
        if !named(m.kind) || m.name.contains(' ') {
            continue;
        }
        if surnames.get(m.name.as_str()).is_some_and(|&at| at < m.start) && m.kind != Kind::Person {
            changed.push((k, Kind::Person, Evidence::Strong));
        } else if let Some(&(kind, ev)) = names.get(m.name.as_str()) {
            if kind != m.kind && ev > m.evidence {
                changed.push((k, kind, ev));
            }
        }
    }
    for (k, kind, ev) in changed {
        mentions[k].kind = kind;
        mentions[k].evidence = ev;
    }
    majority_kind(mentions);
    // Capitalised words no mention covers: the same name again, or a surname seen earlier.
    let mut added = Vec::new();
    let mut at = 0;
    let mut i = 0;
    let tokens = ctx.tokens;
    while i < tokens.len() {
        while at < mentions.len() && mentions[at].end <= tokens[i].start {
            at += 1;
        }
        let covered = mentions.get(at).is_some_and(|m| m.start < tokens[i].end);
        if covered || !ctx.is_cap_word(i) {
            i += 1;
            continue;
        }
        let mut hit = None;
        for n in (1..=longest.min(tokens.len() - i)).rev() {
            let (s, e) = (tokens[i].start, tokens[i + n - 1].end);
            if mentions.get(at).is_some_and(|m| m.start < e) {
                continue;
            }
            let text = &ctx.body[s..e];
            if let Some(&(kind, _)) = names.get(text) {
                if n > 1 || !ctx.ordinary_sentence_start(i) {
                    hit = Some((n, kind));
                    break;
                }
            }
            if n == 1 && surnames.get(text).is_some_and(|&first| first < s) {
                hit = Some((1, Kind::Person));
                break;
            }
        }
        match hit {
            Some((n, kind)) => {
                let (s, e) = (tokens[i].start, tokens[i + n - 1].end);
                added.push(RawMention {
                    start: s,
                    end: e,
                    kind,
                    name: ctx.body[s..e].to_string(),
                    value: None,
                    label: None,
                    evidence: Evidence::Cue,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// The name a place or thing carries without its head word: "Busuanga" in "Busuanga Island",
/// "Phailin" in "Cyclone Phailin", "Forbin" in "FS Forbin"; one word only, with its kind.
fn inner_name<'m>(lex: &Lexicon, m: &'m RawMention) -> Option<(Kind, &'m str)> {
    let (first, rest) = m.name.split_once(' ')?;
    let (before, last) = m.name.rsplit_once(' ')?;
    let one_word = |w: &str| !w.contains(' ') && w.chars().count() > 2 && is_capitalised(w);
    match m.kind {
        Kind::Other
            if STORM_PREFIXES.contains(&first.to_lowercase().as_str())
                || VESSEL_PREFIXES.contains(&first.to_lowercase().as_str()) =>
        {
            let rest = rest.strip_prefix("Storm ").unwrap_or(rest);
            one_word(rest).then_some((Kind::Other, rest))
        }
        Kind::Place if m.evidence >= Evidence::Cue && lex.place_heads.contains(last.to_lowercase().as_str()) => {
            (one_word(before) && !lex.is_english(&before.to_lowercase())).then_some((Kind::Place, before))
        }
        // A company's name without its legal form or trade, when it is no word, person's name
        // or other known name of its own.
        Kind::Organization if m.evidence >= Evidence::Cue && COMPANY_HEADS.contains(&name_key(last).as_str()) => {
            let key = name_key(before);
            let lists = lex.word_lists(&key);
            let named = lists.has(Lists::ENGLISH | Lists::FIRST_NAME | Lists::WORLD_GIVEN | Lists::WORLD_SURNAME);
            (one_word(before) && !named && lex.lookup(&key).is_none()).then_some((Kind::Organization, before))
        }
        _ => None,
    }
}

/// Within an article, the same name found by the tagger with different kinds takes the kind it
/// has most often ("Olympia" twice a place, once a person: a place).
fn majority_kind(mentions: &mut [RawMention]) {
    let named = |k: Kind| matches!(k, Kind::Person | Kind::Organization | Kind::Place);
    let mut votes: rustc_hash::FxHashMap<&str, [u32; 3]> = Default::default();
    let slot = |k: Kind| match k {
        Kind::Person => 0,
        Kind::Organization => 1,
        _ => 2,
    };
    for m in mentions.iter().filter(|m| named(m.kind) && m.evidence <= Evidence::Cue) {
        votes.entry(m.name.as_str()).or_default()[slot(m.kind)] += 1;
    }
    let kinds = [Kind::Person, Kind::Organization, Kind::Place];
    let mut winners: Vec<(usize, Kind)> = Vec::new();
    for (k, m) in mentions.iter().enumerate() {
        if !named(m.kind) || m.evidence > Evidence::Cue {
            continue;
        }
        let Some(v) = votes.get(m.name.as_str()) else { continue };
        let best = (0..3).max_by_key(|&i| (v[i], i == slot(m.kind))).unwrap_or(0);
        if v[best] > v[slot(m.kind)] {
            winners.push((k, kinds[best]));
        }
    }
    for (k, kind) in winners {
        mentions[k].kind = kind;
    }
}

/// A tagger span no reader would accept: a capitalised plural of an ordinary word as a person
/// ("Polaroids"), an ordinary word numbering something ("Tab 4").
fn implausible(body: &str, tokens: &[Token], a: usize, b: usize, kind: Kind, lex: &Lexicon) -> bool {
    // An ordinary word before a number is a label ("Tab 4", "Case 22-506", "Figure 3").
    if b - a == 1
        && tokens.get(b).is_some_and(|t| t.kind == TokenKind::Number && t.start == tokens[a].end + 1)
        && lex.is_english_lowercased(tokens[a].text(body))
    {
        return true;
    }
    if kind != Kind::Person || b - a != 1 {
        return false;
    }
    let title = a > 0 && lex.titles.contains(&name_key(tokens[a - 1].text(body)));
    !title && plural_like(lex, tokens[a].text(body))
}

/// A capitalised plural rather than a name: "Polaroids", "Democrats" (an ordinary word or no
/// listed name with an s); "Jones" and "Williams" are listed surnames.
fn plural_like(lex: &Lexicon, word: &str) -> bool {
    let w = word.to_lowercase();
    if w.len() <= 3 || !w.ends_with('s') || w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return false;
    }
    let named = lex.first_names.contains(&w) || lex.world_given.contains(&w) || lex.world_surnames.contains(&w);
    lex.is_english(&w[..w.len() - 1]) || (!named && lex.lookup(&w).is_none())
}

/// The keys of the first words of every title of several words ("prime", "prime minister" of
/// "prime minister of state"): a title search stops at a word no title goes on from.
fn title_prefixes() -> &'static rustc_hash::FxHashSet<String> {
    static PREFIXES: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    PREFIXES.get_or_init(|| {
        let mut prefixes = rustc_hash::FxHashSet::default();
        for title in &Lexicon::get().titles {
            let mut end = 0;
            while let Some(space) = title[end..].find(' ') {
                end += space;
                prefixes.insert(title[..end].to_string());
                end += 1;
            }
        }
        prefixes
    })
}

/// The last words of every title ("minister" of "prime minister").
fn title_last_words() -> &'static rustc_hash::FxHashSet<String> {
    static LAST: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    LAST.get_or_init(|| Lexicon::get().titles.iter().filter_map(|t| t.rsplit(' ').next()).map(str::to_string).collect())
}

struct Context<'a> {
    body: &'a str,
    tokens: &'a [Token],
    lex: &'static Lexicon,
    /// The last words of the person names (two words or more) seen so far in this article, for
    /// short references ("Munir"): a set, so that each one-word name is looked up once rather
    /// than compared with every earlier mention.
    surnames: rustc_hash::FxHashSet<String>,
    /// Every token's lower-case form and name key, worked out once (rules ask about the same
    /// tokens many times): per token, each as a span of the body (a lower-case word is its own
    /// lower-case form, and its own key when it is letters and digits only) or of `folded`.
    folded: String,
    spans: Vec<[Span; 2]>,
}

/// Where a token's lower-case form or key is: in the body, or in the folded strings.
#[derive(Clone, Copy)]
struct Span {
    in_body: bool,
    start: usize,
    end: usize,
}

/// What a capitalised span is, and the part of it that names the thing.
struct Classified {
    kind: Kind,
    evidence: Evidence,
    first: usize,
    end: usize,
}

impl<'a> Context<'a> {
    fn new(body: &'a str, tokens: &'a [Token], lex: &'static Lexicon) -> Self {
        Context { body, tokens, lex, surnames: Default::default(), folded: String::new(), spans: Vec::new() }.folding()
    }

    fn folding(mut self) -> Self {
        let mut folded = String::new();
        self.spans = Vec::with_capacity(self.tokens.len());
        for t in self.tokens {
            let text = t.text(self.body);
            // Any capital, and letters and digits only, by table (a table load a byte).
            let (mut any, mut all) = (0, tokens::ALNUM);
            for b in text.bytes() {
                let class = tokens::BYTE_CLASS[b as usize];
                any |= class;
                all &= class;
            }
            let (upper, plain) = (any & tokens::UPPER != 0, all & tokens::ALNUM != 0);
            let body = Span { in_body: true, start: t.start, end: t.end };
            let lower = if !upper && (plain || text.is_ascii()) {
                body
            } else {
                let start = folded.len();
                if text.is_ascii() {
                    folded.push_str(text);
                    folded[start..].make_ascii_lowercase();
                } else {
                    folded.push_str(&text.to_lowercase());
                }
                Span { in_body: false, start, end: folded.len() }
            };
            // Letters and digits only: the key is the lower-case form.
            let key = if plain {
                lower
            } else {
                let start = folded.len();
                crate::core::text::fold_key_into(text, true, &mut folded);
                Span { in_body: false, start, end: folded.len() }
            };
            self.spans.push([lower, key]);
        }
        self.folded = folded;
        self
    }

    fn span(&self, s: Span) -> &str {
        if s.in_body {
            &self.body[s.start..s.end]
        } else {
            &self.folded[s.start..s.end]
        }
    }

    fn text(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| t.text(self.body))
    }

    /// Token `i` in lower case ("" past the end).
    fn lower(&self, i: usize) -> &str {
        self.spans.get(i).map_or("", |s| self.span(s[0]))
    }

    /// `name_key` of token `i` ("" past the end).
    fn key(&self, i: usize) -> &str {
        self.spans.get(i).map_or("", |s| self.span(s[1]))
    }

    /// `name_key` of tokens `words` joined by spaces: their non-empty keys joined by spaces.
    fn joined_key(&self, words: impl Iterator<Item = usize>, out: &mut String) {
        out.clear();
        for k in words {
            let key = self.key(k);
            if !key.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(key);
            }
        }
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| t.kind == TokenKind::Word)
    }

    fn is_cap_word(&self, i: usize) -> bool {
        self.is_word(i) && is_capitalised(self.text(i))
    }

    fn joined(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| !t.line_before)
    }

    fn date_mention(&self, i: usize, value: dates::DateValue) -> RawMention {
        let t = &self.tokens[i];
        RawMention {
            start: t.start,
            end: t.end,
            kind: Kind::Date,
            name: t.text(self.body).to_string(),
            value: Some(value.iso()),
            label: Some(value.label()),
            evidence: Evidence::Strong,
        }
    }

    /// The end (exclusive) of the capitalised phrase starting at `i`.
    fn chunk_end(&self, i: usize, taken: &[bool]) -> usize {
        let mut last = i;
        let mut has_head = self.is_of_head(i);
        loop {
            if self.tokens[last].possessive {
                break;
            }
            let n = last + 1;
            if n >= self.tokens.len() || !self.joined(n) || taken[n] {
                break;
            }
            if self.is_cap_word(n) {
                last = n;
                has_head |= self.is_of_head(n);
                continue;
            }
            // "Gen. Asim Munir": a title's full stop does not end the name.
            if self.text(n) == "." && self.is_title_abbreviation(last) && self.is_cap_word(n + 1) && self.joined(n + 1)
            {
                last = n + 1;
                continue;
            }
            // "John J. Thomas": a middle initial's full stop does not end the name.
            if self.text(n) == "."
                && self.text(last).chars().count() == 1
                && is_capitalised(self.text(last))
                && self.is_cap_word(n + 1)
                && self.joined(n + 1)
                && last > i
            {
                last = n + 1;
                continue;
            }
            // "Bashar al-Assad", "Abu Musab al-Zarqawi": a particle joined to the name by a hyphen.
            if self.is_word(n) && particle_joined(self.text(n)) {
                last = n;
                continue;
            }
            if self.is_word(n) {
                let w = self.lower(n);
                // "Newfoundland and Labrador Court of Appeal", "Bosnia and Herzegovina Football
                // Federation": two places joined by "and" are what the organisation is of.
                if w == "and" && !has_head && self.places_before_head(i, last, n + 1, taken) {
                    last = n;
                    continue;
                }
                // "Labour Party and Frederick Fung": "and" does not join a second name.
                if w == "and" && (self.lex.first_names.contains(self.lower(n + 1)) || self.starts_known_name(n + 1)) {
                    break;
                }
                if NAME_PARTICLES.contains(&w) && self.is_cap_word(n + 1) && !taken.get(n + 1).copied().unwrap_or(true)
                {
                    last = n + 1;
                    continue;
                }
                if has_head && HEAD_CONNECTORS.contains(&w) {
                    let mut k = n + 1;
                    if w != "the" && self.lower(k) == "the" {
                        k += 1;
                    }
                    if self.is_cap_word(k) && !taken.get(k).copied().unwrap_or(true) && self.joined(k) {
                        last = k;
                        continue;
                    }
                }
            }
            break;
        }
        last + 1
    }

    /// Whether `first..=last`, "and", then `k` name places and an organisation's name goes on
    /// after `k` (a head word within the next three capitalised words).
    fn places_before_head(&self, first: usize, last: usize, k: usize, taken: &[bool]) -> bool {
        let place = |key: &str| self.lex.lookup(key).is_some_and(|known| known.kind == Kind::Place);
        let free = |j: usize| self.is_cap_word(j) && self.joined(j) && !taken.get(j).copied().unwrap_or(true);
        if !free(k) {
            return false;
        }
        let first = if first < last && self.lower(first) == "the" { first + 1 } else { first };
        // Two places, or one named with "and" ("Trinidad and Tobago").
        let places =
            place(&self.span_key(first, k + 1)) || (place(self.key(k)) && place(&self.span_key(first, last + 1)));
        if !places {
            return false;
        }
        (k + 1..k + 4).take_while(|&j| free(j)).any(|j| self.lex.organisation_heads.contains(self.lower(j)))
    }

    /// Whether a name the lexicon knows on its own starts at `i` ("and Pakistan", "and Iran").
    fn starts_known_name(&self, i: usize) -> bool {
        self.is_cap_word(i) && self.lex.lookup(self.key(i)).is_some()
    }

    fn is_of_head(&self, i: usize) -> bool {
        let w = self.lower(i);
        self.lex.organisation_heads.contains(w) || OF_HEADS.contains(&w)
    }

    fn is_title_abbreviation(&self, i: usize) -> bool {
        let w = self.text(i);
        w.len() <= 5 && self.lex.titles.contains(self.key(i)) && crate::core::text::is_abbreviation(self.lower(i))
    }

    /// Length in tokens of the longest title starting at `i` within `[i, end)`.
    /// The length of the titles, one after another, at `i` ("Mr. Chief Justice").
    fn titles_len(&self, i: usize, end: usize) -> usize {
        let mut len = 0;
        while i + len < end {
            match self.title_len(i + len, end) {
                0 => break,
                more => len += more,
            }
        }
        len
    }

    fn title_len(&self, i: usize, end: usize) -> usize {
        let mut best = 0;
        let mut words = 0;
        let mut key = String::new();
        let mut k = i;
        while k < end && words < self.lex.max_title_words {
            if self.text(k) == "." {
                k += 1;
                continue;
            }
            words += 1;
            // The key of the words so far joined by spaces, grown a word at a time.
            let w = self.key(k);
            if !w.is_empty() {
                if key.is_empty() && !title_prefixes().contains(w) {
                    // A word no longer title starts with: a title on its own at most.
                    if self.lex.titles.contains(w) {
                        best = k + 1 - i;
                    }
                    break;
                }
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(w);
            }
            if self.lex.titles.contains(&key) {
                best = k + 1 - i;
            }
            // No title goes on from here.
            if !key.is_empty() && !title_prefixes().contains(&key) {
                break;
            }
            k += 1;
        }
        best
    }

    /// A lower-case title right before the name ("former prime minister Imran Khan").
    fn title_before(&self, i: usize) -> bool {
        // Every title tried below takes in the token before, a word or a full stop.
        if i == 0 || !(self.is_word(i - 1) || self.text(i - 1) == ".") {
            return false;
        }
        // Past full stops, the nearest word's last word ends any title found (the full stops
        // alone make an empty key): most words end none.
        let mut j = i - 1;
        while j > 0 && j + 3 > i && self.text(j) == "." {
            j -= 1;
        }
        let last = self.key(j);
        if self.is_word(j)
            && !last.is_empty()
            && !self.lex.titles.contains("")
            && !title_last_words().contains(last.rsplit(' ').next().unwrap_or(last))
        {
            return false;
        }
        let mut key = String::new();
        (1..=3).any(|n| {
            i >= n && {
                (i - n..i).all(|k| self.is_word(k) || self.text(k) == ".")
                    && (i - n..i).all(|k| !self.text(k).is_empty())
                    && {
                        self.joined_key(i - n..i, &mut key);
                        self.lex.titles.contains(&key)
                    }
            }
        })
    }

    fn span_key(&self, first: usize, end: usize) -> String {
        if end == first + 1 {
            return self.key(first).to_string(); // worked out already
        }
        name_key(&self.body[self.tokens[first].start..self.tokens[end - 1].end])
    }

    fn is_english(&self, i: usize) -> bool {
        self.lex.is_english(self.lower(i))
    }

    /// Whether word `i` could be a sentence's ordinary first word rather than part of a name.
    fn ordinary_sentence_start(&self, i: usize) -> bool {
        let w = self.text(i);
        // A given name that is also an English word ("In", "Will", "Hope") counts as a word here:
        // at a sentence start its capital proves nothing.
        self.tokens[i].sentence_start
            && self.is_english(i)
            && !is_acronym(w)
            && self.lex.lookup_written(w, self.key(i)).is_none()
    }

    /// Handles the capitalised phrase `[first, end)`.
    fn chunk(&mut self, first: usize, end: usize, ex: &mut Extraction) {
        let mut start = first;
        while start < end && (self.lower(start) == "the" || self.text(start) == ".") {
            start += 1;
        }
        // Part of a title: "Chief of Armed Forces".
        if start >= 2 && self.lower(start - 1) == "of" && self.lex.titles.contains(self.key(start - 2)) {
            return;
        }
        // Sentence-initial ordinary words drop off until the rest names something surely.
        let mut classified = None;
        while start < end {
            let c = self.classify(start, end);
            let sure = c.as_ref().is_some_and(|c| c.evidence == Evidence::Strong);
            if !sure && self.ordinary_sentence_start(start) {
                start += 1;
                while start < end && !self.is_cap_word(start) {
                    start += 1;
                }
                continue;
            }
            classified = c;
            break;
        }
        let Some(mut c) = classified else { return };
        while c.first < c.end && self.text(c.first) == "." {
            c.first += 1;
        }
        if c.first >= c.end {
            return;
        }
        if let Some(parts) = self.hyphen_parts(c.first, c.end) {
            ex.mentions.extend(parts);
            return;
        }
        let (s, e) = (self.tokens[c.first].start, self.tokens[c.end - 1].end);
        let name = &self.body[s..e];
        if c.kind == Kind::Person && c.end - c.first >= 2 {
            let key = name_key(name);
            let last = key.rsplit(' ').next().unwrap_or_default();
            if !self.surnames.contains(last) {
                self.surnames.insert(last.to_string());
            }
        }
        ex.mentions.push(RawMention {
            start: s,
            end: e,
            kind: c.kind,
            name: name.to_string(),
            value: None,
            label: None,
            evidence: c.evidence,
        });
        let defined = ex.definitions.len();
        self.definition_after(c.end, name, c.kind, ex);
        // A long form with its acronym defined after it is a name for sure.
        if ex.definitions.len() > defined {
            if let Some(m) = ex.mentions.iter_mut().rev().find(|m| m.start == s && m.end == e) {
                m.evidence = Evidence::Strong;
            }
        }
    }

    /// "Long Form (LF)": records the definition and the acronym's mention.
    fn definition_after(&self, end: usize, long: &str, kind: Kind, ex: &mut Extraction) {
        if self.text(end) != "(" || self.text(end + 2) != ")" || !self.is_word(end + 1) {
            return;
        }
        let short = self.text(end + 1);
        if !is_acronym(short) || !initials_fit(short, long) {
            return;
        }
        let t = &self.tokens[end + 1];
        ex.mentions.push(RawMention {
            start: t.start,
            end: t.end,
            kind,
            name: short.to_string(),
            value: None,
            label: None,
            evidence: Evidence::Strong,
        });
        ex.definitions.push(AcronymDefinition { short: short.to_string(), long: long.to_string(), kind: Some(kind) });
    }

    /// "Afghan-Pakistan border": a hyphenated word whose parts are each known names.
    fn hyphen_parts(&self, first: usize, end: usize) -> Option<Vec<RawMention>> {
        let word = self.text(first);
        if end - first != 1 || !word.contains('-') || self.lex.lookup(&name_key(word)).is_some() {
            return None;
        }
        let start = self.tokens[first].start;
        let mut parts = Vec::new();
        let mut offset = 0;
        for part in word.split('-') {
            let known = self.lex.lookup(&name_key(part))?;
            if !is_capitalised(part) {
                return None;
            }
            parts.push(RawMention {
                start: start + offset,
                end: start + offset + part.len(),
                kind: known.kind,
                name: part.to_string(),
                value: None,
                label: None,
                evidence: Evidence::Strong,
            });
            offset += part.len() + 1;
        }
        Some(parts)
    }

    /// Decides what `[first, end)` names, if anything.
    fn classify(&self, first: usize, end: usize) -> Option<Classified> {
        let lex = self.lex;
        let n = end - first;
        let key = self.span_key(first, end);
        // The words in lower case, on the stack for a phrase of up to eight words.
        let (mut few, many): ([&str; 8], Vec<&str>);
        let words: &[&str] = if n <= 8 {
            few = [""; 8];
            (first..end).zip(few.iter_mut()).for_each(|(k, w)| *w = self.lower(k));
            &few[..n]
        } else {
            many = (first..end).map(|k| self.lower(k)).collect();
            &many
        };
        let strong = |kind| Some(Classified { kind, evidence: Evidence::Strong, first, end });
        let has_org_head = words.iter().skip(1).any(|w| lex.organisation_heads.contains(*w))
            || (n >= 2 && lex.organisation_heads.contains(words[0]) && !lex.titles.contains(words[0]));

        // "FS Forbin", "USS Cole": vessels are things.
        if n >= 2 && VESSEL_PREFIXES.contains(&words[0]) && is_acronym(self.text(first)) {
            return strong(Kind::Other);
        }
        if n >= 2 && STORM_PREFIXES.contains(&words[0]) {
            return strong(Kind::Other);
        }
        if OTHER_NAMES.contains(&words[n - 1]) {
            return strong(Kind::Other);
        }
        // An all-capitals word is never a city's case-folded alternate name ("USI" is not Wuxi).
        let written = &self.body[self.tokens[first].start..self.tokens[end - 1].end];
        if let Some(known) = lex.lookup_written(written, &key) {
            return strong(known.kind);
        }
        // "IE6", "F-16", "A320": letters and digits in one word are a product's or a model's name.
        if n == 1 && is_model_name(self.text(first)) {
            return strong(Kind::Other);
        }
        if n >= 2 && (OTHER_HEADS.contains(&words[n - 1]) || OTHER_HEADS.contains(&words[n.min(2) - 1])) {
            return strong(Kind::Other);
        }
        // "Pentagon Press Secretary Peter Cook", "U.S. President Donald Trump": a title after
        // the office's own name; the person is what follows the title.
        if n >= 3 {
            if let Some(c) = self.person_after_inner_title(first, end) {
                return Some(c);
            }
        }
        if n == 1 && is_acronym(self.text(first)) {
            if lex.not_entity_acronyms.contains(self.text(first)) {
                return None;
            }
            // Typed for sure only by a definition, here or elsewhere in the collection.
            return Some(Classified { kind: Kind::Organization, evidence: Evidence::Cue, first, end });
        }
        let title = self.titles_len(first, end);
        if title > 0 && title < n && !has_org_head {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Strong, first: first + title, end });
        }
        if title == n {
            return None; // a title alone: "the President"
        }
        if has_org_head {
            return strong(Kind::Organization);
        }
        if n >= 2 && lex.place_heads.contains(words[n - 1]) {
            return strong(Kind::Place);
        }
        if n >= 2 && lex.directions.contains(self.key(first)) {
            let rest = self.span_key(first + 1, end);
            let rest_known_place = lex.lookup(&rest).is_some_and(|k| k.kind == Kind::Place);
            if rest_known_place || !(first + 1..end).any(|k| self.is_english(k)) {
                return strong(Kind::Place);
            }
        }
        // Known organisations, and names built on a known place or people ("Afghan Taliban",
        // "Tehrik-i-Taliban Pakistan", "TTP Central").
        if n >= 2 {
            let known: Vec<Option<Kind>> =
                (first..end).map(|k| lex.lookup_written(self.text(k), self.key(k)).map(|x| x.kind)).collect();
            let has_org = known.contains(&Some(Kind::Organization)) || (first..end).any(|k| is_acronym(self.text(k)));
            let has_place_or_group = known.iter().any(|k| matches!(k, Some(Kind::Place | Kind::Group)));
            let has_other = known.iter().any(Option::is_none);
            if has_org || (has_place_or_group && has_other && !lex.first_names.contains(words[0])) {
                return Some(Classified { kind: Kind::Organization, evidence: Evidence::Cue, first, end });
            }
        }
        if self.title_before(first) {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Strong, first, end });
        }
        // "in Husaybah", "near Tal Afar", "the town of Qaim": a locative cue admits a name no list
        // knows as a place; a populated place from the long list makes it sure.
        if n <= 3 && self.locative_before(first) && !lex.first_names.contains(words[0]) {
            let unknown = (first..end).all(|k| !self.is_english(k) && !is_acronym(self.text(k)));
            if lex.small_places.contains(&key) || (unknown && self.lower(first - 1) != "in") {
                return strong(Kind::Place);
            }
            if unknown {
                return Some(Classified { kind: Kind::Place, evidence: Evidence::Cue, first, end });
            }
        }
        if let Some(&kind) = self.next_word_cue(end) {
            return Some(Classified { kind, evidence: Evidence::Cue, first, end });
        }
        if (2..=4).contains(&n) && lex.first_names.contains(words[0]) && !self.ordinary_sentence_start(first) {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Cue, first, end });
        }
        if n == 1 && self.surnames.contains(&key) {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Cue, first, end });
        }
        // A capitalised plural of an ordinary word ("Polaroids", "Democrats") is nobody's name.
        let plural = |k: usize| plural_like(lex, self.text(k));
        // Letters, inner hyphens and apostrophes: "Yau Wai-ching", "O'Neill".
        // "Yau Wai-ching", "Kim Jong-un": a family name, then a given name of two syllables
        // joined by a hyphen, the second in lower case.
        if (2..=3).contains(&n) && !self.ordinary_sentence_start(first) {
            let syllables = |w: &str| {
                w.split_once('-').is_some_and(|(a, b)| {
                    is_capitalised(a)
                        && b.chars().all(char::is_lowercase)
                        && (1..=6).contains(&a.chars().count())
                        && (1..=6).contains(&b.chars().count())
                        && !lex.is_english(&a.to_lowercase())
                        && !lex.is_english(b)
                })
            };
            if syllables(self.text(end - 1)) && (first..end - 1).all(|k| self.text(k).chars().all(char::is_alphabetic))
            {
                return Some(Classified { kind: Kind::Person, evidence: Evidence::Strong, first, end });
            }
        }
        let name_shaped = |k: usize| {
            let t = self.text(k);
            !self.is_english(k)
                && !plural(k)
                && t.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
                && t.chars().next().is_some_and(char::is_alphabetic)
        };
        if (2..=3).contains(&n) && (first..end).all(name_shaped) {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Shape, first, end });
        }
        if n == 1 && name_shaped(first) {
            return Some(Classified { kind: Kind::Person, evidence: Evidence::Candidate, first, end });
        }
        None
    }

    /// A title inside the phrase, after the office's name, followed by one to three name words.
    fn person_after_inner_title(&self, first: usize, end: usize) -> Option<Classified> {
        // Cheap test first: a title ends with a word that is a title on its own ("Minister",
        // "Secretary", "President").
        if !(first + 1..end.saturating_sub(1)).any(|k| self.lex.titles.contains(self.key(k))) {
            return None;
        }
        for k in first + 1..end.saturating_sub(1) {
            let len = self.title_len(k, end);
            if len == 0 {
                continue;
            }
            let name = k + len;
            let rest = end - name;
            let nameish = (name..end).all(|j| {
                let w = self.lower(j);
                if !self.is_cap_word(j) && !particle_joined(self.text(j)) {
                    return false;
                }
                !self.lex.organisation_heads.contains(w) && !self.lex.titles.contains(self.key(j))
            });
            if (1..=3).contains(&rest) && nameish && self.lex.lookup(&self.span_key(name, end)).is_none() {
                return Some(Classified { kind: Kind::Person, evidence: Evidence::Strong, first: name, end });
            }
        }
        None
    }

    /// "in", "near", "outside", or "city/town/village/district/province of" right before `i`.
    fn locative_before(&self, i: usize) -> bool {
        if i == 0 || !self.joined(i) {
            return false;
        }
        let w = self.lower(i - 1);
        if matches!(w, "in" | "near" | "outside" | "around") {
            return true;
        }
        w == "of"
            && i >= 2
            && matches!(self.lower(i - 2), "city" | "town" | "village" | "district" | "province" | "outskirts")
    }

    fn next_word_cue(&self, end: usize) -> Option<&'static Kind> {
        if !self.is_word(end) || is_capitalised(self.text(end)) || self.tokens[end - 1].possessive {
            return None;
        }
        self.lex.cues.get(self.lower(end))
    }
}

/// A lower-case particle joined by a hyphen to a capitalised name: "al-Assad", "bin-Laden".
fn particle_joined(word: &str) -> bool {
    let Some((particle, rest)) = word.split_once('-') else { return false };
    matches!(
        particle,
        "al" | "el" | "ul" | "ud" | "bin" | "ibn" | "abu" | "ad" | "as" | "ash" | "at" | "an" | "ar" | "az"
    ) && is_capitalised(rest)
}

/// Letters and digits in one word, the letters first: "IE6", "F-16", "A320", "AK-47", "MiG-29".
fn is_model_name(word: &str) -> bool {
    let first_letter = word.chars().next().is_some_and(char::is_alphabetic);
    let digits = word.chars().filter(char::is_ascii_digit).count();
    first_letter && digits >= 1 && word.chars().all(|c| c.is_alphanumeric() || c == '-') && word.len() <= 12
}

/// Whether an acronym's first letter starts the long form (so "(Reuters)" is no definition).
fn initials_fit(short: &str, long: &str) -> bool {
    let s = short.chars().find(|c| c.is_alphabetic()).map(|c| c.to_ascii_lowercase());
    let l = crate::core::text::fold_key(long).chars().next();
    s.is_some() && s == l
}

/// "counterterrorism (CT)": an acronym defined by ordinary words is no name.
fn find_lowercase_definitions(ctx: &Context<'_>, ex: &mut Extraction) {
    for i in 1..ctx.tokens.len().saturating_sub(2) {
        if ctx.text(i) != "(" || ctx.text(i + 2) != ")" || !ctx.is_word(i - 1) {
            continue;
        }
        let short = ctx.text(i + 1);
        let before = ctx.text(i - 1);
        if is_acronym(short) && !is_capitalised(before) && initials_fit(short, before) {
            ex.definitions.push(AcronymDefinition { short: short.to_string(), long: before.to_string(), kind: None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(String, Kind)> {
        extract(body, None).mentions.into_iter().map(|m| (body[m.start..m.end].to_string(), m.kind)).collect()
    }

    fn has(body: &str, text: &str, kind: Kind) -> bool {
        found(body).iter().any(|(t, k)| t == text && *k == kind)
    }

    #[test]
    fn eras_and_cut_off_legal_forms_are_no_names() {
        let body =
            "The first settlements were built around 3000 BC near the hill. The town was sacked in AD 79 by raiders. \
                    The claim against Atlantic Lottery Corporation, Inc. was heard in Ottawa.";
        let got = found(body);
        assert!(!got.iter().any(|(t, _)| t == "BC" || t == "AD" || t == "Inc."), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "Ottawa"), "{got:?}");
    }

    #[test]
    fn a_name_does_not_run_into_the_lowercase_word_after_it() {
        let body = "The senators said the decree declaring the National Congress abolished was a joke. \
                    Later the Federal Reserve acted quickly.";
        let got = found(body);
        assert!(!got.iter().any(|(t, _)| t.ends_with("abolished") || t.ends_with("acted")), "{got:?}");
    }

    #[test]
    fn titles_make_people_and_are_not_part_of_the_name() {
        let body = "Pakistan’s Chief of Armed Forces, General Asim Munir, is in the United States. Under Prime Minister Imran Khan it changed.";
        let got = found(body);
        assert!(got.contains(&("Asim Munir".into(), Kind::Person)), "{got:?}");
        assert!(got.contains(&("Imran Khan".into(), Kind::Person)));
        assert!(got.contains(&("United States".into(), Kind::Place)));
        assert!(!got.iter().any(|(t, _)| t.contains("Armed Forces")), "{got:?}");
    }

    #[test]
    fn hyphenated_and_particle_names_stay_whole() {
        assert!(has(
            "the outlawed Tehrik i Taliban Pakistan (TTP) said",
            "Tehrik i Taliban Pakistan",
            Kind::Organization
        ));
        assert!(has("combating the Tehrik-i-Taliban Pakistan and", "Tehrik-i-Taliban Pakistan", Kind::Organization));
    }

    #[test]
    fn possessives_end_a_name() {
        let got = found("security forces in Dera Ismail Khan’s Daraban area");
        assert!(got.contains(&("Dera Ismail Khan".into(), Kind::Place)), "{got:?}");
        assert!(got.contains(&("Daraban".into(), Kind::Place)), "{got:?}");
    }

    #[test]
    fn heads_and_cues_give_kinds() {
        let body = "a woman affiliated with the Balochistan Liberation Army (BLA) attacked near Kalat, killing a Frontier Corps soldier. Jets hit camps in Paktika province near the Durand Line and Bannu Cantonment.";
        for (t, k) in [
            ("Balochistan Liberation Army", Kind::Organization),
            ("BLA", Kind::Organization),
            ("Kalat", Kind::Place),
            ("Frontier Corps", Kind::Organization),
            ("Paktika", Kind::Place),
            ("Durand Line", Kind::Place),
            ("Bannu Cantonment", Kind::Place),
        ] {
            assert!(has(body, t, k), "{t} as {k}: {:?}", found(body));
        }
    }

    #[test]
    fn organisation_names_with_connectors() {
        let body = "figures released by the Pakistan Institute for Conflict and Security Studies (PICSS) paint";
        assert!(
            has(body, "Pakistan Institute for Conflict and Security Studies", Kind::Organization),
            "{:?}",
            found(body)
        );
        let ex = extract(body, None);
        assert_eq!(ex.definitions[0].short, "PICSS");
    }

    #[test]
    fn ordinary_sentence_starts_are_not_names() {
        let got = found("Hours later, jets struck. Despite Pakistan’s efforts it failed. Security experts agree. Suicide bombers struck.");
        let names: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, vec!["Pakistan"]);
    }

    #[test]
    fn a_sentence_starting_with_a_rare_given_name_word_is_not_a_person() {
        let got = found("It rained. In Kandahar, officials met. Will Smith spoke.");
        assert!(got.contains(&("Kandahar".into(), Kind::Place)), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t.starts_with("In ")), "{got:?}");
    }

    #[test]
    fn acronym_defined_by_ordinary_words_is_no_entity() {
        let ex = extract("a matching counterterrorism (CT) response. A proactive CT strategy.", None);
        assert!(ex.definitions.iter().any(|d| d.short == "CT" && d.kind.is_none()));
    }

    #[test]
    fn nationalities_are_groups_and_split_hyphen_compounds() {
        let got = found("along areas of the Afghan-Pakistan border, Pakistani jets and Baloch separatists");
        assert!(got.contains(&("Afghan".into(), Kind::Group)), "{got:?}");
        assert!(got.contains(&("Pakistan".into(), Kind::Place)));
        assert!(got.contains(&("Pakistani".into(), Kind::Group)));
        assert!(got.contains(&("Baloch".into(), Kind::Group)));
    }

    #[test]
    fn short_reference_to_a_person_seen_earlier() {
        let got = found("General Asim Munir spoke. Later Munir left.");
        assert!(got.contains(&("Munir".into(), Kind::Person)), "{got:?}");
    }

    #[test]
    fn short_references_look_up_an_index_that_grows_with_names_not_mentions() {
        // Regression: every person mention went into a list each one-word name scanned, so an
        // article naming people in many short paragraphs took quadratic time.
        let names = ["Asim Munir", "Sana Jamal", "Imran Khan", "Ayesha Siddiqui"];
        let body: String = (0..2000)
            .map(|i| {
                let name = names[i % names.len()];
                format!("General {name} spoke.\n\nLater {} agreed.\n\n", name.split(' ').nth(1).unwrap())
            })
            .collect();
        let (ex, surnames) = extract_indexed(&body, None);
        assert_eq!(surnames, names.len());
        let short: Vec<&str> = ex
            .mentions
            .iter()
            .filter(|m| m.kind == Kind::Person && !m.name.contains(' '))
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(short.len(), 2000);
    }

    fn kind_of(body: &str, text: &str) -> Option<Kind> {
        found(body).into_iter().find(|(t, _)| t == text).map(|(_, k)| k)
    }

    #[test]
    fn non_anglo_names_with_hyphenated_given_names_are_people() {
        let body = "Lawmakers Yau Wai-ching and Lee Cheuk-yan walked out before the vote.";
        assert_eq!(kind_of(body, "Yau Wai-ching"), Some(Kind::Person), "{:?}", found(body));
        assert_eq!(kind_of(body, "Lee Cheuk-yan"), Some(Kind::Person), "{:?}", found(body));
        let body = "The petition was signed by Tang Ka-piu and the union leaders.";
        assert_eq!(kind_of(body, "Tang Ka-piu"), Some(Kind::Person), "{:?}", found(body));
    }

    #[test]
    fn hyphenated_particles_stay_in_the_name() {
        let body = "Syrian President Bashar al-Assad praised the army. Abu Musab al-Zarqawi was killed in 2006.";
        assert_eq!(kind_of(body, "Bashar al-Assad"), Some(Kind::Person), "{:?}", found(body));
        assert_eq!(kind_of(body, "Abu Musab al-Zarqawi"), Some(Kind::Person), "{:?}", found(body));
        let body = "A sermon by Yusuf al-Qaradawi was broadcast.";
        assert_eq!(kind_of(body, "Yusuf al-Qaradawi"), Some(Kind::Person), "{:?}", found(body));
    }

    #[test]
    fn middle_initials_and_abbreviated_titles_keep_the_whole_name() {
        let body = "Col. John J. Thomas said the base was secure.";
        assert_eq!(kind_of(body, "John J. Thomas"), Some(Kind::Person), "{:?}", found(body));
        let body = "The report by Sgt. Maria K. Lopez was filed on time.";
        assert_eq!(kind_of(body, "Maria K. Lopez"), Some(Kind::Person), "{:?}", found(body));
    }

    #[test]
    fn a_title_after_an_office_name_makes_a_person_not_an_organisation() {
        for (body, person) in [
            ("Pentagon Press Secretary Peter Cook said the strike was lawful.", "Peter Cook"),
            ("Foreign Office Minister Tobias Ellwood visited the camp.", "Tobias Ellwood"),
            ("U.S. President Donald Trump spoke on Friday.", "Donald Trump"),
            ("Treasury Secretary Janet Yellen warned of risks.", "Janet Yellen"),
        ] {
            assert_eq!(kind_of(body, person), Some(Kind::Person), "{body}: {:?}", found(body));
            assert!(!found(body).iter().any(|(t, k)| t.contains(person) && *k == Kind::Organization));
        }
    }

    #[test]
    fn and_does_not_join_two_complete_names() {
        let body = "Members of the Labour Party and Frederick Fung of ADPL protested.";
        assert_eq!(kind_of(body, "Labour Party"), Some(Kind::Organization), "{:?}", found(body));
        assert_eq!(kind_of(body, "Frederick Fung"), Some(Kind::Person), "{:?}", found(body));
        let body = "Talks between the National Assembly and Maryam Nawaz stalled.";
        assert_eq!(kind_of(body, "National Assembly"), Some(Kind::Organization), "{:?}", found(body));
        assert_eq!(kind_of(body, "Maryam Nawaz"), Some(Kind::Person), "{:?}", found(body));
    }

    #[test]
    fn government_of_a_country_is_an_organisation() {
        for (body, org) in [
            ("Officials of the Government of Iraq signed it.", "Government of Iraq"),
            ("A spokesman for the Government of Pakistan denied it.", "Government of Pakistan"),
        ] {
            assert_eq!(kind_of(body, org), Some(Kind::Organization), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn all_capitals_never_match_a_case_folded_alternate_name() {
        // "Usi" and "Daca" are alternate names of Wuxi and Dhaka.
        for (body, acronym) in
            [("Students at USI protested the fees.", "USI"), ("Lawyers for DACA recipients filed suit.", "DACA")]
        {
            assert_ne!(kind_of(body, acronym), Some(Kind::Place), "{body}: {:?}", found(body));
        }
        assert_eq!(kind_of("Factories in Wuxi closed.", "Wuxi"), Some(Kind::Place));
    }

    #[test]
    fn a_locative_cue_admits_an_unknown_name_as_a_place() {
        for (body, place) in [
            ("Marines fought insurgents in Husaybah last week.", "Husaybah"),
            ("The convoy was ambushed near Qaryat Zorbak on Monday.", "Qaryat Zorbak"),
            ("Residents of the town of Bandarkot fled.", "Bandarkot"),
        ] {
            assert_eq!(kind_of(body, place), Some(Kind::Place), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn a_name_the_tagger_misses_before_an_organisation_cue_word_is_kept() {
        for (body, org) in [
            ("The post was attacked by the Hafiz Gul Bahadur faction of the TTP last week.", "Hafiz Gul Bahadur"),
            ("Fighters of the Tariq Gidar group ambushed a convoy.", "Tariq Gidar"),
        ] {
            assert_eq!(kind_of(body, org), Some(Kind::Organization), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn vessels_products_and_events_are_other_not_organisations() {
        for (body, thing) in [
            ("The frigate FS Forbin fired on the drones.", "FS Forbin"),
            ("Sailors aboard HMS Daring watched.", "HMS Daring"),
            ("The loss of Space Shuttle Columbia shocked the nation.", "Space Shuttle Columbia"),
            ("Users of IE6 could not see the page.", "IE6"),
            ("Pilots flew the F-16 over the border.", "F-16"),
        ] {
            assert_eq!(kind_of(body, thing), Some(Kind::Other), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn storms_and_games_are_events_and_a_storm_named_alone_is_still_the_storm() {
        let body = "Cyclone Phailin struck the coast on Saturday. Officials said Phailin would weaken inland.";
        assert_eq!(kind_of(body, "Cyclone Phailin"), Some(Kind::Other), "{:?}", found(body));
        assert!(found(body).iter().all(|(t, k)| t != "Phailin" || *k == Kind::Other), "{:?}", found(body));
        let body = "Athens built a tram for the 2004 Olympics, and the Olympics left debts.";
        assert!(!found(body).iter().any(|(_, k)| *k == Kind::Organization), "{:?}", found(body));
    }

    #[test]
    fn a_place_named_with_its_head_word_is_that_place_without_it() {
        let body = "Coron is a town on Busuanga Island. In 1950 Busuanga became a municipality of its own.";
        let got = found(body);
        let alone: Vec<Kind> = got.iter().filter(|(t, _)| t == "Busuanga").map(|(_, k)| *k).collect();
        assert_eq!(alone, vec![Kind::Place], "{got:?}");
    }

    #[test]
    fn a_company_named_with_its_legal_form_is_that_company_without_it() {
        let body = "Shares of Zentrova Holdings fell on Monday. Zentrova said it would close two plants.";
        let got = found(body);
        let alone: Vec<Kind> = got.iter().filter(|(t, _)| t == "Zentrova").map(|(_, k)| *k).collect();
        assert_eq!(alone, vec![Kind::Organization], "{got:?}");
        // A place, a word or a person's name keeps its own kind.
        let body = "Quetta Motors opened a plant last year. The plant in Quetta employs 300 people.";
        assert_eq!(kind_of(body, "Quetta"), Some(Kind::Place), "{:?}", found(body));
    }

    #[test]
    fn two_places_joined_by_and_before_an_organisation_head_are_part_of_its_name() {
        for (body, org) in [
            (
                "The Newfoundland and Labrador Court of Appeal upheld the ruling.",
                "Newfoundland and Labrador Court of Appeal",
            ),
            (
                "Officials of the Bosnia and Herzegovina Football Federation resigned.",
                "Bosnia and Herzegovina Football Federation",
            ),
        ] {
            assert_eq!(kind_of(body, org), Some(Kind::Organization), "{body}: {:?}", found(body));
        }
        // Two places with no organisation after them stay two places.
        let body = "Talks between Pakistan and India Today resumed.";
        assert_eq!(kind_of(body, "Pakistan"), Some(Kind::Place), "{:?}", found(body));
    }

    #[test]
    fn a_listed_brand_named_alone_is_an_organisation() {
        for (body, org) in [
            ("Accenture said on Tuesday that it would cut 19,000 jobs.", "Accenture"),
            ("Analysts expect Mitsubishi to report lower profits this quarter.", "Mitsubishi"),
        ] {
            assert_eq!(kind_of(body, org), Some(Kind::Organization), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn the_same_name_takes_the_kind_it_has_most_often_in_the_article() {
        let mention = |start: usize, kind: Kind| RawMention {
            start,
            end: start + 7,
            kind,
            name: "Olympia".into(),
            value: None,
            label: None,
            evidence: Evidence::Cue,
        };
        let mut mentions = vec![mention(0, Kind::Place), mention(20, Kind::Person), mention(40, Kind::Place)];
        majority_kind(&mut mentions);
        assert!(mentions.iter().all(|m| m.kind == Kind::Place));
        // A tie changes nothing.
        let mut mentions = vec![mention(0, Kind::Place), mention(20, Kind::Person)];
        majority_kind(&mut mentions);
        assert_eq!(mentions[1].kind, Kind::Person);
    }

    #[test]
    fn tagged_people_lose_their_titles_and_a_title_alone_is_nobody() {
        let body = "It is both a waiver and a modification, Justice Thomas.";
        assert!(!found(body).iter().any(|(t, _)| t.contains("Justice")), "{:?}", found(body));
        let body = "Mr. Chief Justice, and may it please the Court: the pandemic is over.";
        assert!(!found(body).iter().any(|(_, k)| *k == Kind::Person), "{:?}", found(body));
    }

    #[test]
    fn ordinary_words_numbering_things_and_eras_after_centuries_are_no_names() {
        let body = "That is set out in my condensed book at Tab 3, and we hear Case 22-506 next.";
        assert!(!found(body).iter().any(|(t, _)| t == "Tab" || t == "Case"), "{:?}", found(body));
        let body = "By the 7th century BC, social unrest had become widespread in the city.";
        assert!(found(body).iter().all(|(t, k)| t != "BC" || *k == Kind::Date), "{:?}", found(body));
    }

    #[test]
    fn a_known_place_after_in_is_a_place_even_when_it_is_a_given_name() {
        let body = "The ancient games took place in Olympia every four years.";
        assert_eq!(kind_of(body, "Olympia"), Some(Kind::Place), "{:?}", found(body));
    }

    #[test]
    fn foreign_institutions_and_newspapers_are_organisations() {
        let body =
            "A year later the Koninklijke Bibliotheek joined, and the editor of the San Francisco Bulletin wrote.";
        assert_eq!(kind_of(body, "Koninklijke Bibliotheek"), Some(Kind::Organization), "{:?}", found(body));
        assert_eq!(kind_of(body, "San Francisco Bulletin"), Some(Kind::Organization), "{:?}", found(body));
    }

    #[test]
    fn legislatures_and_armed_services_named_alone_are_organisations() {
        let body = "Congress passed the bill on Tuesday, and the Senate will vote next week. The Army said nothing.";
        for name in ["Congress", "Senate", "Army"] {
            assert_eq!(kind_of(body, name), Some(Kind::Organization), "{name}: {:?}", found(body));
        }
    }

    #[test]
    fn a_cue_word_after_a_tagged_name_says_its_kind() {
        let body = "Supporters of the ruling Fatah party gathered in Ramallah.";
        assert_eq!(kind_of(body, "Fatah"), Some(Kind::Organization), "{:?}", found(body));
    }

    #[test]
    fn capitalised_plurals_are_not_people() {
        for body in ["He sold Polaroids at the market.", "Collectors hunted Rolexes and Fabergés."] {
            assert!(!found(body).iter().any(|(_, k)| *k == Kind::Person), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn a_name_found_once_is_found_everywhere_in_the_article() {
        let body = "Carlos Montalvo arrived in Quito. Montalvo said the talks failed. Later Montalvo left.";
        let got = found(body);
        let montalvo: Vec<Kind> = got.iter().filter(|(t, _)| t == "Montalvo").map(|(_, k)| *k).collect();
        assert_eq!(montalvo, vec![Kind::Person, Kind::Person], "{got:?}");
        let body = "Senator Hillary Clinton spoke. Clinton said she would run. Clinton won.";
        let got = found(body);
        assert!(got.iter().filter(|(t, _)| t == "Clinton").all(|(_, k)| *k == Kind::Person), "{got:?}");
        assert_eq!(got.iter().filter(|(t, _)| t == "Clinton").count(), 2, "{got:?}");
    }

    #[test]
    fn odd_text_through_rules_and_tagger_stays_on_char_boundaries() {
        for body in [
            "Αθήνα-Zürich met O'Neill’s al- X. .. Ü.S.A. İSTANBUL’s ŞEHİR 2024s in",
            "in\n\nnear\nThe\nMr. . . (ABC) (",
            "ÉÉÉ-ÉÉÉ Ééé-ééé Aa-aa Bb-bb in Ŀŀ near the town of Ǆǆ",
            "IE6 F-16 A320 USS HMS FS Space Shuttle",
        ] {
            let ex = extract(body, None);
            let mut last_end = 0;
            for m in &ex.mentions {
                assert!(m.start >= last_end && m.start < m.end, "{body}: {:?}", ex.mentions);
                assert!(body.is_char_boundary(m.start) && body.is_char_boundary(m.end));
                last_end = m.end;
            }
        }
    }

    #[test]
    fn mentions_do_not_overlap_and_lie_on_char_boundaries() {
        let body = "Tehrīk-e-Taliban Pakistan’s “leader” met Gen. Munir in Kabul on 30 January 2023.";
        let ex = extract(body, None);
        let mut last_end = 0;
        for m in &ex.mentions {
            assert!(m.start >= last_end && body.is_char_boundary(m.start) && body.is_char_boundary(m.end));
            last_end = m.end;
        }
    }
}
