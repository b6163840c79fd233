//! The user layer on a PostgreSQL server a team shares (`--store postgres://…`). Corrections,
//! tags, notes and highlights are the team's; read marks and stars each user's. Every write is
//! one transaction and records who made it and when; every change to the team's part is also
//! written to a change log in the same transaction, which a browser follows to show
//! colleagues' changes. The schema is versioned in a `schema_version` table and migrated on
//! open (under an advisory lock, so two newsrooms starting at once migrate once).

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use postgres::{Client, NoTls, Transaction};

use crate::core::corrections::{Correction, Op};
use crate::core::extract::Kind;
use crate::core::store::{date_of, now, ArticleUser, Highlight, Result, StoreError};
use crate::core::team::{self, Authored, Change, Imported, Record};

/// The schema version this build writes.
pub const SCHEMA: i32 = 1;

const MIGRATIONS: &[&str] = &[
    // 0 → 1
    "CREATE TABLE read (username TEXT NOT NULL, article TEXT NOT NULL, at BIGINT NOT NULL,
                        PRIMARY KEY (username, article));
     CREATE TABLE star (username TEXT NOT NULL, article TEXT NOT NULL, at BIGINT NOT NULL,
                        PRIMARY KEY (username, article));
     CREATE TABLE tag (article TEXT NOT NULL, tag TEXT NOT NULL, at BIGINT NOT NULL, who TEXT,
                       PRIMARY KEY (article, tag));
     CREATE TABLE note (article TEXT PRIMARY KEY, text TEXT NOT NULL, at BIGINT NOT NULL, who TEXT);
     CREATE TABLE highlight (id BIGSERIAL PRIMARY KEY, article TEXT NOT NULL, start_byte BIGINT NOT NULL,
                             end_byte BIGINT NOT NULL, passage TEXT NOT NULL, note TEXT,
                             at BIGINT NOT NULL, who TEXT);
     CREATE INDEX highlight_article ON highlight (article);
     CREATE TABLE correction (id BIGSERIAL PRIMARY KEY, op TEXT NOT NULL, kind TEXT, name TEXT NOT NULL,
                              target TEXT, at BIGINT NOT NULL, who TEXT);
     CREATE TABLE change (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, who TEXT NOT NULL,
                          origin TEXT NOT NULL, said TEXT NOT NULL, reindex BOOLEAN NOT NULL);",
];

/// Advisory lock keys: schema migration, and the correction log (a correction is checked
/// against all others and recorded while no one else records one).
const MIGRATE_LOCK: i64 = 0x6e65_7773_0001;
const CORRECTION_LOCK: i64 = 0x6e65_7773_0002;

/// A connection to the team's store, as one user.
pub struct PgStore {
    client: Mutex<Client>,
    /// How to connect again when the server dropped the connection (a restart, a timeout).
    config: postgres::Config,
    pub user: String,
    /// Tells this connection's changes from others' in the change log.
    origin: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("user", &self.user).finish_non_exhaustive()
    }
}

fn pg(e: postgres::Error) -> StoreError {
    // The server's own message (e.g. "database \"x\" does not exist") says more than the
    // client's summary.
    match e.as_db_error() {
        Some(db) => StoreError::Message(db.message().to_string()),
        None => StoreError::Message(e.to_string()),
    }
}

/// The store URL without its password, for messages.
pub fn shown(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let auth = &url[s + 3..at];
            match auth.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &auth[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PgStore {
    /// Connects (within 5 s unless the URL says otherwise) and migrates the schema.
    pub fn connect(url: &str, user: &str) -> Result<PgStore> {
        let mut config: postgres::Config =
            url.parse().map_err(|e| StoreError::Message(format!("not a PostgreSQL URL ({e})")))?;
        // No TLS is built in: a URL that insists on it gets the way round rather than the
        // client's "no TLS implementation configured".
        if config.get_ssl_mode() == postgres::config::SslMode::Require {
            return Err(StoreError::Message(
                "the URL asks for TLS (sslmode=require), which newsroom does not have: reach the server \
                 through an SSH tunnel (ssh -L 5432:localhost:5432 dbhost) and connect to localhost"
                    .into(),
            ));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("newsroom");
        let mut client = config.connect(NoTls).map_err(pg)?;
        migrate(&mut client)?;
        let origin = format!("{}-{}-{}", std::process::id(), now(), next_origin());
        Ok(PgStore { client: Mutex::new(client), config, user: user.to_string(), origin })
    }

    /// The connection, made again first if the server has dropped it.
    fn client(&self) -> Result<std::sync::MutexGuard<'_, Client>> {
        let mut c = self.client.lock().map_err(|_| StoreError::Message("the store connection is broken".into()))?;
        if c.is_closed() {
            *c = self.reconnect()?;
        }
        Ok(c)
    }

    fn reconnect(&self) -> Result<Client> {
        self.config
            .connect(NoTls)
            .map_err(|e| StoreError::Message(format!("the team's store is out of reach ({})", pg(e))))
    }

    /// Runs `f` on the connection; a connection the server dropped meanwhile is made again and
    /// `f` run once more (reading changes nothing).
    fn with<T>(&self, mut f: impl FnMut(&mut Client) -> std::result::Result<T, postgres::Error>) -> Result<T> {
        let mut c = self.client()?;
        match f(&mut c) {
            Err(e) if e.is_closed() || c.is_closed() => {
                *c = self.reconnect()?;
                f(&mut c).map_err(pg)
            }
            other => other.map_err(pg),
        }
    }

    /// Runs `f` in one transaction, committed when it returns Ok. When the connection was lost
    /// before the commit was sent nothing was written: it is made again and `f` run once more.
    /// A connection lost during the commit is an error, as the server may or may not have it.
    fn write<T>(&self, mut f: impl FnMut(&mut Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut c = self.client()?;
        let attempt = |c: &mut Client, f: &mut dyn FnMut(&mut Transaction<'_>) -> Result<T>| {
            let mut tx = c.transaction().map_err(|e| (pg(e), false))?;
            let out = f(&mut tx).map_err(|e| (e, false))?;
            tx.commit().map_err(|e| (pg(e), true))?;
            Ok(out)
        };
        match attempt(&mut c, &mut f) {
            Ok(out) => Ok(out),
            Err((_, false)) if c.is_closed() => {
                *c = self.reconnect()?;
                attempt(&mut c, &mut f).map_err(|(e, _)| e)
            }
            Err((e, _)) => Err(e),
        }
    }

    /// Records a change to the team's layer in the change log (in the caller's transaction).
    fn log(&self, tx: &mut Transaction<'_>, said: &str, reindex: bool) -> Result<()> {
        tx.execute(
            "INSERT INTO change (at, who, origin, said, reindex) VALUES ($1, $2, $3, $4, $5)",
            &[&now(), &self.user, &self.origin, &format!("{} {said}", self.user), &reindex],
        )
        .map_err(pg)?;
        Ok(())
    }

    pub fn schema_version(&self) -> Result<i32> {
        self.with(|c| c.query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[]).map(|r| r.get(0)))
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    // ---- read marks and stars: each user's ----

    pub fn read_marks(&self) -> Result<HashSet<String>> {
        self.with(|c| {
            let rows = c.query("SELECT article FROM read WHERE username = $1", &[&self.user])?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    pub fn set_read(&self, add: &[String], remove: &[String]) -> Result<HashSet<String>> {
        let at = now();
        self.write(|tx| {
            for id in add {
                tx.execute(
                    "INSERT INTO read (username, article, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&self.user, id, &at],
                )
                .map_err(pg)?;
            }
            for id in remove {
                tx.execute("DELETE FROM read WHERE username = $1 AND article = $2", &[&self.user, id]).map_err(pg)?;
            }
            Ok(())
        })?;
        self.read_marks()
    }

    pub fn set_star(&self, article: &str, star: bool) -> Result<bool> {
        let at = now();
        self.write(|tx| {
            let was = tx
                .query_opt("SELECT 1 FROM star WHERE username = $1 AND article = $2", &[&self.user, &article])
                .map_err(pg)?
                .is_some();
            if star {
                tx.execute(
                    "INSERT INTO star (username, article, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&self.user, &article, &at],
                )
                .map_err(pg)?;
            } else {
                tx.execute("DELETE FROM star WHERE username = $1 AND article = $2", &[&self.user, &article])
                    .map_err(pg)?;
            }
            Ok(was)
        })
    }

    pub fn starred(&self) -> Result<HashSet<String>> {
        self.with(|c| {
            let rows = c.query("SELECT article FROM star WHERE username = $1", &[&self.user])?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    // ---- tags, notes, highlights: the team's ----

    pub fn add_tags(&self, article: &str, tags: &[String]) -> Result<Vec<String>> {
        let at = now();
        self.write(|tx| {
            let mut added = Vec::new();
            for t in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
                if tx
                    .execute(
                        "INSERT INTO tag (article, tag, at, who) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        &[&article, &t, &at, &self.user],
                    )
                    .map_err(pg)?
                    > 0
                {
                    added.push(t.to_string());
                }
            }
            if !added.is_empty() {
                self.log(tx, &format!("tagged {} {}", short(article), added.join(", ")), false)?;
            }
            Ok(added)
        })
    }

    pub fn remove_tag(&self, article: &str, tag: &str) -> Result<bool> {
        self.write(|tx| {
            let gone =
                tx.execute("DELETE FROM tag WHERE article = $1 AND tag = $2", &[&article, &tag.trim()]).map_err(pg)?
                    > 0;
            if gone {
                self.log(tx, &format!("untagged {} {}", short(article), tag.trim()), false)?;
            }
            Ok(gone)
        })
    }

    pub fn articles_with_tag(&self, tag: &str) -> Result<HashSet<String>> {
        self.with(|c| {
            let rows = c.query("SELECT article FROM tag WHERE lower(tag) = lower($1)", &[&tag.trim()])?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    pub fn all_tags(&self) -> Result<Vec<String>> {
        self.with(|c| {
            let rows = c.query("SELECT DISTINCT tag FROM tag ORDER BY tag", &[])?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    pub fn set_note(&self, article: &str, text: &str) -> Result<Option<String>> {
        let at = now();
        self.write(|tx| {
            let old: Option<String> = tx
                .query_opt("SELECT text FROM note WHERE article = $1 FOR UPDATE", &[&article])
                .map_err(pg)?
                .map(|r| r.get(0));
            if text.trim().is_empty() {
                tx.execute("DELETE FROM note WHERE article = $1", &[&article]).map_err(pg)?;
                self.log(tx, &format!("removed the note of {}", short(article)), false)?;
            } else {
                tx.execute(
                    "INSERT INTO note (article, text, at, who) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (article) DO UPDATE SET text = excluded.text, at = excluded.at, who = excluded.who",
                    &[&article, &text, &at, &self.user],
                )
                .map_err(pg)?;
                self.log(tx, &format!("noted {}", short(article)), false)?;
            }
            Ok(old)
        })
    }

    pub fn add_highlight(
        &self,
        article: &str,
        (start, end): (usize, usize),
        passage: &str,
        note: Option<&str>,
    ) -> Result<i64> {
        let at = now();
        let note = note.filter(|n| !n.trim().is_empty());
        self.write(|tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO highlight (article, start_byte, end_byte, passage, note, at, who)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[&article, &(start as i64), &(end as i64), &passage, &note, &at, &self.user],
                )
                .map_err(pg)?
                .get(0);
            self.log(tx, &format!("highlighted a passage of {}", short(article)), false)?;
            Ok(id)
        })
    }

    pub fn remove_highlight(&self, id: i64) -> Result<bool> {
        self.write(|tx| {
            let gone = tx.execute("DELETE FROM highlight WHERE id = $1", &[&id]).map_err(pg)? > 0;
            if gone {
                self.log(tx, "removed a highlight", false)?;
            }
            Ok(gone)
        })
    }

    pub fn articles(&self) -> Result<BTreeMap<String, ArticleUser>> {
        self.with(|c| {
            let mut out: BTreeMap<String, ArticleUser> = BTreeMap::new();
            for r in c.query("SELECT article FROM star WHERE username = $1", &[&self.user])? {
                out.entry(r.get(0)).or_default().star = true;
            }
            for r in c.query("SELECT article, tag FROM tag ORDER BY article, tag", &[])? {
                out.entry(r.get(0)).or_default().tags.push(r.get(1));
            }
            for r in c.query("SELECT article, text FROM note", &[])? {
                out.entry(r.get(0)).or_default().note = Some(r.get(1));
            }
            for r in c.query(
                "SELECT id, article, start_byte, end_byte, passage, note, at FROM highlight
                 ORDER BY article, start_byte, id",
                &[],
            )? {
                let h = Highlight {
                    id: r.get(0),
                    article: r.get(1),
                    start: r.get::<_, i64>(2).max(0) as usize,
                    end: r.get::<_, i64>(3).max(0) as usize,
                    passage: r.get(4),
                    note: r.get(5),
                    date: date_of(r.get(6)),
                };
                out.entry(h.article.clone()).or_default().highlights.push(h);
            }
            Ok(out)
        })
    }

    pub fn note_dates(&self) -> Result<BTreeMap<String, String>> {
        self.with(|c| {
            let rows = c.query("SELECT article, at FROM note", &[])?;
            Ok(rows.iter().map(|r| (r.get(0), date_of(r.get(1)))).collect())
        })
    }

    // ---- corrections: the team's ----

    pub fn authored(&self) -> Result<Vec<Authored>> {
        Ok(authored_of(&self.with(|c| c.query(AUTHORED, &[]))?))
    }

    /// Records corrections, each checked against all recorded before it ([`team::conflict`]):
    /// a conflicting one is reported and none of the list is recorded.
    pub fn add_corrections(&self, list: &[Correction]) -> Result<Vec<i64>> {
        let at = now();
        self.write(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CORRECTION_LOCK]).map_err(pg)?;
            let mut existing = authored_in(tx)?;
            let mut ids = Vec::new();
            for c in list {
                if let Some(why) = team::conflict(&existing, c) {
                    return Err(StoreError::Conflict(format!("{}: {why}", team::past(c))));
                }
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO correction (op, kind, name, target, at, who) VALUES ($1, $2, $3, $4, $5, $6)
                         RETURNING id",
                        &[&c.op.as_str(), &c.kind.map(Kind::as_str), &c.name, &c.target, &at, &self.user],
                    )
                    .map_err(pg)?
                    .get(0);
                self.log(tx, &team::past(c), true)?;
                existing.push(Authored {
                    correction: Correction { id, date: date_of(at), ..c.clone() },
                    who: Some(self.user.clone()),
                });
                ids.push(id);
            }
            Ok(ids)
        })
    }

    pub fn undo_correction(&self, id: i64) -> Result<Option<Correction>> {
        self.write(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CORRECTION_LOCK]).map_err(pg)?;
            let found = authored_in(tx)?.into_iter().find(|a| a.correction.id == id).map(|a| a.correction);
            if let Some(c) = &found {
                tx.execute("DELETE FROM correction WHERE id = $1", &[&id]).map_err(pg)?;
                self.log(tx, &format!("undid “{}”", team::past(c)), true)?;
            }
            Ok(found)
        })
    }

    // ---- the change log ----

    /// The newest change's number (0 when none).
    pub fn last_change(&self) -> Result<i64> {
        self.with(|c| c.query_one("SELECT coalesce(max(id), 0) FROM change", &[]).map(|r| r.get(0)))
    }

    /// Changes after `after` made through other connections than `origin`'s, oldest first.
    pub fn changes_after(&self, after: i64, origin: &str) -> Result<(i64, Vec<Change>)> {
        let rows = self.with(|c| {
            c.query("SELECT id, who, origin, said, reindex FROM change WHERE id > $1 ORDER BY id LIMIT 1000", &[&after])
        })?;
        let last = rows.last().map_or(after, |r| r.get(0));
        let list = rows
            .iter()
            .filter(|r| r.get::<_, &str>(2) != origin)
            .map(|r| Change { id: r.get(0), who: r.get(1), said: r.get(3), reindex: r.get(4) })
            .collect();
        Ok((last, list))
    }

    // ---- dump and load ----

    pub fn dump(&self) -> Result<Vec<Record>> {
        self.with(|c| {
            let mut out = Vec::new();
            for r in c.query("SELECT username, article, at FROM read ORDER BY username, article", &[])? {
                out.push(Record::Read { user: r.get(0), article: r.get(1), at: r.get(2) });
            }
            for r in c.query("SELECT username, article, at FROM star ORDER BY username, article", &[])? {
                out.push(Record::Star { user: r.get(0), article: r.get(1), at: r.get(2) });
            }
            for r in c.query("SELECT article, tag, at, who FROM tag ORDER BY article, tag", &[])? {
                out.push(Record::Tag { article: r.get(0), tag: r.get(1), at: r.get(2), who: r.get(3) });
            }
            for r in c.query("SELECT article, text, at, who FROM note ORDER BY article", &[])? {
                out.push(Record::Note { article: r.get(0), text: r.get(1), at: r.get(2), who: r.get(3) });
            }
            for r in
                c.query("SELECT article, start_byte, end_byte, passage, note, at, who FROM highlight ORDER BY id", &[])?
            {
                out.push(Record::Highlight {
                    article: r.get(0),
                    start: r.get(1),
                    end: r.get(2),
                    passage: r.get(3),
                    note: r.get(4),
                    at: r.get(5),
                    who: r.get(6),
                });
            }
            for r in c.query("SELECT op, kind, name, target, at, who FROM correction ORDER BY id", &[])? {
                out.push(Record::Correction {
                    op: r.get(0),
                    kind: r.get(1),
                    name: r.get(2),
                    target: r.get(3),
                    at: r.get(4),
                    who: r.get(5),
                });
            }
            Ok(out)
        })
    }

    /// Adds a dump's records in one transaction; what is there already is kept (a note is
    /// replaced only by a newer one).
    pub fn load(&self, records: &[Record]) -> Result<Imported> {
        self.write(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CORRECTION_LOCK]).map_err(pg)?;
            let mut done = Imported::default();
            let mut corrections = 0;
            for r in records {
                let n = match r {
                    Record::Read { user, article, at } => tx.execute(
                        "INSERT INTO read (username, article, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[user, article, at],
                    ),
                    Record::Star { user, article, at } => tx.execute(
                        "INSERT INTO star (username, article, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        &[user, article, at],
                    ),
                    Record::Tag { article, tag, at, who } => tx.execute(
                        "INSERT INTO tag (article, tag, at, who) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        &[article, tag, at, who],
                    ),
                    Record::Note { article, text, at, who } => tx.execute(
                        "INSERT INTO note (article, text, at, who) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (article) DO UPDATE SET text = excluded.text, at = excluded.at, who = excluded.who
                         WHERE note.at < excluded.at",
                        &[article, text, at, who],
                    ),
                    Record::Highlight { article, start, end, passage, note, at, who } => tx.execute(
                        "INSERT INTO highlight (article, start_byte, end_byte, passage, note, at, who)
                         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM highlight
                         WHERE article = $1 AND start_byte = $2 AND end_byte = $3 AND passage = $4 AND at = $6)",
                        &[article, start, end, passage, note, at, who],
                    ),
                    Record::Correction { op, kind, name, target, at, who } => {
                        let n = tx.execute(
                            "INSERT INTO correction (op, kind, name, target, at, who)
                             SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM correction
                             WHERE op = $1 AND kind IS NOT DISTINCT FROM $2 AND name = $3
                             AND target IS NOT DISTINCT FROM $4 AND at = $5 AND who IS NOT DISTINCT FROM $6)",
                            &[op, kind, name, target, at, who],
                        );
                        if matches!(n, Ok(1)) {
                            corrections += 1;
                        }
                        n
                    }
                }
                .map_err(pg)?;
                if n > 0 {
                    done.added += 1;
                } else {
                    done.present += 1;
                }
            }
            if done.added > 0 {
                let said = format!("imported {} records ({corrections} corrections)", done.added);
                self.log(tx, &said, corrections > 0)?;
            }
            Ok(done)
        })
    }
}

/// Every correction with who made it, oldest first ([`authored_of`] reads the rows).
const AUTHORED: &str = "SELECT id, op, kind, name, target, at, who FROM correction ORDER BY id";

fn authored_in(tx: &mut Transaction<'_>) -> Result<Vec<Authored>> {
    Ok(authored_of(&tx.query(AUTHORED, &[]).map_err(pg)?))
}

fn authored_of(rows: &[postgres::Row]) -> Vec<Authored> {
    rows.iter()
        .filter_map(|r| {
            Some(Authored {
                correction: Correction {
                    id: r.get(0),
                    op: Op::parse(r.get(1))?,
                    kind: r.get::<_, Option<&str>>(2).and_then(Kind::parse),
                    name: r.get(3),
                    target: r.get(4),
                    date: date_of(r.get(5)),
                },
                who: r.get(6),
            })
        })
        .collect()
}

/// An article id as lists show it.
fn short(article: &str) -> &str {
    &article[..article.char_indices().nth(8).map_or(article.len(), |(i, _)| i)]
}

fn next_origin() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Brings the schema up to date in one transaction; a schema newer than this build knows is
/// refused rather than changed.
fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().map_err(pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK]).map_err(pg)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, at BIGINT NOT NULL)")
        .map_err(pg)?;
    let version: i32 = tx.query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[]).map_err(pg)?.get(0);
    if version > SCHEMA {
        return Err(StoreError::Message(format!(
            "the team store was written by a newer newsroom (schema {version}; this one knows {SCHEMA})"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql).map_err(pg)?;
        tx.execute("INSERT INTO schema_version (version, at) VALUES ($1, $2)", &[&(i as i32 + 1), &now()])
            .map_err(pg)?;
    }
    tx.commit().map_err(pg)?;
    Ok(())
}

#[cfg(test)]
#[path = "../../tests/support/pg.rs"]
mod pg_cluster;

#[cfg(test)]
mod tests {
    use super::pg_cluster::Cluster;
    use super::*;
    use crate::core::store::UserStore;

    fn open(url: &str, user: &str) -> UserStore {
        let (s, m) = UserStore::open_url(Some(url), Some(user));
        assert!(m.is_none(), "{m:?}");
        assert!(s.is_team());
        s
    }

    fn merge(name: &str, into: &str) -> Correction {
        Correction {
            id: 0,
            op: Op::Merge,
            kind: Some(Kind::Organization),
            name: name.into(),
            target: Some(into.into()),
            date: String::new(),
        }
    }

    #[test]
    fn corrections_and_tags_are_the_teams_marks_and_stars_each_users() {
        let Some(pg) = Cluster::start() else { return };
        let url = pg.database("scopes");
        let (mut ana, mut ben) = (open(&url, "ana"), open(&url, "ben"));
        ana.set_read(&["a1".into(), "a2".into()], &[]).unwrap();
        ana.set_star("a1", true).unwrap();
        ben.set_read(&["b1".into()], &[]).unwrap();
        assert_eq!(ben.read_marks().unwrap(), HashSet::from(["b1".to_string()]));
        assert_eq!(ana.read_marks().unwrap().len(), 2);
        assert!(ben.starred().unwrap().is_empty());
        ana.add_tags("a1", &["flood".into()]).unwrap();
        ana.set_note("a1", "check the figures").unwrap();
        ana.add_corrections(&[merge("Taliban", "Afghan Taliban")]).unwrap();
        let seen = ben.articles().unwrap();
        assert_eq!(seen["a1"].tags, ["flood"]);
        assert_eq!(seen["a1"].note.as_deref(), Some("check the figures"));
        assert!(!seen["a1"].star, "ana's star is not ben's");
        let list = ben.authored().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].who.as_deref(), Some("ana"));
        assert!(list[0].describe().ends_with("merge Taliban into Afghan Taliban — ana"), "{}", list[0].describe());
        // What ben sees of the change log: ana's changes, said with her name; not his own.
        let team = ben.team().unwrap();
        let (last, changes) = team.changes_after(0, team.origin()).unwrap();
        let said: Vec<&str> = changes.iter().map(|c| c.said.as_str()).collect();
        assert_eq!(said, ["ana tagged a1 flood", "ana noted a1", "ana merged Taliban into Afghan Taliban"]);
        assert!(changes[2].reindex && !changes[0].reindex);
        ben.add_tags("a2", &["sindh".into()]).unwrap();
        let team = ben.team().unwrap();
        let (_, after) = team.changes_after(last, team.origin()).unwrap();
        assert!(after.is_empty(), "his own change is not news to him: {after:?}");
        let a = ana.team().unwrap();
        assert_eq!(a.changes_after(last, a.origin()).unwrap().1[0].said, "ben tagged a2 sindh");
        // A reopened store is migrated once: the schema is versioned.
        drop(ana);
        let again = open(&url, "ana");
        assert_eq!(again.schema_version().unwrap(), i64::from(SCHEMA));
        assert_eq!(again.read_marks().unwrap().len(), 2);
    }

    #[test]
    fn a_url_that_insists_on_tls_is_told_the_way_round() {
        let e = PgStore::connect("postgres://ana@127.0.0.1:1/team?sslmode=require", "ana").unwrap_err();
        assert!(e.to_string().contains("SSH tunnel"), "{e}");
    }

    #[test]
    fn a_connection_the_server_dropped_is_made_again_and_the_change_kept() {
        let Some(pg) = Cluster::start() else { return };
        let url = pg.database("dropped");
        let mut ana = open(&url, "ana");
        ana.add_tags("a1", &["flood".into()]).unwrap();
        // The server ends every other session (as a restart or an idle timeout would).
        let mut admin = postgres::Client::connect(&url, NoTls).unwrap();
        let ended = admin
            .query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()", &[])
            .unwrap();
        assert!(!ended.is_empty(), "ana's session was ended");
        std::thread::sleep(std::time::Duration::from_millis(200));
        ana.add_tags("a1", &["sindh".into()]).expect("written on a new connection");
        ana.add_corrections(&[merge("Taliban", "Afghan Taliban")]).expect("a correction too");
        let ben = open(&url, "ben");
        assert_eq!(ben.articles().unwrap()["a1"].tags, ["flood", "sindh"]);
        assert_eq!(ben.authored().unwrap().len(), 1, "recorded once");
        // Reads come back as well, after another drop.
        admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND application_name = 'newsroom'", &[]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(ana.read_marks().unwrap().len(), 0);
        assert_eq!(ana.articles().unwrap()["a1"].tags, ["flood", "sindh"]);
    }

    #[test]
    fn concurrent_corrections_are_all_kept_and_stale_or_repeated_merges_are_refused() {
        let Some(pg) = Cluster::start() else { return };
        let url = pg.database("conflicts");
        std::thread::scope(|s| {
            for t in 0..4 {
                let url = url.clone();
                s.spawn(move || {
                    let mut store = open(&url, &format!("analyst{t}"));
                    for i in 0..10 {
                        store.add_corrections(&[merge(&format!("N{t}-{i}"), &format!("T{t}-{i}"))]).unwrap();
                        store.add_tags(&format!("{t}-{i}"), &[format!("t{t}")]).unwrap();
                    }
                });
            }
        });
        let (mut ana, mut ben) = (open(&url, "ana"), open(&url, "ben"));
        assert_eq!(ana.corrections().unwrap().len(), 40, "no correction lost");
        assert_eq!(ana.all_tags().unwrap().len(), 4);
        // Ben rejects Kabul while Ana, on a view from before, merges into it.
        let reject = Correction { op: Op::Reject, target: None, ..merge("Kabul", "") };
        ben.add_corrections(&[reject]).unwrap();
        let err = ana.add_corrections(&[merge("Kabul City", "Kabul")]).unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        let said = err.to_string();
        assert!(said.contains("Kabul was rejected by ben"), "{said}");
        // The same merge twice is reported, and recorded once.
        ana.add_corrections(&[merge("TTP", "Tehrik-i-Taliban Pakistan")]).unwrap();
        let twice = ben.add_corrections(&[merge("ttp", "Tehrik-i-Taliban Pakistan")]).unwrap_err().to_string();
        assert!(twice.contains("already done") && twice.contains("by ana"), "{twice}");
        assert_eq!(ana.corrections().unwrap().len(), 42);
        // A newer schema than this build knows is refused, not changed.
        let mut c = postgres::Client::connect(&url, NoTls).unwrap();
        c.execute("INSERT INTO schema_version (version, at) VALUES (99, 0)", &[]).unwrap();
        let (s, message) = UserStore::open_url(Some(&url), Some("ana"));
        assert!(!s.is_open() && message.unwrap().contains("newer newsroom"));
    }

    #[test]
    fn export_and_import_round_trip_between_sqlite_and_postgres() {
        let Some(pg) = Cluster::start() else { return };
        let url = pg.database("roundtrip");
        let dir = tempfile::tempdir().unwrap();
        let (mut local, m) = UserStore::open_url(Some(dir.path().join("a.sqlite").to_str().unwrap()), Some("ana"));
        assert!(m.is_none() && !local.is_team());
        local.set_read(&["x".into(), "y".into()], &[]).unwrap();
        local.set_star("x", true).unwrap();
        local.add_tags("x", &["flood".into(), "sindh".into()]).unwrap();
        local.set_note("y", "a note — with “quotes”\nand a line").unwrap();
        local.add_highlight("y", (3, 9), "passage", Some("why")).unwrap();
        local.add_corrections(&[merge("Taliban", "Afghan Taliban")]).unwrap();
        let first = local.dump().unwrap();
        assert_eq!(first.len(), 8);
        let mut text = Vec::new();
        team::write_dump(&first, &mut text).unwrap();

        let mut shared = open(&url, "ana");
        shared.set_read(&["z".into()], &[]).unwrap();
        let mut ben = open(&url, "ben");
        ben.set_read(&["b".into()], &[]).unwrap();
        let done = shared.load(&team::parse_dump(std::str::from_utf8(&text).unwrap()).unwrap()).unwrap();
        assert_eq!((done.added, done.present), (8, 0));
        assert_eq!(shared.load(&first).unwrap().added, 0, "importing twice adds nothing");
        assert_eq!(shared.read_marks().unwrap().len(), 3);
        assert_eq!(shared.authored().unwrap()[0].who.as_deref(), Some("ana"));

        let (mut back, _) = UserStore::open_url(Some(dir.path().join("b.sqlite").to_str().unwrap()), Some("ana"));
        let done = back.load(&shared.dump().unwrap()).unwrap();
        assert_eq!(done.others, 1, "ben's read mark stays in the team store");
        let mut again = back.dump().unwrap();
        again.retain(|r| !matches!(r, Record::Read { article, .. } if article == "z"));
        assert_eq!(again, first, "what went in comes back");
    }
}
