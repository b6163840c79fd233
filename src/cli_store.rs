//! The command line of the store itself: the global `--store URL` and `--user NAME` flags, and
//! `newsroom store migrate|export|import`.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{open_store, CliError};
use crate::core::team;
use crate::core::text::display_safe;

/// Which store this run uses and as whom (global: before or after the sub-command).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StoreArgs {
    /// Keep your layer (corrections, tags, notes, stars, read marks) in this store: a
    /// `postgres://user@host/db` URL is a team's shared store (default: your own SQLite file;
    /// also NEWSROOM_STORE).
    #[arg(long, global = true, value_name = "URL")]
    pub store: Option<String>,
    /// Who you are in a team's store (default: $USER).
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum StoreCmd {
    /// Creates or updates the store's tables (a team's store: run once when it is set up).
    Migrate,
    /// Writes everything the store keeps to FILE ("-": standard output), one JSON object a line.
    Export { file: PathBuf },
    /// Adds the records of an export to the store (what it has already is kept).
    Import { file: PathBuf },
}

pub fn run(op: &StoreCmd, out: &mut dyn Write) -> Result<(), CliError> {
    let err = |e: crate::core::store::StoreError| CliError::Message(format!("your store: {e}"));
    match op {
        StoreCmd::Migrate => {
            let store = open_store()?;
            let version = store.schema_version().map_err(err)?;
            writeln!(out, "{}: schema version {version}", display_safe(&store.location()))?;
        }
        StoreCmd::Export { file } => {
            let store = open_store()?;
            let records = store.dump().map_err(err)?;
            if file.as_os_str() == "-" {
                team::write_dump(&records, out)?;
            } else {
                let write = || -> std::io::Result<()> {
                    // Written beside and renamed: a failed export leaves no half file.
                    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
                    let mut w = std::io::BufWriter::new(tmp.as_file_mut());
                    team::write_dump(&records, &mut w)?;
                    w.flush()?;
                    drop(w);
                    tmp.persist(file).map_err(|e| e.error)?;
                    Ok(())
                };
                write().map_err(|e| CliError::Message(format!("{}: {e}", file.display())))?;
                writeln!(out, "exported {} records to {}", records.len(), file.display())?;
            }
        }
        StoreCmd::Import { file } => {
            let text =
                std::fs::read_to_string(file).map_err(|e| CliError::Message(format!("{}: {e}", file.display())))?;
            let records = team::parse_dump(&text).map_err(|e| CliError::Message(format!("{}: {e}", file.display())))?;
            let mut store = open_store()?;
            let done = store.load(&records).map_err(err)?;
            write!(out, "imported {} records into {}", done.added, display_safe(&store.location()))?;
            if done.present > 0 {
                write!(out, "; {} were there already", done.present)?;
            }
            if done.others > 0 {
                write!(out, "; {} read marks and stars of other users skipped", done.others)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Global flags given before a sub-command moved after its name. The top level's arguments
/// conflict with sub-commands (so that `newsroom DIR` never reads DIR as a command), which
/// makes clap take `newsroom --store URL entities` as the browser on the folders `entities`;
/// this makes `--store`, `--user`, `--no-cache`, `--max-file-size`, `--color` and `--mouse`
/// work before or after.
pub fn subcommand_first(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    const WITH_VALUE: &[&str] = &["--store", "--user", "--max-file-size", "--color"];
    const WITHOUT: &[&str] = &["--no-cache", "--mouse"];
    let mut i = 1;
    while let Some(a) = args.get(i).and_then(|a| a.to_str()) {
        if WITH_VALUE.contains(&a) {
            i += 2;
        } else if WITHOUT.contains(&a) || WITH_VALUE.iter().any(|f| a.starts_with(&format!("{f}="))) {
            i += 1;
        } else {
            break;
        }
    }
    let Some(name) = args.get(i).and_then(|a| a.to_str()).filter(|_| i > 1) else { return args };
    let cli = crate::cli::Cli::command();
    let known = cli.get_subcommands().any(|s| s.get_name() == name || s.get_all_aliases().any(|a| a == name));
    if !known {
        return args;
    }
    let mut out = vec![args[0].clone(), args[i].clone()];
    out.extend(args[1..i].iter().cloned());
    out.extend(args[i + 1..].iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(std::ffi::OsString::from).collect();
        subcommand_first(args).into_iter().map(|a| a.into_string().unwrap()).collect()
    }

    #[test]
    fn global_flags_before_a_sub_command_are_taken_as_its_own() {
        assert_eq!(
            order(&["newsroom", "--store", "postgres://h/db", "--user=ana", "entity", "merge", "A", "B"]),
            ["newsroom", "entity", "--store", "postgres://h/db", "--user=ana", "merge", "A", "B"]
        );
        assert_eq!(order(&["newsroom", "--no-cache", "list", "d"]), ["newsroom", "list", "--no-cache", "d"]);
        // The browser on folders, and folders not named like a command, are left alone.
        assert_eq!(order(&["newsroom", "--store", "u", "news"]), ["newsroom", "--store", "u", "news"]);
        assert_eq!(order(&["newsroom", "list", "--store", "u"]), ["newsroom", "list", "--store", "u"]);
        use clap::Parser;
        let cli = crate::cli::Cli::parse_from(subcommand_first(
            ["newsroom", "--store", "postgres://h/db", "--user", "ana", "store", "migrate"].map(Into::into).to_vec(),
        ));
        assert_eq!((cli.team.store.as_deref(), cli.team.user.as_deref()), (Some("postgres://h/db"), Some("ana")));
        assert!(matches!(cli.command, Some(crate::cli::Cmd::Store { op: StoreCmd::Migrate })));
    }
}
