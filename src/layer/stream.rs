//! Feeding a blob's verified stream to blocking code (the tar walk) through
//! a small bounded channel, so a layer of any size passes through a few
//! chunks of memory. Every byte of the blob is read, even when the blocking
//! side stops early, so the store's digest check always runs; a result is
//! only returned once it has.

use std::io::{self, Read};

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::oci::Descriptor;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;

/// Chunks in flight between the download and the walk.
const CHANNEL_CHUNKS: usize = 8;

/// Reads the chunks a download sends; an error chunk (the stream failed)
/// ends the reading with that error.
struct ChannelReader {
    receiver: mpsc::Receiver<Result<Bytes, String>>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.current.is_empty() {
            match self.receiver.blocking_recv() {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(message)) => return Err(io::Error::other(message)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

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
    let mut blob = tokio::select! {
        () = cancel.cancelled() => return Err(OpError::Cancelled),
        blob = store.fetch_blob(repository, descriptor) => blob?,
    };
    let (sender, receiver) = mpsc::channel(CHANNEL_CHUNKS);
    let worker = tokio::task::spawn_blocking(move || {
        let mut reader = ChannelReader {
            receiver,
            current: Bytes::new(),
        };
        work(&mut reader)
    });
    let mut worker = Some(worker);
    let mut worked: Option<Result<T, OpError>> = None;
    let mut done = 0u64;
    let downloaded: Result<(), OpError> = loop {
        let chunk = tokio::select! {
            () = cancel.cancelled() => break Err(OpError::Cancelled),
            chunk = blob.next() => chunk,
        };
        match chunk {
            None => break Ok(()),
            Some(Ok(chunk)) => {
                done += chunk.len() as u64;
                report(
                    progress,
                    Progress::Bytes {
                        digest: digest.clone(),
                        done,
                    },
                );
                if worked.is_none() && sender.send(Ok(chunk)).await.is_err() {
                    // The walk is over. A failed one ends the download; a
                    // finished one reads on, unsent, so the digest is still
                    // checked before its result counts.
                    let result = join(worker.take(), what).await;
                    if let Err(error) = result {
                        return Err(error);
                    }
                    worked = Some(result);
                }
            }
            Some(Err(error)) => {
                let _ = sender.send(Err(error.to_string())).await;
                break Err(error.into());
            }
        }
    };
    drop(sender);
    let worked = match worked {
        Some(result) => result,
        None => join(worker.take(), what).await,
    };
    // A failed download explains a failed walk, not the other way round.
    downloaded?;
    let value = worked?;
    report(
        progress,
        Progress::Finished {
            digest,
            what: what.to_owned(),
        },
    );
    Ok(value)
}

async fn join<T>(
    worker: Option<tokio::task::JoinHandle<Result<T, OpError>>>,
    what: &str,
) -> Result<T, OpError> {
    match worker {
        Some(worker) => worker
            .await
            .map_err(|e| OpError::Invalid(format!("reading {what} stopped: {e}")))?,
        None => Err(OpError::Invalid(format!("reading {what} ended twice"))),
    }
}
