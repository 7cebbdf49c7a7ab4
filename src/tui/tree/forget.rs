//! Forgetting what the store no longer has: deleted manifests and tags that
//! do not exist go from every place the tree showed them (tag lists,
//! referrer groups, pins, the subjects' referrer counts), so neither a
//! reload nor collapsing and expanding brings them back.

use std::collections::HashSet;

use super::{Node, NodeId, NodeKind, Tree};
use crate::oci::Digest;

impl Tree {
    /// Forgets every manifest row whose digest is in `digests`, and the
    /// attachments of that digest in every subject's referrers. Returns
    /// whether the selection moved.
    pub fn forget_digests(&mut self, digests: &HashSet<Digest>) -> bool {
        for node in self.nodes.values_mut() {
            if let Some(referrers) = &mut node.referrers {
                referrers.nodes.retain(|n| !digests.contains(n.digest()));
            }
        }
        let mut gone: Vec<_> = self
            .nodes
            .iter()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Manifest { .. }))
            .filter(|(_, n)| n.digest().is_some_and(|d| digests.contains(&d)))
            .map(|(path, _)| path.clone())
            .collect();
        // Parents first: their subtrees go with them.
        gone.sort_by_key(Vec::len);
        let mut moved = false;
        for path in gone {
            moved |= self.forget(&path);
        }
        moved
    }

    /// Forgets the rows of `tags` in `repository`: a registry drops every tag
    /// of a deleted manifest, loaded or not. Returns whether the selection
    /// moved.
    pub fn forget_tags(&mut self, repository: &str, tags: &[String]) -> bool {
        let gone: Vec<_> = self
            .nodes
            .keys()
            .filter(|path| match path.as_slice() {
                [.., NodeId::Repository(repo), NodeId::Tag(tag)] => {
                    repo == repository && tags.contains(tag)
                }
                _ => false,
            })
            .cloned()
            .collect();
        let mut moved = false;
        for path in gone {
            moved |= self.forget(&path);
        }
        moved
    }

    /// Marks every loaded index that lists one of `digests` (deleted): it
    /// points at nothing there. Returns how many indexes were marked.
    pub fn mark_dangling(&mut self, digests: &HashSet<Digest>) -> usize {
        let mut marked = 0;
        for node in self.nodes.values_mut() {
            let Some(manifest) = node.manifest.as_ref().filter(|m| m.is_index()) else {
                continue;
            };
            let lost: Vec<Digest> = manifest
                .manifests
                .iter()
                .map(|entry| entry.digest.clone())
                .filter(|digest| digests.contains(digest) && !node.dangling.contains(digest))
                .collect();
            if lost.is_empty() {
                continue;
            }
            for digest in &lost {
                node.warnings.push(format!(
                    "lists {digest}, which was deleted: this index points at nothing there"
                ));
            }
            node.dangling.extend(lost);
            marked += 1;
        }
        marked
    }

    /// Removes one row and everything below it; a referrer group left
    /// empty goes too. The selection moves up to what remains; returns
    /// whether it moved.
    pub fn forget(&mut self, path: &[NodeId]) -> bool {
        let Some((id, parent)) = path.split_last() else {
            return false;
        };
        if parent.is_empty() || !self.nodes.contains_key(path) {
            return false;
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
        let mut moved = false;
        if self.selected.starts_with(path) {
            self.selected = parent.to_vec();
            moved = true;
        }
        let empty_group = self
            .nodes
            .get(parent)
            .is_some_and(|n| matches!(n.kind, NodeKind::Group { .. }) && n.children.is_empty());
        if empty_group {
            moved |= self.forget(parent);
        }
        moved
    }

    /// Whether a node's digest already appears above it (a cycle).
    pub fn digest_among_ancestors(&self, path: &[NodeId]) -> bool {
        let Some(digest) = self.nodes.get(path).and_then(Node::digest) else {
            return false;
        };
        (1..path.len()).any(|len| {
            self.nodes
                .get(&path[..len])
                .and_then(Node::digest)
                .is_some_and(|d| d == digest)
        })
    }
}
