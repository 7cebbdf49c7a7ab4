//! [`Beneath`] on Unix: the way to a directory below the root. The root is
//! the directory the person chose, opened once (a symlink to it is their
//! choice, so it is followed). Below it, a directory is reached with
//! `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`
//! where Linux has it, else (and to create what is missing, or to say which
//! component is a symlink) one component at a time with `O_NOFOLLOW |
//! O_DIRECTORY` relative to the one before. What is done at a name then is
//! done relative to that handle (`entries.rs`, `place.rs`): no call ever
//! resolves a path that a symlink could redirect.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::{DIR_MODE, Kind, plain_components};
use crate::ops::OpError;

/// A directory the person chose, and the way below it.
pub(crate) struct Beneath {
    root: OwnedFd,
    path: PathBuf,
    /// Off in tests, to exercise the component walk on kernels with
    /// `openat2`.
    try_openat2: bool,
}

impl Beneath {
    /// Opens `path`, which must be a directory.
    pub(crate) fn open(path: &Path) -> Result<Beneath, OpError> {
        let root = rustix::fs::openat(CWD, path, directory_flags(), Mode::empty())
            .map_err(|e| OpError::io(format!("open {}", path.display()), e.into()))?;
        Ok(Beneath {
            root,
            path: path.to_path_buf(),
            try_openat2: true,
        })
    }

    /// Creates `path` (and its parents: the person's choice) and opens it.
    pub(crate) fn create(path: &Path) -> Result<Beneath, OpError> {
        std::fs::create_dir_all(path)
            .map_err(|e| OpError::io(format!("create {}", path.display()), e))?;
        Beneath::open(path)
    }

    #[cfg(test)]
    pub(crate) fn walking_only(mut self) -> Beneath {
        self.try_openat2 = false;
        self
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn root(&self) -> BorrowedFd<'_> {
        self.root.as_fd()
    }

    /// What stands at `relative`, `None` when nothing (or a directory on
    /// the way is missing). A symlink on the way is refused.
    pub(crate) fn kind(&self, relative: &Path) -> Result<Option<Kind>, OpError> {
        let shown = relative.display().to_string();
        let parts = plain_components(relative, &shown)?;
        let Some((leaf, dirs)) = parts.split_last() else {
            return Ok(Some(Kind::Dir));
        };
        let Some(parent) = self.open_dir(dirs, false, &shown)? else {
            return Ok(None);
        };
        match rustix::fs::statat(&parent, *leaf, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(kind_of(stat.st_mode))),
            Err(Errno::NOENT) => Ok(None),
            Err(error) => Err(OpError::io(format!("look at {shown}"), error.into())),
        }
    }

    /// The directory holding `relative`'s last name (created as needed),
    /// and that name.
    pub(super) fn parent_creating<'a>(
        &self,
        relative: &'a Path,
        shown: &str,
    ) -> Result<(OwnedFd, &'a OsStr), OpError> {
        let parts = plain_components(relative, shown)?;
        let (leaf, dirs) = parts
            .split_last()
            .ok_or_else(|| OpError::unsafe_path(shown, "the name names no file"))?;
        Ok((self.open_dir_creating(dirs, shown)?, leaf))
    }

    pub(super) fn open_dir_creating(
        &self,
        dirs: &[&OsStr],
        shown: &str,
    ) -> Result<OwnedFd, OpError> {
        self.open_dir(dirs, true, shown)?
            .ok_or_else(|| OpError::unsafe_path(shown, "a directory on the way vanished"))
    }

    /// The directory `dirs` names below the root, or `None` when one is
    /// missing and not to be created. A symlink or a non-directory on the
    /// way is refused, naming it.
    pub(super) fn open_dir(
        &self,
        dirs: &[&OsStr],
        create: bool,
        shown: &str,
    ) -> Result<Option<OwnedFd>, OpError> {
        if self.try_openat2
            && let Some(dir) = open_beneath(self.root(), dirs)
        {
            return Ok(Some(dir));
        }
        // Missing, refused, or no `openat2`: the walk creates, or says why.
        let mut current: Option<OwnedFd> = None;
        for name in dirs {
            let parent = current.as_ref().map_or(self.root(), AsFd::as_fd);
            match step(parent, name, create, shown)? {
                Some(next) => current = Some(next),
                None => return Ok(None),
            }
        }
        match current {
            Some(dir) => Ok(Some(dir)),
            None => rustix::fs::openat(&self.root, ".", directory_flags(), Mode::empty())
                .map(Some)
                .map_err(|e| OpError::io(format!("open {}", self.path.display()), e.into())),
        }
    }
}

/// The directory `name` in `parent`, made (with [`DIR_MODE`]) when missing
/// and `create`, never through a symlink.
fn step(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    create: bool,
    shown: &str,
) -> Result<Option<OwnedFd>, OpError> {
    let open = || rustix::fs::openat(parent, name, no_follow_dir(), Mode::empty());
    let refused = |error: Errno| match error {
        Errno::LOOP | Errno::NOTDIR => Err(not_a_directory(parent, name, shown)),
        other => Err(OpError::io(
            format!("open the directories of {shown}"),
            other.into(),
        )),
    };
    match open() {
        Ok(dir) => return Ok(Some(dir)),
        Err(Errno::NOENT) if create => {}
        Err(Errno::NOENT) => return Ok(None),
        Err(error) => return refused(error),
    }
    match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(DIR_MODE)) {
        Ok(()) | Err(Errno::EXIST) => {}
        Err(error) => {
            return Err(OpError::io(
                format!("create the directories of {shown}"),
                error.into(),
            ));
        }
    }
    open().map(Some).or_else(refused)
}

/// `openat2` resolving `dirs` strictly beneath `root`, following no
/// symlink at all; `None` when it cannot (missing, refused, or an old
/// kernel), and the walk takes over.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn open_beneath(root: BorrowedFd<'_>, dirs: &[&OsStr]) -> Option<OwnedFd> {
    use rustix::fs::ResolveFlags;
    if dirs.is_empty() {
        return None;
    }
    let path: PathBuf = dirs.iter().collect();
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
    rustix::fs::openat2(root, &path, no_follow_dir(), Mode::empty(), resolve).ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn open_beneath(_root: BorrowedFd<'_>, _dirs: &[&OsStr]) -> Option<OwnedFd> {
    None
}

/// Why `name` in `parent` could not be opened as a directory.
fn not_a_directory(parent: BorrowedFd<'_>, name: &OsStr, shown: &str) -> OpError {
    let name = name.to_string_lossy();
    let why = match kind_at(parent, &name) {
        Some(Kind::Symlink) => format!("{name} is a symbolic link"),
        _ => format!("{name} is not a directory"),
    };
    OpError::unsafe_path(shown, why)
}

pub(super) fn kind_at(parent: BorrowedFd<'_>, name: &str) -> Option<Kind> {
    rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW)
        .ok()
        .map(|stat| kind_of(stat.st_mode))
}

pub(super) fn kind_of(raw_mode: rustix::fs::RawMode) -> Kind {
    match FileType::from_raw_mode(raw_mode) {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Dir,
        FileType::Symlink => Kind::Symlink,
        _ => Kind::Other,
    }
}

fn directory_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC
}

pub(super) fn no_follow_dir() -> OFlags {
    directory_flags() | OFlags::NOFOLLOW
}
