//! What the user keeps between runs — which articles were read — in the XDG data directory,
//! written atomically and merged with what another newsroom wrote meanwhile.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct ReadFile {
    version: u32,
    read: Vec<String>,
}

/// `$XDG_DATA_HOME/newsroom/read.json` (usually `~/.local/share/newsroom/read.json`).
pub fn default_read_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "newsroom").map(|d| d.data_dir().join("read.json"))
}

/// Loads read marks. A missing file is an empty set; an unreadable or damaged one is moved
/// aside (never overwritten) and reported, and the marks start empty.
pub fn load_read(path: &Path) -> (HashSet<String>, Option<String>) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (HashSet::new(), None),
        Err(e) => {
            return (
                HashSet::new(),
                Some(format!("cannot read {}: {e}; read marks will not be saved over it", path.display())),
            )
        }
    };
    match serde_json::from_slice::<ReadFile>(&bytes) {
        Ok(f) => (f.read.into_iter().collect(), None),
        Err(e) => {
            let aside = path.with_extension(format!("json.damaged-{}", std::process::id()));
            let moved = std::fs::rename(path, &aside).is_ok();
            let what = if moved { format!("kept as {}", aside.display()) } else { "left in place".to_string() };
            (HashSet::new(), Some(format!("read marks in {} were damaged ({e}); {what}", path.display())))
        }
    }
}

/// Writes read marks atomically: a temporary file in the same folder, synced, then renamed
/// over the old one, so a crash or a signal leaves either the old file or the new, whole.
pub fn save_read(path: &Path, read: &HashSet<String>) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut ids: Vec<&String> = read.iter().collect();
    ids.sort();
    let file = ReadFile { version: VERSION, read: ids.into_iter().cloned().collect() };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    serde_json::to_writer(&mut tmp, &file)?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Read marks as this run changed them, merged with the file as it is now: marks another
/// newsroom added meanwhile are kept, and so are the ones this run removed, removed.
#[derive(Debug, Clone, Default)]
pub struct ReadMarks {
    pub path: Option<PathBuf>,
    baseline: HashSet<String>,
}

impl ReadMarks {
    pub fn open(path: Option<PathBuf>) -> (ReadMarks, HashSet<String>, Option<String>) {
        let (set, warning) = match &path {
            Some(p) => load_read(p),
            None => (HashSet::new(), None),
        };
        (ReadMarks { path, baseline: set.clone() }, set, warning)
    }

    /// Saves `current`; returns the merged set to carry on with.
    pub fn save(&mut self, current: &HashSet<String>) -> std::io::Result<HashSet<String>> {
        let Some(path) = &self.path else { return Ok(current.clone()) };
        let on_disk = load_read(path).0;
        let added = current.difference(&self.baseline);
        let removed: HashSet<&String> = self.baseline.difference(current).collect();
        let mut merged: HashSet<String> = on_disk.into_iter().filter(|id| !removed.contains(id)).collect();
        merged.extend(added.cloned());
        save_read(path, &merged)?;
        self.baseline = merged.clone();
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn saves_and_loads_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/read.json");
        save_read(&path, &set(&["a", "b"])).unwrap();
        assert_eq!(load_read(&path).0, set(&["a", "b"]));
    }

    #[test]
    fn a_damaged_file_is_kept_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.json");
        std::fs::write(&path, b"{not json").unwrap();
        let (marks, warning) = load_read(&path);
        assert!(marks.is_empty());
        assert!(warning.unwrap().contains("damaged"));
        let kept: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(std::fs::read(dir.path().join(&kept[0])).unwrap(), b"{not json");
    }

    #[test]
    fn two_runs_merge_their_marks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.json");
        save_read(&path, &set(&["old"])).unwrap();
        let (mut first, mut first_set, _) = ReadMarks::open(Some(path.clone()));
        let (mut second, mut second_set, _) = ReadMarks::open(Some(path.clone()));
        first_set.insert("x".into());
        first.save(&first_set).unwrap();
        second_set.remove("old");
        second_set.insert("y".into());
        let merged = second.save(&second_set).unwrap();
        assert_eq!(merged, set(&["x", "y"]));
        assert_eq!(load_read(&path).0, set(&["x", "y"]));
    }
}
