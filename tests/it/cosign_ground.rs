//! Proves the supply-chain part of the test ground: the real cosign (v2 and
//! v3) signs, attests with a CycloneDX SBOM from a real generator, attaches
//! SBOMs and verifies, offline, in each mode it has, on olareg (referrers
//! API) and on distribution v3 (fallback tag); regctl's `artifact tree`
//! sees what cosign made.

use std::path::{Path, PathBuf};

use crate::support::cosign::{COSIGN_SBOM_TYPE, CosignOp, SIGSTORE_BUNDLE_TYPE};
use crate::support::fixture::push_image;
use crate::support::regctl::{tree_artifact_types, tree_digest_tags};
use crate::support::{Cosign, CosignMode, CosignVersion, Oras, Regctl, Registry, fallback_tag};

/// `tests/it/data/sbom/<name>`.
fn sbom(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data/sbom")
        .join(name)
}

fn count(list: &[String], item: &str) -> usize {
    list.iter().filter(|s| *s == item).count()
}

/// One small image per mode (so attachments don't mix), then every
/// operation cosign has in that mode, checked with cosign and with regctl.
fn exercise(version: CosignVersion, registry: &Registry) {
    let cosign = Cosign::new(version);
    let oras = Oras::for_registry(registry);
    let regctl = Regctl::for_registry(registry);
    let files = tempfile::tempdir().unwrap();
    let cyclonedx = sbom("cyclonedx.json");
    let spdx = sbom("spdx.json");

    for mode in CosignMode::ALL {
        let ctx = format!("{version:?} {mode:?} on {}", registry.kind());
        let repo = format!("cosign-{mode:?}").to_ascii_lowercase();
        let (digest, ..) = push_image(
            &oras,
            files.path(),
            &registry.reference(&format!("{repo}:v1")),
            &repo,
            "linux",
            "amd64",
        );
        let image = registry.reference(&format!("{repo}@{digest}"));

        cosign.sign(&image, mode);
        let verified = cosign.verify(&image, mode);
        assert!(
            verified.as_array().is_some_and(|l| !l.is_empty()),
            "{ctx}: cosign verify verified nothing: {verified}"
        );
        if mode.supports(CosignOp::Attest) {
            cosign.attest(&image, mode, "cyclonedx", &cyclonedx);
            let atts = cosign.verify_attestation(&image, mode, "cyclonedx");
            assert!(
                atts.as_array().is_some_and(|l| !l.is_empty()),
                "{ctx}: cosign verify-attestation verified nothing: {atts}"
            );
        }
        if mode.supports(CosignOp::AttachSbom) {
            cosign.attach_sbom(&image, mode, &spdx, "spdx");
        }

        let tree = regctl.tree(&image);
        let types = tree_artifact_types(&tree);
        let tags = tree_digest_tags(&tree);
        let tag = fallback_tag(&digest);
        let seen = format!("{ctx}: regctl artifact tree saw types {types:?}, digest tags {tags:?}");
        match mode {
            CosignMode::LegacyTags => {
                for suffix in ["sig", "att", "sbom"] {
                    assert!(
                        tags.contains(&format!("{tag}.{suffix}")),
                        "{seen}: no .{suffix}"
                    );
                }
                assert!(types.is_empty(), "{seen}: legacy mode made referrers");
            }
            CosignMode::Oci11Referrers => {
                let sig = mode.signature_artifact_type().unwrap();
                assert_eq!(count(&types, sig), 1, "{seen}");
                assert_eq!(count(&types, COSIGN_SBOM_TYPE), 1, "{seen}");
                assert!(!tags.contains(&format!("{tag}.sig")), "{seen}");
            }
            CosignMode::Bundle => {
                // Signature and attestation: two bundles. cosign v2 without
                // a referrers API labels them with the config media type in
                // the fallback index (see support::cosign), so count the
                // referrers instead of trusting the index's artifactType.
                let referrers = tree["referrer"].as_array().map_or(0, Vec::len);
                assert_eq!(referrers, 2, "{seen}");
                if version == CosignVersion::V3 || registry.has_referrers_api() {
                    assert_eq!(count(&types, SIGSTORE_BUNDLE_TYPE), 2, "{seen}");
                }
            }
        }
    }
}

#[test]
fn cosign_v2_on_olareg() {
    exercise(CosignVersion::V2, &Registry::olareg());
}

#[test]
fn cosign_v2_on_distribution3() {
    exercise(CosignVersion::V2, &Registry::distribution3());
}

#[test]
fn cosign_v3_on_olareg() {
    exercise(CosignVersion::V3, &Registry::olareg());
}

#[test]
fn cosign_v3_on_distribution3() {
    exercise(CosignVersion::V3, &Registry::distribution3());
}

/// regctl's `artifact put --platform` attaches to one platform of an index;
/// the tree shows it under that platform's manifest.
#[test]
fn regctl_put_and_tree_on_distribution3() {
    let registry = Registry::distribution3();
    let oras = Oras::for_registry(&registry);
    let regctl = Regctl::for_registry(&registry);
    let files = tempfile::tempdir().unwrap();
    let (digest, ..) = push_image(
        &oras,
        files.path(),
        &registry.reference("put:v1"),
        "put",
        "linux",
        "amd64",
    );
    let subject = registry.reference("put:v1");
    let cyclonedx = sbom("cyclonedx.json");
    let put = regctl.put(&crate::support::regctl::Put {
        subject: &subject,
        artifact_type: "application/vnd.cyclonedx+json",
        file: &cyclonedx,
        file_media_type: "application/vnd.cyclonedx+json",
        platform: None,
        annotations: &["org.example.made-by=regctl"],
    });
    let tree = regctl.tree(&registry.reference(&format!("put@{digest}")));
    let referrers = tree["referrer"].as_array().cloned().unwrap_or_default();
    assert_eq!(referrers.len(), 1, "{tree}");
    assert_eq!(referrers[0]["reference"]["Digest"], put, "{tree}");
    assert_eq!(
        referrers[0]["artifactType"], "application/vnd.cyclonedx+json",
        "{tree}"
    );
}
