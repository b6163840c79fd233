//! The real binary, as the command-line tests run it.

use std::process::Command;

/// The binary with its configuration, cache and store in a folder of this test run's own, so
/// that no test reads or writes the developer's.
pub fn cmd() -> Command {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let home = HOME.get_or_init(|| tempfile::tempdir().unwrap());
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsroom"));
    c.env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("data"));
    c
}
