//! Where the graph opens the doctor's screen: on the registry row it
//! checks the registry, inside a repository it reads that repository (as
//! `regscope doctor REGISTRY/REPOSITORY` does). An OCI layout is not a
//! registry: it is refused with the CLI's words.

use super::Graph;
use crate::store::ReferrersSupport;
use crate::tui::keymap::Action;
use crate::tui::message::Effect;
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::doctor::DoctorScreen;
use crate::tui::tree::NodeKind;

impl Graph {
    /// The doctor key in the graph.
    pub(super) fn open_doctor(&mut self, cx: &mut Cx<'_>) -> Vec<Effect> {
        if cx.session.referrers_support == ReferrersSupport::SubjectScan {
            cx.complain("doctor checks registries; an OCI layout has nothing to ask");
            return Vec::new();
        }
        let repository = match self.tree.selected_node() {
            Some(node) if !matches!(node.kind, NodeKind::Registry) => {
                node.repository().map(str::to_owned)
            }
            _ => None,
        };
        let id = cx.next_id();
        let page = cx.page();
        let registry = cx.session.store_name.clone();
        let write_key = cx.config.keymap.hint(Action::RunWriting);
        let (screen, effect) = DoctorScreen::open(id, (registry, repository), page, write_key);
        cx.ask(Ask::Open(Box::new(screen)));
        vec![effect]
    }
}
