//! The audit table's rows: each image's cells written once, when it
//! arrives, and the list component's order and filter over them.

use crate::audit::{ImageAudit, Summary, Verification};
use crate::tui::list::ListView;

/// The table's columns, as the CLI's table names them where it has them.
pub const AUDIT_COLUMNS: [&str; 12] = [
    "REPOSITORY",
    "TAGS",
    "DIGEST",
    "SIGNED",
    "SBOM",
    "SBOM SIGNED",
    "PROV",
    "SCAN",
    "VULNS",
    "ATT",
    "NEWEST",
    "VERIFICATION",
];

/// How the table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSort {
    Tags,
    /// Unsigned first: what needs attention on top.
    Signed,
    Sbom,
    /// Newest attachment first.
    Newest,
}

impl AuditSort {
    pub fn next(self) -> AuditSort {
        match self {
            AuditSort::Tags => AuditSort::Signed,
            AuditSort::Signed => AuditSort::Sbom,
            AuditSort::Sbom => AuditSort::Newest,
            AuditSort::Newest => AuditSort::Tags,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditSort::Tags => "tags",
            AuditSort::Signed => "unsigned first",
            AuditSort::Sbom => "without SBOM first",
            AuditSort::Newest => "newest attachment first",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuditTable {
    pub id: u64,
    /// What is audited: `repo`, or the registry's name.
    pub title: String,
    pub rows: Vec<ImageAudit>,
    /// Each row's cells, in `AUDIT_COLUMNS` order, written on arrival.
    pub cells: Vec<[String; AUDIT_COLUMNS.len()]>,
    /// Each column's widest cell (header included), kept as rows arrive.
    pub natural: [usize; AUDIT_COLUMNS.len()],
    /// Selection, sort order and filter over the rows.
    pub list: ListView,
    /// Rows announced so far (tags grouped by digest).
    pub planned: usize,
    pub running: bool,
    pub outcome: Option<String>,
    pub warnings: Vec<String>,
    pub sort: AuditSort,
    /// The filter as typed.
    pub filter: String,
    pub filtering: bool,
    /// Rows a page key moves (the table's height).
    pub page: usize,
}

impl AuditTable {
    pub(super) fn new(id: u64, title: String) -> AuditTable {
        AuditTable {
            id,
            title,
            rows: Vec::new(),
            cells: Vec::new(),
            natural: AUDIT_COLUMNS.map(str::len),
            list: ListView::default(),
            planned: 0,
            running: true,
            outcome: None,
            warnings: Vec::new(),
            sort: AuditSort::Tags,
            filter: String::new(),
            filtering: false,
            page: 10,
        }
    }

    /// The rows shown: filtered by tag, digest or repository, then sorted.
    pub fn visible(&self) -> Vec<&ImageAudit> {
        self.list
            .shown()
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&ImageAudit> {
        self.list.selected_item().and_then(|i| self.rows.get(i))
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.rows)
    }

    pub(super) fn add(&mut self, row: ImageAudit) {
        let haystack = format!("{} {} {}", row.digest, row.repository, row.tags.join(" "));
        let cells = row_cells(&row);
        for (widest, cell) in self.natural.iter_mut().zip(&cells) {
            *widest = (*widest).max(ratatui::text::Span::raw(cell.as_str()).width());
        }
        self.cells.push(cells);
        self.rows.push(row);
        self.list.push(&haystack);
        self.sort_rows();
    }

    /// Puts the rows in the table's order (the list keeps the selection).
    pub(super) fn sort_rows(&mut self) {
        let mut order: Vec<u32> = (0..u32::try_from(self.rows.len()).unwrap_or(u32::MAX)).collect();
        let rows = &self.rows;
        let row = |i: &u32| &rows[*i as usize];
        let by_tags = |r: &ImageAudit| (r.repository.clone(), r.tags.first().cloned());
        match self.sort {
            AuditSort::Tags => order.sort_by_key(|i| by_tags(row(i))),
            AuditSort::Signed => order.sort_by_key(|i| (row(i).signed(), by_tags(row(i)))),
            AuditSort::Sbom => {
                order.sort_by_key(|i| (!row(i).sbom.digests.is_empty(), by_tags(row(i))));
            }
            AuditSort::Newest => {
                order.sort_by_key(|i| (std::cmp::Reverse(row(i).newest.clone()), by_tags(row(i))))
            }
        }
        self.list.set_order(order);
    }
}

/// The cells of one row, as text: a mark first where the column is a
/// yes or no (the view colours by it), what the CLI says after it.
fn row_cells(row: &ImageAudit) -> [String; AUDIT_COLUMNS.len()] {
    let mark = |flag: bool| if flag { "✓" } else { "✗" }.to_owned();
    let schemes: Vec<&str> = row.schemes().iter().map(|s| s.label()).collect();
    let signed = if schemes.is_empty() {
        mark(false)
    } else {
        format!("✓ {}", schemes.join(","))
    };
    // For an index the count comes first: a narrow column cuts the format
    // names, never how many platforms have an SBOM.
    let formats = row.sbom.formats.join("+");
    let sbom = match row.sbom.coverage {
        _ if row.sbom.digests.is_empty() => mark(false),
        Some((covered, total)) if covered < total => format!("✗ {covered}/{total} {formats}"),
        Some((covered, total)) => format!("✓ {covered}/{total} {formats}"),
        None => format!("✓ {formats}"),
    }
    .trim_end()
    .to_owned();
    // For an index: how many platforms' SBOMs are signed, like the SBOM column.
    let signed_sbom = match row.sbom.signed_coverage {
        Some((covered, total)) => format!("{} {covered}/{total}", mark(row.sbom.signed)),
        None => mark(row.sbom.signed),
    };
    let verification = match &row.verification {
        Verification::Verified { key, .. } => {
            // A key file's name and fingerprint (its directory is noise);
            // an identity (keyless, Notation) whole, its URLs intact.
            let key = match key.split_once(" (sha256:") {
                Some((file, _)) if file.contains('/') => {
                    &key[file.rfind('/').map_or(0, |i| i + 1)..]
                }
                _ => key.as_str(),
            };
            format!("verified {key} · {}", row.verification.grounds())
        }
        Verification::Failed { reasons } => format!("failed: {}", reasons.join("; ")),
        Verification::Unverified => row.verdict(),
    };
    let digest = match &row.error {
        Some(_) => format!("{} ✗ error", row.digest.short()),
        // An index whose platform is gone points at nothing there.
        None if !row.unfetched_platforms.is_empty() => format!(
            "{} ⚠ {} missing",
            row.digest.short(),
            row.unfetched_platforms.len()
        ),
        None => row.digest.short().to_owned(),
    };
    let tags = if row.tags.is_empty() {
        "-".to_owned()
    } else {
        row.tags.join(", ")
    };
    [
        row.repository.clone(),
        tags,
        digest,
        signed,
        sbom,
        signed_sbom,
        mark(row.provenance),
        mark(row.scan),
        // After VEX, as `regscope audit` counts them; "-" when no scan
        // was read.
        row.vulnerabilities
            .as_ref()
            .filter(|summary| summary.scans > 0)
            .map_or_else(|| "-".to_owned(), crate::vuln::VulnSummary::label),
        row.other_attestations.to_string(),
        row.newest.clone().unwrap_or_else(|| "-".to_owned()),
        verification,
    ]
    .map(|cell| crate::text::escape_control(&cell).into_owned())
}
