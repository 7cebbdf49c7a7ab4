//! The answer of a discovery: a subject and the tree of what refers to it,
//! and picking one platform out of an index.

use super::GraphNode;
use super::sources::platform_entries;
use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Manifest, Platform, PlatformSpec};
use crate::store::{Store, StoreError};

/// An image config bigger than this is not read to learn its platform.
const CONFIG_LIMIT: u64 = 1024 * 1024;

/// A platform manifest of the subject index and its attachments.
#[derive(Debug, Clone)]
pub struct PlatformNode {
    pub descriptor: Descriptor,
    pub referrers: Vec<GraphNode>,
    /// Why its manifest could not be fetched: the index points at nothing
    /// there (a platform deleted behind the index's back).
    pub unfetched: Option<super::Unfetched>,
}

#[derive(Debug, Clone)]
pub struct ReferrerTree {
    pub repository: String,
    /// The subject's descriptor as resolved.
    pub subject: Descriptor,
    pub manifest: Manifest,
    pub referrers: Vec<GraphNode>,
    /// For an index: its platform manifests that have attachments or could
    /// not be fetched.
    pub platforms: Vec<PlatformNode>,
    /// When a platform was asked for: the index it was picked from.
    pub within_index: Option<Descriptor>,
    pub warnings: Vec<String>,
}

impl ReferrerTree {
    /// Every manifest of the tree that could not be fetched: platforms
    /// first, then attachments, each with its digest.
    pub fn unfetched(&self) -> Vec<(&crate::oci::Digest, &super::Unfetched)> {
        let platforms = self
            .platforms
            .iter()
            .filter_map(|p| p.unfetched.as_ref().map(|u| (&p.descriptor.digest, u)));
        let nodes = self
            .all_nodes()
            .into_iter()
            .filter_map(|n| n.unfetched.as_ref().map(|u| (n.digest(), u)));
        platforms.chain(nodes).collect()
    }

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

/// `--platform` asked of a manifest that is not an index: it matches when
/// the image's config names that platform. Anything else matches nothing,
/// which is an error: silently using what is there pulled, copied and
/// audited another platform than the one asked for.
pub async fn check_single_platform(
    store: &dyn Store,
    repository: &str,
    manifest: &Manifest,
    wanted: &PlatformSpec,
) -> Result<(), StoreError> {
    let config = manifest
        .config
        .as_ref()
        .filter(|c| matches!(c.media_type.as_str(), mt::OCI_CONFIG | mt::DOCKER_CONFIG));
    let found = match config {
        Some(config) => {
            let bytes = store
                .fetch_blob_bytes(repository, config, CONFIG_LIMIT)
                .await?;
            serde_json::from_slice::<Platform>(&bytes)
                .ok()
                .filter(|p| !p.os.is_empty() && !p.architecture.is_empty())
        }
        None => None,
    };
    match found {
        Some(platform) if wanted.matches(&platform) => Ok(()),
        Some(platform) => Err(StoreError::Invalid(format!(
            "--platform {wanted} matches nothing: {} is a single image for {}, not an index",
            manifest.digest(),
            PlatformSpec::of(&platform)
        ))),
        None => Err(StoreError::Invalid(format!(
            "--platform {wanted} matches nothing: {} is neither an index nor an image that \
             names its platform",
            manifest.digest()
        ))),
    }
}
