//! The one async trait everything above speaks, implemented by a remote
//! registry (`remote`) and by OCI image layout directories (`layout`).
//!
//! Content fetched by digest is verified (length and digest) before anyone
//! sees it. Nothing above this module builds a URL or touches HTTP.

pub mod cache;
pub mod error;
pub mod layout;
pub mod remote;

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::oci::{Descriptor, Digest, Manifest};
pub use error::StoreError;

/// A blob's bytes as they arrive. A stream handed out by `fetch_blob` ends
/// with an error, not `None`, when the content fails verification, so a
/// consumer must only trust what it wrote once the stream ended cleanly.
pub type BlobStream = BoxStream<'static, Result<Bytes, StoreError>>;

/// Called with each page of names as it arrives.
pub type PageSink<'a> = &'a mut (dyn FnMut(Vec<String>) + Send);

/// Where a list of referrers came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferrersSource {
    /// `GET /v2/<name>/referrers/<digest>` (distribution-spec 1.1).
    Api,
    /// The tag schema: an index tagged `sha256-<hex>`.
    FallbackTag,
    /// Found by reading the manifests' `subject` (an OCI layout).
    SubjectScan,
}

impl ReferrersSource {
    pub fn label(self) -> &'static str {
        match self {
            ReferrersSource::Api => "referrers API",
            ReferrersSource::FallbackTag => "fallback tag",
            ReferrersSource::SubjectScan => "subject scan",
        }
    }
}

/// What a store knows about how it serves referrers; shown in the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferrersSupport {
    NotYetKnown,
    Api,
    FallbackTag,
    SubjectScan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrers {
    /// Deduplicated by digest, filtered by artifact type when one was asked
    /// for (by the registry when it says so, otherwise here).
    pub descriptors: Vec<Descriptor>,
    pub source: ReferrersSource,
    /// Things the user should know: a fallback tag that was not an index of
    /// referrers, a truncated listing, …
    pub warnings: Vec<String>,
}

/// What pushing a manifest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedManifest {
    pub descriptor: Descriptor,
    /// For a manifest with a subject: how the subject learned of it.
    pub referrer_indexed_by: Option<ReferrersSource>,
}

/// `Any`, so that the doctor's probes, which need a registry's own
/// transport, can find the `RemoteStore` behind a session's `SharedStore`
/// and share its tokens and request limit.
#[async_trait]
pub trait Store: Any + Send + Sync + fmt::Debug {
    /// How to show this store to a person: `localhost:5000`, `oci:DIR` (as the CLI writes it).
    fn name(&self) -> &str;

    /// The registry part of references into this store (for `registry/repo@digest`).
    fn registry(&self) -> &str;

    fn referrers_support(&self) -> ReferrersSupport;

    /// Finds out, if it is not known yet, whether `repository` lists
    /// referrers itself, asking about `subject` (a manifest already in
    /// it: a registry with the API may answer 404 for a repository it does
    /// not know yet). A caller about to push referrers asks while it does
    /// other work, so the push can tell whether referrers of one subject
    /// may go at once. Best effort: what cannot be found out stays unknown.
    async fn learn_referrers_support(&self, _repository: &str, _subject: &Digest) {}

    /// Lists repositories page by page. A registry that refuses the catalog
    /// answers `StoreError::CatalogUnavailable`.
    async fn catalog(&self, on_page: PageSink<'_>) -> Result<(), StoreError>;

    /// Lists a repository's tags page by page.
    async fn tags(&self, repository: &str, on_page: PageSink<'_>) -> Result<(), StoreError>;

    /// Resolves a tag or digest to the manifest's descriptor.
    async fn resolve(&self, repository: &str, reference: &str) -> Result<Descriptor, StoreError>;

    /// Fetches a manifest by tag or digest; by digest it is verified, by tag
    /// its digest is the hash of the bytes received.
    async fn fetch_manifest(
        &self,
        repository: &str,
        reference: &str,
    ) -> Result<Manifest, StoreError>;

    /// Streams a blob, verifying size and digest as it goes.
    async fn fetch_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError>;

    async fn blob_exists(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError>;

    /// Uploads a blob whose descriptor is known (its digest and size are
    /// what the registry will check).
    async fn push_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        content: BlobStream,
    ) -> Result<(), StoreError>;

    /// Asks the store to link a blob from another repository of the same
    /// registry. `Ok(false)` means it declined and the caller must upload.
    async fn mount_blob(
        &self,
        repository: &str,
        from_repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError>;

    /// Pushes a manifest by tag, or by digest when `tag` is `None`. A manifest
    /// with a `subject` is made discoverable: by the registry itself
    /// (`OCI-Subject`) or by updating the fallback index.
    async fn push_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError>;

    /// Pushes manifests that do not depend on each other (one level of a
    /// referrer graph), each by its tag or by digest, and makes the
    /// referrers among them discoverable. A registry without the referrers
    /// API then gets one fallback-index update per subject, subjects side by
    /// side, instead of one per referrer. Results are in `manifests` order.
    async fn push_manifests(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
    ) -> Result<Vec<PushedManifest>, StoreError> {
        let mut pushed = Vec::with_capacity(manifests.len());
        for (manifest, tag) in manifests {
            pushed.push(self.push_manifest(repository, manifest, *tag).await?);
        }
        Ok(pushed)
    }

    /// Deletes a manifest by digest, and removes it from its subject's
    /// fallback index when it is a referrer.
    async fn delete_manifest(&self, repository: &str, digest: &Digest) -> Result<(), StoreError>;

    /// Removes `tag` alone, leaving the manifest it names (and every other
    /// tag) where it is, when the store has a way to: the tag-delete API
    /// (`DELETE /v2/<name>/manifests/<tag>`, distribution 3, olareg), or a
    /// layout's `index.json` entry. `Ok(false)`: the store cannot, and the
    /// caller may fall back on pushing a throwaway manifest to the tag and
    /// deleting that (as `regctl tag rm` does).
    async fn delete_tag(&self, _repository: &str, _tag: &str) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// The referrers of `subject`, optionally only those of one artifact type.
    async fn referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError>;

    /// Reads `length` bytes of a blob from `offset` (eStargz tables of
    /// contents and chunks). Not verified against the blob's digest (that
    /// needs every byte): the caller checks what it reads against digests it
    /// trusts. This default reads the blob from its start and keeps the
    /// range; the registry and layout stores read only the range.
    async fn fetch_blob_range(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        offset: u64,
        length: u64,
    ) -> Result<Bytes, StoreError> {
        check_range(descriptor, offset, length)?;
        let stream = self.fetch_blob(repository, descriptor).await?;
        take_range(stream, offset, length).await
    }

    /// Reads a whole blob into memory, refusing more than `limit` bytes
    /// before allocating for it.
    async fn fetch_blob_bytes(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        limit: u64,
    ) -> Result<Bytes, StoreError> {
        if descriptor.size > limit {
            return Err(StoreError::TooLarge {
                what: format!("blob {}", descriptor.digest),
                limit,
            });
        }
        let mut stream = self.fetch_blob(repository, descriptor).await?;
        let mut buffer = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            buffer.extend_from_slice(&chunk?);
        }
        Ok(buffer.freeze())
    }
}

pub type SharedStore = Arc<dyn Store>;

/// A stream of one in-memory buffer, for pushing small blobs.
pub fn bytes_stream(bytes: Bytes) -> BlobStream {
    futures_util::stream::once(async move { Ok(bytes) }).boxed()
}

/// Refuses a range outside the blob (or too large to hold in memory).
pub fn check_range(descriptor: &Descriptor, offset: u64, length: u64) -> Result<(), StoreError> {
    if length == 0
        || offset
            .checked_add(length)
            .is_none_or(|end| end > descriptor.size)
    {
        return Err(StoreError::Invalid(format!(
            "bytes {offset}+{length} lie outside blob {} of {} bytes",
            descriptor.digest, descriptor.size
        )));
    }
    if length > MAX_RANGE {
        return Err(StoreError::TooLarge {
            what: format!("a range of blob {}", descriptor.digest),
            limit: MAX_RANGE,
        });
    }
    Ok(())
}

/// A range read is held in memory: no more than this at once.
pub const MAX_RANGE: u64 = 256 * 1024 * 1024;

/// Skips `offset` bytes of a stream and keeps the next `length`: for a
/// registry that answers a Range request with the whole blob.
pub async fn take_range(
    mut stream: BlobStream,
    offset: u64,
    length: u64,
) -> Result<Bytes, StoreError> {
    let mut skipped = 0u64;
    let mut out = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let mut chunk = chunk?;
        if skipped < offset {
            let skip = (offset - skipped).min(chunk.len() as u64);
            skipped += skip;
            let _ = chunk.split_to(usize::try_from(skip).unwrap_or(chunk.len()));
        }
        let wanted = length - out.len() as u64;
        let take = (chunk.len() as u64).min(wanted);
        out.extend_from_slice(&chunk[..usize::try_from(take).unwrap_or(chunk.len())]);
        if out.len() as u64 == length {
            return Ok(out.freeze());
        }
    }
    Err(StoreError::Protocol(format!(
        "the blob ended before bytes {offset}+{length}"
    )))
}
