//! (Stub: filled in by the formats work.)

use crate::core::document::{Limits, ProblemKind};

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
    _bytes: &[u8],
    _kind: ArchiveKind,
    _limits: &Limits,
) -> Result<(Vec<Member>, Vec<ProblemKind>), ProblemKind> {
    Err(ProblemKind::Unsupported { format: "archive".into() })
}
