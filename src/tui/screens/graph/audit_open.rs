//! Opening the audit table from the graph: the selected repository (or the
//! registry, for all its repositories), with the config's trust material
//! for it. The table itself is a screen (`screens::audit`).

use super::Graph;
use crate::audit::{AuditEvent, AuditTarget};
use crate::tui::message::{Effect, Msg};
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::audit::{AuditMsg, AuditTable};
use crate::tui::tree::NodeKind;

impl Graph {
    /// Opens the audit of the selected repository (or of the registry).
    pub(super) fn start_audit(&mut self, cx: &mut Cx<'_>) -> Vec<Effect> {
        let (target, title) = match self.tree.selected_node().map(|n| &n.kind) {
            Some(NodeKind::Repository { name }) => {
                (AuditTarget::Repository(name.clone()), name.clone())
            }
            Some(NodeKind::Registry) | None => {
                (AuditTarget::Registry, cx.session.store_name.clone())
            }
            Some(_) => match self.tree.selected_node().and_then(|n| n.repository()) {
                Some(repository) => (
                    AuditTarget::Repository(repository.to_owned()),
                    repository.to_owned(),
                ),
                None => (AuditTarget::Registry, cx.session.store_name.clone()),
            },
        };
        let repository = match &target {
            AuditTarget::Repository(name) => Some(name.as_str()),
            AuditTarget::Registry => None,
        };
        let trust = cx.config.trust(&cx.session.registry, repository);
        let id = cx.next_id();
        let page = cx.page();
        let mut table = AuditTable::open(id, title, page);
        table.warnings.clone_from(&trust.warnings);
        cx.ask(Ask::Open(Box::new(table)));
        vec![Effect::Audit { id, target, trust }]
    }

    /// Keeps each audited signature's verdict, so its detail pane shows it
    /// after the table is closed.
    pub fn record_verdicts(&mut self, msg: &Msg) {
        if let Msg::Audit(AuditMsg::Event(_, AuditEvent::Row(row))) = msg {
            for signature in &row.signatures {
                self.verdicts
                    .insert(signature.digest.clone(), signature.verification.clone());
            }
        }
    }
}
