//! Text as both front ends show it, by what it does: `escape` makes
//! untrusted strings safe for a terminal (everything shown from a registry
//! goes through it), `units` writes sizes, counts and times, `order` sorts
//! names as versions. Also how both read a path typed by hand.

mod escape;
mod order;
mod units;

use std::path::PathBuf;

pub use escape::{escape_control, escape_control_lines};
pub use order::version_order;
pub use units::{count, human_size, utc_minutes};

/// `~/x` → `$HOME/x`: a path as people type it in the config file or a
/// TUI prompt, where no shell expanded it first.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => PathBuf::from(path),
    }
}
