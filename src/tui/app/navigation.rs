//! Moving through the tree: the visible rows, selection, expanding and
//! collapsing, paging.

use super::{App, Focus};
use crate::tui::keymap::Action;
use crate::tui::message::{Effect, JobKind, NodePath};
use crate::tui::model::{ManifestRole, Node, NodeKind};
use crate::tui::tree::NodeId;

/// More rows than this in one list are cut, with a row saying how many
/// more there are: the filter (`/`) finds the rest.
pub const LIST_LIMIT: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub path: NodePath,
    pub depth: usize,
    /// For the "… N more" row: how many rows it stands for.
    pub more: usize,
}

impl App {
    /// The rows the tree shows, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        self.push_rows(&[NodeId::Registry], 0, &mut rows);
        rows
    }

    fn push_rows(&self, path: &[NodeId], depth: usize, rows: &mut Vec<Row>) {
        rows.push(Row {
            path: path.to_vec(),
            depth,
            more: 0,
        });
        if !self.opened.contains(path) {
            return;
        }
        let (children, hidden) = self.visible_children(path);
        for id in children {
            let mut child = path.to_vec();
            child.push(id.clone());
            self.push_rows(&child, depth + 1, rows);
        }
        if hidden > 0 {
            let mut more = path.to_vec();
            more.push(NodeId::More);
            rows.push(Row {
                path: more,
                depth: depth + 1,
                more: hidden,
            });
        }
    }

    /// A list's children after hiding digest tags and filtering, cut at
    /// `LIST_LIMIT`; with the number cut.
    pub fn visible_children(&self, path: &[NodeId]) -> (Vec<&NodeId>, usize) {
        let Some(node) = self.nodes.get(path) else {
            return (Vec::new(), 0);
        };
        let filter = self
            .filters
            .get(path)
            .map(|f| f.to_lowercase())
            .unwrap_or_default();
        // Computed once per change of the list or the filter (see
        // `Children::view`); here only the shown rows are touched.
        let view = node
            .children
            .view(&filter, self.show_digest_tags, LIST_LIMIT);
        let shown = view
            .shown
            .iter()
            .filter_map(|&i| node.children.get(i as usize))
            .collect();
        (shown, view.hidden)
    }

    pub(super) fn navigate(&mut self, action: Action) -> Vec<Effect> {
        if self.focus == Focus::Detail {
            self.scroll_detail(action);
            return Vec::new();
        }
        let rows = self.rows();
        let index = rows
            .iter()
            .position(|r| r.path == self.selected)
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
                let path = self.selected.clone();
                if self.opened.contains(&path) {
                    self.opened.remove(&path);
                    self.keep_selection_visible();
                    return Vec::new();
                }
                if path.len() > 1 {
                    return self.select(path[..path.len() - 1].to_vec());
                }
                return Vec::new();
            }
            Action::Expand => {
                let path = self.selected.clone();
                if self.opened.contains(&path) {
                    (index + 1).min(last)
                } else {
                    return self.open_node(&path);
                }
            }
            Action::Open => {
                let path = self.selected.clone();
                if self.opened.contains(&path) {
                    self.opened.remove(&path);
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

    pub(super) fn scroll_detail(&mut self, action: Action) {
        let page = self.areas.detail.height.saturating_sub(2).max(1);
        // The offset counts lines (the pane skips them without laying them
        // out); scrolling stops where the last line, wrapped, reaches the
        // bottom row.
        let width = self.areas.detail.width.saturating_sub(2);
        let last = crate::tui::view::detail_text(self).last_start(width, page);
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
        if path != self.selected {
            self.detail_scroll = 0;
            self.detail_search.clear();
        }
        self.selected = path;
        self.ensure_node(&self.selected.clone());
        self.keep_selection_visible();
        self.selection_effects()
    }

    /// Loads what the detail pane of the selected node shows: a blob's
    /// preview; a referrer's manifest and, for SBOMs and signatures, the
    /// document inside. Tags wait for Enter: listing a registry's tags must
    /// not fetch every manifest the cursor passes over.
    pub(super) fn selection_effects(&mut self) -> Vec<Effect> {
        let path = self.selected.clone();
        let Some(node) = self.nodes.get(&path) else {
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
        self.ensure_node(path);
        let Some(node) = self.nodes.get(path) else {
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
        self.opened.insert(path.to_vec());
        effects
    }

    /// Creates the node of a listing entry (repository or tag) on first touch.
    pub(super) fn ensure_node(&mut self, path: &[NodeId]) {
        if self.nodes.contains_key(path) || path.len() < 2 {
            return;
        }
        let id = &path[path.len() - 1];
        let parent = &path[..path.len() - 1];
        let kind = match id {
            NodeId::Repository(name) => NodeKind::Repository { name: name.clone() },
            NodeId::Tag(tag) => {
                let Some(repository) = self.nodes.get(parent).and_then(Node::repository) else {
                    return;
                };
                NodeKind::Manifest {
                    repository: repository.to_owned(),
                    reference: tag.clone(),
                    role: ManifestRole::Tag(tag.clone()),
                }
            }
            _ => return,
        };
        self.nodes.insert(path.to_vec(), Node::new(kind));
    }

    /// Keeps the selection on a visible row (after a filter or collapse)
    /// and the tree scrolled so that it shows.
    pub fn keep_selection_visible(&mut self) {
        let rows = self.rows();
        let mut index = rows.iter().position(|r| r.path == self.selected);
        if index.is_none() {
            // The nearest visible ancestor, else the first row.
            let mut path = self.selected.clone();
            while index.is_none() && path.len() > 1 {
                path.pop();
                index = rows.iter().position(|r| r.path == path);
            }
            let row = index.and_then(|i| rows.get(i)).or(rows.first());
            if let Some(row) = row {
                self.selected.clone_from(&row.path);
            }
        }
        let index = index.unwrap_or(0);
        let height = usize::from(self.areas.tree.height.saturating_sub(2)).max(1);
        if index < self.tree_offset {
            self.tree_offset = index;
        } else if index >= self.tree_offset + height {
            self.tree_offset = index + 1 - height;
        }
        self.tree_offset = self.tree_offset.min(rows.len().saturating_sub(1));
    }
}
