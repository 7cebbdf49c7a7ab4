//! What a signature carries as proof of its time, read from where the
//! tools put it: a Sigstore bundle's `verificationMaterial` (`tlogEntries`,
//! `timestampVerificationData`; media types v0.1, v0.2 and v0.3), or
//! cosign's legacy layer annotations (`dev.sigstore.cosign/bundle`, the
//! Rekor entry with its signed entry timestamp, and
//! `dev.sigstore.cosign/rfc3161timestamp`). Parsing only: nothing here is
//! trusted until `verify` checks it.

use serde_json::Value;

use super::keys::from_hex;
use super::{Part, ProofError};
use crate::document::statement::decode_base64;

/// More entries or timestamps than this is not a signature's proof (as
/// sigstore-go limits them).
const MAX_ITEMS: usize = 32;

/// An RFC 6962 inclusion proof and the checkpoint that signs its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    /// The leaf's index in the tree the checkpoint signs (for a sharded
    /// Rekor v1, within its shard).
    pub log_index: u64,
    pub root_hash: Vec<u8>,
    pub tree_size: u64,
    pub hashes: Vec<Vec<u8>>,
    pub checkpoint: Option<String>,
}

/// One transparency log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlogEntry {
    /// The entry's index in the log as a whole (what the signed entry
    /// timestamp signs).
    pub log_index: u64,
    pub log_id: Vec<u8>,
    pub kind: String,
    pub version: String,
    /// Seconds since the epoch; 0 where the log gives none (Rekor v2).
    pub integrated_time: i64,
    /// The entry as the log stored it (canonical JSON).
    pub body: Vec<u8>,
    /// The signed entry timestamp (Rekor v1's inclusion promise).
    pub signed_entry_timestamp: Option<Vec<u8>>,
    pub inclusion_proof: Option<InclusionProof>,
}

impl TlogEntry {
    /// Rekor v2 logs the new `hashedrekord` and `dsse` versions; `intoto`
    /// 0.0.2 is a Rekor v1 kind.
    pub fn is_rekor_v2(&self) -> bool {
        self.version == "0.0.2" && (self.kind == "hashedrekord" || self.kind == "dsse")
    }
}

/// Log entries and RFC 3161 timestamps (DER, as carried).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub entries: Vec<TlogEntry>,
    pub timestamps: Vec<Vec<u8>>,
}

fn bad(message: impl Into<String>) -> ProofError {
    ProofError::new(Part::Bundle, message)
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.timestamps.is_empty()
    }

    /// A Sigstore bundle's proofs, with the rules of its version: v0.1
    /// entries must carry a signed entry timestamp, later ones an
    /// inclusion proof with its checkpoint.
    pub fn from_bundle(bundle: &Value) -> Result<Evidence, ProofError> {
        let media_type = bundle
            .get("mediaType")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("the bundle has no mediaType"))?;
        let version = bundle_version(media_type)
            .ok_or_else(|| bad(format!("unknown bundle media type {media_type}")))?;
        let material = bundle
            .get("verificationMaterial")
            .ok_or_else(|| bad("the bundle has no verificationMaterial"))?;
        let entries = list(material.get("tlogEntries"), "tlogEntries")?
            .iter()
            .map(read_entry)
            .collect::<Result<Vec<_>, _>>()?;
        for entry in &entries {
            if version == 1 && entry.signed_entry_timestamp.is_none() {
                return Err(bad(
                    "a v0.1 bundle's log entry without its inclusion promise",
                ));
            }
            let proven = entry.inclusion_proof.as_ref();
            if version >= 2 && proven.is_none_or(|p| p.checkpoint.is_none()) {
                return Err(bad(
                    "a log entry without an inclusion proof and checkpoint (required from bundle v0.2 on)",
                ));
            }
        }
        let timestamps = list(
            material.pointer("/timestampVerificationData/rfc3161Timestamps"),
            "rfc3161Timestamps",
        )?
        .iter()
        .map(|t| {
            t.get("signedTimestamp")
                .and_then(Value::as_str)
                .and_then(decode_base64)
                .ok_or_else(|| bad("an RFC 3161 timestamp that is not base64"))
        })
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Evidence {
            entries,
            timestamps,
        })
    }

    /// cosign's legacy annotations: `dev.sigstore.cosign/bundle` (a Rekor
    /// entry: `SignedEntryTimestamp` and `Payload` with `body`,
    /// `integratedTime`, `logIndex`, `logID` in hex) and
    /// `dev.sigstore.cosign/rfc3161timestamp` (`SignedRFC3161Timestamp`).
    pub fn from_cosign_annotations(
        rekor_bundle: Option<&str>,
        rfc3161_timestamp: Option<&str>,
    ) -> Result<Evidence, ProofError> {
        let mut evidence = Evidence::default();
        if let Some(text) = rekor_bundle.filter(|t| !t.is_empty()) {
            let doc: Value = serde_json::from_str(text)
                .map_err(|e| bad(format!("the cosign bundle annotation is not JSON: {e}")))?;
            let payload = doc
                .get("Payload")
                .ok_or_else(|| bad("the cosign bundle annotation has no Payload"))?;
            let body = text_field(payload, "body")
                .and_then(decode_base64)
                .ok_or_else(|| bad("the cosign bundle's body is not base64"))?;
            let (kind, version) = body_kind(&body)?;
            evidence.entries.push(TlogEntry {
                log_index: number(payload.get("logIndex"), "logIndex")?,
                log_id: text_field(payload, "logID")
                    .and_then(from_hex)
                    .ok_or_else(|| bad("the cosign bundle's logID is not hex"))?,
                kind,
                version,
                integrated_time: signed(payload.get("integratedTime"), "integratedTime")?,
                body,
                signed_entry_timestamp: Some(
                    text_field(&doc, "SignedEntryTimestamp")
                        .and_then(decode_base64)
                        .ok_or_else(|| {
                            bad("the cosign bundle's SignedEntryTimestamp is not base64")
                        })?,
                ),
                inclusion_proof: None,
            });
        }
        if let Some(text) = rfc3161_timestamp.filter(|t| !t.is_empty()) {
            let doc: Value = serde_json::from_str(text)
                .map_err(|e| bad(format!("the cosign timestamp annotation is not JSON: {e}")))?;
            evidence.timestamps.push(
                text_field(&doc, "SignedRFC3161Timestamp")
                    .and_then(decode_base64)
                    .ok_or_else(|| bad("the cosign timestamp annotation is not base64"))?,
            );
        }
        Ok(evidence)
    }
}

/// 1, 2 or 3 for the bundle media types cosign and sigstore-go write.
fn bundle_version(media_type: &str) -> Option<u8> {
    match media_type {
        "application/vnd.dev.sigstore.bundle+json;version=0.1" => Some(1),
        "application/vnd.dev.sigstore.bundle+json;version=0.2" => Some(2),
        "application/vnd.dev.sigstore.bundle+json;version=0.3"
        | "application/vnd.dev.sigstore.bundle.v0.3+json" => Some(3),
        _ => None,
    }
}

fn list<'a>(value: Option<&'a Value>, what: &str) -> Result<&'a [Value], ProofError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(&[]),
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => return Err(bad(format!("{what} is not a list"))),
    };
    if items.len() > MAX_ITEMS {
        return Err(bad(format!("{} {what} (at most {MAX_ITEMS})", items.len())));
    }
    Ok(items)
}

fn read_entry(entry: &Value) -> Result<TlogEntry, ProofError> {
    let body = text_field(entry, "canonicalizedBody")
        .and_then(decode_base64)
        .ok_or_else(|| bad("a log entry without a base64 canonicalizedBody"))?;
    let kind = entry.pointer("/kindVersion/kind").and_then(Value::as_str);
    let version = entry
        .pointer("/kindVersion/version")
        .and_then(Value::as_str);
    let (Some(kind), Some(version)) = (kind, version) else {
        return Err(bad("a log entry without its kindVersion"));
    };
    let inclusion_proof = entry
        .get("inclusionProof")
        .filter(|p| !p.is_null())
        .map(read_proof)
        .transpose()?;
    Ok(TlogEntry {
        log_index: number(entry.get("logIndex"), "logIndex")?,
        log_id: entry
            .pointer("/logId/keyId")
            .and_then(Value::as_str)
            .and_then(decode_base64)
            .ok_or_else(|| bad("a log entry without a base64 logId"))?,
        kind: kind.to_owned(),
        version: version.to_owned(),
        integrated_time: match entry.get("integratedTime") {
            None | Some(Value::Null) => 0,
            time => signed(time, "integratedTime")?,
        },
        body,
        signed_entry_timestamp: entry
            .pointer("/inclusionPromise/signedEntryTimestamp")
            .map(|s| {
                s.as_str()
                    .and_then(decode_base64)
                    .ok_or_else(|| bad("a signed entry timestamp that is not base64"))
            })
            .transpose()?,
        inclusion_proof,
    })
}

fn read_proof(proof: &Value) -> Result<InclusionProof, ProofError> {
    let hashes = list(proof.get("hashes"), "inclusion proof hashes")?;
    Ok(InclusionProof {
        log_index: number(proof.get("logIndex"), "inclusion proof logIndex")?,
        root_hash: text_field(proof, "rootHash")
            .and_then(decode_base64)
            .ok_or_else(|| bad("an inclusion proof without a base64 rootHash"))?,
        tree_size: number(proof.get("treeSize"), "treeSize")?,
        hashes: hashes
            .iter()
            .map(|h| {
                h.as_str()
                    .and_then(decode_base64)
                    .ok_or_else(|| bad("an inclusion proof hash that is not base64"))
            })
            .collect::<Result<_, _>>()?,
        checkpoint: proof
            .pointer("/checkpoint/envelope")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The `kind` and `apiVersion` a log entry body says it is.
pub(super) fn body_kind(body: &[u8]) -> Result<(String, String), ProofError> {
    let doc: Value = serde_json::from_slice(body).map_err(|e| {
        ProofError::new(Part::EntryBody, format!("the entry body is not JSON: {e}"))
    })?;
    let field = |name: &str| doc.get(name).and_then(Value::as_str).map(str::to_owned);
    match (field("kind"), field("apiVersion")) {
        (Some(kind), Some(version)) => Ok((kind, version)),
        _ => Err(ProofError::new(
            Part::EntryBody,
            "the entry body has no kind and apiVersion",
        )),
    }
}

fn text_field<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value.get(name).and_then(Value::as_str)
}

/// A protobuf JSON int64: a string of digits, or a number.
fn signed(value: Option<&Value>, what: &str) -> Result<i64, ProofError> {
    match value {
        Some(Value::String(s)) => s.parse().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
    .ok_or_else(|| bad(format!("{what} is not an integer")))
}

fn number(value: Option<&Value>, what: &str) -> Result<u64, ProofError> {
    u64::try_from(signed(value, what)?).map_err(|_| bad(format!("{what} is negative")))
}
