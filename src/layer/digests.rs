//! A layer's listing with each regular file's content digest, for comparing
//! two layers' files: two files of the same size can still differ. From an
//! eStargz or zstd:chunked table of contents the digests are the TOC's
//! (read by Range); from a tar each file is hashed while the layer streams
//! past, once, under pull's caps. Not cached: the listing cache holds no
//! digests.

use std::collections::HashMap;
use std::io::Read;

use super::entry::{EntryKind, FileEntry};
use super::{ListingSource, stream, toc_read, walk};
use crate::oci::{Algorithm, Descriptor, Digest, DigestHasher};
use crate::ops::untar::UnpackLimits;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;

/// A layer's entries and, by path, the content digest of its regular files
/// (a file the TOC gives no digest for has none).
#[derive(Debug, Clone)]
pub struct DigestedListing {
    pub descriptor: Descriptor,
    pub entries: Vec<FileEntry>,
    pub digests: HashMap<String, Digest>,
    pub source: ListingSource,
}

/// Lists one layer with its files' digests: from its table of contents
/// when it has one, else by streaming the whole layer once.
pub async fn list_layer_with_digests(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    limits: UnpackLimits,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<DigestedListing, OpError> {
    if let Some(format) = toc_read::toc_format(descriptor) {
        match toc_read::list_with_digests(store, repository, descriptor, cancel).await {
            Ok((entries, digests, bytes_read)) => {
                report(
                    progress,
                    Progress::Bytes {
                        digest: descriptor.digest.clone(),
                        done: bytes_read,
                    },
                );
                return Ok(DigestedListing {
                    descriptor: descriptor.clone(),
                    entries,
                    digests,
                    source: ListingSource::Toc { format, bytes_read },
                });
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
    let size = descriptor.size;
    let what = format!("layer {}", descriptor.digest.short());
    let (entries, digests) = stream::with_blob_reader(
        store,
        repository,
        descriptor,
        &what,
        progress,
        cancel,
        move |reader| {
            let mut entries = Vec::new();
            let mut digests = HashMap::new();
            walk::walk_layer(reader, size, limits, |entry, content| {
                if entry.kind == EntryKind::File {
                    digests.insert(entry.path.clone(), hash_content(content)?);
                }
                entries.push(entry.clone());
                Ok(())
            })?;
            Ok((entries, digests))
        },
    )
    .await?;
    Ok(DigestedListing {
        descriptor: descriptor.clone(),
        entries,
        digests,
        source: ListingSource::WholeLayer,
    })
}

fn hash_content(content: &mut dyn Read) -> Result<Digest, OpError> {
    let mut hasher = DigestHasher::new(Algorithm::Sha256);
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = content
            .read(&mut buffer)
            .map_err(|e| OpError::Invalid(format!("the layer is not a readable tar: {e}")))?;
        if read == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&buffer[..read]);
    }
}
