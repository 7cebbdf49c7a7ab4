//! The browsed tree, owned by one type: its nodes, which are open, which is
//! selected, the filters of its lists and the references a person named
//! (pinned). Every change of the tree's shape goes through `Tree`'s
//! methods, so a manifest that is deleted or a tag that does not exist
//! leaves every place it was shown at once.

pub mod children;
mod forget;
mod graph;
pub mod id;
pub mod node;
mod rows;

use std::collections::{HashMap, HashSet};

pub use children::{ChildView, Children};
pub use id::{NodeId, NodePath};
pub use node::{BlobRole, ManifestRole, Node, NodeKind, Slot, Status};
pub use rows::{LIST_LIMIT, Row};

#[derive(Debug)]
pub struct Tree {
    nodes: HashMap<NodePath, Node>,
    opened: HashSet<NodePath>,
    selected: NodePath,
    /// The filter of each list, keyed by the list's parent.
    filters: HashMap<NodePath, String>,
    /// References named by the user (`g`, the command line) stay listed
    /// even when the registry's listing lacks them, until the store says
    /// they do not exist.
    pinned: HashMap<NodePath, NodeId>,
    show_digest_tags: bool,
    /// Lists in the registry's order instead of version order.
    as_listed: bool,
    /// The image marked for a diff (`screens::diff::mark`).
    pub diff_mark: Option<crate::tui::screens::diff::DiffMark>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

impl Tree {
    /// A tree of the registry alone, selected.
    pub fn new() -> Tree {
        let root = Tree::root();
        let mut nodes = HashMap::new();
        nodes.insert(root.clone(), Node::new(NodeKind::Registry));
        Tree {
            nodes,
            opened: HashSet::new(),
            selected: root,
            filters: HashMap::new(),
            pinned: HashMap::new(),
            show_digest_tags: false,
            as_listed: false,
            diff_mark: None,
        }
    }

    pub fn root() -> NodePath {
        vec![NodeId::Registry]
    }

    pub fn node(&self, path: &[NodeId]) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// A node's own loads and contents. Its place in the tree (children,
    /// opened, selected) changes only through the tree.
    pub fn node_mut(&mut self, path: &[NodeId]) -> Option<&mut Node> {
        self.nodes.get_mut(path)
    }

    pub fn nodes(&self) -> impl Iterator<Item = (&NodePath, &Node)> {
        self.nodes.iter()
    }

    pub fn selected(&self) -> &NodePath {
        &self.selected
    }

    pub fn selected_node(&self) -> Option<&Node> {
        self.nodes.get(&self.selected)
    }

    pub fn is_open(&self, path: &[NodeId]) -> bool {
        self.opened.contains(path)
    }

    /// The filter of the list below `list`, if any.
    pub fn filter(&self, list: &[NodeId]) -> Option<&str> {
        self.filters.get(list).map(String::as_str)
    }

    pub fn has_filters(&self) -> bool {
        !self.filters.is_empty()
    }

    /// The id `list` keeps listed because a person named it.
    pub fn pinned(&self, list: &[NodeId]) -> Option<&NodeId> {
        self.pinned.get(list)
    }

    pub fn show_digest_tags(&self) -> bool {
        self.show_digest_tags
    }

    /// Shows or hides fallback tags (`sha256-*`); returns whether shown.
    pub fn toggle_digest_tags(&mut self) -> bool {
        self.show_digest_tags = !self.show_digest_tags;
        self.show_digest_tags
    }

    /// Switches lists between version order and the registry's order;
    /// returns whether they now show as listed.
    pub fn toggle_order(&mut self) -> bool {
        self.as_listed = !self.as_listed;
        self.as_listed
    }

    pub fn open(&mut self, path: &[NodeId]) {
        self.opened.insert(path.to_vec());
    }

    /// Closes a node; returns whether it was open.
    pub fn close(&mut self, path: &[NodeId]) -> bool {
        self.opened.remove(path)
    }

    /// Selects `path`, creating its node if it is a listing entry; returns
    /// whether the selection changed. The filter of a list the selection
    /// leaves goes: it would hide rows of a list no longer looked at.
    pub fn select(&mut self, path: NodePath) -> bool {
        self.ensure_node(&path);
        self.filters.retain(|list, _| path.starts_with(list));
        let changed = path != self.selected;
        self.selected = path;
        changed
    }

    /// How many of `list`'s entries count as its tags or repositories:
    /// fallback tags are left out while hidden, and a digest a person went
    /// to (pinned, shown as a row) is not a tag.
    pub fn listed_count(&self, list: &[NodeId]) -> usize {
        let Some(node) = self.nodes.get(list) else {
            return 0;
        };
        let hidden_tags = if self.show_digest_tags {
            0
        } else {
            node.children.digest_tags()
        };
        // Both counted as the ids arrived: a frame never walks the list.
        let digest_pins = node.children.digest_references();
        node.children.len() - hidden_tags - digest_pins
    }

    /// For a filtered list: how many of its entries the filter lets
    /// through, and how many there are, both counted as `listed_count`
    /// counts them.
    pub fn filtered_count(&self, list: &[NodeId]) -> Option<(usize, usize)> {
        self.filters.get(list)?;
        let (shown, cut) = self.visible_children(list);
        let pins = shown.iter().filter(|id| id.is_digest_reference()).count();
        Some((shown.len() + cut - pins, self.listed_count(list)))
    }

    /// Creates the node of a listing entry (repository or tag) on first
    /// touch.
    pub fn ensure_node(&mut self, path: &[NodeId]) {
        let Some((id, parent)) = path.split_last() else {
            return;
        };
        if self.nodes.contains_key(path) || parent.is_empty() {
            return;
        }
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

    /// Adds a node unless one is there; returns whether it was added.
    pub fn insert_missing(&mut self, path: NodePath, node: Node) -> bool {
        if self.nodes.contains_key(&path) {
            return false;
        }
        self.nodes.insert(path, node);
        true
    }

    /// Replaces a node's children (a manifest's, rebuilt from what is
    /// known of it).
    pub fn set_children(&mut self, path: &[NodeId], ids: Vec<NodeId>) {
        if let Some(node) = self.nodes.get_mut(path) {
            node.children = ids.into();
        }
    }

    /// Appends one page of a listing; the pinned entry is already there.
    pub fn add_listed(&mut self, list: &[NodeId], ids: Vec<NodeId>) {
        let pinned = self.pinned.get(list);
        if let Some(node) = self.nodes.get_mut(list) {
            node.children
                .extend(ids.into_iter().filter(|id| Some(id) != pinned));
        }
    }

    /// Empties a listing before it is read again, keeping what is pinned.
    pub fn restart_listing(&mut self, list: &[NodeId]) {
        let pinned = self.pinned.get(list).cloned();
        if let Some(node) = self.nodes.get_mut(list) {
            node.children.clear();
            node.children.extend(pinned);
        }
    }

    /// Keeps `id` listed under `list` (first, if the listing lacks it),
    /// opens the list, and returns the pinned node's path.
    pub fn pin(&mut self, list: &[NodeId], id: NodeId) -> NodePath {
        if let Some(node) = self.nodes.get_mut(list)
            && !node.children.contains(&id)
        {
            node.children.insert(0, id.clone());
        }
        self.pinned.insert(list.to_vec(), id.clone());
        self.opened.insert(list.to_vec());
        let mut path = list.to_vec();
        path.push(id);
        self.ensure_node(&path);
        path
    }

    /// Sets the filter of the list below `list`; an empty one removes it.
    pub fn set_filter(&mut self, list: &[NodeId], text: String) {
        if text.is_empty() {
            self.filters.remove(list);
        } else {
            self.filters.insert(list.to_vec(), text);
        }
    }

    /// Removes the filter of one list, returning it.
    pub fn clear_filter(&mut self, list: &[NodeId]) -> Option<String> {
        self.filters.remove(list)
    }
}
