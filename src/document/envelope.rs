//! Which envelope a document is, read one way for everyone: a DSSE envelope
//! (`payloadType`, `payload`, `signatures`), a Sigstore bundle (its
//! `dsseEnvelope` or its `messageSignature`, never both), or a bare in-toto
//! statement. Display, pull and verification all call `Carrier::parse`, so
//! the payload a signature is checked over is the payload anyone reads.
//!
//! A document that could be read two ways (a bundle that also carries a
//! top-level `payload` or `_type`, a DSSE envelope that is also a
//! statement) is refused: which part counts would depend on the reader, and
//! that is how a signature over one part lends its trust to another.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::statement::{StatementError, decode_base64};

/// Top-level fields that make a document a Sigstore bundle.
const BUNDLE_FIELDS: [&str; 3] = ["dsseEnvelope", "messageSignature", "verificationMaterial"];
/// Top-level fields of a DSSE envelope.
const DSSE_FIELDS: [&str; 3] = ["payload", "payloadType", "signatures"];
/// Top-level fields of an in-toto statement.
const STATEMENT_FIELDS: [&str; 4] = ["_type", "subject", "predicateType", "predicate"];

/// A DSSE envelope, its payload decoded, exactly as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsseEnvelope {
    pub payload_type: String,
    /// The payload's bytes: what PAE covers and what a statement is read
    /// from.
    pub payload: Vec<u8>,
    /// Each signature's bytes (entries that are not base64 are dropped:
    /// they cannot verify).
    pub signatures: Vec<Vec<u8>>,
}

/// A Sigstore bundle's message signature: a digest and a signature over
/// the artifact it is the digest of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSignature {
    /// `SHA2_256`, `SHA2_384`, … as the bundle names it.
    pub algorithm: String,
    pub digest: Vec<u8>,
    pub signature: Vec<u8>,
}

/// What a document carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// A bare DSSE envelope (cosign's `.att` layers, OCI 1.1 DSSE).
    Dsse(DsseEnvelope),
    /// A Sigstore bundle; `document` is the whole bundle, for its
    /// verification material.
    Bundle {
        content: BundleContent,
        document: Value,
    },
    /// An in-toto statement with no envelope (BuildKit's attestations).
    Bare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleContent {
    Dsse(DsseEnvelope),
    MessageSignature(MessageSignature),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DsseWire {
    payload_type: String,
    payload: String,
    #[serde(default)]
    signatures: Vec<SignatureWire>,
}

#[derive(Deserialize)]
struct SignatureWire {
    #[serde(default)]
    sig: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageWire {
    message_digest: DigestWire,
    signature: String,
}

#[derive(Deserialize)]
struct DigestWire {
    algorithm: String,
    digest: String,
}

/// The fields of a bundle that say what it signs; decoded from the raw
/// bytes so a field given twice is refused, not last-one-wins.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleWire<'a> {
    #[serde(borrow, default)]
    dsse_envelope: Option<&'a RawValue>,
    #[serde(borrow, default)]
    message_signature: Option<&'a RawValue>,
}

impl Carrier {
    /// Reads what `bytes` carries.
    pub fn parse(bytes: &[u8]) -> Result<Carrier, StatementError> {
        let doc: Value = serde_json::from_slice(bytes).map_err(|_| StatementError::NotJson)?;
        let Some(fields) = doc.as_object() else {
            return Err(StatementError::NoStatement);
        };
        let has = |names: &[&str]| names.iter().any(|name| fields.contains_key(*name));
        let media_type = fields.get("mediaType").and_then(Value::as_str);
        let is_bundle =
            has(&BUNDLE_FIELDS) || media_type.is_some_and(|m| m.contains("sigstore.bundle"));
        if is_bundle {
            if has(&DSSE_FIELDS) || has(&STATEMENT_FIELDS) {
                return Err(StatementError::Ambiguous);
            }
            let wire: BundleWire<'_> =
                serde_json::from_slice(bytes).map_err(|_| StatementError::NoStatement)?;
            let content = match (wire.dsse_envelope, wire.message_signature) {
                (Some(dsse), None) => BundleContent::Dsse(dsse_from(dsse.get().as_bytes())?),
                (None, Some(message)) => {
                    BundleContent::MessageSignature(message_from(message.get().as_bytes())?)
                }
                (Some(_), Some(_)) => return Err(StatementError::Ambiguous),
                (None, None) => return Err(StatementError::NoContent),
            };
            return Ok(Carrier::Bundle {
                content,
                document: doc,
            });
        }
        if has(&["payload", "payloadType"]) {
            if has(&STATEMENT_FIELDS) {
                return Err(StatementError::Ambiguous);
            }
            return dsse_from(bytes).map(Carrier::Dsse);
        }
        Ok(Carrier::Bare)
    }

    /// The DSSE envelope it carries, bare or in a bundle.
    pub fn dsse(&self) -> Option<&DsseEnvelope> {
        match self {
            Carrier::Dsse(dsse)
            | Carrier::Bundle {
                content: BundleContent::Dsse(dsse),
                ..
            } => Some(dsse),
            _ => None,
        }
    }
}

fn dsse_from(bytes: &[u8]) -> Result<DsseEnvelope, StatementError> {
    let wire: DsseWire = serde_json::from_slice(bytes).map_err(|_| StatementError::NoStatement)?;
    let payload = decode_base64(&wire.payload).ok_or(StatementError::BadPayload)?;
    Ok(DsseEnvelope {
        payload_type: wire.payload_type,
        payload,
        signatures: wire
            .signatures
            .iter()
            .filter_map(|s| decode_base64(&s.sig))
            .collect(),
    })
}

fn message_from(bytes: &[u8]) -> Result<MessageSignature, StatementError> {
    let wire: MessageWire =
        serde_json::from_slice(bytes).map_err(|_| StatementError::BadSignature)?;
    Ok(MessageSignature {
        algorithm: wire.message_digest.algorithm,
        digest: decode_base64(&wire.message_digest.digest).ok_or(StatementError::BadSignature)?,
        signature: decode_base64(&wire.signature).ok_or(StatementError::BadSignature)?,
    })
}

#[cfg(test)]
#[path = "envelope_tests.rs"]
mod tests;
