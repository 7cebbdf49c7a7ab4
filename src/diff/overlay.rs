//! One side's file system above the shared base: its own layers applied in
//! order under the overlay rules, remembering not only what is there but
//! what they removed and where they hide what lies below, so that a path
//! they never touch is known to come from the shared base unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use crate::layer::{EntryKind, FileEntry};
use crate::oci::Digest;

/// A path as one side's own layers left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    Present(Placed),
    /// Removed by a whiteout.
    Gone,
}

/// An entry and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub entry: FileEntry,
    /// The content digest of a regular file, when the listing has one.
    pub digest: Option<Digest>,
    /// The layer's index in its image.
    pub layer: usize,
}

/// What a path is on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State<'a> {
    Present(&'a Placed),
    /// Removed here (by a whiteout of it or of a directory above it, an
    /// opaque directory, or a file that replaced a directory).
    Gone,
    /// Not touched above the shared base: whatever the base has.
    Below,
}

#[derive(Debug, Default)]
pub struct Overlay {
    pub slots: BTreeMap<String, Slot>,
    /// Paths under which the shared base's content is hidden: opaque
    /// directories, whiteouts, non-directories.
    pub hides_below: BTreeSet<String>,
    /// Opaque directories, for saying what the base loses.
    pub opaque: BTreeSet<String>,
}

impl Overlay {
    /// Applies one layer's entries (whiteouts first: they only remove what
    /// the layers below had, never their own layer's siblings).
    pub fn apply(
        &mut self,
        layer: usize,
        entries: &[FileEntry],
        digests: &HashMap<String, Digest>,
    ) {
        for entry in entries.iter().filter(|e| e.kind.is_deletion()) {
            self.remove_descendants(&entry.path);
            self.hides_below.insert(entry.path.clone());
            if entry.kind == EntryKind::Opaque {
                self.opaque.insert(entry.path.clone());
            } else {
                self.slots.insert(entry.path.clone(), Slot::Gone);
            }
        }
        for entry in entries.iter().filter(|e| !e.kind.is_deletion()) {
            if entry.kind != EntryKind::Dir {
                self.remove_descendants(&entry.path);
                self.hides_below.insert(entry.path.clone());
            }
            let placed = Placed {
                entry: entry.clone(),
                digest: digests.get(&entry.path).cloned(),
                layer,
            };
            self.slots.insert(entry.path.clone(), Slot::Present(placed));
        }
    }

    fn remove_descendants(&mut self, path: &str) {
        let prefix = descendant_prefix(path);
        let doomed: Vec<String> = self
            .slots
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for key in doomed {
            self.slots.remove(&key);
        }
    }

    /// What `path` is on this side.
    pub fn state(&self, path: &str) -> State<'_> {
        match self.slots.get(path) {
            Some(Slot::Present(placed)) => return State::Present(placed),
            Some(Slot::Gone) => return State::Gone,
            None => {}
        }
        let mut current = path;
        while let Some((parent, _)) = current.rsplit_once('/') {
            if self.hides(parent) {
                return State::Gone;
            }
            current = parent;
        }
        if path.is_empty() || !self.hides("") {
            State::Below
        } else {
            State::Gone
        }
    }

    fn hides(&self, dir: &str) -> bool {
        self.hides_below.contains(dir)
            || matches!(self.slots.get(dir), Some(Slot::Gone))
            || matches!(
                self.slots.get(dir),
                Some(Slot::Present(p)) if p.entry.kind != EntryKind::Dir
            )
    }
}

/// `dir/`, or nothing for the root (every path is below it).
fn descendant_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn entry(path: &str, kind: EntryKind) -> FileEntry {
        FileEntry {
            path: path.to_owned(),
            kind,
            size: 0,
            mode: 0o644,
            uid: 0,
            gid: 0,
            user: String::new(),
            group: String::new(),
            mtime: 0,
            link: None,
        }
    }

    #[test]
    fn whiteouts_and_opaque_directories_hide_what_lies_below() {
        let mut overlay = Overlay::default();
        let none = HashMap::new();
        overlay.apply(
            1,
            &[
                entry("etc", EntryKind::Dir),
                entry("etc/motd", EntryKind::File),
                entry("var/cache", EntryKind::Whiteout),
                entry("tmp", EntryKind::Opaque),
                entry("tmp/new", EntryKind::File),
            ],
            &none,
        );
        assert!(matches!(overlay.state("etc/motd"), State::Present(_)));
        assert_eq!(overlay.state("etc/passwd"), State::Below);
        assert_eq!(overlay.state("var/cache"), State::Gone);
        assert_eq!(overlay.state("var/cache/deep/file"), State::Gone);
        assert_eq!(overlay.state("tmp/old"), State::Gone);
        assert!(matches!(overlay.state("tmp/new"), State::Present(_)));
        assert_eq!(overlay.state("usr/bin/ls"), State::Below);
        // A later layer removes the file and makes `etc` a file.
        overlay.apply(
            2,
            &[
                entry("etc/motd", EntryKind::Whiteout),
                entry("tmp/new", EntryKind::Whiteout),
            ],
            &none,
        );
        assert_eq!(overlay.state("etc/motd"), State::Gone);
        assert_eq!(overlay.state("tmp/new"), State::Gone);
        overlay.apply(3, &[entry("etc", EntryKind::File)], &none);
        assert_eq!(overlay.state("etc/motd"), State::Gone);
        assert_eq!(overlay.state("etc/passwd"), State::Gone);
        // A directory recreated after a whiteout does not bring back what
        // lay below it.
        overlay.apply(4, &[entry("var/cache", EntryKind::Dir)], &none);
        assert!(matches!(overlay.state("var/cache"), State::Present(_)));
        assert_eq!(overlay.state("var/cache/old"), State::Gone);
    }
}
