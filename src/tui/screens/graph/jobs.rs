//! Starting loads: one effect per node and kind, with a generation that
//! lets newer requests supersede older ones; and copying to the clipboard.

use super::Graph;
use crate::tui::message::{Effect, JobKey, JobKind};
use crate::tui::screen::Cx;
use crate::tui::tree::NodeId;
use crate::tui::tree::{ManifestRole, NodeKind, Status};

impl Graph {
    /// Starts (or restarts, superseding) one load of a node. Returns no
    /// effect when the node cannot have that load.
    pub(super) fn start_job(&mut self, path: &[NodeId], kind: JobKind) -> Option<Effect> {
        self.next_generation += 1;
        let generation = self.next_generation;
        let node = self.tree.node(path)?;
        let job = JobKey {
            node: path.to_vec(),
            kind,
            generation,
        };
        let effect = match (&node.kind, kind) {
            (NodeKind::Registry, JobKind::Listing) => Effect::ListRepositories { job },
            (NodeKind::Repository { name }, JobKind::Listing) => Effect::ListTags {
                job,
                repository: name.clone(),
            },
            (
                NodeKind::Manifest {
                    repository,
                    reference,
                    ..
                },
                JobKind::Manifest,
            ) => Effect::FetchManifest {
                job,
                repository: repository.clone(),
                reference: reference.clone(),
            },
            (
                NodeKind::Manifest {
                    repository, role, ..
                },
                JobKind::Referrers,
            ) => {
                let subject = node.digest()?;
                let repository = repository.clone();
                let is_platform = *role == ManifestRole::Platform;
                let digest_tags = self
                    .tree
                    .node(&path[..path.len().min(2)])
                    .map(|repo| {
                        repo.children()
                            .iter()
                            .filter(|id| id.is_digest_tag())
                            .map(|id| id.name().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let parent_index = path
                    .len()
                    .checked_sub(1)
                    .filter(|_| is_platform)
                    .and_then(|len| self.tree.node(&path[..len]))
                    .and_then(|parent| parent.manifest.clone())
                    .filter(|manifest| manifest.is_index());
                Effect::FetchReferrers {
                    job,
                    repository,
                    subject,
                    digest_tags,
                    parent_index,
                }
            }
            (
                NodeKind::Manifest { repository, .. } | NodeKind::Blob { repository, .. },
                JobKind::Preview,
            ) => {
                let (descriptor, kind) = super::loading::preview_request(node)?;
                Effect::FetchPreview {
                    job,
                    repository: repository.clone(),
                    descriptor: Box::new(descriptor),
                    kind,
                }
            }
            _ => return None,
        };
        let node = self.tree.node_mut(path)?;
        let slot = match kind {
            JobKind::Listing => &mut node.listing,
            JobKind::Manifest => &mut node.manifest_slot,
            JobKind::Referrers => &mut node.referrers_slot,
            JobKind::Preview => &mut node.preview_slot,
        };
        slot.generation = generation;
        slot.status = Status::Loading;
        Some(effect)
    }

    /// Starts a load only if it never ran.
    pub(super) fn start_if_idle(&mut self, path: &[NodeId], kind: JobKind) -> Option<Effect> {
        let node = self.tree.node(path)?;
        let slot = match kind {
            JobKind::Listing => &node.listing,
            JobKind::Manifest => &node.manifest_slot,
            JobKind::Referrers => &node.referrers_slot,
            JobKind::Preview => &node.preview_slot,
        };
        if slot.status == Status::Idle {
            self.start_job(path, kind)
        } else {
            None
        }
    }

    /// `y` copies the digest, `Y` the full `registry/repo@digest`.
    pub(super) fn copy_selected(&mut self, full: bool, cx: &mut Cx<'_>) -> Vec<Effect> {
        let Some(node) = self.selected_node() else {
            return Vec::new();
        };
        let Some(digest) = node.digest() else {
            cx.complain("nothing to copy here: select a manifest or blob (Enter loads a tag)");
            return Vec::new();
        };
        let (what, text) = match (full, node.repository()) {
            (true, Some(repository)) => {
                let text = format!("{}/{repository}@{digest}", cx.session.registry);
                (text.clone(), text)
            }
            _ => (digest.to_string(), digest.to_string()),
        };
        vec![Effect::CopyToClipboard { what, text }]
    }
}
