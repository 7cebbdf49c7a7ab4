//! Enter in an operation's dialog: checks what was typed and starts the
//! operation, or says what is missing and keeps the dialog open.

use std::collections::BTreeMap;

use super::{App, Dialog, Popup};
use crate::oci::media_type as mt;
use crate::ops::{AttachFile, AttachOptions};
use crate::tui::message::{Effect, NodePath, OperationRequest};
use crate::tui::model::{NodeKind, Status};
use crate::tui::runner::operations::expand_home;

impl App {
    /// Enter in a dialog: runs it, or says what is missing (the dialog stays).
    pub(super) fn confirm_dialog(&mut self, dialog: Dialog) -> Vec<Effect> {
        let subject_path = self.selected.clone();
        match dialog {
            Dialog::Delete { plan: None, .. } => {
                self.say("still working out what goes…");
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
                    let request = OperationRequest::Attach {
                        repository,
                        reference: subject,
                        options,
                    };
                    self.start_operation("attach", request, Some(subject_path))
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
                destination,
            } => {
                let destination = destination.trim();
                let destination = destination
                    .strip_prefix(&format!("{}/", self.session.registry))
                    .unwrap_or(destination);
                let first = destination.split('/').next().unwrap_or_default();
                let names_registry = destination.contains('/')
                    && (first.contains('.') || first.contains(':') || first == "localhost");
                if destination.is_empty() || names_registry {
                    self.complain(if destination.is_empty() {
                        "type a repository (repo or repo:tag) to copy to".to_owned()
                    } else {
                        "the TUI copies within this registry; use `regscope cp` for another"
                            .to_owned()
                    });
                    self.popup = Some(Popup::Dialog(Dialog::Copy {
                        repository,
                        reference,
                        destination: destination.to_owned(),
                    }));
                    return Vec::new();
                }
                let (target_repository, tag) = match destination.rsplit_once(':') {
                    Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag.to_owned())),
                    _ => (destination, None),
                };
                let request = OperationRequest::Copy {
                    repository,
                    reference,
                    target_repository: target_repository.to_owned(),
                    tag,
                };
                let root = vec![crate::tui::model::ROOT_ID.to_owned()];
                let reload = self
                    .nodes
                    .get(&root)
                    .filter(|n| n.listing.status == Status::Done)
                    .map(|_| root);
                self.start_operation("copy", request, reload)
            }
        }
    }

    /// The node whose list shows `path`: the manifest it refers to, or its
    /// repository.
    fn lister_of(&self, path: &[String]) -> Option<NodePath> {
        (1..path.len())
            .rev()
            .map(|len| path[..len].to_vec())
            .find(|p| {
                matches!(
                    self.nodes.get(p).map(|n| &n.kind),
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
    })
}
