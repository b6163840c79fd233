//! The read marks of earlier versions (`read.json`), which the user's store
//! ([`crate::core::store`]) imports once and keeps as a backup.

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

/// Temporary files being written are named `.read-PID-…` until renamed into place.
const WRITING: &str = "read";

/// Writes read marks atomically: a temporary file in the same folder, synced, then renamed
/// over the old one, so a crash or a signal leaves either the old file or the new, whole. A
/// symbolic link is followed: the file it points to is replaced, the link stays.
pub fn save_read(path: &Path, read: &HashSet<String>) -> std::io::Result<()> {
    let target = resolve_link(path);
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut ids: Vec<&String> = read.iter().collect();
    ids.sort();
    let file = ReadFile { version: VERSION, read: ids.into_iter().cloned().collect() };
    let mut tmp = tempfile::Builder::new().prefix(&crate::core::writing::prefix(WRITING)).tempfile_in(dir)?;
    serde_json::to_writer(&mut tmp, &file)?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Where a path's symbolic links lead (the path itself when it is none, or dangles).
fn resolve_link(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        // A dangling link: write where it points.
        let to = std::fs::read_link(path).unwrap_or_else(|_| path.to_path_buf());
        path.parent().map_or(to.clone(), |p| p.join(to))
    })
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
}
