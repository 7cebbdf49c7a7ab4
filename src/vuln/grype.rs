//! Grype's JSON report (`grype -o json`): its `severity` is Grype's own
//! choice; the database's build time is in `descriptor.db` (`built`, or
//! `status.built` in newer versions).

use serde::Deserialize;

use super::read::Document;
use super::severity::{Rated, choose};
use super::{Finding, Scan, ScanInfo, Timestamp};

#[derive(Debug, Deserialize)]
struct Report {
    #[serde(default)]
    matches: Vec<Match>,
    descriptor: Option<Descriptor>,
    source: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Descriptor {
    name: Option<String>,
    version: Option<String>,
    timestamp: Option<String>,
    db: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Match {
    vulnerability: Vulnerability,
    #[serde(default)]
    related_vulnerabilities: Vec<Related>,
    artifact: Artifact,
}

#[derive(Debug, Deserialize)]
struct Vulnerability {
    id: String,
    severity: Option<String>,
    description: Option<String>,
    #[serde(rename = "dataSource")]
    data_source: Option<String>,
    #[serde(default)]
    cvss: Vec<Cvss>,
    fix: Option<Fix>,
}

#[derive(Debug, Deserialize)]
struct Related {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Cvss {
    source: Option<String>,
    version: Option<String>,
    metrics: Option<Metrics>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metrics {
    base_score: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Fix {
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Artifact {
    name: String,
    version: Option<String>,
    purl: Option<String>,
}

/// Reads a Grype JSON report.
pub fn read(doc: serde_json::Value) -> Result<Option<Document>, String> {
    let report: Report = serde_json::from_value(doc).map_err(|e| format!("Grype JSON: {e}"))?;
    let descriptor = report.descriptor.as_ref();
    let db = descriptor.and_then(|d| d.db.as_ref());
    let db_built = db
        .and_then(|db| db.get("built").or_else(|| db.pointer("/status/built")))
        .and_then(serde_json::Value::as_str);
    let info = ScanInfo {
        format: "Grype JSON".to_owned(),
        scanner: Some(
            descriptor
                .and_then(|d| d.name.clone())
                .unwrap_or_else(|| "grype".to_owned()),
        ),
        scanner_version: descriptor.and_then(|d| d.version.clone()),
        time: descriptor
            .and_then(|d| d.timestamp.as_deref())
            .and_then(Timestamp::parse),
        database_time: db_built.and_then(Timestamp::parse),
        subject_digest: report
            .source
            .as_ref()
            .and_then(|s| s.pointer("/target/manifestDigest"))
            .and_then(serde_json::Value::as_str)
            .and_then(super::purl::image_digest),
        ..ScanInfo::default()
    };
    let findings = report.matches.into_iter().map(finding).collect();
    Ok(Some(Document::Scan(Scan { info, findings })))
}

fn finding(m: Match) -> Finding {
    let v = m.vulnerability;
    let ratings: Vec<Rated> = v
        .cvss
        .iter()
        .map(|c| Rated {
            source: c.source.clone(),
            score: c.metrics.as_ref().and_then(|m| m.base_score),
            method: Some(format!("CVSSv{}", c.version.as_deref().unwrap_or(""))),
            ..Rated::default()
        })
        .collect();
    let (severity, severity_basis) = choose(v.severity.as_deref(), &ratings);
    Finding {
        aliases: m
            .related_vulnerabilities
            .into_iter()
            .map(|r| r.id)
            .filter(|id| *id != v.id)
            .collect(),
        id: v.id,
        severity,
        severity_basis,
        package: m.artifact.name,
        purl: m.artifact.purl.filter(|p| !p.is_empty()),
        installed: m.artifact.version,
        fixed: v
            .fix
            .map(|f| f.versions.join(", "))
            .filter(|f| !f.is_empty()),
        description: v.description,
        url: v.data_source.filter(|s| !s.is_empty()),
        ..Finding::default()
    }
}
