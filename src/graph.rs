//! The graph of manifests and what refers to them.
//!
//! A subject's attachments come from every place the wild keeps them, merged
//! and deduplicated by digest, each labelled with where it was found:
//!
//! - the store's referrers (referrers API, fallback tag, subject scan);
//! - cosign's tags `sha256-<hex>.sig|.att|.sbom` in the same repository;
//! - BuildKit attestations inside an image index (entries annotated
//!   `vnd.docker.reference.type: attestation-manifest`).
//!
//! Labels and annotations are read from the fetched manifest, never from the
//! listing (some registries report the config type and drop annotations), and
//! a listed referrer whose manifest does not name the subject is marked
//! unverified so that copy and delete leave it alone.
//!
//! `node` answers for one digest (the TUI calls it lazily per node);
//! `discover` walks the whole tree level by level for the CLI, into a
//! `tree`.

pub mod discover;
pub mod node;
pub mod sources;
pub mod tree;
pub mod unfetched;

use std::fmt;

use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Digest, Manifest};

pub use discover::{DiscoverOptions, discover};
pub use node::{Attachments, NodeContext, node_referrers};
pub use sources::CosignTag;
pub use tree::{
    PlatformNode, ReferrerTree, check_single_platform, choose_platform, select_platform,
};
pub use unfetched::Unfetched;

/// A sane default for how many attachments one node may have before the
/// rest are dropped with a warning (a hostile registry can list millions).
pub const DEFAULT_MAX_FAN_OUT: usize = 1000;

/// How many nodes of one level are worked on at the same time: a whole
/// level at once, within what the store's adaptive limit lets through.
pub const DEFAULT_CONCURRENCY: usize = 64;

/// Where an attachment was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FoundBy {
    /// Listed by the store (API, fallback tag or subject scan).
    Referrers(crate::store::ReferrersSource),
    /// A cosign-style tag in the same repository; holds the tag.
    CosignTag(String),
    /// A BuildKit attestation manifest inside the subject's image index.
    BuildKitAttestation,
}

impl fmt::Display for FoundBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FoundBy::Referrers(source) => f.write_str(source.label()),
            FoundBy::CosignTag(tag) => write!(f, "cosign tag {tag}"),
            FoundBy::BuildKitAttestation => f.write_str("BuildKit attestation"),
        }
    }
}

/// One attachment of a subject, and (once discovered) its own attachments.
#[derive(Debug, Clone)]
pub struct GraphNode {
    /// Media type, digest and size of the attachment's manifest, with the
    /// artifact type and annotations taken from the fetched manifest.
    pub descriptor: Descriptor,
    /// `artifactType`, else the config's media type, else (cosign) the
    /// first layer's; `None` when nothing says.
    pub artifact_type: Option<String>,
    /// The digest this node is attached to.
    pub subject: Digest,
    /// Every source that listed it (deduplicated).
    pub found_by: Vec<FoundBy>,
    /// For an attestation: the in-toto predicate type its manifest or
    /// layers announce (cosign, Sigstore bundles and BuildKit write it
    /// down), so that what it holds is known without fetching it.
    pub predicate_type: Option<String>,
    /// The fetched manifest names `subject` in its `subject` field. Copy and
    /// delete only follow such nodes. This is not a signature check: people
    /// are shown "names subject" / "unlinked", never "verified" (only
    /// `audit::verify` checks signatures).
    pub verified: bool,
    /// The fetched manifest, when it could be fetched.
    pub manifest: Option<Manifest>,
    /// Why it could not be fetched (`manifest` is then `None`).
    pub unfetched: Option<Unfetched>,
    /// Its own attachments; empty until discovered.
    pub children: Vec<GraphNode>,
    /// The depth limit stopped discovery here (there may be more below).
    pub depth_limited: bool,
    pub warnings: Vec<String>,
}

impl GraphNode {
    pub fn digest(&self) -> &Digest {
        &self.descriptor.digest
    }

    /// The artifact type as `oras discover -o tree` prints it.
    pub fn type_label(&self) -> &str {
        self.artifact_type.as_deref().unwrap_or("<unknown>")
    }

    /// What it holds: an attestation counts as what its predicate is (an
    /// SBOM, provenance, a signature), a Sigstore bundle without a
    /// predicate is a signature.
    pub fn kind(&self) -> ArtifactKind {
        let by_type = self
            .artifact_type
            .as_deref()
            .map_or(ArtifactKind::Other, mt::artifact_kind);
        match &self.predicate_type {
            Some(predicate) => mt::predicate_kind(predicate),
            None => by_type,
        }
    }

    /// Whether it wraps an in-toto statement (DSSE, bundle, BuildKit).
    pub fn is_attestation(&self) -> bool {
        self.predicate_type
            .as_deref()
            .is_some_and(|p| !p.starts_with(mt::PREDICATE_COSIGN_SIGN))
    }

    /// Whether it belongs to its subject: its manifest names the subject, or
    /// a scheme that attaches by name or position put it there (cosign's
    /// tags, BuildKit's index entries). Copy and delete follow these.
    pub fn is_attached(&self) -> bool {
        self.verified
            || self
                .found_by
                .iter()
                .any(|f| matches!(f, FoundBy::CosignTag(_) | FoundBy::BuildKitAttestation))
    }

    /// The cosign tags that name it (`sha256-<hex>.sig` …).
    pub fn cosign_tags(&self) -> impl Iterator<Item = &str> {
        self.found_by.iter().filter_map(|f| match f {
            FoundBy::CosignTag(tag) => Some(tag.as_str()),
            _ => None,
        })
    }

    /// Whether one of cosign's tags of this kind names it.
    pub fn has_cosign_tag(&self, kind: CosignTag) -> bool {
        self.cosign_tags()
            .any(|tag| CosignTag::of(tag) == Some(kind))
    }

    /// A label that tells signature bundles from attestation bundles and
    /// says what an attestation holds: "CycloneDX SBOM attestation (Sigstore
    /// bundle)", "signature (Sigstore bundle)".
    pub fn describe(&self) -> String {
        let carrier = self.artifact_type.as_deref().map_or_else(
            || "<unknown>".to_owned(),
            |t| mt::friendly_name(t).map_or_else(|| t.to_owned(), str::to_owned),
        );
        match &self.predicate_type {
            Some(predicate) if self.is_attestation() => {
                format!("{} attestation ({carrier})", mt::predicate_name(predicate))
            }
            Some(_) => format!("signature ({carrier})"),
            None => carrier,
        }
    }

    /// The `org.opencontainers.image.created` annotation, for "newest".
    pub fn created(&self) -> Option<&str> {
        self.descriptor
            .annotation(crate::oci::media_type::ANNOTATION_CREATED)
    }

    /// This node and everything under it, parents before children.
    pub fn walk(&self) -> Vec<&GraphNode> {
        let mut out = vec![self];
        let mut next = 0;
        while next < out.len() {
            let node = out[next];
            out.extend(node.children.iter());
            next += 1;
        }
        out
    }

    /// How many nodes this subtree holds, itself included.
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(GraphNode::count).sum::<usize>()
    }
}
