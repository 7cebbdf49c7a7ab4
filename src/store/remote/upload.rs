//! Blob uploads: one PUT for small blobs, PATCH chunks for large ones, never
//! holding more than a chunk in memory; the content is verified against its
//! descriptor on the way, and every upload URL must stay on the registry's
//! origin.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderName, LOCATION};
use url::Url;

use super::response::error_from;
use super::transport::Call;
use super::{RemoteStore, Scope};
use crate::oci::verify::ContentVerifier;
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError};

/// Blobs up to this size go up in one PUT.
pub const MONOLITHIC_LIMIT: u64 = 8 * 1024 * 1024;
/// The PATCH chunk size for larger blobs.
pub const CHUNK_SIZE: usize = 8 * 1024 * 1024;
const OCTET_STREAM: &str = "application/octet-stream";

impl RemoteStore {
    pub(super) async fn upload_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        content: BlobStream,
    ) -> Result<(), StoreError> {
        if self.head_blob(repository, &descriptor.digest).await? {
            return Ok(());
        }
        let url = self
            .transport
            .url(&format!("/v2/{repository}/blobs/uploads/"));
        let session = self.open_session(repository, url, "start upload").await?;
        let Some(location) = session else {
            return Err(StoreError::Protocol(
                "the registry completed an upload that was only started".to_owned(),
            ));
        };
        // A small blob is one chunk that never fills: it goes up whole in
        // the final PUT.
        let chunk_size = if descriptor.size <= MONOLITHIC_LIMIT {
            usize::MAX
        } else {
            CHUNK_SIZE
        };
        let result = self
            .upload_chunks(
                repository,
                location.clone(),
                descriptor,
                content,
                chunk_size,
            )
            .await;
        if result.is_err() {
            self.cancel_session(repository, location).await;
        }
        result
    }

    /// POSTs to the uploads endpoint: `Ok(None)` on 201 (done: a mount),
    /// `Ok(Some(location))` on 202 (a session to continue).
    async fn open_session(
        &self,
        repository: &str,
        url: Url,
        operation: &str,
    ) -> Result<Option<Url>, StoreError> {
        let call = Call::new(
            Method::POST,
            url,
            operation,
            vec![Scope::Push(repository.to_owned())],
        )
        .body(Bytes::new());
        self.open_session_with(call, repository).await
    }

    pub(super) async fn open_session_with(
        &self,
        call: Call,
        repository: &str,
    ) -> Result<Option<Url>, StoreError> {
        let reply = self.transport.send(&call).await?;
        match reply.response.status().as_u16() {
            201 => Ok(None),
            202 => self
                .session_location(&reply.url, reply.response.headers())
                .map(Some),
            _ => {
                let what = format!("an upload to {repository}");
                Err(error_from(reply.response, &self.registry, &call.operation, &what).await)
            }
        }
    }

    /// The upload's next URL; it must stay on the registry's origin, or the
    /// blob (and credentials) would go elsewhere.
    fn session_location(
        &self,
        base: &Url,
        headers: &reqwest::header::HeaderMap,
    ) -> Result<Url, StoreError> {
        let location = headers
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .ok_or_else(|| StoreError::Protocol("an upload reply without a Location".to_owned()))?;
        self.transport
            .same_origin_target(base, location, "the upload Location")
    }

    /// Verifies the content as it streams in, PATCHes each full
    /// `chunk_size` part, and PUTs the rest with the digest.
    async fn upload_chunks(
        &self,
        repository: &str,
        mut location: Url,
        descriptor: &Descriptor,
        mut content: BlobStream,
        chunk_size: usize,
    ) -> Result<(), StoreError> {
        let mut verifier = ContentVerifier::new(descriptor);
        let mut pending = BytesMut::new();
        let mut offset: u64 = 0;
        while let Some(chunk) = content.next().await {
            let chunk = chunk?;
            verifier.update(&chunk)?;
            pending.extend_from_slice(&chunk);
            while pending.len() >= chunk_size {
                let part = pending.split_to(chunk_size).freeze();
                location = self.patch(repository, location, offset, part).await?;
                offset += chunk_size as u64;
            }
        }
        verifier.finish()?;
        self.finish_upload(repository, location, &descriptor.digest, pending.freeze())
            .await
    }

    async fn patch(
        &self,
        repository: &str,
        location: Url,
        offset: u64,
        part: Bytes,
    ) -> Result<Url, StoreError> {
        let end = offset + part.len() as u64 - 1;
        let call = Call::new(
            Method::PATCH,
            location,
            "upload blob chunk",
            vec![Scope::Push(repository.to_owned())],
        )
        .header(CONTENT_TYPE, OCTET_STREAM)
        .header(
            HeaderName::from_static("content-range"),
            &format!("{offset}-{end}"),
        )
        .body(part);
        let reply = self.transport.send(&call).await?;
        if reply.response.status().as_u16() != 202 {
            let what = format!("an upload to {repository}");
            return Err(
                error_from(reply.response, &self.registry, "upload blob chunk", &what).await,
            );
        }
        self.session_location(&reply.url, reply.response.headers())
    }

    /// The closing PUT, carrying whatever is left of the content.
    async fn finish_upload(
        &self,
        repository: &str,
        mut location: Url,
        digest: &Digest,
        rest: Bytes,
    ) -> Result<(), StoreError> {
        location
            .query_pairs_mut()
            .append_pair("digest", &digest.to_string());
        let call = Call::new(
            Method::PUT,
            location,
            "finish upload",
            vec![Scope::Push(repository.to_owned())],
        )
        .header(CONTENT_TYPE, OCTET_STREAM)
        .body(rest);
        let reply = self.transport.send(&call).await?;
        if !reply.response.status().is_success() {
            let what = format!("blob {repository}@{digest}");
            return Err(error_from(reply.response, &self.registry, "finish upload", &what).await);
        }
        Ok(())
    }

    /// Best effort: a failed upload should not leave a session behind.
    pub(super) async fn cancel_session(&self, repository: &str, location: Url) {
        let call = Call::new(
            Method::DELETE,
            location,
            "cancel upload",
            vec![Scope::Push(repository.to_owned())],
        );
        if let Err(e) = self.transport.send(&call).await {
            tracing::debug!("could not cancel an upload session: {e}");
        }
    }
}
