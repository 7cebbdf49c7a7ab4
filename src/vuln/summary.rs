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
    let mut summary = VulnSummary::default();
    for finding in &report.findings {
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
    for scan in report.scans.iter().filter(|s| s.superseded_by.is_none()) {
        summary.scans += 1;
        summary.newest_scan = Timestamp::newest(summary.newest_scan.as_ref(), scan.time()).cloned();
    }
    summary
}
