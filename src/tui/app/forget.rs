//! Forgetting what the store no longer has: deleted manifests and tags that
//! do not exist go from every place the tree showed them (tag lists,
//! referrer groups, pins, the subjects' referrer counts), so neither a
//! reload nor collapsing and expanding brings them back.

use std::collections::HashSet;

use super::{App, node_digest};
use crate::oci::Digest;
use crate::tui::model::NodeKind;
use crate::tui::tree::NodeId;

impl App {
    /// Forgets every manifest row whose digest is in `digests`, and the
    /// attachments of that digest in every subject's referrers.
    pub(super) fn forget_digests(&mut self, digests: &HashSet<Digest>) {
        for node in self.nodes.values_mut() {
            if let Some(referrers) = &mut node.referrers {
                referrers.nodes.retain(|n| !digests.contains(n.digest()));
            }
        }
        let mut gone: Vec<_> = self
            .nodes
            .iter()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Manifest { .. }))
            .filter(|(_, n)| node_digest(n).is_some_and(|d| digests.contains(&d)))
            .map(|(path, _)| path.clone())
            .collect();
        // Parents first: their subtrees go with them.
        gone.sort_by_key(Vec::len);
        for path in gone {
            self.forget(&path);
        }
        self.keep_selection_visible();
    }

    /// Removes one row and everything below it; a referrer group left
    /// empty goes too. The selection moves up to what remains.
    pub(super) fn forget(&mut self, path: &[NodeId]) {
        let Some((id, parent)) = path.split_last() else {
            return;
        };
        if parent.is_empty() || !self.nodes.contains_key(path) {
            return;
        }
        if let Some(node) = self.nodes.get_mut(parent) {
            node.children.retain(|child| child != id);
        }
        if self.pinned.get(parent) == Some(id) {
            self.pinned.remove(parent);
        }
        self.nodes.retain(|p, _| !p.starts_with(path));
        self.opened.retain(|p| !p.starts_with(path));
        self.filters.retain(|p, _| !p.starts_with(path));
        self.pinned.retain(|p, _| !p.starts_with(path));
        if self.selected.starts_with(path) {
            self.selected = parent.to_vec();
            self.detail_scroll = 0;
            self.detail_search.clear();
        }
        let empty_group = self
            .nodes
            .get(parent)
            .is_some_and(|n| matches!(n.kind, NodeKind::Group { .. }) && n.children.is_empty());
        if empty_group {
            self.forget(parent);
        }
    }
}
