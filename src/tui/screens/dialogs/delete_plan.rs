//! The delete dialog's list: the engine's plan drawn as a tree, each
//! referrer under the manifest it is attached to.

use crate::ops::{DeletePlan, PlannedDelete};

/// The plan as a tree: the subject first, each referrer indented under the
/// manifest it is attached to (the engine deletes them deepest first); the
/// attachments of an index's platform manifests under those.
pub(super) fn plan_lines(plan: &DeletePlan) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(subject) = plan.subject() else {
        return lines;
    };
    let planned: std::collections::HashSet<_> = plan
        .manifests
        .iter()
        .map(|m| &m.descriptor.digest)
        .collect();
    let mut roots: Vec<(Option<&crate::oci::Digest>, &PlannedDelete)> = vec![(None, subject)];
    for item in &plan.manifests {
        if let Some(parent) = &item.parent
            && !planned.contains(parent)
        {
            roots.push((Some(parent), item));
        }
    }
    let mut shown_platform = None;
    for (platform, root) in roots {
        let base = match platform {
            Some(parent) => {
                if shown_platform != Some(parent) {
                    lines.push(format!("  platform manifest {parent} (kept)"));
                    shown_platform = Some(parent);
                }
                2
            }
            None => 0,
        };
        let mut stack = vec![(root, base)];
        while let Some((item, depth)) = stack.pop() {
            let what = item.artifact_type.as_deref().unwrap_or("manifest");
            let tags = if item.tags.is_empty() {
                String::new()
            } else {
                format!("  (tag {})", item.tags.join(", "))
            };
            lines.push(format!(
                "{}{}  {what}{tags}",
                "  ".repeat(depth),
                item.descriptor.digest
            ));
            let children: Vec<_> = plan
                .manifests
                .iter()
                .filter(|child| child.parent.as_ref() == Some(&item.descriptor.digest))
                .collect();
            // Reversed onto the stack so they come off in the plan's order.
            stack.extend(children.into_iter().rev().map(|child| (child, depth + 1)));
        }
    }
    for skipped in &plan.unverified {
        lines.push(format!(
            "(kept, unlinked: does not name its subject) {}",
            skipped.digest
        ));
    }
    for kept in &plan.in_index {
        lines.push(format!("(kept, inside the index) {}", kept.digest));
    }
    lines
}
