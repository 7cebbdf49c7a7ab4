//! Making entries at a name below the root, relative to the handle of the
//! directory holding it: a directory (its mode set through its own
//! descriptor), a new file, a symlink, a hard link. Whatever stands at the
//! name is never written through: a directory there is refused, a file or
//! symlink removed first (the link itself, not what it points to).

use std::ffi::OsStr;
use std::fs::File;
use std::path::Path;

use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, Mode, OFlags};
use rustix::io::Errno;

use super::unix::{Beneath, kind_at, kind_of, no_follow_dir};
use super::{Kind, plain_components, umask};
use crate::ops::OpError;

impl Beneath {
    /// Makes the directory `relative` (and the directories on the way),
    /// or takes the one there, and gives it `mode` (owner access kept, the
    /// umask applied) through its descriptor.
    pub(crate) fn make_dir(&self, relative: &Path, mode: u32, shown: &str) -> Result<(), OpError> {
        let parts = plain_components(relative, shown)?;
        let (leaf, dirs) = parts
            .split_last()
            .ok_or_else(|| OpError::unsafe_path(shown, "the name names no file"))?;
        let parent = self.open_dir_creating(dirs, shown)?;
        let wanted = Mode::from_raw_mode(dir_mode(mode));
        match rustix::fs::mkdirat(&parent, *leaf, wanted) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(error) => return Err(OpError::io(format!("create {shown}"), error.into())),
        }
        let dir = rustix::fs::openat(&parent, *leaf, no_follow_dir(), Mode::empty()).map_err(
            |error| match error {
                Errno::LOOP | Errno::NOTDIR => replacing(&parent, leaf, shown, "a directory"),
                other => OpError::io(format!("open {shown}"), other.into()),
            },
        )?;
        rustix::fs::fchmod(&dir, wanted)
            .map_err(|e| OpError::io(format!("set the mode of {shown}"), e.into()))
    }

    /// Gives the root itself `mode`, as [`Beneath::make_dir`] would.
    pub(crate) fn set_root_mode(&self, mode: u32) -> Result<(), OpError> {
        rustix::fs::fchmod(self.root(), Mode::from_raw_mode(dir_mode(mode))).map_err(|e| {
            OpError::io(
                format!("set the mode of {}", self.path().display()),
                e.into(),
            )
        })
    }

    /// A new file at `relative` with `mode` (setuid, setgid and sticky bits
    /// dropped, the umask applied), open for writing. A file or symlink
    /// already there is removed first (never written through); a directory
    /// is refused.
    pub(crate) fn create_file(
        &self,
        relative: &Path,
        mode: u32,
        shown: &str,
    ) -> Result<File, OpError> {
        let (parent, leaf) = self.parent_creating(relative, shown)?;
        clear_leaf(&parent, leaf, shown, "a file")?;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW;
        let mode = Mode::from_raw_mode(mode & 0o777 & !umask());
        let file = rustix::fs::openat(&parent, leaf, flags | OFlags::CLOEXEC, mode)
            .map_err(|e| OpError::io(format!("create {shown}"), e.into()))?;
        Ok(File::from(file))
    }

    /// A symlink at `relative` holding `target` (which the caller checked),
    /// replacing a file or symlink there; a directory is refused.
    pub(crate) fn symlink(
        &self,
        relative: &Path,
        target: &str,
        shown: &str,
    ) -> Result<(), OpError> {
        let (parent, leaf) = self.parent_creating(relative, shown)?;
        clear_leaf(&parent, leaf, shown, "a symlink")?;
        rustix::fs::symlinkat(target, &parent, leaf)
            .map_err(|e| OpError::io(format!("create link {shown}"), e.into()))
    }

    /// A hard link at `relative` to the regular file at `source`, both
    /// below the root; a symlink, directory or anything else at `source` is
    /// refused.
    pub(crate) fn hard_link(
        &self,
        relative: &Path,
        source: &Path,
        shown: &str,
    ) -> Result<(), OpError> {
        let source_parts = plain_components(source, shown)?;
        let not_before =
            || OpError::unsafe_path(shown, "hard link to something not unpacked before it");
        let (source_leaf, source_dirs) = source_parts.split_last().ok_or_else(not_before)?;
        let source_parent = self
            .open_dir(source_dirs, false, shown)?
            .ok_or_else(not_before)?;
        match rustix::fs::statat(&source_parent, *source_leaf, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) if kind_of(stat.st_mode) == Kind::File => {}
            Ok(_) => return Err(OpError::unsafe_path(shown, "hard link to a non-file")),
            Err(Errno::NOENT) => return Err(not_before()),
            Err(error) => return Err(OpError::io(format!("look at {shown}"), error.into())),
        }
        let (parent, leaf) = self.parent_creating(relative, shown)?;
        clear_leaf(&parent, leaf, shown, "a hard link")?;
        rustix::fs::linkat(
            &source_parent,
            *source_leaf,
            &parent,
            leaf,
            AtFlags::empty(),
        )
        .map_err(|e| OpError::io(format!("create hard link {shown}"), e.into()))
    }
}

/// Makes room for a new entry at `leaf`: a directory there is refused, a
/// file or symlink removed (the link itself, not what it points to).
fn clear_leaf(parent: &OwnedFd, leaf: &OsStr, shown: &str, what: &str) -> Result<(), OpError> {
    match rustix::fs::statat(parent, leaf, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) if kind_of(stat.st_mode) == Kind::Dir => Err(OpError::unsafe_path(
            shown,
            format!("{what} would replace a directory"),
        )),
        Ok(_) => rustix::fs::unlinkat(parent, leaf, AtFlags::empty())
            .map_err(|e| OpError::io(format!("replace {shown}"), e.into())),
        Err(Errno::NOENT) => Ok(()),
        Err(error) => Err(OpError::io(format!("look at {shown}"), error.into())),
    }
}

/// Why a directory entry cannot take the place of what stands at `leaf`.
fn replacing(parent: &OwnedFd, leaf: &OsStr, shown: &str, what: &str) -> OpError {
    let there = match kind_at(parent.as_fd(), &leaf.to_string_lossy()) {
        Some(Kind::Symlink) => "a symbolic link",
        _ => "a file",
    };
    OpError::unsafe_path(shown, format!("{what} would replace {there}"))
}

/// A directory's mode from an archive: owner access kept (so its entries
/// can be written), setuid, setgid and sticky bits dropped, umask applied.
fn dir_mode(mode: u32) -> u32 {
    (mode | 0o700) & 0o777 & !umask()
}
