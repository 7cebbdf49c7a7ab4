//! Deleting a manifest, and with its referrers the whole graph under it,
//! deepest first. A plan is made first so that callers can show exactly what
//! will go and ask; only verified referrers (whose manifest names their
//! subject) are ever planned.

use super::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::graph::{DiscoverOptions, GraphNode, NodeContext, discover, node_referrers};
use crate::oci::Descriptor;
use crate::store::Store;

/// One manifest that will be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDelete {
    pub descriptor: Descriptor,
    pub artifact_type: Option<String>,
    /// 0 for the subject, 1 for its referrers, …
    pub depth: usize,
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
    pub warnings: Vec<String>,
}

impl DeletePlan {
    /// The subject the plan was made for.
    pub fn subject(&self) -> Option<&PlannedDelete> {
        self.manifests.last()
    }
}

/// Works out what deleting `reference` would remove.
pub async fn plan_delete(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    with_referrers: bool,
) -> Result<DeletePlan, OpError> {
    let mut plan = DeletePlan {
        repository: repository.to_owned(),
        manifests: Vec::new(),
        unverified: Vec::new(),
        orphaned: Vec::new(),
        warnings: Vec::new(),
    };
    if !with_referrers {
        let subject = store.resolve(repository, reference).await?;
        // Only referrers naming the subject count; when they cannot be
        // listed the caller still gets the plan, with a warning.
        match node_referrers(store, repository, &subject.digest, NodeContext::default()).await {
            Ok(found) => {
                plan.orphaned = found
                    .nodes
                    .into_iter()
                    .filter(|node| node.verified)
                    .map(|node| node.descriptor)
                    .collect();
                plan.warnings.extend(found.warnings);
            }
            Err(error) => plan.warnings.push(format!(
                "cannot list the referrers of {}: {error}",
                subject.digest
            )),
        }
        plan.manifests.push(PlannedDelete {
            descriptor: subject,
            artifact_type: None,
            depth: 0,
        });
        return Ok(plan);
    }
    let options = DiscoverOptions {
        cosign_tags: false,
        platforms: false,
        ..DiscoverOptions::default()
    };
    let tree = discover(store, repository, reference, &options).await?;
    plan.warnings = tree.warnings.clone();
    let mut stack: Vec<(&GraphNode, usize)> = tree.referrers.iter().map(|n| (n, 1)).collect();
    let mut found = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        if !node.verified {
            plan.unverified.push(node.descriptor.clone());
            continue;
        }
        found.push(PlannedDelete {
            descriptor: node.descriptor.clone(),
            artifact_type: node.artifact_type.clone(),
            depth,
        });
        stack.extend(node.children.iter().map(|c| (c, depth + 1)));
    }
    // Deepest first: a referrer goes before its subject, so nothing is left
    // pointing at a deleted manifest if the run stops half-way.
    found.sort_by_key(|planned| std::cmp::Reverse(planned.depth));
    plan.manifests = found;
    plan.manifests.push(PlannedDelete {
        descriptor: tree.subject.clone(),
        artifact_type: None,
        depth: 0,
    });
    Ok(plan)
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
    }
    Ok(deleted)
}
