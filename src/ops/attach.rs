//! Attaching files to a subject: an OCI 1.1 image manifest with the empty
//! config, an `artifactType`, one layer per file titled by its name (a
//! directory as tar+gzip with ORAS's unpack annotations), a creation time
//! and `subject` set to the resolved target.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bytes::Bytes;

use super::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::oci::media_type::{
    ANNOTATION_CONTENT_DIGEST, ANNOTATION_CREATED, ANNOTATION_TITLE, ANNOTATION_UNPACK, EMPTY_JSON,
    OCI_EMPTY, OCI_LAYER_TAR, OCI_LAYER_TAR_GZIP, OCI_MANIFEST,
};
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::store::{BlobStream, PushedManifest, Store, StoreError, bytes_stream};

mod files;
pub(crate) mod time;

use files::{file_stream, hash_file, tar_directory};

pub use time::rfc3339_now;

/// One file (or directory) to attach, with an optional media type
/// (`FILE:MEDIATYPE` on the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachFile {
    pub path: PathBuf,
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AttachOptions {
    pub artifact_type: String,
    pub files: Vec<AttachFile>,
    /// Manifest annotations; `org.opencontainers.image.created` is added
    /// when missing.
    pub annotations: BTreeMap<String, String>,
    /// When the reference is an index: attach to this platform's manifest.
    pub platform: Option<PlatformSpec>,
}

/// A file staged for upload: its descriptor and where its bytes are.
struct Staged {
    descriptor: Descriptor,
    path: PathBuf,
    /// Holds a directory's tar+gzip until it is pushed.
    _temp: Option<tempfile::NamedTempFile>,
}

/// Attaches `options.files` to `reference` in `repository`.
pub async fn attach(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &AttachOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<PushedManifest, OpError> {
    if options.artifact_type.trim().is_empty() {
        return Err(OpError::Invalid("an artifact type is required".to_owned()));
    }
    // The subject is what a GET served, hashed here: a digest only a HEAD
    // answer named is the registry's word, and a registry lying in HEAD
    // would otherwise have the referrer point at another manifest.
    let fetched = store.fetch_manifest(repository, reference).await?;
    let mut resolved = fetched.descriptor();
    if let Some(platform) = &options.platform {
        if fetched.is_index() {
            resolved = crate::graph::select_platform(&fetched, platform)?.clone();
        } else {
            crate::graph::check_single_platform(store, repository, &fetched, platform).await?;
        }
    }
    let subject = Descriptor::new(resolved.media_type, resolved.digest, resolved.size);

    let mut staged = Vec::new();
    let mut seen_titles = std::collections::HashSet::new();
    for file in &options.files {
        let item = stage(file).await?;
        let title = item.descriptor.title().unwrap_or_default().to_owned();
        if !seen_titles.insert(title.clone()) {
            return Err(OpError::Invalid(format!("two files are named {title:?}")));
        }
        staged.push(item);
    }

    // Whether the registry lists referrers itself decides whether the
    // fallback index is written after the push; it is asked (once per
    // session) while the blobs go up, so the push does not wait for it.
    let ((), layers) = futures_util::future::join(
        store.learn_referrers_support(repository, &subject.digest),
        push_blobs(store, repository, &staged, progress, cancel),
    )
    .await;
    let (config, layers) = layers?;

    let mut annotations = options.annotations.clone();
    annotations
        .entry(ANNOTATION_CREATED.to_owned())
        .or_insert_with(rfc3339_now);
    let document = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": options.artifact_type,
        "config": config,
        "layers": layers,
        "subject": subject,
        "annotations": annotations,
    });
    let raw = serde_json::to_vec(&document)
        .map_err(|e| OpError::Invalid(format!("cannot encode the manifest: {e}")))?;
    let manifest = Manifest::parse(Bytes::from(raw), Some(OCI_MANIFEST)).map_err(|source| {
        StoreError::InvalidManifest {
            what: "the attached manifest".to_owned(),
            cause: source,
        }
    })?;
    if cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    let pushed = store.push_manifest(repository, &manifest, None).await?;
    report(
        progress,
        Progress::Note(format!(
            "attached {} {} to {}",
            options.artifact_type, pushed.descriptor.digest, subject.digest
        )),
    );
    Ok(pushed)
}

/// The empty config and each staged file; returns their descriptors.
async fn push_blobs(
    store: &dyn Store,
    repository: &str,
    staged: &[Staged],
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<(Descriptor, Vec<Descriptor>), OpError> {
    let config = Descriptor::of_bytes(OCI_EMPTY, EMPTY_JSON);
    push_if_missing(
        store,
        repository,
        &config,
        || Ok(bytes_stream(Bytes::from_static(EMPTY_JSON))),
        progress,
    )
    .await?;
    let mut layers = Vec::new();
    for item in staged {
        if cancel.is_cancelled() {
            return Err(OpError::Cancelled);
        }
        let path = item.path.clone();
        push_if_missing(
            store,
            repository,
            &item.descriptor,
            move || Ok(file_stream(path)),
            progress,
        )
        .await?;
        layers.push(item.descriptor.clone());
    }
    if layers.is_empty() {
        // OCI 1.1: an artifact without files carries the empty descriptor.
        layers.push(config.clone());
    }

    Ok((config, layers))
}

async fn push_if_missing(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    content: impl FnOnce() -> Result<BlobStream, OpError>,
    progress: &ProgressSink,
) -> Result<(), OpError> {
    let what = descriptor.title().unwrap_or("config").to_owned();
    if store.blob_exists(repository, descriptor).await? {
        report(
            progress,
            Progress::Skipped {
                digest: descriptor.digest.clone(),
                what,
                reason: "already there".to_owned(),
            },
        );
        return Ok(());
    }
    report(
        progress,
        Progress::Started {
            digest: descriptor.digest.clone(),
            what: what.clone(),
            total: descriptor.size,
        },
    );
    store.push_blob(repository, descriptor, content()?).await?;
    report(
        progress,
        Progress::Finished {
            digest: descriptor.digest.clone(),
            what,
        },
    );
    Ok(())
}

/// Hashes a file (or tars a directory) into a layer descriptor.
async fn stage(file: &AttachFile) -> Result<Staged, OpError> {
    let path = &file.path;
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| OpError::io(format!("read {}", path.display()), e))?;
    let title = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| OpError::Invalid(format!("{} has no usable file name", path.display())))?
        .to_owned();
    // A directory goes as a tar+gzip beside it, with ORAS's annotations.
    let (content, temp, default_type, unpack_digest) = if meta.is_dir() {
        let source = path.clone();
        let dir_title = title.clone();
        let (temp, tar_digest) =
            tokio::task::spawn_blocking(move || tar_directory(&source, &dir_title))
                .await
                .map_err(|e| OpError::Invalid(format!("packing {title} stopped: {e}")))??;
        let content = temp.path().to_path_buf();
        (content, Some(temp), OCI_LAYER_TAR_GZIP, Some(tar_digest))
    } else {
        (path.clone(), None, OCI_LAYER_TAR, None)
    };
    let (digest, size) = hash_file(&content).await?;
    let media_type = file
        .media_type
        .clone()
        .unwrap_or_else(|| default_type.to_owned());
    let mut descriptor = Descriptor::new(media_type, digest, size);
    let annotations = &mut descriptor.annotations;
    annotations.insert(ANNOTATION_TITLE.to_owned(), title);
    if let Some(tar_digest) = unpack_digest {
        annotations.insert(ANNOTATION_UNPACK.to_owned(), "true".to_owned());
        annotations.insert(ANNOTATION_CONTENT_DIGEST.to_owned(), tar_digest.to_string());
    }
    Ok(Staged {
        descriptor,
        path: content,
        _temp: temp,
    })
}
