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

/// An exclusive lock on the marks file, held while it is read, merged and written, so that two
/// newsroom processes saving at once never drop each other's marks.
struct MarksLock(#[allow(dead_code)] std::fs::File);

impl MarksLock {
    fn take(path: &Path) -> std::io::Result<MarksLock> {
        let target = resolve_link(path);
        let dir = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = target.file_name().map_or_else(|| "read.json".into(), |n| n.to_string_lossy().into_owned());
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!(".{name}.lock")))?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock on a descriptor this function owns; released when the file closes.
            while unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
        Ok(MarksLock(file))
    }
}

/// Read marks as this run changed them, merged with the file as it is now: marks another
/// newsroom added meanwhile are kept, and so are the ones this run removed, removed.
#[derive(Debug, Clone, Default)]
pub struct ReadMarks {
    pub path: Option<PathBuf>,
    baseline: HashSet<String>,
    /// Why the file must not be written (it exists but could not be read): saving over it would
    /// lose every mark in it.
    blocked: Option<String>,
}

impl ReadMarks {
    pub fn open(path: Option<PathBuf>) -> (ReadMarks, HashSet<String>, Option<String>) {
        let (set, warning) = match &path {
            Some(p) => load_read(p),
            None => (HashSet::new(), None),
        };
        if let Some(dir) = path.as_deref().map(resolve_link).as_deref().and_then(Path::parent) {
            crate::core::writing::remove_abandoned(dir, WRITING);
        }
        let blocked = warning.as_ref().filter(|w| w.starts_with("cannot read")).cloned();
        (ReadMarks { path, baseline: set.clone(), blocked }, set, warning)
    }

    /// Saves `current`; returns the merged set to carry on with.
    pub fn save(&mut self, current: &HashSet<String>) -> std::io::Result<HashSet<String>> {
        let Some(path) = &self.path else { return Ok(current.clone()) };
        if let Some(why) = &self.blocked {
            return Err(std::io::Error::other(why.clone()));
        }
        let _lock = MarksLock::take(path)?;
        let (on_disk, warning) = load_read(path);
        if let Some(w) = warning.filter(|w| w.starts_with("cannot read")) {
            return Err(std::io::Error::other(w));
        }
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

    #[test]
    fn an_unreadable_file_is_never_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.json");
        std::fs::create_dir(&path).unwrap(); // exists, cannot be read as a file
        let (mut marks, mut read, warning) = ReadMarks::open(Some(path.clone()));
        assert!(warning.unwrap().contains("cannot read"));
        read.insert("x".into());
        assert!(marks.save(&read).is_err(), "the failure is reported");
        assert!(path.is_dir(), "and nothing replaced what was there");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("read.json");
        save_read(&real, &set(&["a"])).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let (mut marks, mut read, _) = ReadMarks::open(Some(link.clone()));
        read.insert("b".into());
        marks.save(&read).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(load_read(&real).0, set(&["a", "b"]));
    }

    #[test]
    fn temporary_files_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.json");
        let stale = dir.path().join(".read-2147483646-abc");
        std::fs::write(&stale, b"{").unwrap();
        ReadMarks::open(Some(path));
        assert!(!stale.exists());
    }

    #[test]
    fn concurrent_savers_keep_every_mark() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.json");
        std::thread::scope(|s| {
            for t in 0..4 {
                let path = path.clone();
                s.spawn(move || {
                    let (mut marks, mut read, _) = ReadMarks::open(Some(path));
                    for i in 0..25 {
                        read.insert(format!("{t}-{i}"));
                        read = marks.save(&read).unwrap();
                    }
                });
            }
        });
        assert_eq!(load_read(&path).0.len(), 100);
    }
}
