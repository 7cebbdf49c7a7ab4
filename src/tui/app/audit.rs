//! Opening the audit table from the graph: the selected repository (or the
//! registry, for all its repositories), with the config's trust material
//! for it. The table itself is a screen (`screens::audit`).

use super::App;
use crate::audit::{AuditEvent, AuditTarget};
use crate::tui::message::{Effect, Msg};
pub use crate::tui::screens::audit::{AUDIT_COLUMNS, AuditMsg, AuditSort, AuditTable};
use crate::tui::tree::NodeKind;

impl App {
    /// Opens the audit of the selected repository (or of the registry).
    pub(super) fn start_audit(&mut self) -> Vec<Effect> {
        let (target, title) = match self.selected_node().map(|n| &n.kind) {
            Some(NodeKind::Repository { name }) => {
                (AuditTarget::Repository(name.clone()), name.clone())
            }
            Some(NodeKind::Registry) | None => {
                (AuditTarget::Registry, self.session.store_name.clone())
            }
            Some(_) => match self.selected_node().and_then(|n| n.repository()) {
                Some(repository) => (
                    AuditTarget::Repository(repository.to_owned()),
                    repository.to_owned(),
                ),
                None => (AuditTarget::Registry, self.session.store_name.clone()),
            },
        };
        let repository = match &target {
            AuditTarget::Repository(name) => Some(name.as_str()),
            AuditTarget::Registry => None,
        };
        let trust = self.config.trust(&self.session.registry, repository);
        let id = self.next_id();
        let page = usize::from(self.areas.tree.height.saturating_sub(4)).max(1);
        let mut table = AuditTable::open(id, title, page);
        table.warnings.clone_from(&trust.warnings);
        self.push_screen(Box::new(table));
        vec![Effect::Audit { id, target, trust }]
    }

    /// Keeps each audited signature's verdict, so its detail pane shows it
    /// after the table is closed.
    pub(super) fn record_verdicts(&mut self, msg: &Msg) {
        if let Msg::Audit(AuditMsg::Event(_, AuditEvent::Row(row))) = msg {
            for signature in &row.signatures {
                self.verdicts
                    .insert(signature.digest.clone(), signature.verification.clone());
            }
        }
    }
}
