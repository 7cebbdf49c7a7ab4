//! The graph the tree already holds, handed to the engine as its
//! discovery answer, so a key on an expanded image asks the registry for
//! nothing it was asked before: for `s`, one level of referrers (and for
//! an index each platform's), exactly what `discover` with depth 1
//! returns; for copy and delete, every level.

use std::collections::HashSet;

use crate::graph::{GraphNode, PlatformNode, ReferrerTree};
use crate::oci::Digest;
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

/// How deep the whole graph is followed: a hostile registry's graph can
/// be endless; deeper than this, the engine discovers it itself.
const WHOLE_GRAPH_DEPTH: usize = 32;

impl Tree {
    /// Every level of the graph below the manifest at `path`, as
    /// `discover` returns it, when the tree has read all of it: every
    /// referrer's own referrers, and the repository's whole tag list
    /// (where cosign's tags are found). Copy and delete start from it;
    /// `None` sends them to discover it.
    pub fn whole_graph(&self, path: &[NodeId]) -> Option<ReferrerTree> {
        let repository = self.node(&path[..path.len().min(2)])?;
        if repository.listing.status != Status::Done {
            return None;
        }
        let mut tree = self.referrer_tree(path)?;
        let mut seen: HashSet<Digest> = HashSet::from([tree.subject.digest.clone()]);
        seen.extend(tree.platforms.iter().map(|p| p.descriptor.digest.clone()));
        seen.extend(tree.all_nodes().into_iter().map(|n| n.digest().clone()));
        let mut warnings = Vec::new();
        for node in &mut tree.referrers {
            self.fill(path, node, &mut seen, &mut warnings, 1)?;
        }
        for platform in &mut tree.platforms {
            let id = self.node(path)?.children().iter().find(|id| {
                matches!(id, NodeId::Platform { digest, .. } if *digest == platform.descriptor.digest)
            })?;
            let mut platform_path = path.to_vec();
            platform_path.push(id.clone());
            for node in &mut platform.referrers {
                self.fill(&platform_path, node, &mut seen, &mut warnings, 1)?;
            }
        }
        tree.warnings.extend(warnings);
        Some(tree)
    }

    /// Gives `node` (a referrer listed under the manifest at `parent`) its
    /// own referrers from its row, and theirs, each digest once.
    fn fill(
        &self,
        parent: &[NodeId],
        node: &mut GraphNode,
        seen: &mut HashSet<Digest>,
        warnings: &mut Vec<String>,
        depth: usize,
    ) -> Option<()> {
        // A referrer whose manifest could not be read is shown, not
        // followed, as discovery does.
        if node.manifest.is_none() {
            return Some(());
        }
        if depth > WHOLE_GRAPH_DEPTH {
            return None;
        }
        let mut own = parent.to_vec();
        own.push(NodeId::group(node.type_label()));
        own.push(NodeId::referrer(node.digest().clone()));
        let row = self.node(&own)?;
        if row.referrers_slot.status != Status::Done {
            return None;
        }
        let attachments = row.referrers.as_ref()?;
        warnings.extend(attachments.warnings.iter().cloned());
        node.children = attachments
            .nodes
            .iter()
            .filter(|child| seen.insert(child.digest().clone()))
            .cloned()
            .collect();
        node.depth_limited = false;
        for child in &mut node.children {
            self.fill(&own, child, seen, warnings, depth + 1)?;
        }
        Some(())
    }
}
