//! What else in the repository names a manifest about to be deleted: the
//! tags that name it (a registry drops every tag of a deleted manifest) and
//! the image indexes that list it (they would point at nothing). Both are
//! found by reading every tag of the repository; an index no tag names
//! cannot be found that way, so the plan says how many tags it read.

use std::collections::{BTreeMap, HashSet};

use futures_util::{StreamExt, stream};

use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Digest, PlatformSpec};
use crate::store::Store;

/// Tags resolved at once: a repository with thousands of tags is read in
/// a few seconds without flooding the registry (the store's own limit
/// still applies).
const RESOLVE_CONCURRENCY: usize = 32;

/// The repository's tags as the plan read them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagScan {
    /// Tags people gave (the attachment schemes' `sha256-…` tags are
    /// counted with the manifests they belong to), each with what it names.
    pub resolved: Vec<(String, Descriptor)>,
    /// Tags that could not be read, and why: what they name is unknown.
    pub unread: Vec<(String, String)>,
}

impl TagScan {
    /// How many tags were looked at.
    pub fn read(&self) -> usize {
        self.resolved.len() + self.unread.len()
    }

    /// The tags that name `digest`, sorted.
    pub fn naming(&self, digest: &Digest) -> Vec<String> {
        let mut tags: Vec<String> = self
            .resolved
            .iter()
            .filter(|(_, descriptor)| &descriptor.digest == digest)
            .map(|(tag, _)| tag.clone())
            .collect();
        tags.sort();
        tags
    }
}

/// An index that lists a manifest the plan deletes, and stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingIndex {
    pub digest: Digest,
    /// The tags that name it.
    pub tags: Vec<String>,
    /// What it lists that would go: each digest with its platform
    /// (`linux/amd64`) when the entry says one.
    pub entries: Vec<(Digest, Option<String>)>,
}

/// Resolves every tag people gave (`named`) to what it names.
pub(super) async fn scan_tags(store: &dyn Store, repository: &str, named: Vec<String>) -> TagScan {
    let results: Vec<_> = stream::iter(named)
        .map(|tag| async move {
            let found = store.resolve(repository, &tag).await;
            (tag, found)
        })
        .buffer_unordered(RESOLVE_CONCURRENCY)
        .collect()
        .await;
    let mut scan = TagScan::default();
    for (tag, found) in results {
        match found {
            Ok(descriptor) => scan.resolved.push((tag, descriptor)),
            Err(error) => scan.unread.push((tag, error.to_string())),
        }
    }
    scan.resolved.sort_by(|a, b| a.0.cmp(&b.0));
    scan.unread.sort();
    scan
}

/// The tagged indexes (other than those deleted too) that list one of
/// `doomed`; an index that cannot be read is a warning, since it may.
pub(super) async fn indexes_listing(
    store: &dyn Store,
    repository: &str,
    scan: &TagScan,
    doomed: &HashSet<Digest>,
    warnings: &mut Vec<String>,
) -> Vec<ListingIndex> {
    // Each index once, with every tag naming it.
    let mut candidates: BTreeMap<Digest, Vec<String>> = BTreeMap::new();
    for (tag, descriptor) in &scan.resolved {
        let may_be_index = descriptor.media_type.is_empty() || mt::is_index(&descriptor.media_type);
        if may_be_index && !doomed.contains(&descriptor.digest) {
            candidates
                .entry(descriptor.digest.clone())
                .or_default()
                .push(tag.clone());
        }
    }
    let fetched: Vec<_> = stream::iter(candidates)
        .map(|(digest, tags)| async move {
            let manifest = store.fetch_manifest(repository, &digest.to_string()).await;
            (digest, tags, manifest)
        })
        .buffer_unordered(RESOLVE_CONCURRENCY)
        .collect()
        .await;
    let mut listing = Vec::new();
    for (digest, tags, manifest) in fetched {
        let index = match manifest {
            Ok(index) => index,
            Err(error) => {
                warnings.push(format!(
                    "the index {digest} (tag {}) could not be read, so whether it lists \
                     what goes is unknown: {error}",
                    tags.join(", ")
                ));
                continue;
            }
        };
        if !index.is_index() {
            continue;
        }
        let entries: Vec<(Digest, Option<String>)> = index
            .manifests
            .iter()
            .filter(|entry| doomed.contains(&entry.digest))
            .map(|entry| {
                let platform = entry
                    .platform
                    .as_ref()
                    .map(|p| PlatformSpec::of(p).to_string());
                (entry.digest.clone(), platform)
            })
            .collect();
        if !entries.is_empty() {
            listing.push(ListingIndex {
                digest,
                tags,
                entries,
            });
        }
    }
    listing.sort_by(|a, b| a.tags.cmp(&b.tags));
    listing
}
