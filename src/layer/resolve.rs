//! Finding what a path names in the merged view the way a container's
//! kernel would: symlinks in any component followed (absolute targets from
//! the image's root), never leaving the root, and a bounded number of hops.

use super::entry::EntryKind;
use super::merge::{Change, MergedEntry, MergedView};
use crate::ops::OpError;

/// Links followed at most, as Linux's `MAXSYMLINKS`.
const MAX_HOPS: usize = 40;

/// The entry `path` names, symlinks followed.
pub fn resolve<'a>(view: &'a MergedView, path: &str) -> Result<&'a MergedEntry, OpError> {
    let not_found = || OpError::Invalid(format!("{path}: no such file in the image"));
    let mut pending: Vec<String> = components(path).into_iter().rev().collect();
    let mut resolved: Vec<String> = Vec::new();
    let mut hops = 0;
    while let Some(part) = pending.pop() {
        match part.as_str() {
            "." | "" => continue,
            ".." => {
                resolved.pop();
                continue;
            }
            _ => {}
        }
        resolved.push(part);
        let current = resolved.join("/");
        let entry = view
            .find(&current)
            .filter(|e| e.change != Change::Removed)
            .ok_or_else(not_found)?;
        if entry.entry.kind != EntryKind::Symlink {
            continue;
        }
        hops += 1;
        if hops > MAX_HOPS {
            return Err(OpError::Invalid(format!(
                "{path}: more than {MAX_HOPS} symbolic links"
            )));
        }
        let target = entry.entry.link.clone().unwrap_or_default();
        resolved.pop();
        if target.starts_with('/') {
            resolved.clear();
        }
        pending.extend(components(&target).into_iter().rev());
    }
    if resolved.is_empty() {
        return Err(OpError::Invalid(format!("{path}: names the image's root")));
    }
    view.find(&resolved.join("/")).ok_or_else(not_found)
}

fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::entry::FileEntry;
    use crate::layer::merge;

    fn entry(path: &str, kind: EntryKind, link: Option<&str>) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            kind,
            size: 1,
            mode: 0o755,
            uid: 0,
            gid: 0,
            user: String::new(),
            group: String::new(),
            mtime: 0,
            link: link.map(str::to_owned),
        }
    }

    #[test]
    fn follows_links_in_any_component_without_leaving_the_root() {
        let view = merge(&[vec![
            entry("usr", EntryKind::Dir, None),
            entry("usr/lib", EntryKind::Dir, None),
            entry("usr/lib/libc.so", EntryKind::File, None),
            entry("lib", EntryKind::Symlink, Some("usr/lib")),
            entry(
                "usr/lib/libc.so.6",
                EntryKind::Symlink,
                Some("/lib/libc.so"),
            ),
            entry(
                "escape",
                EntryKind::Symlink,
                Some("../../../usr/lib/libc.so"),
            ),
            entry("loop", EntryKind::Symlink, Some("loop")),
        ]]);
        let path_of = |p: &str| resolve(&view, p).map(|e| e.entry.path.clone()).ok();
        assert_eq!(path_of("lib/libc.so.6").as_deref(), Some("usr/lib/libc.so"));
        assert_eq!(path_of("/escape").as_deref(), Some("usr/lib/libc.so"));
        assert!(resolve(&view, "loop").is_err());
        assert!(resolve(&view, "missing").is_err());
    }
}
