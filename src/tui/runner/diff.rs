//! The diff screen's work in the runner: `crate::diff::diff` of two images
//! (of the store being browsed, or the marked one of a store browsed
//! before), every section, the platform chosen as
//! `regscope diff` chooses it; bytes read reported at most ten times a
//! second; the report (or why there is none) sent back as `Msg::Diff`.
//! Nothing here touches the app's state.

use std::collections::HashMap;
use std::time::Instant;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::progress::BYTES_INTERVAL;
use crate::diff::{DiffOptions, DiffSide, diff};
use crate::ops::{CancellationToken, OpError, Progress};
use crate::store::SharedStore;
use crate::tui::message::Msg;
use crate::tui::screens::diff::{DiffMsg, DiffTarget};

/// What a diff screen asked to compare.
pub struct Request {
    pub id: u64,
    pub left: DiffTarget,
    pub right: DiffTarget,
}

/// Runs the diff off the render loop. `crate::diff::diff`'s future is
/// not `Send` as the compiler sees it (its borrowed sides cross awaits
/// inside joined closures, a higher-ranked lifetime it cannot prove
/// `Send`), so it cannot go to `tokio::spawn`: it runs on a blocking
/// thread of the same runtime, which still drives its I/O.
/// `stores`: the left side's (`None` when the store it was marked in is
/// not known to this runner) and the right side's.
pub fn spawn(
    stores: (Option<SharedStore>, SharedStore),
    request: Request,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        runtime.block_on(perform(stores, request, sender, cancel));
    });
}

async fn perform(
    (left_store, right_store): (Option<SharedStore>, SharedStore),
    request: Request,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let id = request.id;
    let Some(left_store) = left_store else {
        let store = request.left.store.unwrap_or_default();
        let result = Err(format!(
            "the marked image is in {store}, which this session no longer holds: \
             mark it again there"
        ));
        let _ = sender.send(Msg::Diff(DiffMsg::Done { id, result }));
        return;
    };
    let side = |store: SharedStore, target: DiffTarget| DiffSide {
        store,
        repository: target.repository,
        reference: target.reference,
        name: target.name,
    };
    let (left, right) = (
        side(left_store, request.left),
        side(right_store, request.right),
    );
    let (sink, events) = unbounded_channel();
    tokio::spawn(forward_bytes(id, events, sender.clone()));
    let result = diff(&left, &right, &DiffOptions::default(), &sink, &cancel).await;
    let result = match result {
        Ok(report) => Ok(Box::new(report)),
        Err(OpError::Cancelled) => Err("cancelled".to_owned()),
        Err(error) => {
            tracing::warn!("diff of {} with {}: {error}", left.name, right.name);
            Err(error.to_string())
        }
    };
    let _ = sender.send(Msg::Diff(DiffMsg::Done { id, result }));
}

/// Sums the bytes of every transfer the diff starts (layers, SBOMs).
async fn forward_bytes(
    id: u64,
    mut events: UnboundedReceiver<Progress>,
    sender: UnboundedSender<Msg>,
) {
    let mut totals: HashMap<crate::oci::Digest, u64> = HashMap::new();
    let mut done: HashMap<crate::oci::Digest, u64> = HashMap::new();
    let mut last = None::<Instant>;
    while let Some(event) = events.recv().await {
        match event {
            Progress::Started { digest, total, .. } => {
                totals.insert(digest, total);
            }
            Progress::Bytes {
                digest,
                done: bytes,
            } => {
                done.insert(digest, bytes);
            }
            _ => continue,
        }
        let now = Instant::now();
        if last.is_none_or(|l| now.duration_since(l) >= BYTES_INTERVAL) {
            last = Some(now);
            let msg = DiffMsg::Progress {
                id,
                done: done.values().sum(),
                total: totals.values().sum(),
            };
            let _ = sender.send(Msg::Diff(msg));
        }
    }
}
