//! A check as the doctor's screen shows it, written once when the report
//! arrives: its outcome mark, its id, its one-line summary, and the lines
//! Enter unfolds (what it asks, what it found and what regscope therefore
//! does, each request and what came back). Registry text is escaped here,
//! so a frame only lays it out.

use std::fmt::Write as _;

use crate::doctor::{Check, CheckId, Evidence, ReferrersModeName, Report, Status};
use crate::text::escape_control;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    pub id: CheckId,
    pub status: Status,
    /// Escaped, whole: a frame cuts it.
    pub summary: String,
    /// What Enter unfolds, one entry per line before wrapping:
    /// `(label, text)`.
    pub detail: Vec<(&'static str, String)>,
}

impl CheckRow {
    fn of(check: &Check) -> CheckRow {
        let mut detail = vec![
            ("asks", check.id.question().to_owned()),
            ("found", escape_control(&check.summary).into_owned()),
        ];
        if check.evidence.is_empty() {
            detail.push(("evidence", "none: no request was sent".to_owned()));
        }
        for evidence in &check.evidence {
            detail.push(("evidence", evidence_line(evidence)));
        }
        CheckRow {
            id: check.id,
            status: check.status,
            summary: escape_control(&check.summary).into_owned(),
            detail,
        }
    }

    /// What the filter looks in: the id, the outcome and the summary.
    pub fn haystack(&self) -> String {
        format!(
            "{} {} {}",
            self.id.as_str(),
            self.status.as_str(),
            self.summary
        )
    }
}

/// The report's checks, in its order.
pub fn rows_of(report: &Report) -> Vec<CheckRow> {
    report.checks.iter().map(CheckRow::of).collect()
}

/// The mark of an outcome: the same shapes as the audit's.
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Skip => "·",
    }
}

/// "14 pass · 1 warn · 3 skip": the outcomes that occur, in that order.
pub fn tally(rows: &[CheckRow]) -> String {
    [Status::Pass, Status::Warn, Status::Fail, Status::Skip]
        .iter()
        .filter_map(|&status| {
            let n = rows.iter().filter(|row| row.status == status).count();
            (n > 0).then(|| format!("{n} {}", status.as_str()))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// How regscope keeps and reads referrers there, as the CLI says it.
pub fn mode_text(mode: ReferrersModeName) -> &'static str {
    match mode {
        ReferrersModeName::Api => "API",
        ReferrersModeName::Fallback => "fallback tags (sha256-<hex>)",
    }
}

/// `GET /v2/ → 200, header: value, 2 bytes (note)`, escaped.
fn evidence_line(evidence: &Evidence) -> String {
    let mut line = format!("{} → ", escape_control(&evidence.request));
    match evidence.status {
        Some(status) => {
            let _ = write!(line, "{status}");
        }
        None => line.push_str("no answer"),
    }
    for (name, value) in &evidence.headers {
        let _ = write!(line, ", {name}: {}", escape_control(value));
    }
    if let Some(size) = evidence.body_size {
        let _ = write!(line, ", {size} bytes");
    }
    if let Some(note) = &evidence.note {
        let _ = write!(line, " ({})", escape_control(note));
    }
    line
}
