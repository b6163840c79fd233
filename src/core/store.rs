//! The user's own layer, kept in one SQLite file in the XDG data directory: read marks, stars,
//! tags, notes, highlights and entity corrections. Every write is one transaction (WAL, so a
//! kill at any moment leaves the last committed state), two newsroom processes share the file
//! (busy timeout), the schema is versioned (`PRAGMA user_version`) and migrated on open, and a
//! damaged file is moved aside with a timestamp and said — never silently replaced.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::core::corrections::{Correction, Op};
use crate::core::extract::Kind;

/// The schema version this build writes.
const SCHEMA: i64 = 1;
/// How long a write waits for another newsroom's transaction to finish.
const BUSY: Duration = Duration::from_secs(10);

const MIGRATIONS: &[&str] = &[
    // 0 → 1
    "CREATE TABLE read (article TEXT PRIMARY KEY, at INTEGER NOT NULL);
     CREATE TABLE star (article TEXT PRIMARY KEY, at INTEGER NOT NULL);
     CREATE TABLE tag (article TEXT NOT NULL, tag TEXT NOT NULL, at INTEGER NOT NULL,
                       PRIMARY KEY (article, tag));
     CREATE TABLE note (article TEXT PRIMARY KEY, text TEXT NOT NULL, at INTEGER NOT NULL);
     CREATE TABLE highlight (id INTEGER PRIMARY KEY, article TEXT NOT NULL, start INTEGER NOT NULL,
                             end INTEGER NOT NULL, passage TEXT NOT NULL, note TEXT,
                             at INTEGER NOT NULL);
     CREATE INDEX highlight_article ON highlight (article);
     CREATE TABLE correction (id INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, kind TEXT, name TEXT NOT NULL,
                              target TEXT, at INTEGER NOT NULL);
     CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
];

/// `$XDG_DATA_HOME/newsroom/user.sqlite` (usually `~/.local/share/newsroom/user.sqlite`), beside
/// the read marks of earlier versions.
pub fn default_store_path() -> Option<PathBuf> {
    super::settings::dirs().data.map(|d| d.join("user.sqlite"))
}

/// Seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// `YYYY-MM-DD` of a time in seconds since 1970 (UTC).
pub fn date_of(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYYMMDD-HHMMSS` (UTC), for names of files kept aside.
fn stamp(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}{m:02}{d:02}-{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Message(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A passage of an article the user highlighted, with an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub id: i64,
    pub article: String,
    /// Byte offsets into the article's body.
    pub start: usize,
    pub end: usize,
    pub passage: String,
    pub note: Option<String>,
    pub date: String,
}

/// What the user keeps of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleUser {
    pub star: bool,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub highlights: Vec<Highlight>,
}

/// The user's store. Without a file (no data directory) it keeps nothing and says so.
#[derive(Debug)]
pub struct UserStore {
    conn: Option<Connection>,
    pub path: Option<PathBuf>,
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

impl UserStore {
    /// A store that keeps nothing (tests, or no data directory).
    pub fn memory() -> UserStore {
        let conn = Connection::open_in_memory().ok().and_then(|mut c| migrate(&mut c, None).ok().map(|()| c));
        UserStore { conn, path: None }
    }

    /// Opens (creating) the store at `path`. A damaged file is moved aside as
    /// `user.sqlite.damaged-YYYYMMDD-HHMMSS` and an empty store started; the returned message
    /// says so. Read marks of earlier versions (`read.json` beside it) are imported once.
    pub fn open(path: Option<PathBuf>) -> (UserStore, Option<String>) {
        let Some(path) = path else { return (UserStore::memory(), None) };
        match open_file(&path) {
            Ok(conn) => (UserStore { conn: Some(conn), path: Some(path) }, None),
            Err(e) if damaged(&e) => {
                let aside = keep_aside(&path);
                let what = match &aside {
                    Ok(to) => format!("kept as {}", to.display()),
                    Err(err) => format!("could not be moved aside ({err})"),
                };
                let message = format!("your store {} was damaged ({e}); {what}; starting an empty one", path.display());
                match aside.ok().and_then(|_| open_file(&path).ok()) {
                    Some(conn) => (UserStore { conn: Some(conn), path: Some(path) }, Some(message)),
                    None => (UserStore { conn: None, path: Some(path) }, Some(message)),
                }
            }
            Err(e) => (
                UserStore { conn: None, path: Some(path.clone()) },
                Some(format!("cannot open your store {} ({e}); nothing will be saved this run", path.display())),
            ),
        }
    }

    /// Opens the store at its usual place, saying on stderr what went wrong.
    pub fn open_default() -> UserStore {
        let (store, message) = UserStore::open(default_store_path());
        if let Some(m) = message {
            eprintln!("newsroom: {}", crate::core::text::display_safe(&m));
        }
        store
    }

    fn conn(&self) -> Result<&Connection> {
        self.conn.as_ref().ok_or_else(|| StoreError::Message("the store is not open".into()))
    }

    /// Runs `f` in one immediate transaction, committed when it returns Ok.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let conn = self.conn.as_mut().ok_or_else(|| StoreError::Message("the store is not open".into()))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn is_open(&self) -> bool {
        self.conn.is_some()
    }

    // ---- read marks ----

    pub fn read_marks(&self) -> Result<HashSet<String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM read")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Marks and unmarks in one transaction; returns every mark as it now is (another
    /// newsroom's included).
    pub fn set_read(&mut self, add: &[String], remove: &[String]) -> Result<HashSet<String>> {
        let at = now();
        self.write(|tx| {
            for id in add {
                tx.execute("INSERT OR IGNORE INTO read (article, at) VALUES (?1, ?2)", params![id, at])?;
            }
            for id in remove {
                tx.execute("DELETE FROM read WHERE article = ?1", params![id])?;
            }
            Ok(())
        })?;
        self.read_marks()
    }

    // ---- stars, tags, notes, highlights ----

    /// Stars or unstars an article; returns whether it was starred before.
    pub fn set_star(&mut self, article: &str, star: bool) -> Result<bool> {
        let at = now();
        self.write(|tx| {
            let was =
                tx.query_row("SELECT 1 FROM star WHERE article = ?1", [article], |_| Ok(())).optional()?.is_some();
            if star {
                tx.execute("INSERT OR IGNORE INTO star (article, at) VALUES (?1, ?2)", params![article, at])?;
            } else {
                tx.execute("DELETE FROM star WHERE article = ?1", [article])?;
            }
            Ok(was)
        })
    }

    pub fn starred(&self) -> Result<HashSet<String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM star")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Adds tags; returns those that were new.
    pub fn add_tags(&mut self, article: &str, tags: &[String]) -> Result<Vec<String>> {
        let at = now();
        self.write(|tx| {
            let mut added = Vec::new();
            for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                if tx.execute(
                    "INSERT OR IGNORE INTO tag (article, tag, at) VALUES (?1, ?2, ?3)",
                    params![article, t, at],
                )? > 0
                {
                    added.push(t.to_string());
                }
            }
            Ok(added)
        })
    }

    /// Removes a tag; returns whether it was there.
    pub fn remove_tag(&mut self, article: &str, tag: &str) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute("DELETE FROM tag WHERE article = ?1 AND tag = ?2", params![article, tag.trim()])? > 0)
        })
    }

    /// Articles with this tag (case-insensitive), for the search language's `tag:`.
    pub fn articles_with_tag(&self, tag: &str) -> Result<HashSet<String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM tag WHERE lower(tag) = lower(?1)")?;
        let rows = st.query_map([tag.trim()], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every tag in use, for completion.
    pub fn all_tags(&self) -> Result<Vec<String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT DISTINCT tag FROM tag ORDER BY tag")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Sets (or with an empty text, removes) an article's note; returns the note it replaced.
    pub fn set_note(&mut self, article: &str, text: &str) -> Result<Option<String>> {
        let at = now();
        self.write(|tx| {
            let old: Option<String> =
                tx.query_row("SELECT text FROM note WHERE article = ?1", [article], |r| r.get(0)).optional()?;
            if text.trim().is_empty() {
                tx.execute("DELETE FROM note WHERE article = ?1", [article])?;
            } else {
                tx.execute(
                    "INSERT INTO note (article, text, at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (article) DO UPDATE SET text = excluded.text, at = excluded.at",
                    params![article, text, at],
                )?;
            }
            Ok(old)
        })
    }

    /// Adds a highlight; returns its id.
    pub fn add_highlight(
        &mut self,
        article: &str,
        (start, end): (usize, usize),
        passage: &str,
        note: Option<&str>,
    ) -> Result<i64> {
        let at = now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO highlight (article, start, end, passage, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![article, start as i64, end as i64, passage, note.filter(|n| !n.trim().is_empty()), at],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    pub fn remove_highlight(&mut self, id: i64) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM highlight WHERE id = ?1", [id])? > 0))
    }

    /// What the user keeps of every article that has anything, by article id.
    pub fn articles(&self) -> Result<BTreeMap<String, ArticleUser>> {
        let conn = self.conn()?;
        let mut out: BTreeMap<String, ArticleUser> = BTreeMap::new();
        let mut st = conn.prepare("SELECT article FROM star")?;
        for id in st.query_map([], |r| r.get::<_, String>(0))? {
            out.entry(id?).or_default().star = true;
        }
        let mut st = conn.prepare("SELECT article, tag FROM tag ORDER BY article, tag")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, tag) = row?;
            out.entry(id).or_default().tags.push(tag);
        }
        let mut st = conn.prepare("SELECT article, text FROM note")?;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, text) = row?;
            out.entry(id).or_default().note = Some(text);
        }
        let mut st = conn
            .prepare("SELECT id, article, start, end, passage, note, at FROM highlight ORDER BY article, start, id")?;
        for row in st.query_map([], |r| {
            Ok(Highlight {
                id: r.get(0)?,
                article: r.get(1)?,
                start: r.get::<_, i64>(2)?.max(0) as usize,
                end: r.get::<_, i64>(3)?.max(0) as usize,
                passage: r.get(4)?,
                note: r.get(5)?,
                date: date_of(r.get(6)?),
            })
        })? {
            let h = row?;
            out.entry(h.article.clone()).or_default().highlights.push(h);
        }
        Ok(out)
    }

    /// When each note was last written, by article id.
    pub fn note_dates(&self) -> Result<BTreeMap<String, String>> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article, at FROM note")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, date_of(r.get(1)?))))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // ---- entity corrections ----

    /// Every correction, oldest first (the order they are applied in).
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        let Some(conn) = &self.conn else { return Ok(Vec::new()) };
        let mut st = conn.prepare("SELECT id, op, kind, name, target, at FROM correction ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, op, kind, name, target, at) = row?;
            // A row this version does not understand (written by a newer one) is left alone.
            if let Some(op) = Op::parse(&op) {
                out.push(Correction {
                    id,
                    op,
                    kind: kind.as_deref().and_then(Kind::parse),
                    name,
                    target,
                    date: date_of(at),
                });
            }
        }
        Ok(out)
    }

    /// Records corrections (their ids are ignored); returns the new ids.
    pub fn add_corrections(&mut self, list: &[Correction]) -> Result<Vec<i64>> {
        let at = now();
        self.write(|tx| {
            let mut ids = Vec::new();
            for c in list {
                tx.execute(
                    "INSERT INTO correction (op, kind, name, target, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![c.op.as_str(), c.kind.map(Kind::as_str), c.name, c.target, at],
                )?;
                ids.push(tx.last_insert_rowid());
            }
            Ok(ids)
        })
    }

    /// Undoes (removes) a correction; returns it, or None when there is no such one.
    pub fn undo_correction(&mut self, id: i64) -> Result<Option<Correction>> {
        let found = self.corrections()?.into_iter().find(|c| c.id == id);
        if found.is_some() {
            self.write(|tx| Ok(tx.execute("DELETE FROM correction WHERE id = ?1", [id])?))?;
        }
        Ok(found)
    }
}

/// Whether an open failed because the file is not a (whole) database.
fn damaged(e: &StoreError) -> bool {
    match e {
        StoreError::Sql(e) => is_damage(e),
        StoreError::Message(m) => m.starts_with("integrity:"),
        StoreError::Io(_) => false,
    }
}

/// Moves a damaged store (and its WAL and shared-memory files) aside.
fn keep_aside(path: &Path) -> std::io::Result<PathBuf> {
    let name = path.file_name().map_or_else(|| "user.sqlite".into(), |n| n.to_string_lossy().into_owned());
    let mut to = path.with_file_name(format!("{name}.damaged-{}", stamp(now())));
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = path.with_file_name(format!("{name}.damaged-{}-{n}", stamp(now())));
    }
    std::fs::rename(path, &to)?;
    for ext in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{ext}"));
        if side.exists() {
            let _ = std::fs::rename(
                &side,
                to.with_file_name(format!("{}{ext}", to.file_name().unwrap_or_default().to_string_lossy())),
            );
        }
    }
    Ok(to)
}

fn open_file(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY)?;
    // Garbage is found here: the header is read on the first statement.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Message(format!("cannot use a write-ahead log (journal mode {mode})")));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Message(format!("integrity: {check}")));
    }
    let legacy = path.with_file_name("read.json");
    migrate(&mut conn, Some(&legacy))?;
    Ok(conn)
}

/// Brings the schema up to date, each step in one transaction; a store written by a newer
/// newsroom is refused rather than changed.
fn migrate(conn: &mut Connection, legacy_read: Option<&Path>) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA {
        return Err(StoreError::Message(format!(
            "the store was written by a newer newsroom (schema {version}; this one knows {SCHEMA})"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        if i == 0 {
            import_read_json(&tx, legacy_read)?;
        }
    }
    if version < SCHEMA {
        tx.pragma_update(None, "user_version", SCHEMA)?;
    }
    tx.commit()?;
    Ok(())
}

/// Imports the read marks of earlier versions once; `read.json` is left where it was, as a
/// backup.
fn import_read_json(tx: &rusqlite::Transaction<'_>, path: Option<&Path>) -> Result<()> {
    let Some(path) = path.filter(|p| p.exists()) else { return Ok(()) };
    let (marks, warning) = crate::core::state::load_read(path);
    if let Some(w) = warning {
        eprintln!("newsroom: {}", crate::core::text::display_safe(&w));
    }
    let at = now();
    for id in &marks {
        tx.execute("INSERT OR IGNORE INTO read (article, at) VALUES (?1, ?2)", params![id, at])?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('read_json_imported', ?1)",
        params![format!("{} marks on {}", marks.len(), date_of(at))],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dir: &Path) -> UserStore {
        let (s, m) = UserStore::open(Some(dir.join("user.sqlite")));
        assert!(m.is_none(), "{m:?}");
        s
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_700_000_000), "2023-11-14");
        assert_eq!(stamp(1_700_000_000), "20231114-221320");
    }

    #[test]
    fn marks_stars_tags_notes_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut s = open(dir.path());
            s.set_read(&["a".into(), "b".into()], &[]).unwrap();
            s.set_read(&[], &["b".into()]).unwrap();
            assert!(!s.set_star("a", true).unwrap());
            assert_eq!(s.add_tags("a", &["flood".into(), "sindh".into(), "flood".into()]).unwrap(), ["flood", "sindh"]);
            assert!(s.remove_tag("a", "sindh").unwrap());
            assert_eq!(s.set_note("a", "check the figures").unwrap(), None);
            s.add_highlight("a", (3, 9), "passage", Some("why")).unwrap();
        }
        let s = open(dir.path());
        assert_eq!(s.read_marks().unwrap(), HashSet::from(["a".to_string()]));
        let a = &s.articles().unwrap()["a"];
        assert!(a.star);
        assert_eq!(a.tags, ["flood"]);
        assert_eq!(a.note.as_deref(), Some("check the figures"));
        assert_eq!(a.highlights[0].passage, "passage");
        assert_eq!(a.highlights[0].note.as_deref(), Some("why"));
        assert_eq!(s.articles_with_tag("FLOOD").unwrap(), HashSet::from(["a".to_string()]));
        assert_eq!(s.starred().unwrap().len(), 1);
    }

    #[test]
    fn read_json_is_imported_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = dir.path().join("read.json");
        crate::core::state::save_read(&legacy, &HashSet::from(["x".to_string(), "y".to_string()])).unwrap();
        let mut s = open(dir.path());
        assert_eq!(s.read_marks().unwrap().len(), 2);
        s.set_read(&[], &["x".into()]).unwrap();
        drop(s);
        assert!(legacy.exists(), "kept as a backup");
        let s = open(dir.path());
        assert_eq!(s.read_marks().unwrap(), HashSet::from(["y".to_string()]), "not imported again");
    }

    #[test]
    fn garbage_and_truncated_stores_are_kept_aside_and_said() {
        for damage in ["garbage", "truncated"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("user.sqlite");
            let bytes = if damage == "garbage" {
                b"this is not a database at all, just some bytes that were here".repeat(100)
            } else {
                {
                    let mut s = open(dir.path());
                    let ids: Vec<String> = (0..2000).map(|i| format!("article-{i:05}")).collect();
                    s.set_read(&ids, &[]).unwrap();
                }
                let whole = std::fs::read(&path).unwrap();
                whole[..whole.len() / 3].to_vec()
            };
            std::fs::write(&path, &bytes).unwrap();
            let _ = std::fs::remove_file(dir.path().join("user.sqlite-wal"));
            let (mut s, message) = UserStore::open(Some(path.clone()));
            let message = message.unwrap_or_else(|| panic!("{damage}: the damage is said"));
            assert!(message.contains("damaged"), "{message}");
            assert!(s.is_open(), "an empty store is started");
            assert!(s.read_marks().unwrap().is_empty());
            s.set_star("a", true).unwrap();
            let kept: Vec<PathBuf> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().contains(".damaged-"))
                .collect();
            assert_eq!(kept.len(), 1, "{damage}: {kept:?}");
            assert_eq!(std::fs::read(&kept[0]).unwrap(), bytes, "{damage}: kept as it was");
        }
    }

    #[test]
    fn two_processes_share_the_store() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let dir = dir.path().to_path_buf();
                s.spawn(move || {
                    let mut store = open(&dir);
                    for i in 0..25 {
                        store.set_read(&[format!("{t}-{i}")], &[]).unwrap();
                        store.add_tags(&format!("{t}-{i}"), &[format!("t{t}")]).unwrap();
                    }
                });
            }
        });
        let s = open(dir.path());
        assert_eq!(s.read_marks().unwrap().len(), 100);
        assert_eq!(s.articles_with_tag("t3").unwrap().len(), 25);
    }

    #[test]
    fn a_store_from_a_newer_version_is_not_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("user.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let (s, message) = UserStore::open(Some(path.clone()));
        assert!(!s.is_open());
        assert!(message.unwrap().contains("newer newsroom"));
        let c = Connection::open(&path).unwrap();
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        let tables: i64 = c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
        assert_eq!((version, tables), (99, 0), "left as it was");
    }

    #[test]
    fn corrections_are_listed_and_undone() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = open(dir.path());
        let c = Correction {
            id: 0,
            op: Op::Merge,
            kind: Some(Kind::Organization),
            name: "Taliban".into(),
            target: Some("Afghan Taliban".into()),
            date: String::new(),
        };
        let ids = s.add_corrections(&[c.clone(), Correction { op: Op::Reject, target: None, ..c.clone() }]).unwrap();
        assert_eq!(s.corrections().unwrap().len(), 2);
        assert_eq!(s.undo_correction(ids[0]).unwrap().unwrap().op, Op::Merge);
        assert_eq!(s.undo_correction(ids[0]).unwrap(), None);
        let left = s.corrections().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].op, Op::Reject);
        assert_eq!(left[0].date, date_of(now()));
    }
}
