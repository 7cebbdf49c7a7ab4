//! Validating the names a registry gives files. Titles and tar entry names
//! are untrusted: each becomes a relative path of plain components, or the
//! whole pull is refused before anything is written.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::OpError;

/// Titles longer than this are refused (no file system takes them anyway).
const MAX_NAME_LEN: usize = 4096;

/// A title or entry name as a relative path of normal components.
///
/// Refuses empty names, NUL and other control characters, absolute paths
/// (also Windows drive and UNC forms), backslashes (which other systems read
/// as separators), and any `..` component even when it would stay inside
/// (`a/../b`), because clients disagree about such names.
pub fn safe_relative_path(name: &str) -> Result<PathBuf, OpError> {
    let refuse = |reason: &str| Err(OpError::unsafe_path(name, reason));
    if name.is_empty() {
        return refuse("the name is empty");
    }
    if name.len() > MAX_NAME_LEN {
        return refuse("the name is too long");
    }
    if name.chars().any(char::is_control) {
        return refuse("the name contains control characters");
    }
    if name.contains('\\') {
        return refuse("the name contains a backslash");
    }
    if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return refuse("absolute paths are not allowed");
    }
    let mut path = PathBuf::new();
    for component in Path::new(name).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            Component::ParentDir => return refuse("`..` is not allowed"),
            Component::RootDir | Component::Prefix(_) => {
                return refuse("absolute paths are not allowed");
            }
        }
    }
    if path.as_os_str().is_empty() {
        return refuse("the name names no file");
    }
    Ok(path)
}

/// Validates every title of a pull at once, before the first byte is
/// written: each must be safe, no two may name the same path, and none may
/// sit inside another (a file `a` and a file `a/b`).
pub fn validate_titles<'a>(
    titles: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<PathBuf>, OpError> {
    let mut seen: HashSet<PathBuf> = HashSet::new();
    // Case-insensitive file systems (macOS, Windows) would merge `A.txt`
    // and `a.txt` into one file.
    let mut folded: HashSet<String> = HashSet::new();
    let mut paths = Vec::new();
    for title in titles {
        if title.ends_with('/') {
            return Err(OpError::unsafe_path(
                title,
                "a file title may not end with `/`",
            ));
        }
        let path = safe_relative_path(title)?;
        if !seen.insert(path.clone()) {
            return Err(OpError::unsafe_path(title, "two blobs have this title"));
        }
        if !folded.insert(path.to_string_lossy().to_lowercase()) {
            return Err(OpError::unsafe_path(
                title,
                "two titles differ only in case",
            ));
        }
        paths.push(path);
    }
    for path in &paths {
        for ancestor in path.ancestors().skip(1) {
            if !ancestor.as_os_str().is_empty() && seen.contains(ancestor) {
                return Err(OpError::unsafe_path(
                    path.display().to_string(),
                    format!("it lies inside another title, {}", ancestor.display()),
                ));
            }
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_names() {
        assert_eq!(
            safe_relative_path("sbom.json").expect("ok"),
            PathBuf::from("sbom.json")
        );
        assert_eq!(
            safe_relative_path("./docs/readme.md").expect("ok"),
            PathBuf::from("docs/readme.md")
        );
    }

    #[test]
    fn refuses_escapes_and_tricks() {
        for bad in [
            "",
            ".",
            "..",
            "../x",
            "/abs/x",
            "a/../../x",
            "a/../b",
            "C:\\x",
            "C:x",
            "..\\x",
            "a\\..\\..\\x",
            "a\0b",
            "a\nb",
            "\x1b[31mred",
        ] {
            assert!(
                matches!(safe_relative_path(bad), Err(OpError::UnsafePath { .. })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn refuses_duplicates_and_nesting() {
        assert!(validate_titles(["a", "b/c"]).is_ok());
        assert!(validate_titles(["a", "./a"]).is_err());
        assert!(validate_titles(["a", "a/b"]).is_err());
        assert!(validate_titles(["ok", "../x"]).is_err());
        assert!(validate_titles(["A.txt", "a.txt"]).is_err());
        assert!(validate_titles(["dir/"]).is_err());
    }
}
