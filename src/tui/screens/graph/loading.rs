//! Applying results: listing pages, manifests, referrers and previews land
//! on their node; a result of a superseded request is dropped; a manifest's
//! children (platforms, referrer groups, config, layers) are rebuilt from
//! what is known, keeping the state of children that already existed.

use super::Graph;
use crate::oci::Descriptor;
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::tui::failure::Failure;
use crate::tui::message::{Effect, JobKey, JobKind, Loaded, NodePath};
use crate::tui::preview::{PREVIEW_LIMIT, PreviewKind};
use crate::tui::screen::{Ask, Cx};
use crate::tui::tree::NodeId;
use crate::tui::tree::{ManifestRole, Node, NodeKind, Slot, Status};

/// The descriptor whose bytes the detail pane previews for a node.
pub(super) fn preview_descriptor(node: &Node) -> Option<Descriptor> {
    preview_request(node).map(|(descriptor, _)| descriptor)
}

/// The descriptor whose bytes the detail pane previews for a node, and how
/// they are to be read when they arrive.
pub(super) fn preview_request(node: &Node) -> Option<(Descriptor, PreviewKind)> {
    match &node.kind {
        NodeKind::Blob { .. } => node
            .descriptor
            .clone()
            .filter(|d| d.size <= PREVIEW_LIMIT)
            .map(|d| (d, PreviewKind::Blob)),
        NodeKind::Manifest { .. } => {
            let manifest = node.manifest.as_ref()?;
            let kind = match node.artifact_kind()? {
                ArtifactKind::Sbom => PreviewKind::Sbom,
                ArtifactKind::Signature
                | ArtifactKind::Attestation
                | ArtifactKind::Provenance
                | ArtifactKind::Scan => PreviewKind::Signature,
                _ => return None,
            };
            manifest
                .layers
                .iter()
                .find(|layer| layer.media_type != mt::OCI_EMPTY)
                .filter(|layer| layer.size <= PREVIEW_LIMIT)
                .cloned()
                .map(|d| (d, kind))
        }
        _ => None,
    }
}

fn is_tag(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::Manifest {
            role: ManifestRole::Tag(_),
            ..
        }
    )
}

fn slot_mut(node: &mut Node, kind: JobKind) -> &mut Slot {
    match kind {
        JobKind::Listing => &mut node.listing,
        JobKind::Manifest => &mut node.manifest_slot,
        JobKind::Referrers => &mut node.referrers_slot,
        JobKind::Preview => &mut node.preview_slot,
    }
}

impl Graph {
    /// Whether `job` is still the newest request of its node and kind.
    fn is_current(&mut self, job: &JobKey) -> bool {
        self.tree
            .node_mut(&job.node)
            .is_some_and(|node| slot_mut(node, job.kind).generation == job.generation)
    }

    pub(super) fn on_page(&mut self, job: &JobKey, names: Vec<String>) {
        if !self.is_current(job) {
            return;
        }
        let Some(node) = self.tree.node(&job.node) else {
            return;
        };
        let as_id = match node.kind {
            NodeKind::Registry => NodeId::Repository,
            _ => NodeId::Tag,
        };
        self.tree
            .add_listed(&job.node, names.into_iter().map(as_id).collect());
        self.keep_selection_visible();
    }

    pub(super) fn on_loaded(
        &mut self,
        job: &JobKey,
        result: Result<Loaded, Failure>,
        cx: &mut Cx<'_>,
    ) -> Vec<Effect> {
        if !self.is_current(job) {
            return Vec::new();
        }
        let path = &job.node;
        let is_open = self.tree.is_open(path);
        let is_selected = path == self.tree.selected();
        let Some(node) = self.tree.node_mut(path) else {
            return Vec::new();
        };
        let loaded = match result {
            Err(failure)
                if failure.is_not_found() && job.kind == JobKind::Manifest && is_tag(node) =>
            {
                // A tag that does not exist is no row: say so where the
                // user looks, and keep nothing that a reload would show.
                cx.complain(failure.to_string());
                self.forget(path);
                return self.selection_effects();
            }
            Ok(loaded) => loaded,
            Err(failure) => {
                // The node shows it; the log keeps it once. A refused
                // login is the session's problem, not this node's: the
                // status line says how to log in.
                tracing::warn!(node = ?path, kind = ?job.kind, "{failure}");
                let refused = failure.is_refused_login().then(|| failure.to_string());
                slot_mut(node, job.kind).status = Status::Failed(failure);
                if let Some(sentence) = refused {
                    cx.complain(sentence);
                }
                return Vec::new();
            }
        };
        slot_mut(node, job.kind).status = Status::Done;
        let mut effects = Vec::new();
        match loaded {
            Loaded::ListingDone => effects.extend(self.recheck_cosign_tags(path)),
            Loaded::Preview(preview) => node.preview = Some(preview),
            Loaded::Manifest(manifest) => {
                if node.descriptor.is_none() {
                    node.descriptor = Some(manifest.descriptor());
                }
                node.set_manifest(manifest);
                // A tag's digest is known only now.
                if node.referrers_slot.status == Status::Idle && is_open {
                    effects.extend(self.start_job(path, JobKind::Referrers));
                }
                effects.extend(self.rebuild_children(path));
                if is_selected {
                    effects.extend(self.selection_effects());
                }
            }
            Loaded::Referrers {
                attachments,
                support,
            } => {
                node.referrers = Some(attachments);
                cx.ask(Ask::Learned(support));
                effects.extend(self.rebuild_children(path));
                effects.extend(self.collect_vulns_when_ready(path));
            }
        }
        self.keep_selection_visible();
        effects
    }

    /// cosign keeps signatures in tags (`sha256-<hex>.sig`): once a
    /// repository's whole tag list is known, manifests whose attachments
    /// were read before it are read again if such tags exist.
    fn recheck_cosign_tags(&mut self, repository: &[NodeId]) -> Vec<Effect> {
        let Some(repo) = self.tree.node(repository) else {
            return Vec::new();
        };
        let has_cosign_tags = repo.children().iter().any(NodeId::is_cosign_tag);
        if !has_cosign_tags {
            return Vec::new();
        }
        let stale: Vec<NodePath> = self
            .tree
            .nodes()
            .filter(|(path, node)| {
                path.len() > repository.len()
                    && path.starts_with(repository)
                    && node.referrers_slot.status == Status::Done
            })
            .map(|(path, _)| path.clone())
            .collect();
        stale
            .into_iter()
            .filter_map(|path| self.start_job(&path, JobKind::Referrers))
            .collect()
    }

    /// Expands the whole graph below the selection.
    pub(super) fn expand_all_selected(&mut self, cx: &mut Cx<'_>) -> Vec<Effect> {
        let path = self.tree.selected().clone();
        let Some(node) = self.tree.node_mut(&path) else {
            return Vec::new();
        };
        if !matches!(node.kind, NodeKind::Manifest { .. }) {
            cx.say("expand all works on a manifest");
            return Vec::new();
        }
        node.auto_expand = true;
        let mut effects = self.open_node(&path);
        effects.extend(self.rebuild_children(&path));
        effects
    }

    /// Reloads the selected node (also the way to retry after an error).
    pub(super) fn refresh_selected(&mut self) -> Vec<Effect> {
        let mut path = self.tree.selected().clone();
        if let Some(NodeKind::Group { .. }) = self.tree.node(&path).map(|n| &n.kind) {
            path.pop();
        }
        let Some(node) = self.tree.node(&path) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        match node.kind {
            NodeKind::Registry | NodeKind::Repository { .. } => {
                self.tree.restart_listing(&path);
                effects.extend(self.start_job(&path, JobKind::Listing));
                self.tree.open(&path);
            }
            NodeKind::Manifest { .. } => {
                let has_digest = node.digest().is_some();
                effects.extend(self.start_job(&path, JobKind::Manifest));
                if has_digest {
                    effects.extend(self.start_job(&path, JobKind::Referrers));
                }
                self.tree.open(&path);
            }
            NodeKind::Blob { .. } => effects.extend(self.start_job(&path, JobKind::Preview)),
            NodeKind::Group { .. } => {}
        }
        self.keep_selection_visible();
        effects
    }
}
