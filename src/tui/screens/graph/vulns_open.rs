//! The graph's side of the findings: once an image's attachments are all
//! known (its referrers, and for an index each platform's), the runner
//! reads its scans and VEX with the engine (`vuln::collect`, off the
//! render loop, from the graph the tree holds), and each scan node gets
//! its counts and label, computed once when the report arrives; Enter on
//! the node opens the findings table.

use std::sync::Arc;

use super::Graph;
use crate::oci::Digest;
use crate::tui::message::{Effect, NodePath};
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::vulns::{FindingsView, VulnsCollected, facts_of};
use crate::tui::tree::{ManifestRole, NodeId, NodeKind};

impl Graph {
    /// After the attachments of the manifest at `path` arrived: the image
    /// whose scans to read (a platform's are read with its index's, so the
    /// index's VEX applies to them), once everything of it is known.
    pub(super) fn collect_vulns_when_ready(&self, path: &[NodeId]) -> Vec<Effect> {
        let Some(node) = self.tree.node(path) else {
            return Vec::new();
        };
        let is_platform = matches!(
            node.kind,
            NodeKind::Manifest {
                role: ManifestRole::Platform,
                ..
            }
        );
        let subject = if is_platform {
            &path[..path.len().saturating_sub(1)]
        } else {
            path
        };
        let Some(tree) = self.tree.referrer_tree(subject) else {
            return Vec::new();
        };
        if tree.referrers.is_empty() && tree.platforms.iter().all(|p| p.referrers.is_empty()) {
            return Vec::new();
        }
        vec![Effect::CollectVulns {
            subject: subject.to_vec(),
            tree: Arc::new(tree),
        }]
    }

    /// Lays the report's counts on the scan nodes below its subject.
    pub(super) fn on_vulns_collected(&mut self, collected: VulnsCollected) {
        let VulnsCollected {
            subject,
            digest,
            report,
        } = collected;
        for warning in &report.warnings {
            tracing::warn!("{}", crate::text::escape_control(warning));
        }
        let current = self
            .tree
            .node(&subject)
            .and_then(crate::tui::tree::Node::digest);
        if current.as_ref() != Some(&digest) {
            return;
        }
        let scans: Vec<Digest> = report
            .scans
            .iter()
            .map(|s| s.origin.manifest.clone())
            .collect();
        let below: Vec<(NodePath, Digest)> = self
            .tree
            .nodes()
            .filter(|(path, _)| path.len() > subject.len() && path.starts_with(&subject))
            .filter_map(|(path, node)| Some((path.clone(), node.digest()?)))
            .filter(|(_, node_digest)| scans.contains(node_digest))
            .collect();
        for (path, scan) in below {
            let facts = facts_of(&report, &scan);
            if let Some(node) = self.tree.node_mut(&path) {
                node.vulns = Some(Arc::new(facts));
            }
        }
    }

    /// Enter on a scan node whose findings were read: the findings table.
    /// `None` for any other row, where Enter does what it always does.
    pub(super) fn open_findings(&mut self, cx: &mut Cx<'_>) -> Option<Vec<Effect>> {
        let node = self.tree.selected_node()?;
        let facts = node.vulns.as_ref()?;
        let scan = node.digest()?;
        let page = usize::from(cx.areas.tree.height.saturating_sub(5)).max(1);
        let view = FindingsView::new(Arc::clone(&facts.report), &scan, page);
        cx.ask(Ask::Open(Box::new(view)));
        Some(Vec::new())
    }
}
