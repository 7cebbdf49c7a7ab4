//! Copying a manifest (an index with all its children) and its blobs, and
//! optionally its referrer graph, between repositories of one store or two.
//! Blobs the target has are skipped, blobs within one registry are mounted,
//! transfers run in parallel (bounded) and stream; digests never change
//! because the raw bytes are pushed as they were fetched.

use std::collections::HashSet;
use std::sync::Mutex;

use futures_util::future::join;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::graph::{DiscoverOptions, GraphNode, discover};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::Store;

/// Blobs (and child manifests) in flight at once.
const DEFAULT_COPY_CONCURRENCY: usize = 4;
/// Index nesting deeper than this is refused (a hostile registry could nest
/// without end).
const MAX_INDEX_NESTING: usize = 8;

#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Also copy the referrer graph, all the way down.
    pub referrers: bool,
    /// Only referrers of these types (and what hangs under them); empty
    /// means all.
    pub artifact_types: Vec<String>,
    /// Tag the copy at the target; `None` pushes by digest only.
    pub tag: Option<String>,
    pub concurrency: usize,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            referrers: false,
            artifact_types: Vec::new(),
            tag: None,
            concurrency: DEFAULT_COPY_CONCURRENCY,
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
}

/// Copies `reference` from `source_repo` in `source` to `target_repo` in
/// `target`.
///
/// Each step copies the blobs of a batch of manifests first (deduplicated,
/// in parallel), then pushes the batch's chains one after another, each in
/// order: children of an index before the index. Levels of referrers go one
/// after the other, so a manifest is never pushed before what it points to.
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
    let (source, source_repo, progress) = (ends.source, ends.source_repo, ends.progress);
    let root = source.fetch_manifest(source_repo, reference).await?;
    let root_chain = with_index_children(ends, vec![root.clone()]).await?;
    // The referrer graph is read from the source while the image itself is
    // copied: neither waits on the other.
    let copy_root = copy_batch(
        ends,
        std::slice::from_ref(&root_chain),
        Some((root.digest(), options.tag.as_deref())),
    );
    let discover_options = DiscoverOptions {
        cosign_tags: false,
        ..DiscoverOptions::default()
    };
    let root_digest = root.digest().to_string();
    let find_referrers = async {
        if options.referrers {
            Some(discover(source, source_repo, &root_digest, &discover_options).await)
        } else {
            None
        }
    };
    let (copied, tree) = join(copy_root, find_referrers).await;
    copied?;
    if let Some(tree) = tree {
        let tree = tree?;
        for warning in &tree.warnings {
            report(progress, Progress::Warning(warning.clone()));
        }
        let mut level: Vec<&GraphNode> = tree
            .referrers
            .iter()
            .chain(tree.platforms.iter().flat_map(|p| p.referrers.iter()))
            .collect();
        while !level.is_empty() {
            let wanted: Vec<&GraphNode> = level
                .into_iter()
                .filter(|node| node.verified && wanted_type(node, &options.artifact_types))
                .collect();
            // One chain per attachment (an index's children before it);
            // the attachments of one level are independent of each other.
            let mut chains = Vec::new();
            for manifest in wanted.iter().filter_map(|node| node.manifest.clone()) {
                chains.push(with_index_children(ends, vec![manifest]).await?);
            }
            copy_batch(ends, &chains, None).await?;
            level = wanted
                .iter()
                .flat_map(|node| node.children.iter())
                .collect();
        }
    }
    Ok(root.descriptor())
}

fn wanted_type(node: &GraphNode, types: &[String]) -> bool {
    types.is_empty()
        || node
            .artifact_type
            .as_ref()
            .is_some_and(|t| types.iter().any(|w| w == t))
}

/// `manifests` with every index's children (fetched, nested up to a limit)
/// placed before it: the order in which they can be pushed.
async fn with_index_children(
    ends: &Ends<'_>,
    manifests: Vec<Manifest>,
) -> Result<Vec<Manifest>, OpError> {
    let mut ordered = Vec::new();
    let mut seen = HashSet::new();
    for manifest in manifests {
        // (manifest, nesting, children already placed)
        let mut stack = vec![(manifest, 0usize, false)];
        while let Some((manifest, nesting, expanded)) = stack.pop() {
            if manifest.is_ambiguous() {
                return Err(OpError::Invalid(format!(
                    "{} is ambiguous (both `manifests` and `layers`); refusing to copy it",
                    manifest.digest()
                )));
            }
            if expanded || !manifest.is_index() {
                if seen.insert(manifest.digest().clone()) {
                    ordered.push(manifest);
                }
                continue;
            }
            if nesting >= MAX_INDEX_NESTING {
                return Err(OpError::Invalid(format!(
                    "indexes nest deeper than {MAX_INDEX_NESTING} levels at {}",
                    manifest.digest()
                )));
            }
            let references: Vec<String> = manifest
                .manifests
                .iter()
                .map(|child| child.digest.to_string())
                .collect();
            let fetches: Vec<_> = references
                .iter()
                .map(|reference| ends.source.fetch_manifest(ends.source_repo, reference))
                .collect();
            let children: Vec<Manifest> = stream::iter(fetches)
                .buffered(ends.concurrency)
                .try_collect()
                .await?;
            stack.push((manifest, nesting, true));
            stack.extend(
                children
                    .into_iter()
                    .map(|child| (child, nesting + 1, false)),
            );
        }
    }
    Ok(ordered)
}

/// Copies the blobs of every chain (each once, in parallel), then pushes
/// the chains one by one, each one's manifests in order (an index after its
/// children); `root` names the manifest to tag.
async fn copy_batch(
    ends: &Ends<'_>,
    chains: &[Vec<Manifest>],
    root: Option<(&Digest, Option<&str>)>,
) -> Result<(), OpError> {
    let mut seen = HashSet::new();
    let blobs: Vec<&Descriptor> = chains
        .iter()
        .flatten()
        .flat_map(Manifest::blobs)
        .filter(|blob| seen.insert(blob.digest.clone()))
        .collect();
    // Futures are collected before streaming them: a stream over a
    // borrowing iterator would fail rustc's higher-ranked `Send` check.
    let copies: Vec<_> = blobs
        .into_iter()
        .map(|blob| copy_blob(ends, blob))
        .collect();
    stream::iter(copies)
        .buffer_unordered(ends.concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    // One chain after another: pushed side by side, referrers of one
    // subject were seen missing from a distribution registry's copy now and
    // then (tests/it/cli.rs), a race not yet understood.
    for chain in chains {
        push_chain(ends, chain, root).await?;
    }
    Ok(())
}

async fn push_chain(
    ends: &Ends<'_>,
    chain: &[Manifest],
    root: Option<(&Digest, Option<&str>)>,
) -> Result<(), OpError> {
    for manifest in chain {
        if ends.cancel.is_cancelled() {
            return Err(OpError::Cancelled);
        }
        let tag = root
            .and_then(|(digest, tag)| (digest == manifest.digest()).then_some(tag))
            .flatten();
        let pushed = ends
            .target
            .push_manifest(ends.target_repo, manifest, tag)
            .await?;
        if &pushed.descriptor.digest != manifest.digest() {
            return Err(OpError::Invalid(format!(
                "the target stored {} as {}",
                manifest.digest(),
                pushed.descriptor.digest
            )));
        }
        if let Ok(mut outcome) = ends.outcome.lock() {
            outcome.manifests += 1;
        }
        report(
            ends.progress,
            Progress::Note(format!("copied manifest {}", manifest.digest())),
        );
    }
    Ok(())
}

async fn copy_blob(ends: &Ends<'_>, blob: &Descriptor) -> Result<(), OpError> {
    let what = blob.title().unwrap_or(&blob.media_type).to_owned();
    let count = |field: fn(&mut CopyOutcome) -> &mut usize| {
        if let Ok(mut outcome) = ends.outcome.lock() {
            *field(&mut outcome) += 1;
        }
    };
    if ends.target.blob_exists(ends.target_repo, blob).await? {
        count(|o| &mut o.blobs_skipped);
        report(
            ends.progress,
            Progress::Skipped {
                digest: blob.digest.clone(),
                what,
                reason: "already at the target".to_owned(),
            },
        );
        return Ok(());
    }
    if ends.same_registry
        && ends.source_repo != ends.target_repo
        && ends
            .target
            .mount_blob(ends.target_repo, ends.source_repo, blob)
            .await?
    {
        count(|o| &mut o.blobs_mounted);
        report(
            ends.progress,
            Progress::Skipped {
                digest: blob.digest.clone(),
                what,
                reason: format!("mounted from {}", ends.source_repo),
            },
        );
        return Ok(());
    }
    if ends.cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    report(
        ends.progress,
        Progress::Started {
            digest: blob.digest.clone(),
            what: what.clone(),
            total: blob.size,
        },
    );
    let content = ends.source.fetch_blob(ends.source_repo, blob).await?;
    let cancel = ends.cancel.clone();
    let (progress, digest, mut done) = (ends.progress.clone(), blob.digest.clone(), 0u64);
    let content = content
        .take_until(async move { cancel.cancelled().await })
        .inspect(move |chunk| {
            if let Ok(chunk) = chunk {
                done += chunk.len() as u64;
                let digest = digest.clone();
                report(&progress, Progress::Bytes { digest, done });
            }
        })
        .boxed();
    ends.target
        .push_blob(ends.target_repo, blob, content)
        .await?;
    if ends.cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    count(|o| &mut o.blobs_copied);
    report(
        ends.progress,
        Progress::Finished {
            digest: blob.digest.clone(),
            what,
        },
    );
    Ok(())
}
