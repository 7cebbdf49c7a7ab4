//! Keeping the tag-schema fallback index (`sha256-<hex>`) right on a registry
//! without the referrers API. It is a read-modify-write that races with other
//! writers, and no registry we test honours `If-Match` on a manifest PUT, so
//! the client can only detect and repair: one writer per tag inside this
//! process, entries handled as raw JSON (other writers' fields survive),
//! changes queued for one tag written together, and after each write a
//! settle and a re-read: this writer's changes must be there and so must
//! every other writer's entry it has seen (put back, unless its manifest
//! is gone). A writer that saw anyone else write meanwhile looks once more
//! later, for a slower writer's stale index landing after its first check.
//! README.md ("Writing the fallback index") says what that guarantees.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use serde_json::Value;

mod document;
pub(super) mod entries;
mod queue;

use self::document::Found;
use self::entries::{Change, Seen, apply, entries, is_visible};
pub use self::queue::Locks;
use super::Target;
use super::retry::jitter;
use crate::oci::{Descriptor, Digest};
use crate::store::{ReferrersSource, StoreError};

use super::RemoteStore;

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
/// A writer that saw someone else write during its settle looks once more
/// this much later (plus up to half again, so the writers that saw each
/// other do not all look and merge at the same moment). On a loaded
/// machine (load 15 on two cores, eight writers) a writer's read to its
/// PUT's reply took 107 ms at the median and 475 ms at most over 681
/// writes, and a PUT reached the tag up to 120 ms after the blob it wrote
/// (distribution checks every entry of an index first): the lost
/// referrers were confirmed before such a write landed.
const LATE_CHECK: Duration = Duration::from_secs(1);
/// How many seen entries' manifests are checked at once before they are
/// put back.
const CHECKS_AT_ONCE: usize = 8;

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

    /// Read-modify-writes the fallback index with `changes` until a re-read
    /// after a settle shows them, with every other writer's entry seen on
    /// the way that still has its manifest (a writer that read before that
    /// entry was added and wrote after drops it: put back).
    async fn apply_to_fallback(
        &self,
        repository: &str,
        subject: &Digest,
        tag: &str,
        changes: &[Change],
    ) -> Result<(), StoreError> {
        let mut seen = Seen::new(changes);
        for attempt in 1..=MAX_ATTEMPTS {
            let started = Instant::now();
            let found = self.read_fallback(repository, subject, tag).await?;
            let current = entries(found.as_ref().map(|f| &f.document));
            seen.note(&current);
            let mut wanted = self.dropped(repository, &mut seen, &current).await;
            if !wanted.is_empty() {
                tracing::info!(
                    repository,
                    tag,
                    dropped = wanted.len(),
                    "putting back referrers another writer dropped from the fallback index"
                );
            }
            wanted.extend_from_slice(changes);
            let Some(updated) = apply(&current, &wanted) else {
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
                self.write_fallback(repository, tag, found.map(|f| f.document), updated.clone())
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
            let mut check = self
                .look_again(repository, subject, tag, changes, &mut seen)
                .await?;
            // Alone, the index is what this writer wrote; a lone push pays
            // no second look.
            let crowded = attempt > 1 || check.listed != updated;
            if check.kept && crowded {
                tokio::time::sleep(LATE_CHECK + jitter(LATE_CHECK / 2)).await;
                check = self
                    .look_again(repository, subject, tag, changes, &mut seen)
                    .await?;
            }
            if check.kept {
                if let Some(old) = superseded {
                    self.collect_superseded(repository, &old, check.found.map(|f| f.digest))
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

    /// Re-reads the index after a wait and says whether it keeps this
    /// writer's changes and every seen entry whose manifest still exists.
    async fn look_again(
        &self,
        repository: &str,
        subject: &Digest,
        tag: &str,
        changes: &[Change],
        seen: &mut Seen,
    ) -> Result<Check, StoreError> {
        let found = self.read_fallback(repository, subject, tag).await?;
        let listed = entries(found.as_ref().map(|f| &f.document));
        seen.note(&listed);
        let ours = changes.iter().all(|change| is_visible(&listed, change));
        let kept = ours && self.dropped(repository, seen, &listed).await.is_empty();
        Ok(Check {
            found,
            listed,
            kept,
        })
    }

    /// The seen entries `listed` lacks whose manifests are still in the
    /// repository, as changes that put them back. One whose manifest is
    /// gone was removed on purpose and is forgotten (regscope deletes the
    /// manifest before the entry; oras and regctl the other way round, so
    /// a look between their two requests puts back an entry whose manifest
    /// is about to go). One that cannot be checked is put back: a stale
    /// entry harms less than a lost one.
    async fn dropped(&self, repository: &str, seen: &mut Seen, listed: &[Value]) -> Vec<Change> {
        let missing = seen.missing_from(listed);
        if missing.is_empty() {
            return missing;
        }
        let checks = missing.into_iter().map(|change| async move {
            let Change::Add(_, digest) = &change else {
                return (change, true);
            };
            let target = Target::Digest(digest.clone());
            let exists = match self.resolve_manifest(repository, &target).await {
                Ok(_) => true,
                Err(error) => !error.is_not_found(),
            };
            (change, exists)
        });
        let checked: Vec<_> = stream::iter(checks)
            .buffer_unordered(CHECKS_AT_ONCE)
            .collect()
            .await;
        let mut dropped = Vec::new();
        for (change, exists) in checked {
            match (&change, exists) {
                (_, true) => dropped.push(change),
                (Change::Add(_, digest) | Change::Remove(digest), false) => seen.forget(digest),
            }
        }
        dropped
    }
}

/// What a re-read found.
struct Check {
    found: Option<Found>,
    listed: Vec<Value>,
    kept: bool,
}
