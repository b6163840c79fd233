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
use crate::core::team::{self, Authored, Imported, Record};

/// The schema version this build writes.
const SCHEMA: i64 = 3;
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
    // 1 → 2: where the reader was in each article (the first body byte on screen); the one
    // written last is the article reopened at the next start.
    "CREATE TABLE position (article TEXT PRIMARY KEY, byte INTEGER NOT NULL, at INTEGER NOT NULL);",
    // 2 → 3: who made each change (the same store format as the team's).
    "ALTER TABLE tag ADD COLUMN who TEXT;
     ALTER TABLE note ADD COLUMN who TEXT;
     ALTER TABLE highlight ADD COLUMN who TEXT;
     ALTER TABLE correction ADD COLUMN who TEXT;",
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
    /// A change that conflicts with one already made (see [`crate::core::team::conflict`]).
    #[error("conflict: {0}")]
    Conflict(String),
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

/// The user's store. Without a file (no data directory) it keeps nothing and says so. With a
/// team store (`--store postgres://…`) the same methods read and write the team's server.
#[derive(Debug)]
pub struct UserStore {
    conn: Option<Connection>,
    pub path: Option<PathBuf>,
    /// The team's store, when this run uses one: every method here reads and writes it (`conn`
    /// is then the local file or none, for what is each machine's own: see [`Self::open_for`]).
    pg: Option<crate::core::store_pg::PgStore>,
    /// Who this run is: recorded with every change.
    pub user: String,
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
        let conn = Connection::open_in_memory().ok().and_then(|mut c| migrate(&mut c, None).ok().map(|_| c));
        UserStore { conn, path: None, pg: None, user: team::user_name() }
    }

    /// Opens (creating) the store at `path`. A damaged file is moved aside as
    /// `user.sqlite.damaged-YYYYMMDD-HHMMSS` and an empty store started; the returned message
    /// says so. Read marks of earlier versions (`read.json` beside it) are imported once.
    pub fn open(path: Option<PathBuf>) -> (UserStore, Option<String>) {
        let Some(path) = path else { return (UserStore::memory(), None) };
        match open_file(&path) {
            Ok((conn, warning)) => (UserStore::sqlite(Some(conn), Some(path)), warning),
            Err(e) if damaged(&e) => {
                let aside = keep_aside(&path);
                let what = match &aside {
                    Ok(to) => format!("kept as {}", to.display()),
                    Err(err) => format!("could not be moved aside ({err})"),
                };
                let message = format!("your store {} was damaged ({e}); {what}; starting an empty one", path.display());
                match aside.ok().and_then(|_| open_file(&path).ok()) {
                    Some((conn, _)) => (UserStore::sqlite(Some(conn), Some(path)), Some(message)),
                    None => (UserStore::sqlite(None, Some(path)), Some(message)),
                }
            }
            Err(e) => (
                UserStore::sqlite(None, Some(path.clone())),
                Some(format!("cannot open your store {} ({e}); nothing will be saved this run", path.display())),
            ),
        }
    }

    fn sqlite(conn: Option<Connection>, path: Option<PathBuf>) -> UserStore {
        UserStore { conn, path, pg: None, user: team::user_name() }
    }

    /// Opens the store a location names, as `user` (default: `$USER`): a `postgres://` or
    /// `postgresql://` URL is a team's store on PostgreSQL (connected, its schema migrated);
    /// anything else is a SQLite file; none is the usual SQLite file. What went wrong is
    /// returned as a message, with a store that keeps nothing.
    pub fn open_url(url: Option<&str>, user: Option<&str>) -> (UserStore, Option<String>) {
        let user = user.map(str::trim).filter(|u| !u.is_empty()).map_or_else(team::user_name, str::to_string);
        let (mut store, message) = match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if team::is_postgres(url) => match crate::core::store_pg::PgStore::connect(url, &user) {
                Ok(pg) => (UserStore { conn: None, path: None, pg: Some(pg), user: user.clone() }, None),
                Err(e) => (
                    UserStore::sqlite(None, None),
                    Some(format!(
                        "cannot open the team store {} ({e}); nothing will be saved this run",
                        crate::core::store_pg::shown(url)
                    )),
                ),
            },
            Some(path) => UserStore::open(Some(PathBuf::from(path.strip_prefix("sqlite:").unwrap_or(path)))),
            None => UserStore::open(default_store_path()),
        };
        store.user = user;
        (store, message)
    }

    /// Opens the store chosen for this run ([`team::select`], `NEWSROOM_STORE`), else the
    /// usual SQLite file.
    pub fn open_selected() -> (UserStore, Option<String>) {
        UserStore::open_url(team::selected_store().as_deref(), None)
    }

    /// The store chosen for this run when it is a team's, else the SQLite file at `path`. With
    /// a team's store the file at `path` is opened beside it, for what is each machine's own
    /// (the browser's UI state), never for the team's layer.
    pub fn open_for(path: Option<PathBuf>) -> (UserStore, Option<String>) {
        match team::selected_store() {
            Some(url) => {
                let (mut store, message) = UserStore::open_url(Some(&url), None);
                if store.is_team() {
                    store.conn = path.as_deref().and_then(|p| open_file(p).ok()).map(|(conn, _)| conn);
                    store.path = path;
                }
                (store, message)
            }
            None => UserStore::open(path),
        }
    }

    /// The store chosen for this run, or None when that is the usual SQLite file and it does
    /// not exist yet (nothing to read).
    pub fn open_selected_existing() -> Option<(UserStore, Option<String>)> {
        if team::selected_store().is_none() && !default_store_path().is_some_and(|p| p.exists()) {
            return None;
        }
        Some(UserStore::open_selected())
    }

    /// Whether this is a team's store on PostgreSQL.
    pub fn is_team(&self) -> bool {
        self.pg.is_some()
    }

    /// The team store's connection, to follow its change log.
    pub fn team(&self) -> Option<&crate::core::store_pg::PgStore> {
        self.pg.as_ref()
    }

    /// Where the store is, for messages.
    pub fn location(&self) -> String {
        match (&self.pg, &self.path) {
            (Some(_), _) => {
                team::selected_store().map_or_else(|| "the team store".into(), |u| crate::core::store_pg::shown(&u))
            }
            (None, Some(p)) => p.display().to_string(),
            (None, None) => "memory".into(),
        }
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        if let Some(pg) = &self.pg {
            return Ok(i64::from(pg.schema_version()?));
        }
        Ok(self.conn()?.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Opens the store at its usual place, saying on stderr what went wrong.
    pub fn open_default() -> UserStore {
        let (store, message) = UserStore::open_selected();
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
        self.conn.is_some() || self.pg.is_some()
    }

    // ---- read marks ----

    pub fn read_marks(&self) -> Result<HashSet<String>> {
        if let Some(pg) = &self.pg {
            return pg.read_marks();
        }
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM read")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Marks and unmarks in one transaction; returns every mark as it now is (another
    /// newsroom's included).
    pub fn set_read(&mut self, add: &[String], remove: &[String]) -> Result<HashSet<String>> {
        if let Some(pg) = &self.pg {
            return pg.set_read(add, remove);
        }
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

    // ---- reading positions ----

    /// Keeps where the reader is in an article; it becomes the article reopened next time.
    pub fn set_position(&mut self, article: &str, byte: usize) -> Result<()> {
        let at = now();
        self.write(|tx| {
            // `seq` orders positions written in the same second: the last one wins.
            let seq: i64 = tx.query_row("SELECT COALESCE(MAX(at), 0) FROM position", [], |r| r.get(0))?;
            tx.execute(
                "INSERT OR REPLACE INTO position (article, byte, at) VALUES (?1, ?2, ?3)",
                params![article, byte as i64, at.max(seq + 1)],
            )?;
            Ok(())
        })
    }

    /// Every kept position by article id, and the article whose position was written last.
    pub fn positions(&self) -> Result<(std::collections::HashMap<String, usize>, Option<String>)> {
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article, byte FROM position ORDER BY at")?;
        let mut map = std::collections::HashMap::new();
        let mut last = None;
        for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (id, byte) = row?;
            map.insert(id.clone(), byte.max(0) as usize);
            last = Some(id);
        }
        Ok((map, last))
    }

    // ---- stars, tags, notes, highlights ----

    /// Stars or unstars an article; returns whether it was starred before.
    pub fn set_star(&mut self, article: &str, star: bool) -> Result<bool> {
        if let Some(pg) = &self.pg {
            return pg.set_star(article, star);
        }
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
        if let Some(pg) = &self.pg {
            return pg.starred();
        }
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM star")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Adds tags; returns those that were new.
    pub fn add_tags(&mut self, article: &str, tags: &[String]) -> Result<Vec<String>> {
        if let Some(pg) = &self.pg {
            return pg.add_tags(article, tags);
        }
        let at = now();
        let user = self.user.clone();
        self.write(|tx| {
            let mut added = Vec::new();
            for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                if tx.execute(
                    "INSERT OR IGNORE INTO tag (article, tag, at, who) VALUES (?1, ?2, ?3, ?4)",
                    params![article, t, at, user],
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
        if let Some(pg) = &self.pg {
            return pg.remove_tag(article, tag);
        }
        self.write(|tx| {
            Ok(tx.execute("DELETE FROM tag WHERE article = ?1 AND tag = ?2", params![article, tag.trim()])? > 0)
        })
    }

    /// Articles with this tag (case-insensitive), for the search language's `tag:`.
    pub fn articles_with_tag(&self, tag: &str) -> Result<HashSet<String>> {
        if let Some(pg) = &self.pg {
            return pg.articles_with_tag(tag);
        }
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article FROM tag WHERE lower(tag) = lower(?1)")?;
        let rows = st.query_map([tag.trim()], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Every tag in use, for completion.
    pub fn all_tags(&self) -> Result<Vec<String>> {
        if let Some(pg) = &self.pg {
            return pg.all_tags();
        }
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT DISTINCT tag FROM tag ORDER BY tag")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Sets (or with an empty text, removes) an article's note; returns the note it replaced.
    pub fn set_note(&mut self, article: &str, text: &str) -> Result<Option<String>> {
        if let Some(pg) = &self.pg {
            return pg.set_note(article, text);
        }
        let at = now();
        let user = self.user.clone();
        self.write(|tx| {
            let old: Option<String> =
                tx.query_row("SELECT text FROM note WHERE article = ?1", [article], |r| r.get(0)).optional()?;
            if text.trim().is_empty() {
                tx.execute("DELETE FROM note WHERE article = ?1", [article])?;
            } else {
                tx.execute(
                    "INSERT INTO note (article, text, at, who) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (article) DO UPDATE SET text = excluded.text, at = excluded.at, who = excluded.who",
                    params![article, text, at, user],
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
        if let Some(pg) = &self.pg {
            return pg.add_highlight(article, (start, end), passage, note);
        }
        let at = now();
        let user = self.user.clone();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO highlight (article, start, end, passage, note, at, who)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![article, start as i64, end as i64, passage, note.filter(|n| !n.trim().is_empty()), at, user],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    pub fn remove_highlight(&mut self, id: i64) -> Result<bool> {
        if let Some(pg) = &self.pg {
            return pg.remove_highlight(id);
        }
        self.write(|tx| Ok(tx.execute("DELETE FROM highlight WHERE id = ?1", [id])? > 0))
    }

    /// What the user keeps of every article that has anything, by article id.
    pub fn articles(&self) -> Result<BTreeMap<String, ArticleUser>> {
        if let Some(pg) = &self.pg {
            return pg.articles();
        }
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
        if let Some(pg) = &self.pg {
            return pg.note_dates();
        }
        let conn = self.conn()?;
        let mut st = conn.prepare("SELECT article, at FROM note")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, date_of(r.get(1)?))))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    // ---- entity corrections ----

    /// Every correction, oldest first (the order they are applied in).
    pub fn corrections(&self) -> Result<Vec<Correction>> {
        Ok(self.authored()?.into_iter().map(|a| a.correction).collect())
    }

    /// Every correction with who made it, oldest first.
    pub fn authored(&self) -> Result<Vec<Authored>> {
        if let Some(pg) = &self.pg {
            return pg.authored();
        }
        let Some(conn) = &self.conn else { return Ok(Vec::new()) };
        authored_sqlite(conn)
    }

    /// Records corrections (their ids are ignored); returns the new ids. One that conflicts
    /// with the corrections already made ([`team::conflict`]) is reported as
    /// [`StoreError::Conflict`] and none of the list is recorded.
    pub fn add_corrections(&mut self, list: &[Correction]) -> Result<Vec<i64>> {
        if let Some(pg) = &self.pg {
            return pg.add_corrections(list);
        }
        let at = now();
        let user = self.user.clone();
        self.write(|tx| {
            let mut existing = authored_sqlite(tx)?;
            let mut ids = Vec::new();
            for c in list {
                if let Some(why) = team::conflict(&existing, c) {
                    return Err(StoreError::Conflict(format!("{}: {why}", team::past(c))));
                }
                tx.execute(
                    "INSERT INTO correction (op, kind, name, target, at, who) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![c.op.as_str(), c.kind.map(Kind::as_str), c.name, c.target, at, user],
                )?;
                let id = tx.last_insert_rowid();
                existing.push(Authored {
                    correction: Correction { id, date: date_of(at), ..c.clone() },
                    who: Some(user.clone()),
                });
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Undoes (removes) a correction; returns it, or None when there is no such one.
    pub fn undo_correction(&mut self, id: i64) -> Result<Option<Correction>> {
        if let Some(pg) = &self.pg {
            return pg.undo_correction(id);
        }
        let found = self.corrections()?.into_iter().find(|c| c.id == id);
        if found.is_some() {
            self.write(|tx| Ok(tx.execute("DELETE FROM correction WHERE id = ?1", [id])?))?;
        }
        Ok(found)
    }

    // ---- export and import (`newsroom store export|import`) ----

    /// Everything the store keeps, as dump records (an embedded store's read marks and stars
    /// are this user's).
    pub fn dump(&self) -> Result<Vec<Record>> {
        if let Some(pg) = &self.pg {
            return pg.dump();
        }
        let conn = self.conn()?;
        let mut out = Vec::new();
        let mut st = conn.prepare("SELECT article, at FROM read ORDER BY article")?;
        for r in st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (article, at) = r?;
            out.push(Record::Read { user: self.user.clone(), article, at });
        }
        let mut st = conn.prepare("SELECT article, at FROM star ORDER BY article")?;
        for r in st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (article, at) = r?;
            out.push(Record::Star { user: self.user.clone(), article, at });
        }
        let mut st = conn.prepare("SELECT article, tag, at, who FROM tag ORDER BY article, tag")?;
        for r in
            st.query_map([], |r| Ok(Record::Tag { article: r.get(0)?, tag: r.get(1)?, at: r.get(2)?, who: r.get(3)? }))?
        {
            out.push(r?);
        }
        let mut st = conn.prepare("SELECT article, text, at, who FROM note ORDER BY article")?;
        for r in st.query_map([], |r| {
            Ok(Record::Note { article: r.get(0)?, text: r.get(1)?, at: r.get(2)?, who: r.get(3)? })
        })? {
            out.push(r?);
        }
        let mut st = conn.prepare("SELECT article, start, end, passage, note, at, who FROM highlight ORDER BY id")?;
        for r in st.query_map([], |r| {
            Ok(Record::Highlight {
                article: r.get(0)?,
                start: r.get(1)?,
                end: r.get(2)?,
                passage: r.get(3)?,
                note: r.get(4)?,
                at: r.get(5)?,
                who: r.get(6)?,
            })
        })? {
            out.push(r?);
        }
        let mut st = conn.prepare("SELECT op, kind, name, target, at, who FROM correction ORDER BY id")?;
        for r in st.query_map([], |r| {
            Ok(Record::Correction {
                op: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                target: r.get(3)?,
                at: r.get(4)?,
                who: r.get(5)?,
            })
        })? {
            out.push(r?);
        }
        Ok(out)
    }

    /// Adds a dump's records in one transaction; what the store has already is kept (a note
    /// is replaced only by a newer one). An embedded store takes only this user's read marks
    /// and stars.
    pub fn load(&mut self, records: &[Record]) -> Result<Imported> {
        if let Some(pg) = &self.pg {
            return pg.load(records);
        }
        let user = self.user.clone();
        self.write(|tx| {
            let mut done = Imported::default();
            for r in records {
                let n = match r {
                    Record::Read { user: u, .. } | Record::Star { user: u, .. } if *u != user => {
                        done.others += 1;
                        continue;
                    }
                    Record::Read { article, at, .. } => {
                        tx.execute("INSERT OR IGNORE INTO read (article, at) VALUES (?1, ?2)", params![article, at])?
                    }
                    Record::Star { article, at, .. } => {
                        tx.execute("INSERT OR IGNORE INTO star (article, at) VALUES (?1, ?2)", params![article, at])?
                    }
                    Record::Tag { article, tag, at, who } => tx.execute(
                        "INSERT OR IGNORE INTO tag (article, tag, at, who) VALUES (?1, ?2, ?3, ?4)",
                        params![article, tag, at, who],
                    )?,
                    Record::Note { article, text, at, who } => tx.execute(
                        "INSERT INTO note (article, text, at, who) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (article) DO UPDATE SET text = excluded.text, at = excluded.at, who = excluded.who
                         WHERE note.at < excluded.at",
                        params![article, text, at, who],
                    )?,
                    Record::Highlight { article, start, end, passage, note, at, who } => tx.execute(
                        "INSERT INTO highlight (article, start, end, passage, note, at, who)
                         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM highlight
                         WHERE article = ?1 AND start = ?2 AND end = ?3 AND passage = ?4 AND at = ?6)",
                        params![article, start, end, passage, note, at, who],
                    )?,
                    Record::Correction { op, kind, name, target, at, who } => tx.execute(
                        "INSERT INTO correction (op, kind, name, target, at, who)
                         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM correction
                         WHERE op = ?1 AND kind IS ?2 AND name = ?3 AND target IS ?4 AND at = ?5 AND who IS ?6)",
                        params![op, kind, name, target, at, who],
                    )?,
                };
                if n > 0 {
                    done.added += 1;
                } else {
                    done.present += 1;
                }
            }
            Ok(done)
        })
    }
}

/// Every correction in an embedded store, with who made it, oldest first. A row this version
/// does not understand (written by a newer one) is left alone.
fn authored_sqlite(conn: &Connection) -> Result<Vec<Authored>> {
    let mut st = conn.prepare("SELECT id, op, kind, name, target, at, who FROM correction ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, op, kind, name, target, at, who) = row?;
        if let Some(op) = Op::parse(&op) {
            out.push(Authored {
                correction: Correction {
                    id,
                    op,
                    kind: kind.as_deref().and_then(Kind::parse),
                    name,
                    target,
                    date: date_of(at),
                },
                who,
            });
        }
    }
    Ok(out)
}

/// Whether an open failed because the file is not a (whole) database.
fn damaged(e: &StoreError) -> bool {
    match e {
        StoreError::Sql(e) => is_damage(e),
        StoreError::Message(m) => m.starts_with("integrity:"),
        StoreError::Io(_) | StoreError::Conflict(_) => false,
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

/// The store, and what is worth saying about opening it (old read marks that were damaged).
fn open_file(path: &Path) -> Result<(Connection, Option<String>)> {
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
    if let Some(warning) = migrate(&mut conn, Some(&legacy))? {
        return Ok((conn, Some(warning)));
    }
    Ok((conn, None))
}

/// Brings the schema up to date, each step in one transaction; a store written by a newer
/// newsroom is refused rather than changed. Returns a warning about the old read marks when
/// they could not be imported whole.
fn migrate(conn: &mut Connection, legacy_read: Option<&Path>) -> Result<Option<String>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA {
        return Err(StoreError::Message(format!(
            "the store was written by a newer newsroom (schema {version}; this one knows {SCHEMA})"
        )));
    }
    let mut warning = None;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        if i == 0 {
            warning = import_read_json(&tx, legacy_read)?;
        }
    }
    if version < SCHEMA {
        tx.pragma_update(None, "user_version", SCHEMA)?;
    }
    tx.commit()?;
    Ok(warning)
}

/// Imports the read marks of earlier versions once; `read.json` is left where it was, as a
/// backup.
fn import_read_json(tx: &rusqlite::Transaction<'_>, path: Option<&Path>) -> Result<Option<String>> {
    let Some(path) = path.filter(|p| p.exists()) else { return Ok(None) };
    // A damaged file is kept aside by `load_read`; the caller says so where the user sees it
    // (the browser's status bar, or stderr).
    let (marks, warning) = crate::core::state::load_read(path);
    let at = now();
    for id in &marks {
        tx.execute("INSERT OR IGNORE INTO read (article, at) VALUES (?1, ?2)", params![id, at])?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('read_json_imported', ?1)",
        params![format!("{} marks on {}", marks.len(), date_of(at))],
    )?;
    Ok(warning)
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
    fn damaged_read_json_is_kept_aside_and_said_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("read.json"), b"{\"version\":1,\"read\":[\"x\",").unwrap();
        let (s, message) = UserStore::open(Some(dir.path().join("user.sqlite")));
        assert!(s.is_open());
        let message = message.expect("the damage is said");
        assert!(
            message.contains("read marks") && message.contains("damaged") && message.contains("kept as"),
            "{message}"
        );
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("read.json.damaged-"));
        assert!(aside, "the damaged file is kept");
        drop(s);
        let (_, again) = UserStore::open(Some(dir.path().join("user.sqlite")));
        assert_eq!(again, None, "said once, not at every start");
    }

    #[test]
    fn a_version_1_store_is_migrated_keeping_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("user.sqlite");
        {
            // A store as version 1 wrote it, with a mark, a star and a note.
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            tx.execute_batch(MIGRATIONS[0]).unwrap();
            tx.execute("INSERT INTO read VALUES ('a', 1)", []).unwrap();
            tx.execute("INSERT INTO star VALUES ('a', 1)", []).unwrap();
            tx.execute("INSERT INTO note VALUES ('a', 'keep me', 1)", []).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.commit().unwrap();
        }
        let mut s = open(dir.path());
        assert_eq!(s.read_marks().unwrap(), HashSet::from(["a".to_string()]));
        let a = &s.articles().unwrap()["a"];
        assert!(a.star);
        assert_eq!(a.note.as_deref(), Some("keep me"));
        s.set_position("a", 120).unwrap();
        assert_eq!(s.positions().unwrap().0["a"], 120);
    }

    #[test]
    fn positions_are_kept_and_the_last_one_written_is_the_last_article() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = open(dir.path());
        assert_eq!(s.positions().unwrap(), (Default::default(), None));
        s.set_position("a", 10).unwrap();
        s.set_position("b", 20).unwrap();
        s.set_position("a", 30).unwrap();
        drop(s);
        let s = open(dir.path());
        let (map, last) = s.positions().unwrap();
        assert_eq!((map["a"], map["b"]), (30, 20));
        assert_eq!(last.as_deref(), Some("a"));
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
        let reject = Correction { op: Op::Reject, name: "Kabul".into(), target: None, ..c.clone() };
        let ids = s.add_corrections(&[c.clone(), reject]).unwrap();
        assert_eq!(s.corrections().unwrap().len(), 2);
        assert_eq!(s.undo_correction(ids[0]).unwrap().unwrap().op, Op::Merge);
        assert_eq!(s.undo_correction(ids[0]).unwrap(), None);
        let left = s.corrections().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].op, Op::Reject);
        assert_eq!(left[0].date, date_of(now()));
    }
}
