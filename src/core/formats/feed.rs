//! (Stub: filled in by the formats work.)

use crate::core::document::{Limits, Parsed, ProblemKind};

pub fn parse(_bytes: &[u8], _limits: &Limits) -> Result<Parsed, ProblemKind> {
    Err(ProblemKind::Unsupported { format: "feed".into() })
}

/// Whether these bytes are a feed.
pub fn sniff(_bytes: &[u8]) -> bool {
    false
}
