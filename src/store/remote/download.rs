//! A blob download as a stream that verifies every byte as it passes and,
//! when the connection breaks mid-body, asks again from where it stopped
//! (`Range`), so a reset near the end of a large layer does not cost the
//! whole layer. A registry that ignores `Range` sends everything again; the
//! part already handed on is then dropped, and the digest still covers
//! exactly the bytes the consumer received.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use reqwest::header::{CONTENT_RANGE, RANGE};
use url::Url;

use super::response::{error_from, transport_error};
use super::transport::{Call, Reply, Transport};
use crate::oci::verify::ContentVerifier;
use crate::store::{BlobStream, StoreError};

/// Times one download asks again after its connection broke.
const MAX_RESUMES: u32 = 3;

pub struct Download {
    transport: Arc<Transport>,
    /// The original request, asked again with a `Range` to resume.
    call: Call,
    what: String,
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    url: Url,
    verifier: Option<ContentVerifier>,
    /// Bytes of a restarted body that the consumer already has.
    skip: u64,
    resumes: u32,
}

enum Step {
    Chunk(Bytes),
    Done,
    Failed(StoreError),
}

impl Download {
    /// Streams `reply` (a successful answer to `call`).
    pub fn start(
        transport: Arc<Transport>,
        call: Call,
        what: String,
        mut reply: Reply,
        verifier: ContentVerifier,
    ) -> BlobStream {
        reply.release_slot();
        let download = Download {
            transport,
            call,
            what,
            url: reply.url.clone(),
            body: reply.response.bytes_stream().boxed(),
            verifier: Some(verifier),
            skip: 0,
            resumes: 0,
        };
        futures_util::stream::unfold(Some(download), |state| async move {
            let mut download = state?;
            match download.step().await {
                Step::Chunk(bytes) => Some((Ok(bytes), Some(download))),
                Step::Done => None,
                Step::Failed(error) => Some((Err(error), None)),
            }
        })
        .boxed()
    }

    async fn step(&mut self) -> Step {
        loop {
            let Some(verifier) = self.verifier.as_mut() else {
                return Step::Done;
            };
            match self.body.next().await {
                Some(Ok(chunk)) => {
                    let chunk = self.drop_resent(chunk);
                    if chunk.is_empty() {
                        continue;
                    }
                    let Some(verifier) = self.verifier.as_mut() else {
                        return Step::Done;
                    };
                    return match verifier.update(&chunk) {
                        Ok(()) => Step::Chunk(chunk),
                        Err(e) => Step::Failed(e.into()),
                    };
                }
                Some(Err(error)) => {
                    let received = verifier.received();
                    let broken = transport_error(&self.call.operation, &self.url, error);
                    if self.resumes >= MAX_RESUMES {
                        return Step::Failed(broken);
                    }
                    self.resumes += 1;
                    tracing::debug!(what = %self.what, received, "blob download broke off; resuming");
                    if let Err(e) = self.resume(received).await {
                        return Step::Failed(e);
                    }
                }
                None => {
                    return match self.verifier.take().map(ContentVerifier::finish) {
                        Some(Err(e)) => Step::Failed(e.into()),
                        _ => Step::Done,
                    };
                }
            }
        }
    }

    async fn resume(&mut self, offset: u64) -> Result<(), StoreError> {
        let call = self.call.clone().header(RANGE, &format!("bytes={offset}-"));
        let reply = self.transport.send(&call).await?;
        let status = reply.response.status().as_u16();
        match status {
            206 => {
                let range = reply
                    .response
                    .headers()
                    .get(CONTENT_RANGE)
                    .and_then(|r| r.to_str().ok())
                    .unwrap_or("");
                if !range.starts_with(&format!("bytes {offset}-")) {
                    return Err(StoreError::Protocol(format!(
                        "{}: asked to resume at byte {offset}, got the range {range:?}",
                        self.what
                    )));
                }
                self.skip = 0;
            }
            200 => self.skip = offset,
            _ => {
                return Err(error_from(
                    reply.response,
                    self.transport.registry(),
                    &call.operation,
                    &self.what,
                )
                .await);
            }
        }
        let mut reply = reply;
        reply.release_slot();
        self.url = reply.url.clone();
        self.body = reply.response.bytes_stream().boxed();
        Ok(())
    }

    fn drop_resent(&mut self, chunk: Bytes) -> Bytes {
        if self.skip == 0 {
            return chunk;
        }
        let dropped = usize::try_from(self.skip).map_or(chunk.len(), |s| s.min(chunk.len()));
        self.skip -= dropped as u64;
        chunk.slice(dropped..)
    }
}
