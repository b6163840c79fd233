//! Files being written are named after the process writing them (`.PREFIX-PID-…`) until they are
//! renamed into place, so that the next run can tell a file abandoned by a killed process (gone)
//! from one another newsroom is writing now (alive), and remove only the first.

use std::path::Path;

/// The name prefix for a temporary file this process writes.
pub fn prefix(kind: &str) -> String {
    format!(".{kind}-{}-", std::process::id())
}

/// Removes the `.KIND-PID-…` files in `dir` whose process is gone.
pub fn remove_abandoned(dir: &Path, kind: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let start = format!(".{kind}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&start)) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<i32>().ok()) else { continue };
        if !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: i32) -> bool {
    if pid as u32 == std::process::id() {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: i32) -> bool {
    true
}
