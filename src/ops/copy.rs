//! Copying a manifest (an index with all its children) and its blobs, and
//! optionally its referrer graph, between repositories of one store or two.
//! Blobs the target has are skipped, blobs within one registry are mounted,
//! transfers run in parallel (bounded) and stream; digests never change
//! because the raw bytes are pushed as they were fetched.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use futures_util::future::join;

use super::{CancellationToken, OpError, Progress, ProgressSink, report};
use chains::{only_by_cosign_tag, refuse_a_partial_graph, wanted_type, with_index_children};
use transfer::copy_batch;

mod chains;
mod transfer;
use crate::graph::{DiscoverOptions, GraphNode, ReferrerTree, discover, select_platform};
use crate::oci::{Descriptor, Digest, Manifest, PlatformSpec};
use crate::store::Store;

/// Blobs (and child manifests) in flight at once.
const DEFAULT_COPY_CONCURRENCY: usize = 4;

#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Also copy the referrer graph, all the way down.
    pub referrers: bool,
    /// Only referrers of these types (and what hangs under them); empty
    /// means all.
    pub artifact_types: Vec<String>,
    /// Tag the copy at the target; `None` pushes by digest only.
    pub tag: Option<String>,
    /// Copy only this platform of an index (the copy is that manifest).
    pub platform: Option<PlatformSpec>,
    /// Copy cosign's `sha256-<hex>.sig|.att|.sbom` tags with the graph, as
    /// `regctl image copy --digest-tags` does; off leaves those out.
    pub cosign_tags: bool,
    pub concurrency: usize,
    /// The source's referrer graph when the caller holds it already (the
    /// TUI's tree, expanded): with `referrers`, it is copied as it is and
    /// the source is not asked again. Used only when it is of the digest
    /// `reference` is, whole (discovered with no type filter, no depth
    /// limit, no platform picked).
    pub known_graph: Option<Arc<ReferrerTree>>,
}

/// The source's tags, when they were listed.
type TagList = Option<Result<Vec<String>, crate::store::StoreError>>;

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            referrers: false,
            artifact_types: Vec::new(),
            tag: None,
            platform: None,
            cosign_tags: true,
            concurrency: DEFAULT_COPY_CONCURRENCY,
            known_graph: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyOutcome {
    /// The copied root manifest (same digest at the target).
    pub root: Option<Descriptor>,
    pub manifests: usize,
    pub blobs_copied: usize,
    pub blobs_skipped: usize,
    pub blobs_mounted: usize,
}

/// Both ends of a copy.
struct Ends<'a> {
    source: &'a dyn Store,
    source_repo: &'a str,
    target: &'a dyn Store,
    target_repo: &'a str,
    same_registry: bool,
    concurrency: usize,
    progress: &'a ProgressSink,
    cancel: &'a CancellationToken,
    outcome: Mutex<CopyOutcome>,
    /// Manifests already pushed (an index's BuildKit attestations are its
    /// children and attachments at once).
    pushed: Mutex<HashSet<Digest>>,
}

/// Manifests to push in order (an index's children before it), and the
/// tags the last one gets at the target.
struct Chain {
    manifests: Vec<Manifest>,
    tags: Vec<String>,
}

/// Copies `reference` from `source_repo` in `source` to `target_repo` in
/// `target`.
///
/// Each step copies the blobs of a batch of manifests first (deduplicated,
/// in parallel), then pushes the batch's manifests side by side, children
/// of an index before the index. Levels of referrers go one after the
/// other, so a manifest is never pushed before what it points to.
/// Cancelling abandons requests in flight rather than waiting for a
/// registry that may never answer.
#[allow(clippy::too_many_arguments)]
pub async fn copy(
    source: &dyn Store,
    source_repo: &str,
    reference: &str,
    target: &dyn Store,
    target_repo: &str,
    options: &CopyOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<CopyOutcome, OpError> {
    let ends = Ends {
        same_registry: source.name() == target.name() && source.registry() == target.registry(),
        source,
        source_repo,
        target,
        target_repo,
        concurrency: options.concurrency.max(1),
        progress,
        cancel,
        outcome: Mutex::new(CopyOutcome::default()),
        pushed: Mutex::new(HashSet::new()),
    };
    let root = tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(OpError::Cancelled),
        root = copy_graph(&ends, reference, options) => root?,
    };
    let mut outcome = ends
        .outcome
        .into_inner()
        .map_err(|_| OpError::Invalid("a copy task panicked".to_owned()))?;
    outcome.root = Some(root);
    Ok(outcome)
}

/// The copy itself; returns the descriptor of what was copied.
async fn copy_graph(
    ends: &Ends<'_>,
    reference: &str,
    options: &CopyOptions,
) -> Result<Descriptor, OpError> {
    let known = known_graph(options, reference);
    let (root, tags) = read_root(ends, reference, options, known.is_none()).await?;
    let root_chain = Chain {
        manifests: with_index_children(ends, vec![root.clone()]).await?,
        tags: options.tag.iter().cloned().collect(),
    };
    // The referrer graph is read from the source while the image itself is
    // copied: neither waits on the other. It is the graph's one answer
    // (cosign's tags and every platform's attachments included).
    let root_level = [vec![root_chain]];
    // Once the root is at the target, whether the target lists referrers
    // itself is asked about it (an existing manifest: a registry with the
    // API cannot mistake it for an unknown repository). That decides how
    // the referrers may be pushed, and is found out while the source's
    // graph is still being read.
    let copy_root = async {
        copy_batch(ends, &root_level).await?;
        if options.referrers {
            ends.target
                .learn_referrers_support(ends.target_repo, root.digest())
                .await;
        }
        Ok::<(), OpError>(())
    };
    let root_digest = root.digest().to_string();
    let find_referrers = async {
        if !options.referrers {
            return None;
        }
        if let Some(known) = known.filter(|tree| tree.subject.digest == *root.digest()) {
            return Some(Ok(Cow::Borrowed(known)));
        }
        let options = DiscoverOptions {
            // A failed listing is left to discovery, which lists again
            // and reports it as it always does.
            known_tags: tags.and_then(Result::ok).map(Into::into),
            known_subject: Some(root.clone()),
            ..DiscoverOptions::default()
        };
        Some(
            discover(ends.source, ends.source_repo, &root_digest, &options)
                .await
                .map(Cow::Owned),
        )
    };
    let (copied, tree) = join(copy_root, find_referrers).await;
    copied?;
    if let Some(tree) = tree {
        let tree = tree?;
        for warning in &tree.warnings {
            report(ends.progress, Progress::Warning(warning.clone()));
        }
        refuse_a_partial_graph(&tree)?;
        let levels = referrer_levels(ends, &tree, options).await?;
        copy_batch(ends, &levels).await?;
    }
    Ok(root.descriptor())
}

/// The caller's graph, when it is of `reference` and whole (discovered to
/// every depth).
fn known_graph<'a>(options: &'a CopyOptions, reference: &str) -> Option<&'a ReferrerTree> {
    options
        .known_graph
        .as_deref()
        .filter(|tree| options.referrers && tree.subject.digest.to_string() == reference)
        .filter(|tree| tree.within_index.is_none() && !is_depth_limited(tree))
}

fn is_depth_limited(tree: &ReferrerTree) -> bool {
    tree.all_nodes().iter().any(|node| node.depth_limited)
}

/// The root to copy (with `platform`, that platform's manifest of an
/// index) and, when the graph is to be discovered, the source's tags,
/// read beside it so discovery starts as soon as the root is here.
async fn read_root(
    ends: &Ends<'_>,
    reference: &str,
    options: &CopyOptions,
    list_tags: bool,
) -> Result<(Manifest, TagList), OpError> {
    let (source, source_repo) = (ends.source, ends.source_repo);
    let list_tags = async {
        if !options.referrers || !list_tags {
            return None;
        }
        let mut tags = Vec::new();
        Some(
            source
                .tags(source_repo, &mut |page| tags.extend(page))
                .await
                .map(|()| tags),
        )
    };
    let (root, tags) = join(source.fetch_manifest(source_repo, reference), list_tags).await;
    let mut root = root?;
    if let Some(platform) = &options.platform
        && !root.is_index()
    {
        crate::graph::check_single_platform(source, source_repo, &root, platform).await?;
    }
    if let Some(platform) = &options.platform
        && root.is_index()
    {
        let entry = select_platform(&root, platform)?;
        root = source
            .fetch_manifest(source_repo, &entry.digest.to_string())
            .await?;
    }
    Ok((root, tags))
}

/// The attachments to copy, level by level (a level's subjects are in the
/// one before it); one chain per attachment, an index's children before
/// it.
async fn referrer_levels(
    ends: &Ends<'_>,
    tree: &ReferrerTree,
    options: &CopyOptions,
) -> Result<Vec<Vec<Chain>>, OpError> {
    let mut level: Vec<&GraphNode> = tree
        .referrers
        .iter()
        .chain(tree.platforms.iter().flat_map(|p| p.referrers.iter()))
        .collect();
    let mut levels = Vec::new();
    while !level.is_empty() {
        let wanted: Vec<&GraphNode> = level
            .into_iter()
            .filter(|node| node.is_attached() && wanted_type(node, &options.artifact_types))
            .filter(|node| options.cosign_tags || !only_by_cosign_tag(node))
            .collect();
        // The attachments of one level are independent of each other.
        let mut chains = Vec::new();
        for node in &wanted {
            let Some(manifest) = node.manifest.clone() else {
                continue;
            };
            let tags = if options.cosign_tags {
                node.cosign_tags().map(str::to_owned).collect()
            } else {
                Vec::new()
            };
            let manifests = with_index_children(ends, vec![manifest]).await?;
            chains.push(Chain { manifests, tags });
        }
        levels.push(chains);
        level = wanted
            .iter()
            .flat_map(|node| node.children.iter())
            .collect();
    }
    Ok(levels)
}
