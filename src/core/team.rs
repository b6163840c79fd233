//! What the two store backends share when the user layer is a team's: which store this run
//! uses (`--store`, `NEWSROOM_STORE`, or the settings) and as whom (`--user`, or `$USER`), who
//! made each correction, which corrections conflict with the ones already made, the change log
//! a browser follows, and the JSON-lines dump `newsroom store export|import` writes and reads.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::core::corrections::{Correction, Op};
use crate::core::extract::lexicon::name_key;

/// The store and user chosen for this run (set once by the binary from its flags).
static SELECTED: Mutex<Option<(Option<String>, Option<String>)>> = Mutex::new(None);

/// Chooses the store (`None`: the embedded SQLite file) and the user name for this run.
pub fn select(store: Option<String>, user: Option<String>) {
    let store = store.filter(|s| !s.trim().is_empty());
    let user = user.filter(|u| !u.trim().is_empty());
    if let Ok(mut s) = SELECTED.lock() {
        *s = Some((store, user));
    }
}

/// The store URL chosen for this run: the one [`select`]ed, else `NEWSROOM_STORE`.
pub fn selected_store() -> Option<String> {
    let chosen = SELECTED.lock().ok().and_then(|s| s.clone());
    match chosen {
        Some((store, _)) => store,
        None => std::env::var("NEWSROOM_STORE").ok().filter(|s| !s.trim().is_empty()),
    }
}

/// The user this run acts as: the one [`select`]ed, else `$USER`, else `me`.
pub fn user_name() -> String {
    let chosen = SELECTED.lock().ok().and_then(|s| s.clone()).and_then(|(_, u)| u);
    chosen
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "me".into())
}

/// Whether a store location names a PostgreSQL server.
pub fn is_postgres(url: &str) -> bool {
    let u = url.trim_start();
    u.starts_with("postgres://") || u.starts_with("postgresql://")
}

/// A correction with who made it (none for corrections made before stores knew).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authored {
    #[serde(flatten)]
    pub correction: Correction,
    pub who: Option<String>,
}

impl Authored {
    /// `#3 2026-11-22 merge Taliban into Afghan Taliban — ana`.
    pub fn describe(&self) -> String {
        match &self.who {
            Some(w) => format!("{} — {w}", self.correction.describe()),
            None => self.correction.describe(),
        }
    }

    fn by(&self) -> String {
        format!("by {} on {} (#{})", self.who.as_deref().unwrap_or("you"), self.correction.date, self.correction.id)
    }
}

/// What a correction did, in the past tense, for a colleague's status line: `merged X into Y`.
pub fn past(c: &Correction) -> String {
    let t = c.target.as_deref().unwrap_or("?");
    match c.op {
        Op::Merge => format!("merged {} into {t}", c.name),
        Op::Split => format!("split {} out of {t}", c.name),
        Op::Rename => format!("renamed {} to {t}", c.name),
        Op::Retype => format!("retyped {} as {t}", c.name),
        Op::Reject => format!("rejected {}", c.name),
        Op::Add => format!("added “{}” as a mention of {t}", c.name),
    }
}

/// Why `new` cannot be recorded after `existing` (oldest first), or None.
///
/// A correction conflicts when it repeats one already made (the same operation on the same
/// names), or when a name it relies on — the entity it changes, and for a merge or split the
/// entity it goes into or out of — has since been merged away, rejected or renamed (by anyone):
/// the correction was decided on a view of the entities that is no longer true.
pub fn conflict(existing: &[Authored], new: &Correction) -> Option<String> {
    let same = |a: &Option<String>, b: &Option<String>| a.as_deref().map(name_key) == b.as_deref().map(name_key);
    if let Some(dup) = existing.iter().rev().find(|a| {
        let c = &a.correction;
        c.op == new.op && name_key(&c.name) == name_key(&new.name) && same(&c.target, &new.target)
    }) {
        return Some(format!("already done: {} {}", past(&dup.correction), dup.by()));
    }
    // Names that no longer name an entity, with the correction that took each away.
    let mut gone: std::collections::HashMap<String, &Authored> = Default::default();
    for a in existing {
        let c = &a.correction;
        match c.op {
            Op::Merge | Op::Reject => {
                gone.insert(name_key(&c.name), a);
            }
            Op::Rename => {
                gone.insert(name_key(&c.name), a);
                if let Some(t) = &c.target {
                    gone.remove(&name_key(t));
                }
            }
            Op::Split | Op::Add => {
                let back = if c.op == Op::Split { Some(&c.name) } else { c.target.as_ref() };
                if let Some(n) = back {
                    gone.remove(&name_key(n));
                }
            }
            Op::Retype => {}
        }
    }
    let mut relied = Vec::new();
    if new.op != Op::Add {
        relied.push(&new.name);
    }
    if matches!(new.op, Op::Merge | Op::Split) {
        relied.extend(new.target.as_ref());
    }
    for n in relied {
        if let Some(a) = gone.get(&name_key(n)) {
            let c = &a.correction;
            let what = match c.op {
                Op::Merge => format!("{n} was merged into {}", c.target.as_deref().unwrap_or("?")),
                Op::Reject => format!("{n} was rejected"),
                _ => format!("{n} was renamed to {}", c.target.as_deref().unwrap_or("?")),
            };
            return Some(format!("{what} {}", a.by()));
        }
    }
    None
}

/// One change a colleague made to the team's layer, as the change log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub who: String,
    /// `ana merged X into Y`.
    pub said: String,
    /// Whether the collection must be indexed again (a correction).
    pub reindex: bool,
}

/// One row of a store dump (`newsroom store export`), one JSON object per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "lowercase")]
pub enum Record {
    Read {
        user: String,
        article: String,
        at: i64,
    },
    Star {
        user: String,
        article: String,
        at: i64,
    },
    Tag {
        article: String,
        tag: String,
        at: i64,
        who: Option<String>,
    },
    Note {
        article: String,
        text: String,
        at: i64,
        who: Option<String>,
    },
    Highlight {
        article: String,
        start: i64,
        end: i64,
        passage: String,
        note: Option<String>,
        at: i64,
        who: Option<String>,
    },
    Correction {
        op: String,
        kind: Option<String>,
        name: String,
        target: Option<String>,
        at: i64,
        who: Option<String>,
    },
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    /// Already in the store.
    pub present: usize,
    /// Read marks and stars of other users (an embedded store keeps one user's).
    pub others: usize,
}

/// Reads a dump; a line that is not a record is an error naming the line (nothing is imported).
pub fn parse_dump(text: &str) -> Result<Vec<Record>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: not a store record ({e})", i + 1)))
        .collect()
}

/// Writes a dump, one record per line.
pub fn write_dump(records: &[Record], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extract::Kind;

    fn c(id: i64, op: Op, name: &str, target: Option<&str>, who: &str) -> Authored {
        Authored {
            correction: Correction {
                id,
                op,
                kind: Some(Kind::Organization),
                name: name.into(),
                target: target.map(Into::into),
                date: "2026-11-22".into(),
            },
            who: Some(who.into()),
        }
    }

    #[test]
    fn stale_and_repeated_merges_conflict() {
        let merge = c(0, Op::Merge, "Taliban", Some("Afghan Taliban"), "ben").correction;
        assert_eq!(conflict(&[], &merge), None);
        let twice = conflict(&[c(1, Op::Merge, "taliban", Some("Afghan Taliban"), "ana")], &merge).unwrap();
        assert!(twice.contains("already done") && twice.contains("ana") && twice.contains("#1"), "{twice}");
        let rejected = conflict(&[c(2, Op::Reject, "Afghan Taliban", None, "ana")], &merge).unwrap();
        assert!(rejected.starts_with("Afghan Taliban was rejected by ana"), "{rejected}");
        let renamed = conflict(&[c(3, Op::Rename, "Afghan Taliban", Some("The Taliban"), "ana")], &merge).unwrap();
        assert!(renamed.contains("renamed to The Taliban"), "{renamed}");
        let elsewhere = conflict(&[c(4, Op::Merge, "Taliban", Some("TTP"), "ana")], &merge).unwrap();
        assert!(elsewhere.contains("merged into TTP"), "{elsewhere}");
        // A name renamed back, or given back by a split, is an entity again.
        let back = [
            c(5, Op::Rename, "Afghan Taliban", Some("X"), "ana"),
            c(6, Op::Rename, "X", Some("Afghan Taliban"), "ana"),
        ];
        assert_eq!(conflict(&back, &merge), None);
        // Unrelated corrections do not conflict.
        assert_eq!(conflict(&[c(7, Op::Reject, "Kabul", None, "ana")], &merge), None);
    }

    #[test]
    fn dumps_read_back_and_bad_lines_are_named() {
        let records = vec![
            Record::Read { user: "ana".into(), article: "a".into(), at: 1 },
            Record::Correction {
                op: "merge".into(),
                kind: None,
                name: "X".into(),
                target: Some("Y".into()),
                at: 2,
                who: Some("ben".into()),
            },
        ];
        let mut out = Vec::new();
        write_dump(&records, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(parse_dump(&text).unwrap(), records);
        let bad = parse_dump(&format!("{text}{{\"table\":\"nope\"}}\n")).unwrap_err();
        assert!(bad.starts_with("line 3:"), "{bad}");
    }
}
