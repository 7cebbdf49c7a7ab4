//! The whole referrer tree of a subject, discovered level by level: the
//! nodes of one level are handled in parallel (bounded), and each node's
//! manifest is fetched while its own attachments are listed, so a graph of
//! depth d costs about d round trips, not one per node or two per level.
//! Each digest is expanded once, so a cycle from a hostile registry ends
//! cleanly.

use std::collections::HashSet;
use std::sync::Arc;

use futures_util::future::join;
use futures_util::stream;
use futures_util::{FutureExt, StreamExt};

mod arena;
mod subject;

use self::arena::{Parent, Pending, Placed, assemble, enqueue};
use self::subject::{Resolved, resolve_subject};
use super::node::{NodeContext, fetch_node, is_wanted, list_candidates};
use super::sources::platform_entries;
use super::tree::{PlatformNode, ReferrerTree};
use super::{DEFAULT_CONCURRENCY, DEFAULT_MAX_FAN_OUT, Unfetched};
use crate::oci::{Digest, Manifest, PlatformSpec};
use crate::store::{Store, StoreError};

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
    let Resolved {
        subject,
        manifest,
        within_index,
        tags,
        mut warnings,
    } = resolve_subject(store, repository, reference, options).await?;
    let context = NodeContext {
        artifact_type: options.artifact_type.as_deref(),
        tags: tags.as_deref(),
        tags_complete: tags.is_some(),
        parent_index: None,
        max_fan_out: options.max_fan_out,
    };
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
    let concurrency = options.concurrency.max(1);

    // Level 1: the subject's and its platforms' own attachments, listed in
    // parallel, and whether each platform's manifest is there at all (an
    // index whose platform was deleted behind its back points at nothing).
    // The subject's listing failing is the command failing.
    // Collected first: a stream over borrowing iterators would make this
    // future fail rustc's higher-ranked `Send` check.
    let mut roots = vec![(Parent::Subject, subject.digest.clone())];
    roots.extend(
        platforms
            .iter()
            .enumerate()
            .map(|(i, platform)| (Parent::Platform(i), platform.digest.clone())),
    );
    let listings: Vec<_> = stream::iter(roots)
        .map(|(parent, digest)| {
            let mut context = context;
            match (parent, &within_index) {
                (Parent::Platform(_), _) => context.parent_index = Some(&manifest),
                (Parent::Subject, Some((_, index))) => context.parent_index = Some(index),
                _ => {}
            }
            async move {
                let listing = list_candidates(store, repository, &digest, context);
                let (listed, unfetched) = match parent {
                    Parent::Platform(_) => {
                        let reference = digest.to_string();
                        let fetched = store.fetch_manifest(repository, &reference);
                        let (listed, fetched) = join(listing, fetched).await;
                        (listed, fetched.err().map(|e| Unfetched::from_error(&e)))
                    }
                    _ => (listing.await, None),
                };
                (parent, digest, listed, unfetched)
            }
        })
        .buffered(concurrency)
        .collect()
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

    // Each further level: fetch every listed node's manifest and, at the
    // same time, list that node's own attachments.
    let mut arena: Vec<Placed> = Vec::new();
    let mut depth = 0;
    while !pending.is_empty() {
        depth += 1;
        let at_limit = options.max_depth.is_some_and(|max| depth >= max);
        let results: Vec<_> = stream::iter(pending)
            .map(
                |Pending {
                     parent,
                     subject,
                     candidate,
                 }| async move {
                    let digest = candidate.digest().clone();
                    let children = async {
                        if at_limit {
                            None
                        } else {
                            Some(list_candidates(store, repository, &digest, context).await)
                        }
                    };
                    let node = fetch_node(store, repository, &subject, candidate).boxed();
                    let (node, children) = join(node, children).await;
                    (parent, node, children)
                },
            )
            .buffered(concurrency)
            .collect()
            .await;
        let mut next = Vec::new();
        for (parent, mut node, children) in results {
            if !is_wanted(context, &node) {
                continue;
            }
            node.depth_limited = at_limit;
            let index = arena.len();
            // A node whose manifest could not be read is shown, not expanded.
            match children {
                Some(Ok((candidates, listing_warnings))) if node.manifest.is_some() => {
                    warnings.extend(listing_warnings);
                    let digest = node.digest().clone();
                    enqueue(
                        &mut next,
                        &mut seen,
                        &mut warnings,
                        Parent::Node(index),
                        &digest,
                        candidates,
                    );
                }
                Some(Err(error)) if node.manifest.is_some() => {
                    node.warnings.push(format!("referrers not listed: {error}"));
                }
                _ => {}
            }
            arena.push(Placed { parent, node });
        }
        pending = next;
    }

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
