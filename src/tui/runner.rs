//! Turns effects into tokio tasks against the store. Each task sends its
//! result back as one message; a newer request for the same node and kind
//! aborts the older task, so a slow answer never overwrites a fresh one.

pub mod audit;
pub mod diff;
pub mod files;
mod load;
pub mod operations;
mod paths;
pub mod progress;
mod start;
mod stores;
mod vulns;

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::clipboard::Clipboard;
use super::message::{Effect, JobKind, Msg, NodePath};
use crate::ops::CancellationToken;
use crate::store::SharedStore;
use crate::store::remote::ConnectOptions;
use crate::tui::failure::Failure;

/// How long a cancelled operation may take to stop by itself.
pub const CANCEL_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

pub struct Runner {
    stores: stores::Stores,
    /// For copies to another registry.
    connect: ConnectOptions,
    sender: UnboundedSender<Msg>,
    tasks: HashMap<(NodePath, JobKind), AbortHandle>,
    /// Running operations: their cancel token, and their task to see
    /// when they end.
    operations: HashMap<u64, (CancellationToken, AbortHandle)>,
    /// The running audit, if any.
    audit: Option<CancellationToken>,
    /// The files view's running work, if any.
    files: Option<CancellationToken>,
    doctor: crate::tui::screens::doctor::DoctorTask,
    scan_reads: vulns::ScanReads,
    clipboard: Clipboard,
}

impl Runner {
    pub fn new(
        store: SharedStore,
        connect: ConnectOptions,
        sender: UnboundedSender<Msg>,
        clipboard: Clipboard,
    ) -> Runner {
        Runner {
            stores: stores::Stores::new(store),
            connect,
            sender,
            tasks: HashMap::new(),
            operations: HashMap::new(),
            audit: None,
            files: None,
            doctor: crate::tui::screens::doctor::DoctorTask::default(),
            scan_reads: vulns::ScanReads::default(),
            clipboard,
        }
    }

    /// Starts what `effect` asks for; its results come back as messages.
    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::CopyToClipboard { what, text } => {
                let result = self.clipboard.copy(&text);
                let _ = self.sender.send(Msg::Clipboard { what, result });
            }
            Effect::Operation { id, request } => self.start_operation(id, request),
            Effect::CancelOperations => self.cancel_operations(),
            effect @ (Effect::Audit { .. } | Effect::CancelAudit) => self.run_audit(effect),
            effect @ (Effect::ListFiles { .. }
            | Effect::ReadLayerFile { .. }
            | Effect::CancelFiles) => self.run_files(effect),
            effect @ (Effect::Doctor(_) | Effect::CancelDoctor) => {
                self.doctor
                    .steer(effect, self.stores.browsed(), &self.connect, &self.sender);
            }
            Effect::CollectVulns { subject, tree } => {
                let store = Arc::clone(self.stores.browsed());
                self.scan_reads
                    .start(store, (subject, tree), self.sender.clone());
            }
            Effect::Diff {
                id,
                left,
                right,
                cancel,
            } => {
                let left_store = self.stores.named(left.store.as_deref());
                let request = diff::Request { id, left, right };
                let stores = (left_store, Arc::clone(self.store()));
                diff::spawn(stores, request, self.sender.clone(), cancel);
            }
            effect @ (Effect::CompletePath { .. } | Effect::CheckFile { .. }) => {
                paths::spawn(effect, self.sender.clone());
            }
            effect => self.load(effect),
        }
    }

    /// Browses another store from now on: loads of the old one stop;
    /// operations run on to their end with the store they started with.
    /// Of the earlier stores only the one named `mark` (the diff mark's)
    /// is kept.
    pub fn replace_store(&mut self, store: SharedStore, mark: Option<&str>) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
        self.scan_reads.stop_all();
        self.stores.browse(store, mark);
    }

    /// Scan reads under way (the tree's findings labels).
    pub fn scan_reads_running(&self) -> usize {
        self.scan_reads.running()
    }

    fn store(&self) -> &SharedStore {
        self.stores.browsed()
    }

    /// Stops every task (on quit).
    pub fn abort_all(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.abort();
        }
        for (_, (token, _)) in self.operations.drain() {
            token.cancel();
        }
        if let Some(token) = self.audit.take() {
            token.cancel();
        }
        if let Some(token) = self.files.take() {
            token.cancel();
        }
        self.doctor.stop();
        self.scan_reads.stop_all();
    }
}

/// The engine stops at its next check of the token, but a request already
/// on the wire can hold it up for a long time (a stalled registry): after
/// a grace period the task is stopped outright. Its destructors still run
/// (temporary files go), and the app hears that it ended.
async fn stop_if_stuck(id: u64, task: AbortHandle, sender: UnboundedSender<Msg>) {
    tokio::time::sleep(CANCEL_GRACE).await;
    if !task.is_finished() {
        task.abort();
        // Should the task have ended just now, the app ignores this second
        // report of the same id.
        let _ = sender.send(Msg::OperationDone {
            id,
            result: Err(Failure::Cancelled),
        });
    }
}
