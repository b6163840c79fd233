//! (Stub: filled in by the formats work.)

use crate::core::document::{Limits, Parsed, ProblemKind};

pub fn parse(_bytes: &[u8], _limits: &Limits) -> Result<Parsed, ProblemKind> {
    Err(ProblemKind::Unsupported { format: "mail".into() })
}

pub fn parse_mbox(_bytes: &[u8], _limits: &Limits) -> Result<Parsed, ProblemKind> {
    Err(ProblemKind::Unsupported { format: "mbox".into() })
}

/// Whether these bytes look like one mail message.
pub fn sniff(_bytes: &[u8]) -> bool {
    false
}
