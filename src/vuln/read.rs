//! Which format a scan or VEX document is, read from its bytes: raw, or the
//! predicate of an in-toto statement (DSSE envelope, Sigstore bundle, bare
//! statement). The media type is not trusted to say: Trivy's referrer
//! plugin attaches cosign's vuln format as plain `application/json`.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::{Scan, VexDocument, cosign, cyclonedx, cyclonedx_xml, grype, openvex, sarif, trivy};
use crate::document::{Statement, unwrap_statement};
use crate::oci::media_type as mt;

/// What a document holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Scan(Scan),
    Vex(VexDocument),
}

/// A document read, and what wrapped it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub document: Document,
    /// "DSSE envelope", "Sigstore bundle", "in-toto statement".
    pub envelope: Option<&'static str>,
    pub predicate_type: Option<String>,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

/// The keys that tell the formats apart; values are skipped unread.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "bomFormat")]
    bom_format: Option<String>,
    #[serde(rename = "payloadType")]
    payload_type: Option<IgnoredAny>,
    #[serde(rename = "mediaType")]
    media_type: Option<IgnoredAny>,
    #[serde(rename = "predicateType")]
    predicate_type: Option<IgnoredAny>,
}

/// Reads `bytes` as a scan or a VEX document. `Ok(None)`: something else
/// (an SBOM without vulnerabilities, a signature, a README).
pub fn read_document(bytes: &[u8]) -> Result<Option<Read>, ReadError> {
    let text_start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&bytes[..0], |at| &bytes[at..]);
    let text_start = text_start
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(text_start);
    match text_start.first() {
        Some(b'<') => {
            let head = String::from_utf8_lossy(&text_start[..text_start.len().min(4096)]);
            if !head.contains("cyclonedx.org/schema/bom") {
                return Ok(None);
            }
            let document = cyclonedx_xml::read_xml(text_start).map_err(ReadError)?;
            Ok(document.map(|document| Read {
                document,
                envelope: None,
                predicate_type: None,
            }))
        }
        Some(b'{') => read_json(text_start),
        _ => Ok(None),
    }
}

fn read_json(bytes: &[u8]) -> Result<Option<Read>, ReadError> {
    let probe: Probe =
        serde_json::from_slice(bytes).map_err(|e| ReadError(format!("not JSON: {e}")))?;
    let wrapped = probe.payload_type.is_some()
        || probe.media_type.is_some()
        || probe.predicate_type.is_some();
    if wrapped && let Some(statement) = unwrap(bytes) {
        return read_statement(&statement);
    }
    let document = if probe.bom_format.as_deref() == Some("CycloneDX") {
        // Typed straight from the bytes: the large case stays one pass.
        cyclonedx::read_json(bytes).map_err(ReadError)?
    } else {
        let value: Value = serde_json::from_slice(bytes).map_err(|e| ReadError(e.to_string()))?;
        read_json_value(value).map_err(ReadError)?
    };
    Ok(document.map(|document| Read {
        document,
        envelope: None,
        predicate_type: None,
    }))
}

/// The statement inside an envelope, for showing what it says. This is the
/// one place the scan and VEX readers unwrap one; it decides nothing about
/// trust (the audit's verification reads its own verified payloads).
fn unwrap(bytes: &[u8]) -> Option<Statement> {
    unwrap_statement(bytes).ok()
}

fn read_statement(statement: &Statement) -> Result<Option<Read>, ReadError> {
    let predicate_type = statement.predicate_type.clone();
    let lower = predicate_type.to_ascii_lowercase();
    let document = if lower.starts_with("https://cyclonedx.org/") {
        let bytes = statement.predicate_bytes().unwrap_or_default();
        cyclonedx::read_json(&bytes).map_err(ReadError)?
    } else {
        let Some(value) = statement.predicate_value() else {
            return Ok(None);
        };
        if lower.starts_with(mt::PREDICATE_COSIGN_VULN) {
            cosign::read(value).map_err(ReadError)?
        } else if lower.starts_with(mt::PREDICATE_OPENVEX) {
            openvex::read(&value).map_err(ReadError)?
        } else {
            read_json_value(value).map_err(ReadError)?
        }
    };
    Ok(document.map(|document| Read {
        document,
        envelope: Some(statement.envelope.label()),
        predicate_type: Some(predicate_type),
    }))
}

/// A parsed JSON document, by the keys each format has.
pub(super) fn read_json_value(value: Value) -> Result<Option<Document>, String> {
    let has = |key: &str| value.get(key).is_some();
    if value.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        let bom = serde_json::from_value(value).map_err(|e| format!("CycloneDX JSON: {e}"))?;
        return Ok(cyclonedx::interpret(bom, "CycloneDX JSON"));
    }
    if openvex::is_openvex(&value) {
        return openvex::read(&value);
    }
    if has("runs")
        && (value.get("version").and_then(Value::as_str) == Some("2.1.0")
            || value
                .get("$schema")
                .and_then(Value::as_str)
                .is_some_and(|s| s.to_ascii_lowercase().contains("sarif")))
    {
        return sarif::read(&value);
    }
    if has("SchemaVersion") && (has("Results") || has("ArtifactName")) {
        return trivy::read(value);
    }
    if has("matches") && has("descriptor") {
        return grype::read(value);
    }
    if cosign::is_vuln_predicate(&value) {
        return cosign::read(value);
    }
    Ok(None)
}
