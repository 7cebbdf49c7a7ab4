//! Putting staged, verified files and directories under their final names
//! through directory handles. A caller's last check for symlinks runs just
//! before the rename, but a path is looked up again by every call that
//! takes one: a title's directory swapped for a symlink in between would
//! redirect the rename out of the output directory. So the rename is made
//! relative to handles [`Beneath`] opened without following symlinks
//! (`renameat`): a component swapped before it is opened is refused, one
//! swapped after no longer matters, since the handle is to the real
//! directory.

use std::ffi::OsStr;
use std::path::Path;

use rustix::fd::OwnedFd;
use rustix::fs::{AtFlags, Mode};
use rustix::io::Errno;
use tempfile::NamedTempFile;

use super::temp::own_prefix;
use super::unix::{Beneath, kind_of};
use super::{Kind, umask};
use crate::ops::OpError;

/// A file written out for the person gets the usual mode, as `oras pull`
/// (Go's `os.Create`) writes it: 0666 less the umask.
const FILE_MODE: u32 = 0o666;

impl Beneath {
    /// Renames `staged` (a name directly inside the root) to `relative`
    /// below it, creating the directories on the way. An existing directory
    /// at the target is replaced when `replace_dir`.
    pub(crate) fn place(
        &self,
        staged: &OsStr,
        relative: &Path,
        replace_dir: bool,
    ) -> Result<(), OpError> {
        let shown = relative.display().to_string();
        let io = |what: &str, error: Errno| {
            OpError::io(
                format!("{what} {}", self.path().join(relative).display()),
                error.into(),
            )
        };
        let (parent, leaf) = self.parent_creating(relative, &shown)?;
        if replace_dir {
            self.set_aside_directory(&parent, leaf)
                .map_err(|e| io("replace", e))?;
        }
        rustix::fs::renameat(self.root(), staged, &parent, leaf).map_err(|e| io("rename into", e))
    }

    /// Gives a verified temporary file directly inside the root the usual
    /// mode (through its descriptor) and renames it to `relative`.
    pub(crate) fn persist(&self, temp: NamedTempFile, relative: &Path) -> Result<(), OpError> {
        let mode = Mode::from_raw_mode(FILE_MODE & !umask());
        rustix::fs::fchmod(temp.as_file(), mode).map_err(|e| {
            OpError::io(format!("set the mode of {}", relative.display()), e.into())
        })?;
        let temp = temp.into_temp_path();
        let staged = temp
            .file_name()
            .ok_or_else(|| OpError::Invalid(format!("{} has no file name", temp.display())))?;
        self.place(staged, relative, false)?;
        // Renamed away: nothing left to remove.
        let _ = temp.keep();
        Ok(())
    }

    /// Moves a directory standing at `leaf` out of the way (to a temporary
    /// name directly in the root) and removes it from there, so nothing is
    /// ever removed through a path a title names.
    fn set_aside_directory(&self, parent: &OwnedFd, leaf: &OsStr) -> Result<(), Errno> {
        match rustix::fs::statat(parent, leaf, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) if kind_of(stat.st_mode) == Kind::Dir => {}
            Ok(_) | Err(Errno::NOENT) => return Ok(()),
            Err(error) => return Err(error),
        }
        let aside = format!("{}replaced-{}", own_prefix(), unique());
        rustix::fs::renameat(parent, leaf, self.root(), aside.as_str())?;
        // Directly inside the root: no title component on the way. Left
        // behind when it cannot go: the next pull's clean-up removes it.
        let _ = std::fs::remove_dir_all(self.path().join(&aside));
        Ok(())
    }
}

/// A name unique within this process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
#[path = "place_tests.rs"]
mod tests;
