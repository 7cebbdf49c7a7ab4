//! `rm` on an OCI layout, checked with oras reading the same layout.

use crate::cli::regscope_output;
use crate::support::Oras;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// In an OCI layout a tag is an `index.json` entry: `rm DIR:TAG` takes the
/// entry's name and keeps the manifest (oras still reads it by digest).
#[test]
fn a_layout_tag_goes_alone() {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::new();
    std::fs::write(work.path().join("note.txt"), "a note\n").unwrap();
    let pushed = oras.run_in(
        work.path(),
        &[
            "push",
            "--oci-layout",
            "layout:a",
            "--format",
            "go-template={{.digest}}",
            "note.txt",
        ],
    );
    let digest = pushed.trim().to_owned();
    oras.run_in(work.path(), &["tag", "--oci-layout", "layout:a", "b"]);
    let out = regscope_output(work.path(), &["rm", "-y", "oci:layout:a"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left = oras.run_in(work.path(), &["repo", "tags", "--oci-layout", "layout"]);
    assert_eq!(left.trim(), "b");
    let by_digest = format!("layout@{digest}");
    let fetched = oras.output_in(
        work.path(),
        &["manifest", "fetch", "--oci-layout", &by_digest],
    );
    assert!(fetched.status.success(), "the manifest went with its tag");
}
