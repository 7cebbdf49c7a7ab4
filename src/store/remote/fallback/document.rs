//! Reading and writing the fallback index document itself: refusing a tag
//! that is not an index of referrers, writing other writers' fields back
//! untouched, deleting the index once empty and the versions it replaced.

use bytes::Bytes;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use super::super::{RemoteStore, Target};
use crate::oci::Digest;
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::media_type::OCI_INDEX;
use crate::store::StoreError;

/// The fallback index as found: its JSON object and its digest.
pub(super) struct Found {
    pub(super) document: Map<String, Value>,
    pub(super) digest: Digest,
}

impl RemoteStore {
    /// The fallback index, if the tag exists. Anything but an index of
    /// referrers is refused rather than overwritten.
    pub(super) async fn read_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        tag: &str,
    ) -> Result<Option<Found>, StoreError> {
        let target = Target::Tag(tag.to_owned());
        let (manifest, digest) = match self.fetch_verified_manifest(repository, &target).await {
            Ok(found) => found,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e),
        };
        if subject.matches(manifest.raw()) {
            return Err(StoreError::Invalid(format!(
                "the fallback tag {repository}:{tag} resolves to the subject itself (this registry reads `{tag}` as a digest); refusing to write referrers there"
            )));
        }
        if !manifest.is_index() {
            return Err(StoreError::Invalid(format!(
                "the fallback tag {repository}:{tag} holds a {}, not an image index; refusing to overwrite it",
                manifest.media_type
            )));
        }
        let document = match serde_json::from_slice::<Value>(manifest.raw()) {
            Ok(Value::Object(document)) => document,
            _ => {
                return Err(StoreError::Invalid(format!(
                    "the fallback tag {repository}:{tag} is not a JSON object"
                )));
            }
        };
        Ok(Some(Found { document, digest }))
    }

    pub(super) async fn write_fallback(
        &self,
        repository: &str,
        tag: &str,
        previous: Option<Map<String, Value>>,
        updated: Vec<Value>,
    ) -> Result<(), StoreError> {
        let mut document = previous.unwrap_or_default();
        document.insert("schemaVersion".to_owned(), json!(2));
        let media_type = document
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or(OCI_INDEX)
            .to_owned();
        document.insert("mediaType".to_owned(), json!(media_type));
        document.insert("manifests".to_owned(), Value::Array(updated));
        let raw = serde_json::to_vec(&document)
            .map_err(|e| StoreError::Invalid(format!("fallback index: {e}")))?;
        if raw.len() as u64 > MAX_MANIFEST_SIZE {
            return Err(StoreError::TooLarge {
                what: format!("the fallback index {repository}:{tag}"),
                limit: MAX_MANIFEST_SIZE,
            });
        }
        self.put_manifest_bytes(repository, tag, &media_type, Bytes::from(raw))
            .await?;
        Ok(())
    }

    /// The last referrer is gone: delete the index by digest where the
    /// registry allows it, else leave an empty index under the tag.
    pub(super) async fn clear_fallback(
        &self,
        repository: &str,
        tag: &str,
        found: Option<Found>,
    ) -> Result<(), StoreError> {
        if let Some(found) = &found {
            let status = self.delete_index(repository, &found.digest).await?;
            if status.is_success() {
                return Ok(());
            }
            tracing::debug!(%status, "cannot delete the empty fallback index; writing an empty one");
        }
        self.write_fallback(repository, tag, found.map(|f| f.document), Vec::new())
            .await
    }

    /// Deletes the index a fallback write replaced, so old versions do not
    /// pile up in the repository. Never the index the tag now names (it
    /// may be the old one again: distribution's delete by digest would
    /// untag it). A registry that refuses deletes (405, `UNSUPPORTED`, a
    /// token without `delete`) keeps it; the push has succeeded either way.
    pub(super) async fn collect_superseded(
        &self,
        repository: &str,
        old: &Digest,
        now: Option<Digest>,
    ) {
        if now.as_ref() == Some(old) {
            return;
        }
        match self.delete_index(repository, old).await {
            Ok(status) if status.is_success() || status == StatusCode::NOT_FOUND => {}
            Ok(status) => {
                tracing::debug!(repository, %old, %status, "the superseded fallback index stays (the registry did not delete it)");
            }
            Err(error) => {
                tracing::debug!(repository, %old, %error, "the superseded fallback index stays");
            }
        }
    }

    async fn delete_index(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<StatusCode, StoreError> {
        let call = self.delete_call(repository, digest, "delete a fallback index");
        Ok(self.transport.send(&call).await?.response.status())
    }
}
