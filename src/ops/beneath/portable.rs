//! [`Beneath`] where directory handles (`openat`) are not available: by
//! path, each call after a check that no component below the root is a
//! symlink, which leaves a window between that check and the call. Modes
//! are left to the system (no Unix permission bits here).

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{Kind, plain_components};
use crate::ops::OpError;

pub(crate) struct Beneath {
    path: PathBuf,
}

impl Beneath {
    pub(crate) fn open(path: &Path) -> Result<Beneath, OpError> {
        if !path.is_dir() {
            return Err(OpError::Invalid(format!(
                "{} is not a directory",
                path.display()
            )));
        }
        Ok(Beneath {
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn create(path: &Path) -> Result<Beneath, OpError> {
        std::fs::create_dir_all(path)
            .map_err(|e| OpError::io(format!("create {}", path.display()), e))?;
        Beneath::open(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn kind(&self, relative: &Path) -> Result<Option<Kind>, OpError> {
        refuse_symlinked_components(&self.path, relative.parent().unwrap_or(Path::new("")))?;
        Ok(std::fs::symlink_metadata(self.path.join(relative))
            .ok()
            .map(|meta| kind_of(&meta)))
    }

    pub(crate) fn make_dir(&self, relative: &Path, _mode: u32, shown: &str) -> Result<(), OpError> {
        let target = self.checked(relative, shown)?;
        if let Ok(meta) = std::fs::symlink_metadata(&target)
            && !meta.is_dir()
        {
            return Err(OpError::unsafe_path(
                shown,
                "a directory would replace a file",
            ));
        }
        std::fs::create_dir_all(&target).map_err(|e| OpError::io(format!("create {shown}"), e))
    }

    pub(crate) fn set_root_mode(&self, _mode: u32) -> Result<(), OpError> {
        Ok(())
    }

    pub(crate) fn create_file(
        &self,
        relative: &Path,
        _mode: u32,
        shown: &str,
    ) -> Result<File, OpError> {
        let target = self.cleared(relative, shown, "a file")?;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|e| OpError::io(format!("create {shown}"), e))
    }

    pub(crate) fn symlink(
        &self,
        _relative: &Path,
        _target: &str,
        shown: &str,
    ) -> Result<(), OpError> {
        Err(OpError::unsafe_path(
            shown,
            "symbolic links are not supported here",
        ))
    }

    pub(crate) fn hard_link(
        &self,
        relative: &Path,
        source: &Path,
        shown: &str,
    ) -> Result<(), OpError> {
        let from = self.checked(source, shown)?;
        match std::fs::symlink_metadata(&from) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => return Err(OpError::unsafe_path(shown, "hard link to a non-file")),
            Err(_) => {
                return Err(OpError::unsafe_path(
                    shown,
                    "hard link to something not unpacked before it",
                ));
            }
        }
        let target = self.cleared(relative, shown, "a hard link")?;
        std::fs::hard_link(&from, &target)
            .map_err(|e| OpError::io(format!("create hard link {shown}"), e))
    }

    pub(crate) fn place(
        &self,
        staged: &OsStr,
        relative: &Path,
        replace_dir: bool,
    ) -> Result<(), OpError> {
        let shown = relative.display().to_string();
        let target = self.checked(relative, &shown)?;
        if replace_dir && target.is_dir() {
            std::fs::remove_dir_all(&target)
                .map_err(|e| OpError::io(format!("replace {}", target.display()), e))?;
        }
        std::fs::rename(self.path.join(staged), &target)
            .map_err(|e| OpError::io(format!("rename into {}", target.display()), e))
    }

    pub(crate) fn persist(&self, temp: NamedTempFile, relative: &Path) -> Result<(), OpError> {
        let temp = temp.into_temp_path();
        let staged = temp
            .file_name()
            .ok_or_else(|| OpError::Invalid(format!("{} has no file name", temp.display())))?;
        self.place(staged, relative, false)?;
        let _ = temp.keep();
        Ok(())
    }

    /// `relative` below the root, its directories made, none a symlink.
    fn checked(&self, relative: &Path, shown: &str) -> Result<PathBuf, OpError> {
        plain_components(relative, shown)?;
        let parent = relative.parent().unwrap_or(Path::new(""));
        refuse_symlinked_components(&self.path, parent)?;
        let target = self.path.join(relative);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| OpError::io(format!("create {shown}"), e))?;
        }
        Ok(target)
    }

    /// As [`Beneath::checked`], with a file or link there removed and a
    /// directory refused.
    fn cleared(&self, relative: &Path, shown: &str, what: &str) -> Result<PathBuf, OpError> {
        let target = self.checked(relative, shown)?;
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => Err(OpError::unsafe_path(
                shown,
                format!("{what} would replace a directory"),
            )),
            Ok(_) => std::fs::remove_file(&target)
                .map(|()| target)
                .map_err(|e| OpError::io(format!("replace {shown}"), e)),
            Err(_) => Ok(target),
        }
    }
}

fn kind_of(meta: &std::fs::Metadata) -> Kind {
    if meta.file_type().is_symlink() {
        Kind::Symlink
    } else if meta.is_dir() {
        Kind::Dir
    } else if meta.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

/// Refuses a relative path whose existing components under `root` include a
/// symlink: writing through it could leave the directory.
fn refuse_symlinked_components(root: &Path, relative: &Path) -> Result<(), OpError> {
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(OpError::unsafe_path(
                    relative.display().to_string(),
                    format!("{} is a symbolic link", current.display()),
                ));
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(OpError::io(current.display().to_string(), error)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn writes_below_its_root_and_refuses_symlinks_and_parents() {
        let root = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let beneath = Beneath::create(&root.path().join("out")).expect("a root");

        let mut temp = crate::ops::beneath::temp_file(beneath.path()).expect("temp");
        temp.write_all(b"kept").expect("write");
        beneath
            .persist(temp, Path::new("a/b.txt"))
            .expect("persist");
        let written = std::fs::read(beneath.path().join("a/b.txt")).expect("read");
        assert_eq!(written, b"kept");
        assert_eq!(beneath.kind(Path::new("a")).expect("kind"), Some(Kind::Dir));

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), beneath.path().join("link"))
                .expect("symlink");
            assert!(
                beneath
                    .create_file(Path::new("link/x"), 0o644, "link/x")
                    .is_err()
            );
            assert!(!outside.path().join("x").exists(), "written through a link");
        }
        assert!(
            beneath
                .create_file(Path::new("../x"), 0o644, "../x")
                .is_err()
        );
        assert!(!root.path().join("x").exists(), "written above the root");
        let link = beneath.symlink(Path::new("l"), "a", "l");
        assert!(link.is_err(), "symbolic links are refused here");
    }
}
