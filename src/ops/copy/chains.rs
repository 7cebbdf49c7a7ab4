//! Which of the source's manifests a copy pushes, and in what order: the
//! attachments asked for (by type, cosign's tags or not), refused when the
//! graph could not be read whole, each index after its children.

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::Ends;
use crate::graph::{FoundBy, GraphNode};
use crate::oci::Manifest;
use crate::ops::OpError;

/// Index nesting deeper than this is refused (a hostile registry could nest
/// without end).
const MAX_INDEX_NESTING: usize = 8;

/// A copy that silently left out an attachment it could not read would say
/// "copied" and lose it: an attachment whose manifest could not be fetched,
/// or whose own attachments could not be listed, fails the copy instead.
pub(super) fn refuse_a_partial_graph(tree: &crate::graph::ReferrerTree) -> Result<(), OpError> {
    if let Some(warning) = tree
        .warnings
        .iter()
        .find(|w| w.starts_with("referrers of ") && w.contains(" not listed:"))
    {
        return Err(OpError::Invalid(format!(
            "the source's graph could not be read whole: {warning}"
        )));
    }
    for node in tree.all_nodes() {
        let unread = node.manifest.is_none()
            || node
                .warnings
                .iter()
                .any(|w| w.starts_with("referrers not listed"));
        if unread {
            return Err(OpError::Invalid(format!(
                "the source's graph could not be read whole at {}: {}",
                node.digest(),
                node.warnings.join("; ")
            )));
        }
    }
    Ok(())
}

/// Attached only through a cosign tag (nothing else lists it).
pub(super) fn only_by_cosign_tag(node: &GraphNode) -> bool {
    node.found_by
        .iter()
        .all(|f| matches!(f, FoundBy::CosignTag(_)))
}

pub(super) fn wanted_type(node: &GraphNode, types: &[String]) -> bool {
    types.is_empty()
        || node
            .artifact_type
            .as_ref()
            .is_some_and(|t| types.iter().any(|w| w == t))
}

/// `manifests` with every index's children (fetched, nested up to a limit)
/// placed before it: the order in which they can be pushed.
pub(super) async fn with_index_children(
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
