//! OpenVEX documents, 0.2 (`https://openvex.dev/ns/v0.2.0`: vulnerabilities
//! and products are objects) and the earlier `https://openvex.dev/ns`
//! (strings, statement-level subcomponents), as vexctl, go-vex and cosign
//! write them. A statement's time is its own, else the document's.

use serde_json::Value;

use super::read::Document;
use super::{Product, Timestamp, VexDocument, VexStatement, VexStatus};

fn string(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Whether a JSON document is OpenVEX (its `@context`).
pub fn is_openvex(doc: &Value) -> bool {
    doc.get("@context")
        .and_then(Value::as_str)
        .is_some_and(|c| c.starts_with("https://openvex.dev/ns"))
}

/// Reads an OpenVEX document.
pub fn read(doc: &Value) -> Result<Option<Document>, String> {
    let context = string(doc.get("@context")).unwrap_or_default();
    let version = context
        .strip_prefix("https://openvex.dev/ns")
        .map(|v| v.trim_start_matches("/v"))
        .filter(|v| !v.is_empty());
    let document_time = time_of(doc);
    let statements = doc
        .get("statements")
        .and_then(Value::as_array)
        .ok_or_else(|| "OpenVEX: no statements".to_owned())?
        .iter()
        .filter_map(|s| statement(s, document_time.as_ref()))
        .collect();
    Ok(Some(Document::Vex(VexDocument {
        format: version.map_or_else(|| "OpenVEX".to_owned(), |v| format!("OpenVEX {v}")),
        author: string(doc.get("author")),
        timestamp: document_time,
        statements,
    })))
}

fn time_of(value: &Value) -> Option<Timestamp> {
    string(value.get("last_updated"))
        .or_else(|| string(value.get("timestamp")))
        .and_then(|t| Timestamp::parse(&t))
}

/// A component's names: `@id` (or the string itself) and its identifiers.
fn names(value: &Value) -> Vec<String> {
    if let Some(text) = value.as_str() {
        return vec![text.trim().to_owned()];
    }
    let mut out: Vec<String> = string(value.get("@id")).into_iter().collect();
    if let Some(identifiers) = value.get("identifiers").and_then(Value::as_object) {
        out.extend(identifiers.values().filter_map(|v| string(Some(v))));
    }
    out
}

fn product(value: &Value, shared_subcomponents: &[String]) -> Product {
    let digests = value
        .get("hashes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(algorithm, hex)| {
            let algorithm = match algorithm.to_ascii_lowercase().as_str() {
                "sha-256" | "sha256" => "sha256",
                "sha-512" | "sha512" => "sha512",
                _ => return None,
            };
            Some(format!(
                "{algorithm}:{}",
                hex.as_str()?.to_ascii_lowercase()
            ))
        })
        .collect();
    let mut subcomponents: Vec<String> = value
        .get("subcomponents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(names)
        .collect();
    subcomponents.extend(shared_subcomponents.iter().cloned());
    Product {
        ids: names(value),
        digests,
        bom_serial: None,
        subcomponents,
    }
}

fn statement(value: &Value, document_time: Option<&Timestamp>) -> Option<VexStatement> {
    let status = VexStatus::parse(value.get("status")?.as_str()?)?;
    let vulnerability = value.get("vulnerability");
    let (name, aliases) = match vulnerability {
        Some(Value::String(name)) => (name.trim().to_owned(), Vec::new()),
        Some(object) => (
            string(object.get("name")).or_else(|| string(object.get("@id")))?,
            object
                .get("aliases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|a| string(Some(a)))
                .collect(),
        ),
        None => (string(value.get("vuln_id"))?, Vec::new()),
    };
    // The first OpenVEX spec put subcomponents beside the products.
    let shared: Vec<String> = value
        .get("subcomponents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(names)
        .collect();
    let products = value
        .get("products")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| product(p, &shared))
        .collect();
    let note = ["impact_statement", "action_statement", "status_notes"]
        .iter()
        .find_map(|key| string(value.get(*key)));
    Some(VexStatement {
        vulnerability: name,
        aliases,
        products,
        status,
        justification: string(value.get("justification")),
        note,
        timestamp: time_of(value).or_else(|| document_time.cloned()),
    })
}
