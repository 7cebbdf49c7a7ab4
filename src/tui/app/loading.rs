//! Applying results: listing pages, manifests, referrers and previews land
//! on their node; a result of a superseded request is dropped; a manifest's
//! children (platforms, referrer groups, config, layers) are rebuilt from
//! what is known, keeping the state of children that already existed.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::App;
use crate::graph::GraphNode;
use crate::oci::Descriptor;
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::tui::message::{Effect, JobKey, JobKind, Loaded, NodePath};
use crate::tui::model::{BlobRole, ManifestRole, Node, NodeKind, Slot, Status};

/// How deep "expand all" follows referrers of referrers: a hostile
/// registry's graph can be cyclic or endless.
const MAX_AUTO_DEPTH: usize = 12;

/// The descriptor whose bytes the detail pane previews for a node.
pub fn preview_descriptor(node: &Node) -> Option<Descriptor> {
    match &node.kind {
        NodeKind::Blob { .. } => node
            .descriptor
            .clone()
            .filter(|d| d.size <= crate::tui::runner::PREVIEW_LIMIT),
        NodeKind::Manifest { .. } => {
            let manifest = node.manifest.as_ref()?;
            let kind = mt::artifact_kind(manifest.effective_artifact_type()?);
            if !matches!(
                kind,
                ArtifactKind::Sbom | ArtifactKind::Signature | ArtifactKind::Attestation
            ) {
                return None;
            }
            manifest
                .layers
                .iter()
                .find(|layer| layer.media_type != mt::OCI_EMPTY)
                .filter(|layer| layer.size <= crate::tui::runner::PREVIEW_LIMIT)
                .cloned()
        }
        _ => None,
    }
}

fn slot_mut(node: &mut Node, kind: JobKind) -> &mut Slot {
    match kind {
        JobKind::Listing => &mut node.listing,
        JobKind::Manifest => &mut node.manifest_slot,
        JobKind::Referrers => &mut node.referrers_slot,
        JobKind::Preview => &mut node.preview_slot,
    }
}

impl App {
    /// Whether `job` is still the newest request of its node and kind.
    fn is_current(&mut self, job: &JobKey) -> bool {
        self.nodes
            .get_mut(&job.node)
            .is_some_and(|node| slot_mut(node, job.kind).generation == job.generation)
    }

    pub(super) fn on_page(&mut self, job: &JobKey, names: Vec<String>) {
        if !self.is_current(job) {
            return;
        }
        let pinned = self.pinned.get(&job.node).cloned();
        let Some(node) = self.nodes.get_mut(&job.node) else {
            return;
        };
        let prefix = match node.kind {
            NodeKind::Registry => "r:",
            _ => "t:",
        };
        node.children.extend(
            names
                .into_iter()
                .map(|name| format!("{prefix}{name}"))
                .filter(|id| Some(id) != pinned.as_ref()),
        );
        self.keep_selection_visible();
    }

    pub(super) fn on_loaded(
        &mut self,
        job: &JobKey,
        result: Result<Loaded, String>,
    ) -> Vec<Effect> {
        if !self.is_current(job) {
            return Vec::new();
        }
        let path = &job.node;
        let Some(node) = self.nodes.get_mut(path) else {
            return Vec::new();
        };
        let loaded = match result {
            Ok(loaded) => loaded,
            Err(reason) => {
                // The node shows it; the log keeps it once.
                tracing::warn!(node = ?path, kind = ?job.kind, "{reason}");
                slot_mut(node, job.kind).status = Status::Failed(reason);
                return Vec::new();
            }
        };
        slot_mut(node, job.kind).status = Status::Done;
        let mut effects = Vec::new();
        match loaded {
            Loaded::ListingDone => {}
            Loaded::Preview(bytes) => node.preview = Some(bytes),
            Loaded::Manifest(manifest) => {
                if node.descriptor.is_none() {
                    node.descriptor = Some(manifest.descriptor());
                }
                node.manifest = Some(manifest);
                // A tag's digest is known only now.
                if node.referrers_slot.status == Status::Idle && self.opened.contains(path) {
                    effects.extend(self.start_job(path, JobKind::Referrers));
                }
                effects.extend(self.rebuild_children(path));
                if *path == self.selected {
                    effects.extend(self.selection_effects());
                }
            }
            Loaded::Referrers {
                attachments,
                support,
            } => {
                node.referrers = Some(attachments);
                self.session.referrers_support = support;
                effects.extend(self.rebuild_children(path));
            }
        }
        self.keep_selection_visible();
        effects
    }

    /// Rebuilds a manifest node's children from its manifest and
    /// referrers, then starts the referrer counts of new children (one
    /// round of parallel requests per level) and, when the node is being
    /// expanded whole, opens them.
    fn rebuild_children(&mut self, path: &NodePath) -> Vec<Effect> {
        let Some(node) = self.nodes.get(path) else {
            return Vec::new();
        };
        let Some(repository) = node.repository().map(str::to_owned) else {
            return Vec::new();
        };
        let auto_expand = node.auto_expand && path.len() < MAX_AUTO_DEPTH * 2;
        let mut children: Vec<(String, Node)> = Vec::new();
        let mut groups: Vec<(String, Vec<(String, Node)>)> = Vec::new();
        if let Some(manifest) = &node.manifest {
            for descriptor in &manifest.manifests {
                let attestation = descriptor.annotation(mt::ANNOTATION_DOCKER_REFERENCE_TYPE)
                    == Some(mt::DOCKER_ATTESTATION_MANIFEST);
                let (prefix, role) = if attestation {
                    ("a", ManifestRole::Attestation)
                } else {
                    ("p", ManifestRole::Platform)
                };
                let id = unique_id(&children, format!("{prefix}:{}", descriptor.digest));
                let kind = NodeKind::Manifest {
                    repository: repository.clone(),
                    reference: descriptor.digest.to_string(),
                    role,
                };
                children.push((id, Node::with_descriptor(kind, descriptor.clone())));
            }
        }
        if let Some(attachments) = &node.referrers {
            let mut by_type: BTreeMap<&str, Vec<&GraphNode>> = BTreeMap::new();
            for attachment in &attachments.nodes {
                by_type
                    .entry(attachment.type_label())
                    .or_default()
                    .push(attachment);
            }
            for (artifact_type, attachments) in by_type {
                let mut members = Vec::new();
                for attachment in attachments {
                    let id = unique_id(&members, format!("m:{}", attachment.digest()));
                    members.push((id, attachment_node(&repository, attachment)));
                }
                let id = format!("g:{artifact_type}");
                let kind = NodeKind::Group {
                    artifact_type: artifact_type.to_owned(),
                };
                children.push((id.clone(), Node::new(kind)));
                groups.push((id, members));
            }
        }
        if let Some(manifest) = &node.manifest {
            if let Some(config) = &manifest.config {
                let kind = NodeKind::Blob {
                    repository: repository.clone(),
                    role: BlobRole::Config,
                };
                children.push((
                    format!("c:{}", config.digest),
                    Node::with_descriptor(kind, config.clone()),
                ));
            }
            for (index, layer) in manifest.layers.iter().enumerate() {
                let kind = NodeKind::Blob {
                    repository: repository.clone(),
                    role: BlobRole::Layer(index),
                };
                children.push((
                    format!("l:{index}:{}", layer.digest),
                    Node::with_descriptor(kind, layer.clone()),
                ));
            }
        }
        let ids: Vec<String> = children.iter().map(|(id, _)| id.clone()).collect();
        let mut manifests_to_count = Vec::new();
        for (id, child) in children {
            let child_path = child_path(path, &id);
            if matches!(child.kind, NodeKind::Manifest { .. }) {
                manifests_to_count.push(child_path.clone());
            }
            self.nodes.entry(child_path).or_insert(child);
        }
        for (group_id, members) in groups {
            let group_path = child_path(path, &group_id);
            let member_ids = members.iter().map(|(id, _)| id.clone()).collect();
            if let Some(group) = self.nodes.get_mut(&group_path) {
                group.children = member_ids;
            }
            if auto_expand {
                self.opened.insert(group_path.clone());
            }
            for (id, member) in members {
                let member_path = child_path(&group_path, &id);
                manifests_to_count.push(member_path.clone());
                let fresh = !self.nodes.contains_key(&member_path);
                let slot = self.nodes.entry(member_path.clone()).or_insert(member);
                if fresh && slot.manifest.is_some() {
                    // The graph fetched its manifest: show config and layers.
                    let _ = self.rebuild_children(&member_path);
                }
            }
        }
        if let Some(node) = self.nodes.get_mut(path) {
            node.children = ids;
        }
        let mut effects = Vec::new();
        for child in manifests_to_count {
            if auto_expand && !self.digest_among_ancestors(&child) {
                if let Some(node) = self.nodes.get_mut(&child) {
                    node.auto_expand = true;
                }
                effects.extend(self.open_node(&child));
            } else {
                effects.extend(self.start_if_idle(&child, JobKind::Referrers));
            }
        }
        effects
    }

    /// Whether a node's digest already appears above it (a cycle).
    fn digest_among_ancestors(&self, path: &[String]) -> bool {
        let Some(digest) = self.nodes.get(path).and_then(super::node_digest) else {
            return false;
        };
        (1..path.len()).any(|len| {
            self.nodes
                .get(&path[..len])
                .and_then(super::node_digest)
                .is_some_and(|d| d == digest)
        })
    }

    /// Expands the whole graph below the selection.
    pub(super) fn expand_all_selected(&mut self) -> Vec<Effect> {
        let path = self.selected.clone();
        let Some(node) = self.nodes.get_mut(&path) else {
            return Vec::new();
        };
        if !matches!(node.kind, NodeKind::Manifest { .. }) {
            self.say("expand all works on a manifest");
            return Vec::new();
        }
        node.auto_expand = true;
        let mut effects = self.open_node(&path);
        effects.extend(self.rebuild_children(&path));
        effects
    }

    /// Reloads the selected node (also the way to retry after an error).
    pub(super) fn refresh_selected(&mut self) -> Vec<Effect> {
        let mut path = self.selected.clone();
        if let Some(NodeKind::Group { .. }) = self.nodes.get(&path).map(|n| &n.kind) {
            path.pop();
        }
        let Some(node) = self.nodes.get_mut(&path) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        match node.kind {
            NodeKind::Registry | NodeKind::Repository { .. } => {
                node.children.clear();
                node.children.extend(self.pinned.get(&path).cloned());
                effects.extend(self.start_job(&path, JobKind::Listing));
                self.opened.insert(path.clone());
            }
            NodeKind::Manifest { .. } => {
                let has_digest = super::node_digest(node).is_some();
                effects.extend(self.start_job(&path, JobKind::Manifest));
                if has_digest {
                    effects.extend(self.start_job(&path, JobKind::Referrers));
                }
                self.opened.insert(path.clone());
            }
            NodeKind::Blob { .. } => effects.extend(self.start_job(&path, JobKind::Preview)),
            NodeKind::Group { .. } => {}
        }
        self.keep_selection_visible();
        effects
    }
}

/// A referrer node from what `graph` found: its manifest already fetched
/// and verified against the subject.
fn attachment_node(repository: &str, attachment: &GraphNode) -> Node {
    let kind = NodeKind::Manifest {
        repository: repository.to_owned(),
        reference: attachment.digest().to_string(),
        role: ManifestRole::Referrer,
    };
    let mut node = Node::with_descriptor(kind, attachment.descriptor.clone());
    node.found_by.clone_from(&attachment.found_by);
    node.verified = Some(attachment.verified);
    node.warnings.clone_from(&attachment.warnings);
    if let Some(manifest) = &attachment.manifest {
        node.manifest = Some(Arc::new(manifest.clone()));
        node.manifest_slot.status = Status::Done;
    }
    node
}

fn child_path(parent: &[String], id: &str) -> NodePath {
    let mut path = parent.to_vec();
    path.push(id.to_owned());
    path
}

/// Sibling ids must be unique: a repeated digest gets a `#n` suffix.
fn unique_id(siblings: &[(String, Node)], id: String) -> String {
    if !siblings.iter().any(|(s, _)| *s == id) {
        return id;
    }
    (2..)
        .map(|n| format!("{id}#{n}"))
        .find(|candidate| !siblings.iter().any(|(s, _)| s == candidate))
        .unwrap_or(id)
}
