//! Reads an image's scans and VEX for the tree: the engine's `collect` on
//! the graph the tree already holds, so only the documents are fetched,
//! and the report goes back on the one queue. The reads belong to the
//! graph they label: a newer read for the same image supersedes the
//! older, and `g` to another store (or quitting) stops them all, so no
//! download goes on for a view that is gone.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::graph::ReferrerTree;
use crate::store::SharedStore;
use crate::tui::message::{Msg, NodePath};
use crate::tui::preview::PREVIEW_LIMIT;
use crate::tui::screens::vulns::VulnsCollected;
use crate::vuln::{CollectOptions, PlatformChoice};

/// The reads under way, by the image they label.
#[derive(Debug, Default)]
pub struct ScanReads {
    running: HashMap<NodePath, AbortHandle>,
}

impl ScanReads {
    /// Reads the scans of `tree` for the image at `subject`, stopping an
    /// older read for it.
    pub fn start(
        &mut self,
        store: SharedStore,
        (subject, tree): (NodePath, Arc<ReferrerTree>),
        sender: UnboundedSender<Msg>,
    ) {
        self.running.retain(|_, task| !task.is_finished());
        let task = tokio::spawn(collect(store, subject.clone(), tree, sender));
        if let Some(older) = self.running.insert(subject, task.abort_handle()) {
            older.abort();
        }
    }

    /// Stops every read (their graph is gone).
    pub fn stop_all(&mut self) {
        for (_, task) in self.running.drain() {
            task.abort();
        }
    }

    /// Reads not finished yet (an aborted one counts until it has stopped).
    pub fn running(&self) -> usize {
        self.running.values().filter(|t| !t.is_finished()).count()
    }
}

async fn collect(
    store: SharedStore,
    subject: NodePath,
    tree: Arc<ReferrerTree>,
    sender: UnboundedSender<Msg>,
) {
    let options = CollectOptions {
        // An index's own scans and each platform's: every scan node in
        // the tree gets its counts, the index's VEX applied to them.
        platform: PlatformChoice::All,
        // What the tree reads in the background stays within what it
        // would preview.
        max_document: PREVIEW_LIMIT,
        ..CollectOptions::default()
    };
    let report = crate::vuln::collect(store.as_ref(), &tree, &options).await;
    let _ = sender.send(Msg::Vulns(VulnsCollected {
        subject,
        digest: tree.subject.digest.clone(),
        report: Arc::new(report),
    }));
}
