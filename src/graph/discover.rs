//! The whole referrer tree of a subject, discovered level by level: the
//! nodes of one level are handled in parallel (bounded), and each node's
//! manifest is fetched while its own attachments are listed, so a graph of
//! depth d costs about d round trips, not one per node or two per level.
//! Each digest is expanded once, so a cycle from a hostile registry ends
//! cleanly.

use std::collections::HashSet;
use std::sync::Arc;

mod arena;
mod opening;
mod walk;

use self::arena::{Parent, assemble, enqueue};
use self::opening::{Opening, open, subject_context};
use self::walk::Walk;
use super::node::Candidate;
use super::sources::platform_entries;
use super::tree::{PlatformNode, ReferrerTree};
use super::{DEFAULT_CONCURRENCY, DEFAULT_MAX_FAN_OUT};
use crate::oci::{Descriptor, Digest, Manifest, PlatformSpec};
use crate::store::{Store, StoreError};

/// A node's attachments as listed, before their manifests are fetched.
type Listing = Result<(Vec<Candidate>, Vec<String>), StoreError>;

/// Filters over the one answer: every source is always asked (referrers,
/// fallback tag, cosign's tags, BuildKit's attestations, an index's
/// platform manifests); these only narrow what is kept.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Only attachments of this type, at every level (as `oras discover`).
    pub artifact_type: Option<String>,
    /// Levels of referrers to discover; `None` means all.
    pub max_depth: Option<usize>,
    /// When the reference is an index: discover this platform's manifest
    /// instead (as `oras discover --platform`), BuildKit's attestations for
    /// it included.
    pub platform: Option<PlatformSpec>,
    pub max_fan_out: usize,
    /// Requests of one level in flight at once.
    pub concurrency: usize,
    /// The repository's tags when the caller already listed them (an audit
    /// of every tag): cosign's tags are looked up there instead of listing
    /// the tags again for every subject.
    pub known_tags: Option<Arc<[String]>>,
    /// The subject's manifest when the caller already fetched it by the
    /// digest it discovers (a copy reads its root first): it is neither
    /// resolved nor fetched again, which saves a round.
    pub known_subject: Option<Manifest>,
    /// The subject's descriptor when the caller already resolved the tag
    /// and discovers its digest (an audit resolves every tag first): it is
    /// not resolved again, only its manifest is fetched.
    pub resolved_subject: Option<Descriptor>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            artifact_type: None,
            max_depth: None,
            platform: None,
            max_fan_out: DEFAULT_MAX_FAN_OUT,
            concurrency: DEFAULT_CONCURRENCY,
            known_tags: None,
            known_subject: None,
            resolved_subject: None,
        }
    }
}

/// Resolves `reference` (tag or digest) in `repository` and discovers its
/// referrer tree.
pub async fn discover(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &DiscoverOptions,
) -> Result<ReferrerTree, StoreError> {
    let Opening {
        subject,
        manifest,
        within_index,
        tags,
        subject_listing,
        mut warnings,
    } = open(store, repository, reference, options).await?;
    let mut seen: HashSet<Digest> =
        HashSet::from([manifest.digest().clone(), subject.digest.clone()]);
    let mut platforms = Vec::new();
    if within_index.is_none() && manifest.is_index() {
        for entry in platform_entries(&manifest) {
            if seen.insert(entry.digest.clone()) {
                platforms.push(entry.clone());
            }
        }
    }
    let context = subject_context(options, tags.as_ref(), None);
    let walk = Walk {
        store,
        repository,
        context,
        concurrency: options.concurrency.max(1),
    };
    let subject_index = within_index.as_ref().map(|(_, index)| index);
    let listings = walk
        .first_level(
            &subject,
            subject_listing,
            &platforms,
            &manifest,
            subject_index,
        )
        .await;
    let mut pending = Vec::new();
    let mut platform_unfetched = vec![None; platforms.len()];
    for (parent, digest, listed, unfetched) in listings {
        if let (Parent::Platform(i), Some(unfetched)) = (parent, unfetched) {
            warnings.push(format!(
                "the index lists {digest}, which is {}: {}",
                unfetched.label(),
                unfetched.error
            ));
            platform_unfetched[i] = Some(unfetched);
        }
        match listed {
            Ok((candidates, listing_warnings)) => {
                warnings.extend(listing_warnings);
                enqueue(
                    &mut pending,
                    &mut seen,
                    &mut warnings,
                    parent,
                    &digest,
                    candidates,
                );
            }
            Err(error) if matches!(parent, Parent::Subject) => return Err(error),
            Err(error) => warnings.push(format!("referrers of {digest} not listed: {error}")),
        }
    }
    let arena = walk
        .deeper_levels(pending, &mut seen, &mut warnings, options.max_depth)
        .await;
    let (referrers, platform_lists) = assemble(arena, platforms.len());
    let mut tree = ReferrerTree {
        repository: repository.to_owned(),
        subject,
        manifest,
        referrers,
        platforms: platforms
            .into_iter()
            .zip(platform_lists)
            .zip(platform_unfetched)
            .map(|((descriptor, referrers), unfetched)| PlatformNode {
                descriptor,
                referrers,
                unfetched,
            })
            .collect(),
        within_index: within_index.map(|(descriptor, _)| descriptor),
        warnings,
    };
    tree.platforms
        .retain(|p| !p.referrers.is_empty() || p.unfetched.is_some());
    Ok(tree)
}
