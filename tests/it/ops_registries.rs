//! The engine on real registries, for what only a hostile or sloppy
//! registry shows (cycles through a fallback index, listed referrers that do
//! not name their subject, ggcr's listing without annotations, cosign tags,
//! BuildKit attestations inside an index). Requests counted through the
//! fault proxy are in `ops_rounds`, interrupted pulls in `ops_pull_faults`.

use regscope::graph::{DiscoverOptions, FoundBy, discover};
use regscope::oci::media_type as mt;
use serde_json::json;

use crate::ops::{remote_at, runtime};
use crate::support::{Fixture, Oras, Registry, fallback_tag, media, sha256_digest};

fn remote(registry: &Registry) -> regscope::store::remote::RemoteStore {
    remote_at(registry.host())
}

/// Pushes `document` by tag with oras, returning its digest.
fn push_manifest(oras: &Oras, reference: &str, document: &serde_json::Value) -> String {
    let dir = tempfile::tempdir().unwrap();
    let bytes = serde_json::to_vec(document).unwrap();
    let path = dir.path().join("manifest.json");
    std::fs::write(&path, &bytes).unwrap();
    oras.run(&["manifest", "push", reference, path.to_str().unwrap()]);
    sha256_digest(&bytes)
}

#[test]
fn hostile_fallback_index_cycle_and_unverified_referrer() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let oras = Oras::for_registry(&registry);
    let image = json!({"mediaType": media::OCI_MANIFEST, "digest": fixture.image, "size": 0});
    // The SBOM signature's "referrers" list the image: a cycle.
    let cycle = json!({"schemaVersion": 2, "mediaType": media::OCI_INDEX, "manifests": [image]});
    push_manifest(
        &oras,
        &registry.reference(&format!(
            "net-monitor:{}",
            fallback_tag(&fixture.sbom_signature)
        )),
        &cycle,
    );
    // A stray manifest (the `multi` arm64 image) listed as a referrer
    // of the image although it names no subject.
    let fallback = registry.reference(&format!("net-monitor:{}", fallback_tag(&fixture.image)));
    let mut index = oras.json(&["manifest", "fetch", &fallback]);
    let stray_ref = format!("{}/multi@{}", fixture.host, fixture.multi_arm64);
    let stray_bytes = oras.run(&["manifest", "fetch", &stray_ref]);
    let stray_digest = sha256_digest(stray_bytes.as_bytes());
    let work = tempfile::tempdir().unwrap();
    crate::cli::regscope(
        work.path(),
        &["cp", &stray_ref, &registry.reference("net-monitor:stray")],
    );
    index["manifests"].as_array_mut().unwrap().push(json!({
        "mediaType": media::OCI_MANIFEST, "digest": stray_digest, "size": stray_bytes.len(),
        "artifactType": "signature/example",
    }));
    push_manifest(&oras, &fallback, &index);

    runtime().block_on(async {
        let store = remote(&registry);
        let tree = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            discover(&store, "net-monitor", "v1", &DiscoverOptions::default()),
        )
        .await
        .expect("a cycle must end")
        .unwrap();
        let nodes = tree.all_nodes();
        let stray = nodes
            .iter()
            .find(|n| n.digest().to_string() == stray_digest)
            .unwrap_or_else(|| panic!("stray not listed: {:?}", tree.warnings));
        assert!(!stray.verified);
        assert!(
            stray.artifact_type.as_deref() != Some("signature/example"),
            "label from the fetched manifest"
        );
        assert!(
            nodes
                .iter()
                .all(|n| n.digest().to_string() != fixture.image),
            "the subject is not its own referrer"
        );
        assert_eq!(nodes.iter().filter(|n| n.verified).count(), 4);

        let plan = regscope::ops::plan_delete(&store, "net-monitor", "v1", true, true, None)
            .await
            .unwrap();
        let planned: Vec<String> = plan
            .manifests
            .iter()
            .map(|m| m.descriptor.digest.to_string())
            .collect();
        assert!(
            !planned.contains(&stray_digest),
            "an unverified referrer is never deleted"
        );
        assert_eq!(planned.len(), 5);
        assert_eq!(plan.unverified.len(), 1);
    });
}

#[test]
fn ggcr_labels_come_from_manifests_and_old_schemes_are_found() {
    let registry = Registry::ggcr();
    let fixture = Fixture::seed(&registry);
    let oras = Oras::for_registry(&registry);
    let (sig_tag, cosign_digest, attestation_digest, sbom_tag) =
        push_old_schemes(&oras, &registry, &fixture);

    runtime().block_on(async {
        let store = remote(&registry);
        let tree = discover(&store, "net-monitor", "v1", &DiscoverOptions::default())
            .await
            .unwrap();
        let by_digest = |d: &str| {
            tree.all_nodes()
                .into_iter()
                .find(|n| n.digest().to_string() == d)
                .cloned()
        };
        let sbom = by_digest(&fixture.sbom).expect("sbom");
        let sightings = tree
            .all_nodes()
            .iter()
            .filter(|n| n.digest() == sbom.digest())
            .count();
        assert_eq!(sightings, 1, "deduplicated across sources");
        assert!(
            sbom.found_by
                .contains(&FoundBy::CosignTag(sbom_tag.clone())),
            "{:?}",
            sbom.found_by
        );
        assert!(sbom.verified, "its manifest names the image");
        assert_eq!(sbom.artifact_type.as_deref(), Some("sbom/example"));
        assert!(
            sbom.created().is_some(),
            "annotations read from the manifest"
        );
        assert_eq!(
            by_digest(&fixture.sbom_signature)
                .expect("deep")
                .artifact_type
                .as_deref(),
            Some("signature/example")
        );
        let cosign = by_digest(&cosign_digest).expect("cosign tag found");
        assert_eq!(cosign.found_by, vec![FoundBy::CosignTag(sig_tag.clone())]);
        assert_eq!(cosign.artifact_type.as_deref(), Some(mt::COSIGN_SIGNATURE));

        let built = discover(&store, "net-monitor", "built", &DiscoverOptions::default())
            .await
            .unwrap();
        let platform = built
            .platforms
            .iter()
            .find(|p| p.descriptor.digest.to_string() == fixture.image)
            .expect("platform");
        let found = platform
            .referrers
            .iter()
            .find(|r| r.digest().to_string() == attestation_digest)
            .expect("attestation");
        assert!(found.found_by.contains(&FoundBy::BuildKitAttestation));
        assert_eq!(found.artifact_type.as_deref(), Some(mt::IN_TOTO));
        assert!(
            platform
                .referrers
                .iter()
                .any(|r| r.digest().to_string() == fixture.sbom)
        );
    });
}

/// cosign's `.sig` tag beside the image, a BuildKit-style index whose
/// attestation entry points at the image, and the SBOM tagged again as
/// cosign's `.sbom`; the `.sig` tag, its digest, the attestation's digest
/// and the `.sbom` tag.
fn push_old_schemes(
    oras: &Oras,
    registry: &Registry,
    fixture: &Fixture,
) -> (String, String, String, String) {
    // cosign's tag beside the image, and a BuildKit-style index whose
    // attestation entry points at the image.
    let empty = json!({"mediaType": media::OCI_EMPTY, "digest": sha256_digest(b"{}"), "size": 2});
    let cosign = json!({
        "schemaVersion": 2, "mediaType": media::OCI_MANIFEST,
        "config": {"mediaType": media::OCI_CONFIG, "digest": sha256_digest(b"{}"), "size": 2},
        "layers": [{"mediaType": mt::COSIGN_SIGNATURE, "digest": sha256_digest(b"{}"), "size": 2}],
    });
    let sig_tag = format!("{}.sig", fallback_tag(&fixture.image));
    let cosign_digest = push_manifest(
        oras,
        &registry.reference(&format!("net-monitor:{sig_tag}")),
        &cosign,
    );
    let attestation = json!({
        "schemaVersion": 2, "mediaType": media::OCI_MANIFEST,
        "config": empty,
        "layers": [{"mediaType": mt::IN_TOTO, "digest": sha256_digest(b"{}"), "size": 2}],
    });
    let attestation_digest = push_manifest(
        oras,
        &registry.reference("net-monitor:attestation"),
        &attestation,
    );
    let image_size = oras.run(&["manifest", "fetch", &fixture.image_ref()]).len();
    let buildkit = json!({
        "schemaVersion": 2, "mediaType": media::OCI_INDEX,
        "manifests": [
            {"mediaType": media::OCI_MANIFEST, "digest": fixture.image, "size": image_size,
             "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": media::OCI_MANIFEST, "digest": attestation_digest, "size": serde_json::to_vec(&attestation).unwrap().len(),
             "platform": {"os": "unknown", "architecture": "unknown"},
             "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                             "vnd.docker.reference.digest": fixture.image}},
        ],
    });
    push_manifest(oras, &registry.reference("net-monitor:built"), &buildkit);
    // The SBOM found twice: by the referrers API and by a cosign-style tag.
    let sbom_tag = format!("{}.sbom", fallback_tag(&fixture.image));
    oras.run(&[
        "tag",
        &fixture.digest_ref("net-monitor", &fixture.sbom),
        &sbom_tag,
    ]);
    (sig_tag, cosign_digest, attestation_digest, sbom_tag)
}
