//! In-toto statements and what wraps them: a DSSE envelope (cosign's `.att`
//! layers, OCI 1.1 attestations), a Sigstore bundle v0.3 carrying a DSSE
//! envelope, or a bare statement (BuildKit's attestation layers); which one
//! a document is, `envelope::Carrier` says. The predicate is kept as the
//! exact bytes it had inside the statement, so an SBOM pulled out of an
//! attestation is the document that was put in, not a re-serialisation of
//! it.

use base64::Engine;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::envelope::{BundleContent, Carrier, DsseEnvelope};

/// What the statement was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    Dsse,
    SigstoreBundle,
    /// A statement with no envelope around it.
    Bare,
}

impl Envelope {
    pub fn label(self) -> &'static str {
        match self {
            Envelope::Dsse => "DSSE envelope",
            Envelope::SigstoreBundle => "Sigstore bundle",
            Envelope::Bare => "in-toto statement",
        }
    }
}

/// A subject of a statement: a name and its digests (`sha256` → hex).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatementSubject {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub digest: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Statement {
    pub envelope: Envelope,
    /// The envelope's `payloadType` (DSSE), when there is an envelope.
    pub payload_type: Option<String>,
    pub statement_type: String,
    pub predicate_type: String,
    pub subjects: Vec<StatementSubject>,
    /// The predicate exactly as it stood in the statement.
    pub predicate: Option<Box<RawValue>>,
}

impl Statement {
    /// The predicate's bytes as they were signed. A predicate that is a JSON
    /// string (cosign's SPDX tag-value) is the string's content.
    pub fn predicate_bytes(&self) -> Option<Vec<u8>> {
        let raw = self.predicate.as_ref()?.get();
        if raw.trim_start().starts_with('"') {
            return serde_json::from_str::<String>(raw)
                .ok()
                .map(String::into_bytes);
        }
        Some(raw.as_bytes().to_vec())
    }

    /// The predicate parsed, for reading fields out of it.
    pub fn predicate_value(&self) -> Option<serde_json::Value> {
        serde_json::from_str(self.predicate.as_ref()?.get()).ok()
    }

    /// Whether one of the statement's subjects is this digest.
    pub fn names_digest(&self, digest: &crate::oci::Digest) -> bool {
        let (algorithm, hex) = digest
            .to_string()
            .split_once(':')
            .map(|(a, h)| (a.to_owned(), h.to_owned()))
            .unwrap_or_default();
        self.subjects.iter().any(|s| {
            s.digest
                .get(&algorithm)
                .is_some_and(|d| d.eq_ignore_ascii_case(&hex))
        })
    }
}

#[derive(Deserialize)]
struct StatementWire {
    #[serde(rename = "_type")]
    statement_type: String,
    #[serde(rename = "predicateType")]
    predicate_type: String,
    #[serde(default)]
    subject: Vec<StatementSubject>,
    #[serde(default)]
    predicate: Option<Box<RawValue>>,
}

/// The payload type of an in-toto statement in DSSE.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Why bytes hold no statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("not JSON")]
    NotJson,
    #[error("a Sigstore bundle with a message signature, not an attestation")]
    SignatureBundle,
    #[error("the envelope's payload is not base64")]
    BadPayload,
    #[error("no in-toto statement (no `_type` and `predicateType`)")]
    NoStatement,
    #[error(
        "the document can be read two ways (a bundle or envelope that also carries a top-level payload or statement)"
    )]
    Ambiguous,
    #[error("a Sigstore bundle with neither a DSSE envelope nor a message signature")]
    NoContent,
    #[error("the bundle's message signature has no digest, or is not base64")]
    BadSignature,
    #[error("the DSSE payload type is {0:?}, not application/vnd.in-toto+json")]
    PayloadType(String),
    #[error("the statement type {0:?} is not an in-toto statement")]
    StatementType(String),
}

/// The in-toto statement in `bytes`, whatever wraps it, for showing and
/// pulling what it says. Its signature is not checked here: a verdict
/// reads the statement of a verified envelope (`audit::verify`), through
/// `Statement::from_payload` on the bytes the signature covered.
pub fn unwrap_statement(bytes: &[u8]) -> Result<Statement, StatementError> {
    match Carrier::parse(bytes)? {
        Carrier::Dsse(dsse) => Statement::from_payload(&dsse, Envelope::Dsse),
        Carrier::Bundle {
            content: BundleContent::Dsse(dsse),
            ..
        } => Statement::from_payload(&dsse, Envelope::SigstoreBundle),
        Carrier::Bundle { .. } => Err(StatementError::SignatureBundle),
        Carrier::Bare => {
            let wire: StatementWire =
                serde_json::from_slice(bytes).map_err(|_| StatementError::NoStatement)?;
            statement(wire, Envelope::Bare, None)
        }
    }
}

impl Statement {
    /// The statement a DSSE envelope's payload holds: read from exactly the
    /// payload bytes (what the signature covers), and only when the payload
    /// type says in-toto.
    pub fn from_payload(dsse: &DsseEnvelope, kind: Envelope) -> Result<Statement, StatementError> {
        if dsse.payload_type != IN_TOTO_PAYLOAD_TYPE {
            return Err(StatementError::PayloadType(dsse.payload_type.clone()));
        }
        let wire: StatementWire =
            serde_json::from_slice(&dsse.payload).map_err(|_| StatementError::NoStatement)?;
        statement(wire, kind, Some(dsse.payload_type.clone()))
    }
}

fn statement(
    wire: StatementWire,
    envelope: Envelope,
    payload_type: Option<String>,
) -> Result<Statement, StatementError> {
    if !wire
        .statement_type
        .starts_with("https://in-toto.io/Statement/")
    {
        return Err(StatementError::StatementType(wire.statement_type));
    }
    Ok(Statement {
        envelope,
        payload_type,
        statement_type: wire.statement_type,
        predicate_type: wire.predicate_type,
        subjects: wire.subject,
        predicate: wire.predicate,
    })
}

/// DSSE says standard base64; some writers use the URL-safe alphabet or
/// drop the padding.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    const SBOM: &str =
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[ {"name":"a"} ]}"#;

    fn statement_json() -> String {
        format!(
            r#"{{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cyclonedx.org/bom","subject":[{{"name":"x","digest":{{"sha256":"{}"}}}}],"predicate":{SBOM}}}"#,
            "ab".repeat(32)
        )
    }

    #[test]
    fn unwraps_every_envelope_and_keeps_the_predicate_bytes() {
        let bare = statement_json();
        let dsse = format!(
            r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","signatures":[{{"sig":"AA=="}}]}}"#,
            STANDARD.encode(&bare)
        );
        let bundle = format!(
            r#"{{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{{}},"dsseEnvelope":{dsse}}}"#
        );
        for (bytes, envelope) in [
            (bare.clone(), Envelope::Bare),
            (dsse, Envelope::Dsse),
            (bundle, Envelope::SigstoreBundle),
        ] {
            let statement = unwrap_statement(bytes.as_bytes()).expect("statement");
            assert_eq!(statement.envelope, envelope);
            assert_eq!(statement.predicate_type, "https://cyclonedx.org/bom");
            assert_eq!(
                statement.predicate_bytes().as_deref(),
                Some(SBOM.as_bytes())
            );
            let subject: crate::oci::Digest = format!("sha256:{}", "ab".repeat(32))
                .parse()
                .expect("digest");
            assert!(statement.names_digest(&subject));
        }
        let signature_bundle =
            br#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AA=="},"signature":"AA=="}}"#;
        assert_eq!(
            unwrap_statement(signature_bundle).err(),
            Some(StatementError::SignatureBundle)
        );
        assert_eq!(
            unwrap_statement(b"\xff").err(),
            Some(StatementError::NotJson)
        );
        assert_eq!(
            unwrap_statement(br#"{"payloadType":"x","payload":"!!"}"#).err(),
            Some(StatementError::BadPayload)
        );
        assert_eq!(
            unwrap_statement(br#"{"_type":"t","predicateType":"p"}"#).err(),
            Some(StatementError::StatementType("t".to_owned()))
        );
    }

    #[test]
    fn a_string_predicate_is_its_content() {
        let json = r#"{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://spdx.dev/Document","predicate":"SPDXVersion: SPDX-2.3\n"}"#;
        let statement = unwrap_statement(json.as_bytes()).expect("statement");
        assert_eq!(
            statement.predicate_bytes().as_deref(),
            Some(&b"SPDXVersion: SPDX-2.3\n"[..])
        );
    }
}
