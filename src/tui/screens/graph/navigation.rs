//! Moving through the tree: the visible rows, selection, expanding and
//! collapsing, paging.

use super::{Focus, Graph};
use crate::tui::keymap::Action;
use crate::tui::message::{Effect, JobKind, NodePath};
use crate::tui::screen::Cx;
use crate::tui::tree::{ManifestRole, NodeId, NodeKind};
use crate::tui::view::{AppView, detail_text};

impl Graph {
    pub(super) fn navigate(&mut self, action: Action, cx: &mut Cx<'_>) -> Vec<Effect> {
        if self.focus == Focus::Detail {
            self.scroll_detail(action, cx);
            return Vec::new();
        }
        let rows = self.rows();
        let index = rows
            .iter()
            .position(|r| r.path == *self.tree.selected())
            .unwrap_or(0);
        let page = usize::from(self.areas.tree.height.saturating_sub(2)).max(1);
        let last = rows.len().saturating_sub(1);
        let target = match action {
            Action::Up => index.saturating_sub(1),
            Action::Down => (index + 1).min(last),
            Action::PageUp => index.saturating_sub(page),
            Action::PageDown => (index + page).min(last),
            Action::First => 0,
            Action::Last => last,
            Action::Collapse => {
                let path = self.tree.selected().clone();
                if self.tree.close(&path) {
                    self.keep_selection_visible();
                    return Vec::new();
                }
                if path.len() > 1 {
                    return self.select(path[..path.len() - 1].to_vec());
                }
                return Vec::new();
            }
            Action::Expand => {
                let path = self.tree.selected().clone();
                if self.tree.is_open(&path) {
                    (index + 1).min(last)
                } else {
                    return self.open_node(&path);
                }
            }
            Action::Open => {
                if let Some(effects) = self.open_layer_files(cx) {
                    return effects;
                }
                if let Some(effects) = self.open_findings(cx) {
                    return effects;
                }
                let path = self.tree.selected().clone();
                if self.tree.close(&path) {
                    return Vec::new();
                }
                return self.open_node(&path);
            }
            _ => index,
        };
        match rows.into_iter().nth(target) {
            Some(row) => self.select(row.path),
            None => Vec::new(),
        }
    }

    pub(super) fn scroll_detail(&mut self, action: Action, cx: &Cx<'_>) {
        let page = self.areas.detail.height.saturating_sub(2).max(1);
        // The offset counts lines (the pane skips them without laying them
        // out); scrolling stops where the last line, wrapped, reaches the
        // bottom row.
        let width = self.areas.detail.width.saturating_sub(2);
        let look = cx.look();
        let last = detail_text(&AppView::new(self, &look)).last_start(width, page);
        let last = u16::try_from(last).unwrap_or(u16::MAX);
        self.detail_scroll = match action {
            Action::Up => self.detail_scroll.saturating_sub(1),
            Action::Down => self.detail_scroll.saturating_add(1),
            Action::PageUp => self.detail_scroll.saturating_sub(page),
            Action::PageDown => self.detail_scroll.saturating_add(page),
            Action::First => 0,
            Action::Last => last,
            _ => self.detail_scroll,
        }
        .min(last);
    }

    /// Selects a row and starts what the detail pane needs for it.
    pub fn select(&mut self, path: NodePath) -> Vec<Effect> {
        if self.tree.select(path) {
            self.detail_scroll = 0;
            self.detail_search.clear();
        }
        self.keep_selection_visible();
        self.selection_effects()
    }

    /// Loads what the detail pane of the selected node shows: a blob's
    /// preview; a referrer's manifest and, for SBOMs and signatures, the
    /// document inside. Tags wait for Enter: listing a registry's tags must
    /// not fetch every manifest the cursor passes over.
    pub(super) fn selection_effects(&mut self) -> Vec<Effect> {
        let path = self.tree.selected().clone();
        let Some(node) = self.tree.node(&path) else {
            return Vec::new();
        };
        let is_blob = matches!(node.kind, NodeKind::Blob { .. });
        let is_digest_manifest = matches!(
            &node.kind,
            NodeKind::Manifest { role, .. } if !matches!(role, ManifestRole::Tag(_))
        );
        let has_preview = super::loading::preview_descriptor(node).is_some();
        let mut effects = Vec::new();
        if is_digest_manifest {
            effects.extend(self.start_if_idle(&path, JobKind::Manifest));
        }
        if is_blob || has_preview {
            effects.extend(self.start_if_idle(&path, JobKind::Preview));
        }
        effects
    }

    /// Opens a node and starts whatever it needs to show its children.
    pub fn open_node(&mut self, path: &[NodeId]) -> Vec<Effect> {
        self.tree.ensure_node(path);
        let Some(node) = self.tree.node(path) else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        match node.kind {
            NodeKind::Blob { .. } => return effects,
            NodeKind::Registry | NodeKind::Repository { .. } => {
                effects.extend(self.start_if_idle(path, JobKind::Listing));
            }
            NodeKind::Manifest { .. } => {
                effects.extend(self.start_if_idle(path, JobKind::Manifest));
                effects.extend(self.start_if_idle(path, JobKind::Referrers));
            }
            NodeKind::Group { .. } => {}
        }
        self.tree.open(path);
        effects
    }

    /// Keeps the selection on a visible row (after a filter or collapse)
    /// and the tree scrolled so that it shows.
    pub fn keep_selection_visible(&mut self) {
        let rows = self.rows();
        let index = self.tree.select_visible(&rows);
        let height = usize::from(self.areas.tree.height.saturating_sub(2)).max(1);
        if index < self.tree_offset {
            self.tree_offset = index;
        } else if index >= self.tree_offset + height {
            self.tree_offset = index + 1 - height;
        }
        self.tree_offset = self.tree_offset.min(rows.len().saturating_sub(1));
    }
}

impl Graph {
    /// Removes one row and what is below it (a tag that does not exist).
    pub(super) fn forget(&mut self, path: &[NodeId]) {
        let moved = self.tree.forget(path);
        self.after_forgetting(moved);
    }

    /// After rows went: a selection that moved shows its new node from the
    /// top, and stays on screen.
    pub(super) fn after_forgetting(&mut self, selection_moved: bool) {
        if selection_moved {
            self.detail_scroll = 0;
            self.detail_search.clear();
        }
        self.keep_selection_visible();
    }
}
