//! The cache folder as a whole: which collection each cache file belongs to, when it was last
//! opened, how big it is; pruning the caches of collections not opened for a while, and
//! clearing them on request. (What is inside a cache file is [`crate::core::cache`]'s.)
//!
//! A collection's cache is `<key>.nrcache` with, beside it, `<key>.nrcorrected` (the index
//! with the user's corrections), `<key>.nrcache.index/` (the search index) and
//! `opened/<key>.roots`: the collection's folders, one per line, rewritten each time the
//! collection is opened, so its modification time is when the collection was last opened.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Caches of collections not opened for this long are removed when another one is opened.
pub const PRUNE_AFTER: Duration = Duration::from_secs(30 * 24 * 60 * 60);

const CACHE_EXT: &str = "nrcache";
/// The folder (inside the cache folder) of the `.roots` records.
const OPENED: &str = "opened";

/// The record of when `cache`'s collection was opened, and of its folders.
fn roots_file(cache: &Path) -> PathBuf {
    let stem = cache.file_stem().map(|s| s.to_os_string()).unwrap_or_default();
    let mut name = stem;
    name.push(".roots");
    cache.parent().unwrap_or(Path::new(".")).join(OPENED).join(name)
}

/// One collection's cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheEntry {
    /// The `.nrcache` file.
    pub path: PathBuf,
    /// The collection's folders and files, when known (caches written before this was kept
    /// do not know them).
    pub roots: Vec<String>,
    /// When the collection was last opened (the cache's own time when unknown).
    pub last_opened: SystemTime,
    /// Bytes of the cache file and everything beside it that belongs to it.
    pub bytes: u64,
}

/// Everything that belongs to the cache file `cache`.
fn companions(cache: &Path) -> Vec<PathBuf> {
    vec![
        cache.to_path_buf(),
        cache.with_extension("nrcorrected"),
        roots_file(cache),
        crate::core::search::index_dir(cache),
    ]
}

fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if meta.is_dir() {
        walkdir::WalkDir::new(path)
            .into_iter()
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    } else {
        meta.len()
    }
}

/// Records that the collection of `roots`, cached in `cache`, was opened now.
pub fn touch(cache: &Path, roots: &[PathBuf]) -> std::io::Result<()> {
    let mut text = String::new();
    for r in roots {
        let shown = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
        // One root per line: a line break in a folder's name would split it; keep it visible.
        text.push_str(&shown.to_string_lossy().replace(['\n', '\r'], "?"));
        text.push('\n');
    }
    let record = roots_file(cache);
    if let Some(dir) = record.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(record, text)
}

/// The caches in `dir`, most recently opened first. A missing folder has none.
pub fn list(dir: &Path) -> Vec<CacheEntry> {
    let Ok(read) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(CACHE_EXT) || !path.is_file() {
            continue;
        }
        let roots_file = roots_file(&path);
        let roots = std::fs::read_to_string(&roots_file)
            .map(|t| t.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
            .unwrap_or_default();
        let last_opened = std::fs::metadata(&roots_file)
            .or_else(|_| std::fs::metadata(&path))
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let bytes = companions(&path).iter().map(|p| size_of(p)).sum();
        out.push(CacheEntry { path, roots, last_opened, bytes });
    }
    out.sort_by(|a, b| b.last_opened.cmp(&a.last_opened).then(a.path.cmp(&b.path)));
    out
}

/// Removes one collection's cache and what belongs to it; the bytes freed.
pub fn remove(cache: &Path) -> std::io::Result<u64> {
    let mut freed = 0;
    for p in companions(cache) {
        let bytes = size_of(&p);
        let result = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        match result {
            Ok(()) => freed += bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(freed)
}

/// Removes the caches in `dir` last opened before `now - older_than`, except `keep`. Returns
/// how many were removed and the bytes freed. Failing to remove one is only a lost saving.
pub fn prune(dir: &Path, keep: Option<&Path>, older_than: Duration, now: SystemTime) -> (usize, u64) {
    let Some(cutoff) = now.checked_sub(older_than) else { return (0, 0) };
    let mut removed = (0, 0);
    for entry in list(dir) {
        if Some(entry.path.as_path()) == keep || entry.last_opened >= cutoff {
            continue;
        }
        if let Ok(bytes) = remove(&entry.path) {
            removed.0 += 1;
            removed.1 += bytes;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(path: &Path, days: u64) {
        let t = SystemTime::now() - Duration::from_secs(days * 24 * 60 * 60);
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(t).unwrap();
    }

    fn fake_cache(dir: &Path, name: &str, root: &Path) -> PathBuf {
        let cache = dir.join(format!("{name}.nrcache"));
        std::fs::write(&cache, vec![0u8; 1000]).unwrap();
        std::fs::write(cache.with_extension("nrcorrected"), vec![0u8; 10]).unwrap();
        let index = crate::core::search::index_dir(&cache);
        std::fs::create_dir_all(&index).unwrap();
        std::fs::write(index.join("seg"), vec![0u8; 100]).unwrap();
        touch(&cache, &[root.to_path_buf()]).unwrap();
        cache
    }

    #[test]
    fn lists_each_collection_with_its_folders_size_and_last_opening() {
        let dir = tempfile::tempdir().unwrap();
        let old = fake_cache(dir.path(), "aaaa", Path::new("/news/old"));
        let new = fake_cache(dir.path(), "bbbb", Path::new("/news/new"));
        age(&roots_file(&old), 40);
        let list = list(dir.path());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].path, new, "most recently opened first");
        assert_eq!(list[0].roots, ["/news/new"]);
        assert_eq!(list[1].bytes, 1110 + list[1].roots[0].len() as u64 + 1);
    }

    #[test]
    fn prunes_only_collections_not_opened_for_thirty_days() {
        let dir = tempfile::tempdir().unwrap();
        let old = fake_cache(dir.path(), "aaaa", Path::new("/news/old"));
        let recent = fake_cache(dir.path(), "bbbb", Path::new("/news/recent"));
        let current = fake_cache(dir.path(), "cccc", Path::new("/news/current"));
        age(&roots_file(&old), 31);
        age(&roots_file(&recent), 29);
        age(&roots_file(&current), 90);
        let (n, bytes) = prune(dir.path(), Some(&current), PRUNE_AFTER, SystemTime::now());
        assert_eq!(n, 1);
        assert!(bytes >= 1110);
        assert!(!old.exists() && !crate::core::search::index_dir(&old).exists());
        assert!(!old.with_extension("nrcorrected").exists() && !roots_file(&old).exists());
        assert!(recent.exists(), "opened 29 days ago: kept");
        assert!(current.exists(), "the collection being opened is never pruned");
    }

    #[test]
    fn a_cache_from_before_roots_were_kept_ages_by_its_own_time() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("dddd.nrcache");
        std::fs::write(&cache, b"x").unwrap();
        age(&cache, 45);
        let list = list(dir.path());
        assert!(list[0].roots.is_empty());
        assert_eq!(prune(dir.path(), None, PRUNE_AFTER, SystemTime::now()).0, 1);
        assert!(!cache.exists());
    }
}
