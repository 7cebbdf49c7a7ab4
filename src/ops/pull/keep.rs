//! Keeping what is already there: before a pull touches a final name, a
//! different file (or any directory) at that name stops the whole pull,
//! so the person can choose; the same bytes again are no reason to stop.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::stage::Staged;
use crate::ops::OpError;

/// Fails with [`OpError::WouldReplace`] for the first staged item whose
/// final name under `dir` holds something else. Nothing is written.
pub(super) fn refuse_replacing(dir: &Path, staged: &[(&Path, &Staged)]) -> Result<(), OpError> {
    for (relative, item) in staged {
        let target = dir.join(relative);
        let Ok(meta) = std::fs::symlink_metadata(&target) else {
            continue;
        };
        let same = match item {
            Staged::File(file) => meta.is_file() && same_bytes(file.path(), &target)?,
            // Comparing trees would read both whole; an unpacked directory
            // already there is left to the person.
            Staged::Directory(_) => false,
        };
        if !same {
            return Err(OpError::WouldReplace { path: target });
        }
    }
    Ok(())
}

/// Whether two files hold the same bytes, read side by side.
fn same_bytes(a: &Path, b: &Path) -> Result<bool, OpError> {
    let open = |path: &Path| {
        File::open(path).map_err(|e| OpError::io(format!("read {}", path.display()), e))
    };
    let (file_a, file_b) = (open(a)?, open(b)?);
    let len = |file: &File, path: &Path| {
        file.metadata()
            .map(|m| m.len())
            .map_err(|e| OpError::io(format!("read {}", path.display()), e))
    };
    if len(&file_a, a)? != len(&file_b, b)? {
        return Ok(false);
    }
    let (mut a_reader, mut b_reader) = (BufReader::new(file_a), BufReader::new(file_b));
    let (mut a_buf, mut b_buf) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let read = a_reader
            .read(&mut a_buf)
            .map_err(|e| OpError::io(format!("read {}", a.display()), e))?;
        if read == 0 {
            return Ok(true);
        }
        b_reader
            .read_exact(&mut b_buf[..read])
            .map_err(|e| OpError::io(format!("read {}", b.display()), e))?;
        if a_buf[..read] != b_buf[..read] {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_content_not_names() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let a = write("a", &vec![7u8; 200_000]);
        let same = write("same", &vec![7u8; 200_000]);
        let mut changed = vec![7u8; 200_000];
        changed[150_000] = 8;
        let other = write("other", &changed);
        let short = write("short", b"7");
        assert!(same_bytes(&a, &same).unwrap());
        assert!(!same_bytes(&a, &other).unwrap());
        assert!(!same_bytes(&a, &short).unwrap());
    }
}
