//! Filtering the graph: `/` opens a prompt over it, and what is typed
//! there narrows the list holding the selection as it is typed (or, in
//! the detail pane, the SBOM's component list).

use super::{Focus, Graph};
use crate::tui::message::{Effect, NodePath};
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::prompt::{Prompt, PromptKind};
use crate::tui::tree::NodeKind;

impl Graph {
    pub(super) fn begin_filter(&mut self, cx: &mut Cx<'_>) {
        if self.focus == Focus::Detail {
            let prompt = Prompt::new(PromptKind::Search, &self.detail_search);
            cx.ask(Ask::Open(Box::new(prompt)));
            return;
        }
        // The list being filtered is the one holding the selection, or the
        // selection's children when it is an open listing.
        let selected = self.tree.selected().clone();
        let is_open_listing = self.tree.is_open(&selected)
            && matches!(
                self.tree.node(&selected).map(|n| &n.kind),
                Some(NodeKind::Registry | NodeKind::Repository { .. })
            );
        let parent = if is_open_listing || selected.len() == 1 {
            selected
        } else {
            selected[..selected.len() - 1].to_vec()
        };
        let text = self.tree.filter(&parent).unwrap_or_default().to_owned();
        self.filtering = Some(parent);
        cx.ask(Ask::Open(Box::new(Prompt::new(PromptKind::Filter, &text))));
    }

    /// What is typed in a prompt opened on the graph.
    pub(super) fn typed(&mut self, prompt: PromptKind, text: String) -> Vec<Effect> {
        match prompt {
            PromptKind::Filter => {
                let Some(parent) = self.filtering.clone() else {
                    return Vec::new();
                };
                self.apply_filter(parent, text);
                self.selection_effects()
            }
            PromptKind::Search => {
                self.detail_search = text;
                self.detail_scroll = 0;
                Vec::new()
            }
            PromptKind::GoTo => Vec::new(),
        }
    }

    fn apply_filter(&mut self, parent: NodePath, text: String) {
        self.tree.set_filter(&parent, text);
        // Typing narrows the list: the cursor goes to its first match.
        let first = self
            .tree
            .visible_children(&parent)
            .0
            .first()
            .map(|id| (*id).clone());
        if let Some(id) = first {
            let selected = self.tree.selected();
            let selected_visible = selected.len() == parent.len() + 1
                && selected.starts_with(&parent)
                && self.rows().iter().any(|r| r.path == *selected);
            if !selected_visible {
                let mut path = parent.clone();
                path.push(id);
                self.tree.select(path);
            }
        } else {
            self.tree.select(parent);
        }
        let selected = self.tree.selected();
        let list = selected[..selected.len().max(1) - 1].to_vec();
        self.tree.open(&list);
        self.keep_selection_visible();
    }
}
