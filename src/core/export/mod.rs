//! Exports for analysts' tools: CSV (any table), FollowTheMoney for Aleph, GraphML for Gephi.
//! The writers take a loaded [`crate::core::corpus::Corpus`] and a `Write`; the command line
//! chooses among them with `--format`.

pub mod csv;
pub mod ftm;
pub mod graphml;
