//! A referrer the fallback tag's index still lists after its manifest was
//! deleted behind regscope's back (by a tool that leaves the index as it
//! is), on distribution 2.8: `tree` marks it "missing (404)" and fails
//! unless `--allow-missing`, as it does for an index's platform.

use crate::cli::regscope_output;
use crate::support::fixture::push_image;
use crate::support::{Oras, Regctl, Registry};

#[test]
fn a_referrer_deleted_behind_its_back() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let reference = registry.reference("app:v1");
    let image = push_image(&oras, work.path(), &reference, "img", "linux", "amd64").0;
    std::fs::write(
        work.path().join("sbom.json"),
        r#"{"bomFormat":"CycloneDX"}"#,
    )
    .unwrap();
    let sbom = oras
        .run_in(
            work.path(),
            &[
                "attach",
                "--artifact-type",
                "application/vnd.cyclonedx+json",
                "--format",
                "go-template={{.digest}}",
                &registry.reference(&format!("app@{image}")),
                "sbom.json:application/vnd.cyclonedx+json",
            ],
        )
        .trim()
        .to_owned();
    let out = regscope_output(work.path(), &["tree", &reference]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // regctl deletes the manifest alone, leaving the fallback tag's index.
    Regctl::for_registry(&registry).run(&[
        "manifest",
        "rm",
        "--referrers=false",
        &registry.reference(&format!("app@{sbom}")),
    ]);
    let fallback = registry.reference(&format!("app:sha256-{}", &image["sha256:".len()..]));
    let index = oras.run(&["manifest", "fetch", &fallback]);
    assert!(
        index.contains(&sbom),
        "the fallback index still lists it: {index}"
    );

    let out = regscope_output(work.path(), &["tree", &reference]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    // Nothing was read, so nothing is said of it but that: not "unlinked".
    let line = text
        .lines()
        .find(|l| l.contains(&sbom))
        .unwrap_or_else(|| panic!("no line for {sbom}: {text}"));
    assert!(line.ends_with(&format!("{sbom} missing (404)")), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--allow-missing"),
        "{out:?}"
    );
    let out = regscope_output(work.path(), &["tree", &reference, "--allow-missing"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
