//! cosign's OCI 1.1 referrers and Sigstore bundles through pull and copy.

use super::{Ground, data, json_file, written};
use crate::support::{Cosign, CosignMode, Registry};

/// cosign's OCI 1.1 referrers and Sigstore bundles: the SBOM `cosign attach
/// sbom` made as a referrer is an SBOM, not a signature; the SBOM inside an
/// attestation bundle comes out unwrapped; the copy verifies.
fn referrer_and_bundle_modes(registry: Registry) {
    let ground = Ground::new(registry);
    let cosign = Cosign::v3();
    let digest = ground.image("modern", "amd64");
    let image = ground.registry.reference(&format!("modern@{digest}"));
    cosign.sign(&image, CosignMode::Oci11Referrers);
    cosign.attach_sbom(
        &image,
        CosignMode::Oci11Referrers,
        &data("spdx.json"),
        "spdx",
    );
    cosign.sign(&image, CosignMode::Bundle);
    cosign.attest(
        &image,
        CosignMode::Bundle,
        "cyclonedx",
        &data("cyclonedx.json"),
    );

    let tree = ground.run(&["tree", &image]);
    assert!(tree.contains("(attestation: CycloneDX SBOM)"), "{tree}");
    assert!(tree.contains("(signature)"), "{tree}");

    let (out, stderr) = ground.pull("sbom", &[&image, "--sbom", "--all"]);
    assert_eq!(
        written(&out),
        ["sbom.cdx.json", "sbom.spdx.json"],
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("sbom.spdx.json")).unwrap(),
        std::fs::read(data("spdx.json")).unwrap()
    );
    assert_eq!(
        json_file(&out.join("sbom.cdx.json")),
        json_file(&data("cyclonedx.json"))
    );
    assert!(stderr.contains("Sigstore bundle"), "{stderr}");

    let copy = ground.registry.reference("staging/modern:v1");
    ground.run(&["cp", "-r", &image, &copy]);
    let copied = ground
        .registry
        .reference(&format!("staging/modern@{digest}"));
    cosign.verify(&copied, CosignMode::Oci11Referrers);
    cosign.verify(&copied, CosignMode::Bundle);
    cosign.verify_attestation(&copied, CosignMode::Bundle, "cyclonedx");

    ground.run(&["rm", "--with-referrers", "-y", &copy]);
    assert!(!ground.exists("staging/modern", &digest));
    assert!(
        ground.tags("staging/modern").is_empty(),
        "{:?}",
        ground.tags("staging/modern")
    );
}

#[test]
fn referrer_and_bundle_modes_on_distribution3() {
    referrer_and_bundle_modes(Registry::distribution3());
}

#[test]
fn referrer_and_bundle_modes_on_olareg() {
    referrer_and_bundle_modes(Registry::olareg());
}
