//! Blobs inside one OCI layout (`blobs/<alg>/<hex>`), read and written
//! defensively: a layout on disk is input like any registry reply. A blob
//! that is a symlink (or sits under a symlinked directory) is refused, so a
//! layout cannot make regscope read files outside it; sizes come from the
//! file, never from a descriptor, before anything is allocated; every byte
//! read or written is verified against the descriptor.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use tokio::fs::File;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

mod write;

pub(super) use self::write::{link_or_copy, remove, write, write_bytes};
use crate::oci::verify::{ContentVerifier, VerifyError};
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError};

/// Read size for streaming blobs off disk.
const CHUNK: usize = 64 * 1024;

/// Where temporary files are written before their atomic rename; ORAS uses
/// the same directory name.
pub(super) const INGEST_DIR: &str = "ingest";

/// The file of `digest` in the layout at `layout` (the hex is validated by
/// `Digest`, so the path cannot escape the layout).
pub(super) fn blob_path(layout: &Path, digest: &Digest) -> PathBuf {
    layout.join(digest.layout_path())
}

/// A fresh name for a temporary file, unique within this process and
/// across processes sharing the layout.
pub(super) fn temp_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        ".{prefix}-{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Checks that `blobs`, `blobs/<alg>` and the blob itself are not symlinks.
/// Returns the blob's length, or `None` when it does not exist.
async fn safe_blob_len(layout: &Path, digest: &Digest) -> Result<Option<u64>, StoreError> {
    let blobs = layout.join("blobs");
    let algorithm_dir = blobs.join(digest.algorithm().name());
    let file = blob_path(layout, digest);
    for (path, is_blob) in [(&blobs, false), (&algorithm_dir, false), (&file, true)] {
        let metadata = match tokio::fs::symlink_metadata(path).await {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(StoreError::io(format!("reading blob {digest}"), error)),
        };
        if metadata.file_type().is_symlink() {
            return Err(StoreError::Invalid(format!(
                "refusing blob {digest}: {} is a symbolic link",
                path.display()
            )));
        }
        if is_blob {
            if !metadata.is_file() {
                return Err(StoreError::Invalid(format!(
                    "refusing blob {digest}: it is not a regular file"
                )));
            }
            return Ok(Some(metadata.len()));
        }
    }
    Ok(None)
}

/// Opens a blob for reading after the symlink checks, and makes sure the
/// file opened is the one checked (no swap in between).
async fn open_checked(layout: &Path, descriptor: &Descriptor) -> Result<File, StoreError> {
    let digest = &descriptor.digest;
    let Some(length) = safe_blob_len(layout, digest).await? else {
        return Err(StoreError::not_found(format!("blob {digest}")));
    };
    if length != descriptor.size {
        // Known before a byte is read; the declared size is never allocated.
        return Err(if length < descriptor.size {
            StoreError::Verify(VerifyError::TooShort {
                digest: digest.clone(),
                expected: descriptor.size,
                received: length,
            })
        } else {
            StoreError::Verify(VerifyError::TooLong {
                digest: digest.clone(),
                expected: descriptor.size,
            })
        });
    }
    let path = blob_path(layout, digest);
    let file = File::open(&path)
        .await
        .map_err(|e| StoreError::io(format!("opening blob {digest}"), e))?;
    same_file_as_checked(&file, &path, digest).await?;
    Ok(file)
}

#[cfg(unix)]
async fn same_file_as_checked(file: &File, path: &Path, digest: &Digest) -> Result<(), StoreError> {
    use std::os::unix::fs::MetadataExt;
    let opened = file
        .metadata()
        .await
        .map_err(|e| StoreError::io(format!("reading blob {digest}"), e))?;
    let checked = tokio::fs::symlink_metadata(path)
        .await
        .map_err(|e| StoreError::io(format!("reading blob {digest}"), e))?;
    if checked.file_type().is_symlink()
        || opened.dev() != checked.dev()
        || opened.ino() != checked.ino()
    {
        return Err(StoreError::Invalid(format!(
            "refusing blob {digest}: it changed while being opened"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
async fn same_file_as_checked(_: &File, _: &Path, _: &Digest) -> Result<(), StoreError> {
    Ok(())
}

/// Streams a blob, verifying size and digest; the stream's last item is an
/// error when verification fails.
pub(super) async fn stream(
    layout: &Path,
    descriptor: &Descriptor,
) -> Result<BlobStream, StoreError> {
    let file = open_checked(layout, descriptor).await?;
    let state = Some((file, ContentVerifier::new(descriptor)));
    let digest = descriptor.digest.clone();
    let stream = futures_util::stream::unfold(state, move |state| {
        let digest = digest.clone();
        async move {
            let (mut file, mut verifier) = state?;
            let mut buffer = BytesMut::zeroed(CHUNK);
            match file.read(&mut buffer).await {
                Ok(0) => match verifier.finish() {
                    Ok(()) => None,
                    Err(error) => Some((Err(StoreError::Verify(error)), None)),
                },
                Ok(read) => {
                    buffer.truncate(read);
                    match verifier.update(&buffer) {
                        Ok(()) => Some((Ok(buffer.freeze()), Some((file, verifier)))),
                        Err(error) => Some((Err(StoreError::Verify(error)), None)),
                    }
                }
                Err(error) => Some((
                    Err(StoreError::io(format!("reading blob {digest}"), error)),
                    None,
                )),
            }
        }
    });
    Ok(stream.boxed())
}

/// Reads a whole blob, refusing one larger than `limit` before reading.
pub(super) async fn read(
    layout: &Path,
    descriptor: &Descriptor,
    limit: u64,
) -> Result<Bytes, StoreError> {
    if descriptor.size > limit {
        return Err(StoreError::TooLarge {
            what: format!("blob {}", descriptor.digest),
            limit,
        });
    }
    let mut stream = stream(layout, descriptor).await?;
    let mut buffer = BytesMut::with_capacity(usize::try_from(descriptor.size).unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        buffer.extend_from_slice(&chunk?);
    }
    Ok(buffer.freeze())
}

/// Reads `length` bytes from `offset` of a blob (after the same checks as
/// a whole read), without reading the rest.
pub(super) async fn read_range(
    layout: &Path,
    descriptor: &Descriptor,
    offset: u64,
    length: u64,
) -> Result<Bytes, StoreError> {
    crate::store::check_range(descriptor, offset, length)?;
    let mut file = open_checked(layout, descriptor).await?;
    let digest = &descriptor.digest;
    file.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(|e| StoreError::io(format!("reading blob {digest}"), e))?;
    let mut buffer = BytesMut::zeroed(usize::try_from(length).unwrap_or(0));
    file.read_exact(&mut buffer)
        .await
        .map_err(|e| StoreError::io(format!("reading blob {digest}"), e))?;
    Ok(buffer.freeze())
}

/// Reads a blob whose size is not known (a manifest addressed only by
/// digest), refusing more than `limit` bytes, and verifies its digest.
pub(super) async fn read_unsized(
    layout: &Path,
    digest: &Digest,
    limit: u64,
) -> Result<Bytes, StoreError> {
    let Some(length) = safe_blob_len(layout, digest).await? else {
        return Err(StoreError::not_found(format!("blob {digest}")));
    };
    if length > limit {
        return Err(StoreError::TooLarge {
            what: format!("blob {digest}"),
            limit,
        });
    }
    read(layout, &Descriptor::new("", digest.clone(), length), limit).await
}

/// Whether the layout holds the blob, complete (its length is the
/// descriptor's). A symlinked blob is an error, not a yes.
pub(super) async fn exists(layout: &Path, descriptor: &Descriptor) -> Result<bool, StoreError> {
    Ok(safe_blob_len(layout, &descriptor.digest).await? == Some(descriptor.size))
}
