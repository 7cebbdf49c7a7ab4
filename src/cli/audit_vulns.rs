//! The audit's vulnerability gates and fields: `--fail-on SEVERITY` (as
//! `grype --fail-on`: an unsuppressed finding at or above it fails the
//! image), `--max-scan-age DAYS` (an image whose newest scan is older, or
//! that has none, fails), and each row's `vulnerabilities` object.

use serde_json::{Value, json};

use super::vulns_output::summary_json;
use crate::audit::ImageAudit;
use crate::vuln::{Severity, VulnSummary};

/// The gates `audit` was given.
#[derive(Debug, Clone, Copy, Default)]
pub struct VulnGates {
    pub fail_on: Option<Severity>,
    pub max_scan_age: Option<u32>,
}

/// What `row` fails of `gates`, worded to follow "missing ".
pub fn failures(row: &ImageAudit, gates: VulnGates, now: jiff::Timestamp) -> Vec<String> {
    let mut out = Vec::new();
    if row.error.is_some() {
        return out;
    }
    let summary = row.vulnerabilities.as_ref();
    if let (Some(threshold), Some(summary)) = (gates.fail_on, summary) {
        let found = summary.at_or_above(threshold);
        if found > 0 {
            out.push(format!(
                "no unsuppressed finding at or above {threshold} (found {found}: {})",
                summary.label()
            ));
        }
    }
    if let Some(days) = gates.max_scan_age {
        match summary.map(|s| (s, s.newest_scan.as_ref())) {
            None => out.push(format!(
                "a vulnerability scan from the last {days} days (none attached)"
            )),
            Some((_, None)) => out.push(format!(
                "a vulnerability scan from the last {days} days (no scan says when it ran)"
            )),
            Some((_, Some(newest))) => match newest.age_days(now) {
                Some(age) if age <= i64::from(days) => {}
                Some(age) => out.push(format!(
                    "a vulnerability scan from the last {days} days (newest {}, {age} days old)",
                    newest.text
                )),
                None => out.push(format!(
                    "a vulnerability scan from the last {days} days (newest time {:?} unreadable)",
                    newest.text
                )),
            },
        }
    }
    out
}

/// A row's `vulnerabilities`: the counts after VEX, how many scans were
/// counted, the newest scan's time and its age in days; `null` when no
/// scan is attached.
pub fn row_json(row: &ImageAudit, now: jiff::Timestamp) -> Value {
    let Some(summary) = &row.vulnerabilities else {
        return Value::Null;
    };
    let mut value = summary_json(summary);
    value["scans"] = json!(summary.scans);
    value["newestScan"] = json!(summary.newest_scan.as_ref().map(|t| t.text.clone()));
    value["scanAgeDays"] = json!(summary.newest_scan.as_ref().and_then(|t| t.age_days(now)));
    value
}

/// The table's and CSV's cell: "2 critical · 5 high (3 suppressed)".
pub fn cell(row: &ImageAudit) -> String {
    row.vulnerabilities
        .as_ref()
        .map_or_else(|| "-".to_owned(), VulnSummary::label)
}
