//! Chains of symlinks (issue 23) and what could use one: each refused with
//! everything outside the unpack directory as it was, and chains that stay
//! inside kept.

use std::fs;
use std::path::Path;

use super::{Item, ground, refused_touching_nothing_outside, unpack, unpack_in, watched};
use crate::ops::OpError;

#[test]
fn refuses_writing_through_a_chain_of_symlinks_pointing_out() {
    // `details/t` resolves to `out/..`, the root holding `outside`.
    let root = ground();
    let before = watched(root.path());
    let result = unpack_in(
        root.path(),
        &[
            Item::Dir("details/x/"),
            Item::Symlink("details/x/s", ".."),
            Item::Symlink("details/t", "x/s/.."),
            Item::File("details/t/outside/x", b"x", 0o644),
        ],
    );
    match result {
        Err(OpError::UnsafePath { entry, reason }) => {
            assert_eq!(entry, "details/t/outside/x");
            assert!(reason.contains("t is a symbolic link"), "{reason}");
        }
        other => panic!("wrote through a symlink: {other:?}"),
    }
    assert!(!root.path().join("outside/x").exists());
    assert_eq!(watched(root.path()), before);
}

/// The chain of issue 23 (`x/s -> ..`, then `t -> x/s/..` with one more
/// `..` each step, and the same one level deeper), and what could use it:
/// a directory over the link (the mode landed on the output's ancestors),
/// a file or hard link through it.
#[test]
fn chains_and_replacements_touch_nothing_outside() {
    let chains = ["x/s/..", "x/s/../..", "x/y/s/../..", "x/y/s/../../.."];
    for up in chains {
        let chain = |last: Item<'static>| -> Vec<Item<'static>> {
            vec![
                Item::Dir("details/x/y/"),
                Item::Symlink("details/x/s", ".."),
                Item::Symlink("details/x/y/s", "../.."),
                Item::Symlink("details/t", up),
                last,
            ]
        };
        let over = chain(Item::DirMode("details/t/", 0o777));
        refused_touching_nothing_outside(&over, "a directory would replace a symbolic link");
        let through = chain(Item::File("details/t/outside/keep", b"x", 0o666));
        refused_touching_nothing_outside(&through, "t is a symbolic link");
        let linked = chain(Item::HardLink("details/h", "details/t/outside/keep"));
        refused_touching_nothing_outside(&linked, "t is a symbolic link");
    }
    // One `..` more is refused by its text alone.
    let climbing = [
        Item::Dir("details/x/"),
        Item::Symlink("details/t", "x/../.."),
    ];
    refused_touching_nothing_outside(&climbing, "leaves the directory");
    // The chain alone: judged once everything is in.
    let alone = [
        Item::Dir("details/x/y/"),
        Item::Symlink("details/x/y/s", "../.."),
        Item::Symlink("details/t", "x/y/s/.."),
    ];
    refused_touching_nothing_outside(&alone, "a chain of symlinks leaves the directory");
    // A link judged by one made after it: `x/a` climbs through `x/b`.
    let later = [
        Item::Dir("details/x/"),
        Item::Symlink("details/x/a", "b/../.."),
        Item::Symlink("details/x/b", ".."),
    ];
    refused_touching_nothing_outside(&later, "a chain of symlinks leaves the directory");
    let looping = [
        Item::Symlink("details/a", "b"),
        Item::Symlink("details/b", "a"),
    ];
    refused_touching_nothing_outside(&looping, "a loop of symlinks");
    let dir_link = [
        Item::Dir("details/x/"),
        Item::HardLink("details/h", "details/x"),
    ];
    refused_touching_nothing_outside(&dir_link, "hard link to a non-file");
    let link_over_dir = [Item::Dir("details/x/"), Item::Symlink("details/x", "y")];
    refused_touching_nothing_outside(&link_over_dir, "a symlink would replace a directory");
    let file_over_dir = [
        Item::Dir("details/x/"),
        Item::File("details/x", b"x", 0o644),
    ];
    refused_touching_nothing_outside(&file_over_dir, "a file would replace a directory");
}

#[test]
fn chains_that_stay_inside_are_kept() {
    let (root, result) = unpack(&[
        Item::Dir("details/x/y/"),
        Item::File("details/x/f", b"f", 0o644),
        Item::Symlink("details/x/y/s", "../.."),
        Item::Symlink("details/t", "x/y/s/x/f"),
        Item::Symlink("details/dangling", "x/missing/../../x/f"),
        Item::Symlink("details/t", "x/y/s/x/y/s/x/f"),
    ]);
    assert_eq!(result.expect("unpacks"), 6);
    let out = root.path().join("out");
    assert_eq!(fs::read(out.join("t")).expect("through the chain"), b"f");
    let dangling = fs::read_link(out.join("dangling")).expect("kept as a link");
    assert_eq!(dangling, Path::new("x/missing/../../x/f"));
}
