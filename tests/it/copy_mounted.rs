//! A copy within one registry says "mounted" only for a blob the registry
//! linked from the source repository, and "already there" for one the
//! target had: copied twice into the same repository, the second copy
//! mounts nothing. On olareg and distribution 2.8, both of which answer a
//! mount of a blob already there with 201.

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::{Oras, Registry};

fn copy(dir: &std::path::Path, from: &str, to: &str) -> String {
    let out = regscope_output(dir, &["cp", from, to]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    said
}

fn mounted_once_then_already_there(registry: &Registry) {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(registry);
    let source = registry.reference("src:v1");
    push_image(&oras, work.path(), &source, "img", "linux", "amd64");

    let said = copy(work.path(), &source, &registry.reference("dst:v1"));
    assert!(
        said.contains("Copied 1 manifest: 0 blobs transferred, 2 mounted, 0 already there"),
        "{said}"
    );
    let said = copy(work.path(), &source, &registry.reference("dst:v2"));
    assert!(
        said.contains("0 blobs transferred, 0 mounted, 2 already there"),
        "the blobs were in dst already: {said}"
    );
    assert!(!said.contains("mounted from"), "{said}");
    assert!(
        said.lines().any(
            |l| l.starts_with("Skipped      config ") && l.ends_with("(already at the target)")
        ),
        "{said}"
    );
}

#[test]
fn on_olareg() {
    mounted_once_then_already_there(&Registry::olareg());
}

#[test]
fn on_distribution() {
    mounted_once_then_already_there(&Registry::distribution());
}
