//! One `Node` per thing a person can select: what it is, its loads, what
//! was loaded. Nodes of long listings (tags) are created only when
//! touched, so 100 000 tags cost 100 000 ids, not 100 000 nodes.

use std::sync::Arc;

use ratatui::text::Line;

use super::children::Children;
use crate::graph::{Attachments, FoundBy};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::tui::failure::Failure;
use crate::tui::preview::{Preview, json};

/// How far a load has got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Idle,
    Loading,
    Done,
    Failed(Failure),
}

#[derive(Debug, Clone, Default)]
pub struct Slot {
    pub generation: u64,
    pub status: Status,
}

impl Slot {
    pub fn is_loading(&self) -> bool {
        self.status == Status::Loading
    }
    pub fn error(&self) -> Option<&Failure> {
        match &self.status {
            Status::Failed(failure) => Some(failure),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestRole {
    Tag(String),
    /// An entry of an index, with its platform.
    Platform,
    /// A manifest whose `subject` is the parent.
    Referrer,
    /// A BuildKit attestation stored inside an index.
    Attestation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobRole {
    Config,
    Layer(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Registry,
    Repository {
        name: String,
    },
    Manifest {
        repository: String,
        /// A tag or a digest, as the store is asked for it.
        reference: String,
        role: ManifestRole,
    },
    /// Referrers of one artifact type, as `oras discover` groups them.
    Group {
        artifact_type: String,
    },
    Blob {
        repository: String,
        role: BlobRole,
    },
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// Child ids in display order; changed only by `Tree`.
    pub(super) children: Children,
    pub listing: Slot,
    pub manifest_slot: Slot,
    pub referrers_slot: Slot,
    pub preview_slot: Slot,
    /// Known from the parent (platforms, referrers, blobs) or once loaded.
    pub descriptor: Option<Descriptor>,
    pub manifest: Option<Arc<Manifest>>,
    /// Its attachments, merged from every source by `graph`.
    pub referrers: Option<Attachments>,
    /// For an attachment: where it was found, and whether its manifest
    /// names its subject (copy and delete follow only verified ones).
    pub found_by: Vec<FoundBy>,
    pub verified: Option<bool>,
    pub warnings: Vec<String>,
    /// For an index: the manifests it lists that a delete removed since it
    /// was loaded; it points at nothing there.
    pub dangling: Vec<Digest>,
    /// The previewed bytes and what the detail pane shows of them.
    pub preview: Option<Arc<Preview>>,
    /// The manifest's JSON, pretty-printed and coloured once (by
    /// `set_manifest`), for the detail pane.
    pub manifest_lines: Option<Arc<[Line<'static>]>>,
    /// Open the children as they arrive (the referrer graph, expanded).
    pub auto_expand: bool,
    /// For a scan: its findings, read once the image's attachments were.
    pub vulns: Option<Arc<crate::tui::screens::vulns::ScanFacts>>,
}

impl Node {
    pub fn new(kind: NodeKind) -> Node {
        Node {
            kind,
            children: Children::default(),
            listing: Slot::default(),
            manifest_slot: Slot::default(),
            referrers_slot: Slot::default(),
            preview_slot: Slot::default(),
            descriptor: None,
            manifest: None,
            referrers: None,
            found_by: Vec::new(),
            verified: None,
            warnings: Vec::new(),
            dangling: Vec::new(),
            preview: None,
            manifest_lines: None,
            auto_expand: false,
            vulns: None,
        }
    }

    pub fn with_descriptor(kind: NodeKind, descriptor: Descriptor) -> Node {
        Node {
            descriptor: Some(descriptor),
            ..Node::new(kind)
        }
    }

    /// Keeps a manifest and lays out its JSON for the detail pane, once.
    pub fn set_manifest(&mut self, manifest: Arc<Manifest>) {
        self.manifest_lines = Some(json::highlight(&json::reindent(manifest.raw())).into());
        self.manifest = Some(manifest);
    }

    pub fn is_loading(&self) -> bool {
        [
            &self.listing,
            &self.manifest_slot,
            &self.referrers_slot,
            &self.preview_slot,
        ]
        .iter()
        .any(|slot| slot.is_loading())
    }

    /// The first error of this node's loads, shown on the node.
    pub fn error(&self) -> Option<&Failure> {
        self.listing
            .error()
            .or_else(|| self.manifest_slot.error())
            .or_else(|| self.referrers_slot.error())
    }

    /// The cosign tag that attaches it, when one does: such manifests never
    /// name their subject, yet copy and delete take them with the graph.
    pub fn cosign_tag(&self) -> Option<&str> {
        self.found_by.iter().find_map(|f| match f {
            FoundBy::CosignTag(tag) => Some(tag.as_str()),
            _ => None,
        })
    }

    /// Attached by a name or a place rather than by its `subject` field:
    /// a cosign tag, or an entry of the index (BuildKit).
    pub fn attached_by_name(&self) -> bool {
        self.found_by
            .iter()
            .any(|f| matches!(f, FoundBy::CosignTag(_) | FoundBy::BuildKitAttestation))
    }

    pub fn repository(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Repository { name } => Some(name),
            NodeKind::Manifest { repository, .. } | NodeKind::Blob { repository, .. } => {
                Some(repository)
            }
            NodeKind::Registry | NodeKind::Group { .. } => None,
        }
    }

    /// What the node is, for its label and colour.
    pub fn artifact_type(&self) -> Option<&str> {
        if let NodeKind::Group { artifact_type } = &self.kind {
            return Some(artifact_type);
        }
        // An attachment's type as the graph read it (cosign's manifests
        // carry a generic image config; their layer says what they are).
        if let Some(listed) = self
            .descriptor
            .as_ref()
            .and_then(|d| d.artifact_type.as_deref())
            && !self.found_by.is_empty()
        {
            return Some(listed);
        }
        if let Some(manifest) = &self.manifest {
            if manifest.is_index() {
                return Some(mt::OCI_INDEX);
            }
            return manifest.effective_artifact_type();
        }
        let descriptor = self.descriptor.as_ref()?;
        descriptor
            .artifact_type
            .as_deref()
            .or_else(|| mt::is_index(&descriptor.media_type).then_some(mt::OCI_INDEX))
    }

    /// What it holds: an attestation counts as its predicate (an SBOM,
    /// provenance, a signature bundle's signature).
    pub fn artifact_kind(&self) -> Option<ArtifactKind> {
        if let Some(predicate) = self.predicate_type() {
            return Some(mt::predicate_kind(&predicate));
        }
        self.artifact_type().map(mt::artifact_kind)
    }

    /// The in-toto predicate type its manifest announces, if any.
    pub fn predicate_type(&self) -> Option<String> {
        self.manifest
            .as_deref()
            .and_then(crate::graph::sources::predicate_type_of)
    }

    /// Whether it is an attestation (not a signature) wrapping a predicate.
    pub fn is_attestation(&self) -> bool {
        self.predicate_type()
            .is_some_and(|p| mt::predicate_kind(&p) != ArtifactKind::Signature)
    }

    /// Whether expanding may show something: listings and manifests until
    /// proven empty.
    pub fn may_have_children(&self) -> bool {
        match &self.kind {
            NodeKind::Registry | NodeKind::Repository { .. } => {
                self.listing.status != Status::Done || !self.children.is_empty()
            }
            NodeKind::Manifest { .. } => {
                let settled = self.manifest_slot.status == Status::Done
                    && matches!(self.referrers_slot.status, Status::Done | Status::Failed(_));
                !settled || !self.children.is_empty()
            }
            NodeKind::Group { .. } => true,
            NodeKind::Blob { .. } => false,
        }
    }

    /// Its child ids in display order.
    pub fn children(&self) -> &Children {
        &self.children
    }

    /// The digest it stands for, once known.
    pub fn digest(&self) -> Option<crate::oci::Digest> {
        self.descriptor
            .as_ref()
            .map(|d| d.digest.clone())
            .or_else(|| self.manifest.as_ref().map(|m| m.digest().clone()))
    }

    pub fn referrer_count(&self) -> Option<usize> {
        self.referrers.as_ref().map(|r| r.nodes.len())
    }
}
