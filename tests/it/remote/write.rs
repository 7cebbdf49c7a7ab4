//! Writing through the store: referrers on registries that index them
//! themselves (no fallback tag written), mounts, and chunked uploads. The
//! fallback index is tested in `fallback`.

use regscope::oci::Descriptor;
use regscope::store::{ReferrersSource, Store, StoreError, bytes_stream};

use super::fallback::raw_fallback;
use super::{
    annotations, digests, push_blob, push_image, push_referrer, read_blob, set, store, subject_of,
};
use crate::support::{FaultProxy, Registry};

const REPO: &str = "app";

async fn api_indexes_referrers(reg: Registry, deletes: bool) {
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "api").await;
    let subject = subject_of(&image);
    let (artifact, pushed) = push_referrer(
        &store,
        REPO,
        &subject,
        "sbom/example",
        ("sbom.json", b"{}"),
        annotations(&[("k", "v")]),
    )
    .await;
    assert_eq!(
        pushed.referrer_indexed_by,
        Some(ReferrersSource::Api),
        "{}",
        reg.kind()
    );
    let (status, _) = raw_fallback(reg.host(), &subject);
    assert_eq!(
        status,
        404,
        "{}: no fallback tag where the registry indexes",
        reg.kind()
    );
    let listed = store
        .referrers(REPO, &subject.digest, None)
        .await
        .expect("referrers");
    assert_eq!(listed.source, ReferrersSource::Api);
    assert_eq!(
        digests(&listed.descriptors),
        set(&[&artifact.digest().to_string()])
    );
    if deletes {
        store
            .delete_manifest(REPO, artifact.digest())
            .await
            .expect("delete");
        let listed = store
            .referrers(REPO, &subject.digest, None)
            .await
            .expect("referrers");
        assert!(listed.descriptors.is_empty(), "{listed:?}");
    }
}

#[tokio::test]
async fn remote_olareg_indexes_referrers_itself() {
    api_indexes_referrers(Registry::olareg(), true).await;
}

#[tokio::test]
async fn remote_ggcr_indexes_referrers_itself() {
    api_indexes_referrers(Registry::ggcr(), true).await;
}

#[tokio::test]
async fn remote_mounts_blobs_between_repositories() {
    for reg in [Registry::distribution(), Registry::olareg()] {
        let store = store(reg.host());
        let blob = push_blob(
            &store,
            "source",
            "application/octet-stream",
            b"shared layer",
        )
        .await;
        assert!(!store.blob_exists("target", &blob).await.expect("exists"));
        let mounted = store
            .mount_blob("target", "source", &blob)
            .await
            .expect("mount");
        assert!(mounted, "{} mounts", reg.kind());
        assert!(store.blob_exists("target", &blob).await.expect("exists"));
        assert_eq!(read_blob(&store, "target", &blob).await, b"shared layer");
        // A blob the source does not have is declined, not an error.
        let stranger = Descriptor::of_bytes("application/octet-stream", b"nowhere");
        assert!(
            !store
                .mount_blob("target", "source", &stranger)
                .await
                .expect("declined")
        );
    }
}

#[test]
fn remote_large_blobs_go_up_in_chunks() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    super::run(chunked_upload(&proxy));
}

async fn chunked_upload(proxy: &FaultProxy) {
    let store = store(&proxy.host());
    let big: Vec<u8> = (0..20 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let descriptor = push_blob(&store, REPO, "application/octet-stream", &big).await;
    let patches = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert!(patches >= 2, "{patches} PATCH requests");
    assert_eq!(read_blob(&store, REPO, &descriptor).await, big);
    // Content that does not match its descriptor never completes an upload.
    let mut wrong = Descriptor::of_bytes("application/octet-stream", b"announced");
    wrong.size = 9;
    let refused = store
        .push_blob(
            REPO,
            &wrong,
            bytes_stream(bytes::Bytes::from_static(b"delivered")),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::Verify(_))), "{refused:?}");
    assert!(!store.blob_exists(REPO, &wrong).await.expect("exists"));
}
