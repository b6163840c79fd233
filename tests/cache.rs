//! The cache: an unchanged collection is read from it alone, a changed one re-processes only
//! what changed, and a damaged or old cache is rebuilt and said so once.

use std::path::{Path, PathBuf};

use newsroom::core::cache::{open_collection, CacheMode, OpenReport};
use newsroom::core::corpus::Corpus;
use newsroom::core::generate;
use newsroom::core::ingest::LoadOptions;

fn collection(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate::write_collection(dir.path(), n, 5).unwrap();
    dir
}

fn open(root: &Path, cache: &Path) -> (Corpus, OpenReport) {
    open_collection(&[root.to_path_buf()], &LoadOptions::default(), &CacheMode::In(cache.to_path_buf()), &|_, _| {})
}

/// The cache files (the search index's folder beside each is left out).
fn cache_files(cache: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(cache).map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect()).unwrap_or_default()
}

/// Everything a user sees of a corpus, to compare two openings.
fn summary(c: &Corpus) -> (Vec<String>, Vec<(String, usize)>, Vec<String>) {
    let titles = c.articles.iter().map(|a| format!("{}|{}|{:?}", a.id, a.title, a.date)).collect();
    let entities = c.index.entities.iter().map(|e| (e.id.clone(), e.mentions)).collect();
    let bodies = (0..c.articles.len()).map(|i| {
        let v = c.open(i).unwrap();
        format!("{}|{}", v.text.body.len(), v.mentions.len())
    });
    (titles, entities, bodies.collect())
}

#[test]
fn reopening_an_unchanged_collection_reads_only_the_cache() {
    let root = collection(30);
    let cache = tempfile::tempdir().unwrap();
    let (first, r1) = open(root.path(), cache.path());
    assert_eq!((r1.processed, r1.reused), (30, 0));
    assert!(r1.cache_note.is_none());
    let (second, r2) = open(root.path(), cache.path());
    assert_eq!((r2.processed, r2.reused), (0, 30));
    assert_eq!(summary(&first), summary(&second));
    let (fresh, _) =
        open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {});
    assert_eq!(summary(&fresh), summary(&second), "the cache gives what processing gives");
}

#[test]
fn a_changed_file_is_the_only_one_processed_again() {
    let root = collection(20);
    let cache = tempfile::tempdir().unwrap();
    open(root.path(), cache.path());
    let file = root.path().join("0000").join("0000003.txt");
    std::fs::write(&file, "A brand new headline\n\nKabul and Peshawar are in this changed story. It is short.")
        .unwrap();
    let (corpus, r) = open(root.path(), cache.path());
    assert_eq!((r.processed, r.reused), (1, 19));
    assert!(corpus.articles.iter().any(|a| a.title == "A brand new headline"));
    // A new file and a removed one.
    std::fs::write(root.path().join("0000").join("extra.txt"), "Another headline\n\nIt names Quetta. Twice: Quetta.")
        .unwrap();
    std::fs::remove_file(root.path().join("0000").join("0000004.txt")).unwrap();
    let (corpus, r) = open(root.path(), cache.path());
    assert_eq!((r.processed, r.reused), (1, 19));
    assert_eq!(corpus.articles.len(), 20);
}

#[test]
fn a_touched_but_unchanged_file_is_recognised_by_its_content() {
    let root = collection(5);
    let cache = tempfile::tempdir().unwrap();
    open(root.path(), cache.path());
    let file = root.path().join("0000").join("0000002.txt");
    let text = std::fs::read(&file).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, text).unwrap(); // same bytes, new mtime
    let (_, r) = open(root.path(), cache.path());
    assert_eq!((r.processed, r.reused), (0, 5));
}

fn damaged_cache_is_rebuilt(damage: impl Fn(&Path), expected_note: &str) {
    let root = collection(8);
    let cache = tempfile::tempdir().unwrap();
    let before = summary(&open(root.path(), cache.path()).0);
    let files = cache_files(cache.path());
    assert_eq!(files.len(), 1);
    damage(&files[0]);
    let (after, r) = open(root.path(), cache.path());
    let note = r.cache_note.expect("the damage is reported");
    assert!(note.contains(expected_note) && note.contains("rebuilding"), "{note}");
    assert_eq!(r.processed, 8);
    assert_eq!(before, summary(&after));
    let (_, again) = open(root.path(), cache.path());
    assert!(again.cache_note.is_none(), "rebuilt once, then trusted");
    assert_eq!(again.reused, 8);
}

#[test]
fn a_truncated_cache_is_rebuilt() {
    damaged_cache_is_rebuilt(
        |f| {
            let len = std::fs::metadata(f).unwrap().len();
            std::fs::OpenOptions::new().write(true).open(f).unwrap().set_len(len / 2).unwrap();
        },
        "truncated",
    );
}

#[test]
fn a_corrupted_cache_is_rebuilt() {
    damaged_cache_is_rebuilt(
        |f| {
            let mut bytes = std::fs::read(f).unwrap();
            let n = bytes.len();
            for b in &mut bytes[n - 200..] {
                *b = b.wrapping_mul(31).wrapping_add(7);
            }
            std::fs::write(f, bytes).unwrap();
        },
        "damaged",
    );
}

#[test]
fn a_cache_from_another_version_is_rebuilt() {
    damaged_cache_is_rebuilt(
        |f| {
            let mut bytes = std::fs::read(f).unwrap();
            bytes[16] = bytes[16].wrapping_add(1);
            std::fs::write(f, bytes).unwrap();
        },
        "another version",
    );
}

#[test]
fn garbage_in_place_of_a_cache_is_rebuilt() {
    damaged_cache_is_rebuilt(|f| std::fs::write(f, b"not a cache at all").unwrap(), "");
}

#[test]
fn no_cache_writes_nothing() {
    let root = collection(3);
    let cache = tempfile::tempdir().unwrap();
    let (c, _) = open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {});
    assert_eq!(c.articles.len(), 3);
    assert!(cache_files(cache.path()).is_empty());
}

#[test]
fn an_unwritable_cache_folder_is_not_fatal() {
    let root = collection(3);
    let blocker = tempfile::NamedTempFile::new().unwrap(); // a file where the folder should be
    let (c, r) = open(root.path(), &blocker.path().join("sub"));
    assert_eq!(c.articles.len(), 3);
    assert!(r.cache_note.unwrap().contains("cannot write the cache"));
    assert!(c.open(2).is_ok());
}

#[test]
fn the_same_folder_spelt_another_way_uses_the_same_cache() {
    let root = collection(6);
    let cache = tempfile::tempdir().unwrap();
    open(root.path(), cache.path());
    // The folder again, through a path with a detour in it.
    let detour = root.path().join("0000").join("..");
    let (corpus, r) = open(&detour, cache.path());
    assert_eq!((r.processed, r.reused), (0, 6));
    assert!(corpus.articles.iter().all(|a| a.path.contains("/../")), "paths as given this time");
    // A changed file under the new spelling: only it is processed again.
    std::fs::write(detour.join("0000").join("0000001.txt"), "New headline\n\nKabul again. And Quetta.").unwrap();
    let (_, r) = open(&detour, cache.path());
    assert_eq!((r.processed, r.reused), (1, 5));
}

/// Everything a user reads of a corpus, texts in full.
fn full_text(c: &Corpus) -> Vec<String> {
    (0..c.articles.len())
        .map(|i| {
            let a = &c.articles[i];
            let v = c.open(i).expect("every article opens");
            let mentions: Vec<String> =
                v.mentions.iter().map(|m| format!("{}:{}:{}", m.start, m.end, c.entity(m.entity).name)).collect();
            format!("{}|{}|{:?}|{:?}|{}|{}", a.id, a.title, a.date, a.author, v.text.body, mentions.join(","))
        })
        .collect()
}

#[test]
fn a_flipped_bit_anywhere_in_the_cache_never_gives_wrong_output() {
    let root = collection(6);
    let cache = tempfile::tempdir().unwrap();
    let truth = full_text(
        &open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {}).0,
    );
    open(root.path(), cache.path());
    let file = cache_files(cache.path()).remove(0);
    let pristine = std::fs::read(&file).unwrap();
    // Every header byte, then offsets spread over the records, the names and the directory.
    let mut offsets: Vec<usize> = (0..128).collect();
    offsets.extend((0..160).map(|k| 128 + k * (pristine.len() - 129) / 159));
    for (round, at) in offsets.into_iter().enumerate() {
        let mut bytes = pristine.clone();
        bytes[at] ^= 1 << (round % 8);
        std::fs::write(&file, &bytes).unwrap();
        let (corpus, _) = open(root.path(), cache.path());
        assert_eq!(full_text(&corpus), truth, "bit {} of byte {at} flipped", round % 8);
    }
    // Truncated anywhere.
    for cut in [0, 10, 100, pristine.len() / 3, pristine.len() / 2, pristine.len() - 1] {
        std::fs::write(&file, &pristine[..cut]).unwrap();
        let (corpus, _) = open(root.path(), cache.path());
        assert_eq!(full_text(&corpus), truth, "cut at {cut}");
    }
}

#[test]
fn a_damaged_record_is_read_again_from_its_file_and_the_cache_rebuilt_next_time() {
    let root = collection(4);
    let cache = tempfile::tempdir().unwrap();
    let truth = full_text(&open(root.path(), cache.path()).0);
    let file = cache_files(cache.path()).remove(0);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[140] ^= 0x20; // inside the first record
    std::fs::write(&file, &bytes).unwrap();
    let (corpus, r) = open(root.path(), cache.path());
    assert!(r.cache_note.is_none(), "records are checked when read");
    assert_eq!(full_text(&corpus), truth);
    drop(corpus);
    let (corpus, r) = open(root.path(), cache.path());
    assert!(r.cache_note.unwrap().contains("damaged"), "the damage is said once, at the next open");
    assert_eq!(full_text(&corpus), truth);
    assert!(open(root.path(), cache.path()).1.cache_note.is_none());
}

#[test]
fn a_same_size_edit_with_the_modification_time_set_back_is_seen() {
    let root = collection(3);
    let cache = tempfile::tempdir().unwrap();
    open(root.path(), cache.path());
    let file = root.path().join("0000").join("0000001.txt");
    let before = std::fs::metadata(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(|c: char| c.is_ascii_lowercase(), "Q", 1);
    assert_eq!(edited.len(), text.len());
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, &edited).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(before.modified().unwrap()).unwrap();
    let (corpus, r) = open(root.path(), cache.path());
    assert_eq!(r.processed, 1, "the status-change time tells the edit");
    let fresh = full_text(
        &open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {}).0,
    );
    assert_eq!(full_text(&corpus), fresh);
}

#[test]
fn cache_files_left_by_an_interrupted_run_are_removed() {
    let root = collection(2);
    let cache = tempfile::tempdir().unwrap();
    // A process id far above any the system hands out.
    let stale = cache.path().join(".writing-2147483646-abcdef");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    let mine = cache.path().join(format!(".writing-{}-zzzzzz", std::process::id()));
    std::fs::write(&mine, b"being written").unwrap();
    open(root.path(), cache.path());
    assert!(!stale.exists(), "the dead run's file is gone");
    assert!(mine.exists(), "a live process's file is left alone");
}

/// A small tmpfs, so that the cache disk fills up; `None` when this machine cannot mount one.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(bytes: usize) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_cache_disk_leaves_every_article_readable() {
    let root = collection(300);
    let Some(disk) = SmallDisk::mount(64 * 1024) else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let truth = full_text(
        &open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {}).0,
    );
    let (corpus, r) = open(root.path(), disk.0.path());
    assert!(r.cache_note.as_deref().unwrap_or("").contains("cannot write the cache"), "{:?}", r.cache_note);
    assert_eq!(full_text(&corpus), truth, "every text as without a cache");
    drop(corpus);
    let (corpus, _) = open(root.path(), disk.0.path());
    assert_eq!(full_text(&corpus), truth, "and again on the next run");
}

#[test]
fn a_file_over_its_time_budget_is_skipped_and_the_rest_loads() {
    let root = collection(3);
    let big = "A long paragraph about Kabul and Peshawar that goes on. ".repeat(40_000);
    std::fs::write(root.path().join("big.txt"), format!("A big file\n\n{big}")).unwrap();
    let opts = LoadOptions { file_time_budget: std::time::Duration::from_millis(1), ..LoadOptions::default() };
    let (corpus, r) = open_collection(&[root.path().to_path_buf()], &opts, &CacheMode::Off, &|_, _| {});
    assert_eq!(corpus.articles.len(), 3, "the others load");
    let said: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert!(said.iter().any(|p| p.contains("big.txt") && p.contains("took longer than")), "{said:?}");
    // With the usual budget the same file loads.
    let (corpus, _) =
        open_collection(&[root.path().to_path_buf()], &LoadOptions::default(), &CacheMode::Off, &|_, _| {});
    assert_eq!(corpus.articles.len(), 4);
}

#[test]
fn the_status_line_counts_every_file_not_loaded() {
    // One empty file (a problem) and ten in formats newsroom does not read: eleven not loaded.
    let root = collection(2);
    std::fs::write(root.path().join("empty.txt"), b"").unwrap();
    for i in 0..10 {
        std::fs::write(root.path().join(format!("sheet{i}.xlsx")), b"PK\x03\x04 not read").unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    let (corpus, report) = open(root.path(), cache.path());
    assert_eq!(corpus.articles.len(), 2);
    assert_eq!(report.not_loaded(), 11);
    assert_eq!(report.status_line().unwrap(), "11 files not loaded; the reasons are printed when you quit");
}

#[test]
fn opening_records_the_collection_for_cache_list_and_prunes_stale_caches() {
    use newsroom::core::cache_dir;
    let cache = tempfile::tempdir().unwrap();
    let old_root = collection(2);
    open(old_root.path(), cache.path());
    let listed = cache_dir::list(cache.path());
    assert_eq!(listed.len(), 1);
    let canonical = std::fs::canonicalize(old_root.path()).unwrap();
    assert_eq!(listed[0].roots, [canonical.display().to_string()]);
    assert!(listed[0].bytes > 0);
    // Not opened for 31 days: opening another collection removes it and its search index.
    let stale = std::time::SystemTime::now() - std::time::Duration::from_secs(31 * 86_400);
    for f in walk(cache.path()) {
        if let Ok(file) = std::fs::File::options().write(true).open(&f) {
            file.set_modified(stale).unwrap();
        }
    }
    let new_root = collection(3);
    open(new_root.path(), cache.path());
    let listed = cache_dir::list(cache.path());
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].roots, [std::fs::canonicalize(new_root.path()).unwrap().display().to_string()]);
    let dirs = std::fs::read_dir(cache.path()).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    assert_eq!(dirs, 2, "the new collection's search index and the opened/ records only");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
