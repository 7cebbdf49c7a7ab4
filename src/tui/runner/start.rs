//! What the runner starts for each kind of work: operations (and their
//! cancelling), the audit, the files view's listings and reads, and the
//! tree's loads, each with the handle or token that stops it.

use std::sync::Arc;

use super::{Runner, audit, files, load, operations, stop_if_stuck};
use crate::ops::CancellationToken;
use crate::tui::message::{Effect, Msg, OperationRequest};

impl Runner {
    pub(super) fn start_operation(&mut self, id: u64, request: OperationRequest) {
        let cancel = CancellationToken::new();
        self.operations.retain(|_, (_, task)| !task.is_finished());
        let store = Arc::clone(self.store());
        let connect = self.connect.clone();
        let sender = self.sender.clone();
        let task = tokio::spawn(operations::perform(
            store,
            connect,
            id,
            request,
            sender,
            cancel.clone(),
        ));
        self.operations.insert(id, (cancel, task.abort_handle()));
    }

    pub(super) fn cancel_operations(&mut self) {
        for (id, (token, task)) in self.operations.drain() {
            token.cancel();
            tokio::spawn(stop_if_stuck(id, task, self.sender.clone()));
        }
    }

    /// An audit (superseding the one running) or its cancel.
    pub(super) fn run_audit(&mut self, effect: Effect) {
        match effect {
            Effect::Audit { id, target, trust } => {
                let cancel = CancellationToken::new();
                if let Some(older) = self.audit.replace(cancel.clone()) {
                    older.cancel();
                }
                tokio::spawn(audit::perform(
                    Arc::clone(self.store()),
                    id,
                    target,
                    trust,
                    self.sender.clone(),
                    cancel,
                ));
            }
            Effect::CancelAudit => {
                if let Some(token) = self.audit.take() {
                    token.cancel();
                }
            }
            _ => {}
        }
    }

    /// The files view's work: a listing, a file read, a cancel.
    pub(super) fn run_files(&mut self, effect: Effect) {
        match effect {
            Effect::ListFiles {
                id,
                repository,
                layers,
                merged,
                index,
            } => {
                let cancel = self.renew_files_token();
                let listing = files::Listing {
                    id,
                    repository,
                    layers,
                    merged,
                    index,
                };
                tokio::spawn(files::list(
                    Arc::clone(self.store()),
                    listing,
                    self.sender.clone(),
                    cancel,
                ));
            }
            Effect::ReadLayerFile {
                id,
                repository,
                layer,
                path,
                shown_as,
                save_to,
            } => {
                let cancel = self.renew_files_token();
                tokio::spawn(files::read(
                    Arc::clone(self.store()),
                    id,
                    repository,
                    *layer,
                    path,
                    shown_as,
                    save_to,
                    self.sender.clone(),
                    cancel,
                ));
            }
            Effect::CancelFiles => {
                if let Some(token) = self.files.take() {
                    token.cancel();
                }
            }
            _ => {}
        }
    }

    /// A fresh token for the files view's next piece of work; the one
    /// before it is cancelled (a newer request supersedes it).
    fn renew_files_token(&mut self) -> CancellationToken {
        let token = CancellationToken::new();
        if let Some(older) = self.files.replace(token.clone()) {
            older.cancel();
        }
        token
    }

    /// A load of the tree: a newer one for the same node and kind aborts
    /// the older, so a slow answer never overwrites a fresh one.
    pub(super) fn load(&mut self, effect: Effect) {
        let Some(job) = effect.job().cloned() else {
            return;
        };
        let store = Arc::clone(self.store());
        let sender = self.sender.clone();
        let key = (job.node.clone(), job.kind);
        let handle = tokio::spawn(async move {
            let result = load::perform(&store, effect, &sender).await;
            // The receiver is gone only when the UI is shutting down.
            let _ = sender.send(Msg::Loaded { job, result });
        });
        if let Some(older) = self.tasks.insert(key, handle.abort_handle()) {
            older.abort();
        }
        self.tasks.retain(|_, task| !task.is_finished());
    }
}
