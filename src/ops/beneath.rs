//! The one way regscope writes below a directory the person chose (pull's
//! files, unpacked directories, `cat -o`, the files view's `p`): names come
//! from a registry, so every path below that directory is opened one
//! component at a time relative to the directory before it, never through
//! a symlink, and modes and times are set on descriptors opened there, never
//! by path. What reaches a final name is a verified temporary file renamed
//! into place, so no half-written file ever carries a final name.
//!
//! On Unix this is done with directory handles (`openat`, `openat2` with
//! `RESOLVE_BENEATH` on Linux); elsewhere by path, after a check for
//! symlinks, which leaves a window between check and use.

use std::path::Path;

use super::OpError;

#[cfg(unix)]
mod entries;
#[cfg(unix)]
mod place;
// Built in Unix tests too, so the by-path fallback is type-checked and
// exercised on the machines that build and test regscope.
#[cfg(any(not(unix), test))]
#[cfg_attr(all(unix, test), allow(dead_code))]
mod portable;
pub(crate) mod temp;
#[cfg(unix)]
mod unix;

#[cfg(not(unix))]
pub(crate) use portable::Beneath;
#[cfg(unix)]
pub(crate) use unix::Beneath;

/// Directories created on the way to a name get the usual mode (less the
/// umask).
const DIR_MODE: u32 = 0o755;

/// What stands at a name, never following a symlink there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Symlink,
    /// A device, FIFO or socket.
    Other,
}

/// A verified temporary file inside `dir`, named so an interrupted run's
/// leftovers are recognised (see [`temp`]); private (0600) until
/// [`Beneath::persist`] gives it the usual mode.
pub(crate) fn temp_file(dir: &Path) -> Result<tempfile::NamedTempFile, OpError> {
    tempfile::Builder::new()
        .prefix(&temp::own_prefix())
        .tempfile_in(dir)
        .map_err(|e| OpError::io(format!("create a temporary file in {}", dir.display()), e))
}

/// The same, a directory.
pub(crate) fn temp_dir(dir: &Path) -> Result<tempfile::TempDir, OpError> {
    tempfile::Builder::new()
        .prefix(&temp::own_prefix())
        .tempdir_in(dir)
        .map_err(|e| {
            OpError::io(
                format!("create a temporary directory in {}", dir.display()),
                e,
            )
        })
}

/// The process's umask, which files and directories unpacked from a tar
/// honour as `tar` and `oras pull` do (an archive's 0777 directory is not
/// left writable by everyone). Linux says it in `/proc/self/status`;
/// reading it elsewhere means setting it, which races with other threads,
/// so there the common 022 is assumed.
pub(crate) fn umask() -> u32 {
    static UMASK: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("Umask:"))?;
                u32::from_str_radix(line.trim_start_matches("Umask:").trim(), 8).ok()
            })
            .unwrap_or(0o022)
    })
}

/// A relative path's components, each a plain name: anything else was a
/// caller's mistake, refused rather than interpreted.
fn plain_components<'a>(
    relative: &'a Path,
    shown: &str,
) -> Result<Vec<&'a std::ffi::OsStr>, OpError> {
    relative
        .components()
        .map(|component| match component {
            std::path::Component::Normal(name) => Ok(name),
            _ => Err(OpError::unsafe_path(
                shown,
                "it is not a plain relative path",
            )),
        })
        .collect()
}

#[cfg(all(test, unix))]
mod tests;
