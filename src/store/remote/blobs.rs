//! Blobs: streamed downloads verified as they pass, existence checks, uploads
//! (one PUT for small blobs, PATCH chunks for large ones, never holding more
//! than a chunk in memory) and cross-repository mounts.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderName, LOCATION};
use url::Url;

use super::response::{declared_length, error_from, transport_error};
use super::transport::Call;
use super::{RemoteStore, Scope};
use crate::oci::verify::{ContentVerifier, VerifyError};
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError};

/// Blobs up to this size go up in one PUT.
pub const MONOLITHIC_LIMIT: u64 = 8 * 1024 * 1024;
/// The PATCH chunk size for larger blobs.
pub const CHUNK_SIZE: usize = 8 * 1024 * 1024;
const OCTET_STREAM: &str = "application/octet-stream";

impl RemoteStore {
    fn blob_url(&self, repository: &str, digest: &Digest) -> Url {
        self.transport
            .url(&format!("/v2/{repository}/blobs/{digest}"))
    }

    pub(super) async fn get_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError> {
        let what = format!("blob {repository}@{}", descriptor.digest);
        let url = self.blob_url(repository, &descriptor.digest);
        let call = Call::new(
            Method::GET,
            url,
            "fetch blob",
            vec![Scope::Pull(repository.to_owned())],
        );
        let mut reply = self.transport.send(&call).await?;
        if !reply.response.status().is_success() {
            return Err(error_from(reply.response, &self.registry, "fetch blob", &what).await);
        }
        if declared_length(reply.response.headers()).is_some_and(|n| n > descriptor.size) {
            return Err(VerifyError::TooLong {
                digest: descriptor.digest.clone(),
                expected: descriptor.size,
            }
            .into());
        }
        reply.release_slot();
        let source_url = reply.url.clone();
        let chunks = reply.response.bytes_stream().boxed();
        let verifier = Some(ContentVerifier::new(descriptor));
        let stream = futures_util::stream::unfold(
            (chunks, verifier, source_url),
            |(mut chunks, mut verifier, url)| async move {
                let mut active = verifier.take()?;
                let item = match chunks.next().await {
                    Some(Ok(chunk)) => match active.update(&chunk) {
                        Ok(()) => {
                            verifier = Some(active);
                            Ok(chunk)
                        }
                        Err(e) => Err(e.into()),
                    },
                    Some(Err(e)) => Err(transport_error("fetch blob", &url, e)),
                    None => match active.finish() {
                        Ok(()) => return None,
                        Err(e) => Err(e.into()),
                    },
                };
                Some((item, (chunks, verifier, url)))
            },
        );
        Ok(stream.boxed())
    }

    pub(super) async fn head_blob(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<bool, StoreError> {
        let url = self.blob_url(repository, digest);
        let call = Call::new(
            Method::HEAD,
            url,
            "check blob",
            vec![Scope::Pull(repository.to_owned())],
        );
        let reply = self.transport.send(&call).await?;
        match reply.response.status().as_u16() {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => {
                let what = format!("blob {repository}@{digest}");
                Err(error_from(reply.response, &self.registry, "check blob", &what).await)
            }
        }
    }

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
        let result = if descriptor.size <= MONOLITHIC_LIMIT {
            self.upload_whole(repository, location.clone(), descriptor, content)
                .await
        } else {
            self.upload_chunks(repository, location.clone(), descriptor, content)
                .await
        };
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

    async fn open_session_with(
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

    async fn upload_whole(
        &self,
        repository: &str,
        location: Url,
        descriptor: &Descriptor,
        mut content: BlobStream,
    ) -> Result<(), StoreError> {
        let mut verifier = ContentVerifier::new(descriptor);
        let mut body = BytesMut::new();
        while let Some(chunk) = content.next().await {
            let chunk = chunk?;
            verifier.update(&chunk)?;
            body.extend_from_slice(&chunk);
        }
        verifier.finish()?;
        self.finish_upload(repository, location, &descriptor.digest, body.freeze())
            .await
    }

    async fn upload_chunks(
        &self,
        repository: &str,
        mut location: Url,
        descriptor: &Descriptor,
        mut content: BlobStream,
    ) -> Result<(), StoreError> {
        let mut verifier = ContentVerifier::new(descriptor);
        let mut pending = BytesMut::new();
        let mut offset: u64 = 0;
        while let Some(chunk) = content.next().await {
            let chunk = chunk?;
            verifier.update(&chunk)?;
            pending.extend_from_slice(&chunk);
            while pending.len() >= CHUNK_SIZE {
                let part = pending.split_to(CHUNK_SIZE).freeze();
                location = self.patch(repository, location, offset, part).await?;
                offset += CHUNK_SIZE as u64;
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
    async fn cancel_session(&self, repository: &str, location: Url) {
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

    pub(super) async fn mount(
        &self,
        repository: &str,
        from_repository: &str,
        digest: &Digest,
    ) -> Result<bool, StoreError> {
        let mut url = self
            .transport
            .url(&format!("/v2/{repository}/blobs/uploads/"));
        url.query_pairs_mut()
            .append_pair("mount", &digest.to_string())
            .append_pair("from", from_repository);
        let scopes = vec![
            Scope::Push(repository.to_owned()),
            Scope::Pull(from_repository.to_owned()),
        ];
        let call = Call::new(Method::POST, url, "mount blob", scopes).body(Bytes::new());
        match self.open_session_with(call, repository).await? {
            None => Ok(true),
            Some(session) => {
                // Declined: the registry opened an ordinary upload instead.
                self.cancel_session(repository, session).await;
                Ok(false)
            }
        }
    }
}
