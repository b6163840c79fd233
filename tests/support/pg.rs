//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, a server on a free
//! port of 127.0.0.1 (its socket in that folder), stopped and removed when the guard drops —
//! a failing test's included. PostgreSQL refuses to run as root, so as root the cluster is
//! made and run by `nobody` (`runuser`). When no PostgreSQL can be found or started the test
//! is skipped with the reason printed, except in CI (`CI` set), where that is a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    /// `postgres://newsroom@127.0.0.1:PORT/postgres`
    pub url: String,
    port: u16,
    bin: PathBuf,
    data: PathBuf,
    as_nobody: bool,
    dir: tempfile::TempDir,
}

/// Where `initdb` and `pg_ctl` are: `pg_config --bindir`, else the newest of Debian's
/// versioned folders.
fn bindir() -> Option<PathBuf> {
    let from_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(dir) = from_config.filter(|d| d.join("initdb").exists()) {
        return Some(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

impl Cluster {
    /// A running cluster, or None (said on stderr) when this machine has no PostgreSQL to start.
    pub fn start() -> Option<Cluster> {
        match Cluster::try_start() {
            Ok(c) => Some(c),
            Err(why) if in_ci() => panic!("the PostgreSQL tests cannot run in CI: {why}"),
            Err(why) => {
                eprintln!("skipping a PostgreSQL test: {why}");
                None
            }
        }
    }

    fn run(&self, program: &Path, args: &[&str]) -> Result<(), String> {
        run(self.as_nobody, program, args)
    }

    fn try_start() -> Result<Cluster, String> {
        let bin =
            bindir().ok_or("no PostgreSQL here (no initdb from `pg_config --bindir` or in /usr/lib/postgresql)")?;
        let dir = tempfile::Builder::new().prefix("newsroom-pg").tempdir().map_err(|e| e.to_string())?;
        // SAFETY: geteuid has no preconditions.
        let as_nobody = unsafe { libc::geteuid() } == 0;
        if as_nobody {
            let id = |flag: &str| -> Result<u32, String> {
                let out = Command::new("id").args([flag, "nobody"]).output().map_err(|e| e.to_string())?;
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .map_err(|_| "no user nobody to run PostgreSQL as".to_string())
            };
            std::os::unix::fs::chown(dir.path(), Some(id("-u")?), Some(id("-g")?)).map_err(|e| e.to_string())?;
        }
        let data = dir.path().join("data");
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
        let mut cluster =
            Cluster { url: format!("postgres://newsroom@127.0.0.1:{port}/postgres"), port, bin, data, as_nobody, dir };
        let d = cluster.data.to_string_lossy().into_owned();
        cluster.run(
            &cluster.bin.join("initdb"),
            &["-D", &d, "-U", "newsroom", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
        )?;
        let log = cluster.dir.path().join("log").to_string_lossy().into_owned();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            cluster.dir.path().display()
        );
        let started = cluster
            .run(&cluster.bin.join("pg_ctl"), &["-D", &d, "-l", &log, "-w", "-t", "60", "-o", &options, "start"]);
        if let Err(e) = started {
            let log = std::fs::read_to_string(cluster.dir.path().join("log")).unwrap_or_default();
            cluster.port = 0;
            return Err(format!("{e}\n{log}"));
        }
        Ok(cluster)
    }

    /// A new, empty database in the cluster; its URL.
    pub fn database(&self, name: &str) -> String {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).expect("the test cluster answers");
        c.batch_execute(&format!("CREATE DATABASE {name}")).expect("a database");
        format!("postgres://newsroom@127.0.0.1:{}/{name}", self.port)
    }
}

fn run(as_nobody: bool, program: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = if as_nobody {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let out = cmd.args(args).env("LC_ALL", "C").output().map_err(|e| format!("{}: {e}", program.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}{}",
            program.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.port != 0 {
            let d = self.data.to_string_lossy().into_owned();
            let _ = self.run(&self.bin.join("pg_ctl"), &["-D", &d, "-m", "immediate", "-w", "stop"]);
        }
    }
}
