//! `newsroom events` and `newsroom timeline`: the event records of a collection as a table,
//! JSON or CSV (ACLED's column names where they apply), and counts of articles and events by
//! day, month or year, drawn as bars on a terminal.

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use crate::cli::{pad, CliError, Format, SHORT_ID};
use crate::core::corpus::Corpus;
use crate::core::events::timeline::{self, Bucket};
use crate::core::events::{self, Count, Event, Role};
use crate::core::export::csv::CsvWriter;
use crate::core::extract::dates::Precision;
use crate::core::text::{display_safe, truncate_to_width};

/// The width of a timeline bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Day,
    Month,
    Year,
}

impl From<By> for Bucket {
    fn from(b: By) -> Bucket {
        match b {
            By::Day => Bucket::Day,
            By::Month => Bucket::Month,
            By::Year => Bucket::Year,
        }
    }
}

/// The CSV header: ACLED's names, then ours.
pub const CSV_COLUMNS: [&str; 14] = [
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "admin1",
    "country",
    "fatalities",
    "injured",
    "source_id",
    "source_text",
    "notes",
];

/// ACLED's time precision: 1 the day, 2 the week, 3 the month (or less precise).
fn acled_precision(p: Precision) -> &'static str {
    match p {
        Precision::Day => "1",
        Precision::Week => "2",
        _ => "3",
    }
}

/// The text of a source span, on one line and safe to print.
fn source_text(corpus: &Corpus, s: &events::Source) -> String {
    let Ok(view) = corpus.open(s.article as usize) else { return String::new() };
    let body = &view.text.body;
    let text = body.get(s.start as usize..s.end as usize).unwrap_or("");
    display_safe(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[derive(Serialize)]
struct JsonActor {
    role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<String>,
    name: String,
}

#[derive(Serialize)]
struct JsonSource {
    article_id: String,
    path: String,
    start: u32,
    end: u32,
    text: String,
}

#[derive(Serialize)]
struct JsonEvent {
    event_date: Option<String>,
    time_precision: &'static str,
    event_type: &'static str,
    sub_event_type: &'static str,
    kind: events::EventKind,
    location: Option<String>,
    location_id: Option<String>,
    admin1: Option<String>,
    country: Option<String>,
    places: Vec<String>,
    actor1: Option<String>,
    actor2: Option<String>,
    actors: Vec<JsonActor>,
    killed: Option<Count>,
    injured: Option<Count>,
    sources: Vec<JsonSource>,
}

fn to_json(corpus: &Corpus, e: &Event) -> JsonEvent {
    let (event_type, sub_event_type) = e.acled();
    JsonEvent {
        event_date: e.date.map(|d| d.iso()),
        time_precision: e.precision.as_str(),
        event_type,
        sub_event_type,
        kind: e.kind,
        location: e.place.map(|p| corpus.entity(p).name.clone()),
        location_id: e.place.map(|p| corpus.entity(p).id.clone()),
        admin1: e.admin1.clone(),
        country: e.country.clone(),
        places: e.places.iter().map(|&p| corpus.entity(p).name.clone()).collect(),
        actor1: e.actor_name(corpus, Role::Perpetrator),
        actor2: e.actor_name(corpus, Role::Target),
        actors: e
            .actors
            .iter()
            .map(|a| JsonActor {
                role: a.role,
                entity_id: a.entity.map(|x| corpus.entity(x).id.clone()),
                name: a.entity.map(|x| corpus.entity(x).name.clone()).or_else(|| a.label.clone()).unwrap_or_default(),
            })
            .collect(),
        killed: e.killed,
        injured: e.injured,
        sources: e
            .sources
            .iter()
            .map(|s| {
                let meta = &corpus.articles[s.article as usize];
                JsonSource {
                    article_id: meta.id.clone(),
                    path: meta.path.clone(),
                    start: s.start,
                    end: s.end,
                    text: source_text(corpus, s),
                }
            })
            .collect(),
    }
}

/// `newsroom events`.
pub fn write_events(corpus: &Corpus, format: Format, out: &mut dyn Write) -> Result<(), CliError> {
    let all = events::collect(corpus, 0..corpus.articles.len());
    match format {
        Format::Json => {
            let rows: Vec<JsonEvent> = all.iter().map(|e| to_json(corpus, e)).collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for e in &all {
                serde_json::to_writer(&mut *out, &to_json(corpus, e)).map_err(io::Error::from)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            let mut csv = CsvWriter::new(&mut *out, &CSV_COLUMNS)?;
            for e in &all {
                let (t, sub) = e.acled();
                let count = |c: Option<Count>| c.map(|c| c.min.to_string()).unwrap_or_default();
                let mut notes = Vec::new();
                if let Some(k) = e.killed.filter(|k| k.qualifier.is_some() || k.max.is_some()) {
                    notes.push(format!("killed: {}", k.text()));
                }
                if let Some(k) = e.injured.filter(|k| k.qualifier.is_some() || k.max.is_some()) {
                    notes.push(format!("injured: {}", k.text()));
                }
                if e.precision == Precision::Approximate {
                    notes.push("date: on or before the article's date".into());
                }
                let ids: Vec<&str> =
                    e.sources.iter().map(|s| corpus.articles[s.article as usize].id.as_str()).collect();
                csv.row([
                    e.date.map(|d| d.iso()).unwrap_or_default(),
                    if e.date.is_some() { acled_precision(e.precision).to_string() } else { String::new() },
                    t.to_string(),
                    sub.to_string(),
                    e.actor_name(corpus, Role::Perpetrator).unwrap_or_default(),
                    e.actor_name(corpus, Role::Target).unwrap_or_default(),
                    e.place.map(|p| corpus.entity(p).name.clone()).unwrap_or_default(),
                    e.admin1.clone().unwrap_or_default(),
                    e.country.clone().unwrap_or_default(),
                    count(e.killed),
                    count(e.injured),
                    ids.join(";"),
                    e.sources.iter().map(|s| source_text(corpus, s)).collect::<Vec<_>>().join(" … "),
                    notes.join("; "),
                ])?;
            }
            csv.finish()?;
        }
        Format::Table => {
            writeln!(
                out,
                "{:<10}  {:<5}  {:<28}  {:<20}  {:>7}  {:>7}  {:<SHORT_ID$}  PERPETRATOR",
                "DATE", "PREC", "TYPE", "PLACE", "KILLED", "INJURED", "ARTICLE"
            )?;
            for e in &all {
                let (_, sub) = e.acled();
                let place = e.place.map(|p| display_safe(&corpus.entity(p).name)).unwrap_or_else(|| "-".into());
                let count = |c: Option<Count>| c.map(|c| c.text()).unwrap_or_else(|| "-".into());
                let article = &corpus.articles[e.sources[0].article as usize].id;
                let mut articles: Vec<u32> = e.sources.iter().map(|s| s.article).collect();
                articles.dedup();
                let more =
                    if articles.len() > 1 { format!(" (+{} articles)", articles.len() - 1) } else { String::new() };
                writeln!(
                    out,
                    "{:<10}  {:<5}  {}  {}  {:>7}  {:>7}  {:<SHORT_ID$}  {}{more}",
                    e.date.map(|d| d.iso()).unwrap_or_else(|| "-".into()),
                    &e.precision.as_str()[..5.min(e.precision.as_str().len())],
                    pad(&truncate_to_width(sub, 28), 28),
                    pad(&truncate_to_width(&place, 20), 20),
                    count(e.killed),
                    count(e.injured),
                    &article[..SHORT_ID.min(article.len())],
                    display_safe(&e.actor_name(corpus, Role::Perpetrator).unwrap_or_else(|| "-".into())),
                )?;
            }
        }
    }
    Ok(())
}

/// The entities a name on the command line means: by name or alias, else by the start of one.
fn find_entity(corpus: &Corpus, name: &str) -> Result<Vec<u32>, CliError> {
    let mut found = corpus.index.find(name);
    if found.is_empty() {
        found = corpus.index.find_prefix(name);
    }
    if found.is_empty() {
        return Err(CliError::Message(format!("no entity is named {:?}", display_safe(name))));
    }
    Ok(found)
}

/// `newsroom timeline`: one line per period, `PERIOD ARTICLES EVENTS`, with bars on a terminal.
pub fn write_timeline(
    corpus: &Corpus,
    by: By,
    entity: Option<&str>,
    out: &mut dyn Write,
    bars_width: Option<usize>,
) -> Result<(), CliError> {
    let all = events::collect(corpus, 0..corpus.articles.len());
    let t = match entity {
        Some(name) => {
            let ids = find_entity(corpus, name)?;
            let mut articles: Vec<usize> = Vec::new();
            let mut evs: Vec<Event> = Vec::new();
            for id in ids {
                let (a, e) = timeline::for_entity(corpus, id, &all);
                articles.extend(a);
                for x in e {
                    if !evs.contains(&x) {
                        evs.push(x);
                    }
                }
            }
            articles.sort_unstable();
            articles.dedup();
            timeline::count(corpus, &articles, &evs, by.into())
        }
        None => {
            let articles: Vec<usize> = (0..corpus.articles.len()).collect();
            timeline::count(corpus, &articles, &all, by.into())
        }
    };
    let label_w = t.bars.iter().map(|b| b.label.len()).max().unwrap_or(6).max(6);
    writeln!(out, "{:<label_w$}  {:>8}  {:>6}", "PERIOD", "ARTICLES", "EVENTS")?;
    let max = t.bars.iter().map(|b| b.articles.max(b.events)).max().unwrap_or(0).max(1);
    for b in &t.bars {
        write!(out, "{:<label_w$}  {:>8}  {:>6}", b.label, b.articles, b.events)?;
        if let Some(w) = bars_width {
            let room = w.saturating_sub(label_w + 20).max(10) as u64;
            let scale = |n: u32| ((u64::from(n) * room).div_ceil(u64::from(max))) as usize;
            write!(
                out,
                "  {}{}",
                "█".repeat(scale(b.articles)),
                if b.events > 0 { format!(" {}", "▲".repeat(scale(b.events).max(1))) } else { String::new() }
            )?;
        }
        writeln!(out)?;
    }
    if t.undated_articles > 0 || t.undated_events > 0 {
        writeln!(out, "{:<label_w$}  {:>8}  {:>6}", "undated", t.undated_articles, t.undated_events)?;
    }
    Ok(())
}

/// Bars only when stdout is a terminal (and its width).
pub fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| usize::from(w))
}
