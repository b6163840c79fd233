//! Format parsers: each turns one file's bytes into [`Document`](crate::core::document::Document)s
//! (or a typed problem), within the [`Limits`](crate::core::document::Limits) it is given. None of
//! them reads the disk or decides what a file is: the pipeline in `core::source` does that.

pub mod archive;
pub mod epub;
pub mod feed;
pub mod html;
pub mod json;
pub mod mail;
pub mod markdown;
pub mod pdf;
