//! The rows the tree shows: open nodes' children after hiding fallback
//! tags and filtering, long lists cut with a row saying how many more.

use super::{NodeId, NodePath, Tree};

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

impl Tree {
    /// The rows the tree shows, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        self.push_rows(&Tree::root(), 0, &mut rows);
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
            .view(&filter, self.show_digest_tags, LIST_LIMIT, self.as_listed);
        let mut shown: Vec<&NodeId> = view
            .shown
            .iter()
            .filter_map(|&i| node.children.get(i as usize))
            .collect();
        if !filter.is_empty() {
            // An open entry whose expanded graph holds a match stays, first:
            // a filter typed at the root must not hide the graph being read.
            // The open entries are few; the list may hold 100 000, so it is
            // walked only when one of them is kept.
            let open: Vec<&NodeId> = self
                .opened
                .iter()
                .filter(|open| open.len() == path.len() + 1 && open.starts_with(path))
                .filter_map(|open| open.last())
                .filter(|id| !shown.contains(id))
                .filter(|id| self.open_below_matches(path, id, &filter))
                .collect();
            if !open.is_empty() {
                let kept: Vec<&NodeId> = node
                    .children
                    .iter()
                    .filter(|id| open.contains(id))
                    .collect();
                shown.splice(0..0, kept);
            }
        }
        (shown, view.hidden)
    }

    /// Whether `id` under `list` is open and something loaded below it
    /// reads as `filter` (lowercased): a name, a digest, an artifact type
    /// or its kind ("sbom").
    fn open_below_matches(&self, list: &[NodeId], id: &NodeId, filter: &str) -> bool {
        let mut child = list.to_vec();
        child.push(id.clone());
        if !self.opened.contains(&child) {
            return false;
        }
        self.nodes.iter().any(|(path, node)| {
            path.len() > child.len()
                && path.starts_with(&child)
                && (path
                    .last()
                    .is_some_and(|last| last.name().to_lowercase().contains(filter))
                    || node
                        .artifact_type()
                        .is_some_and(|t| t.to_lowercase().contains(filter))
                    || node
                        .artifact_kind()
                        .is_some_and(|k| k.label().to_lowercase().contains(filter)))
        })
    }

    /// Moves the selection to a visible row of `rows` (after a filter, a
    /// collapse or a removal): the nearest visible ancestor, else the
    /// first row. Returns its index.
    pub fn select_visible(&mut self, rows: &[Row]) -> usize {
        let mut index = rows.iter().position(|r| r.path == self.selected);
        if index.is_none() {
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
        index.unwrap_or(0)
    }
}
