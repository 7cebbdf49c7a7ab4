//! While the TUI owns the screen, logs go to a file in the platform's
//! cache dir (where `main.rs` also puts them when it sets logging up
//! first), never to the terminal; help shows the path.

use std::path::PathBuf;
use std::sync::Mutex;

/// Where the log file goes: `<cache dir>/regscope.log`.
pub fn log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "regscope")?;
    Some(dirs.cache_dir().join("regscope.log"))
}

/// Sends `tracing` to the log file (filter: `REGSCOPE_LOG`, default
/// `info`) unless logging is already set up (by `main.rs`, to the same
/// file). Returns the path to show in help.
pub fn init() -> Option<PathBuf> {
    let path = log_path()?;
    if tracing::dispatcher::has_been_set() {
        return Some(path);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("REGSCOPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}
