//! newsroom: read a collection of articles by the people, organisations, places and dates in
//! them.
//!
//! Layers, data flowing one way: [`core`] (files → articles → entities → index; no terminal
//! code), then the command line in [`cli`].

pub mod app;
pub mod cli;
pub mod cli_config;
pub mod cli_events;
pub mod cli_store;
pub mod cli_user;
pub mod core;
pub mod eval;
pub mod tui;
pub mod ui;
