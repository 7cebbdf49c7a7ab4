//! The engine (`graph`, `ops`) called as a library on the offline demo
//! layout (stable digests); `ops_registries` does the same on real
//! registries.

use std::collections::BTreeMap;

use regscope::demo;
use regscope::graph::{DiscoverOptions, FoundBy, discover};
use regscope::oci::media_type as mt;
use regscope::ops::{
    AttachFile, AttachOptions, CancellationToken, ProgressSink, PullOptions, PullSelect,
};
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{ReferrersSource, Store};

pub fn runtime() -> tokio::runtime::Runtime {
    let _ = rustls::crypto::ring::default_provider().install_default();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

pub fn sink() -> ProgressSink {
    tokio::sync::mpsc::unbounded_channel().0
}

pub fn remote_at(host: &str) -> RemoteStore {
    RemoteStore::new(host, ConnectOptions::default()).unwrap()
}

#[test]
fn demo_graph_platform_referrers_newest_sbom_and_delete_plan() {
    runtime().block_on(async {
        let (store, _scratch) = demo::open_scratch().unwrap();
        every_referrer_is_found(&store).await;
        depth_and_fan_out_are_bounded(&store).await;
        an_index_s_platform_sboms_are_found(&store).await;
        the_newest_sbom_is_pulled(&store).await;
        the_delete_plan_goes_deepest_first(&store).await;
    });
}

/// The whole graph of the demo image, each node found by scanning for its
/// subject.
async fn every_referrer_is_found(store: &dyn Store) {
    let tree = discover(
        store,
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
}

/// Depth 1 stops below the SBOM and says so; fan-out is capped, with a
/// warning saying so.
async fn depth_and_fan_out_are_bounded(store: &dyn Store) {
    let shallow = DiscoverOptions {
        max_depth: Some(1),
        ..DiscoverOptions::default()
    };
    let tree1 = discover(store, demo::NET_MONITOR_REPO, demo::DEMO_TAG, &shallow)
        .await
        .unwrap();
    assert_eq!(tree1.all_nodes().len(), 3);
    assert!(
        tree1
            .referrers
            .iter()
            .all(|n| n.depth_limited && n.children.is_empty())
    );

    // Fan-out is capped, with a warning saying so.
    let capped = DiscoverOptions {
        max_fan_out: 2,
        ..DiscoverOptions::default()
    };
    let narrow = discover(store, demo::NET_MONITOR_REPO, demo::DEMO_TAG, &capped)
        .await
        .unwrap();
    assert_eq!(narrow.referrers.len(), 2);
    assert!(
        narrow
            .warnings
            .iter()
            .any(|w| w.contains("showing the first 2")),
        "{:?}",
        narrow.warnings
    );
}

/// An index: the platform manifests' SBOMs are found too.
async fn an_index_s_platform_sboms_are_found(store: &dyn Store) {
    let multi = discover(
        store,
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
}

/// Attach a newer CycloneDX SBOM; "pull the SBOM" takes the newest, and a
/// type nothing has is an error naming it.
async fn the_newest_sbom_is_pulled(store: &dyn Store) {
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
        ..Default::default()
    };
    let cancel = CancellationToken::new();
    let pushed = regscope::ops::attach(
        store,
        demo::NET_MONITOR_REPO,
        demo::DEMO_TAG,
        &options,
        &sink(),
        &cancel,
    )
    .await
    .unwrap();
    let out = files.path().join("out");
    let pull = PullOptions::new(out.clone(), PullSelect::Sbom);
    let outcome = regscope::ops::pull(
        store,
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
        store,
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
}

/// The delete plan: deepest first, the subject last, nothing run yet; then
/// run, it leaves nothing to discover.
async fn the_delete_plan_goes_deepest_first(store: &dyn Store) {
    let cancel = CancellationToken::new();
    let plan = regscope::ops::plan_delete(
        store,
        demo::NET_MONITOR_REPO,
        demo::DEMO_TAG,
        true,
        true,
        None,
    )
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
    let deleted = regscope::ops::delete(store, &plan, &sink(), &cancel)
        .await
        .unwrap();
    assert_eq!(deleted, 6);
    assert!(
        discover(
            store,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &DiscoverOptions::default()
        )
        .await
        .is_err()
    );
}

#[test]
fn copying_to_another_store_reports_the_bytes_of_each_blob() {
    use regscope::ops::{CopyOptions, Progress};
    use regscope::store::Store;
    use regscope::store::layout::LayoutStore;

    runtime().block_on(async {
        let (demo, _scratch) = demo::open_scratch().unwrap();
        let target_dir = tempfile::tempdir().unwrap();
        let target = LayoutStore::create_directory(target_dir.path()).unwrap();
        let (progress, mut events) = tokio::sync::mpsc::unbounded_channel();
        let options = CopyOptions {
            referrers: true,
            tag: Some(demo::DEMO_TAG.to_owned()),
            ..CopyOptions::default()
        };
        regscope::ops::copy(
            &demo,
            demo::NET_MONITOR_REPO,
            demo::DEMO_TAG,
            &target,
            "mirror",
            &options,
            &progress,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        drop(progress);
        let mut started = BTreeMap::new();
        let mut last_done = BTreeMap::new();
        while let Some(event) = events.recv().await {
            match event {
                Progress::Started { digest, total, .. } => {
                    started.insert(digest.to_string(), total);
                }
                Progress::Bytes { digest, done } => {
                    last_done.insert(digest.to_string(), done);
                }
                _ => {}
            }
        }
        assert!(!started.is_empty(), "no blob was transferred");
        // Every transfer counted up to exactly its size.
        assert_eq!(started, last_done);
        let copied = target.resolve("mirror", demo::DEMO_TAG).await.unwrap();
        assert_eq!(copied.digest.to_string(), demo::NET_MONITOR_V1);
    });
}
