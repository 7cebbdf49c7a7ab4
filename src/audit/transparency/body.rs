//! Whether a log entry's body is about the signature being verified: the
//! same signature bytes, the same certificate or key, and the same
//! artifact digest (a message signature) or payload (DSSE). Rekor v1
//! kinds `hashedrekord` 0.0.1, `dsse` 0.0.1 and `intoto` 0.0.2 and
//! Rekor v2's `hashedrekord` and `dsse` 0.0.2 are read; any other kind
//! cannot vouch for a signature.

use serde_json::Value;

use super::keys::{Hash, from_hex, hex, sha256};
use super::{Part, ProofError, Signed, Signer, Subject};
use crate::audit::verify::pae;
use crate::document::statement::decode_base64;

mod recorded;

use self::recorded::{Recorded, intoto_signature, v1_signature, v2_signature};

fn mismatch(message: impl Into<String>) -> ProofError {
    ProofError::new(Part::EntryBody, message)
}

/// Checks that `body` (of `kind`/`version`) records `subject`.
pub fn check(
    kind: &str,
    version: &str,
    body: &[u8],
    subject: &Subject<'_>,
) -> Result<(), ProofError> {
    let doc = parse_said(kind, version, body)?;
    let spec = doc
        .get("spec")
        .ok_or_else(|| mismatch("the entry body has no spec"))?;
    let (recorded, what) = recorded_by_kind(kind, version, spec, subject)?;
    records_subject(&recorded, what, subject)
}

/// The body as JSON, when it says it is the kind and version its entry
/// says.
fn parse_said(kind: &str, version: &str, body: &[u8]) -> Result<Value, ProofError> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| mismatch(format!("the entry body is not JSON: {e}")))?;
    let said = (
        doc.get("kind").and_then(Value::as_str),
        doc.get("apiVersion").and_then(Value::as_str),
    );
    if said != (Some(kind), Some(version)) {
        return Err(mismatch(format!(
            "the entry body is not the {kind} {version} its entry says"
        )));
    }
    Ok(doc)
}

/// The signatures a `spec` of this kind records, once the digest or
/// payload hash it records is the subject's; and the kind's name for
/// messages.
fn recorded_by_kind(
    kind: &str,
    version: &str,
    spec: &Value,
    subject: &Subject<'_>,
) -> Result<(Vec<Recorded>, &'static str), ProofError> {
    match (kind, version) {
        ("hashedrekord", "0.0.1") => Ok((v1_hashedrekord(spec, subject)?, "hashedrekord")),
        ("dsse", "0.0.1") => Ok((v1_dsse(spec, subject)?, "dsse")),
        ("intoto", "0.0.2") => Ok((intoto(spec, subject)?, "intoto")),
        ("hashedrekord", "0.0.2") => Ok((v2_hashedrekord(spec, subject)?, "hashedrekord")),
        ("dsse", "0.0.2") => Ok((v2_dsse(spec, subject)?, "dsse")),
        _ => Err(mismatch(format!(
            "a {kind} {version} entry cannot vouch for a signature"
        ))),
    }
}

fn v1_hashedrekord(spec: &Value, subject: &Subject<'_>) -> Result<Vec<Recorded>, ProofError> {
    let digest = text(spec, "/data/hash/value").and_then(from_hex);
    let algorithm = text(spec, "/data/hash/algorithm");
    check_digest(subject, algorithm.and_then(v1_hash), digest.as_deref())?;
    Ok(vec![v1_signature(
        spec,
        "/signature/content",
        "/signature/publicKey/content",
    )?])
}

fn v1_dsse(spec: &Value, subject: &Subject<'_>) -> Result<Vec<Recorded>, ProofError> {
    check_payload_hash(subject, text(spec, "/payloadHash/value").and_then(from_hex))?;
    let signatures = spec.get("signatures").and_then(Value::as_array);
    signatures
        .into_iter()
        .flatten()
        .map(|s| v1_signature(s, "/signature", "/verifier"))
        .collect()
}

fn intoto(spec: &Value, subject: &Subject<'_>) -> Result<Vec<Recorded>, ProofError> {
    check_payload_hash(
        subject,
        text(spec, "/content/payloadHash/value").and_then(from_hex),
    )?;
    let signatures = spec
        .pointer("/content/envelope/signatures")
        .and_then(Value::as_array);
    signatures
        .into_iter()
        .flatten()
        .map(intoto_signature)
        .collect()
}

fn v2_hashedrekord(spec: &Value, subject: &Subject<'_>) -> Result<Vec<Recorded>, ProofError> {
    let data = spec.pointer("/hashedRekordV002/data");
    let digest = data
        .and_then(|d| d.get("digest"))
        .and_then(Value::as_str)
        .and_then(decode_base64);
    let algorithm = data
        .and_then(|d| d.get("algorithm"))
        .and_then(Value::as_str);
    check_v2_digest(subject, algorithm.and_then(v2_hash), digest.as_deref())?;
    let signature = spec
        .pointer("/hashedRekordV002/signature")
        .ok_or_else(|| mismatch("no signature"))?;
    Ok(vec![v2_signature(signature)?])
}

fn v2_dsse(spec: &Value, subject: &Subject<'_>) -> Result<Vec<Recorded>, ProofError> {
    let hash = spec.pointer("/dsseV002/payloadHash");
    let digest = hash
        .and_then(|d| d.get("digest"))
        .and_then(Value::as_str)
        .and_then(decode_base64);
    check_payload_hash(subject, digest)?;
    let signatures = spec
        .pointer("/dsseV002/signatures")
        .and_then(Value::as_array);
    signatures.into_iter().flatten().map(v2_signature).collect()
}

/// One of the `recorded` signatures is the subject's, with its verifier.
fn records_subject(
    recorded: &[Recorded],
    what: &str,
    subject: &Subject<'_>,
) -> Result<(), ProofError> {
    let ours = match subject.signer {
        Signer::Certificate(der) | Signer::PublicKey(der) => der,
    };
    if recorded
        .iter()
        .any(|r| r.signature == subject.signature && r.verifier == ours)
    {
        Ok(())
    } else if recorded.iter().any(|r| r.signature == subject.signature) {
        Err(mismatch(format!(
            "the {what} entry records this signature with another certificate or key"
        )))
    } else {
        Err(mismatch(format!(
            "the {what} entry records another signature"
        )))
    }
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

fn v1_hash(name: &str) -> Option<Hash> {
    match name {
        "sha256" => Some(Hash::Sha256),
        "sha384" => Some(Hash::Sha384),
        "sha512" => Some(Hash::Sha512),
        _ => None,
    }
}

fn v2_hash(name: &str) -> Option<Hash> {
    match name {
        "SHA2_256" => Some(Hash::Sha256),
        "SHA2_384" => Some(Hash::Sha384),
        "SHA2_512" => Some(Hash::Sha512),
        _ => None,
    }
}

/// A message signature's artifact digest must be the one recorded.
fn check_digest(
    subject: &Subject<'_>,
    hash: Option<Hash>,
    digest: Option<&[u8]>,
) -> Result<(), ProofError> {
    let Signed::Message {
        algorithm,
        digest: ours,
    } = subject.signed
    else {
        return Err(mismatch("a hashedrekord entry for a DSSE envelope"));
    };
    if hash != Some(algorithm) || digest != Some(ours) {
        return Err(mismatch(format!(
            "the entry records the artifact digest {}, not {}",
            digest.map_or_else(|| "(none)".to_owned(), hex),
            hex(ours)
        )));
    }
    Ok(())
}

/// Rekor v2's `hashedrekord` records a message signature's digest, or
/// for DSSE the digest of the envelope's pre-authentication encoding.
fn check_v2_digest(
    subject: &Subject<'_>,
    hash: Option<Hash>,
    digest: Option<&[u8]>,
) -> Result<(), ProofError> {
    match subject.signed {
        Signed::Message { .. } => check_digest(subject, hash, digest),
        Signed::Dsse {
            payload_type,
            payload,
        } => {
            let hash = hash.ok_or_else(|| mismatch("the entry's digest algorithm is unknown"))?;
            let expected = hash.digest(&pae(payload_type, payload));
            if digest != Some(expected.as_slice()) {
                return Err(mismatch("the entry records another envelope"));
            }
            Ok(())
        }
    }
}

fn check_payload_hash(subject: &Subject<'_>, recorded: Option<Vec<u8>>) -> Result<(), ProofError> {
    let Signed::Dsse { payload, .. } = subject.signed else {
        return Err(mismatch("an envelope entry for a message signature"));
    };
    if recorded.as_deref() != Some(sha256(payload).as_slice()) {
        return Err(mismatch("the entry records another payload"));
    }
    Ok(())
}
