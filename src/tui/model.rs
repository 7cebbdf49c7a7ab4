//! The tree's data: one `Node` per thing a person can select, keyed by its
//! path of stable ids. Nodes of long listings (tags) are created only when
//! touched, so 100 000 tags cost 100 000 strings, not 100 000 nodes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ratatui::text::Line;

use super::message::NodePath;
use super::preview::{Preview, json};
use crate::graph::{Attachments, FoundBy};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Manifest};

pub const ROOT_ID: &str = "registry";

/// How far a load has got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Idle,
    Loading,
    Done,
    Failed(String),
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
    pub fn error(&self) -> Option<&str> {
        match &self.status {
            Status::Failed(reason) => Some(reason),
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
    /// Child ids in display order.
    pub children: Children,
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
    /// The previewed bytes and what the detail pane shows of them.
    pub preview: Option<Arc<Preview>>,
    /// The manifest's JSON, pretty-printed and coloured once (by
    /// `set_manifest`), for the detail pane.
    pub manifest_lines: Option<Arc<[Line<'static>]>>,
    /// Open the children as they arrive (the referrer graph, expanded).
    pub auto_expand: bool,
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
            preview: None,
            manifest_lines: None,
            auto_expand: false,
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
        self.manifest_lines = Some(json::highlight(&manifest.pretty_json()).into());
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
    pub fn error(&self) -> Option<&str> {
        self.listing
            .error()
            .or_else(|| self.manifest_slot.error())
            .or_else(|| self.referrers_slot.error())
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

    pub fn referrer_count(&self) -> Option<usize> {
        self.referrers.as_ref().map(|r| r.nodes.len())
    }
}

/// Whether a tag is a referrers fallback tag (`sha256-<hex>`), hidden from
/// tag lists by default because it shows under its subject.
pub fn is_digest_tag(id: &str) -> bool {
    id.strip_prefix("t:")
        .is_some_and(|tag| tag.starts_with("sha256-") || tag.starts_with("sha512-"))
}

/// The id of a node path's last element, without its kind prefix.
pub fn display_id(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, rest)| rest)
}

pub fn path_of(ids: &[&str]) -> NodePath {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// A node's child ids in display order. Each name is lowercased once, when
/// it arrives, and the rows of the last filter are kept until the list or
/// the filter changes: a filter over 100 000 tags is one pass of
/// `contains` per keystroke, and a frame only reads the rows it shows.
#[derive(Default)]
pub struct Children {
    ids: Vec<String>,
    /// `display_id` of each id, lowercased.
    lower: Vec<Box<str>>,
    /// How many ids are fallback tags (`sha256-*`), kept as they come.
    digest_tags: usize,
    view: Mutex<Option<(ViewKey, Arc<ChildView>)>>,
    /// Names looked at by filter passes, and names lowercased, for tests
    /// that count the work a keystroke does.
    scanned: AtomicU64,
    lowercased: AtomicU64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ViewKey {
    filter: String,
    show_digest_tags: bool,
    limit: usize,
}

/// The children a list shows: indices of the first `limit` that pass, and
/// how many more pass.
#[derive(Debug)]
pub struct ChildView {
    pub shown: Vec<u32>,
    pub hidden: usize,
}

impl Children {
    /// The ids shown with `filter` (lowercased, may be empty) and the
    /// digest-tag setting: at most `limit`, and how many more there are.
    /// Computed once per list change and filter, then kept.
    pub fn view(&self, filter: &str, show_digest_tags: bool, limit: usize) -> Arc<ChildView> {
        let key = ViewKey {
            filter: filter.to_owned(),
            show_digest_tags,
            limit,
        };
        let mut kept = self
            .view
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((old, view)) = kept.as_ref()
            && *old == key
        {
            return Arc::clone(view);
        }
        let mut shown = Vec::new();
        let mut hidden = 0;
        for (i, (id, lower)) in self.ids.iter().zip(&self.lower).enumerate() {
            if !show_digest_tags && is_digest_tag(id) {
                continue;
            }
            if !filter.is_empty() && !lower.contains(filter) {
                continue;
            }
            match u32::try_from(i) {
                Ok(i) if shown.len() < limit => shown.push(i),
                _ => hidden += 1,
            }
        }
        self.scanned
            .fetch_add(self.ids.len() as u64, Ordering::Relaxed);
        let view = Arc::new(ChildView { shown, hidden });
        *kept = Some((key, Arc::clone(&view)));
        view
    }

    /// How many names filter passes have looked at, and how many names
    /// were lowercased, so far.
    pub fn work_done(&self) -> (u64, u64) {
        (
            self.scanned.load(Ordering::Relaxed),
            self.lowercased.load(Ordering::Relaxed),
        )
    }

    /// How many of the ids are fallback tags (`sha256-*`).
    pub fn digest_tags(&self) -> usize {
        self.digest_tags
    }

    fn changed(&mut self) {
        *self
            .view
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The lowercased name of an id about to be added, counted.
    fn arriving(&mut self, id: &str) -> Box<str> {
        self.digest_tags += usize::from(is_digest_tag(id));
        self.lowercased.fetch_add(1, Ordering::Relaxed);
        display_id(id).to_lowercase().into_boxed_str()
    }

    pub fn push(&mut self, id: String) {
        let lower = self.arriving(&id);
        self.lower.push(lower);
        self.ids.push(id);
        self.changed();
    }

    pub fn insert(&mut self, index: usize, id: String) {
        let lower = self.arriving(&id);
        self.lower.insert(index, lower);
        self.ids.insert(index, id);
        self.changed();
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.lower.clear();
        self.digest_tags = 0;
        self.changed();
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String) -> bool) {
        let mut lower = std::mem::take(&mut self.lower).into_iter();
        let mut kept_lower = Vec::with_capacity(self.ids.len());
        self.ids.retain(|id| {
            let l = lower.next();
            let keep = keep(id);
            if keep {
                kept_lower.extend(l);
            }
            keep
        });
        self.lower = kept_lower;
        self.digest_tags = self.ids.iter().filter(|id| is_digest_tag(id)).count();
        self.changed();
    }

    pub fn as_slice(&self) -> &[String] {
        &self.ids
    }
}

impl std::ops::Deref for Children {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.ids
    }
}

impl Extend<String> for Children {
    fn extend<I: IntoIterator<Item = String>>(&mut self, ids: I) {
        for id in ids {
            let lower = self.arriving(&id);
            self.lower.push(lower);
            self.ids.push(id);
        }
        self.changed();
    }
}

impl From<Vec<String>> for Children {
    fn from(ids: Vec<String>) -> Children {
        let mut children = Children::default();
        children.extend(ids);
        children
    }
}

impl Clone for Children {
    fn clone(&self) -> Children {
        Children {
            ids: self.ids.clone(),
            lower: self.lower.clone(),
            digest_tags: self.digest_tags,
            ..Children::default()
        }
    }
}

impl std::fmt::Debug for Children {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.ids.fmt(f)
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Children {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.ids
            .iter()
            .map(String::as_str)
            .eq(other.iter().copied())
    }
}

impl PartialEq<Vec<String>> for Children {
    fn eq(&self, other: &Vec<String>) -> bool {
        self.ids == *other
    }
}
