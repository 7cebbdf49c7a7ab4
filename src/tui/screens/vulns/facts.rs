//! What the graph keeps of the findings (its side is `graph::vulns_open`): once an image's attachments are all
//! known (its referrers, and for an index each platform's), the runner
//! reads its scans and VEX with the engine (`vuln::collect`, off the
//! render loop, from the graph the tree holds), and each scan node gets
//! its counts and label ("2 critical · 5 high (3 suppressed)"), computed
//! once here when the report arrives; the tree's row shows the label, and
//! Enter on the node opens the findings table.

use std::sync::Arc;

use crate::oci::Digest;
use crate::tui::message::NodePath;
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

/// The counts and label of the scan `scan` in `report`.
pub fn facts_of(report: &Arc<Report>, scan: &Digest) -> ScanFacts {
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
