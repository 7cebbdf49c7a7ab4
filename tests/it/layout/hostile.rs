//! What a hostile or damaged layout must not get away with (reliability.md
//! A9, C3): symlinked blobs, huge declared sizes, digests that would be
//! paths, altered bytes, half-written pushes.

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::manifest::MAX_MANIFEST_SIZE;
use regscope::oci::media_type as mt;
use regscope::oci::{Descriptor, Digest};
use regscope::store::{Store, StoreError, bytes_stream};
use serde_json::json;

use super::{push_artifact, push_blob, single_layout};

#[tokio::test]
async fn a_symlinked_blob_is_refused() {
    const MARKER: &[u8] = b"SENTINEL-7f3a-never-shown";
    let (dir, store, repo) = single_layout();
    let outside = tempfile::tempdir().unwrap();
    let sentinel = outside.path().join("sentinel");
    std::fs::write(&sentinel, MARKER).unwrap();
    // The symlink's target even hashes to the digest: only lstat can tell.
    let descriptor = Descriptor::of_bytes("application/octet-stream", MARKER);
    let blob = dir.path().join(descriptor.digest.layout_path());
    std::fs::create_dir_all(blob.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&sentinel, &blob).unwrap();

    let error = match store.fetch_blob(&repo, &descriptor).await {
        Ok(_) => panic!("a symlinked blob was read"),
        Err(error) => error,
    };
    let message = error.to_string();
    assert!(message.contains("symbolic link"), "{message}");
    assert!(
        message.contains(&descriptor.digest.to_string()),
        "{message}"
    );
    assert!(!message.contains("SENTINEL"), "{message}");
    assert!(store.blob_exists(&repo, &descriptor).await.is_err());
    assert!(
        store
            .fetch_blob_bytes(&repo, &descriptor, 1024)
            .await
            .is_err()
    );
    // Nor may the whole `blobs/sha256` directory point elsewhere.
    std::fs::remove_file(&blob).unwrap();
    std::fs::remove_dir_all(dir.path().join("blobs/sha256")).unwrap();
    std::fs::create_dir_all(outside.path().join("sha256")).unwrap();
    std::fs::copy(
        &sentinel,
        outside
            .path()
            .join(descriptor.digest.layout_path().trim_start_matches("blobs/")),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("sha256"),
        dir.path().join("blobs/sha256"),
    )
    .unwrap();
    let error = store.fetch_blob(&repo, &descriptor).await.err().unwrap();
    assert!(error.to_string().contains("symbolic link"), "{error}");
}

/// Rewrites the layout's index.json with one more entry.
fn add_index_entry(dir: &std::path::Path, entry: serde_json::Value) {
    let path = dir.join("index.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    index["manifests"].as_array_mut().unwrap().push(entry);
    std::fs::write(&path, serde_json::to_vec(&index).unwrap()).unwrap();
}

#[tokio::test]
async fn huge_declared_sizes_never_allocate() {
    let (dir, store, repo) = single_layout();
    let image = push_artifact(&store, &repo, "test/x", ("f", b"12345"), None, Some("v1")).await;
    let huge: u64 = 1 << 62;
    add_index_entry(
        dir.path(),
        json!({
            "mediaType": mt::OCI_MANIFEST, "digest": image.digest(), "size": huge,
            "annotations": {"org.opencontainers.image.ref.name": "huge"},
        }),
    );
    let error = store.fetch_manifest(&repo, "huge").await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::TooLarge {
                limit: MAX_MANIFEST_SIZE,
                ..
            }
        ),
        "{error:?}"
    );

    let mut layer = image.layers[0].clone();
    for size in [huge, u64::MAX] {
        layer.size = size;
        let error = store.fetch_blob(&repo, &layer).await.err().unwrap();
        assert!(matches!(error, StoreError::Verify(_)), "{error:?}");
        let error = store
            .fetch_blob_bytes(&repo, &layer, 1 << 20)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::TooLarge { .. }), "{error:?}");
    }
    // A scan of the layout meets a huge entry and says so, without failing.
    add_index_entry(
        dir.path(),
        json!({
            "mediaType": mt::OCI_MANIFEST, "digest": Digest::sha256_of(b"ghost"), "size": huge,
        }),
    );
    let referrers = store.referrers(&repo, image.digest(), None).await.unwrap();
    assert!(referrers.descriptors.is_empty());
    assert_eq!(referrers.warnings.len(), 1, "{:?}", referrers.warnings);
    assert!(
        referrers.warnings[0].contains("limit"),
        "{:?}",
        referrers.warnings
    );
}

#[tokio::test]
async fn oversized_and_altered_content_is_caught() {
    let (dir, store, repo) = single_layout();
    // A 5 MiB "manifest" listed in the index.
    let big = vec![b' '; (MAX_MANIFEST_SIZE + 1024 * 1024) as usize];
    let big_descriptor = push_blob(&store, &repo, mt::OCI_MANIFEST, &big).await;
    add_index_entry(
        dir.path(),
        json!({
            "mediaType": mt::OCI_MANIFEST, "digest": big_descriptor.digest, "size": big_descriptor.size,
            "annotations": {"org.opencontainers.image.ref.name": "big"},
        }),
    );
    let error = store.fetch_manifest(&repo, "big").await.unwrap_err();
    assert!(matches!(error, StoreError::TooLarge { .. }), "{error:?}");
    let error = store
        .fetch_manifest(&repo, &big_descriptor.digest.to_string())
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::TooLarge { .. }), "{error:?}");

    // Flip one byte of a blob: the stream ends with a digest mismatch.
    let image = push_artifact(
        &store,
        &repo,
        "test/x",
        ("f", b"hello world"),
        None,
        Some("v1"),
    )
    .await;
    let layer = &image.layers[0];
    let path = dir.path().join(layer.digest.layout_path());
    std::fs::write(&path, b"hello World").unwrap();
    let mut stream = store.fetch_blob(&repo, layer).await.unwrap();
    let mut last = None;
    while let Some(item) = stream.next().await {
        last = Some(item);
    }
    assert!(matches!(last, Some(Err(StoreError::Verify(_)))), "{last:?}");
    // And a flipped manifest is refused by digest.
    let manifest_path = dir.path().join(image.digest().layout_path());
    let mut raw = std::fs::read(&manifest_path).unwrap();
    raw[10] ^= 0x01;
    std::fs::write(&manifest_path, &raw).unwrap();
    assert!(matches!(
        store.fetch_manifest(&repo, "v1").await,
        Err(StoreError::Verify(_))
    ));
    let scan = store.referrers(&repo, image.digest(), None).await.unwrap();
    assert!(
        !scan.warnings.is_empty(),
        "an unreadable manifest is a warning"
    );
}

#[tokio::test]
async fn a_failed_push_leaves_nothing_behind() {
    let (dir, store, repo) = single_layout();
    let descriptor = Descriptor::of_bytes("application/octet-stream", b"expected");
    let result = store
        .push_blob(
            &repo,
            &descriptor,
            bytes_stream(Bytes::from_static(b"tampered")),
        )
        .await;
    assert!(matches!(result, Err(StoreError::Verify(_))), "{result:?}");
    assert!(!dir.path().join(descriptor.digest.layout_path()).exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("ingest"))
        .unwrap()
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn a_digest_that_would_be_a_path_is_an_error_naming_it() {
    let (dir, store, repo) = single_layout();
    push_artifact(&store, &repo, "test/x", ("f", b"x"), None, Some("v1")).await;
    let outside = dir.path().parent().unwrap().join("sentinel");
    add_index_entry(
        dir.path(),
        json!({
            "mediaType": mt::OCI_MANIFEST, "digest": "sha256:../../sentinel", "size": 3,
        }),
    );
    let mut listed = Vec::new();
    let error = store
        .tags(&repo, &mut |page| listed.extend(page))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("sha256:../../sentinel"),
        "{error}"
    );
    assert!(listed.is_empty());
    assert!(!outside.exists());
}
