//! Where the graph opens the doctor's screen: on the registry row it
//! checks the registry, inside a repository it reads that repository (as
//! `regscope doctor REGISTRY/REPOSITORY` does). An OCI layout is not a
//! registry: it is refused with the CLI's words.

use super::App;
use crate::store::ReferrersSupport;
use crate::tui::message::Effect;
use crate::tui::screens::doctor::DoctorScreen;
use crate::tui::tree::NodeKind;

impl App {
    /// The doctor key in the graph.
    pub(super) fn open_doctor(&mut self) -> Vec<Effect> {
        open(self)
    }
}

fn open(app: &mut App) -> Vec<Effect> {
    if app.session.referrers_support == ReferrersSupport::SubjectScan {
        app.complain("doctor checks registries; an OCI layout has nothing to ask");
        return Vec::new();
    }
    let repository = match app.selected_node() {
        Some(node) if !matches!(node.kind, NodeKind::Registry) => {
            node.repository().map(str::to_owned)
        }
        _ => None,
    };
    let id = app.next_id();
    let page = usize::from(app.areas.tree.height.saturating_sub(4)).max(1);
    let registry = app.session.store_name.clone();
    let (screen, effect) = DoctorScreen::open(id, registry, repository, page);
    app.push_screen(Box::new(screen));
    vec![effect]
}
