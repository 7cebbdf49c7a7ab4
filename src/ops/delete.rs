//! Deleting: a tag alone, or a manifest and with its referrers the whole
//! graph under it, deepest first. A plan is made first so that callers can
//! show exactly what will go and ask: every manifest, every tag the
//! registry drops with them (cosign's and the ones people gave, found by
//! reading the repository's tags), and every index that lists one of them.
//! Only attached referrers (whose manifest names their subject, or that
//! cosign's tags or BuildKit's index attach) are ever planned, and a plan
//! that would leave an index pointing at nothing is refused unless the
//! caller says so for exactly that.

mod describe;
mod plan;
mod run;
mod scan;
mod tag;

use std::collections::HashSet;

use super::OpError;
use crate::graph::{DiscoverOptions, FoundBy, GraphNode, discover};
use crate::oci::{Descriptor, Digest};
use crate::store::Store;

pub use describe::{plan_lines, plan_summary};
pub use plan::{DeletePlan, PlannedDelete, TagOnly, index_name};
pub use run::delete;
pub use scan::ListingIndex;
pub use tag::TagDeletedBy;

/// Works out what deleting `tag` alone does: the tag goes, the manifest it
/// names stays (with its other tags and its referrers).
pub async fn plan_tag_delete(
    store: &dyn Store,
    repository: &str,
    tag: &str,
) -> Result<DeletePlan, OpError> {
    let descriptor = store.resolve(repository, tag).await?;
    Ok(DeletePlan::for_tag(repository, tag, descriptor))
}

/// Works out what deleting the manifest `reference` names would remove:
/// with referrers, every attachment the graph's one answer gives (cosign's
/// tags and an index's platforms' attachments included); `cosign_tags:
/// false` leaves what only cosign's tags attach. Reads every tag of the
/// repository to find the tags and indexes that name what goes.
/// `known_graph` is the graph's answer when the caller holds it already,
/// whole (the TUI's tree, expanded): used only when it names the digest
/// `reference` is, and then nothing is discovered again.
pub async fn plan_delete(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    with_referrers: bool,
    cosign_tags: bool,
    known_graph: Option<&crate::graph::ReferrerTree>,
) -> Result<DeletePlan, OpError> {
    let mut plan = DeletePlan::new(repository);
    let all_tags = match crate::ops::list_tags(store, repository).await {
        Ok(tags) => Some(tags),
        Err(error) => {
            plan.warnings.push(format!(
                "the repository's tags could not be listed ({error}): tags and indexes \
                 naming what goes are unknown"
            ));
            plan.indexes_unknown = true;
            None
        }
    };
    let options = DiscoverOptions {
        max_depth: (!with_referrers).then_some(1),
        known_tags: all_tags
            .as_ref()
            .map(|t| t.named.iter().chain(&t.attachment).cloned().collect()),
        ..DiscoverOptions::default()
    };
    let found = match known_graph.filter(|known| known.subject.digest.to_string() == reference) {
        Some(known) => Ok(known.clone()),
        None => discover(store, repository, reference, &options).await,
    };
    match found {
        Ok(tree) => {
            plan.warnings.extend(tree.warnings.iter().cloned());
            if with_referrers {
                plan_graph(&mut plan, &tree, cosign_tags);
            } else {
                plan.orphaned = tree
                    .referrers
                    .iter()
                    .filter(|node| {
                        node.is_attached() && !node.found_by.contains(&FoundBy::BuildKitAttestation)
                    })
                    .map(|node| node.descriptor.clone())
                    .collect();
            }
            plan.manifests.push(subject_entry(tree.subject.clone()));
        }
        // Without referrers the plan is the subject alone; when its
        // attachments cannot be listed the caller still gets it, warned.
        Err(error) if !with_referrers => {
            let subject = store.resolve(repository, reference).await?;
            plan.warnings.push(format!(
                "cannot list the referrers of {}: {error}",
                subject.digest
            ));
            plan.manifests.push(subject_entry(subject));
        }
        Err(error) => return Err(error.into()),
    }
    if let Some(tags) = all_tags {
        find_what_names_the_plan(store, &mut plan, tags.named).await;
    }
    Ok(plan)
}

/// The referrers under the subject, deepest first.
fn plan_graph(plan: &mut DeletePlan, tree: &crate::graph::ReferrerTree, cosign_tags: bool) {
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
            named_by: Vec::new(),
        });
        stack.extend(node.children.iter().map(|c| (c, depth + 1)));
    }
    // Deepest first: a referrer goes before its subject, so nothing is left
    // pointing at a deleted manifest if the run stops half-way. The order
    // among equals is the graph's, so a plan reads the same every time.
    found.reverse();
    found.sort_by_key(|planned| std::cmp::Reverse(planned.depth));
    plan.manifests = found;
}

/// Fills in the tags people gave that name a planned manifest, and the
/// indexes that list one.
async fn find_what_names_the_plan(store: &dyn Store, plan: &mut DeletePlan, named: Vec<String>) {
    let scan = scan::scan_tags(store, &plan.repository, named).await;
    plan.tags_read = scan.read();
    for (tag, error) in &scan.unread {
        plan.warnings.push(format!(
            "the tag {tag} could not be read ({error}): whether it names what goes is unknown"
        ));
    }
    let warned = plan.warnings.len();
    for item in &mut plan.manifests {
        item.named_by = scan.naming(&item.descriptor.digest);
    }
    let doomed: HashSet<Digest> = plan
        .manifests
        .iter()
        .map(|m| m.descriptor.digest.clone())
        .collect();
    plan.listed_by =
        scan::indexes_listing(store, &plan.repository, &scan, &doomed, &mut plan.warnings).await;
    // An unread tag may name an index; an index that was not read may list
    // what goes (indexes_listing warns of each).
    plan.indexes_unknown |= !scan.unread.is_empty() || plan.warnings.len() > warned;
}

fn subject_entry(descriptor: Descriptor) -> PlannedDelete {
    PlannedDelete {
        descriptor,
        artifact_type: None,
        depth: 0,
        parent: None,
        tags: Vec::new(),
        named_by: Vec::new(),
    }
}
