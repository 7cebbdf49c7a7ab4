//! Runs an audit for the TUI: every row goes back on the one queue as soon
//! as it is done, so the table fills while the rest is looked up.

use tokio::sync::mpsc::UnboundedSender;

use crate::audit::trust_config::TrustMaterial;
use crate::audit::{AuditOptions, AuditTarget, audit};
use crate::ops::CancellationToken;
use crate::store::{SharedStore, StoreError};
use crate::tui::message::Msg;
use crate::tui::screens::audit::AuditMsg;

pub async fn perform(
    store: SharedStore,
    id: u64,
    target: AuditTarget,
    trust: TrustMaterial,
    sender: UnboundedSender<Msg>,
    cancel: CancellationToken,
) {
    let events = sender.clone();
    let mut on_event = move |event| {
        let _ = events.send(Msg::Audit(AuditMsg::Event(id, event)));
    };
    let result = audit(
        store.as_ref(),
        &target,
        &AuditOptions {
            keys: trust.keys,
            keyless: trust.keyless,
            root: trust.root,
            notation: trust.notation,
            time_policy: trust.policy,
            // The table's VULNS column, as the CLI's audit reads them.
            vulnerabilities: true,
            ..AuditOptions::default()
        },
        &mut on_event,
        &cancel,
    )
    .await;
    let result = match result {
        Ok(_) => Ok(()),
        Err(StoreError::Cancelled) => Err("cancelled".to_owned()),
        Err(error) => Err(error.to_string()),
    };
    let _ = sender.send(Msg::Audit(AuditMsg::Done(id, result)));
}
