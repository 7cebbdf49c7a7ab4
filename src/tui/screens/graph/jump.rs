//! Jumping: the mouse (click selects, a second click opens, the wheel
//! scrolls) and going to a typed reference.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::{Focus, Graph};
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::list::{wheel_action, wheel_scroll};
use crate::tui::message::{Effect, NodePath};
use crate::tui::screen::Cx;
use crate::tui::tree::{NodeId, Tree};

impl Graph {
    pub(super) fn mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) -> Vec<Effect> {
        let at = Position::new(mouse.column, mouse.row);
        let in_tree = self.areas.tree.contains(at);
        let in_detail = self.areas.detail.contains(at);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if in_tree => {
                self.focus = Focus::Tree;
                let line = usize::from(mouse.row.saturating_sub(self.areas.tree.y + 1));
                let Some(row) = self.rows().into_iter().nth(self.tree_offset + line) else {
                    return Vec::new();
                };
                if row.path == *self.tree.selected() {
                    return self.navigate(Action::Open, cx);
                }
                self.select(row.path)
            }
            MouseEventKind::Down(MouseButton::Left) if in_detail => {
                self.focus = Focus::Detail;
                Vec::new()
            }
            kind => match wheel_action(kind) {
                Some(_) if in_detail => {
                    wheel_scroll(kind, |action| self.scroll_detail(action, cx));
                    Vec::new()
                }
                Some(action) if in_tree => {
                    // One notch, one row: the tree moves its selection.
                    let focus = std::mem::replace(&mut self.focus, Focus::Tree);
                    let effects = self.navigate(action, cx);
                    self.focus = focus;
                    effects
                }
                _ => Vec::new(),
            },
        }
    }

    /// Makes a repository a child of the registry node even when the
    /// registry does not list it.
    pub(super) fn pin_repository(&mut self, repository: &str) -> NodePath {
        self.tree.pin(&Tree::root(), NodeId::repository(repository))
    }

    /// Clears the filters that hide `path`, saying so: going somewhere
    /// must land there, not on the root.
    pub(super) fn reveal(&mut self, path: &[NodeId], cx: &mut Cx<'_>) {
        let mut cleared = Vec::new();
        for len in 1..path.len() {
            let parent = &path[..len];
            if self.tree.filter(parent).is_none() {
                continue;
            }
            let hidden = !self
                .tree
                .visible_children(parent)
                .0
                .iter()
                .any(|id| **id == path[len]);
            if hidden && let Some(filter) = self.tree.clear_filter(parent) {
                cleared.push(format!("\"{}\"", escape_control(&filter)));
            }
        }
        if !cleared.is_empty() {
            cx.say(format!(
                "cleared the filter {} that hid it",
                cleared.join(", ")
            ));
        }
    }

    /// Goes to `repository` + tag or digest: opens it with its referrer
    /// graph expanded and lists the repository's other tags beside it.
    pub fn go_to(&mut self, repository: &str, reference: &str, cx: &mut Cx<'_>) -> Vec<Effect> {
        let repo_path = self.pin_repository(repository);
        let mut effects = self.open_node(&repo_path);
        let path = self.tree.pin(&repo_path, NodeId::tag(reference));
        self.tree.clear_filter(&repo_path);
        if let Some(node) = self.tree.node_mut(&path) {
            node.auto_expand = true;
        }
        effects.extend(self.open_node(&path));
        self.reveal(&path, cx);
        effects.extend(self.select(path));
        // The graph grows below the reference: give it the screen.
        if let Some(index) = self
            .rows()
            .iter()
            .position(|r| r.path == *self.tree.selected())
        {
            self.tree_offset = index.saturating_sub(2);
        }
        effects
    }
}
