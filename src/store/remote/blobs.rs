//! Blobs: streamed downloads verified as they pass, existence checks and
//! cross-repository mounts. Uploads are in `upload`.

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::Method;
use url::Url;

use super::response::{declared_length, error_from, transport_error};
use super::transport::Call;
use super::{RemoteStore, Scope};
use crate::oci::verify::{ContentVerifier, VerifyError};
use crate::oci::{Descriptor, Digest};
use crate::store::{BlobStream, StoreError};

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
