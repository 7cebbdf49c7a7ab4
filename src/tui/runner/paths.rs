//! What the dialogs ask of the local file system, off the render loop:
//! what a typed path completes to, and whether a file to attach is there
//! and can be read.

use std::path::Path;

use tokio::sync::mpsc::UnboundedSender;

use crate::tui::message::{Effect, Msg};

/// Answers `Effect::CompletePath` or `Effect::CheckFile` on a blocking
/// thread (a slow disk or network mount must not stall the loop).
pub fn spawn(effect: Effect, sender: UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || match effect {
        Effect::CompletePath { typed } => {
            let completions = complete_path(&typed);
            let _ = sender.send(Msg::PathCompleted { typed, completions });
        }
        Effect::CheckFile { path } => {
            let result = check_readable(&path);
            let _ = sender.send(Msg::FileChecked { path, result });
        }
        _ => {}
    });
}

/// What `typed` could complete to: entries of its directory starting with
/// its last component (directories end with `/`), sorted, at most 50.
pub fn complete_path(typed: &str) -> Vec<String> {
    let (dir_text, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_text.is_empty() {
        Path::new(".")
    } else {
        Path::new(dir_text)
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let slash = if entry.path().is_dir() { "/" } else { "" };
            Some(format!("{dir_text}{name}{slash}"))
        })
        .collect();
    found.sort();
    found.truncate(50);
    found
}

/// Whether `path` can be attached: a regular file that opens for
/// reading, or a directory that lists (symlinks followed); else why not,
/// in words (the error's kind, not the OS's message with its number).
pub fn check_readable(path: &Path) -> Result<(), String> {
    let explain = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(explain)?;
    if metadata.is_dir() {
        std::fs::read_dir(path).map(drop).map_err(explain)
    } else if metadata.is_file() {
        std::fs::File::open(path).map(drop).map_err(explain)
    } else {
        Err("not a regular file or a directory".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_paths_from_a_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("docs")).expect("mkdir");
        std::fs::write(dir.path().join("sbom.json"), b"{}").expect("write");
        std::fs::write(dir.path().join("sig.txt"), b"x").expect("write");
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            complete_path(&format!("{base}s")),
            [format!("{base}sbom.json"), format!("{base}sig.txt")]
        );
        assert_eq!(complete_path(&format!("{base}d")), [format!("{base}docs/")]);
        assert!(complete_path(&format!("{base}zzz")).is_empty());
    }

    #[test]
    fn a_file_to_attach_must_be_there_and_readable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sbom.json");
        std::fs::write(&file, b"{}").expect("write");
        assert_eq!(check_readable(&file), Ok(()));
        assert_eq!(check_readable(dir.path()), Ok(()), "a directory is packed");
        assert_eq!(
            check_readable(&dir.path().join("nope.json")),
            Err("no such file or directory".to_owned())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_a_dangling_link_is_refused() {
        assert_eq!(
            check_readable(Path::new("/dev/null")),
            Err("not a regular file or a directory".to_owned())
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &link).expect("symlink");
        assert_eq!(
            check_readable(&link),
            Err("no such file or directory".to_owned())
        );
    }
}
