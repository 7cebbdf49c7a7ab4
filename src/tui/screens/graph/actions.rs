//! The action keys on the selection: pull and pull the SBOM start an
//! operation at once; attach, copy and delete open their dialog (delete
//! asks the engine for its plan at once, except on a tag row, where the
//! tag alone goes unless the manifest is asked for). Copy, delete and the SBOM start
//! from the graph the tree already holds, so the registry is not asked
//! again for what it said before.

use std::sync::Arc;

use super::Graph;
use crate::oci::PlatformSpec;
use crate::oci::media_type::ArtifactKind;
use crate::ops::{DeletePlan, PlatformChoice, PullSelect};
use crate::tui::keymap::Action;
use crate::tui::message::{Effect, JobKind, NodePath, Notice, OperationRequest};
use crate::tui::screen::{Ask, Cx, OperationAsk};
use crate::tui::screens::dialogs::{AttachDialog, CopyDialog, DeleteDialog, ask_for_delete_plan};
use crate::tui::tree::{ManifestRole, NodeId, NodeKind, Status};

impl Graph {
    /// Asks the router to run an operation.
    fn operate(
        cx: &mut Cx<'_>,
        label: &str,
        request: OperationRequest,
        then: Option<Notice>,
    ) -> Vec<Effect> {
        let id = cx.next_id();
        cx.ask(Ask::Operation(Box::new(OperationAsk {
            id,
            label: label.to_owned(),
            request,
            then,
            reopen: None,
        })));
        Vec::new()
    }

    /// The action keys on the selected node.
    pub(super) fn operation_key(&mut self, action: Action, cx: &mut Cx<'_>) -> Vec<Effect> {
        let path = self.tree.selected().clone();
        let Some(node) = self.tree.node(&path) else {
            return Vec::new();
        };
        let output_dir = cx.config.download_dir.clone();
        if let NodeKind::Blob { repository, .. } = &node.kind
            && action == Action::Pull
            && let Some(descriptor) = node.descriptor.clone()
        {
            let request = OperationRequest::PullBlob {
                repository: repository.clone(),
                descriptor: Box::new(descriptor),
                output_dir,
                replace_existing: false,
            };
            return Self::operate(cx, "pull blob", request, None);
        }
        let NodeKind::Manifest { repository, .. } = &node.kind else {
            cx.complain("select a manifest first");
            return Vec::new();
        };
        let Some(digest) = node.digest() else {
            cx.complain("load it first (Enter)");
            return Vec::new();
        };
        let source_tag = match &node.kind {
            NodeKind::Manifest {
                role: ManifestRole::Tag(tag),
                ..
            } => Some(tag.clone()),
            _ => None,
        };
        let repository = repository.clone();
        let reference = digest.to_string();
        let is_sbom = node.artifact_kind() == Some(ArtifactKind::Sbom);
        match action {
            Action::Pull | Action::PullSbom => {
                let select = if action == Action::Pull || is_sbom {
                    PullSelect::Target
                } else {
                    PullSelect::Sbom
                };
                let label = if action == Action::Pull {
                    "pull"
                } else {
                    "pull SBOM"
                };
                // `s` on a platform row asks its index for that platform's
                // SBOM, so BuildKit's in-index attestations are found too.
                let (reference, platform, graph_at) = match self.platform_of_selection(&path) {
                    Some((index, platform)) if select == PullSelect::Sbom => (
                        index,
                        PlatformChoice::One(platform),
                        path[..path.len() - 1].to_vec(),
                    ),
                    _ => (reference, PlatformChoice::Auto, path.clone()),
                };
                // What the tree discovered is the engine's answer: the
                // registry is not asked again.
                let known_graph = (select != PullSelect::Target)
                    .then(|| self.tree.referrer_tree(&graph_at))
                    .flatten()
                    .map(Arc::new);
                let request = OperationRequest::Pull {
                    repository,
                    reference,
                    select,
                    platform,
                    output_dir,
                    replace_existing: false,
                    known_graph,
                };
                Self::operate(cx, label, request, None)
            }
            _ => self.open_dialog(action, (repository, reference, source_tag), cx),
        }
    }

    /// Delete, attach and copy open their dialog (delete asks the engine
    /// for its plan at once, from the graph the tree holds when it holds
    /// all of it).
    fn open_dialog(
        &mut self,
        action: Action,
        (repository, reference, source_tag): (String, String, Option<String>),
        cx: &mut Cx<'_>,
    ) -> Vec<Effect> {
        let path = self.tree.selected().clone();
        let whole_graph = || self.tree.whole_graph(&path).map(Arc::new);
        let dialog: Box<dyn crate::tui::screen::Screen> = match action {
            Action::Delete => {
                // What lists the deleted manifest: its subject's
                // referrers, or the repository's tags.
                let reload = self.lister_of(&path).map(Notice::Reload);
                let request = OperationRequest::PlanDelete {
                    repository: repository.clone(),
                    reference: reference.clone(),
                    known_graph: whole_graph(),
                };
                // On a tag row the tag goes alone, as `regscope rm
                // REPO:TAG` does; the manifest's plan waits until asked.
                let tagged = source_tag.zip(self.tree.node(&path).and_then(|node| {
                    node.descriptor
                        .clone()
                        .or_else(|| node.manifest.as_ref().map(|m| m.descriptor()))
                }));
                if let Some((tag, descriptor)) = tagged {
                    let plan = DeletePlan::for_tag(&repository, &tag, descriptor);
                    cx.ask(Ask::Open(Box::new(DeleteDialog::for_tag(
                        plan, reference, request, reload,
                    ))));
                    return Vec::new();
                }
                let id = cx.next_id();
                cx.ask(Ask::Open(Box::new(DeleteDialog::new(
                    id, repository, reference, reload,
                ))));
                cx.ask(ask_for_delete_plan(id, request));
                return Vec::new();
            }
            Action::Attach => Box::new(AttachDialog::new(
                repository,
                reference,
                Some(Notice::Reload(path.clone())),
            )),
            Action::Copy => {
                // Only a copy into the browsed store changes its lists.
                let root = vec![NodeId::Registry];
                let reload_here = self
                    .tree
                    .node(&root)
                    .filter(|n| n.listing.status == Status::Done)
                    .map(|_| Notice::Reload(root));
                Box::new(CopyDialog::new(
                    (repository, reference, source_tag),
                    whole_graph(),
                    reload_here,
                ))
            }
            _ => return Vec::new(),
        };
        // The dialog shows the problems of its own Enter: none yet.
        cx.ask(Ask::Hush);
        cx.ask(Ask::Open(dialog));
        Vec::new()
    }

    /// The node whose list shows `path`: the manifest it refers to, or its
    /// repository.
    fn lister_of(&self, path: &[NodeId]) -> Option<NodePath> {
        (1..path.len())
            .rev()
            .map(|len| path[..len].to_vec())
            .find(|p| {
                matches!(
                    self.tree.node(p).map(|n| &n.kind),
                    Some(NodeKind::Manifest { .. } | NodeKind::Repository { .. })
                )
            })
    }

    /// For a platform row of an index: the index's digest and the platform.
    fn platform_of_selection(&self, path: &NodePath) -> Option<(String, PlatformSpec)> {
        let node = self.tree.node(path)?;
        if !matches!(
            node.kind,
            NodeKind::Manifest {
                role: ManifestRole::Platform,
                ..
            }
        ) {
            return None;
        }
        let platform = node.descriptor.as_ref()?.platform.as_ref()?;
        let parent = self.tree.node(&path[..path.len().checked_sub(1)?])?;
        Some((parent.digest()?.to_string(), PlatformSpec::of(platform)))
    }

    /// Reloads what an operation changed: a list, or a subject's referrers.
    pub(super) fn reload(&mut self, path: &NodePath) -> Vec<Effect> {
        let Some(node) = self.tree.node(path) else {
            return Vec::new();
        };
        match node.kind {
            NodeKind::Registry | NodeKind::Repository { .. } => {
                self.tree.restart_listing(path);
                self.start_job(path, JobKind::Listing).into_iter().collect()
            }
            NodeKind::Manifest { .. } => self
                .start_job(path, JobKind::Referrers)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }
}
