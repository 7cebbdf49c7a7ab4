//! The graph's side of the findings: once an image's attachments are all
//! known (its referrers, and for an index each platform's), the runner
//! reads its scans and VEX with the engine (`vuln::collect`, off the
//! render loop, from the graph the tree holds), and each scan node gets
//! its counts and label ("2 critical · 5 high (3 suppressed)"), computed
//! once here when the report arrives; the tree's row shows the label, and
//! Enter on the node opens the findings table.

use std::sync::Arc;

use super::FindingsView;
use crate::oci::Digest;
use crate::tui::app::App;
use crate::tui::message::{Effect, NodePath};
use crate::tui::tree::{ManifestRole, NodeId, NodeKind};
use crate::vuln::{Report, VulnSummary};

/// What the engine found of one scan node's findings.
#[derive(Debug)]
pub struct ScanFacts {
    /// The whole image's report (shared by its scan nodes).
    pub report: Arc<Report>,
    /// This scan's counts after VEX.
    pub summary: VulnSummary,
    /// What its row in the tree says.
    pub label: String,
}

/// The runner's report: `subject`'s scans and VEX read and applied.
#[derive(Debug)]
pub struct VulnsCollected {
    pub subject: NodePath,
    /// The manifest it was read for (the node may have moved on since).
    pub digest: Digest,
    pub report: Arc<Report>,
}

/// After the attachments of the manifest at `path` arrived: the image
/// whose scans to read (a platform's are read with its index's, so the
/// index's VEX applies to them), once everything of it is known.
pub fn collect_when_ready(app: &App, path: &[NodeId]) -> Vec<Effect> {
    let Some(node) = app.tree.node(path) else {
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
    let Some(tree) = app.tree.referrer_tree(subject) else {
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
pub fn on_collected(app: &mut App, collected: VulnsCollected) {
    let VulnsCollected {
        subject,
        digest,
        report,
    } = collected;
    for warning in &report.warnings {
        tracing::warn!("{}", crate::text::escape_control(warning));
    }
    let current = app
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
    let below: Vec<(NodePath, Digest)> = app
        .tree
        .nodes()
        .filter(|(path, _)| path.len() > subject.len() && path.starts_with(&subject))
        .filter_map(|(path, node)| Some((path.clone(), node.digest()?)))
        .filter(|(_, node_digest)| scans.contains(node_digest))
        .collect();
    for (path, scan) in below {
        let facts = facts_of(&report, &scan);
        if let Some(node) = app.tree.node_mut(&path) {
            node.vulns = Some(Arc::new(facts));
        }
    }
}

fn facts_of(report: &Arc<Report>, scan: &Digest) -> ScanFacts {
    let summary = report.summary_for(scan);
    let own = report.scans.iter().filter(|s| &s.origin.manifest == scan);
    let superseded = own.clone().all(|s| s.superseded_by.is_some());
    let label = match own.clone().find_map(|s| s.superseded_by) {
        Some(newer) if superseded => {
            let newer = &report.scans[newer];
            format!(
                "superseded by {}'s newer scan {}",
                newer.info.scanner_label(),
                newer.origin.manifest.short()
            )
        }
        _ => summary.label(),
    };
    ScanFacts {
        report: Arc::clone(report),
        summary,
        label: crate::text::escape_control(&label).into_owned(),
    }
}

/// Enter on a scan node whose findings were read: the findings table.
/// `None` for any other row, where Enter does what it always does.
pub fn open_from_graph(app: &mut App) -> Option<Vec<Effect>> {
    let node = app.selected_node()?;
    let facts = node.vulns.as_ref()?;
    let scan = node.digest()?;
    let page = usize::from(app.areas.tree.height.saturating_sub(5)).max(1);
    let view = FindingsView::new(Arc::clone(&facts.report), &scan, page);
    app.push_screen(Box::new(view));
    Some(Vec::new())
}
