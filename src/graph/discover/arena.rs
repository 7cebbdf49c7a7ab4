//! Where discovered nodes wait until the tree is assembled: a flat arena
//! filled level by level (parents before children), so the parallel walk
//! never holds a borrow into a half-built tree.

use std::collections::HashSet;

use crate::graph::GraphNode;
use crate::graph::node::Candidate;
use crate::oci::Digest;

/// Which list a discovered node belongs to.
#[derive(Clone, Copy)]
pub(super) enum Parent {
    Subject,
    /// The referrers of platform manifest `i` of the subject index.
    Platform(usize),
    /// The children of the node at this index of the arena.
    Node(usize),
}

/// A listed attachment waiting for its manifest.
pub(super) struct Pending {
    pub(super) parent: Parent,
    pub(super) subject: Digest,
    pub(super) candidate: Candidate,
}

/// A discovered node and where it hangs; parents come before children.
pub(super) struct Placed {
    pub(super) parent: Parent,
    pub(super) node: GraphNode,
}

/// Queues the candidates listed for `subject`, each digest once in the whole
/// tree (a hostile registry's cycle ends here).
pub(super) fn enqueue(
    queue: &mut Vec<Pending>,
    seen: &mut HashSet<Digest>,
    warnings: &mut Vec<String>,
    parent: Parent,
    subject: &Digest,
    candidates: Vec<Candidate>,
) {
    for candidate in candidates {
        if seen.insert(candidate.digest().clone()) {
            queue.push(Pending {
                parent,
                subject: subject.clone(),
                candidate,
            });
        } else {
            warnings.push(format!(
                "{} is reachable more than once (a cycle?); shown once",
                candidate.digest()
            ));
        }
    }
}

/// Hangs every placed node under its parent, keeping listing order. Children
/// always stand after their parent in the arena, so one backward pass
/// finishes each node before it is moved into its parent's list.
pub(super) fn assemble(
    arena: Vec<Placed>,
    platform_count: usize,
) -> (Vec<GraphNode>, Vec<Vec<GraphNode>>) {
    let mut children: Vec<Vec<GraphNode>> = arena.iter().map(|_| Vec::new()).collect();
    let mut subject_list = Vec::new();
    let mut platform_lists: Vec<Vec<GraphNode>> = (0..platform_count).map(|_| Vec::new()).collect();
    for (index, Placed { parent, mut node }) in arena.into_iter().enumerate().rev() {
        node.children = std::mem::take(&mut children[index]);
        node.children.reverse();
        match parent {
            Parent::Subject => subject_list.push(node),
            Parent::Platform(i) => platform_lists[i].push(node),
            Parent::Node(p) => children[p].push(node),
        }
    }
    subject_list.reverse();
    for list in &mut platform_lists {
        list.reverse();
    }
    (subject_list, platform_lists)
}
