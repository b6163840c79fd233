//! Event records drawn from the text: attacks, bombings, air strikes, clashes, abductions,
//! arrests and military operations, each with its date, place, actors, type and the numbers
//! killed and injured, and the sentence(s) it was read from.
//!
//! How a sentence becomes a record (precision first: a wrong record misleads an analyst, a
//! missing one only costs a read):
//! 1. An article with none of the trigger stems is skipped at once (most are).
//! 2. Each sentence is split into clauses ("…, while a woman … carried out an attack near
//!    Kalat" is a second event); a clause needs a trigger: an event noun or verb ("bombing",
//!    "ambushed", "air strike"), an armed agent with a weak verb ("jets targeted", "suicide
//!    bombers struck"), or a count of dead with an armed cue. "Attack", "clash", "blast" count
//!    only with an armed cue in the clause (soldiers, militants, a checkpoint, a gun …), so a
//!    heart attack, a verbal attack or a blast of cold air give nothing.
//! 3. The clause is dropped when it reports no event ([`rules::rejection`]): statistics
//!    (totals over a period: "over 1,600 lives lost to terrorism in 2024 alone", "hundreds of
//!    attacks", rates, "the number of"), habits and trends ("has frequently attacked"),
//!    hypotheses, threats and plans ("could", "vowed", "to launch attacks"), negations and
//!    foiled plots, anniversaries and remembrance, policy talk and reactions, comparisons
//!    without a date or count of their own ("the first attack of its kind"), and background
//!    with "since". A clause whose only date is a year or a decade is a statistic or history.
//! 4. What is left must be specific: a place with a singular event ("an attack near Kalat"),
//!    or a count of dead or injured, or a date of its own. Plural event nouns ("clashes")
//!    need a place and a count or a date.
//! 5. A clause that points back ("the attack", "yesterday's attack", with no place of its own)
//!    adds its date, counts and actors to the event told just before it in the article; one
//!    with the same place and a compatible type is the same event too.
//! 6. Across articles, records of compatible type at the same place (entity) whose dates
//!    overlap (a day either side, the week or month given, or the month before an article's
//!    date for "the recent attack") are one event with several sources; counts that differ
//!    become a range.

pub mod count;
pub mod geo;
pub mod rules;
pub mod timeline;

use serde::{Deserialize, Serialize};

use crate::core::corpus::Corpus;
use crate::core::extract::dates::{civil_from_days, days_from_civil, from_iso, parse_anchor, DateValue, Precision};
use crate::core::extract::tokens::{tokenize, Token, TokenKind};
use crate::core::extract::{Kind, LocalMention, RawMention};
use crate::core::index::NO_ENTITY;

pub use self::count::{Count, Qualifier};
pub use self::rules::{EventKind, Side};

/// What an actor did in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Perpetrator,
    Target,
}

/// An actor as one article names it: a name group of the article (resolved to an entity by the
/// index, so corrections apply) or a general word ("militants", "security forces").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalActor {
    pub role: Role,
    pub group: Option<u32>,
    pub label: Option<String>,
}

/// An event as one article reports it; places and actors are the article's name groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalEvent {
    /// Byte spans of the clause(s) it was read from, the main one first.
    pub spans: Vec<(u32, u32)>,
    pub kind: EventKind,
    pub date: Option<DateValue>,
    pub precision: Precision,
    /// Places named in the clause, those after "in", "near", "at" … first.
    pub places: Vec<u32>,
    pub actors: Vec<LocalActor>,
    pub target: Option<Side>,
    pub killed: Option<Count>,
    pub injured: Option<Count>,
}

/// A word of a clause.
struct Word<'a> {
    lower: String,
    original: &'a str,
}

/// A clause's mention: which raw mention, its kind and first/last word.
#[derive(Clone, Copy)]
struct ClauseMention {
    index: usize,
    kind: Kind,
    first: usize,
    last: usize,
}

struct Candidate {
    event: LocalEvent,
    /// The first place's name, folded: one article may file one name under several groups.
    place_key: Option<String>,
    sentence: usize,
    /// Points back to an event told before ("the attack", no place of its own).
    anaphoric: bool,
    specific: bool,
}

/// Finds the events one article reports. `mentions` are the article's extracted mentions and
/// `local` the same mentions with their name groups (what [`crate::core::extract::Extraction::summarize`]
/// returns, in the same order).
pub fn detect(
    body: &str,
    article_date: Option<&str>,
    mentions: &[RawMention],
    local: &[LocalMention],
) -> Vec<LocalEvent> {
    let hits = stem_hits(body);
    if hits.is_empty() {
        return Vec::new();
    }
    let anchor = parse_anchor(article_date);
    // Only the paragraphs with a trigger stem are tokenized, and only their sentences with one
    // are read: most of an article costs one pass of the stem automaton.
    let mut tokens: Vec<Token> = Vec::new();
    let mut at = 0;
    for paragraph in body.split(crate::core::article::PARAGRAPH_SEPARATOR) {
        let end = at + paragraph.len();
        let first = hits.partition_point(|&h| h < at);
        if hits.get(first).is_some_and(|&h| h < end) {
            tokens.extend(tokenize(paragraph).into_iter().map(|mut t| {
                t.start += at;
                t.end += at;
                t
            }));
        }
        at = end + crate::core::article::PARAGRAPH_SEPARATOR.len();
    }
    let groups: Vec<Option<u32>> =
        (0..mentions.len()).map(|i| local.get(i).filter(|_| local.len() == mentions.len()).map(|l| l.group)).collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut sentence = 0;
    let mut previous_day: Option<DateValue> = None;
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len() && !tokens[end].sentence_start {
            end += 1;
        }
        let (from, to) = (tokens[start].start, tokens[end - 1].end);
        let k = hits.partition_point(|&h| h < from);
        let mut sentence_day = None;
        if hits.get(k).is_some_and(|&h| h < to) {
            for (a, b) in clauses(body, &tokens, start, end) {
                let found = clause_event(body, &tokens[a..b], mentions, &groups, anchor, previous_day);
                if let Some((c, day)) = found.0 {
                    candidates.push(Candidate { sentence, ..c });
                    sentence_day = sentence_day.or(day);
                }
                sentence_day = sentence_day.or(found.1);
            }
        } else {
            // No event here; its day may still date a following "Hours later, …".
            let m = mentions.partition_point(|m| m.start < from);
            sentence_day = mentions[m..]
                .iter()
                .take_while(|m| m.start < to)
                .filter(|m| m.kind == Kind::Date)
                .filter_map(|m| m.value.as_deref().and_then(from_iso))
                .find(|v| v.precision() == Precision::Day);
        }
        previous_day = sentence_day;
        sentence += 1;
        start = end;
    }
    merge_in_article(candidates, anchor)
}

/// Where trigger stems start in the body (ASCII case-insensitive, at the start of a word):
/// the cheap test that keeps the cost of articles about other things near zero.
fn stem_hits(body: &str) -> Vec<usize> {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let ac = AC.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(rules::STEMS)
            .expect("fixed patterns build")
    });
    let bytes = body.as_bytes();
    ac.find_iter(body)
        .filter(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
        .map(|m| m.start())
        .collect()
}

/// Clause boundaries within tokens `[start, end)`: at ";" and at ", while", ", whereas",
/// ", but", and before commentary participles (", emphasizing …").
fn clauses(body: &str, tokens: &[Token], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = start;
    for i in start..end {
        let t = &tokens[i];
        if t.kind != TokenKind::Punct {
            continue;
        }
        let p = t.text(body);
        let next = tokens.get(i + 1).filter(|_| i + 1 < end).map_or("", |n| n.text(body));
        let lower = next.to_ascii_lowercase();
        let split = p == ";"
            || (p == ","
                && matches!(
                    lower.as_str(),
                    "while"
                        | "whereas"
                        | "but"
                        | "emphasizing"
                        | "emphasising"
                        | "underscoring"
                        | "highlighting"
                        | "signalling"
                        | "signaling"
                        | "showing"
                        | "demonstrating"
                        | "reflecting"
                        | "raising"
                        | "posing"
                        | "illustrating"
                        | "reminding"
                        | "making"
                        | "prompting"
                        | "sparking"
                ));
        if split && i > a {
            out.push((a, i));
            a = i + 1;
        }
    }
    if a < end {
        out.push((a, end));
    }
    out
}

type ClauseResult = (Option<(Candidate, Option<DateValue>)>, Option<DateValue>);

/// Reads one clause: a candidate event (and the day it gives), and the day the clause names
/// anyway (for a following "Hours later").
fn clause_event(
    body: &str,
    tokens: &[Token],
    mentions: &[RawMention],
    groups: &[Option<u32>],
    anchor: Option<(i32, u32, u32)>,
    previous_day: Option<DateValue>,
) -> ClauseResult {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else { return (None, None) };
    let (span_start, span_end) = (first.start, last.end);
    let words: Vec<Word<'_>> = tokens
        .iter()
        .map(|t| {
            let original = t.text(body);
            Word { lower: original.to_lowercase().replace('’', "'"), original }
        })
        .collect();
    let w: Vec<&str> = words.iter().map(|x| x.lower.as_str()).collect();
    let original: Vec<&str> = words.iter().map(|x| x.original).collect();
    // The clause's mentions (the raw mentions are sorted by start).
    let from = mentions.partition_point(|m| m.end <= span_start);
    let word_at = |byte: usize| tokens.partition_point(|t| t.end <= byte);
    let in_clause: Vec<ClauseMention> = mentions[from..]
        .iter()
        .enumerate()
        .take_while(|(_, m)| m.start < span_end)
        .filter(|(_, m)| m.start >= span_start)
        .map(|(k, m)| ClauseMention {
            index: from + k,
            kind: m.kind,
            first: word_at(m.start).min(w.len().saturating_sub(1)),
            last: word_at(m.end.saturating_sub(1)).min(w.len().saturating_sub(1)),
        })
        .collect();
    // Dates the clause gives.
    let mut date: Option<DateValue> = None;
    let mut only_coarse = false;
    let mut has_unresolved = false;
    for m in in_clause.iter().filter(|m| m.kind == Kind::Date) {
        let Some(v) = mentions[m.index].value.as_deref().and_then(from_iso) else { continue };
        if !v.is_resolved() {
            has_unresolved = true;
            continue;
        }
        if date.is_none_or(|d| v.precision() < d.precision()) {
            date = Some(v);
        }
    }
    if let Some(d) = date {
        only_coarse = matches!(d.precision(), Precision::Year | Precision::Decade);
    }
    let day_named = date.filter(|d| d.precision() == Precision::Day);
    let mut from_text = date.is_some() || has_unresolved;
    if date.is_none() && rules::carries_date(&w) {
        date = previous_day;
        from_text = date.is_some();
    }

    // Triggers.
    let mut triggers: Vec<rules::Trigger> = Vec::new();
    for i in 0..w.len() {
        if let Some(t) = rules::trigger_at(&w, i) {
            // "a day after the Peshawar attack": another event, named for its date.
            let back = &w[i.saturating_sub(4)..i];
            if back.iter().any(|b| rules::is_reference_word(b)) {
                continue;
            }
            triggers.push(t);
        }
    }
    let agent = w.iter().find_map(|x| rules::agent_kind(x));
    let suicide = w.contains(&"suicide");
    if let Some(agent) = agent {
        if let Some(i) = w.iter().position(|x| rules::is_weak_verb(x)) {
            if triggers.iter().all(|t| t.at != i) {
                triggers.push(rules::Trigger { at: i, kind: agent, plural: false, needs_cue: false });
            }
        }
    }
    let (killed, injured) = count::casualties(&w);
    let casualties = killed.is_some_and(|c| c.min > 0 || c.max.is_some()) || injured.is_some_and(|c| c.min > 0);
    let armed = w.iter().any(|x| rules::is_armed_cue(x)) || casualties;
    triggers.retain(|t| !t.needs_cue || armed);
    if triggers.is_empty() && casualties && w.iter().any(|x| rules::is_armed_cue(x)) {
        let at = w
            .iter()
            .position(|x| {
                matches!(*x, "killed" | "killing" | "dead" | "died" | "martyred" | "lost" | "injured" | "wounded")
            })
            .unwrap_or(0);
        triggers.push(rules::Trigger { at, kind: EventKind::Attack, plural: false, needs_cue: false });
    }
    if triggers.is_empty() {
        return (None, day_named);
    }
    if rules::is_not_violence(&w) && triggers.iter().all(|t| t.needs_cue) {
        return (None, day_named);
    }
    if rules::rejection(&w, &original, from_text && !only_coarse, casualties).is_some() {
        return (None, day_named);
    }
    if only_coarse && day_named.is_none() {
        // Only a year: a total or a piece of history, not a report.
        return (None, day_named);
    }
    // The main trigger: singular before plural, then the most specific kind.
    let main =
        *triggers.iter().max_by_key(|t| (!t.plural, t.kind.specificity(), std::cmp::Reverse(t.at))).expect("not empty");
    let mut kind = main.kind;
    if suicide && matches!(kind, EventKind::Attack | EventKind::Explosive) {
        kind = EventKind::SuicideBomb;
    } else if let Some(better) = triggers.iter().map(|t| t.kind).chain(agent).max_by_key(|k| k.specificity()) {
        if kind.compatible(better) && better.specificity() > kind.specificity() {
            kind = better;
        }
    }
    let plural = triggers.iter().all(|t| t.plural);

    // Places: after a locative word first; not those of another event, nor origins.
    let mut located: Vec<(bool, u32)> = Vec::new();
    for m in in_clause.iter().filter(|m| m.kind == Kind::Place) {
        let Some(group) = groups[m.index] else { continue };
        let before: Vec<&str> = w[m.first.saturating_sub(3)..m.first].to_vec();
        let after_trigger = (m.last + 1..=m.last + 2).any(|k| k < w.len() && rules::trigger_at(&w, k).is_some());
        if after_trigger && before.iter().any(|b| rules::is_reference_word(b)) {
            continue;
        }
        let near = |words: &[&str], list: &[&str]| words.iter().rev().take(2).any(|b| list.contains(b));
        if near(&before, &["from", "against", "with", "to", "towards"]) {
            continue;
        }
        let locative = near(
            &before,
            &[
                "in", "near", "at", "inside", "outside", "across", "on", "of", "into", "around", "struck", "hit",
                "targeted", "attacked", "stormed", "raided",
            ],
        );
        if !located.iter().any(|(_, g)| *g == group) {
            located.push((locative, group));
        }
    }
    // Actors.
    let mut actors: Vec<LocalActor> = Vec::new();
    let mut perpetrator_places: Vec<u32> = Vec::new();
    for m in &in_clause {
        let Some(group) = groups[m.index] else { continue };
        if !matches!(m.kind, Kind::Organization | Kind::Group | Kind::Place) {
            continue;
        }
        let before = &w[m.first.saturating_sub(6)..m.first];
        let next = w.get(m.last + 1).copied().unwrap_or("");
        let next2 = w.get(m.last + 2).copied().unwrap_or("");
        let possessive = tokens[m.last].possessive;
        let by = before.iter().rev().take(6).any(|b| matches!(*b, "by")) && !before.contains(&"on");
        let affiliated = has_tail(before, &["affiliated", "with"])
            || has_tail(before, &["linked", "to"])
            || has_tail(before, &["members", "of"])
            || has_tail(before, &["belonging", "to"]);
        let agent_after = rules::agent_kind(next).is_some()
            || rules::agent_kind(next2).is_some()
            || matches!(
                next,
                "claimed"
                    | "carried"
                    | "attacked"
                    | "stormed"
                    | "launched"
                    | "struck"
                    | "ambushed"
                    | "undertook"
                    | "conducted"
                    | "jets"
                    | "warplanes"
                    | "forces"
                    | "troops"
                    | "army"
                    | "military"
                    | "cadres"
                    | "operatives"
            )
            || (possessive && trigger_within(&triggers, m.last, 3));
        let target_before =
            before.iter().rev().take(3).any(|b| matches!(*b, "on" | "against" | "targeting" | "targeted" | "target"));
        let role = if m.kind == Kind::Place {
            // A country acting: "Pakistan undertook a strike", "Pakistani jets" (a group).
            (agent_after && m.first < main.at).then_some(Role::Perpetrator)
        } else if (by || affiliated || agent_after) && !target_before {
            Some(Role::Perpetrator)
        } else if target_before {
            Some(Role::Target)
        } else {
            None
        };
        if let Some(role) = role {
            if m.kind == Kind::Place {
                perpetrator_places.push(group);
            }
            if !actors.iter().any(|a| a.role == role && a.group == Some(group))
                && actors.iter().filter(|a| a.role == role).count() < 2
            {
                actors.push(LocalActor { role, group: Some(group), label: None });
            }
        }
    }
    if !actors.iter().any(|a| a.role == Role::Perpetrator) {
        let label = w.iter().enumerate().find_map(|(i, x)| {
            let k = rules::agent_kind(x)?;
            let before_main = i < main.at || w[i.saturating_sub(3)..i].iter().any(|b| matches!(*b, "by" | "with"));
            (before_main && k != EventKind::AirStrike && k != EventKind::Shelling).then(|| {
                // "a militant assault", "this terrorist attack": militants.
                let word = match *x {
                    "militant" | "terrorist" | "terrorists" => "militants",
                    other => other,
                };
                if i > 0 && w[i - 1] == "suicide" {
                    format!("suicide {word}")
                } else {
                    word.to_string()
                }
            })
        });
        if let Some(label) = label {
            actors.push(LocalActor { role: Role::Perpetrator, group: None, label: Some(label) });
        }
    }
    // A country acting is not where it acted ("Pakistan undertook a strike … inside Afghanistan").
    located.retain(|(_, g)| !perpetrator_places.contains(g));
    let mut places: Vec<u32> = located.iter().filter(|(l, _)| *l).map(|(_, g)| *g).collect();
    places.extend(located.iter().filter(|(l, _)| !*l).map(|(_, g)| *g));
    // The side aimed at: the first side word after the trigger, else anywhere in the clause.
    let side_ok = |s: Side| {
        s != Side::Militants
            || matches!(kind, EventKind::AirStrike | EventKind::Operation | EventKind::Arrest | EventKind::Shelling)
    };
    let target = w[main.at..]
        .iter()
        .skip(1)
        .filter_map(|x| rules::side_of(x))
        .find(|s| side_ok(*s))
        .or_else(|| w.iter().filter_map(|x| rules::side_of(x)).find(|s| side_ok(*s)));

    let back = &w[main.at.saturating_sub(3)..main.at];
    let date_possessive = main.at > 0
        && tokens[main.at - 1].possessive
        && in_clause.iter().any(|m| m.kind == Kind::Date && m.last == main.at - 1);
    // "The bombing of the Haqqania madrassa" names what it hit: a new event, not a pointer back.
    let names_its_object = w.get(main.at + 1) == Some(&"of");
    let anaphoric = places.is_empty()
        && !names_its_object
        && (back.iter().any(|b| rules::is_anaphoric_determiner(b)) || date_possessive);
    let specific = (!places.is_empty() && (!plural || casualties || day_named.is_some()))
        || (casualties && (!plural || !places.is_empty()))
        || (from_text && !plural && date.is_some_and(|d| d.precision() <= Precision::Week));
    let (date, precision) = match date {
        Some(d) => (Some(d), d.precision()),
        None if has_unresolved => (None, Precision::Unresolved),
        None => match anchor {
            Some((y, m, d)) => (Some(DateValue::Day(y, m, d)), Precision::Approximate),
            None => (None, Precision::Unresolved),
        },
    };
    let event = LocalEvent {
        spans: vec![(span_start as u32, span_end as u32)],
        kind,
        date,
        precision,
        places: Vec::new(),
        actors,
        target,
        killed,
        injured,
    };
    let place_key = places.first().and_then(|g| {
        in_clause
            .iter()
            .find(|m| groups[m.index] == Some(*g))
            .map(|m| crate::core::extract::lexicon::name_key(&mentions[m.index].name))
    });
    let event = LocalEvent { places, ..event };
    (Some((Candidate { event, place_key, sentence: 0, anaphoric, specific }, day_named)), day_named)
}

fn has_tail(words: &[&str], tail: &[&str]) -> bool {
    words.windows(tail.len()).any(|w| w == tail)
}

fn trigger_within(triggers: &[rules::Trigger], at: usize, n: usize) -> bool {
    triggers.iter().any(|t| t.at > at && t.at <= at + n)
}

/// Joins the clauses of one article that tell the same event, and keeps the specific ones.
fn merge_in_article(candidates: Vec<Candidate>, anchor: Option<(i32, u32, u32)>) -> Vec<LocalEvent> {
    // Event, its first place's key, the last sentence that told of it, whether it is specific.
    let mut out: Vec<(LocalEvent, Option<String>, usize, bool)> = Vec::new();
    for c in candidates {
        let target = if c.anaphoric {
            // The latest event told in the three sentences before.
            // A more specific noun than the event's is another event ("the bombing of the
            // madrassa" after "an attack near Kalat").
            out.iter().rposition(|(e, _, last, _)| {
                c.sentence <= last + 3
                    && e.kind.compatible(c.event.kind)
                    && c.event.kind.specificity() <= e.kind.specificity()
            })
        } else if c.place_key.is_some() {
            out.iter().rposition(|(e, key, _, _)| {
                e.kind.compatible(c.event.kind) && *key == c.place_key && dates_agree(e, &c.event)
            })
        } else {
            None
        };
        match target {
            Some(k) => {
                let (e, _, last, specific) = &mut out[k];
                if absorb(e, c.event) {
                    *last = c.sentence;
                }
                *specific |= c.specific;
            }
            None => out.push((c.event, c.place_key, c.sentence, c.specific)),
        }
    }
    let _ = anchor;
    out.into_iter().filter(|(_, _, _, specific)| *specific).map(|(e, _, _, _)| e).collect()
}

/// Whether two reports' dates may be one event's.
fn dates_agree(a: &LocalEvent, b: &LocalEvent) -> bool {
    match (window(a), window(b)) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        _ => true,
    }
}

/// The days an event may have been on: a day either side of a day; the period given; the
/// month before the article's date when the date is only approximate.
fn window(e: &LocalEvent) -> Option<(i64, i64)> {
    let (lo, hi) = e.date?.day_span()?;
    Some(match e.precision {
        Precision::Day => (lo - 1, hi + 1),
        Precision::Approximate => (hi - 31, hi),
        _ => (lo, hi),
    })
}

/// Adds what a second report says to an event; whether it added anything.
fn absorb(e: &mut LocalEvent, other: LocalEvent) -> bool {
    let mut added = false;
    let better_date = match (e.precision, other.precision) {
        (_, Precision::Approximate | Precision::Unresolved) => false,
        (Precision::Approximate | Precision::Unresolved, _) => other.date.is_some(),
        (mine, theirs) => theirs < mine,
    };
    if better_date {
        e.date = other.date;
        e.precision = other.precision;
        added = true;
    }
    if other.kind.specificity() > e.kind.specificity() && e.kind.compatible(other.kind) {
        e.kind = other.kind;
        added = true;
    }
    for p in other.places {
        if !e.places.contains(&p) {
            e.places.push(p);
            added = true;
        }
    }
    for a in other.actors {
        let has_role_entity = e.actors.iter().any(|x| x.role == a.role && x.group.is_some());
        // A general word adds nothing where the role already has an actor.
        let redundant = a.group.is_none() && e.actors.iter().any(|x| x.role == a.role);
        if !e.actors.contains(&a) && !redundant {
            if a.group.is_some() && !has_role_entity {
                e.actors.retain(|x| !(x.role == a.role && x.group.is_none()));
            }
            if a.group.is_none() || !has_role_entity {
                e.actors.push(a);
                added = true;
            }
        }
    }
    if e.target.is_none() && other.target.is_some() {
        e.target = other.target;
        added = true;
    }
    for (mine, theirs) in [(&mut e.killed, other.killed), (&mut e.injured, other.injured)] {
        if let Some(t) = theirs {
            *mine = Some(match *mine {
                Some(m) => m.combine(t),
                None => t,
            });
            added = true;
        }
    }
    if added {
        for s in other.spans {
            if !e.spans.contains(&s) {
                e.spans.push(s);
            }
        }
    }
    added
}

/// Where an event was read: an article and a byte span of its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub article: u32,
    pub start: u32,
    pub end: u32,
}

/// An actor with the collection's entity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub entity: Option<u32>,
    pub label: Option<String>,
}

/// One event of the collection, reported by one or more articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub date: Option<DateValue>,
    pub precision: Precision,
    /// The place entities, preferred first; `place` is the most specific.
    pub places: Vec<u32>,
    pub place: Option<u32>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub actors: Vec<Actor>,
    pub target: Option<Side>,
    pub killed: Option<Count>,
    pub injured: Option<Count>,
    pub sources: Vec<Source>,
}

impl Event {
    /// ACLED's event type and sub-event type.
    pub fn acled(&self) -> (&'static str, &'static str) {
        self.kind.acled(self.target, self.killed.is_some_and(|k| k.min > 0))
    }

    /// The first day the event may have been on (days since 1970), for ordering and timelines.
    pub fn day(&self) -> Option<i64> {
        self.date?.day_span().map(|(lo, _)| lo)
    }

    /// The actor named in `role`: an entity's name or the general word.
    pub fn actor_name(&self, corpus: &Corpus, role: Role) -> Option<String> {
        let names: Vec<String> = self
            .actors
            .iter()
            .filter(|a| a.role == role)
            .filter_map(|a| match a.entity {
                Some(e) => Some(corpus.entity(e).name.clone()),
                None => a.label.clone(),
            })
            .collect();
        if names.is_empty() {
            if role == Role::Target {
                return self.target.map(|s| s.label().to_string());
            }
            return None;
        }
        Some(names.join("; "))
    }

    /// Whether the entity is this event's place or one of its actors.
    pub fn involves(&self, entity: u32) -> bool {
        self.places.contains(&entity) || self.actors.iter().any(|a| a.entity == Some(entity))
    }
}

/// One article's events with the collection's entity numbers.
pub fn article_events(corpus: &Corpus, article: usize) -> Vec<Event> {
    let Some(meta) = corpus.articles.get(article) else { return Vec::new() };
    let map = corpus.index.group_entity.get(article).map_or(&[][..], Vec::as_slice);
    let entity = |g: u32| map.get(g as usize).copied().filter(|&e| e != NO_ENTITY);
    meta.events
        .iter()
        .map(|e| {
            let mut places: Vec<u32> = Vec::new();
            for p in e.places.iter().filter_map(|&g| entity(g)) {
                if !places.contains(&p) && corpus.entity(p).kind == Kind::Place {
                    places.push(p);
                }
            }
            let names: Vec<&str> = places.iter().map(|&p| corpus.entity(p).name.as_str()).collect();
            let located = geo::locate(&names);
            let place = located.place.map(|i| places[i]);
            if let Some(p) = place {
                // The most specific place first.
                places.retain(|&x| x != p);
                places.insert(0, p);
            }
            let actors = e
                .actors
                .iter()
                .filter_map(|a| {
                    let entity = a.group.and_then(entity);
                    (entity.is_some() || a.label.is_some()).then(|| Actor {
                        role: a.role,
                        entity,
                        label: a.label.clone(),
                    })
                })
                .collect();
            Event {
                kind: e.kind,
                date: e.date,
                precision: e.precision,
                places,
                place,
                admin1: located.admin1,
                country: located.country,
                actors,
                target: e.target,
                killed: e.killed,
                injured: e.injured,
                sources: e.spans.iter().map(|&(start, end)| Source { article: article as u32, start, end }).collect(),
            }
        })
        .collect()
}

/// The events of the given articles, the same event reported by several of them made one
/// (same place, compatible type, overlapping dates), ordered by date.
pub fn collect(corpus: &Corpus, articles: impl IntoIterator<Item = usize>) -> Vec<Event> {
    let mut all: Vec<Event> = Vec::new();
    for a in articles {
        if corpus.articles.get(a).is_some_and(|m| !m.events.is_empty()) {
            all.extend(article_events(corpus, a));
        }
    }
    merge_across(all)
}

/// Merges reports of one event from several articles.
pub fn merge_across(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let same = out.iter().position(|o| {
            o.kind.compatible(e.kind)
                && o.place.is_some()
                && o.place == e.place
                && o.sources.iter().all(|s| e.sources.iter().all(|t| t.article != s.article))
                && match (event_window(o), event_window(&e)) {
                    (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
                    _ => false,
                }
        });
        match same {
            Some(k) => {
                let o = &mut out[k];
                let better = match (o.precision, e.precision) {
                    (_, Precision::Approximate | Precision::Unresolved) => false,
                    (Precision::Approximate | Precision::Unresolved, _) => e.date.is_some(),
                    (mine, theirs) => theirs < mine,
                };
                if better {
                    o.date = e.date;
                    o.precision = e.precision;
                }
                if e.kind.specificity() > o.kind.specificity() {
                    o.kind = e.kind;
                }
                for (mine, theirs) in [(&mut o.killed, e.killed), (&mut o.injured, e.injured)] {
                    if let Some(t) = theirs {
                        *mine = Some(mine.map_or(t, |m| m.combine(t)));
                    }
                }
                for a in e.actors {
                    if !o.actors.contains(&a) {
                        o.actors.push(a);
                    }
                }
                o.target = o.target.or(e.target);
                o.admin1 = o.admin1.take().or(e.admin1);
                o.country = o.country.take().or(e.country);
                o.sources.extend(e.sources);
            }
            None => out.push(e),
        }
    }
    out.sort_by_key(|e| (e.day().unwrap_or(i64::MAX), e.sources.first().map(|s| (s.article, s.start))));
    out
}

fn event_window(e: &Event) -> Option<(i64, i64)> {
    let (lo, hi) = e.date?.day_span()?;
    Some(match e.precision {
        Precision::Day => (lo - 1, hi + 1),
        Precision::Approximate => (hi - 31, hi),
        _ => (lo, hi),
    })
}

/// A day as (year, month, day).
pub fn civil(day: i64) -> (i32, u32, u32) {
    civil_from_days(day)
}

/// Days since 1970 of an ISO date's first day ("2023-12-13", "2023-12", "2023").
pub fn iso_day(iso: &str) -> Option<i64> {
    let (y, m, d) = parse_anchor(Some(iso)).or_else(|| {
        let y = iso.get(0..4)?.parse().ok()?;
        let m = iso.get(5..7).map_or(Some(1), |m| m.parse().ok())?;
        Some((y, m, 1))
    })?;
    Some(days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests;
