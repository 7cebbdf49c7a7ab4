//! What an image's findings add up to after VEX: counts by severity, the
//! suppressed ones, the scans counted and the newest scan's time; the gate
//! `grype --fail-on` would apply, and the label the tree and tables show.

use super::apply::Report;
use super::{Severity, Timestamp};

/// Counts by severity after VEX, and the suppressed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VulnSummary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub unknown: usize,
    pub suppressed: usize,
    /// Scans counted (not superseded).
    pub scans: usize,
    pub newest_scan: Option<Timestamp>,
}

impl VulnSummary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Unknown => self.unknown,
        }
    }

    /// Unsuppressed findings at `threshold` or above (`grype --fail-on`).
    pub fn at_or_above(&self, threshold: Severity) -> usize {
        Severity::ALL
            .iter()
            .filter(|s| **s >= threshold)
            .map(|s| self.count(*s))
            .sum()
    }

    /// "2 critical · 5 high (3 suppressed)"; "no findings" when clean.
    pub fn label(&self) -> String {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .filter(|s| self.count(**s) > 0)
            .map(|s| format!("{} {}", self.count(*s), s.label()))
            .collect();
        let mut text = if parts.is_empty() {
            "no findings".to_owned()
        } else {
            parts.join(" · ")
        };
        if self.suppressed > 0 {
            text.push_str(&format!(" ({} suppressed)", self.suppressed));
        }
        text
    }
}

pub(super) fn summarize(report: &Report) -> VulnSummary {
    let mut summary = count(report, |_| true);
    for scan in report.scans.iter().filter(|s| s.superseded_by.is_none()) {
        summary.scans += 1;
        summary.newest_scan = Timestamp::newest(summary.newest_scan.as_ref(), scan.time()).cloned();
    }
    summary
}

/// The counts of the findings `keep` accepts (by index into `findings`).
fn count(report: &Report, keep: impl Fn(usize) -> bool) -> VulnSummary {
    let mut summary = VulnSummary::default();
    for (_, finding) in report.findings.iter().enumerate().filter(|(i, _)| keep(*i)) {
        if finding.suppressed() {
            summary.suppressed += 1;
            continue;
        }
        match finding.finding.severity {
            Severity::Critical => summary.critical += 1,
            Severity::High => summary.high += 1,
            Severity::Medium => summary.medium += 1,
            Severity::Low => summary.low += 1,
            Severity::Unknown => summary.unknown += 1,
        }
    }
    summary
}

impl Report {
    /// The counts one attachment's findings add up to (a scan node's label
    /// in the tree: "2 critical · 5 high (3 suppressed)"), the same finding
    /// counted for every scan that reported it.
    pub fn summary_for(&self, manifest: &crate::oci::Digest) -> VulnSummary {
        let reported_by = |i: usize| {
            let finding = &self.findings[i];
            std::iter::once(finding.scan)
                .chain(finding.also_in.iter().copied())
                .any(|s| &self.scans[s].origin.manifest == manifest)
        };
        let mut summary = count(self, reported_by);
        summary.scans = self
            .scans
            .iter()
            .filter(|s| &s.origin.manifest == manifest)
            .count();
        summary.newest_scan = self
            .scans
            .iter()
            .filter(|s| &s.origin.manifest == manifest)
            .filter_map(|s| s.time().cloned())
            .max();
        summary
    }
}
