//! An index whose platforms carry their own SBOMs, and one on the index
//! itself: which SBOM a pull takes, and attach and copy of one platform.

use super::{Ground, data, written};
use crate::support::regctl::Put;
use crate::support::{CosignMode, Registry};

/// An index whose platforms carry their own SBOMs (`oras attach --platform`,
/// `regctl artifact put --platform`) and whose own SBOM is a cosign
/// attestation on the index.
fn platforms(registry: Registry) {
    let ground = Ground::new(registry);
    let (amd64, arm64, index) = index_with_platform_sboms(&ground);
    pull_sboms_by_platform(&ground, &index, &amd64);
    attach_and_copy_one_platform(&ground, &index, &amd64, &arm64);
}

/// `multi:v1` over amd64 and arm64, an SBOM attached by oras to arm64 and
/// one by regctl to amd64; the platforms' digests and the index reference.
fn index_with_platform_sboms(ground: &Ground) -> (String, String, String) {
    let amd64 = ground.image("multi", "amd64");
    let arm64 = ground.image("multi", "arm64");
    let index = ground.registry.reference("multi:v1");
    ground
        .oras
        .run(&["manifest", "index", "create", &index, "amd64", "arm64"]);
    std::fs::copy(
        data("cyclonedx.json"),
        ground.work.path().join("arm.cdx.json"),
    )
    .unwrap();
    ground.oras.run_in(
        ground.work.path(),
        &[
            "attach",
            "--platform",
            "linux/arm64",
            "--artifact-type",
            "application/vnd.cyclonedx+json",
            &index,
            "arm.cdx.json:application/vnd.cyclonedx+json",
        ],
    );
    ground.regctl.put(&Put {
        subject: &index,
        artifact_type: "application/spdx+json",
        file: &data("spdx.json"),
        file_media_type: "application/spdx+json",
        platform: Some("linux/amd64"),
        annotations: &[],
    });
    (amd64, arm64, index)
}

/// Without an SBOM of its own, the index's SBOM is the host platform's
/// (said so), one platform's or every platform's; once cosign attests one
/// on the index, it is that.
fn pull_sboms_by_platform(ground: &Ground, index: &str, amd64: &str) {
    // No SBOM of its own: the host's platform, and the output says so.
    let (out, stderr) = ground.pull("host", &[index, "--sbom"]);
    let host = regscope::oci::PlatformSpec::host();
    if host.architecture == "amd64" {
        assert_eq!(written(&out), ["spdx.json"], "{stderr}");
        assert!(stderr.contains("this machine's platform"), "{stderr}");
        assert!(
            stderr.contains(&amd64[..20]) || stderr.contains("linux/amd64"),
            "{stderr}"
        );
    }
    let (out, stderr) = ground.pull("arm", &[index, "--sbom", "--platform", "linux/arm64"]);
    assert_eq!(written(&out), ["arm.cdx.json"], "{stderr}");
    let (out, stderr) = ground.pull("every", &[index, "--sbom", "--platform", "all"]);
    assert_eq!(
        written(&out),
        ["linux-amd64/spdx.json", "linux-arm64/arm.cdx.json"],
        "{stderr}"
    );

    // An SBOM attested on the index itself is the index's SBOM.
    ground.cosign.attest(
        &ground.registry.reference(&format!(
            "multi@{}",
            ground.oras.run(&["resolve", index]).trim()
        )),
        CosignMode::LegacyTags,
        "cyclonedx",
        &data("cyclonedx.json"),
    );
    let (out, stderr) = ground.pull("own", &[index, "--sbom"]);
    assert_eq!(written(&out), ["sbom.cdx.json"], "{stderr}");
    assert!(!stderr.contains("this machine's platform"), "{stderr}");
}

fn attach_and_copy_one_platform(ground: &Ground, index: &str, amd64: &str, arm64: &str) {
    // Attach to one platform, as `oras attach --platform` does; copy one
    // platform with its attachments.
    std::fs::write(ground.work.path().join("note.txt"), b"arm only").unwrap();
    ground.run(&[
        "attach",
        index,
        "--platform",
        "linux/arm64",
        "--artifact-type",
        "note/example",
        ground.work.path().join("note.txt").to_str().unwrap(),
    ]);
    let discovered = ground.oras.json(&[
        "discover",
        "--platform",
        "linux/arm64",
        "--format",
        "json",
        index,
    ]);
    let types: Vec<&str> = discovered["referrers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["artifactType"].as_str())
        .collect();
    assert!(types.contains(&"note/example"), "{discovered}");
    let copy = ground.registry.reference("arm-only/multi:v1");
    ground.run(&["cp", "-r", "--platform", "linux/arm64", index, &copy]);
    assert_eq!(
        ground.oras.run(&["resolve", &copy]).trim(),
        arm64,
        "the copy's tag names the arm64 manifest"
    );
    let tree = ground.run(&["tree", &copy, "--format", "json"]);
    assert!(
        tree.contains("note/example") && tree.contains("application/vnd.cyclonedx+json"),
        "{tree}"
    );
    assert!(!ground.exists("arm-only/multi", amd64));
}

#[test]
fn platforms_on_distribution() {
    platforms(Registry::distribution());
}

#[test]
fn platforms_on_olareg() {
    platforms(Registry::olareg());
}
