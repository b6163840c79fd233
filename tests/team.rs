//! A team on one shared PostgreSQL store, with the real binary: two analysts, two newsroom
//! processes (a command line and a browser in a pty), one throwaway PostgreSQL cluster.

#[path = "support/pg.rs"]
mod pg;
#[path = "support/pty.rs"]
mod pty;
use pty::Session;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

/// An analyst: a home of their own (configuration, cache, own SQLite file), the team's store.
struct Analyst {
    home: tempfile::TempDir,
    name: &'static str,
    url: String,
}

impl Analyst {
    fn new(name: &'static str, url: &str) -> Analyst {
        Analyst { home: tempfile::tempdir().unwrap(), name, url: url.to_string() }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        let h = self.home.path();
        vec![
            ("XDG_DATA_HOME", h.join("data").display().to_string()),
            ("XDG_CACHE_HOME", h.join("cache").display().to_string()),
            ("XDG_CONFIG_HOME", h.join("config").display().to_string()),
            ("HOME", h.display().to_string()),
        ]
    }

    /// The command line with `--store URL --user NAME` after the sub-command's arguments.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsroom"))
            .args(args)
            .args(["--store", &self.url, "--user", self.name])
            .envs(self.env())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{} {args:?}: {}", self.name, String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn search(&self, query: &str) -> Vec<String> {
        let out = self.run(&["search", query, "--format", "json"]);
        if out.status.code() == Some(1) {
            return Vec::new();
        }
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    }

    /// The browser, with the store flags before everything else.
    fn browse(&self) -> Session {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pty::start(120, 40, &["--store", &self.url, "--user", self.name], &env)
    }
}

/// The sidebar: the right-hand 22% of a 120-column screen.
fn sidebar(b: &Session) -> String {
    b.contents().lines().map(|l| l.chars().skip(94).collect::<String>() + "\n").collect()
}

fn names(entities: &str) -> Vec<Vec<String>> {
    let v: Vec<Value> = serde_json::from_str(entities).unwrap();
    v.iter()
        .map(|e| e["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect())
        .collect()
}

#[test]
fn two_analysts_on_one_postgres_see_each_others_merges_within_two_seconds_and_keep_their_own_marks() {
    let Some(cluster) = pg::Cluster::start() else { return };
    let url = cluster.database("team");
    let (ana, ben) = (Analyst::new("ana", &url), Analyst::new("ben", &url));
    // The set-up the README gives: migrate once, then run.
    let migrated = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(["--store", &url, "store", "migrate"])
        .envs(ana.env())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&migrated.stdout);
    assert!(said.contains("schema version 1"), "{said}{}", String::from_utf8_lossy(&migrated.stderr));

    let mut b = ben.browse();
    b.until(Duration::from_secs(20), "Ben's browser loads", |b| b.contents().contains("Articles 5/5"));
    b.send("\r");
    b.send("\t");
    let (entity, into) = ("Asim Munir", "Tehrik-i-Taliban Pakistan");
    b.until(Duration::from_secs(5), "the sidebar shows the entity", |b| sidebar(b).contains(entity));

    // Ana merges on the command line; Ben's browser shows it, and who, within 2 s.
    let said = ana.ok(&["entity", "merge", entity, into]);
    assert!(said.contains(&format!("merge {entity} into {into} — ana")), "{said}");
    let merged = Instant::now();
    let news = format!("ana merged {entity} into {into}");
    let took = b.until(Duration::from_secs(2), "Ben's sidebar shows Ana's merge", |b| {
        !sidebar(b).contains(entity) && b.contents().contains(&news)
    });
    eprintln!("Ben's browser showed Ana's merge {took:?} after her command returned");

    // Ben's command line sees it too.
    let asked = Instant::now();
    let entities = ben.ok(&["entities", "--format", "json"]);
    eprintln!(
        "Ben's `newsroom entities`, started {:?} after Ana's merge, had it (the command took {:?})",
        asked - merged,
        asked.elapsed()
    );
    let groups = names(&entities);
    let group = groups.iter().find(|g| g.iter().any(|n| n == entity)).expect("the merged name is an alias");
    assert!(group.iter().any(|n| n == into), "{entity} is a name of {into}: {group:?}");
    assert!(ben.ok(&["entity", "corrections"]).contains(&format!("merge {entity} into {into} — ana")));

    // Ben read the article he opened; Ana read nothing: read marks are each user's.
    assert_eq!(ben.search("is:read").len(), 1);
    assert!(ana.search("is:read").is_empty());
    let first = ben.search("is:read")[0].clone();
    ana.ok(&["mark", &first[..12]]);
    ana.ok(&["star", &first[..12]]);
    assert!(ben.search("is:starred").is_empty(), "Ana's star is hers");

    // Ben tags and notes the article; once the note is said saved, kill -9 loses nothing.
    b.send("tteam-check\r");
    b.send("mfrom ben\r");
    b.until(Duration::from_secs(5), "the note is saved", |b| b.contents().contains("note saved"));
    b.kill_9();
    assert_eq!(ana.search("tag:team-check"), vec![first.clone()], "Ben's confirmed tag is the team's");
    let notes: Vec<Value> = serde_json::from_str(&ana.ok(&["notes", "--format", "json"])).unwrap();
    assert!(notes.iter().any(|n| n["note"] == "from ben"), "{notes:?}");

    // Ana rejects an entity in her browser; once re-indexed, kill -9 loses nothing.
    let mut a = ana.browse();
    a.until(Duration::from_secs(20), "Ana's browser loads", |a| a.contents().contains("Articles 5/5"));
    a.send("\r");
    a.send("\t");
    let rejected = sidebar(&a).lines().map(str::trim).find(|l| !l.is_empty() && !l.contains(into)).map(str::to_string);
    a.send("X");
    a.until(Duration::from_secs(10), "Ana's correction is recorded", |a| {
        a.contents().contains("re-indexed with your corrections")
    });
    a.kill_9();
    let list = ben.ok(&["entity", "corrections"]);
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.lines().nth(1).unwrap().contains("reject") && list.ends_with("— ana\n"), "{list} ({rejected:?})");
    drop(cluster);
}
