//! The core: parse, clean, extract and index articles. No terminal code lives here.

pub mod article;
pub mod clean;
pub mod dates;
pub mod furniture;
pub mod ingest;
pub mod text;
