//! Where `tracing` goes, set up once per run by the front end that owns
//! the terminal: stderr for the CLI (results go to stdout), a file in the
//! platform's cache dir for the TUI (the screen is the TUI's; help shows
//! the path). Both take their filter from `REGSCOPE_LOG` (tracing's
//! `EnvFilter` syntax), or `RUST_LOG` for those used to it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// The variable README and help name.
pub const FILTER_VARIABLE: &str = "REGSCOPE_LOG";

/// Where the TUI's log file goes: `<cache dir>/regscope.log`.
pub fn log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "regscope")?;
    Some(dirs.cache_dir().join("regscope.log"))
}

/// Logs to stderr; by default only warnings, which a script may want.
/// Colours only on a terminal (and not with `NO_COLOR`): escape codes in a
/// pipe or a CI log are noise a reader has to strip.
pub fn to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter("warn"))
        .with_writer(std::io::stderr)
        .with_ansi(colours_on_stderr())
        .with_target(false)
        .try_init();
}

fn colours_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Logs to the file at [`log_path`] (appending) and returns that path;
/// `None` when there is no cache dir or it cannot be written, and then
/// nothing is logged.
pub fn to_file() -> Option<PathBuf> {
    let path = log_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).ok()?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    tracing_subscriber::fmt()
        .with_env_filter(filter("info"))
        .with_ansi(false)
        .with_writer(Mutex::new(file))
        .try_init()
        .ok()?;
    Some(path)
}

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env(FILTER_VARIABLE)
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default))
}
