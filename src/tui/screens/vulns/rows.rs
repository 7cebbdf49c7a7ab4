//! The findings table's rows: which findings of a report one scan
//! reported, each one's cells written once when the table opens, and the
//! orders the sort key cycles through, computed when asked, never in a
//! frame.

use crate::text::escape_control;
use crate::vuln::{AppliedFinding, Report, Severity};

/// The table's columns, as `regscope vulns` names them where it has them.
pub const FINDING_COLUMNS: [&str; 6] =
    ["SEVERITY", "ID", "PACKAGE", "VERSION", "FIXED IN", "STATE"];

/// How the table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingsSort {
    /// Most severe first (the CLI's order).
    Severity,
    Package,
    Id,
    /// Findings VEX left open first, then those under investigation,
    /// then the suppressed ones.
    State,
}

impl FindingsSort {
    pub fn next(self) -> FindingsSort {
        match self {
            FindingsSort::Severity => FindingsSort::Package,
            FindingsSort::Package => FindingsSort::Id,
            FindingsSort::Id => FindingsSort::State,
            FindingsSort::State => FindingsSort::Severity,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FindingsSort::Severity => "severity",
            FindingsSort::Package => "package",
            FindingsSort::Id => "id",
            FindingsSort::State => "VEX state",
        }
    }
}

/// One finding as the table shows it.
#[derive(Debug, Clone)]
pub struct FindingRow {
    /// Index into `Report::findings`.
    pub finding: usize,
    pub severity: Severity,
    pub suppressed: bool,
    /// Cells in `FINDING_COLUMNS` order, escaped.
    pub cells: [String; FINDING_COLUMNS.len()],
    /// What the filter searches: id, aliases, package, purl, state.
    pub haystack: String,
}

/// Whether the scan whose manifest is `manifest` reported `finding` (it
/// may have been merged with the same finding of another scan).
pub fn reported_by(
    report: &Report,
    finding: &AppliedFinding,
    manifest: &crate::oci::Digest,
) -> bool {
    std::iter::once(finding.scan)
        .chain(finding.also_in.iter().copied())
        .filter_map(|scan| report.scans.get(scan))
        .any(|scan| &scan.origin.manifest == manifest)
}

/// The rows of the findings the scan at `manifest` reported, suppressed
/// ones included, in the report's order.
pub fn rows_of(report: &Report, manifest: &crate::oci::Digest) -> Vec<FindingRow> {
    report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| reported_by(report, finding, manifest))
        .map(|(index, finding)| row(index, finding))
        .collect()
}

fn row(index: usize, applied: &AppliedFinding) -> FindingRow {
    let finding = &applied.finding;
    let state = state_text(applied);
    let or_dash = |text: Option<&String>| text.map_or_else(|| "-".to_owned(), Clone::clone);
    let cells = [
        finding.severity.label().to_owned(),
        finding.id.clone(),
        finding.package.clone(),
        or_dash(finding.installed.as_ref()),
        or_dash(finding.fixed.as_ref()),
        state.clone(),
    ]
    .map(|cell| escape_control(&cell).into_owned());
    let haystack = format!(
        "{} {} {} {} {} {}",
        finding.id,
        finding.aliases.join(" "),
        finding.package,
        finding.purl.as_deref().unwrap_or_default(),
        finding.severity.label(),
        state
    );
    FindingRow {
        finding: index,
        severity: finding.severity,
        suppressed: applied.suppressed(),
        cells,
        haystack,
    }
}

/// "not_affected: vulnerable_code_not_in_execute_path", "affected", or
/// "-" when no VEX statement applies.
fn state_text(applied: &AppliedFinding) -> String {
    let Some(vex) = &applied.vex else {
        return "-".to_owned();
    };
    match vex.justification.as_deref().or(vex.note.as_deref()) {
        Some(why) => format!("{}: {why}", vex.status.label()),
        None => vex.status.label().to_owned(),
    }
}

/// The order of `rows` for `sort`, leaving out the suppressed ones
/// unless `show_suppressed`.
pub fn order(
    rows: &[FindingRow],
    report: &Report,
    sort: FindingsSort,
    show_suppressed: bool,
) -> Vec<u32> {
    let mut order: Vec<u32> = (0..rows.len())
        .filter(|&i| show_suppressed || !rows[i].suppressed)
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    let row = |i: &u32| &rows[*i as usize];
    let finding = |i: &u32| &report.findings[row(i).finding];
    let state_rank = |i: &u32| match &finding(i).vex {
        _ if row(i).suppressed => 2,
        Some(vex) if vex.status == crate::vuln::VexStatus::UnderInvestigation => 1,
        _ => 0,
    };
    let by_severity = |i: &u32| {
        (
            std::cmp::Reverse(row(i).severity),
            finding(i).finding.id.clone(),
            finding(i).finding.package.clone(),
        )
    };
    match sort {
        FindingsSort::Severity => order.sort_by_cached_key(by_severity),
        FindingsSort::Package => {
            order.sort_by_cached_key(|i| (finding(i).finding.package.clone(), by_severity(i)));
        }
        FindingsSort::Id => {
            order.sort_by_cached_key(|i| (finding(i).finding.id.clone(), by_severity(i)));
        }
        FindingsSort::State => order.sort_by_cached_key(|i| (state_rank(i), by_severity(i))),
    }
    order
}
