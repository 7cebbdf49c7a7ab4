//! Comparing two sides' overlays: certain answers where nothing lies below
//! unread, and `uncertain` ones (never guesses) where the shared base was
//! not read.

use std::collections::HashMap;

use super::*;
use crate::layer::FileEntry;

fn entry(path: &str, kind: EntryKind, size: u64, mode: u32) -> FileEntry {
    FileEntry {
        path: path.to_owned(),
        kind,
        size,
        mode,
        uid: 0,
        gid: 0,
        user: String::new(),
        group: String::new(),
        mtime: 0,
        link: None,
    }
}

fn file(path: &str, size: u64) -> FileEntry {
    entry(path, EntryKind::File, size, 0o644)
}

/// One layer: its entries, and the content digest (a byte hashed) of
/// some of its files.
type Layer<'a> = (&'a [FileEntry], &'a [(&'a str, u8)]);

fn overlay(layers: &[Layer<'_>]) -> Overlay {
    let mut overlay = Overlay::default();
    for (index, (entries, digests)) in layers.iter().enumerate() {
        let digests: HashMap<String, Digest> = digests
            .iter()
            .map(|(path, byte)| ((*path).to_owned(), Digest::sha256_of(&[*byte])))
            .collect();
        overlay.apply(index, entries, &digests);
    }
    overlay
}

fn paths(items: &[OneSided]) -> Vec<&str> {
    items.iter().map(|i| i.path.as_str()).collect()
}

#[test]
fn with_nothing_below_every_answer_is_certain() {
    let mut symlink = entry("bin/sh", EntryKind::Symlink, 0, 0o777);
    symlink.link = Some("busybox".into());
    let left = overlay(&[(
        &[
            entry("etc", EntryKind::Dir, 0, 0o755),
            file("etc/motd", 6),
            file("etc/same-size", 4),
            entry("bin/tool", EntryKind::File, 10, 0o755),
            symlink.clone(),
            file("gone", 1),
        ],
        &[
            ("etc/motd", 1),
            ("etc/same-size", 2),
            ("bin/tool", 3),
            ("gone", 4),
        ],
    )]);
    symlink.link = Some("bash".into());
    let right = overlay(&[(
        &[
            entry("etc", EntryKind::Dir, 0, 0o755),
            file("etc/motd", 6),
            file("etc/same-size", 4),
            entry("bin/tool", EntryKind::File, 10, 0o4755),
            symlink,
            file("new", 1),
        ],
        &[
            ("etc/motd", 1),
            ("etc/same-size", 9),
            ("bin/tool", 3),
            ("new", 5),
        ],
    )]);
    let diff = compare(&left, &right, 0);
    assert_eq!(paths(&diff.added), ["new"]);
    assert_eq!(paths(&diff.removed), ["gone"]);
    let modified: Vec<(&str, Vec<&str>)> = diff
        .modified
        .iter()
        .map(|m| (m.path.as_str(), m.changes.clone()))
        .collect();
    assert_eq!(
        modified,
        [
            ("bin/sh", vec!["link"]),
            ("bin/tool", vec!["mode"]),
            ("etc/same-size", vec!["content"])
        ]
    );
    assert!(
        diff.added
            .iter()
            .chain(&diff.removed)
            .all(|e| e.uncertain.is_none())
    );
    assert_eq!(diff.modified[1].right.mode, "4755");
    assert!(compare(&left, &left, 0).is_empty());
}

#[test]
fn over_an_unread_base_one_sided_paths_are_marked_uncertain() {
    // Both sides sit on the same base: the left's own layer changes
    // `etc/passwd`, whites out `var/log` and makes `tmp` opaque; the
    // right's adds `app/server` (with its parent directory).
    let left = overlay(&[(
        &[
            file("etc/passwd", 100),
            entry("var/log", EntryKind::Whiteout, 0, 0),
            entry("tmp", EntryKind::Opaque, 0, 0),
            file("both", 3),
        ],
        &[("etc/passwd", 1), ("both", 7)],
    )]);
    let right = overlay(&[(
        &[
            entry("app", EntryKind::Dir, 0, 0o755),
            file("app/server", 5),
            file("both", 3),
        ],
        &[("app/server", 2), ("both", 7)],
    )]);
    let diff = compare(&left, &right, 2);
    assert_eq!(paths(&diff.added), ["app/server", "tmp/*", "var/log"]);
    assert_eq!(paths(&diff.removed), ["etc/passwd"]);
    assert!(diff.modified.is_empty());
    assert!(
        diff.added
            .iter()
            .chain(&diff.removed)
            .all(|e| e.uncertain.is_some())
    );
    assert!(
        diff.added[2].entry.is_none(),
        "the base's entry was not read"
    );
    // The same layers with nothing below: the parent directory is a real
    // addition, and a whiteout of nothing is no change.
    let certain = compare(&left, &right, 0);
    assert_eq!(paths(&certain.added), ["app", "app/server"]);
    assert_eq!(paths(&certain.removed), ["etc/passwd"]);
}
