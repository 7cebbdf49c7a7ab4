//! `RemoteStore` against real registries: distribution (fallback tags),
//! olareg (referrers API, and with it off), go-containerregistry (a looser
//! API), behind the fault proxy where a test needs a lying or failing
//! registry, and side by side with the real ORAS CLI.

mod downgrade;
mod fallback;
mod fallback_gc;
mod fallback_stall;
mod faults;
mod head_digests;
mod integrity;
mod interop;
mod read;
mod refused;
mod timeouts;
mod tls;
mod write;

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;
use futures_util::StreamExt;
use regscope::oci::media_type as mt;
use regscope::oci::{Descriptor, Digest, Manifest};
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, bytes_stream};
use serde_json::json;

/// Runs async test code on its own runtime, for tests that also start the
/// fault proxy (which runs a runtime of its own and cannot start inside one).
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

pub fn store(host: &str) -> RemoteStore {
    RemoteStore::new(host, ConnectOptions::default()).expect("store")
}

pub fn digest(text: &str) -> Digest {
    text.parse().expect("digest")
}

pub fn digests(descriptors: &[Descriptor]) -> BTreeSet<String> {
    descriptors.iter().map(|d| d.digest.to_string()).collect()
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Every page of tags, as pages.
pub async fn tag_pages(store: &RemoteStore, repository: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    store
        .tags(repository, &mut |page| pages.push(page))
        .await
        .expect("list tags");
    pages
}

pub async fn push_blob(
    store: &RemoteStore,
    repository: &str,
    media_type: &str,
    bytes: &[u8],
) -> Descriptor {
    let descriptor = Descriptor::of_bytes(media_type, bytes);
    store
        .push_blob(
            repository,
            &descriptor,
            bytes_stream(Bytes::copy_from_slice(bytes)),
        )
        .await
        .expect("push blob");
    descriptor
}

pub async fn read_blob(store: &RemoteStore, repository: &str, descriptor: &Descriptor) -> Vec<u8> {
    let mut stream = store
        .fetch_blob(repository, descriptor)
        .await
        .expect("fetch blob");
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.expect("verified chunk"));
    }
    out
}

/// The error a blob download ends with; panics if it ends cleanly. Every
/// chunk before the error is read, as a consumer would.
pub async fn blob_error(
    store: &RemoteStore,
    repository: &str,
    descriptor: &Descriptor,
) -> regscope::store::StoreError {
    let mut stream = store
        .fetch_blob(repository, descriptor)
        .await
        .expect("the download starts");
    while let Some(item) = stream.next().await {
        if let Err(error) = item {
            return error;
        }
    }
    panic!("the download of {} ended cleanly", descriptor.digest);
}

pub fn manifest(value: &serde_json::Value) -> Manifest {
    Manifest::parse(Bytes::from(serde_json::to_vec(value).expect("json")), None).expect("manifest")
}

/// A small image (config + one layer) pushed by the store under `tag`.
pub async fn push_image(store: &RemoteStore, repository: &str, tag: &str, seed: &str) -> Manifest {
    let config = format!(r#"{{"architecture":"amd64","os":"linux","seed":"{seed}"}}"#);
    let config = push_blob(store, repository, mt::OCI_CONFIG, config.as_bytes()).await;
    let layer = push_blob(
        store,
        repository,
        mt::OCI_LAYER_TAR_GZIP,
        format!("layer of {seed}").as_bytes(),
    )
    .await;
    let image = manifest(&json!({
        "schemaVersion": 2,
        "mediaType": mt::OCI_MANIFEST,
        "config": config,
        "layers": [layer],
    }));
    store
        .push_manifest(repository, &image, Some(tag))
        .await
        .expect("push image");
    image
}

/// An OCI 1.1 artifact referring to `subject`, with one titled file.
pub async fn push_referrer(
    store: &RemoteStore,
    repository: &str,
    subject: &Descriptor,
    artifact_type: &str,
    file: (&str, &[u8]),
    annotations: BTreeMap<String, String>,
) -> (Manifest, regscope::store::PushedManifest) {
    let config = push_blob(store, repository, mt::OCI_EMPTY, mt::EMPTY_JSON).await;
    let mut layer = push_blob(store, repository, "application/octet-stream", file.1).await;
    layer
        .annotations
        .insert(mt::ANNOTATION_TITLE.to_owned(), file.0.to_owned());
    let artifact = manifest(&json!({
        "schemaVersion": 2,
        "mediaType": mt::OCI_MANIFEST,
        "artifactType": artifact_type,
        "config": config,
        "layers": [layer],
        "subject": subject,
        "annotations": annotations,
    }));
    let pushed = store
        .push_manifest(repository, &artifact, None)
        .await
        .expect("push referrer");
    (artifact, pushed)
}

/// A `signature/example` referrer of `subject` holding `content` as
/// `sig.json`, without annotations.
pub async fn push_signature(
    store: &RemoteStore,
    repository: &str,
    subject: &Descriptor,
    content: &str,
) -> (Manifest, regscope::store::PushedManifest) {
    let file = ("sig.json", content.as_bytes());
    push_referrer(
        store,
        repository,
        subject,
        "signature/example",
        file,
        annotations(&[]),
    )
    .await
}

pub fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A manifest as a subject descriptor (media type, digest, size only).
pub fn subject_of(manifest: &Manifest) -> Descriptor {
    Descriptor::new(
        manifest.media_type.clone(),
        manifest.digest().clone(),
        manifest.size(),
    )
}
