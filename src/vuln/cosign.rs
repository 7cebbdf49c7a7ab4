//! cosign's vulnerability predicate (`cosign attest --type vuln`,
//! `https://cosign.sigstore.dev/attestation/vuln/v1`; Trivy's
//! `--format cosign-vuln`): a scanner, its database, the scan's times and
//! the scanner's own report as `result`, read by its own reader.

use serde_json::Value;

use super::read::{Document, read_json_value};
use super::{ScanInfo, Timestamp};

/// Whether a JSON document has the predicate's shape.
pub fn is_vuln_predicate(doc: &Value) -> bool {
    doc.pointer("/scanner/result").is_some()
        && (doc.get("metadata").is_some() || doc.get("invocation").is_some())
}

/// Reads the predicate: the result's findings, with the predicate's
/// scanner, database and times where the result does not say.
pub fn read(doc: Value) -> Result<Option<Document>, String> {
    let text = |pointer: &str| {
        doc.pointer(pointer)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let scanner_uri = text("/scanner/uri");
    let version = text("/scanner/version");
    let database = text("/scanner/db/version").and_then(|v| Timestamp::parse(&v));
    let finished = text("/metadata/scanFinishedOn")
        .or_else(|| text("/metadata/scanStartedOn"))
        .and_then(|t| Timestamp::parse(&t));
    let result = doc
        .pointer("/scanner/result")
        .cloned()
        .unwrap_or(Value::Null);
    let inner = match read_json_value(result)? {
        Some(Document::Scan(scan)) => scan,
        Some(Document::Vex(_)) => {
            return Err("cosign vuln predicate: its result is a VEX document".to_owned());
        }
        None => super::Scan::default(),
    };
    let info = ScanInfo {
        format: if inner.info.format.is_empty() {
            "cosign vuln predicate".to_owned()
        } else {
            format!("{} (cosign vuln predicate)", inner.info.format)
        },
        scanner: inner
            .info
            .scanner
            .clone()
            .or_else(|| scanner_uri.as_deref().map(scanner_name)),
        scanner_version: inner.info.scanner_version.clone().or(version),
        time: finished
            .filter(Timestamp::is_valid)
            .or(inner.info.time.clone()),
        database_time: inner.info.database_time.clone().or(database),
        ..inner.info
    };
    Ok(Some(Document::Scan(super::Scan {
        info,
        findings: inner.findings,
    })))
}

/// `pkg:github/aquasecurity/trivy@v0.50.0` → `trivy`.
fn scanner_name(uri: &str) -> String {
    let without_version = uri.split('@').next().unwrap_or(uri);
    without_version
        .rsplit('/')
        .next()
        .unwrap_or(without_version)
        .to_owned()
}
