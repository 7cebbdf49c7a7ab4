//! Enter in an operation's dialog: checks what was typed and starts the
//! operation, or says what is missing and keeps the dialog open.

use std::collections::BTreeMap;

use super::dialogs::names_a_registry;
use super::{App, Dialog, Popup};
use crate::oci::media_type as mt;
use crate::oci::reference::is_registry_name;
use crate::ops::{AttachFile, AttachOptions};
use crate::target::Spec;
use crate::text::expand_home;
use crate::tui::message::{CopyDestination, Effect, NodePath, OperationRequest};
use crate::tui::tree::{NodeKind, Status};

impl App {
    /// Enter in a dialog: runs it, or says what is missing (the dialog stays).
    pub(super) fn confirm_dialog(&mut self, dialog: Dialog) -> Vec<Effect> {
        let subject_path = self.tree.selected().clone();
        match dialog {
            Dialog::Replace { .. } => self.replace_confirmed(),
            Dialog::Delete { plan: None, .. } => {
                self.say("still working out what goes…");
                self.popup = Some(Popup::Dialog(dialog));
                Vec::new()
            }
            Dialog::Delete {
                plan: Some(ref plan),
                ..
            } if plan.refusal().is_some() => {
                // The engine would refuse too; say why and keep the plan up.
                let refusal = plan.refusal().unwrap_or_default();
                self.complain(format!("{refusal}; `regscope rm --break-index` does it"));
                self.popup = Some(Popup::Dialog(dialog));
                Vec::new()
            }
            Dialog::Delete {
                plan: Some(plan), ..
            } => {
                // What lists the deleted manifest: its subject's referrers,
                // or the repository's tags.
                let reload = self.lister_of(&subject_path);
                self.start_operation("delete", OperationRequest::Delete { plan }, reload)
            }
            Dialog::Attach {
                repository,
                subject,
                fields,
                ..
            } => match attach_options(&fields) {
                Ok(options) => {
                    let reopen = Dialog::Attach {
                        repository: repository.clone(),
                        subject: subject.clone(),
                        fields,
                        field: 0,
                        completions: Vec::new(),
                    };
                    let request = OperationRequest::Attach {
                        repository,
                        reference: subject,
                        options,
                    };
                    let effects = self.start_operation("attach", request, Some(subject_path));
                    self.reopen_on_failure(&effects, reopen);
                    effects
                }
                Err(problem) => {
                    self.complain(problem);
                    self.popup = Some(Popup::Dialog(Dialog::Attach {
                        repository,
                        subject,
                        fields,
                        field: 0,
                        completions: Vec::new(),
                    }));
                    Vec::new()
                }
            },
            Dialog::Copy {
                repository,
                reference,
                source_tag,
                destination: typed,
            } => match self.copy_destination(&typed) {
                Ok((destination, tag)) => {
                    // Only a copy into the browsed store changes its lists.
                    let root = vec![crate::tui::tree::NodeId::Registry];
                    let reload = self
                        .tree
                        .node(&root)
                        .filter(|n| n.listing.status == Status::Done)
                        .filter(|_| matches!(destination, CopyDestination::SameStore { .. }))
                        .map(|_| root);
                    let label = format!("copy to {}", typed.trim());
                    let reopen = Dialog::Copy {
                        repository: repository.clone(),
                        reference: reference.clone(),
                        source_tag: source_tag.clone(),
                        destination: typed,
                    };
                    let request = OperationRequest::Copy {
                        repository,
                        reference,
                        destination,
                        tag: tag.or(source_tag),
                    };
                    let effects = self.start_operation(label, request, reload);
                    self.reopen_on_failure(&effects, reopen);
                    effects
                }
                Err(problem) => {
                    self.complain(problem);
                    self.popup = Some(Popup::Dialog(Dialog::Copy {
                        repository,
                        reference,
                        source_tag,
                        destination: typed,
                    }));
                    Vec::new()
                }
            },
        }
    }

    /// Keeps `dialog` with the operation `effects` start, to open again as
    /// typed if it fails.
    fn reopen_on_failure(&mut self, effects: &[Effect], dialog: Dialog) {
        for effect in effects {
            if let Effect::Operation { id, .. } = effect
                && let Some(operation) = self.operations.get_mut(id)
            {
                operation.reopen = Some(dialog.clone());
            }
        }
    }

    /// Reads the copy dialog's destination: `oci:DIR[:TAG]` is a layout,
    /// `registry/repo[:tag]` another registry (in the CLI's spelling, so
    /// `regscope cp` and the TUI agree), anything else a repository of the
    /// browsed store. Returns where, and the tag typed.
    fn copy_destination(&self, text: &str) -> Result<(CopyDestination, Option<String>), String> {
        let text = text.trim();
        let here = text
            .strip_prefix(&format!("{}/", self.session.registry))
            .unwrap_or(text);
        if here.is_empty() {
            return Err("type where to copy: repo[:tag], registry/repo[:tag] or oci:DIR".into());
        }
        if is_registry_name(here) {
            return Err(format!("{here} is a registry: add /repository[:tag]"));
        }
        if !here.starts_with("oci:") && !names_a_registry(here) {
            if here.contains('@') {
                return Err("the copy keeps the source's digest: name a tag, not a digest".into());
            }
            let (repository, tag) = match here.rsplit_once(':') {
                Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
                _ => (here, None),
            };
            let destination = CopyDestination::SameStore {
                repository: repository.to_owned(),
            };
            return Ok((destination, tag.map(str::to_owned)));
        }
        let spec = Spec::parse(here).map_err(|e| e.to_string())?;
        if spec.target().is_some() && spec.tag().is_none() {
            return Err("the copy keeps the source's digest: name a tag, not a digest".into());
        }
        let tag = spec.tag().map(str::to_owned);
        Ok((CopyDestination::Elsewhere(spec), tag))
    }

    /// The node whose list shows `path`: the manifest it refers to, or its
    /// repository.
    fn lister_of(&self, path: &[crate::tui::tree::NodeId]) -> Option<NodePath> {
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
}

/// Reads the attach dialog's fields: a path, an artifact type, and
/// annotations as `key=value,key=value`.
fn attach_options(fields: &[String; 3]) -> Result<AttachOptions, String> {
    let [path, artifact_type, annotations] = fields;
    if path.trim().is_empty() {
        return Err("attach: name a file or directory".to_owned());
    }
    if artifact_type.trim().is_empty() {
        return Err(format!(
            "attach: an artifact type is required (e.g. {})",
            mt::CYCLONEDX_JSON
        ));
    }
    let mut parsed = BTreeMap::new();
    for pair in annotations
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("attach: annotation {pair:?} is not key=value"))?;
        parsed.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(AttachOptions {
        artifact_type: artifact_type.trim().to_owned(),
        files: vec![AttachFile {
            path: expand_home(path.trim()),
            media_type: None,
        }],
        annotations: parsed,
        platform: None,
    })
}
