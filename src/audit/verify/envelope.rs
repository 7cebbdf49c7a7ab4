//! What a signature says and whether a key made it, for each format
//! regscope reads: cosign's simple-signing payloads, DSSE envelopes
//! (cosign's `.att` layers, Sigstore bundles) and Sigstore message
//! signatures. Each check names the key that verified it, or why none did,
//! and fails a valid signature whose payload names another image.

use serde_json::Value;

use crate::audit::TrustKey;
use crate::document::statement::decode_base64;
use crate::document::unwrap_statement;
use crate::oci::Digest;

fn no_key_verifies(keys: &[TrustKey]) -> String {
    let names: Vec<String> = keys.iter().map(TrustKey::label).collect();
    format!(
        "the signature does not verify with {} (signed by another key, or altered)",
        names.join(", ")
    )
}

fn first_key(keys: &[TrustKey], check: impl Fn(&TrustKey) -> bool) -> Result<String, String> {
    keys.iter()
        .find(|key| check(key))
        .map(TrustKey::label)
        .ok_or_else(|| no_key_verifies(keys))
}

pub(super) fn verify_simple_signing(
    subject: &Digest,
    payload: &[u8],
    signature: &str,
    keys: &[TrustKey],
) -> Result<String, String> {
    let signature =
        decode_base64(signature).ok_or("the signature annotation is not base64".to_owned())?;
    // The signature first: an altered payload must read as "does not verify".
    let key = first_key(keys, |key| key.verify(payload, &signature))?;
    let named = serde_json::from_slice::<Value>(payload)
        .ok()
        .and_then(|doc| {
            doc.pointer("/critical/image/docker-manifest-digest")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or("the signed payload names no image digest".to_owned())?;
    if named != subject.to_string() {
        return Err(format!(
            "the signed payload names {named}, not {subject} (a signature of another image)"
        ));
    }
    Ok(key)
}

/// A Sigstore bundle or a bare DSSE envelope, already parsed as `doc`.
pub(super) fn verify_envelope(
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    doc: &Value,
    bytes: &[u8],
    keys: &[TrustKey],
) -> Result<String, String> {
    let dsse = doc
        .get("dsseEnvelope")
        .or_else(|| doc.get("payload").is_some().then_some(doc));
    if let Some(dsse) = dsse {
        return verify_dsse(subject, dsse, bytes, keys);
    }
    let Some(message) = doc.get("messageSignature") else {
        return Err("a bundle with neither a DSSE envelope nor a message signature".to_owned());
    };
    let signature = message
        .get("signature")
        .and_then(Value::as_str)
        .and_then(decode_base64)
        .ok_or("the message signature is not base64".to_owned())?;
    let digest = message
        .pointer("/messageDigest/digest")
        .and_then(Value::as_str)
        .and_then(decode_base64)
        .ok_or("the message signature has no digest".to_owned())?;
    let key = first_key(keys, |key| {
        key.verify_digest(&digest, &signature)
            || subject_raw.is_some_and(|raw| key.verify(raw, &signature))
    })?;
    let named = crate::audit::keys::hex(&digest);
    if named != subject.hex() {
        return Err(format!(
            "the message signature is over {named}, not {subject} (a signature of another image)"
        ));
    }
    Ok(key)
}

fn verify_dsse(
    subject: &Digest,
    dsse: &Value,
    bytes: &[u8],
    keys: &[TrustKey],
) -> Result<String, String> {
    let payload_type = dsse
        .get("payloadType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let payload = dsse
        .get("payload")
        .and_then(Value::as_str)
        .and_then(decode_base64)
        .ok_or("the DSSE payload is not base64".to_owned())?;
    let pae = pae(payload_type, &payload);
    let signatures: Vec<Vec<u8>> = dsse
        .get("signatures")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("sig").and_then(Value::as_str).and_then(decode_base64))
        .collect();
    if signatures.is_empty() {
        return Err("the DSSE envelope has no signature".to_owned());
    }
    let key = first_key(keys, |key| {
        signatures.iter().any(|sig| key.verify(&pae, sig))
    })?;
    let statement =
        unwrap_statement(bytes).map_err(|e| format!("the signed payload is not in-toto: {e}"))?;
    if !statement.names_digest(subject) {
        let named: Vec<String> = statement
            .subjects
            .iter()
            .flat_map(|s| s.digest.iter().map(|(a, h)| format!("{a}:{h}")))
            .collect();
        return Err(format!(
            "the signed statement names {}, not {subject} (an attestation of another image)",
            if named.is_empty() {
                "no digest".to_owned()
            } else {
                named.join(", ")
            }
        ));
    }
    Ok(key)
}

/// DSSE's pre-authentication encoding:
/// `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }
}
