//! The attachments of one digest, merged from every source and verified
//! against the fetched manifests. The TUI calls this lazily per node; the
//! whole-tree discovery calls it once per node of a level.

use std::collections::HashMap;

use futures_util::StreamExt;
use futures_util::stream;

use super::sources::{buildkit_attestations_for, cosign_tags_for};
use super::{DEFAULT_MAX_FAN_OUT, FoundBy, GraphNode};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::remote::fallback_index_problem;
use crate::store::{Referrers, ReferrersSource, ReferrersSupport, Store, StoreError};

mod fetch;

pub(super) use fetch::fetch_node;

/// How many referrer manifests of one node are fetched at the same time.
const FETCH_CONCURRENCY: usize = 32;

/// What the caller knows around the node.
#[derive(Debug, Clone, Copy)]
pub struct NodeContext<'a> {
    /// Only attachments of this artifact type.
    pub artifact_type: Option<&'a str>,
    /// The repository's tags, to find cosign's `sha256-<hex>.sig` and kin;
    /// `None` skips that source.
    pub tags: Option<&'a [String]>,
    /// `tags` is every tag of the repository, sorted. A subject whose
    /// `sha256-<hex>` fallback tag is not among them then has no fallback
    /// index, and a registry known to use fallback tags is not asked for it:
    /// leaves cost no request (and no round) of their own.
    pub tags_complete: bool,
    /// The image index the node is a platform manifest of, for BuildKit's
    /// attestations.
    pub parent_index: Option<&'a Manifest>,
    pub max_fan_out: usize,
}

impl Default for NodeContext<'_> {
    fn default() -> Self {
        NodeContext {
            artifact_type: None,
            tags: None,
            tags_complete: false,
            parent_index: None,
            max_fan_out: DEFAULT_MAX_FAN_OUT,
        }
    }
}

/// The attachments of one subject, children not yet discovered.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    pub nodes: Vec<GraphNode>,
    /// Listings that went wrong without failing the node, fan-out caps, …
    pub warnings: Vec<String>,
}

/// A candidate before its manifest is fetched.
pub(super) struct Candidate {
    listed: Descriptor,
    found_by: Vec<FoundBy>,
    /// The type to show when the manifest does not say (cosign).
    type_hint: Option<&'static str>,
    /// Found by name or position, not by `subject`: not expected to name it.
    by_name: bool,
}

impl Candidate {
    pub(super) fn digest(&self) -> &Digest {
        &self.listed.digest
    }
}

/// The attachments of `subject` in `repository`, from the store's referrers,
/// cosign tags (when `context.tags` is given) and BuildKit attestations (when
/// `context.parent_index` is given), deduplicated by digest.
///
/// Fails only when the store's referrers listing fails; a referrer whose
/// manifest cannot be fetched is kept, unverified, with a warning.
pub async fn node_referrers(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    context: NodeContext<'_>,
) -> Result<Attachments, StoreError> {
    let (candidates, warnings) = list_candidates(store, repository, subject, context).await?;
    let fetched: Vec<GraphNode> = stream::iter(candidates)
        .map(|candidate| fetch_node(store, repository, subject, candidate))
        .buffered(FETCH_CONCURRENCY)
        .collect()
        .await;
    let nodes = fetched
        .into_iter()
        .filter(|node| is_wanted(context, node))
        .collect();
    Ok(Attachments { nodes, warnings })
}

/// Whether a fetched node passes the artifact-type filter. A registry may
/// filter by what it reported, not by what the manifest says; the manifest
/// is the truth.
pub(super) fn is_wanted(context: NodeContext<'_>, node: &GraphNode) -> bool {
    context.artifact_type.is_none_or(|wanted| {
        node.artifact_type.as_deref() == Some(wanted) || node.manifest.is_none()
    })
}

/// Whether the registry keeps referrers in fallback tags and the complete
/// tag list has none for `subject`.
fn has_no_fallback_index(store: &dyn Store, subject: &Digest, context: NodeContext<'_>) -> bool {
    context.tags_complete
        && store.referrers_support() == ReferrersSupport::FallbackTag
        && context
            .tags
            .is_some_and(|tags| tags.binary_search(&subject.fallback_tag()).is_err())
}

/// On a registry with the referrers API, what a `sha256-<hex>` fallback
/// index lists all the same: tools told to use the tag schema (notation's
/// default `--force-referrers-tag`, `oras --distribution-spec
/// v1.1-referrers-tag`) write only there, and the API never shows it. Read
/// only when the complete tag list has that tag, so it costs a request
/// where there is something to find.
async fn fallback_beside_api(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    context: NodeContext<'_>,
    warnings: &mut Vec<String>,
) -> Vec<Descriptor> {
    let tag = subject.fallback_tag();
    let listed = context.tags_complete
        && store.referrers_support() == ReferrersSupport::Api
        && context
            .tags
            .is_some_and(|tags| tags.binary_search(&tag).is_ok());
    if !listed {
        return Vec::new();
    }
    match store.fetch_manifest(repository, &tag).await {
        Ok(index) => match fallback_index_problem(subject, &index) {
            // The subject itself (GitLab) or not an index: its entries
            // are not referrers.
            Some(problem) => {
                warnings.push(problem);
                Vec::new()
            }
            None => index
                .manifests
                .into_iter()
                .filter(|d| {
                    context
                        .artifact_type
                        .is_none_or(|t| d.artifact_type.as_deref() == Some(t))
                })
                .collect(),
        },
        Err(error) => {
            warnings.push(format!("the fallback tag {tag}: {error}"));
            Vec::new()
        }
    }
}

/// Every source's listing of `subject`, merged by digest and capped, before
/// any referrer manifest is fetched. Kept apart from the fetching so that
/// the whole-tree discovery can list a node's children while it fetches
/// the node's own manifest.
pub(super) async fn list_candidates(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    context: NodeContext<'_>,
) -> Result<(Vec<Candidate>, Vec<String>), StoreError> {
    let mut warnings = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut by_digest: HashMap<Digest, usize> = HashMap::new();
    let mut add = |candidate: Candidate, candidates: &mut Vec<Candidate>| {
        if let Some(&at) = by_digest.get(&candidate.listed.digest) {
            let existing: &mut Candidate = &mut candidates[at];
            for source in candidate.found_by {
                if !existing.found_by.contains(&source) {
                    existing.found_by.push(source);
                }
            }
            existing.by_name &= candidate.by_name;
        } else {
            by_digest.insert(candidate.listed.digest.clone(), candidates.len());
            candidates.push(candidate);
        }
    };

    let listed = if has_no_fallback_index(store, subject, context) {
        Referrers {
            descriptors: Vec::new(),
            source: ReferrersSource::FallbackTag,
            warnings: Vec::new(),
        }
    } else {
        store
            .referrers(repository, subject, context.artifact_type)
            .await?
    };
    warnings.extend(listed.warnings);
    for descriptor in listed.descriptors {
        let candidate = Candidate {
            listed: descriptor,
            found_by: vec![FoundBy::Referrers(listed.source)],
            type_hint: None,
            by_name: false,
        };
        add(candidate, &mut candidates);
    }
    for descriptor in fallback_beside_api(store, repository, subject, context, &mut warnings).await
    {
        let candidate = Candidate {
            listed: descriptor,
            found_by: vec![FoundBy::Referrers(ReferrersSource::FallbackTag)],
            type_hint: None,
            by_name: false,
        };
        add(candidate, &mut candidates);
    }
    if let Some(tags) = context.tags {
        for (tag, kind) in cosign_tags_for(subject, tags) {
            match store.resolve(repository, tag).await {
                Ok(descriptor) => add(
                    Candidate {
                        listed: descriptor,
                        found_by: vec![FoundBy::CosignTag(tag.to_owned())],
                        type_hint: Some(kind.artifact_type()),
                        by_name: true,
                    },
                    &mut candidates,
                ),
                Err(error) => warnings.push(format!("cosign tag {tag}: {error}")),
            }
        }
    }
    if let Some(index) = context.parent_index {
        for entry in buildkit_attestations_for(index, subject) {
            add(
                Candidate {
                    listed: entry.clone(),
                    found_by: vec![FoundBy::BuildKitAttestation],
                    type_hint: None,
                    by_name: true,
                },
                &mut candidates,
            );
        }
    }
    if candidates.len() > context.max_fan_out {
        warnings.push(format!(
            "{subject} has {} attachments; showing the first {}",
            candidates.len(),
            context.max_fan_out
        ));
        candidates.truncate(context.max_fan_out);
    }
    Ok((candidates, warnings))
}
