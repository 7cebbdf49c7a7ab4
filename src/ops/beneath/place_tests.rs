//! `place` when a title's directory is swapped for a symlink after the last
//! check: the swap is made between `Beneath::kind` passing and `place`
//! running, the window a pull used to leave open.

use std::ffi::OsStr;
use std::path::Path;

use super::Beneath;
use crate::ops::OpError;

fn place(dir: &Path, staged: &OsStr, relative: &Path, replace_dir: bool) -> Result<(), OpError> {
    Beneath::open(dir)?.place(staged, relative, replace_dir)
}

fn staged(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).expect("write a staged file");
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn places_a_file_creating_its_directories() {
    let out = tempfile::tempdir().expect("tempdir");
    staged(out.path(), ".staged", "sbom");
    place(
        out.path(),
        ".staged".as_ref(),
        Path::new("a/b/sbom.json"),
        false,
    )
    .expect("placed");
    let placed = std::fs::read_to_string(out.path().join("a/b/sbom.json")).expect("read");
    assert_eq!(placed, "sbom");
    assert_eq!(listing(out.path()), ["a"]);
}

#[test]
fn a_directory_swapped_for_a_symlink_after_the_check_is_refused() {
    let out = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    let relative = Path::new("sub/pwn");
    std::fs::create_dir(out.path().join("sub")).expect("mkdir");
    staged(out.path(), ".staged", "payload");
    let out_dir = Beneath::open(out.path()).expect("open");
    assert_eq!(out_dir.kind(relative).expect("nothing wrong yet"), None);

    // Swapped after the check, before the rename.
    std::fs::remove_dir(out.path().join("sub")).expect("rmdir");
    std::os::unix::fs::symlink(outside.path(), out.path().join("sub")).expect("symlink");
    let refused = out_dir.place(".staged".as_ref(), relative, false);

    match refused {
        Err(OpError::UnsafePath { reason, .. }) => {
            assert!(reason.contains("symbolic link"), "{reason}");
        }
        other => panic!("not refused: {other:?}"),
    }
    assert!(
        listing(outside.path()).is_empty(),
        "wrote through the symlink"
    );
    assert!(
        out.path().join(".staged").exists(),
        "the staged file stays for the caller"
    );
}

#[test]
fn a_directory_replaced_by_a_pull_is_removed_only_inside() {
    let out = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("keep"), "keep").expect("write");
    // The old directory holds a link out; replacing it must not follow it.
    std::fs::create_dir_all(out.path().join("docs")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path(), out.path().join("docs/link")).expect("symlink");
    std::fs::create_dir(out.path().join(".staged-dir")).expect("mkdir");
    std::fs::write(out.path().join(".staged-dir/readme.md"), "new").expect("write");

    place(out.path(), ".staged-dir".as_ref(), Path::new("docs"), true).expect("placed");

    assert_eq!(listing(&out.path().join("docs")), ["readme.md"]);
    assert_eq!(listing(outside.path()), ["keep"]);
    assert_eq!(listing(out.path()), ["docs"]);
}
