//! The advisory text a scan holds for one finding, laid out once when it
//! is asked for: what the vulnerability is (title, link), where it is
//! (package, versions), how severe and why, what VEX said of it (and any
//! older statement that disagreed), which scan said so, and last the
//! description.

use crate::text::escape_control;
use crate::vuln::{AppliedFinding, AppliedVex, Report};

/// One finding's advisory, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// Index into `Report::findings`.
    pub finding: usize,
    pub title: String,
    /// (label, text) pairs, escaped; a label "" continues the text above.
    pub lines: Vec<(&'static str, String)>,
    /// How many rows it is scrolled (`advisory_pane` clamps it).
    pub scroll: u16,
}

impl Advisory {
    pub fn of(report: &Report, index: usize) -> Option<Advisory> {
        let applied = report.findings.get(index)?;
        let finding = &applied.finding;
        let mut lines: Vec<(&'static str, String)> = Vec::new();
        let mut push = |label: &'static str, text: &str| {
            lines.push((label, escape_control(text).into_owned()));
        };
        if !finding.aliases.is_empty() {
            push("aliases", &finding.aliases.join(", "));
        }
        push(
            "severity",
            &format!("{} ({})", finding.severity.label(), finding.severity_basis),
        );
        push("package", &finding.package);
        if let Some(purl) = &finding.purl {
            push("purl", purl);
        }
        push(
            "installed",
            finding.installed.as_deref().unwrap_or("not given"),
        );
        push(
            "fixed in",
            finding.fixed.as_deref().unwrap_or("no fix known"),
        );
        if let Some(platform) = &applied.platform {
            push("platform", platform);
        }
        if let Some(title) = &finding.title {
            push("title", title);
        }
        if let Some(url) = &finding.url {
            push("link", url);
        }
        vex_lines(report, applied, &mut push);
        scan_lines(report, applied, &mut push);
        // Last, as it is the longest: what a short terminal cuts.
        match &finding.description {
            Some(description) => push("description", description),
            None => push("description", "the scan holds none"),
        }
        Some(Advisory {
            finding: index,
            title: escape_control(&finding.id).into_owned(),
            lines,
            scroll: 0,
        })
    }
}

fn vex_lines(report: &Report, applied: &AppliedFinding, push: &mut impl FnMut(&'static str, &str)) {
    match &applied.vex {
        Some(vex) => {
            let effect = if vex.status.suppresses() {
                "suppressed"
            } else {
                "still counted"
            };
            push("VEX", &format!("{} ({effect})", statement(report, vex)));
            if let Some(note) = &vex.note {
                push("", note);
            }
        }
        None => push("VEX", "no statement applies"),
    }
    for older in &applied.disagreement {
        push("older VEX", &statement(report, older));
    }
}

/// "not_affected: component_not_present, 2025-03-01T00:00:00Z, OpenVEX
/// 0.2.0 by Jane": what a statement said, when, and in which document.
fn statement(report: &Report, vex: &AppliedVex) -> String {
    let mut text = vex.status.label().to_owned();
    if let Some(justification) = &vex.justification {
        text.push_str(&format!(": {justification}"));
    }
    if let Some(time) = &vex.timestamp {
        text.push_str(&format!(", {}", time.text));
    }
    match vex.document.and_then(|i| report.vex.get(i)) {
        Some(document) => {
            text.push_str(&format!(", {}", document.format));
            if let Some(author) = &document.author {
                text.push_str(&format!(" by {author}"));
            }
            text.push_str(&format!(" in {}", document.origin.manifest.short()));
        }
        None => text.push_str(", the scan's own analysis"),
    }
    text
}

fn scan_lines(
    report: &Report,
    applied: &AppliedFinding,
    push: &mut impl FnMut(&'static str, &str),
) {
    let scans = std::iter::once(applied.scan).chain(applied.also_in.iter().copied());
    for scan in scans.filter_map(|i| report.scans.get(i)) {
        let mut text = format!(
            "{}, {} in {}",
            scan.info.scanner_label(),
            scan.info.format,
            scan.origin.manifest.short()
        );
        if let Some(time) = scan.time() {
            text.push_str(&format!(", scanned {}", time.text));
        }
        if let Some(database) = &scan.info.database_time {
            text.push_str(&format!(", database of {}", database.text));
        }
        push("scan", &text);
    }
}
