//! The `Store` operations over layouts.

use async_trait::async_trait;
use bytes::Bytes;

use super::shared::{self, Change};
use super::{LayoutStore, Shape, blobs, index, index_entry, scan};
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::reference::validate_tag;
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{
    BlobStream, PageSink, PushedManifest, Referrers, ReferrersSource, ReferrersSupport, Store,
    StoreError,
};

#[async_trait]
impl Store for LayoutStore {
    fn name(&self) -> &str {
        &self.name
    }

    fn registry(&self) -> &str {
        &self.registry
    }

    fn referrers_support(&self) -> ReferrersSupport {
        ReferrersSupport::SubjectScan
    }

    async fn catalog(&self, on_page: PageSink<'_>) -> Result<(), StoreError> {
        let repositories = match &self.shape {
            Shape::Single { repository } => vec![repository.clone()],
            Shape::Directory => {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || scan::list_repositories(&root))
                    .await
                    .map_err(|e| StoreError::Invalid(format!("listing layouts failed: {e}")))?
            }
        };
        on_page(repositories);
        Ok(())
    }

    async fn tags(&self, repository: &str, on_page: PageSink<'_>) -> Result<(), StoreError> {
        let layout = self.existing_layout(repository).await?;
        on_page(index::read(&layout).await?.tags());
        Ok(())
    }

    async fn resolve(&self, repository: &str, reference: &str) -> Result<Descriptor, StoreError> {
        let layout = self.existing_layout(repository).await?;
        Ok(self.load_manifest(&layout, repository, reference).await?.0)
    }

    async fn fetch_manifest(
        &self,
        repository: &str,
        reference: &str,
    ) -> Result<Manifest, StoreError> {
        let layout = self.existing_layout(repository).await?;
        Ok(self.load_manifest(&layout, repository, reference).await?.1)
    }

    async fn fetch_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError> {
        let layout = self.existing_layout(repository).await?;
        blobs::stream(&layout, descriptor).await
    }

    async fn fetch_blob_range(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        offset: u64,
        length: u64,
    ) -> Result<Bytes, StoreError> {
        let layout = self.existing_layout(repository).await?;
        blobs::read_range(&layout, descriptor, offset, length).await
    }

    async fn blob_exists(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        match self.existing_layout(repository).await {
            Ok(layout) => blobs::exists(&layout, descriptor).await,
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn push_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        content: BlobStream,
    ) -> Result<(), StoreError> {
        let layout = self.writable_layout(repository).await?;
        if blobs::exists(&layout, descriptor).await? {
            return Ok(());
        }
        blobs::write(&layout, descriptor, content).await
    }

    async fn mount_blob(
        &self,
        repository: &str,
        from_repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        let Ok(from) = self.existing_layout(from_repository).await else {
            return Ok(false);
        };
        if !blobs::exists(&from, descriptor).await? {
            return Ok(false);
        }
        let to = self.writable_layout(repository).await?;
        blobs::link_or_copy(&from, &to, descriptor).await
    }

    async fn push_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError> {
        let mut pushed = self.push_manifests(repository, &[(manifest, tag)]).await?;
        pushed
            .pop()
            .ok_or_else(|| StoreError::Invalid("no manifest was pushed".to_owned()))
    }

    /// Writes every manifest's blob, then lists them all in `index.json` in
    /// one update.
    async fn push_manifests(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
    ) -> Result<Vec<PushedManifest>, StoreError> {
        for (manifest, tag) in manifests {
            if let Some(tag) = tag {
                validate_tag(tag)?;
            }
            if manifest.size() > MAX_MANIFEST_SIZE {
                return Err(StoreError::TooLarge {
                    what: format!("manifest {}", manifest.digest()),
                    limit: MAX_MANIFEST_SIZE,
                });
            }
        }
        let layout = self.writable_layout(repository).await?;
        let mut changes = Vec::with_capacity(manifests.len());
        let mut pushed = Vec::with_capacity(manifests.len());
        for (manifest, tag) in manifests {
            let entry = index_entry(manifest);
            blobs::write_bytes(&layout, &entry, manifest.raw().clone()).await?;
            changes.push(match tag {
                Some(tag) => Change::Tag {
                    entry: entry.clone(),
                    tag: (*tag).to_owned(),
                },
                // Untagged, as ORAS keeps referrers, so scans still find it.
                None => Change::Untagged(entry.clone()),
            });
            pushed.push(PushedManifest {
                descriptor: entry,
                referrer_indexed_by: manifest
                    .subject
                    .as_ref()
                    .map(|_| ReferrersSource::SubjectScan),
            });
        }
        {
            let _guard = self.index_lock.lock().await;
            shared::update(&layout, changes).await?;
        }
        Ok(pushed)
    }

    async fn delete_manifest(&self, repository: &str, digest: &Digest) -> Result<(), StoreError> {
        let layout = self.existing_layout(repository).await?;
        let blob = blobs::blob_path(&layout, digest);
        let stored = tokio::fs::symlink_metadata(&blob).await.is_ok();
        let listed = {
            let _guard = self.index_lock.lock().await;
            shared::update(&layout, vec![Change::Remove(digest.clone())]).await?
        };
        if !listed && !stored {
            return Err(StoreError::not_found(format!(
                "manifest {digest} in {repository}"
            )));
        }
        blobs::remove(&layout, digest).await
    }

    async fn delete_tag(&self, repository: &str, tag: &str) -> Result<bool, StoreError> {
        let layout = self.existing_layout(repository).await?;
        let untagged = {
            let _guard = self.index_lock.lock().await;
            shared::update(&layout, vec![Change::Untag(tag.to_owned())]).await?
        };
        if !untagged {
            return Err(StoreError::not_found(format!("tag {tag} in {repository}")));
        }
        Ok(true)
    }

    async fn referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        let layout = self.existing_layout(repository).await?;
        let scan = self.scan(&layout).await?;
        Ok(Referrers {
            descriptors: scan::referrers_of(&scan.scanned, subject, artifact_type),
            source: ReferrersSource::SubjectScan,
            warnings: scan.warnings.clone(),
        })
    }
}
