//! The whole referrer tree of a subject, discovered level by level: the
//! nodes of one level are asked for their attachments in parallel (bounded),
//! so a graph of depth d costs d rounds, not one round trip per node. Each
//! digest is expanded once, so a cycle from a hostile registry ends cleanly.

use std::collections::HashSet;

use futures_util::StreamExt;
use futures_util::stream;

use super::node::{Attachments, NodeContext, node_referrers};
use super::sources::platform_entries;
use super::{DEFAULT_CONCURRENCY, DEFAULT_MAX_FAN_OUT, GraphNode};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Only attachments of this type, at every level (as `oras discover`).
    pub artifact_type: Option<String>,
    /// Levels of referrers to discover; `None` means all.
    pub max_depth: Option<usize>,
    pub max_fan_out: usize,
    /// Requests of one level in flight at once.
    pub concurrency: usize,
    /// Also look for cosign's tags (costs one tag listing).
    pub cosign_tags: bool,
    /// Also discover the referrers of an index's platform manifests.
    pub platforms: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            artifact_type: None,
            max_depth: None,
            max_fan_out: DEFAULT_MAX_FAN_OUT,
            concurrency: DEFAULT_CONCURRENCY,
            cosign_tags: true,
            platforms: true,
        }
    }
}

/// A platform manifest of the subject index and its attachments.
#[derive(Debug, Clone)]
pub struct PlatformNode {
    pub descriptor: Descriptor,
    pub referrers: Vec<GraphNode>,
}

#[derive(Debug, Clone)]
pub struct ReferrerTree {
    pub repository: String,
    /// The subject's descriptor as resolved.
    pub subject: Descriptor,
    pub manifest: Manifest,
    pub referrers: Vec<GraphNode>,
    /// For an index: its platform manifests that have attachments.
    pub platforms: Vec<PlatformNode>,
    pub warnings: Vec<String>,
}

impl ReferrerTree {
    /// Every attachment in the tree (platform ones included), parents first.
    pub fn all_nodes(&self) -> Vec<&GraphNode> {
        self.referrers
            .iter()
            .chain(self.platforms.iter().flat_map(|p| p.referrers.iter()))
            .flat_map(GraphNode::walk)
            .collect()
    }
}

/// Where a node of the frontier hangs: a path of child indices from a root
/// list (`None` = the subject's own list, `Some(i)` = platform `i`'s list).
#[derive(Clone)]
struct Slot {
    root: Option<usize>,
    path: Vec<usize>,
}

/// Resolves `reference` (tag or digest) in `repository` and discovers its
/// referrer tree.
pub async fn discover(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &DiscoverOptions,
) -> Result<ReferrerTree, StoreError> {
    // The subject as resolving names it (for a layout, its `index.json`
    // entry with annotations), as `oras discover` shows it.
    let subject = store.resolve(repository, reference).await?;
    let manifest = store
        .fetch_manifest(repository, &subject.digest.to_string())
        .await?;
    let mut warnings = manifest.warnings.clone();
    let tags = if options.cosign_tags {
        match collect_tags(store, repository).await {
            Ok(tags) => Some(tags),
            Err(error) => {
                warnings.push(format!("cosign tags not searched: {error}"));
                None
            }
        }
    } else {
        None
    };
    let context = NodeContext {
        artifact_type: options.artifact_type.as_deref(),
        tags: tags.as_deref(),
        parent_index: None,
        max_fan_out: options.max_fan_out,
    };
    let mut seen: HashSet<Digest> = HashSet::from([manifest.digest().clone()]);
    let mut tree = ReferrerTree {
        repository: repository.to_owned(),
        subject,
        manifest: manifest.clone(),
        referrers: Vec::new(),
        platforms: Vec::new(),
        warnings,
    };
    let mut platform_subjects = Vec::new();
    if options.platforms && manifest.is_index() {
        for entry in platform_entries(&manifest) {
            if seen.insert(entry.digest.clone()) {
                platform_subjects.push(entry.clone());
            }
        }
    }

    // Level 1: the subject's and its platforms' own attachments, in parallel.
    let mut first_level = vec![(
        Slot {
            root: None,
            path: Vec::new(),
        },
        tree.subject.digest.clone(),
    )];
    for (i, platform) in platform_subjects.iter().enumerate() {
        first_level.push((
            Slot {
                root: Some(i),
                path: Vec::new(),
            },
            platform.digest.clone(),
        ));
    }
    tree.platforms = platform_subjects
        .into_iter()
        .map(|descriptor| PlatformNode {
            descriptor,
            referrers: Vec::new(),
        })
        .collect();

    let mut frontier = first_level;
    let mut depth = 0;
    while !frontier.is_empty() {
        depth += 1;
        let results: Vec<(Slot, Result<Attachments, StoreError>)> = stream::iter(frontier)
            .map(|(slot, digest)| {
                let mut context = context;
                if slot.root.is_some() && slot.path.is_empty() {
                    context.parent_index = Some(&manifest);
                }
                async move {
                    let result = node_referrers(store, repository, &digest, context).await;
                    (slot, result)
                }
            })
            .buffer_unordered(options.concurrency.max(1))
            .collect()
            .await;
        let mut next = Vec::new();
        for (slot, result) in results {
            let attachments = match result {
                Ok(attachments) => attachments,
                // The subject's own listing failing is the command failing;
                // deeper ones are reported on their node.
                Err(error) if slot.path.is_empty() && slot.root.is_none() => return Err(error),
                Err(error) => {
                    if let Some(node) = node_at(&mut tree, &slot) {
                        node.warnings.push(format!("referrers not listed: {error}"));
                    } else {
                        tree.warnings.push(format!("referrers not listed: {error}"));
                    }
                    continue;
                }
            };
            tree.warnings.extend(attachments.warnings);
            let mut kept = Vec::new();
            for node in attachments.nodes {
                if seen.insert(node.digest().clone()) {
                    kept.push(node);
                } else {
                    tree.warnings.push(format!(
                        "{} is reachable more than once (a cycle?); shown once",
                        node.digest()
                    ));
                }
            }
            let at_limit = options.max_depth.is_some_and(|max| depth >= max);
            for (i, node) in kept.iter_mut().enumerate() {
                if at_limit {
                    node.depth_limited = true;
                } else if node.manifest.is_some() {
                    let mut path = slot.path.clone();
                    path.push(i);
                    next.push((
                        Slot {
                            root: slot.root,
                            path,
                        },
                        node.digest().clone(),
                    ));
                }
            }
            if let Some(list) = list_at(&mut tree, &slot) {
                *list = kept;
            }
        }
        frontier = next;
    }
    tree.platforms.retain(|p| !p.referrers.is_empty());
    Ok(tree)
}

/// The list of attachments a slot's node holds.
fn list_at<'t>(tree: &'t mut ReferrerTree, slot: &Slot) -> Option<&'t mut Vec<GraphNode>> {
    let mut list = match slot.root {
        None => &mut tree.referrers,
        Some(i) => &mut tree.platforms.get_mut(i)?.referrers,
    };
    for &i in &slot.path {
        list = &mut list.get_mut(i)?.children;
    }
    Some(list)
}

/// The node a slot names (none for a root list).
fn node_at<'t>(tree: &'t mut ReferrerTree, slot: &Slot) -> Option<&'t mut GraphNode> {
    let (last, parents) = slot.path.split_last()?;
    let parent = Slot {
        root: slot.root,
        path: parents.to_vec(),
    };
    list_at(tree, &parent)?.get_mut(*last)
}

async fn collect_tags(store: &dyn Store, repository: &str) -> Result<Vec<String>, StoreError> {
    let mut tags = Vec::new();
    store
        .tags(repository, &mut |page| tags.extend(page))
        .await?;
    Ok(tags)
}
