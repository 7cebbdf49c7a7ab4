//! The engine (`graph`, `ops`) called as a library: on the offline demo
//! layout (stable digests), and on real registries for what only a hostile
//! or sloppy registry shows (cycles through a fallback index, listed
//! referrers that do not name their subject, ggcr's listing without
//! annotations, cosign tags, BuildKit attestations inside an index).

use std::collections::BTreeMap;

use regscope::demo;
use regscope::graph::{DiscoverOptions, FoundBy, discover};
use regscope::oci::media_type as mt;
use regscope::ops::{
    AttachFile, AttachOptions, CancellationToken, ProgressSink, PullOptions, PullSelect,
};
use regscope::store::ReferrersSource;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use serde_json::json;

use crate::support::{Fixture, Oras, Registry, fallback_tag, media, sha256_digest};

fn runtime() -> tokio::runtime::Runtime {
    let _ = rustls::crypto::ring::default_provider().install_default();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn sink() -> ProgressSink {
    tokio::sync::mpsc::unbounded_channel().0
}

fn remote(registry: &Registry) -> RemoteStore {
    RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap()
}

#[test]
fn demo_graph_platform_referrers_newest_sbom_and_delete_plan() {
    runtime().block_on(async {
        let (store, _scratch) = demo::open_scratch().unwrap();
        let tree = discover(
            &store,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &DiscoverOptions::default(),
        )
        .await
        .unwrap();
        let digests: Vec<String> = tree
            .all_nodes()
            .iter()
            .map(|n| n.digest().to_string())
            .collect();
        for expected in [
            demo::NET_MONITOR_SIGNATURE,
            demo::NET_MONITOR_SBOM,
            demo::NET_MONITOR_SBOM_SIGNATURE,
            demo::NET_MONITOR_README,
        ] {
            assert!(digests.contains(&expected.to_owned()), "{expected} missing");
        }
        assert!(tree.all_nodes().iter().all(|n| n.verified));
        assert!(
            tree.all_nodes()
                .iter()
                .all(|n| n.found_by == [FoundBy::Referrers(ReferrersSource::SubjectScan)])
        );

        // Depth 1 stops below the SBOM and says so.
        let shallow = DiscoverOptions {
            max_depth: Some(1),
            ..DiscoverOptions::default()
        };
        let tree1 = discover(&store, demo::NET_MONITOR_REPO, demo::DEMO_TAG, &shallow)
            .await
            .unwrap();
        assert_eq!(tree1.all_nodes().len(), 3);
        assert!(
            tree1
                .referrers
                .iter()
                .all(|n| n.depth_limited && n.children.is_empty())
        );

        // An index: the platform manifests' SBOMs are found too.
        let multi = discover(
            &store,
            demo::MULTI_ARCH_REPO,
            demo::DEMO_TAG,
            &DiscoverOptions::default(),
        )
        .await
        .unwrap();
        let platform_sboms: Vec<String> = multi
            .platforms
            .iter()
            .flat_map(|p| p.referrers.iter().map(|r| r.digest().to_string()))
            .collect();
        assert!(platform_sboms.contains(&demo::MULTI_ARCH_AMD64_SBOM.to_owned()));
        assert!(platform_sboms.contains(&demo::MULTI_ARCH_ARM64_SBOM.to_owned()));

        // Attach a newer CycloneDX SBOM; "pull the SBOM" takes the newest.
        let files = tempfile::tempdir().unwrap();
        let newer = files.path().join("newer.cdx.json");
        std::fs::write(&newer, b"{\"bomFormat\":\"CycloneDX\",\"newest\":true}").unwrap();
        let options = AttachOptions {
            artifact_type: mt::CYCLONEDX_JSON.to_owned(),
            files: vec![AttachFile {
                path: newer.clone(),
                media_type: Some(mt::CYCLONEDX_JSON.to_owned()),
            }],
            annotations: BTreeMap::from([(
                mt::ANNOTATION_CREATED.to_owned(),
                "2099-01-01T00:00:00Z".to_owned(),
            )]),
        };
        let cancel = CancellationToken::new();
        let pushed = regscope::ops::attach(
            &store,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &options,
            &sink(),
            &cancel,
        )
        .await
        .unwrap();
        let out = files.path().join("out");
        let pull = PullOptions {
            output_dir: out.clone(),
            select: PullSelect::Sbom,
            limits: Default::default(),
        };
        let outcome = regscope::ops::pull(
            &store,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &pull,
            &sink(),
            &cancel,
        )
        .await
        .unwrap();
        assert_eq!(outcome.manifest.digest, pushed.descriptor.digest);
        assert_eq!(
            std::fs::read(out.join("newer.cdx.json")).unwrap(),
            std::fs::read(&newer).unwrap()
        );
        let missing = PullOptions {
            select: PullSelect::Referrer("no/such-type".into()),
            ..pull.clone()
        };
        let error = regscope::ops::pull(
            &store,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &missing,
            &sink(),
            &cancel,
        )
        .await
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("no referrer of type no/such-type"),
            "{error}"
        );

        // The delete plan: deepest first, the subject last, nothing run yet.
        let plan = regscope::ops::plan_delete(&store, demo::NET_MONITOR_REPO, demo::DEMO_TAG, true)
            .await
            .unwrap();
        assert_eq!(plan.manifests.len(), 6);
        assert_eq!(
            plan.manifests[0].descriptor.digest.to_string(),
            demo::NET_MONITOR_SBOM_SIGNATURE
        );
        assert_eq!(
            plan.manifests[5].descriptor.digest.to_string(),
            demo::NET_MONITOR_V1
        );
        assert!(plan.manifests.windows(2).all(|w| w[0].depth >= w[1].depth));
        let deleted = regscope::ops::delete(&store, &plan, &sink(), &cancel)
            .await
            .unwrap();
        assert_eq!(deleted, 6);
        assert!(
            discover(
                &store,
                demo::NET_MONITOR_REPO,
                demo::DEMO_TAG,
                &DiscoverOptions::default()
            )
            .await
            .is_err()
        );
    });
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

        let plan = regscope::ops::plan_delete(&store, "net-monitor", "v1", true)
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
        &oras,
        &registry.reference(&format!("net-monitor:{sig_tag}")),
        &cosign,
    );
    let attestation = json!({
        "schemaVersion": 2, "mediaType": media::OCI_MANIFEST,
        "config": empty,
        "layers": [{"mediaType": mt::IN_TOTO, "digest": sha256_digest(b"{}"), "size": 2}],
    });
    let attestation_digest = push_manifest(
        &oras,
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
    push_manifest(&oras, &registry.reference("net-monitor:built"), &buildkit);

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
