//! Writes under concurrency and size: concurrent attaches to one subject all
//! land in index.json, and a blob of several read chunks streams back whole.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::media_type as mt;
use regscope::oci::{Descriptor, Digest, Manifest};
use regscope::store::{Store, bytes_stream};
use serde_json::json;

use super::{blob_bytes, push_artifact, single_layout};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_attaches_to_one_subject_all_land() {
    let (_dir, store, repo) = single_layout();
    let image = push_artifact(&store, &repo, "test/image", ("a", b"a"), None, Some("v1")).await;
    let subject = image.descriptor();
    let store = Arc::new(store);
    let mut tasks = Vec::new();
    for n in 0..12u8 {
        let (store, repo, subject) = (store.clone(), repo.clone(), subject.clone());
        tasks.push(tokio::spawn(async move {
            let document = json!({
                "schemaVersion": 2,
                "mediaType": mt::OCI_MANIFEST,
                "artifactType": "signature/example",
                "config": Descriptor::of_bytes(mt::OCI_EMPTY, mt::EMPTY_JSON),
                "layers": [],
                "subject": {"mediaType": subject.media_type, "digest": subject.digest, "size": subject.size},
                "annotations": {"n": n.to_string()},
            });
            let manifest = Manifest::parse(Bytes::from(serde_json::to_vec(&document).unwrap()), None).unwrap();
            store.push_manifest(&repo, &manifest, None).await.unwrap();
            manifest.digest().clone()
        }));
    }
    let mut pushed: Vec<Digest> = Vec::new();
    for task in tasks {
        pushed.push(task.await.unwrap());
    }
    let found = store.referrers(&repo, image.digest(), None).await.unwrap();
    let mut found: Vec<Digest> = found.descriptors.into_iter().map(|d| d.digest).collect();
    found.sort();
    pushed.sort();
    assert_eq!(found, pushed);
}

#[tokio::test]
async fn a_large_blob_streams_back_whole_in_chunks() {
    let (_dir, store, repo) = single_layout();
    let content: Vec<u8> = (0..3 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();
    let descriptor = Descriptor::of_bytes("application/octet-stream", &content);
    // Pushed in many small chunks, as a network upload arrives.
    let chunks: Vec<_> = content
        .chunks(100_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    store
        .push_blob(
            &repo,
            &descriptor,
            futures_util::stream::iter(chunks).boxed(),
        )
        .await
        .unwrap();
    assert!(store.blob_exists(&repo, &descriptor).await.unwrap());
    let mut stream = store.fetch_blob(&repo, &descriptor).await.unwrap();
    let mut count = 0;
    while let Some(chunk) = stream.next().await {
        chunk.unwrap();
        count += 1;
    }
    assert!(count > 1, "read in chunks, not at once");
    assert_eq!(blob_bytes(&store, &repo, &descriptor).await, content);
    // Pushing it again is a no-op that does not read the stream.
    let never = bytes_stream(Bytes::from_static(b"not the content"));
    store.push_blob(&repo, &descriptor, never).await.unwrap();
}
