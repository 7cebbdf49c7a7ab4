//! What a hostile pull could have changed around its output, written down
//! before and after it: modes, owners, link targets, times and contents.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// What a path is, as far as a pull could have changed it.
fn stat_line(path: &Path, with_times: bool) -> String {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return "missing".to_owned();
    };
    let link = std::fs::read_link(path).map(|l| l.display().to_string());
    let mut line = format!(
        "mode {:o} uid {} gid {} link {:?}",
        meta.mode(),
        meta.uid(),
        meta.gid(),
        link.ok()
    );
    if with_times {
        let times = (
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        );
        line.push_str(&format!(" times {times:?}"));
    }
    if meta.is_file() {
        line.push_str(&format!(" {:?}", std::fs::read(path).unwrap()));
    }
    line
}

/// The output directory (mode and owner: the pull writes inside it, so its
/// times move), each ancestor up to `root` and everything below `sibling`
/// (with times).
pub(super) fn watched(root: &Path, output: &Path, sibling: &Path) -> Vec<(PathBuf, String)> {
    let mut lines = vec![(output.to_path_buf(), stat_line(output, false))];
    for ancestor in output.ancestors().skip(1) {
        lines.push((ancestor.to_path_buf(), stat_line(ancestor, true)));
        if ancestor == root {
            break;
        }
    }
    let mut stack = vec![sibling.to_path_buf()];
    while let Some(path) = stack.pop() {
        lines.push((path.clone(), stat_line(&path, true)));
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            for child in std::fs::read_dir(&path).unwrap() {
                stack.push(child.unwrap().path());
            }
        }
    }
    lines.sort();
    lines
}
