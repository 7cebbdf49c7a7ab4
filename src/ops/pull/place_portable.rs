//! Putting staged blobs under their final names where directory handles
//! (`openat`) are not available: by path, after the symlink check the
//! caller made, which leaves a window between that check and the rename.

use std::ffi::OsStr;
use std::path::Path;

use crate::ops::OpError;

pub(super) fn place(
    dir: &Path,
    staged: &OsStr,
    relative: &Path,
    replace_dir: bool,
) -> Result<(), OpError> {
    let target = dir.join(relative);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| OpError::io(format!("create {}", parent.display()), e))?;
    }
    if replace_dir && target.is_dir() {
        std::fs::remove_dir_all(&target)
            .map_err(|e| OpError::io(format!("replace {}", target.display()), e))?;
    }
    std::fs::rename(dir.join(staged), &target)
        .map_err(|e| OpError::io(format!("rename into {}", target.display()), e))
}
