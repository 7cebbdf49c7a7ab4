//! Trivy's JSON report (`trivy image --format json`, schema version 2), as
//! attached as a file or carried in cosign's vuln predicate: its severity
//! is Trivy's own choice (`Severity`, from `SeveritySource`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::read::Document;
use super::severity::{Rated, choose};
use super::{Finding, Scan, ScanInfo, Timestamp};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Report {
    created_at: Option<String>,
    trivy: Option<TrivyVersion>,
    metadata: Option<Metadata>,
    #[serde(default)]
    results: Vec<Target>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TrivyVersion {
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Metadata {
    #[serde(default)]
    repo_digests: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Target {
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID")]
    vulnerability_id: String,
    #[serde(default)]
    pkg_name: String,
    pkg_identifier: Option<PkgIdentifier>,
    installed_version: Option<String>,
    fixed_version: Option<String>,
    severity: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(rename = "PrimaryURL")]
    primary_url: Option<String>,
    #[serde(rename = "CVSS", default)]
    cvss: BTreeMap<String, Cvss>,
}

#[derive(Debug, Deserialize)]
struct PkgIdentifier {
    #[serde(rename = "PURL")]
    purl: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Cvss {
    v3_score: Option<f64>,
    v2_score: Option<f64>,
}

/// Reads a Trivy JSON report.
pub fn read(doc: serde_json::Value) -> Result<Option<Document>, String> {
    let report: Report = serde_json::from_value(doc).map_err(|e| format!("Trivy JSON: {e}"))?;
    let info = ScanInfo {
        format: "Trivy JSON".to_owned(),
        scanner: Some("Trivy".to_owned()),
        scanner_version: report.trivy.and_then(|t| t.version),
        time: report.created_at.as_deref().and_then(Timestamp::parse),
        subject_digest: report
            .metadata
            .iter()
            .flat_map(|m| m.repo_digests.iter())
            .find_map(|d| super::purl::image_digest(d)),
        ..ScanInfo::default()
    };
    let findings = report
        .results
        .into_iter()
        .flat_map(|target| target.vulnerabilities)
        .map(finding)
        .collect();
    Ok(Some(Document::Scan(Scan { info, findings })))
}

fn finding(v: Vulnerability) -> Finding {
    let ratings: Vec<Rated> = v
        .cvss
        .iter()
        .flat_map(|(source, cvss)| {
            [("CVSSv3", cvss.v3_score), ("CVSSv2", cvss.v2_score)]
                .into_iter()
                .filter_map(|(method, score)| {
                    score.map(|score| Rated {
                        source: Some(source.clone()),
                        score: Some(score),
                        method: Some(method.to_owned()),
                        ..Rated::default()
                    })
                })
        })
        .collect();
    let (severity, severity_basis) = choose(v.severity.as_deref(), &ratings);
    Finding {
        id: v.vulnerability_id,
        severity,
        severity_basis,
        package: v.pkg_name,
        purl: v.pkg_identifier.and_then(|p| p.purl),
        installed: v.installed_version.filter(|s| !s.is_empty()),
        fixed: v.fixed_version.filter(|s| !s.is_empty()),
        title: v.title,
        description: v.description,
        url: v.primary_url,
        ..Finding::default()
    }
}
