//! While the TUI owns the screen, logs go to a file in the platform's
//! state dir (or cache dir), never to the terminal; help shows the path.

use std::path::PathBuf;
use std::sync::Mutex;

/// Where the log file goes: `<state or cache dir>/regscope.log`.
pub fn log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "regscope")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Some(dir.join("regscope.log"))
}

/// Sends `tracing` to the log file (filter: `REGSCOPE_LOG`, default
/// `info`). Returns the path when this call installed the subscriber;
/// `None` if the file cannot be opened or logging was already set up.
pub fn init() -> Option<PathBuf> {
    let path = log_path()?;
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
