//! A session's stores share what they fetched by digest, and bytes that
//! failed their digest are never served from memory.

use regscope::graph::{DiscoverOptions, discover};
use regscope::oci::Descriptor;
use regscope::store::Store;
use regscope::store::remote::{ConnectOptions, RemoteStore};

use crate::support::{FaultProxy, Oras, RecordedRequest, Registry, Rule, sha256_digest};

use super::{push_signed, runtime};

/// The requests of the second of two discoveries of `reference`, each by
/// its own store.
fn discover_twice(
    proxy: &FaultProxy,
    reference: &str,
    first: ConnectOptions,
    second: ConnectOptions,
) -> Vec<RecordedRequest> {
    runtime().block_on(async {
        for options in [first, second] {
            proxy.clear_requests();
            let store = RemoteStore::new(&proxy.host(), options).unwrap();
            let tree = discover(&store, "app", reference, &DiscoverOptions::default())
                .await
                .unwrap();
            assert_eq!(tree.referrers.len(), 1);
        }
    });
    proxy.requests()
}

#[test]
fn a_session_fetches_each_manifest_by_digest_once() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let image = push_signed(&oras, &registry, "app:v1", "one");
    let proxy = FaultProxy::start(registry.host());

    // Two stores of one session: the second asks the registry for no
    // manifest by digest.
    let session = ConnectOptions::default();
    let requests = discover_twice(&proxy, &image, session.clone(), session);
    let by_digest = requests
        .iter()
        .filter(|r| r.path.contains("/manifests/sha256:"))
        .count();
    assert_eq!(by_digest, 0, "all from the session: {requests:#?}");

    // Two sessions: each fetches for itself (the cache is the session's):
    // the image resolved and fetched, the signature fetched.
    let requests = discover_twice(
        &proxy,
        &image,
        ConnectOptions::default(),
        ConnectOptions::default(),
    );
    let by_digest = requests
        .iter()
        .filter(|r| r.path.contains("/manifests/sha256:"))
        .count();
    assert_eq!(by_digest, 3, "{requests:#?}");
}

#[test]
fn bytes_that_failed_their_digest_are_fetched_again() {
    let registry = Registry::olareg();
    let content = b"a small blob, verified before it is kept".to_vec();
    let descriptor = Descriptor::of_bytes("application/octet-stream", &content);
    let digest = sha256_digest(&content);
    let proxy = FaultProxy::start(registry.host());
    runtime().block_on(async {
        let options = ConnectOptions::default();
        let store = RemoteStore::new(&proxy.host(), options.clone()).unwrap();
        store
            .push_blob(
                "app",
                &descriptor,
                regscope::store::bytes_stream(content.clone().into()),
            )
            .await
            .unwrap();
        proxy.add_rule(
            Rule::new("GET", &format!("/blobs/{digest}"))
                .flip_byte(3)
                .times(1),
        );
        let flipped = store.fetch_blob_bytes("app", &descriptor, 1024).await;
        assert!(flipped.is_err(), "a flipped byte fails its digest");
        let again = store
            .fetch_blob_bytes("app", &descriptor, 1024)
            .await
            .unwrap();
        assert_eq!(again.as_ref(), content.as_slice());
        let third = RemoteStore::new(&proxy.host(), options).unwrap();
        let kept = third
            .fetch_blob_bytes("app", &descriptor, 1024)
            .await
            .unwrap();
        assert_eq!(kept.as_ref(), content.as_slice());
    });
    let gets = proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&format!("/blobs/{digest}")))
        .count();
    // The corrupt answer, then the good one; the third store's read came
    // from the session, byte for byte.
    assert_eq!(gets, 2);
}
