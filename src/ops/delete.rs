//! Deleting a manifest, and with its referrers the whole graph under it,
//! deepest first. A plan is made first so that callers can show exactly what
//! will go and ask; only verified referrers (whose manifest names their
//! subject) are ever planned.

use super::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::graph::{DiscoverOptions, FoundBy, GraphNode, ReferrerTree, discover};
use crate::oci::{Descriptor, Digest};
use crate::store::Store;

/// One manifest that will be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDelete {
    pub descriptor: Descriptor,
    pub artifact_type: Option<String>,
    /// 0 for the subject, 1 for its referrers, …
    pub depth: usize,
    /// The digest it is attached to (`None` for the subject).
    pub parent: Option<Digest>,
    /// cosign's tags that name it; they go with it.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePlan {
    pub repository: String,
    /// Deepest first; the subject is last.
    pub manifests: Vec<PlannedDelete>,
    /// Listed as referrers but not naming their subject: left alone.
    pub unverified: Vec<Descriptor>,
    /// Referrers of the subject a plan without referrers leaves behind,
    /// pointing at nothing once the subject is gone.
    pub orphaned: Vec<Descriptor>,
    /// BuildKit attestations stored inside the index: entries of it, not
    /// referrers, left as they are.
    pub in_index: Vec<Descriptor>,
    pub warnings: Vec<String>,
}

impl DeletePlan {
    /// The subject the plan was made for.
    pub fn subject(&self) -> Option<&PlannedDelete> {
        self.manifests.last()
    }
}

/// Works out what deleting `reference` would remove: with referrers, every
/// attachment the graph's one answer gives (cosign's tags and an index's
/// platforms' attachments included); `cosign_tags: false` leaves what only
/// cosign's tags attach. `known_graph` is that answer when the caller holds
/// it already, whole (the TUI's tree, expanded): used only when it names
/// the digest `reference` is, and then nothing is discovered again.
pub async fn plan_delete(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    with_referrers: bool,
    cosign_tags: bool,
    known_graph: Option<&ReferrerTree>,
) -> Result<DeletePlan, OpError> {
    let mut plan = DeletePlan {
        repository: repository.to_owned(),
        manifests: Vec::new(),
        unverified: Vec::new(),
        orphaned: Vec::new(),
        in_index: Vec::new(),
        warnings: Vec::new(),
    };
    let options = DiscoverOptions {
        max_depth: (!with_referrers).then_some(1),
        ..DiscoverOptions::default()
    };
    let found = match known_graph.filter(|known| known.subject.digest.to_string() == reference) {
        Some(known) => Ok(known.clone()),
        None => discover(store, repository, reference, &options).await,
    };
    let tree = match found {
        Ok(tree) => tree,
        // Without referrers the plan is the subject alone; when its
        // attachments cannot be listed the caller still gets it, warned.
        Err(error) if !with_referrers => {
            let subject = store.resolve(repository, reference).await?;
            plan.warnings.push(format!(
                "cannot list the referrers of {}: {error}",
                subject.digest
            ));
            plan.manifests.push(subject_entry(subject));
            return Ok(plan);
        }
        Err(error) => return Err(error.into()),
    };
    plan.warnings = tree.warnings.clone();
    if !with_referrers {
        plan.orphaned = tree
            .referrers
            .iter()
            .filter(|node| {
                node.is_attached() && !node.found_by.contains(&FoundBy::BuildKitAttestation)
            })
            .map(|node| node.descriptor.clone())
            .collect();
        plan.manifests.push(subject_entry(tree.subject.clone()));
        return Ok(plan);
    }
    let mut stack: Vec<(&GraphNode, usize)> = tree
        .referrers
        .iter()
        .chain(tree.platforms.iter().flat_map(|p| p.referrers.iter()))
        .map(|n| (n, 1))
        .collect();
    let mut found = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        if node.found_by.contains(&FoundBy::BuildKitAttestation) {
            plan.in_index.push(node.descriptor.clone());
            continue;
        }
        if !node.is_attached() {
            plan.unverified.push(node.descriptor.clone());
            continue;
        }
        let tags: Vec<String> = node.cosign_tags().map(str::to_owned).collect();
        if !cosign_tags && !node.verified && !tags.is_empty() {
            continue;
        }
        found.push(PlannedDelete {
            descriptor: node.descriptor.clone(),
            artifact_type: node.artifact_type.clone(),
            depth,
            parent: Some(node.subject.clone()),
            tags,
        });
        stack.extend(node.children.iter().map(|c| (c, depth + 1)));
    }
    // Deepest first: a referrer goes before its subject, so nothing is left
    // pointing at a deleted manifest if the run stops half-way. The order
    // among equals is the graph's, so a plan reads the same every time.
    found.reverse();
    found.sort_by_key(|planned| std::cmp::Reverse(planned.depth));
    plan.manifests = found;
    plan.manifests.push(subject_entry(tree.subject.clone()));
    Ok(plan)
}

fn subject_entry(descriptor: Descriptor) -> PlannedDelete {
    PlannedDelete {
        descriptor,
        artifact_type: None,
        depth: 0,
        parent: None,
        tags: Vec::new(),
    }
}

/// Carries out a plan, in order. Returns how many manifests were deleted;
/// stops at the first refusal (the error says which).
pub async fn delete(
    store: &dyn Store,
    plan: &DeletePlan,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<usize, OpError> {
    let mut deleted = 0;
    for item in &plan.manifests {
        if cancel.is_cancelled() {
            return Err(OpError::Cancelled);
        }
        store
            .delete_manifest(&plan.repository, &item.descriptor.digest)
            .await?;
        deleted += 1;
        report(
            progress,
            Progress::Note(format!("deleted {}", item.descriptor.digest)),
        );
        // Registries drop a manifest's tags with it; one that keeps a
        // cosign tag pointing at nothing is worth saying.
        for tag in &item.tags {
            if let Ok(still) = store.resolve(&plan.repository, tag).await {
                report(
                    progress,
                    Progress::Warning(format!(
                        "the registry kept the tag {tag} (now {}) after deleting {}",
                        still.digest, item.descriptor.digest
                    )),
                );
            }
        }
    }
    Ok(deleted)
}
