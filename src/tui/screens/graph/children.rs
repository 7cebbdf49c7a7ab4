//! A manifest's children, rebuilt from what is known of it: platform
//! manifests of an index, referrers grouped by artifact type (as `oras
//! discover` draws them), then config and layers. Children that already
//! exist keep their state.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Graph;
use crate::graph::GraphNode;
use crate::oci::media_type as mt;
use crate::tui::message::{Effect, JobKind, NodePath};
use crate::tui::tree::NodeId;
use crate::tui::tree::{BlobRole, ManifestRole, Node, NodeKind, Status};

/// How deep "expand all" follows referrers of referrers: a hostile
/// registry's graph can be cyclic or endless.
const MAX_AUTO_DEPTH: usize = 12;

impl Graph {
    /// Rebuilds a manifest node's children from its manifest and
    /// referrers, then starts the referrer counts of new children (one
    /// round of parallel requests per level) and, when the node is being
    /// expanded whole, opens them.
    pub(super) fn rebuild_children(&mut self, path: &NodePath) -> Vec<Effect> {
        let Some(node) = self.tree.node(path) else {
            return Vec::new();
        };
        let Some(repository) = node.repository().map(str::to_owned) else {
            return Vec::new();
        };
        let auto_expand = node.auto_expand && path.len() < MAX_AUTO_DEPTH * 2;
        let (children, groups) = known_children(node, &repository);
        let ids: Vec<NodeId> = children.iter().map(|(id, _)| id.clone()).collect();
        let mut manifests_to_count = Vec::new();
        for (id, child) in children {
            let child_path = child_path(path, &id);
            if matches!(child.kind, NodeKind::Manifest { .. }) {
                manifests_to_count.push(child_path.clone());
            }
            self.tree.insert_missing(child_path, child);
        }
        for (group_id, members) in groups {
            let group_path = child_path(path, &group_id);
            let member_ids: Vec<NodeId> = members.iter().map(|(id, _)| id.clone()).collect();
            self.tree.set_children(&group_path, member_ids);
            if auto_expand {
                self.tree.open(&group_path);
            }
            for (id, member) in members {
                let member_path = child_path(&group_path, &id);
                manifests_to_count.push(member_path.clone());
                let fetched = member.manifest.is_some();
                if self.tree.insert_missing(member_path.clone(), member) && fetched {
                    // The graph fetched its manifest: show config and layers.
                    let _ = self.rebuild_children(&member_path);
                }
            }
        }
        self.tree.set_children(path, ids);
        let mut effects = Vec::new();
        for child in manifests_to_count {
            if auto_expand && !self.tree.digest_among_ancestors(&child) {
                let known = self.tree.node_mut(&child).is_some_and(|node| {
                    node.auto_expand = true;
                    node.manifest.is_some() || node.referrers.is_some()
                });
                effects.extend(self.open_node(&child));
                // What was loaded before (referrers counted on the way)
                // gets no answer to expand on arrival: expand it now.
                if known {
                    effects.extend(self.rebuild_children(&child));
                }
            } else {
                effects.extend(self.start_if_idle(&child, JobKind::Referrers));
            }
        }
        effects
    }
}

/// Sibling ids paired with their nodes.
type Members = Vec<(NodeId, Node)>;

/// A manifest node's children from what is known of it: its index's
/// entries, its referrers grouped by type (each group with its members),
/// then its config and layers.
fn known_children(node: &Node, repository: &str) -> (Members, Vec<(NodeId, Members)>) {
    let repository = repository.to_owned();
    let mut children: Vec<(NodeId, Node)> = Vec::new();
    let mut groups: Vec<(NodeId, Vec<(NodeId, Node)>)> = Vec::new();
    if let Some(manifest) = &node.manifest {
        for descriptor in &manifest.manifests {
            let attestation = descriptor.annotation(mt::ANNOTATION_DOCKER_REFERENCE_TYPE)
                == Some(mt::DOCKER_ATTESTATION_MANIFEST);
            let digest = descriptor.digest.clone();
            let (id, role) = if attestation {
                (
                    NodeId::Attestation { digest, nth: 1 },
                    ManifestRole::Attestation,
                )
            } else {
                (NodeId::Platform { digest, nth: 1 }, ManifestRole::Platform)
            };
            let id = unique_id(&children, id);
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
                let id = unique_id(&members, NodeId::referrer(attachment.digest().clone()));
                members.push((id, attachment_node(&repository, attachment)));
            }
            let id = NodeId::group(artifact_type);
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
                NodeId::Config(config.digest.clone()),
                Node::with_descriptor(kind, config.clone()),
            ));
        }
        for (index, layer) in manifest.layers.iter().enumerate() {
            let kind = NodeKind::Blob {
                repository: repository.clone(),
                role: BlobRole::Layer(index),
            };
            children.push((
                NodeId::Layer {
                    index,
                    digest: layer.digest.clone(),
                },
                Node::with_descriptor(kind, layer.clone()),
            ));
        }
    }
    (children, groups)
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
        node.set_manifest(Arc::new(manifest.clone()));
        node.manifest_slot.status = Status::Done;
    }
    node
}

fn child_path(parent: &[NodeId], id: &NodeId) -> NodePath {
    let mut path = parent.to_vec();
    path.push(id.clone());
    path
}

/// Sibling ids must be unique: a digest listed again is its next
/// occurrence.
fn unique_id(siblings: &[(NodeId, Node)], id: NodeId) -> NodeId {
    (1..=u16::MAX)
        .map(|n| id.clone().nth(n))
        .find(|candidate| !siblings.iter().any(|(s, _)| s == candidate))
        .unwrap_or(id)
}
