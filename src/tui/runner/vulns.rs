//! Reads an image's scans and VEX for the tree: the engine's `collect` on
//! the graph the tree already holds, so only the documents are fetched,
//! and the report goes back on the one queue.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::graph::ReferrerTree;
use crate::store::SharedStore;
use crate::tui::message::{Msg, NodePath};
use crate::tui::preview::PREVIEW_LIMIT;
use crate::tui::screens::vulns::VulnsCollected;
use crate::vuln::{CollectOptions, PlatformChoice};

pub async fn collect(
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
