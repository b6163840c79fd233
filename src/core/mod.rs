//! The core: parse, clean, extract and index articles. No terminal code lives here.

pub mod article;
pub mod cache;
pub mod cache_dir;
pub mod clean;
pub mod corpus;
pub mod corrections;
pub mod dates;
pub mod document;
pub mod events;
pub mod export;
pub mod extract;
pub mod formats;
pub mod furniture;
pub mod generate;
pub mod index;
pub mod ingest;
pub mod intern;
pub mod search;
pub mod settings;
pub mod state;
pub mod store;
pub mod store_pg;
pub mod team;
pub mod text;
pub mod writing;
