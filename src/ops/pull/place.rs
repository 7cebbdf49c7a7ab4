//! Putting staged, verified blobs under their final names through
//! directory handles. The last check for symlinks runs just before the
//! rename, but a path is looked up again by every call that takes one: a
//! title's directory swapped for a symlink in between would redirect the
//! rename out of the output directory. So each directory on the way is
//! opened relative to the one before with `O_NOFOLLOW`, and the rename is
//! made relative to the last one (`renameat`): a component swapped before
//! it is opened is refused, one swapped after no longer matters, since the
//! handle is to the real directory.

use std::ffi::OsStr;
use std::path::{Component, Path};

use rustix::fd::OwnedFd;
use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::temp::own_prefix;
use crate::ops::OpError;

/// Directories a pull creates get the usual mode.
const DIR_MODE: u32 = 0o755;

/// Renames `staged` (a name directly inside `dir`) to `relative` below
/// `dir`, creating the directories on the way. An existing directory at
/// the target is replaced when `replace_dir`.
pub(super) fn place(
    dir: &Path,
    staged: &OsStr,
    relative: &Path,
    replace_dir: bool,
) -> Result<(), OpError> {
    let shown = relative.display().to_string();
    let io = |what: &str, error: Errno| {
        OpError::io(
            format!("{what} {}", dir.join(relative).display()),
            error.into(),
        )
    };
    // The output directory is the user's choice; only what titles name is
    // untrusted.
    let root = rustix::fs::openat(CWD, dir, directory_flags(false), Mode::empty())
        .map_err(|e| io("open the directory of", e))?;
    // The directory the next component is opened in: the output directory
    // until a title's directory has been opened.
    let mut opened: Option<OwnedFd> = None;
    let mut components = relative.components().peekable();
    let mut leaf = None;
    while let Some(component) = components.next() {
        let Component::Normal(name) = component else {
            return Err(OpError::unsafe_path(
                &shown,
                "it is not a plain relative path",
            ));
        };
        if components.peek().is_none() {
            leaf = Some(name);
            break;
        }
        let parent = opened.as_ref().unwrap_or(&root);
        let next = open_or_create(parent, name, &shown).map_err(|e| match e {
            Opened::Refused(refusal) => refusal,
            Opened::Failed(error) => io("create the directories of", error),
        })?;
        opened = Some(next);
    }
    let leaf = leaf.ok_or_else(|| OpError::unsafe_path(&shown, "the name names no file"))?;
    let parent = opened.as_ref().unwrap_or(&root);
    if replace_dir {
        set_aside_directory(dir, &root, parent, leaf).map_err(|e| io("replace", e))?;
    }
    rustix::fs::renameat(&root, staged, parent, leaf).map_err(|e| io("rename into", e))
}

fn directory_flags(no_follow: bool) -> OFlags {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if no_follow {
        flags | OFlags::NOFOLLOW
    } else {
        flags
    }
}

enum Opened {
    Refused(OpError),
    Failed(Errno),
}

/// The directory `name` inside `parent`, created when missing, never
/// through a symlink.
fn open_or_create(parent: &OwnedFd, name: &OsStr, shown: &str) -> Result<OwnedFd, Opened> {
    let open = || rustix::fs::openat(parent, name, directory_flags(true), Mode::empty());
    match open() {
        Ok(fd) => return Ok(fd),
        Err(Errno::NOENT) => {}
        Err(Errno::LOOP | Errno::NOTDIR) => return Err(refusal(parent, name, shown)),
        Err(error) => return Err(Opened::Failed(error)),
    }
    match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(DIR_MODE)) {
        Ok(()) | Err(Errno::EXIST) => {}
        Err(error) => return Err(Opened::Failed(error)),
    }
    open().map_err(|error| match error {
        Errno::LOOP | Errno::NOTDIR => refusal(parent, name, shown),
        other => Opened::Failed(other),
    })
}

/// Why `name` could not be opened as a directory: a symlink, or a file.
fn refusal(parent: &OwnedFd, name: &OsStr, shown: &str) -> Opened {
    let is_link = rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)
        .is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::Symlink);
    let why = if is_link {
        format!("{} is a symbolic link", name.to_string_lossy())
    } else {
        format!("{} is not a directory", name.to_string_lossy())
    };
    Opened::Refused(OpError::unsafe_path(shown, why))
}

/// Moves a directory standing at `leaf` out of the way (to a temporary
/// name directly in the output directory) and removes it from there, so
/// nothing is ever removed through a path a title names.
fn set_aside_directory(
    dir: &Path,
    root: &OwnedFd,
    parent: &OwnedFd,
    leaf: &OsStr,
) -> Result<(), Errno> {
    match rustix::fs::statat(parent, leaf, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(stat) if FileType::from_raw_mode(stat.st_mode) == FileType::Directory => {}
        Ok(_) | Err(Errno::NOENT) => return Ok(()),
        Err(error) => return Err(error),
    }
    let aside = format!("{}replaced-{}", own_prefix(), unique());
    rustix::fs::renameat(parent, leaf, root, aside.as_str())?;
    // Directly inside the output directory: no title component on the way.
    // Left behind when it cannot go: the next pull's clean-up removes it.
    let _ = std::fs::remove_dir_all(dir.join(&aside));
    Ok(())
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
