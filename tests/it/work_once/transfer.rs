//! A pull and a copy do their work once: an SBOM read to be chosen is
//! downloaded once, and a copy handed the graph discovered already does not
//! discover it again.

use regscope::graph::{DiscoverOptions, discover};
use regscope::store::remote::{ConnectOptions, RemoteStore};

use crate::support::{FaultProxy, Oras, RecordedRequest, Registry, sha256_digest};

use super::{push_signed, regscope, runtime};

#[test]
fn an_sbom_read_to_be_chosen_is_downloaded_once() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("file.txt"), "image").unwrap();
    let sbom = r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"zlib","version":"1.3"}]}"#;
    std::fs::write(work.path().join("bom.json"), sbom).unwrap();
    let image = registry.reference("app:v1");
    oras.run_in(work.path(), &["push", &image, "file.txt"]);
    // Announced as nothing in particular: pull must read it to know.
    oras.run_in(
        work.path(),
        &[
            "attach",
            "--artifact-type",
            "application/vnd.example.report",
            &image,
            "bom.json:application/json",
        ],
    );
    let proxy = FaultProxy::start(registry.host());
    let out_dir = tempfile::tempdir().unwrap();
    let out = regscope(&[
        "pull",
        "--sbom",
        &format!("{}/app:v1", proxy.host()),
        "-o",
        out_dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read_to_string(out_dir.path().join("bom.json")).unwrap(),
        sbom
    );
    let sbom_digest = sha256_digest(sbom.as_bytes());
    let reads = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/blobs/{sbom_digest}")))
        .count();
    assert_eq!(reads, 1);
}

/// Copies `image` with its referrers from the proxy's registry into a new
/// layout, handing over `known`; returns the source's requests and how many
/// referrers the copy has.
fn copy_with_known_graph(
    proxy: &FaultProxy,
    image: &str,
    known: regscope::graph::ReferrerTree,
) -> (Vec<RecordedRequest>, usize) {
    use regscope::ops::{CancellationToken, CopyOptions};
    use regscope::store::layout::LayoutStore;

    proxy.clear_requests();
    let target_dir = tempfile::tempdir().unwrap();
    let referrers = runtime().block_on(async {
        let source = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
        let target = LayoutStore::create_directory(target_dir.path()).unwrap();
        let (progress, _events) = tokio::sync::mpsc::unbounded_channel();
        let options = CopyOptions {
            referrers: true,
            known_graph: Some(std::sync::Arc::new(known)),
            ..CopyOptions::default()
        };
        regscope::ops::copy(
            &source,
            "app",
            image,
            &target,
            "mirror",
            &options,
            &progress,
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        let copied = discover(&target, "mirror", image, &DiscoverOptions::default())
            .await
            .unwrap();
        copied.referrers.len()
    });
    (proxy.requests(), referrers)
}

#[test]
fn a_copy_from_a_graph_already_discovered_does_not_discover_again() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let one = push_signed(&oras, &registry, "app:v1", "one");
    let two = push_signed(&oras, &registry, "app:v2", "two");
    let proxy = FaultProxy::start(registry.host());
    let graph_of = |image: &str| {
        runtime().block_on(async {
            let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
            discover(&store, "app", image, &DiscoverOptions::default())
                .await
                .unwrap()
        })
    };
    let asks_for_the_graph = |requests: &[RecordedRequest]| {
        requests
            .iter()
            .filter(|r| r.path.contains("/referrers/") || r.path.contains("/tags/list"))
            .count()
    };

    let (requests, copied) = copy_with_known_graph(&proxy, &one, graph_of(&one));
    assert_eq!(copied, 1, "the signature came along");
    assert_eq!(asks_for_the_graph(&requests), 0, "{requests:#?}");

    // Another image's graph is not this one's: the copy discovers.
    let (requests, copied) = copy_with_known_graph(&proxy, &one, graph_of(&two));
    assert_eq!(copied, 1);
    assert!(asks_for_the_graph(&requests) > 0, "{requests:#?}");
}
