//! Carrying out a delete plan: the tag alone, or the manifests deepest
//! first, saying what went and what the registry kept.

use super::DeletePlan;
use super::tag::{TagDeletedBy, delete_tag_alone};
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, report};
use crate::store::Store;

/// Carries out a plan, in order. Returns how many manifests were deleted
/// (none for a tag alone); refuses a plan that breaks an index it was not
/// allowed to, and stops at the first refusal of the store (the error says
/// which).
pub async fn delete(
    store: &dyn Store,
    plan: &DeletePlan,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<usize, OpError> {
    if let Some(refusal) = plan.refusal() {
        return Err(OpError::Invalid(refusal));
    }
    if let Some(only) = &plan.tag_only {
        let how =
            delete_tag_alone(store, &plan.repository, &only.tag, &only.descriptor.digest).await?;
        let way = match how {
            TagDeletedBy::TagApi => "",
            TagDeletedBy::Throwaway => " (by a throwaway manifest, as regctl does)",
        };
        report(
            progress,
            Progress::Note(format!("deleted tag {}{way}", only.tag)),
        );
        warn_if_kept(store, plan, &only.tag, progress).await;
        return Ok(0);
    }
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
        // Registries drop a manifest's tags with it; one that keeps a tag
        // pointing at nothing is worth saying.
        for tag in item.tags.iter().chain(&item.named_by) {
            warn_if_kept(store, plan, tag, progress).await;
        }
    }
    Ok(deleted)
}

async fn warn_if_kept(store: &dyn Store, plan: &DeletePlan, tag: &str, progress: &ProgressSink) {
    if let Ok(still) = store.resolve(&plan.repository, tag).await {
        report(
            progress,
            Progress::Warning(format!(
                "the registry kept the tag {tag} (it names {})",
                still.digest
            )),
        );
    }
}
