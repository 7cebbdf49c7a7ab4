//! How many requests the engine sends and in what rounds, counted on real
//! registries through the fault proxy: a wide graph is discovered a level
//! at a time, and a copy writes each fallback index once.

use std::collections::BTreeMap;
use std::time::Duration;

use regscope::graph::{DiscoverOptions, discover};
use regscope::ops::{AttachFile, AttachOptions, CancellationToken};

use crate::ops::{remote_at, runtime, sink};
use crate::support::{FaultProxy, Fixture, Oras, Registry, Rule, fallback_tag};

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
        attach_signatures(&remote_at(registry.host()), 8).await;
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
