//! `LayoutStore` on OCI layouts on disk: tags, referrers, delete, the two
//! shapes (single layout, directory of layouts), mount, and what a hostile
//! layout must not get away with (symlinked blobs, huge declared sizes,
//! altered bytes). `interop` checks it against the real ORAS CLI.

mod hostile;
mod interop;
mod writes;

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::media_type as mt;
use regscope::oci::{Descriptor, Digest, Manifest};
use regscope::store::layout::LayoutStore;
use regscope::store::{ReferrersSource, Store, StoreError, bytes_stream};
use serde_json::json;

pub async fn tags(store: &LayoutStore, repository: &str) -> Vec<String> {
    let mut all = Vec::new();
    store
        .tags(repository, &mut |page| all.extend(page))
        .await
        .unwrap();
    all
}

pub async fn catalog(store: &LayoutStore) -> Vec<String> {
    let mut all = Vec::new();
    store.catalog(&mut |page| all.extend(page)).await.unwrap();
    all
}

pub async fn blob_bytes(store: &LayoutStore, repository: &str, descriptor: &Descriptor) -> Vec<u8> {
    let mut stream = store.fetch_blob(repository, descriptor).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

/// Pushes `content` as a blob and returns its descriptor.
pub async fn push_blob(
    store: &LayoutStore,
    repository: &str,
    media_type: &str,
    content: &[u8],
) -> Descriptor {
    let descriptor = Descriptor::of_bytes(media_type, content);
    store
        .push_blob(
            repository,
            &descriptor,
            bytes_stream(Bytes::copy_from_slice(content)),
        )
        .await
        .unwrap();
    descriptor
}

/// An OCI 1.1 artifact (empty config, one file) as `oras attach` builds it.
pub async fn push_artifact(
    store: &LayoutStore,
    repository: &str,
    artifact_type: &str,
    file: (&str, &[u8]),
    subject: Option<&Descriptor>,
    tag: Option<&str>,
) -> Manifest {
    let config = push_blob(store, repository, mt::OCI_EMPTY, mt::EMPTY_JSON).await;
    let mut layer = push_blob(store, repository, "application/octet-stream", file.1).await;
    layer
        .annotations
        .insert(mt::ANNOTATION_TITLE.to_owned(), file.0.to_owned());
    let mut document = json!({
        "schemaVersion": 2,
        "mediaType": mt::OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": config,
        "layers": [layer],
        "annotations": {"org.opencontainers.image.created": "2024-05-01T12:00:00Z"},
    });
    if let Some(subject) = subject {
        document["subject"] = json!({
            "mediaType": subject.media_type,
            "digest": subject.digest,
            "size": subject.size,
        });
    }
    let manifest =
        Manifest::parse(Bytes::from(serde_json::to_vec(&document).unwrap()), None).unwrap();
    store
        .push_manifest(repository, &manifest, tag)
        .await
        .unwrap();
    manifest
}

fn layout_repo(dir: &tempfile::TempDir) -> String {
    dir.path()
        .canonicalize()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

pub fn single_layout() -> (tempfile::TempDir, LayoutStore, String) {
    let dir = tempfile::Builder::new().prefix("layout").tempdir().unwrap();
    let store = LayoutStore::create(dir.path()).unwrap();
    let repo = layout_repo(&dir);
    assert_eq!(store.single_repository(), Some(repo.as_str()));
    (dir, store, repo)
}

#[tokio::test]
async fn tags_resolve_fetch_and_retag() {
    let (_dir, store, repo) = single_layout();
    assert!(tags(&store, &repo).await.is_empty());
    assert_eq!(catalog(&store).await, vec![repo.clone()]);
    let first = push_artifact(
        &store,
        &repo,
        "test/first",
        ("a.txt", b"first"),
        None,
        Some("v1"),
    )
    .await;
    assert_eq!(tags(&store, &repo).await, vec!["v1"]);
    let resolved = store.resolve(&repo, "v1").await.unwrap();
    assert_eq!(&resolved.digest, first.digest());
    assert_eq!(resolved.artifact_type.as_deref(), Some("test/first"));
    let by_digest = store
        .fetch_manifest(&repo, &first.digest().to_string())
        .await
        .unwrap();
    assert_eq!(by_digest.raw(), first.raw());
    assert_eq!(blob_bytes(&store, &repo, &first.layers[0]).await, b"first");

    // Moving the tag keeps the old manifest, untagged, as ORAS does.
    let second = push_artifact(
        &store,
        &repo,
        "test/second",
        ("b.txt", b"second"),
        None,
        Some("v1"),
    )
    .await;
    assert_eq!(tags(&store, &repo).await, vec!["v1"]);
    assert_eq!(
        &store.resolve(&repo, "v1").await.unwrap().digest,
        second.digest()
    );
    assert!(
        store
            .resolve(&repo, &first.digest().to_string())
            .await
            .is_ok()
    );
    push_artifact(
        &store,
        &repo,
        "test/second",
        ("b.txt", b"second"),
        None,
        Some("v2"),
    )
    .await;
    assert_eq!(tags(&store, &repo).await, vec!["v1", "v2"]);

    assert!(
        store
            .resolve(&repo, "nope")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        store
            .resolve("other", "v1")
            .await
            .unwrap_err()
            .is_not_found()
    );
    let bad_tag = store.push_manifest(&repo, &first, Some("bad tag!")).await;
    assert!(
        matches!(bad_tag, Err(StoreError::Reference(_))),
        "{bad_tag:?}"
    );
}

#[tokio::test]
async fn referrers_with_filter_and_delete() {
    let (dir, store, repo) = single_layout();
    let image = push_artifact(
        &store,
        &repo,
        "test/image",
        ("app", b"app"),
        None,
        Some("v1"),
    )
    .await;
    let subject = image.descriptor();
    let sig = push_artifact(
        &store,
        &repo,
        "signature/example",
        ("sig.json", b"{}"),
        Some(&subject),
        None,
    )
    .await;
    let sbom = push_artifact(
        &store,
        &repo,
        mt::CYCLONEDX_JSON,
        ("sbom.json", b"{\"bomFormat\":\"CycloneDX\"}"),
        Some(&subject),
        None,
    )
    .await;
    let sbom_sig = push_artifact(
        &store,
        &repo,
        "signature/example",
        ("s.json", b"[]"),
        Some(&sbom.descriptor()),
        None,
    )
    .await;

    let all = store.referrers(&repo, image.digest(), None).await.unwrap();
    assert_eq!(all.source, ReferrersSource::SubjectScan);
    assert!(all.warnings.is_empty(), "{:?}", all.warnings);
    let digests: Vec<&Digest> = all.descriptors.iter().map(|d| &d.digest).collect();
    assert_eq!(digests, vec![sig.digest(), sbom.digest()]);
    assert_eq!(
        all.descriptors[1].artifact_type.as_deref(),
        Some(mt::CYCLONEDX_JSON)
    );
    assert_eq!(all.descriptors[1].size, sbom.size());
    let only_sboms = store
        .referrers(&repo, image.digest(), Some(mt::CYCLONEDX_JSON))
        .await
        .unwrap();
    assert_eq!(only_sboms.descriptors, vec![sbom.descriptor()]);
    let nested = store.referrers(&repo, sbom.digest(), None).await.unwrap();
    assert_eq!(nested.descriptors, vec![sbom_sig.descriptor()]);

    store.delete_manifest(&repo, sig.digest()).await.unwrap();
    let left = store.referrers(&repo, image.digest(), None).await.unwrap();
    assert_eq!(left.descriptors, vec![sbom.descriptor()]);
    let index = std::fs::read_to_string(dir.path().join("index.json")).unwrap();
    assert!(!index.contains(&sig.digest().to_string()), "{index}");
    assert!(!dir.path().join(sig.digest().layout_path()).exists());
    let again = store.delete_manifest(&repo, sig.digest()).await;
    assert!(again.unwrap_err().is_not_found());
    // Deleting the tagged image removes its tag.
    store.delete_manifest(&repo, image.digest()).await.unwrap();
    assert!(tags(&store, &repo).await.is_empty());
}

#[tokio::test]
async fn directory_of_layouts_catalog_push_and_mount() {
    let dir = tempfile::tempdir().unwrap();
    let store = LayoutStore::create_directory(dir.path().join("root")).unwrap();
    assert!(catalog(&store).await.is_empty());
    let app = push_artifact(
        &store,
        "org/app",
        "test/x",
        ("f", b"shared bytes"),
        None,
        Some("v1"),
    )
    .await;
    push_artifact(
        &store,
        "other",
        "test/y",
        ("g", b"other"),
        None,
        Some("latest"),
    )
    .await;
    assert_eq!(catalog(&store).await, vec!["org/app", "other"]);
    assert!(dir.path().join("root/org/app/oci-layout").is_file());
    assert_eq!(tags(&store, "org/app").await, vec!["v1"]);

    let layer = &app.layers[0];
    assert!(!store.blob_exists("third", layer).await.unwrap());
    assert!(store.mount_blob("third", "org/app", layer).await.unwrap());
    assert!(store.blob_exists("third", layer).await.unwrap());
    assert_eq!(blob_bytes(&store, "third", layer).await, b"shared bytes");
    assert!(!store.mount_blob("fourth", "missing", layer).await.unwrap());
    assert_eq!(catalog(&store).await, vec!["org/app", "other", "third"]);

    for bad in ["../escape", "/abs", "a//b", "UPPER"] {
        let result = store
            .push_blob(
                bad,
                layer,
                bytes_stream(Bytes::from_static(b"shared bytes")),
            )
            .await;
        assert!(
            matches!(result, Err(StoreError::Reference(_))),
            "{bad}: {result:?}"
        );
    }
    assert!(!dir.path().join("escape").exists());
}
