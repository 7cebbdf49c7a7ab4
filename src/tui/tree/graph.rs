//! The graph the tree already holds, handed to the engine as its
//! discovery answer, so `s` on an expanded image asks the registry for
//! nothing it was asked before: one level of referrers, and for an index
//! each platform's, exactly what `discover` with depth 1 returns.

use crate::graph::{PlatformNode, ReferrerTree};
use crate::tui::tree::{NodeId, Status, Tree};

impl Tree {
    /// The first level of the graph below the manifest at `path`, when
    /// the tree has all of it (its referrers read, and for an index every
    /// platform's); `None` sends the engine to discover it.
    pub fn referrer_tree(&self, path: &[NodeId]) -> Option<ReferrerTree> {
        let node = self.node(path)?;
        let manifest = node.manifest.as_ref()?;
        let attachments = node.referrers.as_ref()?;
        if node.referrers_slot.status != Status::Done {
            return None;
        }
        let repository = node.repository()?.to_owned();
        let mut platforms = Vec::new();
        if manifest.is_index() {
            for id in node.children().iter() {
                if !matches!(id, NodeId::Platform { .. }) {
                    continue;
                }
                let mut child = path.to_vec();
                child.push(id.clone());
                let platform = self.node(&child)?;
                if platform.referrers_slot.status != Status::Done {
                    return None;
                }
                let referrers = platform.referrers.as_ref()?.nodes.clone();
                if !referrers.is_empty() {
                    platforms.push(PlatformNode {
                        descriptor: platform.descriptor.clone()?,
                        referrers,
                        unfetched: None,
                    });
                }
            }
        }
        Some(ReferrerTree {
            repository,
            subject: node
                .descriptor
                .clone()
                .unwrap_or_else(|| manifest.descriptor()),
            manifest: (**manifest).clone(),
            referrers: attachments.nodes.clone(),
            platforms,
            within_index: None,
            warnings: attachments.warnings.clone(),
        })
    }
}
