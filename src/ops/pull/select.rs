//! Choosing what `pull --sbom` and `pull --artifact-type` write, from the
//! one answer the graph gives (referrers, fallback tag, cosign's tags,
//! BuildKit's attestations, an index's platforms): what a candidate is,
//! where it is looked for, and the referrers of one type. Which SBOM comes
//! first is `sbom`'s.
//!
//! An index with none of its own takes the platform asked for, or the
//! host's.

use std::cmp::Reverse;

use super::sbom::SbomRank;
use crate::document::SbomFormat;
use crate::graph::{GraphNode, PlatformNode, ReferrerTree};
use crate::oci::{Descriptor, Manifest, PlatformSpec};

/// One layer of a chosen manifest and how it is written.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub descriptor: Descriptor,
    /// The file name; `None` takes the title, else the digest's hex.
    pub name: Option<String>,
    /// Write the in-toto predicate inside, not the layer itself.
    pub unwrap_predicate: bool,
    /// The blob's bytes when choosing already read them whole (and the
    /// store verified them): written from here, not downloaded again.
    pub content: Option<bytes::Bytes>,
}

/// A manifest chosen to pull, and why.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub manifest: Manifest,
    /// What the graph calls it ("Sigstore bundle · attestation: CycloneDX SBOM").
    pub label: String,
    /// Where it was found: "referrers API", "cosign tag sha256-….sbom", …
    pub found_by: String,
    /// The platform it belongs to, when the subject is an index.
    pub platform: Option<PlatformSpec>,
    pub rank: Option<SbomRank>,
    pub format: Option<SbomFormat>,
    pub layers: Vec<Wanted>,
    /// `org.opencontainers.image.created`: newest first within a rank.
    pub(super) created: Option<String>,
}

impl Wanted {
    /// A blob written as it is, under its title (else its digest's hex).
    pub fn as_stored(descriptor: &Descriptor) -> Wanted {
        Wanted {
            descriptor: descriptor.clone(),
            name: None,
            unwrap_predicate: false,
            content: None,
        }
    }
}

/// Every layer of `manifest`, each written as it is.
fn every_layer(manifest: &Manifest) -> Vec<Wanted> {
    manifest.layers.iter().map(Wanted::as_stored).collect()
}

impl Candidate {
    /// A manifest pulled for itself: every layer by title.
    pub fn whole(manifest: Manifest) -> Candidate {
        let layers = every_layer(&manifest);
        // An image's "type" is its config's media type: say "image".
        let label = match manifest.effective_artifact_type() {
            Some(crate::oci::media_type::OCI_CONFIG | crate::oci::media_type::DOCKER_CONFIG) => {
                "image"
            }
            Some(artifact_type) => artifact_type,
            None => "manifest",
        };
        Candidate {
            label: label.to_owned(),
            found_by: "the reference".to_owned(),
            platform: None,
            rank: None,
            format: None,
            layers,
            created: None,
            manifest,
        }
    }
}

/// Which attachments of the subject a pull looks in: the subject's own, or
/// a platform's of an index.
pub struct Scope<'a> {
    pub platform: Option<PlatformSpec>,
    pub nodes: &'a [GraphNode],
}

impl<'a> Scope<'a> {
    pub fn own(tree: &'a ReferrerTree) -> Scope<'a> {
        Scope {
            platform: None,
            nodes: &tree.referrers,
        }
    }

    pub fn platform(node: &'a PlatformNode) -> Scope<'a> {
        Scope {
            platform: node.descriptor.platform.as_ref().map(PlatformSpec::of),
            nodes: &node.referrers,
        }
    }
}

/// The platform of `tree` that `wanted` names, if it has attachments and
/// is there: what is still attached to a deleted platform's digest
/// describes an image no one can pull.
pub fn platform_scope<'a>(tree: &'a ReferrerTree, wanted: &PlatformSpec) -> Option<Scope<'a>> {
    tree.platforms
        .iter()
        .filter(|p| p.unfetched.is_none())
        .find(|p| {
            p.descriptor
                .platform
                .as_ref()
                .is_some_and(|p| wanted.matches(p))
        })
        .map(Scope::platform)
}

/// The attached referrers of `artifact_type` in scope, newest first.
pub fn referrers_of_type(scope: &Scope<'_>, artifact_type: &str) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = scope
        .nodes
        .iter()
        .filter(|node| node.is_attached() && node.artifact_type.as_deref() == Some(artifact_type))
        .filter_map(|node| {
            let manifest = node.manifest.clone()?;
            let layers = every_layer(&manifest);
            Some(candidate(node, manifest, scope, None, None, layers))
        })
        .collect();
    found.sort_by_key(|c| Reverse(c.created.clone()));
    found
}

pub(super) fn candidate(
    node: &GraphNode,
    manifest: Manifest,
    scope: &Scope<'_>,
    rank: Option<SbomRank>,
    format: Option<SbomFormat>,
    layers: Vec<Wanted>,
) -> Candidate {
    Candidate {
        label: node.describe(),
        found_by: node
            .found_by
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        platform: scope.platform.clone(),
        created: node.created().map(str::to_owned),
        manifest,
        rank,
        format,
        layers,
    }
}
