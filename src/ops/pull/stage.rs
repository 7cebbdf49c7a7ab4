//! One blob of a pull, staged: downloaded to a temporary file inside the
//! output directory (verified by the store's stream) and, for a directory,
//! unpacked to a temporary directory beside it. Nothing here touches a
//! final name.

use std::io::Write;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use tempfile::{NamedTempFile, TempDir};
use tokio::io::AsyncWriteExt;

use crate::document::unwrap_statement;
use crate::oci::media_type::ANNOTATION_CONTENT_DIGEST;
use crate::oci::{Descriptor, Digest};
use crate::ops::beneath::{temp_dir, temp_file};
use crate::ops::untar::{UnpackLimits, unpack_directory};
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;

/// One blob's way to disk.
pub(super) struct Planned {
    pub descriptor: Descriptor,
    pub relative: PathBuf,
    pub unpack: bool,
    /// Write the in-toto predicate the blob wraps, not the blob.
    pub unwrap_predicate: bool,
    /// Its verified bytes, when choosing read them already.
    pub content: Option<bytes::Bytes>,
}

/// Staged and verified, waiting for its rename.
pub(super) enum Staged {
    File(NamedTempFile),
    Directory(TempDir),
}

/// Downloads one blob to a temporary file inside `dir` (verified by the
/// store's stream), and unpacks it to a temporary directory when asked.
pub(super) async fn stage(
    store: &dyn Store,
    repository: &str,
    dir: &Path,
    item: &Planned,
    limits: UnpackLimits,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<Staged, OpError> {
    let what = item.relative.display().to_string();
    let digest = item.descriptor.digest.clone();
    let temp = temp_file(dir)?;
    let handle = temp
        .reopen()
        .map_err(|e| OpError::io("open the temporary file", e))?;
    let mut out = tokio::fs::File::from_std(handle);
    report(
        progress,
        Progress::Started {
            digest: digest.clone(),
            what: what.clone(),
            total: item.descriptor.size,
        },
    );
    let mut blob = match &item.content {
        Some(bytes) => crate::store::bytes_stream(bytes.clone()),
        None => tokio::select! {
            () = cancel.cancelled() => return Err(OpError::Cancelled),
            blob = store.fetch_blob(repository, &item.descriptor) => blob?,
        },
    };
    let mut done = 0u64;
    loop {
        let chunk = tokio::select! {
            () = cancel.cancelled() => return Err(OpError::Cancelled),
            chunk = blob.next() => chunk,
        };
        let Some(chunk) = chunk else { break };
        let chunk = chunk?;
        out.write_all(&chunk)
            .await
            .map_err(|e| OpError::io(format!("write {what}"), e))?;
        done += chunk.len() as u64;
        report(
            progress,
            Progress::Bytes {
                digest: digest.clone(),
                done,
            },
        );
    }
    out.flush()
        .await
        .map_err(|e| OpError::io(format!("write {what}"), e))?;
    drop(out);
    if item.unwrap_predicate {
        let predicate = predicate_of(temp.path(), &what)?;
        let mut unwrapped = temp_file(dir)?;
        unwrapped
            .write_all(&predicate)
            .map_err(|e| OpError::io(format!("write {what}"), e))?;
        report(progress, Progress::Finished { digest, what });
        return Ok(Staged::File(unwrapped));
    }
    if !item.unpack {
        report(progress, Progress::Finished { digest, what });
        return Ok(Staged::File(temp));
    }
    let expected = match item.descriptor.annotation(ANNOTATION_CONTENT_DIGEST) {
        Some(text) => Some(text.parse::<Digest>().map_err(|e| {
            OpError::Invalid(format!("{what}: bad {ANNOTATION_CONTENT_DIGEST}: {e}"))
        })?),
        None => None,
    };
    let unpacked = temp_dir(dir)?;
    let archive = temp.path().to_path_buf();
    let dest = unpacked.path().to_path_buf();
    let prefix = item.relative.clone();
    tokio::task::spawn_blocking(move || {
        unpack_directory(&archive, &dest, &prefix, expected.as_ref(), limits)
    })
    .await
    .map_err(|e| OpError::Invalid(format!("unpacking {what} stopped: {e}")))??;
    if cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    drop(temp);
    report(progress, Progress::Finished { digest, what });
    Ok(Staged::Directory(unpacked))
}

/// Envelopes bigger than this are not unwrapped in memory.
const MAX_ENVELOPE: u64 = 256 * 1024 * 1024;

/// The predicate of the in-toto statement in a verified blob on disk.
fn predicate_of(path: &Path, what: &str) -> Result<Vec<u8>, OpError> {
    let size = std::fs::metadata(path)
        .map_err(|e| OpError::io(format!("read {what}"), e))?
        .len();
    if size > MAX_ENVELOPE {
        return Err(OpError::Invalid(format!(
            "{what}: the envelope is {size} bytes, more than the {MAX_ENVELOPE} this unwraps; \
             pull it with --raw"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| OpError::io(format!("read {what}"), e))?;
    let statement = unwrap_statement(&bytes)
        .map_err(|e| OpError::Invalid(format!("{what}: {e}; pull it with --raw")))?;
    statement
        .predicate_bytes()
        .ok_or_else(|| OpError::Invalid(format!("{what}: the statement has no predicate")))
}
