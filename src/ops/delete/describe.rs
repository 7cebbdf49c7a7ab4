//! A delete plan in words, one line each, for both front ends: the CLI
//! prints them before it asks, the TUI's dialog shows them. Facts only;
//! each front end adds how to change the plan (flags, keys).

use std::collections::HashSet;

use super::{DeletePlan, PlannedDelete, index_name};
use crate::oci::Digest;

/// The plan's lines: the manifests as a tree (each referrer under what it
/// is attached to, with the tags that go with it), what stays although it
/// is listed, the indexes that would point at nothing, and how many tags
/// were read to know.
pub fn plan_lines(plan: &DeletePlan) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(only) = &plan.tag_only {
        lines.push(format!(
            "the tag {} goes; the manifest it names stays: {}",
            only.tag, only.descriptor.digest
        ));
        lines.push("  (with its other tags and its referrers)".to_owned());
        return lines;
    }
    manifest_tree(plan, &mut lines);
    for skipped in &plan.unverified {
        lines.push(format!(
            "kept (listed as a referrer, but its manifest does not name the subject): {}",
            skipped.digest
        ));
    }
    for kept in &plan.in_index {
        lines.push(format!(
            "kept (an entry of the index: BuildKit attestation): {}",
            kept.digest
        ));
    }
    for index in &plan.listed_by {
        let entries: Vec<String> = index
            .entries
            .iter()
            .map(|(digest, platform)| match platform {
                Some(platform) => format!("{digest} ({platform})"),
                None => digest.to_string(),
            })
            .collect();
        lines.push(format!(
            "the index {} lists {}: it would point at nothing",
            index_name(index),
            entries.join(", ")
        ));
    }
    lines.push(format!(
        "read {} of {} to find the tags and indexes naming {}",
        crate::text::count(plan.tags_read, "tag"),
        plan.repository,
        if plan.manifests.len() == 1 {
            "it"
        } else {
            "them"
        },
    ));
    lines
}

/// The header: how many manifests and tags go.
pub fn plan_summary(plan: &DeletePlan) -> String {
    if let Some(only) = &plan.tag_only {
        return format!("1 tag will be deleted ({}), no manifest", only.tag);
    }
    let tags = plan.tags_going();
    let mut line = format!(
        "{} will be deleted",
        crate::text::count(plan.manifests.len(), "manifest")
    );
    if !tags.is_empty() {
        line.push_str(&format!(
            ", and with {} {}",
            if plan.manifests.len() == 1 {
                "it"
            } else {
                "them"
            },
            crate::text::count(tags.len(), "tag")
        ));
    }
    line
}

/// The subject first, each referrer indented under the manifest it is
/// attached to (the engine deletes them deepest first); the attachments of
/// an index's platform manifests under those, which stay.
fn manifest_tree(plan: &DeletePlan, lines: &mut Vec<String>) {
    let Some(subject) = plan.subject() else {
        return;
    };
    let planned: HashSet<&Digest> = plan
        .manifests
        .iter()
        .map(|m| &m.descriptor.digest)
        .collect();
    let mut roots: Vec<(Option<&Digest>, &PlannedDelete)> = vec![(None, subject)];
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
            lines.push(format!(
                "{}{}  {}{}",
                "  ".repeat(depth + 1),
                item.descriptor.digest,
                what(item),
                tags_of(item)
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
}

fn what(item: &PlannedDelete) -> &str {
    match &item.artifact_type {
        Some(artifact_type) => artifact_type,
        None if crate::oci::media_type::is_index(&item.descriptor.media_type) => "index",
        None => "manifest",
    }
}

fn tags_of(item: &PlannedDelete) -> String {
    let mut parts = Vec::new();
    if !item.named_by.is_empty() {
        parts.push(format!(
            "{} {}",
            if item.named_by.len() == 1 {
                "tag"
            } else {
                "tags"
            },
            item.named_by.join(", ")
        ));
    }
    if !item.tags.is_empty() {
        parts.push(format!("cosign tag {}", item.tags.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  ({})", parts.join("; "))
    }
}
