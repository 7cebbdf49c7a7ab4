//! The temporary names written files are staged under (a pull's blobs,
//! `cat -o`, the files view's `p`), and the clean-up of those a killed
//! earlier pull left behind. A name carries the process id of
//! its writer (`.regscope-pull-<pid>-<random>`), so a later run removes only
//! what no living process is still writing: another pull into the same
//! directory (a second regscope, or the TUI's next job) keeps its files.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Every temporary name of a pull starts with this; nothing else is removed.
pub(crate) const TEMP_PREFIX: &str = ".regscope-pull-";

/// Where the writer's process cannot be checked, a temporary name untouched
/// for this long is taken as abandoned.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The prefix of this process's temporary names.
pub(crate) fn own_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// Removes the temporary files and directories in `dir` (not below it) that
/// an earlier pull left when it was killed. Returns what it removed; a name
/// it cannot remove is left alone (the pull itself does not need it gone).
pub(crate) fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix(TEMP_PREFIX) else {
            continue;
        };
        let path = entry.path();
        // Never follow a link planted under our prefix.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() || !is_abandoned(rest, &meta) {
            continue;
        }
        let gone = if meta.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// `rest` is the name after the prefix: `<pid>-<random>`.
fn is_abandoned(rest: &str, meta: &std::fs::Metadata) -> bool {
    let writer = rest
        .split_once('-')
        .and_then(|(pid, _)| pid.parse::<u32>().ok());
    match writer {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) => match process_alive(pid) {
            Some(alive) => !alive,
            None => untouched_for_long(meta),
        },
        None => untouched_for_long(meta),
    }
}

/// Whether process `pid` runs, where the system can say (Linux's `/proc`).
fn process_alive(pid: u32) -> Option<bool> {
    let proc_root = Path::new("/proc");
    if !proc_root.join("self").exists() {
        return None;
    }
    Some(proc_root.join(pid.to_string()).exists())
}

fn untouched_for_long(meta: &std::fs::Metadata) -> bool {
    meta.modified()
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|age| age > ABANDONED_AFTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn removes_only_abandoned_names_of_our_prefix() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A pid far above Linux's pid_max: no such process.
        let dead = dir.path().join(format!("{TEMP_PREFIX}4294967295-abc123"));
        let dead_dir = dir.path().join(format!("{TEMP_PREFIX}4294967294-def456"));
        let mine = dir.path().join(format!("{}xyz789", own_prefix()));
        let other = dir.path().join("sbom.json");
        let lookalike = dir.path().join(".regscope-other-1-abc");
        std::fs::write(&dead, "half").expect("write");
        std::fs::create_dir(&dead_dir).expect("mkdir");
        std::fs::write(dead_dir.join("inner"), "x").expect("write");
        std::fs::write(&mine, "in progress").expect("write");
        std::fs::write(&other, "keep").expect("write");
        std::fs::write(&lookalike, "keep").expect("write");
        let outside = tempfile::tempdir().expect("tempdir");
        let planted = dir.path().join(format!("{TEMP_PREFIX}4294967293-link"));
        std::os::unix::fs::symlink(outside.path(), &planted).expect("symlink");

        let mut removed = remove_stale(dir.path());
        removed.sort();
        let mut expected = vec![dead.clone(), dead_dir.clone()];
        expected.sort();
        assert_eq!(removed, expected);
        assert!(mine.exists() && other.exists() && lookalike.exists());
        assert!(planted.symlink_metadata().is_ok() && outside.path().exists());
    }
}
