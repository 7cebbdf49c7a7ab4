//! Blobs: downloads (streamed and verified by `download`), existence checks
//! and cross-repository mounts. Uploads are in `upload`.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{CONTENT_RANGE, RANGE};
use url::Url;

use super::download::Download;
use super::response::{declared_length, error_from, read_capped, transport_error};
use super::transport::Call;
use super::{RemoteStore, Scope};
use crate::oci::verify::{ContentVerifier, VerifyError};
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError, bytes_stream, take_range};

impl RemoteStore {
    fn blob_url(&self, repository: &str, digest: &Digest) -> Url {
        self.transport
            .url(&format!("/v2/{repository}/blobs/{digest}"))
    }

    fn pull_blob_call(
        &self,
        method: Method,
        repository: &str,
        digest: &Digest,
        operation: &str,
    ) -> Call {
        Call::new(
            method,
            self.blob_url(repository, digest),
            operation,
            vec![Scope::Pull(repository.to_owned())],
        )
    }

    pub(super) async fn get_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError> {
        let place = self.content_place(repository);
        if let Some(bytes) = self.content.blob(&place, &descriptor.digest)
            && bytes.len() as u64 == descriptor.size
        {
            return Ok(bytes_stream(bytes));
        }
        let what = format!("blob {repository}@{}", descriptor.digest);
        let call = self.pull_blob_call(Method::GET, repository, &descriptor.digest, "fetch blob");
        let reply = self.transport.send(&call).await?;
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
        let verifier = ContentVerifier::new(descriptor);
        let download = Download::start(Arc::clone(&self.transport), call, what, reply, verifier);
        Ok(self
            .content
            .keep_blob_stream(&place, &descriptor.digest, descriptor.size, download))
    }

    /// `length` bytes from `offset`, asked for with `Range`. A registry that
    /// ignores the header answers 200 with the whole blob: then the bytes
    /// before the range are skipped and the rest is not read.
    pub(super) async fn get_blob_range(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        offset: u64,
        length: u64,
    ) -> Result<Bytes, StoreError> {
        crate::store::check_range(descriptor, offset, length)?;
        if let Some(bytes) = self
            .content
            .blob(&self.content_place(repository), &descriptor.digest)
            && bytes.len() as u64 == descriptor.size
        {
            // `check_range` kept the range inside the blob's size.
            let start = usize::try_from(offset).unwrap_or(usize::MAX);
            let end = usize::try_from(offset + length).unwrap_or(usize::MAX);
            if let Some(range) = bytes.get(start..end) {
                return Ok(bytes.slice_ref(range));
            }
        }
        let what = format!("blob {repository}@{}", descriptor.digest);
        let last = offset + length - 1;
        let call = self
            .pull_blob_call(
                Method::GET,
                repository,
                &descriptor.digest,
                "fetch blob range",
            )
            .header(RANGE, &format!("bytes={offset}-{last}"));
        let reply = self.transport.send(&call).await?;
        let url = reply.url.clone();
        match reply.response.status().as_u16() {
            206 => {
                let range = reply
                    .response
                    .headers()
                    .get(CONTENT_RANGE)
                    .and_then(|r| r.to_str().ok())
                    .unwrap_or("");
                if !range.starts_with(&format!("bytes {offset}-{last}/")) {
                    return Err(StoreError::Protocol(format!(
                        "{what}: asked for bytes {offset}-{last}, got the range {range:?}"
                    )));
                }
                let body = read_capped(reply.response, length, &what, &url).await?;
                if body.len() as u64 != length {
                    return Err(StoreError::Protocol(format!(
                        "{what}: asked for {length} bytes, got {}",
                        body.len()
                    )));
                }
                Ok(body)
            }
            200 => {
                if declared_length(reply.response.headers()).is_some_and(|n| n > descriptor.size) {
                    return Err(VerifyError::TooLong {
                        digest: descriptor.digest.clone(),
                        expected: descriptor.size,
                    }
                    .into());
                }
                let operation = format!("reading {what}");
                let body = reply
                    .response
                    .bytes_stream()
                    .map(move |chunk| chunk.map_err(|e| transport_error(&operation, &url, e)))
                    .boxed();
                take_range(body, offset, length).await
            }
            _ => Err(error_from(reply.response, &self.registry, "fetch blob range", &what).await),
        }
    }

    pub(super) async fn head_blob(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<bool, StoreError> {
        let call = self.pull_blob_call(Method::HEAD, repository, digest, "check blob");
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
