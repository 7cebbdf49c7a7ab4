//! The action keys: pull, pull the SBOM, attach, copy and delete run the
//! `ops` engine through effects; their progress and outcome come back as
//! messages, and the nodes they change are reloaded.

use super::{App, Dialog, Popup};
use crate::oci::PlatformSpec;
use crate::oci::media_type::ArtifactKind;
use crate::ops::{DeletePlan, PlatformChoice, PullSelect};
use crate::text::count;
use crate::tui::keymap::Action;
use crate::tui::message::{Effect, JobKind, NodePath, OperationOutcome, OperationRequest};
use crate::tui::tree::{ManifestRole, NodeKind};

/// An operation under way, for the status bar.
#[derive(Debug, Clone)]
pub struct RunningOperation {
    pub label: String,
    pub progress: String,
    /// Bytes moved and announced over its transfers, once one started.
    pub bytes: Option<(u64, u64)>,
    /// The node to reload when it ends (a subject, a list).
    pub reload: Option<NodePath>,
    /// A pull, kept to run again if the user agrees to replace a file.
    pub pull: Option<OperationRequest>,
    /// The dialog it was started from, opened again as it was typed when
    /// the operation fails (a file that is not there, a refused push), so
    /// nothing has to be typed twice.
    pub reopen: Option<Dialog>,
}

impl App {
    pub(super) fn start_operation(
        &mut self,
        label: impl Into<String>,
        request: OperationRequest,
        reload: Option<NodePath>,
    ) -> Vec<Effect> {
        let id = self.next_id();
        let label = label.into();
        self.say(format!("{label}…"));
        let pull = matches!(
            request,
            OperationRequest::Pull { .. } | OperationRequest::PullBlob { .. }
        )
        .then(|| request.clone());
        self.operations.insert(
            id,
            RunningOperation {
                label,
                progress: String::new(),
                bytes: None,
                reload,
                pull,
                reopen: None,
            },
        );
        vec![Effect::Operation { id, request }]
    }

    pub(super) fn on_operation_progress(&mut self, id: u64, text: String) {
        if let Some(operation) = self.operations.get_mut(&id) {
            operation.progress = text;
        }
    }

    pub(super) fn on_operation_bytes(&mut self, id: u64, done: u64, total: u64) {
        if let Some(operation) = self.operations.get_mut(&id) {
            operation.bytes = Some((done, total));
        }
    }

    pub(super) fn on_operation_done(
        &mut self,
        id: u64,
        result: Result<OperationOutcome, crate::tui::failure::Failure>,
    ) -> Vec<Effect> {
        let Some(operation) = self.operations.remove(&id) else {
            return Vec::new();
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(reason) => {
                if let Some(effects) = self.ask_to_replace(&operation, &reason) {
                    return effects;
                }
                tracing::warn!("{}: {reason}", operation.label);
                self.complain(format!("{} failed: {reason}", operation.label));
                if let Some(dialog) = operation.reopen
                    && self.popup.is_none()
                {
                    self.popup = Some(Popup::Dialog(dialog));
                }
                return Vec::new();
            }
        };
        match outcome {
            OperationOutcome::Pulled {
                files,
                took,
                untitled,
            } => {
                let dir = self.config.download_dir.display().to_string();
                let written = match files.as_slice() {
                    [one] => one.display().to_string(),
                    many => format!("{} files into {dir}", many.len()),
                };
                // What was taken first: a person asked for "the SBOM" and
                // must learn which one it was.
                let mut said = match took.as_slice() {
                    [] => format!("pulled {written}"),
                    took => format!("pulled {}: {written}", took.join("; ")),
                };
                if untitled > 0 {
                    said.push_str(&format!(
                        "; skipped {} without a file name (p on a layer row pulls one)",
                        count(untitled, "layer")
                    ));
                }
                self.say(said);
            }
            OperationOutcome::Attached { digest } => self.say(format!("attached {digest}")),
            OperationOutcome::Copied {
                manifests,
                transferred,
                mounted,
                skipped,
            } => {
                // As `regscope cp` says it: a mounted blob moved no bytes.
                self.say(format!(
                    "copied {}: {} transferred, {mounted} mounted, {skipped} already there",
                    count(manifests, "manifest"),
                    count(transferred, "blob"),
                ));
            }
            OperationOutcome::Deleted {
                count,
                digests,
                repository,
                tags,
            } => {
                let digests = digests.into_iter().collect();
                let mut moved = self.tree.forget_digests(&digests);
                moved |= self.tree.forget_tags(&repository, &tags);
                let broken = self.tree.mark_dangling(&digests);
                self.after_forgetting(moved);
                let mut said = format!("deleted {}", crate::text::count(count, "manifest"));
                match broken {
                    0 => {}
                    1 => said.push_str("; 1 index now points at nothing (marked)"),
                    n => said.push_str(&format!("; {n} indexes now point at nothing (marked)")),
                }
                self.say(said);
            }
            OperationOutcome::DeletePlanned(plan) => {
                self.status = None;
                self.show_delete_plan(plan);
                return Vec::new();
            }
        }
        operation
            .reload
            .map(|path| self.reload(&path))
            .unwrap_or_default()
    }

    /// Reloads what an operation changed: a list, or a subject's referrers.
    fn reload(&mut self, path: &NodePath) -> Vec<Effect> {
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

    fn show_delete_plan(&mut self, plan: Box<DeletePlan>) {
        if let Some(Popup::Dialog(Dialog::Delete {
            goes, plan: slot, ..
        })) = &mut self.popup
        {
            *goes = crate::ops::delete::plan_lines(&plan);
            *slot = Some(plan);
        }
    }

    /// The action keys on the selected node.
    pub(super) fn operation_key(&mut self, action: Action) -> Vec<Effect> {
        let path = self.tree.selected().clone();
        let Some(node) = self.tree.node(&path) else {
            return Vec::new();
        };
        let output_dir = self.config.download_dir.clone();
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
            return self.start_operation("pull blob", request, None);
        }
        let NodeKind::Manifest { repository, .. } = &node.kind else {
            self.complain("select a manifest first");
            return Vec::new();
        };
        let Some(digest) = node.digest() else {
            self.complain("load it first (Enter)");
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
                    .map(std::sync::Arc::new);
                let request = OperationRequest::Pull {
                    repository,
                    reference,
                    select,
                    platform,
                    output_dir,
                    replace_existing: false,
                    known_graph,
                };
                self.start_operation(label, request, None)
            }
            _ => self.open_dialog(action, repository, reference, source_tag),
        }
    }

    /// Delete, attach and copy open their dialog (delete asks the engine
    /// for its plan at once).
    fn open_dialog(
        &mut self,
        action: Action,
        repository: String,
        reference: String,
        source_tag: Option<String>,
    ) -> Vec<Effect> {
        match action {
            Action::Delete => {
                self.popup = Some(Popup::Dialog(Dialog::Delete {
                    repository: repository.clone(),
                    reference: reference.clone(),
                    goes: Vec::new(),
                    plan: None,
                }));
                let request = OperationRequest::PlanDelete {
                    repository,
                    reference,
                };
                self.start_operation("working out what a delete removes", request, None)
            }
            Action::Attach => {
                // The dialog shows an error of its own Enter: none yet.
                self.status = None;
                self.popup = Some(Popup::Dialog(Dialog::Attach {
                    repository,
                    subject: reference,
                    fields: [String::new(), String::new(), String::new()],
                    field: 0,
                    completions: Vec::new(),
                }));
                Vec::new()
            }
            Action::Copy => {
                self.status = None;
                self.popup = Some(Popup::Dialog(Dialog::Copy {
                    repository,
                    reference,
                    source_tag,
                    destination: String::new(),
                }));
                Vec::new()
            }
            _ => Vec::new(),
        }
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
}
