//! `rm` without `--with-referrers` on a manifest that has referrers: it
//! says how many would be orphaned and refuses unless `-y`/`--force`.

use crate::cli::{regscope, regscope_output};
use crate::support::{Fixture, Oras, Registry};

#[test]
fn removing_a_subject_alone_names_its_orphans_and_needs_force() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let image = fixture.image_ref();

    let refused = regscope_output(work.path(), &["rm", &image]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "deleted without --force");
    assert!(
        stderr.contains("3 referrers would be left orphaned"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    let still = oras.output(&["manifest", "fetch", &image]);
    assert!(still.status.success(), "the image went anyway");

    let forced = regscope(work.path(), &["rm", "--force", &image]);
    assert!(
        forced.is_empty(),
        "rm prints its result on stderr: {forced}"
    );
    let gone = oras.output(&[
        "manifest",
        "fetch",
        &fixture.digest_ref("net-monitor", &fixture.image),
    ]);
    assert!(!gone.status.success(), "the image is still there");
    // Only the subject went: its referrers are still fetchable by digest.
    let orphan = oras.output(&[
        "manifest",
        "fetch",
        &fixture.digest_ref("net-monitor", &fixture.sbom),
    ]);
    assert!(orphan.status.success(), "a referrer was deleted too");
}
