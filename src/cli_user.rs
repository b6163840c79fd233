//! The command line of the user's own layer: entity corrections (`newsroom entity …`) and
//! stars, tags and notes (`star`, `tag`, `untag`, `note`, `notes`).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde::Serialize;

use crate::cli::{find_article, open_reporting, open_store, CliError, Cmd, EntityCmd, Format, LoadArgs, NotesFormat};
use crate::core::corpus::Corpus;
use crate::core::corrections::{Correction, Op};
use crate::core::index::Entity;
use crate::core::store::{ArticleUser, UserStore};
use crate::core::text::display_safe;

fn sql(e: crate::core::store::StoreError) -> CliError {
    CliError::Message(format!("your store: {e}"))
}

/// The one entity `name` names (any alias, case and accents aside); several is an error that
/// lists them.
pub fn resolve<'a>(corpus: &'a Corpus, name: &str) -> Result<&'a Entity, CliError> {
    let found = corpus.index.find(name);
    match found.as_slice() {
        [one] => Ok(corpus.entity(*one)),
        [] => Err(CliError::Message(match rejected_by_you(name) {
            Some(c) => format!(
                "{:?} is not an entity: you rejected it ({}); `newsroom entity undo {}` brings it back",
                display_safe(name),
                display_safe(&c.describe()),
                c.id
            ),
            None => format!("no entity is named {:?}", display_safe(name)),
        })),
        many => Err(CliError::Message(format!(
            "{:?} names {} entities; use one of their other names: {}",
            display_safe(name),
            many.len(),
            many.iter()
                .map(|&e| {
                    let e = corpus.entity(e);
                    let other = e.aliases.iter().find(|a| a.name != e.name).map(|a| format!(", also {}", a.name));
                    format!(
                        "{} ({}, {} articles{})",
                        display_safe(&e.name),
                        e.kind.as_str(),
                        e.articles,
                        other.unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// The user's rejection of `name`, if that is why no entity has the name.
fn rejected_by_you(name: &str) -> Option<Correction> {
    let key = crate::core::extract::lexicon::name_key(name);
    let (store, _) = UserStore::open_selected();
    let list = store.corrections().ok()?;
    list.into_iter().rev().find(|c| c.op == Op::Reject && crate::core::extract::lexicon::name_key(&c.name) == key)
}

fn correction(op: Op, e: &Entity, name: &str, target: Option<String>) -> Correction {
    Correction { id: 0, op, kind: Some(e.kind), name: name.to_string(), target, date: String::new() }
}

pub fn run_entity(op: &EntityCmd, load: &LoadArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let new = match op {
        EntityCmd::Merge { name, into, paths } => {
            let corpus = open_reporting(paths, load)?;
            let (a, b) = (resolve(&corpus, name)?, resolve(&corpus, into)?);
            if a.id == b.id {
                return Err(CliError::Message(format!("{} and {} are already one entity", name, into)));
            }
            correction(Op::Merge, a, &a.name, Some(b.name.clone()))
        }
        EntityCmd::Split { alias, from, paths } => {
            let corpus = open_reporting(paths, load)?;
            let e = resolve(&corpus, from)?;
            let key = crate::core::extract::lexicon::name_key(alias);
            let Some(a) = e.aliases.iter().find(|a| crate::core::extract::lexicon::name_key(&a.name) == key) else {
                return Err(CliError::Message(format!(
                    "{:?} is not a name of {}; its names: {}",
                    display_safe(alias),
                    display_safe(&e.name),
                    e.aliases.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")
                )));
            };
            if e.aliases.len() < 2 {
                return Err(CliError::Message(format!("{} has no other name to split from", e.name)));
            }
            correction(Op::Split, e, &a.name, Some(e.name.clone()))
        }
        EntityCmd::Rename { name, new_name, paths } => {
            let corpus = open_reporting(paths, load)?;
            let e = resolve(&corpus, name)?;
            if new_name.trim().is_empty() || crate::core::extract::lexicon::name_key(new_name).is_empty() {
                return Err(CliError::Message("the new name is empty".into()));
            }
            correction(Op::Rename, e, &e.name, Some(new_name.trim().to_string()))
        }
        EntityCmd::Retype { name, kind, paths } => {
            let corpus = open_reporting(paths, load)?;
            let e = resolve(&corpus, name)?;
            correction(Op::Retype, e, &e.name, Some(kind.as_str().to_string()))
        }
        EntityCmd::Reject { name, paths } => {
            let corpus = open_reporting(paths, load)?;
            let e = resolve(&corpus, name)?;
            correction(Op::Reject, e, &e.name, None)
        }
        EntityCmd::Add { text, name, paths, kind } => {
            let corpus = open_reporting(paths, load)?;
            if crate::core::extract::lexicon::name_key(text).is_empty() {
                return Err(CliError::Message("the text is empty".into()));
            }
            let (kind, target) = match corpus.index.find(name).as_slice() {
                [] => (*kind, name.trim().to_string()),
                _ => {
                    let e = resolve(&corpus, name)?;
                    (e.kind, e.name.clone())
                }
            };
            Correction {
                id: 0,
                op: Op::Add,
                kind: Some(kind),
                name: text.trim().to_string(),
                target: Some(target),
                date: String::new(),
            }
        }
        EntityCmd::Corrections { format, .. } => {
            let list = open_store()?.authored().map_err(sql)?;
            return match format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut *out, &list).map_err(std::io::Error::from)?;
                    writeln!(out)?;
                    Ok(())
                }
                Format::Table => {
                    for c in &list {
                        writeln!(out, "{}", display_safe(&c.describe()))?;
                    }
                    Ok(())
                }
                Format::Csv | Format::Jsonl => {
                    Err(crate::cli::unsupported_format("entity corrections", *format, "table or json"))
                }
            };
        }
        EntityCmd::Undo { id, .. } => {
            let mut store = open_store()?;
            return match store.undo_correction(*id).map_err(sql)? {
                Some(c) => {
                    writeln!(out, "undone: {}", display_safe(&c.describe()))?;
                    Ok(())
                }
                None => {
                    Err(CliError::Message(format!("there is no correction #{id} (see `newsroom entity corrections`)")))
                }
            };
        }
        EntityCmd::Import { file, .. } => {
            let bytes = std::fs::read(file).map_err(|e| CliError::Message(format!("{}: {e}", file.display())))?;
            let list: Vec<Correction> = serde_json::from_slice(&bytes)
                .map_err(|e| CliError::Message(format!("{}: not a list of corrections ({e})", file.display())))?;
            let mut store = open_store()?;
            let ids = store.add_corrections(&list).map_err(sql)?;
            writeln!(out, "imported {} correction{}", ids.len(), if ids.len() == 1 { "" } else { "s" })?;
            return Ok(());
        }
    };
    let mut store = open_store()?;
    let id = store.add_corrections(std::slice::from_ref(&new)).map_err(sql)?[0];
    let stored = store.authored().map_err(sql)?.into_iter().find(|a| a.correction.id == id);
    let stored = stored.unwrap_or(crate::core::team::Authored { correction: new, who: Some(store.user.clone()) });
    writeln!(out, "{}", display_safe(&stored.describe()))?;
    Ok(())
}

pub fn run_article(cmd: &Cmd, load: &LoadArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        Cmd::Star { article, paths, unstar } => {
            let corpus = open_reporting(paths, load)?;
            let id = &corpus.articles[find_article(&corpus.articles, article)?].id;
            open_store()?.set_star(id, !unstar).map_err(sql)?;
            writeln!(out, "{}: {id}", if *unstar { "unstarred" } else { "starred" })?;
        }
        Cmd::Tag { article, tags, paths } => {
            let corpus = open_reporting(paths, load)?;
            let id = &corpus.articles[find_article(&corpus.articles, article)?].id;
            let added = open_store()?.add_tags(id, tags).map_err(sql)?;
            writeln!(out, "tagged {id}: {}", display_safe(&added.join(", ")))?;
        }
        Cmd::Untag { article, tag, paths } => {
            let corpus = open_reporting(paths, load)?;
            let id = &corpus.articles[find_article(&corpus.articles, article)?].id;
            if !open_store()?.remove_tag(id, tag).map_err(sql)? {
                return Err(CliError::Message(format!("{id} has no tag {:?}", display_safe(tag))));
            }
            writeln!(out, "untagged {id}: {}", display_safe(tag))?;
        }
        Cmd::Note { article, text, paths } => {
            let corpus = open_reporting(paths, load)?;
            let id = &corpus.articles[find_article(&corpus.articles, article)?].id;
            let text = if text == "-" {
                let mut s = String::new();
                std::io::stdin().take(1 << 20).read_to_string(&mut s)?;
                s.trim_end().to_string()
            } else {
                text.clone()
            };
            open_store()?.set_note(id, &text).map_err(sql)?;
            writeln!(out, "{} {id}", if text.trim().is_empty() { "note removed:" } else { "noted:" })?;
        }
        Cmd::Notes { paths, format } => {
            let corpus = open_reporting(paths, load)?;
            let store = open_store()?;
            write_notes(&corpus, &store, *format, out)?;
        }
        _ => {}
    }
    Ok(())
}

#[derive(Serialize)]
struct NoteRow<'a> {
    id: &'a str,
    title: &'a str,
    path: &'a str,
    date: Option<&'a str>,
    #[serde(flatten)]
    user: &'a ArticleUser,
    note_date: Option<&'a str>,
}

/// Every note and highlight of the collection's articles, in collection order.
fn write_notes(corpus: &Corpus, store: &UserStore, format: NotesFormat, out: &mut dyn Write) -> Result<(), CliError> {
    let users = store.articles().map_err(sql)?;
    let dates: BTreeMap<String, String> = store.note_dates().map_err(sql)?;
    let rows: Vec<NoteRow<'_>> = corpus
        .articles
        .iter()
        .filter_map(|a| {
            let u = users.get(&a.id).filter(|u| u.note.is_some() || !u.highlights.is_empty())?;
            Some(NoteRow {
                id: &a.id,
                title: &a.title,
                path: &a.path,
                date: a.date.as_deref(),
                user: u,
                note_date: dates.get(&a.id).map(String::as_str),
            })
        })
        .collect();
    match format {
        NotesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        NotesFormat::Markdown => {
            for r in &rows {
                writeln!(out, "## {}\n", display_safe(r.title))?;
                let mut meta =
                    vec![format!("`{}`", &r.id[..crate::cli::SHORT_ID.min(r.id.len())]), display_safe(r.path)];
                meta.extend(r.date.map(str::to_string));
                if r.user.star {
                    meta.push("★".into());
                }
                if !r.user.tags.is_empty() {
                    meta.push(r.user.tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" "));
                }
                writeln!(out, "{}\n", meta.join(" · "))?;
                if let Some(n) = &r.user.note {
                    writeln!(
                        out,
                        "{}{}\n",
                        display_safe(n),
                        r.note_date.map(|d| format!(" ({d})")).unwrap_or_default()
                    )?;
                }
                for h in &r.user.highlights {
                    for line in h.passage.lines() {
                        writeln!(out, "> {}", display_safe(line))?;
                    }
                    match &h.note {
                        Some(n) => writeln!(out, "\n{} ({})\n", display_safe(n), h.date)?,
                        None => writeln!(out, "\n({})\n", h.date)?,
                    }
                }
            }
        }
    }
    Ok(())
}

/// What the user keeps of each article, for `list --format json` and `export`.
pub fn user_layer() -> BTreeMap<String, ArticleUser> {
    let Some((store, message)) = UserStore::open_selected_existing() else {
        return BTreeMap::new();
    };
    if let Some(m) = message {
        eprintln!("newsroom: {}", display_safe(&m));
    }
    store.articles().unwrap_or_default()
}
