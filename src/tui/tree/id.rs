//! Node ids: what one row of the tree stands for, typed. A path of ids from
//! the root names a node; ids are stable (names, digests), never indices,
//! so a reload keeps the selection.

use std::borrow::Cow;
use std::fmt;

use crate::oci::Digest;

/// One step of a node's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeId {
    /// The root: the registry or layout being browsed.
    Registry,
    Repository(String),
    Tag(String),
    /// An entry of an index. `nth` tells apart a digest an index lists
    /// twice (1 for the first).
    Platform {
        digest: Digest,
        nth: u16,
    },
    /// A BuildKit attestation stored inside an index.
    Attestation {
        digest: Digest,
        nth: u16,
    },
    /// A manifest whose `subject` is the grandparent (it sits in a group).
    Referrer {
        digest: Digest,
        nth: u16,
    },
    /// Referrers of one artifact type, as `oras discover` groups them.
    Group(String),
    Config(Digest),
    Layer {
        index: usize,
        digest: Digest,
    },
    /// The row that stands for a list's cut tail ("… N more").
    More,
}

/// A node's identity: the ids from the root down.
pub type NodePath = Vec<NodeId>;

impl NodeId {
    pub fn repository(name: impl Into<String>) -> NodeId {
        NodeId::Repository(name.into())
    }

    pub fn tag(name: impl Into<String>) -> NodeId {
        NodeId::Tag(name.into())
    }

    pub fn referrer(digest: Digest) -> NodeId {
        NodeId::Referrer { digest, nth: 1 }
    }

    pub fn group(artifact_type: impl Into<String>) -> NodeId {
        NodeId::Group(artifact_type.into())
    }

    /// The name a list shows and a filter matches: a repository's or
    /// tag's name, a digest, an artifact type.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            NodeId::Registry => Cow::Borrowed("registry"),
            NodeId::Repository(name) | NodeId::Tag(name) | NodeId::Group(name) => {
                Cow::Borrowed(name)
            }
            NodeId::Platform { digest, .. }
            | NodeId::Attestation { digest, .. }
            | NodeId::Referrer { digest, .. }
            | NodeId::Config(digest)
            | NodeId::Layer { digest, .. } => Cow::Owned(digest.to_string()),
            NodeId::More => Cow::Borrowed("…"),
        }
    }

    /// Whether it is a referrers fallback tag (`sha256-<hex>`), hidden from
    /// tag lists by default because it shows under its subject.
    pub fn is_digest_tag(&self) -> bool {
        matches!(self, NodeId::Tag(tag) if tag.starts_with("sha256-") || tag.starts_with("sha512-"))
    }

    /// Whether it is a digest a person went to (`repo@sha256:…`), listed
    /// beside the tags but not one of them (a tag never holds a colon).
    pub fn is_digest_reference(&self) -> bool {
        matches!(self, NodeId::Tag(tag) if tag.contains(':'))
    }

    /// For a fallback tag: whether it is one of cosign's
    /// (`sha256-<hex>.sig`, `.att`, `.sbom`).
    pub fn is_cosign_tag(&self) -> bool {
        self.is_digest_tag()
            && matches!(self, NodeId::Tag(tag) if crate::graph::CosignTag::of(tag).is_some())
    }

    /// The same id for the `nth` occurrence of its digest among siblings.
    #[must_use]
    pub fn nth(self, n: u16) -> NodeId {
        match self {
            NodeId::Platform { digest, .. } => NodeId::Platform { digest, nth: n },
            NodeId::Attestation { digest, .. } => NodeId::Attestation { digest, nth: n },
            NodeId::Referrer { digest, .. } => NodeId::Referrer { digest, nth: n },
            other => other,
        }
    }
}

/// For logs: the kind and the name, `tag v1`.
impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            NodeId::Registry => return f.write_str("registry"),
            NodeId::More => return f.write_str("more"),
            NodeId::Repository(_) => "repository",
            NodeId::Tag(_) => "tag",
            NodeId::Platform { .. } => "platform",
            NodeId::Attestation { .. } => "attestation",
            NodeId::Referrer { .. } => "referrer",
            NodeId::Group(_) => "group",
            NodeId::Config(_) => "config",
            NodeId::Layer { .. } => "layer",
        };
        write!(f, "{kind} {}", self.name())
    }
}
