//! `regscope vulns --format sarif`: SARIF 2.1.0 for code-scanning
//! dashboards, one rule per vulnerability and one result per finding, a
//! suppressed finding carrying its VEX as a SARIF suppression.

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use super::shown;
use crate::vuln::{Report, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
        Severity::Unknown => "none",
    }
}

/// SARIF 2.1.0: one rule per vulnerability, one result per finding.
pub fn to_sarif(report: &Report, show_suppressed: bool) -> Result<String> {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut results: Vec<Value> = Vec::new();
    for finding in shown(report, show_suppressed) {
        let f = &finding.finding;
        let index = *rule_index.entry(f.id.as_str()).or_insert_with(|| {
            rules.push(json!({
                "id": f.id,
                "shortDescription": {"text": f.title.clone().unwrap_or_else(|| f.id.clone())},
                "fullDescription": {"text": f.description.clone().unwrap_or_default()},
                "helpUri": f.url,
                "properties": {"tags": ["vulnerability", "security", f.severity.label()]},
            }));
            rules.len() - 1
        });
        let scan = &report.scans[finding.scan];
        let mut result = json!({
            "ruleId": f.id,
            "ruleIndex": index,
            "level": level(f.severity),
            "message": {"text": format!(
                "Package: {}\nInstalled Version: {}\nVulnerability {}\nSeverity: {}\nFixed Version: {}",
                f.package,
                f.installed.as_deref().unwrap_or(""),
                f.id,
                f.severity.label().to_ascii_uppercase(),
                f.fixed.as_deref().unwrap_or(""),
            )},
            "locations": [{"physicalLocation": {"artifactLocation": {
                "uri": format!("{}@{}", f.package, f.installed.as_deref().unwrap_or("")),
            }}}],
            "properties": {"scan": scan.origin.manifest.to_string(), "platform": finding.platform},
        });
        if let Some(vex) = finding.vex.as_ref().filter(|v| v.status.suppresses()) {
            result["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!(
                    "VEX {}{}",
                    vex.status.label(),
                    vex.justification.as_ref().map(|j| format!(": {j}")).unwrap_or_default()
                ),
            }]);
        }
        results.push(result);
    }
    let value = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "regscope",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/regscope/regscope",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}
