//! Writing blobs into a layout: through a temporary file in `ingest`,
//! verified as the bytes stream, renamed into place only when size and
//! digest match.

use std::path::Path;

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::fs::File;
use tokio::io::AsyncWriteExt;

use super::{INGEST_DIR, blob_path, exists, stream, temp_name};
use crate::oci::verify::ContentVerifier;
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError};

/// Writes a blob through a temporary file: verified as it streams, renamed
/// into place only when size and digest match, removed otherwise.
pub(in crate::store::layout) async fn write(
    layout: &Path,
    descriptor: &Descriptor,
    mut content: BlobStream,
) -> Result<(), StoreError> {
    let digest = &descriptor.digest;
    let final_path = blob_path(layout, digest);
    let temp_path = layout.join(INGEST_DIR).join(temp_name("blob"));
    create_parent_dirs(&final_path, &temp_path).await?;
    let context = || format!("writing blob {digest}");
    let mut file = File::create(&temp_path)
        .await
        .map_err(|e| StoreError::io(context(), e))?;
    let mut verifier = ContentVerifier::new(descriptor);
    let written: Result<(), StoreError> = async {
        while let Some(chunk) = content.next().await {
            let chunk = chunk?;
            verifier.update(&chunk)?;
            file.write_all(&chunk)
                .await
                .map_err(|e| StoreError::io(context(), e))?;
        }
        verifier.finish()?;
        file.flush()
            .await
            .map_err(|e| StoreError::io(context(), e))?;
        file.sync_data()
            .await
            .map_err(|e| StoreError::io(context(), e))?;
        Ok(())
    }
    .await;
    drop(file);
    if let Err(error) = written {
        let _ = tokio::fs::remove_file(&temp_path).await;
        return Err(error);
    }
    let renamed = tokio::fs::rename(&temp_path, &final_path).await;
    if let Err(error) = renamed {
        let _ = tokio::fs::remove_file(&temp_path).await;
        return Err(StoreError::io(context(), error));
    }
    Ok(())
}

/// Writes bytes already in memory (a manifest) as a blob, unless present.
pub(in crate::store::layout) async fn write_bytes(
    layout: &Path,
    descriptor: &Descriptor,
    bytes: Bytes,
) -> Result<(), StoreError> {
    if exists(layout, descriptor).await? {
        return Ok(());
    }
    write(layout, descriptor, crate::store::bytes_stream(bytes)).await
}

/// Puts a blob of `from` into `to`: a hard link when both are on one file
/// system, a verified copy otherwise. `false` when `from` lacks it.
pub(in crate::store::layout) async fn link_or_copy(
    from: &Path,
    to: &Path,
    descriptor: &Descriptor,
) -> Result<bool, StoreError> {
    if !exists(from, descriptor).await? {
        return Ok(false);
    }
    if exists(to, descriptor).await? {
        return Ok(true);
    }
    let target = blob_path(to, &descriptor.digest);
    let temp_path = to.join(INGEST_DIR).join(temp_name("mount"));
    create_parent_dirs(&target, &temp_path).await?;
    let source = blob_path(from, &descriptor.digest);
    if tokio::fs::hard_link(&source, &temp_path).await.is_ok() {
        // Linking does not follow symlinks, so re-check what was linked: the
        // source may have been swapped for a link since it was checked.
        let linked = tokio::fs::symlink_metadata(&temp_path).await;
        let sound = linked.is_ok_and(|m| m.is_file() && m.len() == descriptor.size);
        if sound && tokio::fs::rename(&temp_path, &target).await.is_ok() {
            return Ok(true);
        }
        let _ = tokio::fs::remove_file(&temp_path).await;
    }
    let content = stream(from, descriptor).await?;
    write(to, descriptor, content).await?;
    Ok(true)
}

/// Removes a blob; one already gone is not an error.
pub(in crate::store::layout) async fn remove(
    layout: &Path,
    digest: &Digest,
) -> Result<(), StoreError> {
    match tokio::fs::remove_file(blob_path(layout, digest)).await {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(StoreError::io(format!("deleting blob {digest}"), error)),
    }
}

async fn create_parent_dirs(final_path: &Path, temp_path: &Path) -> Result<(), StoreError> {
    for path in [final_path, temp_path] {
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| StoreError::io(format!("creating {}", parent.display()), e))?;
        }
    }
    Ok(())
}
