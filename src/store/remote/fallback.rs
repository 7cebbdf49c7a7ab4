//! Keeping the tag-schema fallback index (`sha256-<hex>`) right on a registry
//! without the referrers API. It is a read-modify-write that races with other
//! writers, so: one writer per tag inside this process, entries handled as
//! raw JSON (other writers' fields survive), changes queued for one tag
//! written together, and after each write a short wait and a re-read to make
//! sure the changes are still there, retrying a bounded number of times if a
//! concurrent writer overwrote them.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

pub(super) mod entries;
mod queue;

use self::entries::{Change, apply, entries, is_visible};
pub use self::queue::Locks;
use super::retry::jitter;
use super::{RemoteStore, Target};
use crate::oci::manifest::MAX_MANIFEST_SIZE;
use crate::oci::media_type::OCI_INDEX;
use crate::oci::{Descriptor, Digest};
use crate::store::{ReferrersSource, StoreError};

const MAX_ATTEMPTS: usize = 6;
/// Before re-reading, wait about as long as another writer needs between
/// reading the index and writing it back, so a write that raced ours is
/// visible. That is measured on our own read-modify-write (same registry,
/// same path) and doubled, within these bounds: a fixed wait cost every
/// push on a fast registry far more than the race it guards against, and
/// waiting only once our own time lost referrers in the eight-process test
/// (tests/it/fallback_processes.rs). The floor covers a loaded machine,
/// where a writer can sit between its read and its write far longer than
/// a loopback round trip: with a 10 ms floor that test lost one now and then.
const MIN_SETTLE: Duration = Duration::from_millis(50);
const MAX_SETTLE: Duration = Duration::from_secs(1);

/// The fallback index as found: its JSON object and its digest.
struct Found {
    document: Map<String, Value>,
    digest: Digest,
}

impl RemoteStore {
    /// Makes a just-pushed referrer discoverable; says how. Only a
    /// referrers API that answered this session excuses the fallback
    /// index: an `OCI-Subject` header alone does not (Docker Hub sent it
    /// without serving the API, and referrers trusted to it were lost).
    pub(super) async fn index_referrer(
        &self,
        repository: &str,
        subject: &Digest,
        referrer: &Descriptor,
    ) -> Result<ReferrersSource, StoreError> {
        if self.uses_referrers_api(repository, subject).await? {
            return Ok(ReferrersSource::Api);
        }
        let entry = serde_json::to_value(referrer)
            .map_err(|e| StoreError::Invalid(format!("descriptor of the referrer: {e}")))?;
        self.update_fallback(
            repository,
            subject,
            Change::Add(entry, referrer.digest.clone()),
        )
        .await?;
        Ok(ReferrersSource::FallbackTag)
    }

    /// Lists several just-pushed referrers of one subject in its fallback
    /// index with one read-modify-write (the registry did not index them).
    pub(super) async fn index_referrers(
        &self,
        repository: &str,
        subject: &Digest,
        referrers: &[Descriptor],
    ) -> Result<(), StoreError> {
        let mut changes = Vec::with_capacity(referrers.len());
        for referrer in referrers {
            let entry = serde_json::to_value(referrer)
                .map_err(|e| StoreError::Invalid(format!("descriptor of the referrer: {e}")))?;
            changes.push(Change::Add(entry, referrer.digest.clone()));
        }
        self.update_fallback_all(repository, subject, changes).await
    }

    pub(super) async fn remove_from_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        referrer: &Digest,
    ) -> Result<(), StoreError> {
        self.update_fallback(repository, subject, Change::Remove(referrer.clone()))
            .await
    }

    async fn update_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        change: Change,
    ) -> Result<(), StoreError> {
        self.update_fallback_all(repository, subject, vec![change])
            .await
    }

    /// One read-modify-write of the fallback index with `changes`, re-read
    /// after a settle and merged again while another writer's overwrite
    /// lost any of them.
    async fn apply_to_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        tag: &str,
        changes: &[Change],
    ) -> Result<(), StoreError> {
        for attempt in 1..=MAX_ATTEMPTS {
            let started = std::time::Instant::now();
            let found = self.read_fallback(repository, subject, tag).await?;
            let current = entries(found.as_ref().map(|f| &f.document));
            let Some(updated) = apply(&current, changes) else {
                return Ok(());
            };
            // The index this write replaces; once the new one is in place
            // it is garbage (oras deletes it too), unless it was the last
            // one and `clear_fallback` already dealt with it.
            let mut superseded = None;
            if updated.is_empty() && found.is_some() {
                self.clear_fallback(repository, tag, found).await?;
            } else {
                superseded = found.as_ref().map(|f| f.digest.clone());
                self.write_fallback(repository, tag, found.map(|f| f.document), updated)
                    .await?;
            }
            let settle = (started.elapsed() * 2).clamp(MIN_SETTLE, MAX_SETTLE);
            // Jitter spreads writers that collided and merge again; on a
            // first write it would only lengthen the wait (a copy waits for
            // the longest of its subjects' settles).
            let spread = if attempt == 1 {
                Duration::ZERO
            } else {
                jitter(settle)
            };
            tokio::time::sleep(settle + spread).await;
            let after = self.read_fallback(repository, subject, tag).await?;
            let listed = entries(after.as_ref().map(|f| &f.document));
            if changes.iter().all(|change| is_visible(&listed, change)) {
                if let Some(old) = superseded {
                    self.collect_superseded(repository, &old, after.map(|f| f.digest))
                        .await;
                }
                return Ok(());
            }
            tracing::info!(
                repository,
                tag,
                attempt,
                "another writer replaced the fallback index; merging again"
            );
        }
        Err(StoreError::Protocol(format!(
            "the fallback index {repository}:{tag} kept losing this change to other writers ({MAX_ATTEMPTS} attempts)"
        )))
    }

    /// The fallback index, if the tag exists. Anything but an index of
    /// referrers is refused rather than overwritten.
    async fn read_fallback(
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

    async fn write_fallback(
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
    async fn clear_fallback(
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
    async fn collect_superseded(&self, repository: &str, old: &Digest, now: Option<Digest>) {
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
