//! Archives (`.zip`, `.tar.gz`): their regular files, unpacked in memory, never on disk.
//!
//! Nothing an archive declares about itself is trusted: every member is read through a
//! `take` of at most `max_bytes` (plus one byte, to tell "exactly at the limit" from "over
//! it"), the whole archive through a budget of `max_unpacked`, and at most `max_items` members
//! are kept. A member past a limit, encrypted or damaged becomes a note
//! ([`ProblemKind::Partial`]); the rest of the archive still loads.

use std::io::{Cursor, Read};

use crate::core::document::{human_size, Limits, ProblemKind};

/// A file inside an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Its path inside the archive.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Which archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    TarGz,
}

/// The regular files of an archive, unpacked in memory within the limits; notes for members
/// left out.
pub fn members(
    bytes: &[u8],
    kind: ArchiveKind,
    limits: &Limits,
) -> Result<(Vec<Member>, Vec<ProblemKind>), ProblemKind> {
    if bytes.is_empty() {
        return Err(ProblemKind::Empty);
    }
    match kind {
        ArchiveKind::Zip => zip_members(bytes, limits),
        ArchiveKind::TarGz => tar_gz_members(bytes, limits),
    }
}

/// Whether a member is worth reading by its name: no hidden files, no macOS resource forks.
fn wanted(name: &str) -> bool {
    let name = name.trim_start_matches("./");
    !name.is_empty()
        && !name.ends_with('/')
        && !name.split(['/', '\\']).any(|part| part.starts_with('.') || part == "__MACOSX")
}

fn note(detail: String) -> ProblemKind {
    ProblemKind::Partial { detail }
}

/// What the reading of members has used so far, and whether to go on.
struct Budget<'a> {
    limits: &'a Limits,
    used: u64,
    members: Vec<Member>,
    notes: Vec<ProblemKind>,
}

enum Next {
    Continue,
    Stop,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits) -> Self {
        Budget { limits, used: 0, members: Vec::new(), notes: Vec::new() }
    }

    /// Whether another member may be taken; a note when not.
    fn room(&mut self) -> Next {
        if self.members.len() >= self.limits.max_items {
            self.notes.push(note(format!("only the first {} members were read", self.limits.max_items)));
            return Next::Stop;
        }
        if self.used >= self.limits.max_unpacked {
            self.notes.push(self.unpacked_note());
            return Next::Stop;
        }
        Next::Continue
    }

    fn unpacked_note(&self) -> ProblemKind {
        note(format!(
            "the archive unpacks to more than {}; the rest was left out",
            human_size(self.limits.max_unpacked)
        ))
    }

    /// Reads one member through the limits.
    fn read(&mut self, name: String, reader: impl Read) -> Next {
        let left = self.limits.max_unpacked.saturating_sub(self.used);
        let cap = self.limits.max_bytes.min(left);
        let mut bytes = Vec::new();
        let result = reader.take(cap.saturating_add(1)).read_to_end(&mut bytes);
        self.used += bytes.len() as u64;
        if bytes.len() as u64 > cap {
            if cap == self.limits.max_bytes {
                self.notes.push(note(format!("{name} is larger than {}", human_size(self.limits.max_bytes))));
                return Next::Continue;
            }
            self.notes.push(self.unpacked_note());
            return Next::Stop;
        }
        match result {
            Ok(_) => {
                self.members.push(Member { name, bytes });
                Next::Continue
            }
            Err(e) => {
                self.notes.push(note(format!("{name} could not be read: {e}")));
                Next::Continue
            }
        }
    }
}

fn zip_members(bytes: &[u8], limits: &Limits) -> Result<(Vec<Member>, Vec<ProblemKind>), ProblemKind> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ProblemKind::malformed("zip", e.to_string()))?;
    let mut budget = Budget::new(limits);
    for i in 0..archive.len() {
        let name = match archive.name_for_index(i) {
            Some(Ok(name)) => name.into_owned(),
            _ => format!("member {}", i + 1),
        };
        if !wanted(&name) {
            continue;
        }
        let file = match archive.by_index(i) {
            Ok(file) => file,
            Err(e) => {
                budget.notes.push(note(format!("{name} could not be read: {e}")));
                continue;
            }
        };
        if !file.is_file() || file.is_symlink() {
            continue;
        }
        if let Next::Stop = budget.room() {
            break;
        }
        if let Next::Stop = budget.read(name, file) {
            break;
        }
    }
    Ok((budget.members, budget.notes))
}

/// Counts what the decompressor has produced, so that skipping over a member (which the tar
/// reader does by reading it) is bounded too.
struct Counted<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
    limit: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.limit.saturating_sub(self.read.get());
        if left == 0 {
            return Err(std::io::Error::other("unpacked size limit reached"));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

fn tar_gz_members(bytes: &[u8], limits: &Limits) -> Result<(Vec<Member>, Vec<ProblemKind>), ProblemKind> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(ProblemKind::malformed("tar.gz", "not gzip-compressed"));
    }
    // Headers and padding come out of the decompressor too: allow them on top of the contents.
    let stream_limit = limits.max_unpacked.saturating_add(limits.max_unpacked / 8).saturating_add(1 << 20);
    let produced = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let gz = flate2::read::MultiGzDecoder::new(bytes);
    let mut archive = tar::Archive::new(Counted { inner: gz, read: produced.clone(), limit: stream_limit });
    let entries = archive.entries().map_err(|e| ProblemKind::malformed("tar.gz", e.to_string()))?;
    let mut budget = Budget::new(limits);
    let mut damaged = None;
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                damaged = Some(e.to_string());
                break;
            }
        };
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_contiguous()) || !wanted(&name) {
            continue;
        }
        // Skipping a member means decompressing it: one larger than what is left of the budget
        // ends the reading here rather than after unpacking it.
        let declared = entry.header().size().unwrap_or(u64::MAX);
        if declared > stream_limit.saturating_sub(produced.get()) {
            budget.notes.push(budget.unpacked_note());
            break;
        }
        if let Next::Stop = budget.room() {
            break;
        }
        if let Next::Stop = budget.read(name, entry) {
            break;
        }
    }
    if let Some(why) = damaged {
        if budget.members.is_empty() && budget.notes.is_empty() {
            return Err(ProblemKind::malformed("tar.gz", why));
        }
        budget.notes.push(note(format!("the archive is damaged after {} members: {why}", budget.members.len())));
    }
    Ok((budget.members, budget.notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;
    use std::time::Instant;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/mixed/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn names(members: &[Member]) -> Vec<&str> {
        members.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn zip_bundle_gives_its_two_articles() {
        let (members, notes) = members(&fixture("bundle.zip"), ArchiveKind::Zip, &Limits::default()).unwrap();
        assert_eq!(names(&members), ["bundle/nepal-power.txt", "bundle/sri-lanka-imf.md"]);
        assert!(notes.is_empty(), "{notes:?}");
        let text = String::from_utf8(members[0].bytes.clone()).unwrap();
        assert!(text.starts_with("Nepal and India agree to extend power trade deal"));
        assert!(String::from_utf8_lossy(&members[1].bytes).contains("Nandalal Weerasinghe"));
    }

    #[test]
    fn tar_gz_bundle_skips_directories_and_links() {
        let (members, notes) = members(&fixture("bundle.tar.gz"), ArchiveKind::TarGz, &Limits::default()).unwrap();
        assert_eq!(names(&members), ["bundle/nepal-power.txt", "bundle/sri-lanka-imf.md"]);
        assert!(notes.is_empty(), "{notes:?}");
        assert!(String::from_utf8_lossy(&members[0].bytes).contains("Nepal Electricity Authority"));
    }

    #[test]
    fn members_over_a_limit_become_notes() {
        let limits = Limits { max_bytes: 700, ..Limits::default() };
        for (file, kind) in [("bundle.zip", ArchiveKind::Zip), ("bundle.tar.gz", ArchiveKind::TarGz)] {
            let (got, notes) = members(&fixture(file), kind, &limits).unwrap();
            // The .txt article is 727 bytes, the .md one 665.
            assert_eq!(names(&got), ["bundle/sri-lanka-imf.md"], "{file}");
            assert!(
                matches!(&notes[..], [ProblemKind::Partial { detail }] if detail.contains("nepal-power.txt")),
                "{notes:?}"
            );
        }
        let limits = Limits { max_items: 1, ..Limits::default() };
        let (got, notes) = members(&fixture("bundle.zip"), ArchiveKind::Zip, &limits).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(notes.len(), 1);
        let limits = Limits { max_unpacked: 1000, ..Limits::default() };
        let (members, notes) = members(&fixture("bundle.tar.gz"), ArchiveKind::TarGz, &limits).unwrap();
        assert_eq!(members.len(), 1);
        assert!(
            matches!(&notes[..], [ProblemKind::Partial { detail }] if detail.contains("unpacks to more")),
            "{notes:?}"
        );
    }

    /// A deflate stream of `chunks` MiB of zeros, made without compressing them all: after a
    /// sync flush, every further MiB of zeros compresses to the same bytes.
    fn zeros_deflated(chunks: usize) -> Vec<u8> {
        use flate2::{Compress, Compression, FlushCompress};
        let zeros = vec![0u8; 1 << 20];
        let mut c = Compress::new(Compression::best(), false);
        let mut out = Vec::with_capacity(1 << 16);
        let chunk = |c: &mut Compress, flush| {
            let mut buf = Vec::with_capacity(1 << 16);
            let input = if matches!(flush, FlushCompress::Finish) { &[][..] } else { &zeros[..] };
            c.compress_vec(input, &mut buf, flush).unwrap();
            buf
        };
        let first = chunk(&mut c, FlushCompress::Sync);
        let repeat = chunk(&mut c, FlushCompress::Sync);
        let last = chunk(&mut c, FlushCompress::Finish);
        out.extend_from_slice(&first);
        for _ in 1..chunks {
            out.extend_from_slice(&repeat);
        }
        out.extend_from_slice(&last);
        out
    }

    /// A one-member zip whose headers declare `declared` bytes, holding `data` deflated.
    fn zip_declaring(name: &str, data: &[u8], declared: u32) -> Vec<u8> {
        let mut z = Vec::new();
        let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
        let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
        z.extend_from_slice(b"PK\x03\x04");
        le16(&mut z, 20);
        le16(&mut z, 0);
        le16(&mut z, 8); // deflate
        le32(&mut z, 0); // time, date
        le32(&mut z, 0x1234_5678); // crc
        le32(&mut z, data.len() as u32);
        le32(&mut z, declared);
        le16(&mut z, name.len() as u16);
        le16(&mut z, 0);
        z.extend_from_slice(name.as_bytes());
        z.extend_from_slice(data);
        let cd = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02");
        le16(&mut z, 20);
        le16(&mut z, 20);
        le16(&mut z, 0);
        le16(&mut z, 8);
        le32(&mut z, 0);
        le32(&mut z, 0x1234_5678);
        le32(&mut z, data.len() as u32);
        le32(&mut z, declared);
        le16(&mut z, name.len() as u16);
        for _ in 0..4 {
            le16(&mut z, 0); // extra, comment, disk, internal attributes
        }
        le32(&mut z, 0); // external attributes
        le32(&mut z, 0); // local header offset
        z.extend_from_slice(name.as_bytes());
        let cd_len = z.len() as u32 - cd;
        z.extend_from_slice(b"PK\x05\x06");
        le32(&mut z, 0);
        le16(&mut z, 1);
        le16(&mut z, 1);
        le32(&mut z, cd_len);
        le32(&mut z, cd);
        le16(&mut z, 0);
        z
    }

    #[test]
    fn zip_bomb_is_cut_short_fast() {
        // 1 GiB of zeros, compressed to about 1 MB, declared as 100 bytes.
        let bomb = zip_declaring("report.txt", &zeros_deflated(1024), 100);
        assert!(bomb.len() < 2 << 20);
        let limits = Limits { max_bytes: 4 << 20, ..Limits::default() };
        let started = Instant::now();
        let (members, notes) = members(&bomb, ArchiveKind::Zip, &limits).unwrap();
        assert!(members.is_empty());
        assert_eq!(notes.len(), 1, "{notes:?}");
        // Reading stopped at the member limit instead of unpacking the gigabyte (seconds).
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn tar_gz_bomb_is_cut_short_fast() {
        // A tar whose one member declares 1 GiB, its data 1 GiB of zeros gzip-compressed.
        let mut header = tar::Header::new_gnu();
        header.set_path("big.txt").unwrap();
        header.set_size(1 << 30);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(header.as_bytes()).unwrap();
        let head = gz.finish().unwrap();
        // A gzip stream may be followed by another: the member's data as a second stream.
        let mut bomb = head;
        let data = zeros_deflated(1024);
        bomb.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
        bomb.extend_from_slice(&data);
        bomb.extend_from_slice(&[0; 8]); // crc and size, wrong: never reached
        let limits = Limits { max_bytes: 4 << 20, max_unpacked: 64 << 20, ..Limits::default() };
        let started = Instant::now();
        let (members, notes) = members(&bomb, ArchiveKind::TarGz, &limits).unwrap();
        assert!(members.is_empty());
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn encrypted_and_corrupt_members_are_notes() {
        let mut zip = fixture("bundle.zip");
        // Damage the deflated data of the first article (after its local header and name).
        let at = zip.windows(22).position(|w| w == b"bundle/nepal-power.txt").unwrap() + 22;
        for b in &mut zip[at..at + 40] {
            *b ^= 0x5a;
        }
        let (got, notes) = members(&zip, ArchiveKind::Zip, &Limits::default()).unwrap();
        assert_eq!(names(&got), ["bundle/sri-lanka-imf.md"]);
        assert!(
            matches!(&notes[..], [ProblemKind::Partial { detail }] if detail.contains("nepal-power.txt")),
            "{notes:?}"
        );

        // The encryption flag set on the second article.
        let mut zip = fixture("bundle.zip");
        for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
            let mut from = 0;
            while let Some(p) = zip[from..].windows(4).position(|w| w == sig) {
                let p = from + p;
                let flags_at = if sig[2] == 3 { p + 6 } else { p + 8 };
                let name_len_at = if sig[2] == 3 { p + 26 } else { p + 28 };
                let name_at = if sig[2] == 3 { p + 30 } else { p + 46 };
                let name_len = u16::from_le_bytes([zip[name_len_at], zip[name_len_at + 1]]) as usize;
                if &zip[name_at..name_at + name_len] == b"bundle/sri-lanka-imf.md" {
                    zip[flags_at] |= 1;
                }
                from = p + 4;
            }
        }
        let (got, notes) = members(&zip, ArchiveKind::Zip, &Limits::default()).unwrap();
        assert_eq!(names(&got), ["bundle/nepal-power.txt"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn not_an_archive_is_malformed() {
        assert!(matches!(members(b"hello", ArchiveKind::Zip, &Limits::default()), Err(ProblemKind::Malformed { .. })));
        assert!(matches!(
            members(b"hello", ArchiveKind::TarGz, &Limits::default()),
            Err(ProblemKind::Malformed { .. })
        ));
        assert_eq!(members(b"", ArchiveKind::Zip, &Limits::default()), Err(ProblemKind::Empty));
    }

    #[test]
    fn hidden_and_resource_fork_names_are_skipped() {
        assert!(wanted("bundle/a.txt"));
        assert!(wanted("./a.txt"));
        assert!(!wanted("bundle/.DS_Store"));
        assert!(!wanted("__MACOSX/bundle/._a.txt"));
        assert!(!wanted(".git/config"));
        assert!(!wanted("dir/"));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = members(&bytes, ArchiveKind::Zip, &Limits::default());
            let _ = members(&bytes, ArchiveKind::TarGz, &Limits::default());
        }

        #[test]
        fn damaged_archives_never_panic(cut in 0usize..1500, flips in proptest::collection::vec((0usize..1500, any::<u8>()), 0..8)) {
            for (name, kind) in [("bundle.zip", ArchiveKind::Zip), ("bundle.tar.gz", ArchiveKind::TarGz)] {
                let mut bytes = fixture(name);
                bytes.truncate(cut.max(2).min(bytes.len()));
                for &(at, b) in &flips {
                    let i = at % bytes.len();
                    bytes[i] = b;
                }
                if let Ok((members, _)) = members(&bytes, kind, &Limits::default()) {
                    prop_assert!(members.len() <= 2);
                }
            }
        }
    }
}
