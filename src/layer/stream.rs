//! Feeding a blob's verified stream to blocking code (the tar walk) through
//! tokio-util's `SyncIoBridge`, so a layer of any size passes through a few
//! chunks of memory. Every byte of the blob is read, even when the walk
//! stops early, so the store's digest check always runs; a result is only
//! returned once it has.

use std::io::{self, Read};
use std::sync::{Arc, Mutex, PoisonError};

use futures_util::StreamExt;
use tokio_util::io::{StreamReader, SyncIoBridge};

use crate::oci::Descriptor;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::{Store, StoreError};

/// Streams `descriptor`'s blob into `work`, run on a blocking thread, and
/// returns its result once the whole blob arrived and verified. Progress
/// goes out as bytes of the blob.
pub async fn with_blob_reader<T, F>(
    store: &dyn Store,
    repository: &str,
    descriptor: &Descriptor,
    what: &str,
    progress: &ProgressSink,
    cancel: &CancellationToken,
    work: F,
) -> Result<T, OpError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Read) -> Result<T, OpError> + Send + 'static,
{
    let digest = descriptor.digest.clone();
    report(
        progress,
        Progress::Started {
            digest: digest.clone(),
            what: what.to_owned(),
            total: descriptor.size,
        },
    );
    let blob = tokio::select! {
        () = cancel.cancelled() => return Err(OpError::Cancelled),
        blob = store.fetch_blob(repository, descriptor) => blob?,
    };
    // The walk reads `io::Error`s; the store's own error is kept here, so
    // that a failed download (not the walk it broke) is what is reported.
    let failure: Arc<Mutex<Option<StoreError>>> = Arc::default();
    let chunks = {
        let (failure, progress, digest) = (Arc::clone(&failure), progress.clone(), digest.clone());
        let mut done = 0u64;
        blob.map(move |chunk| match chunk {
            Ok(chunk) => {
                done += chunk.len() as u64;
                report(
                    &progress,
                    Progress::Bytes {
                        digest: digest.clone(),
                        done,
                    },
                );
                Ok(chunk)
            }
            Err(error) => {
                let message = error.to_string();
                failure
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get_or_insert(error);
                Err(io::Error::other(message))
            }
        })
        // Cancelling ends the stream where it is; the result then counts
        // for nothing (checked below).
        .take_until(Box::pin(cancel.clone().cancelled_owned()))
    };
    let mut reader = SyncIoBridge::new(StreamReader::new(chunks));
    let worker = tokio::task::spawn_blocking(move || {
        let worked = work(&mut reader);
        if worked.is_ok() {
            // The walk may stop before the end (a tar's zero blocks, a
            // file found): the rest is read, unused, so the digest check
            // runs before the result counts.
            io::copy(&mut reader, &mut io::sink())
                .map_err(|e| OpError::io("read the rest of the blob", e))?;
        }
        worked
    });
    let worked = worker
        .await
        .map_err(|e| OpError::Invalid(format!("reading {what} stopped: {e}")));
    if let Some(error) = failure
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
    {
        // A failed download explains a failed walk, not the other way round.
        return Err(error.into());
    }
    if cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    let value = worked??;
    report(
        progress,
        Progress::Finished {
            digest,
            what: what.to_owned(),
        },
    );
    Ok(value)
}
