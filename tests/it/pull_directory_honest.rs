//! An honest directory artifact, with modes, a wide-open directory and
//! inner links, pulled with regscope and with `oras pull`: the same tree,
//! the same modes (the umask applied), links and file times.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::pull_directory_hostile::{Entry, Ground, Scene};

/// Every path below `root` (not following links) with what a pull decides
/// about it: kind, permission bits, content or link target, and a file's
/// modification time.
fn tree(root: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for child in std::fs::read_dir(&dir).unwrap() {
            let path = child.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let line = if meta.file_type().is_symlink() {
                format!("{name} -> {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                format!("{name}/ {:o}", meta.mode() & 0o7777)
            } else {
                let body = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                let mode = meta.mode() & 0o7777;
                format!("{name} {mode:o} {} {body:?}", meta.mtime())
            };
            lines.push(line);
        }
    }
    lines.sort();
    lines
}

#[test]
fn an_honest_directory_unpacks_as_oras_pull_unpacks_it() {
    use Entry::{Dir, File, Symlink};
    let ground = Ground::new();
    let entries = [
        Dir("d/", 0o755),
        Dir("d/bin/", 0o750),
        File("d/bin/run", b"#!/bin/sh\n", 0o755),
        Dir("d/etc/", 0o755),
        File("d/etc/conf", b"key=value\n", 0o644),
        File("d/etc/secret", b"private\n", 0o600),
        Symlink("d/etc/link", "conf"),
        Symlink("d/up", "etc/../bin/run"),
        Dir("d/wide/", 0o777),
    ];
    let reference = ground.push("honest", &entries);
    let scene = Scene::new();
    let ours = scene.output();
    let result = ground.pull(&reference, &ours);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let theirs = scene.root.path().join("oras");
    ground
        .oras
        .run(&["pull", "-o", theirs.to_str().unwrap(), &reference]);
    let ours = tree(&ours.join("d"));
    assert_eq!(
        ours,
        tree(&theirs.join("d")),
        "regscope and oras pull differ"
    );
    // The archive's modes, less the umask: nothing left writable by all.
    assert!(ours.iter().any(|line| line.starts_with("wide/ ")));
    assert!(
        !ours.iter().any(|line| line.starts_with("wide/ 777")),
        "{ours:#?}"
    );
}
