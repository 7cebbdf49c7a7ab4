//! The engine on real registries, for what only a hostile or sloppy
//! registry shows (cycles through a fallback index, listed referrers that do
//! not name their subject, ggcr's listing without annotations, cosign tags,
//! BuildKit attestations inside an index), and through the fault proxy: a
//! graph is discovered in rounds, not one request at a time, and a cancelled
//! pull leaves nothing behind.

use std::collections::BTreeMap;
use std::time::Duration;

use regscope::graph::{DiscoverOptions, FoundBy, discover};
use regscope::oci::media_type as mt;
use regscope::ops::{
    AttachFile, AttachOptions, CancellationToken, OpError, PullOptions, PullSelect,
};
use serde_json::json;

use crate::ops::{remote_at, runtime, sink};
use crate::support::{
    FaultProxy, Fixture, Oras, Registry, Rule, fallback_tag, media, sha256_digest,
};

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
    // The SBOM found twice: by the referrers API and by a cosign-style tag.
    let sbom_tag = format!("{}.sbom", fallback_tag(&fixture.image));
    oras.run(&[
        "tag",
        &fixture.digest_ref("net-monitor", &fixture.sbom),
        &sbom_tag,
    ]);

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

/// Attaches `count` small signatures to `net-monitor:v1` through the engine.
async fn attach_signatures(store: &regscope::store::remote::RemoteStore, count: usize) {
    let files = tempfile::tempdir().unwrap();
    for i in 0..count {
        let path = files.path().join(format!("extra-{i}.json"));
        std::fs::write(&path, format!("{{\"signature\": {i}}}")).unwrap();
        let options = AttachOptions {
            artifact_type: "signature/example".to_owned(),
            files: vec![AttachFile {
                path,
                media_type: None,
            }],
            annotations: BTreeMap::new(),
            ..Default::default()
        };
        regscope::ops::attach(
            store,
            "net-monitor",
            "v1",
            &options,
            &sink(),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    }
}

#[test]
fn a_wide_graph_is_discovered_in_rounds_not_one_request_at_a_time() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    // Every request is held long enough that requests sent together are
    // certainly held together; the proxy counts how many it held at once.
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::any().delay(Duration::from_millis(150))],
    );
    runtime().block_on(async {
        attach_signatures(&remote(&registry), 8).await;
        let store = remote_at(&proxy.host());
        let tree = discover(&store, "net-monitor", "v1", &DiscoverOptions::default())
            .await
            .unwrap();
        assert_eq!(tree.all_nodes().len(), 12, "4 seeded + 8 extra referrers");
        assert!(
            tree.all_nodes()
                .iter()
                .any(|n| n.digest().to_string() == fixture.sbom_signature)
        );
        // One level's eleven manifests and their eleven listings go out
        // side by side: the store starts with room for a whole level.
        let at_once = proxy.most_held_at_once();
        assert!(
            at_once >= 20,
            "at most {at_once} requests were in flight at once"
        );
    });
}

#[test]
fn a_cancelled_pull_leaves_nothing_behind() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/blobs/").throttle(64 * 1024)],
    );
    runtime().block_on(async {
        let files = tempfile::tempdir().unwrap();
        let big = files.path().join("big.bin");
        std::fs::write(&big, vec![7u8; 1024 * 1024]).unwrap();
        let options = AttachOptions {
            artifact_type: "data/example".to_owned(),
            files: vec![AttachFile {
                path: big,
                media_type: None,
            }],
            annotations: BTreeMap::new(),
            ..Default::default()
        };
        let cancel = CancellationToken::new();
        regscope::ops::attach(
            &remote(&registry),
            "net-monitor",
            "v1",
            &options,
            &sink(),
            &cancel,
        )
        .await
        .unwrap();
        let out = files.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("big.bin"), b"the old file").unwrap();
        let store = remote_at(&proxy.host());
        let pull = PullOptions::new(out.clone(), PullSelect::Referrer("data/example".to_owned()));
        // Cancelled once bytes of the blob have reached a temporary file
        // in `out`: the download is under way, begun and not done.
        let (progress, mut events) = tokio::sync::mpsc::unbounded_channel();
        let stopper = cancel.clone();
        let watched = out.clone();
        let watcher = tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if let regscope::ops::Progress::Bytes { done, .. } = event
                    && done > 0
                    && temporary_bytes(&watched) > 0
                {
                    stopper.cancel();
                    return Some(done);
                }
            }
            None
        });
        let result =
            regscope::ops::pull(&store, "net-monitor", "v1", &pull, &progress, &cancel).await;
        drop(progress);
        let done = watcher.await.unwrap().expect("the download never began");
        assert!(done < 1024 * 1024, "the download was over: {done} bytes");
        assert!(matches!(result, Err(OpError::Cancelled)), "{result:?}");
        let blob_gets = proxy.rule_hits(0);
        assert!(blob_gets > 0, "{:?}", proxy.requests());
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("big.bin")],
            "temporary files left behind"
        );
        assert_eq!(std::fs::read(out.join("big.bin")).unwrap(), b"the old file");
    });
}

/// Bytes in the temporary files a pull is writing in `dir`.
fn temporary_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".regscope-pull-")
        })
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn a_corrupted_download_keeps_the_existing_file() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/blobs/").flip_byte(3)],
    );
    runtime().block_on(async {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("sbom.json"), b"the old sbom").unwrap();
        let store = remote_at(&proxy.host());
        let pull = PullOptions::new(
            out.path().to_path_buf(),
            PullSelect::Referrer("sbom/example".to_owned()),
        );
        let result = regscope::ops::pull(
            &store,
            "net-monitor",
            "v1",
            &pull,
            &sink(),
            &CancellationToken::new(),
        )
        .await;
        let error = result.expect_err("a flipped byte must fail the pull");
        assert!(error.to_string().contains("digest mismatch"), "{error}");
        assert_eq!(
            std::fs::read(out.path().join("sbom.json")).unwrap(),
            b"the old sbom"
        );
        let left: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "temporary files left: {left:?}");
        // Without the fault the same pull writes the SBOM.
        proxy.clear_rules();
        regscope::ops::pull(
            &store,
            "net-monitor",
            "v1",
            &pull,
            &sink(),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            std::fs::read(out.path().join("sbom.json")).unwrap(),
            fixture.file("sbom.json")
        );
    });
}

/// Copying the seeds' graph to a registry without the referrers API writes
/// each subject's fallback index once: the image's three referrers in one
/// update, the SBOM's signature in another, and no more; and both after
/// every manifest is in, so the graph pays one settle, not one per level.
#[test]
fn a_copy_writes_each_fallback_index_once() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    runtime().block_on(async {
        let store = remote_at(&proxy.host());
        let options = regscope::ops::CopyOptions {
            referrers: true,
            tag: Some("v1".to_owned()),
            ..Default::default()
        };
        let outcome = regscope::ops::copy(
            &store,
            "net-monitor",
            "v1",
            &store,
            "batched/net-monitor",
            &options,
            &sink(),
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        assert_eq!(outcome.manifests, 5, "the image and its four referrers");
        let requests = proxy.requests();
        let is_index_write = |r: &crate::support::RecordedRequest| {
            r.method == "PUT" && r.path.contains("/batched/net-monitor/manifests/sha256-")
        };
        let last_manifest_put = requests
            .iter()
            .rposition(|r| {
                r.method == "PUT" && r.path.contains("/batched/net-monitor/manifests/sha256:")
            })
            .expect("manifests were pushed");
        let first_index_write = requests
            .iter()
            .position(is_index_write)
            .expect("fallback indexes were written");
        assert!(
            last_manifest_put < first_index_write,
            "both levels' manifests go in before any fallback index is written"
        );
        let index_writes: Vec<String> = requests
            .into_iter()
            .filter(|r| {
                r.method == "PUT" && r.path.contains("/batched/net-monitor/manifests/sha256-")
            })
            .map(|r| r.path)
            .collect();
        let image_tag = fallback_tag(&fixture.image);
        let sbom_tag = fallback_tag(&fixture.sbom);
        assert_eq!(index_writes.len(), 2, "{index_writes:?}");
        assert!(
            index_writes.iter().any(|p| p.ends_with(&image_tag)),
            "{index_writes:?}"
        );
        assert!(
            index_writes.iter().any(|p| p.ends_with(&sbom_tag)),
            "{index_writes:?}"
        );
    });
    let oras = Oras::for_registry(&registry);
    let copied = oras.json(&[
        "discover",
        "--format",
        "json",
        &registry.reference("batched/net-monitor:v1"),
    ]);
    assert_eq!(
        copied["referrers"].as_array().map_or(0, Vec::len),
        3,
        "{copied}"
    );
}
