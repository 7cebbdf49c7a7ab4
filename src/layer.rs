//! Looking inside image layers without pulling the image: a layer's files
//! (from its tar, streamed once and verified, or from an eStargz or
//! zstd:chunked table of contents read by Range), the image's merged file system with whiteouts
//! applied, and one file's bytes. Listings of whole layers are cached on
//! disk by digest.
//!
//! - `entry`: one file as a layer describes it, and the whiteout rules;
//! - `walk`: the streamed tar walk under pull's caps;
//! - `stream`: a blob's verified stream fed to the blocking walk;
//! - `estargz`, `zstd_chunked` and `toc_read`: the tables of contents and
//!   chunk reads;
//! - `merge`: the merged view, with per-path layer and wasted bytes;
//! - `cache`: listings on disk;
//! - `digests`: a listing with each file's content digest, for the diff;
//! - `image`: choosing the image manifest and its layers;
//! - `extract`: one file's verified bytes, and writing it under pull's rules.

pub mod cache;
pub mod digests;
pub mod entry;
pub mod estargz;
pub mod extract;
pub mod image;
pub mod merge;
mod resolve;
mod stream;
mod tar_check;
mod toc_read;
pub mod walk;
mod zstd;
mod zstd_chunked;

use serde::Serialize;

use crate::oci::Descriptor;
use crate::ops::untar::UnpackLimits;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;
pub use cache::ListingCache;
pub use entry::{EntryKind, FileEntry};
pub use merge::{Change, MergedEntry, MergedView, merge};
pub use toc_read::TocFormat;

/// Where a listing came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListingSource {
    /// The on-disk cache (made from a whole, verified read earlier).
    Cache,
    /// The table of contents alone; `bytes_read` of the layer were fetched.
    Toc { format: TocFormat, bytes_read: u64 },
    /// The whole layer was read and its digest verified.
    WholeLayer,
}

impl ListingSource {
    pub fn describe(self) -> String {
        match self {
            ListingSource::Cache => "from the listing cache".to_owned(),
            ListingSource::Toc { format, bytes_read } => format!(
                "from the {} table of contents ({} read)",
                format.name(),
                crate::text::human_size(bytes_read)
            ),
            ListingSource::WholeLayer => "whole layer read".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerListing {
    pub descriptor: Descriptor,
    pub entries: Vec<FileEntry>,
    pub source: ListingSource,
}

#[derive(Debug, Clone)]
pub struct FilesOptions {
    /// Pull's caps, applied to the uncompressed tar.
    pub limits: UnpackLimits,
    pub cache: Option<ListingCache>,
}

impl Default for FilesOptions {
    fn default() -> Self {
        FilesOptions {
            limits: UnpackLimits::default(),
            cache: ListingCache::in_user_cache(),
        }
    }
}

/// Lists one layer: from the cache, else from its eStargz or zstd:chunked
/// table of contents when it has one, else by streaming the whole layer once.
pub async fn list_layer(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    options: &FilesOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<LayerListing, OpError> {
    let listing = |entries, source| LayerListing {
        descriptor: descriptor.clone(),
        entries,
        source,
    };
    // The cache is files on disk: read and written off the async threads.
    if let Some(cache) = options.cache.clone() {
        let digest = descriptor.digest.clone();
        if let Ok(Some(entries)) = tokio::task::spawn_blocking(move || cache.get(&digest)).await {
            return Ok(listing(entries, ListingSource::Cache));
        }
    }
    if let Some(format) = toc_read::toc_format(descriptor) {
        match toc_read::list(store, repository, descriptor, cancel).await {
            Ok((entries, bytes_read)) => {
                // Only the bytes read count towards the TUI's progress.
                report(
                    progress,
                    Progress::Bytes {
                        digest: descriptor.digest.clone(),
                        done: bytes_read,
                    },
                );
                return Ok(listing(entries, ListingSource::Toc { format, bytes_read }));
            }
            Err(OpError::Cancelled) => return Err(OpError::Cancelled),
            Err(error) => report(
                progress,
                Progress::Warning(format!(
                    "the {} table of contents of {} could not be read ({error}); \
                     reading the whole layer",
                    format.name(),
                    descriptor.digest
                )),
            ),
        }
    }
    let limits = options.limits;
    let size = descriptor.size;
    let what = "layer".to_owned();
    let entries = stream::with_blob_reader(
        store,
        repository,
        descriptor,
        &what,
        progress,
        cancel,
        move |reader| {
            let mut entries = Vec::new();
            walk::walk_layer(reader, size, limits, |entry, _| {
                entries.push(entry.clone());
                Ok(())
            })?;
            Ok(entries)
        },
    )
    .await?;
    let entries = match options.cache.clone() {
        Some(cache) => {
            let digest = descriptor.digest.clone();
            tokio::task::spawn_blocking(move || {
                cache.put(&digest, &entries);
                entries
            })
            .await
            .map_err(|e| OpError::Invalid(format!("caching the listing stopped: {e}")))?
        }
        None => entries,
    };
    Ok(listing(entries, ListingSource::WholeLayer))
}
