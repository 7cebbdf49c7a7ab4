//! The `Store` operations over a registry: each checks its names, then
//! goes to the part of `remote` that speaks that corner of the spec.

use async_trait::async_trait;
use bytes::Bytes;

use super::RemoteStore;
use super::capabilities::ReferrersMode;
use super::target::{check_repository, checked_target};
use crate::oci::reference::validate_tag;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{
    BlobStream, PageSink, PushedManifest, Referrers, ReferrersSupport, Store, StoreError,
};

#[async_trait]
impl Store for RemoteStore {
    fn name(&self) -> &str {
        &self.registry
    }

    fn registry(&self) -> &str {
        &self.registry
    }

    fn referrers_support(&self) -> ReferrersSupport {
        match self.mode() {
            ReferrersMode::Api => ReferrersSupport::Api,
            ReferrersMode::Fallback => ReferrersSupport::FallbackTag,
            ReferrersMode::Unknown => ReferrersSupport::NotYetKnown,
        }
    }

    async fn learn_referrers_support(&self, repository: &str, subject: &Digest) {
        if self.mode() != ReferrersMode::Unknown {
            return;
        }
        if let Err(error) = self.uses_referrers_api(repository, subject).await {
            tracing::debug!(%error, "could not find out whether the registry lists referrers");
        }
    }

    async fn catalog(&self, on_page: PageSink<'_>) -> Result<(), StoreError> {
        self.list_catalog(on_page).await
    }

    async fn tags(&self, repository: &str, on_page: PageSink<'_>) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.list_tags(repository, on_page).await
    }

    async fn resolve(&self, repository: &str, reference: &str) -> Result<Descriptor, StoreError> {
        let target = checked_target(repository, reference)?;
        self.resolve_manifest(repository, &target).await
    }

    async fn fetch_manifest(
        &self,
        repository: &str,
        reference: &str,
    ) -> Result<Manifest, StoreError> {
        let target = checked_target(repository, reference)?;
        self.get_manifest(repository, &target).await
    }

    async fn fetch_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError> {
        check_repository(repository)?;
        self.get_blob(repository, descriptor).await
    }

    async fn fetch_blob_range(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        offset: u64,
        length: u64,
    ) -> Result<Bytes, StoreError> {
        check_repository(repository)?;
        self.get_blob_range(repository, descriptor, offset, length)
            .await
    }

    async fn blob_exists(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        check_repository(repository)?;
        self.head_blob(repository, &descriptor.digest).await
    }

    async fn push_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        content: BlobStream,
    ) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.upload_blob(repository, descriptor, content).await
    }

    async fn mount_blob(
        &self,
        repository: &str,
        from_repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        check_repository(repository)?;
        check_repository(from_repository)?;
        self.mount(repository, from_repository, &descriptor.digest)
            .await
    }

    async fn push_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError> {
        check_repository(repository)?;
        if let Some(tag) = tag {
            validate_tag(tag)?;
        }
        self.put_manifest(repository, manifest, tag).await
    }

    async fn push_manifests(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
    ) -> Result<Vec<PushedManifest>, StoreError> {
        check_repository(repository)?;
        for (_, tag) in manifests {
            if let Some(tag) = tag {
                validate_tag(tag)?;
            }
        }
        self.put_manifests(repository, manifests).await
    }

    async fn delete_manifest(&self, repository: &str, digest: &Digest) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.remove_manifest(repository, digest).await
    }

    async fn delete_tag(&self, repository: &str, tag: &str) -> Result<bool, StoreError> {
        check_repository(repository)?;
        validate_tag(tag)?;
        self.remove_tag(repository, tag).await
    }

    async fn referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        check_repository(repository)?;
        self.list_referrers(repository, subject, artifact_type)
            .await
    }
}
