//! The shapes `regscope vulns` prints. The JSON is a documented contract
//! (README, "Vulnerabilities"): `findings[]` with `id`, `severity`,
//! `package`, `installed`, `fixed`, `vex` (`status`, `justification`, or
//! null) and `source`, and `summary` with the counts after VEX; fields may
//! be added, never renamed. SARIF 2.1.0 for code-scanning dashboards, a
//! suppressed finding carrying its VEX as a SARIF suppression.

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use crate::text::escape_control;
use crate::vuln::apply::AppliedVex;
use crate::vuln::{AppliedFinding, Report, VulnSummary};

mod sarif;

pub use sarif::to_sarif;

fn vex_json(report: &Report, vex: &AppliedVex) -> Value {
    json!({
        "status": vex.status.label(),
        "justification": vex.justification,
        "note": vex.note,
        "timestamp": vex.timestamp.as_ref().map(|t| t.text.clone()),
        "document": vex.document.map_or_else(
            || "the scan's own analysis".to_owned(),
            |d| report.vex[d].origin.manifest.to_string(),
        ),
    })
}

fn source_json(report: &Report, finding: &AppliedFinding) -> Value {
    let scan = &report.scans[finding.scan];
    json!({
        "digest": scan.origin.manifest.to_string(),
        "layer": scan.origin.layer.to_string(),
        "format": scan.info.format,
        "scanner": scan.info.scanner,
        "scannerVersion": scan.info.scanner_version,
        "time": scan.time().map(|t| t.text.clone()),
        "databaseTime": scan.info.database_time.as_ref().map(|t| t.text.clone()),
        "platform": scan.origin.platform,
        "envelope": scan.origin.envelope,
        "alsoIn": finding.also_in.iter().map(|i| report.scans[*i].origin.manifest.to_string()).collect::<Vec<_>>(),
    })
}

fn finding_json(report: &Report, finding: &AppliedFinding) -> Value {
    let f = &finding.finding;
    json!({
        "id": f.id,
        "aliases": f.aliases,
        "severity": f.severity.label(),
        "severitySource": f.severity_basis,
        "package": f.package,
        "purl": f.purl,
        "installed": f.installed,
        "fixed": f.fixed,
        "title": f.title,
        "url": f.url,
        "suppressed": finding.suppressed(),
        "vex": finding.vex.as_ref().map(|v| vex_json(report, v)),
        "vexDisagreement": finding.disagreement.iter().map(|v| vex_json(report, v)).collect::<Vec<_>>(),
        "source": source_json(report, finding),
    })
}

/// The audit's and `vulns`'s summary object.
pub fn summary_json(summary: &VulnSummary) -> Value {
    json!({
        "critical": summary.critical,
        "high": summary.high,
        "medium": summary.medium,
        "low": summary.low,
        "unknown": summary.unknown,
        "suppressed": summary.suppressed,
    })
}

fn shown(report: &Report, show_suppressed: bool) -> impl Iterator<Item = &AppliedFinding> {
    report
        .findings
        .iter()
        .filter(move |f| show_suppressed || !f.suppressed())
}

pub fn to_json(report: &Report, show_suppressed: bool) -> Result<String> {
    let scans: Vec<Value> = report
        .scans
        .iter()
        .map(|s| {
            json!({
                "digest": s.origin.manifest.to_string(),
                "format": s.info.format,
                "scanner": s.info.scanner,
                "scannerVersion": s.info.scanner_version,
                "time": s.time().map(|t| t.text.clone()),
                "databaseTime": s.info.database_time.as_ref().map(|t| t.text.clone()),
                "platform": s.origin.platform,
                "envelope": s.origin.envelope,
                "findings": s.findings,
                "components": s.info.components,
                "supersededBy": s.superseded_by.map(|i| report.scans[i].origin.manifest.to_string()),
            })
        })
        .collect();
    let vex: Vec<Value> = report
        .vex
        .iter()
        .map(|v| {
            json!({
                "digest": v.origin.manifest.to_string(),
                "format": v.format,
                "author": v.author,
                "timestamp": v.timestamp.as_ref().map(|t| t.text.clone()),
                "platform": v.origin.platform,
                "envelope": v.origin.envelope,
                "statements": v.statements,
                "statementsNamingNoImage": v.naming_no_image,
            })
        })
        .collect();
    let mut summary = summary_json(&report.summary);
    summary["scans"] = json!(report.summary.scans);
    summary["newestScan"] = json!(report.summary.newest_scan.as_ref().map(|t| t.text.clone()));
    let value = json!({
        "findings": shown(report, show_suppressed).map(|f| finding_json(report, f)).collect::<Vec<_>>(),
        "summary": summary,
        "scans": scans,
        "vex": vex,
        "warnings": report.warnings,
    });
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}

fn vex_cell(finding: &AppliedFinding) -> String {
    let Some(vex) = &finding.vex else {
        return "-".to_owned();
    };
    let mut cell = vex.status.label().to_owned();
    if let Some(why) = vex.justification.as_ref().or(vex.note.as_ref()) {
        cell.push_str(&format!(" ({why})"));
    }
    if !finding.disagreement.is_empty() {
        let others: Vec<&str> = finding
            .disagreement
            .iter()
            .map(|d| d.status.label())
            .collect();
        cell.push_str(&format!(" [older: {}]", others.join(", ")));
    }
    cell
}

/// An aligned table, most severe first, then the summary and the sources.
pub fn to_table(report: &Report, show_suppressed: bool) -> String {
    let mut lines: Vec<Vec<String>> = vec![
        [
            "SEVERITY",
            "ID",
            "PACKAGE",
            "INSTALLED",
            "FIXED",
            "VEX",
            "SCAN",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect(),
    ];
    for finding in shown(report, show_suppressed) {
        let f = &finding.finding;
        let scan = &report.scans[finding.scan];
        let mut source = scan.origin.manifest.short().to_owned();
        if let Some(platform) = &finding.platform {
            source.push_str(&format!(" {platform}"));
        }
        lines.push(
            [
                f.severity.label().to_owned(),
                f.id.clone(),
                f.package.clone(),
                f.installed.clone().unwrap_or_else(|| "-".to_owned()),
                f.fixed.clone().unwrap_or_else(|| "-".to_owned()),
                vex_cell(finding),
                source,
            ]
            .iter()
            .map(|c| escape_control(c).into_owned())
            .collect(),
        );
    }
    let mut out = align(&lines);
    out.push_str(&report.summary.label());
    out.push('\n');
    for scan in &report.scans {
        let state = match scan.superseded_by {
            Some(i) => format!(
                " (superseded by {})",
                report.scans[i].origin.manifest.short()
            ),
            None => String::new(),
        };
        out.push_str(&escape_control(&format!(
            "scan {}: {} by {}, {}{}{state}",
            scan.origin.manifest.short(),
            scan.info.format,
            scan.info.scanner_label(),
            scan.time().map_or("no time", |t| t.text.as_str()),
            scan.origin
                .envelope
                .map(|e| format!(", in a {e}"))
                .unwrap_or_default(),
        )));
        out.push('\n');
    }
    for vex in &report.vex {
        out.push_str(&escape_control(&format!(
            "vex {}: {}{}, {} statements",
            vex.origin.manifest.short(),
            vex.format,
            vex.author
                .as_ref()
                .map(|a| format!(" by {a}"))
                .unwrap_or_default(),
            vex.statements,
        )));
        out.push('\n');
    }
    out
}

fn align(lines: &[Vec<String>]) -> String {
    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < columns {
                text.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}
