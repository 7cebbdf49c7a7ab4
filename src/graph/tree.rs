//! The answer of a discovery: a subject and the tree of what refers to it,
//! and picking one platform out of an index.

use super::GraphNode;
use super::sources::platform_entries;
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::store::StoreError;

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
    /// When a platform was asked for: the index it was picked from.
    pub within_index: Option<Descriptor>,
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

/// The platform manifest of `index` that `wanted` names (BuildKit's
/// attestation entries never match); the error lists what there is.
pub fn select_platform<'a>(
    index: &'a Manifest,
    wanted: &PlatformSpec,
) -> Result<&'a Descriptor, StoreError> {
    let mut entries = platform_entries(index);
    if let Some(found) = platform_entries(index)
        .find(|entry| entry.platform.as_ref().is_some_and(|p| wanted.matches(p)))
    {
        return Ok(found);
    }
    let available: Vec<String> = entries
        .by_ref()
        .filter_map(|entry| entry.platform.as_ref())
        .map(|p| PlatformSpec::of(p).to_string())
        .collect();
    Err(StoreError::NotFound {
        what: format!(
            "platform {wanted} in index {} (it has {})",
            index.digest(),
            if available.is_empty() {
                "no platforms".to_owned()
            } else {
                available.join(", ")
            }
        ),
    })
}

/// Which platform of `index` to look at: the one `wanted` names, else this
/// machine's, else the only one there is. The one answer to "which
/// platform" for `files`, `cat`, a pull's SBOM fallback and the TUI; the
/// error lists what there is.
pub fn choose_platform<'a>(
    index: &'a Manifest,
    wanted: Option<&PlatformSpec>,
) -> Result<&'a Descriptor, StoreError> {
    if let Some(wanted) = wanted {
        return select_platform(index, wanted);
    }
    let host = PlatformSpec::host();
    match select_platform(index, &host) {
        Ok(found) => Ok(found),
        Err(error) => {
            let mut entries = platform_entries(index);
            match (entries.next(), entries.next()) {
                (Some(only), None) => Ok(only),
                _ => Err(error),
            }
        }
    }
}
