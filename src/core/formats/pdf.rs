//! (Stub: filled in by the formats work.)

use crate::core::document::{Limits, Parsed, ProblemKind};

pub fn parse(_bytes: &[u8], _limits: &Limits) -> Result<Parsed, ProblemKind> {
    Err(ProblemKind::Unsupported { format: "pdf".into() })
}

/// Whether this thread is running an isolated extraction (whose panics are caught).
pub fn in_isolation() -> bool {
    false
}
