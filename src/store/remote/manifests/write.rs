//! Pushing a manifest (then making a referrer discoverable) and deleting
//! one (then dropping it from its subject's fallback index).

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::{describe, header_digest};
use crate::oci::{Digest, Manifest};
use crate::store::remote::response::error_from;
use crate::store::remote::transport::Call;
use crate::store::remote::{RemoteStore, Scope, Target};
use crate::store::{PushedManifest, StoreError};

impl RemoteStore {
    /// PUTs raw manifest bytes; returns the reply's headers.
    pub(in crate::store::remote) async fn put_manifest_bytes(
        &self,
        repository: &str,
        reference: &str,
        media_type: &str,
        raw: Bytes,
    ) -> Result<HeaderMap, StoreError> {
        let call = Call::new(
            Method::PUT,
            self.manifest_url(repository, reference),
            "push manifest",
            vec![Scope::Push(repository.to_owned())],
        )
        .header(CONTENT_TYPE, media_type)
        .body(raw);
        let reply = self.transport.send(&call).await?;
        if !reply.response.status().is_success() {
            let what = format!("manifest {repository}:{reference}");
            return Err(error_from(reply.response, &self.registry, "push manifest", &what).await);
        }
        Ok(reply.response.headers().clone())
    }

    pub(in crate::store::remote) async fn put_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError> {
        let reference = tag.map_or_else(|| manifest.digest().to_string(), str::to_owned);
        let headers = self
            .put_manifest_bytes(
                repository,
                &reference,
                &manifest.media_type,
                manifest.raw().clone(),
            )
            .await?;
        if let Ok(Some(said)) = header_digest(&headers)
            && said != *manifest.digest()
        {
            tracing::warn!(%said, ours = %manifest.digest(), "the registry reports another digest for the manifest just pushed");
        }
        let descriptor = manifest.descriptor();
        let referrer_indexed_by = match &manifest.subject {
            None => None,
            Some(subject) => {
                let registry_indexed = headers.contains_key("oci-subject");
                let indexed = self
                    .index_referrer(repository, &subject.digest, &descriptor, registry_indexed)
                    .await
                    .map_err(|e| match e {
                        // Say what did happen: the manifest itself is there.
                        StoreError::Invalid(why) => StoreError::Invalid(format!(
                            "pushed {repository}@{}, but could not list it under its subject: {why}",
                            descriptor.digest
                        )),
                        other => other,
                    })?;
                Some(indexed)
            }
        };
        Ok(PushedManifest {
            descriptor,
            referrer_indexed_by,
        })
    }

    pub(in crate::store::remote) async fn remove_manifest(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<(), StoreError> {
        let target = Target::Digest(digest.clone());
        // Read it first: a referrer must also leave its subject's index.
        let (manifest, _) = self.fetch_verified_manifest(repository, &target).await?;
        let call = self.delete_call(repository, digest, "delete manifest");
        let reply = self.transport.send(&call).await?;
        let status = reply.response.status();
        let gone_after_retry = status.as_u16() == 404 && reply.retried;
        if !status.is_success() && !gone_after_retry {
            let what = describe(repository, &target);
            return Err(
                match error_from(reply.response, &self.registry, "deleting manifests", &what).await
                {
                    StoreError::Unsupported {
                        registry,
                        operation,
                        detail,
                    } => StoreError::Unsupported {
                        registry,
                        operation,
                        detail: format!(
                            "{detail} (the registry does not allow deletes; distribution needs storage.delete.enabled)"
                        ),
                    },
                    other => other,
                },
            );
        }
        if let Some(subject) = &manifest.subject
            && !self.uses_referrers_api(repository, &subject.digest).await?
        {
            self.remove_from_fallback(repository, &subject.digest, digest)
                .await?;
        }
        Ok(())
    }
}
