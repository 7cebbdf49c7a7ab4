//! Offline signature checks against the keys the user gave:
//!
//! - cosign's simple-signing layers (legacy `.sig` tags and OCI 1.1
//!   `…cosign.artifact.sig.v1+json` referrers): the layer blob is the
//!   payload, the base64 signature is the layer's
//!   `dev.cosignproject.cosign/signature` annotation, and the payload's
//!   `critical.image.docker-manifest-digest` must be the subject;
//! - DSSE envelopes (cosign's `.att` layers, and inside Sigstore bundles):
//!   the signature is over the DSSE pre-authentication encoding of the
//!   payload, and the in-toto statement's subject must name the subject;
//! - Sigstore bundles with a message signature: `messageDigest` must be the
//!   subject's digest, and the signature is over it.
//!
//! A signature that verifies but names another image is a failure.

use serde_json::Value;

use super::TrustKey;
use crate::document::statement::decode_base64;
use crate::document::unwrap_statement;
use crate::graph::GraphNode;
use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Digest};
use crate::store::Store;

/// The most a signature layer may hold (bundles carry certificates, `.att`
/// layers whole SBOMs).
const MAX_LAYER: u64 = 64 * 1024 * 1024;
/// Layers looked at per signature manifest (cosign appends one per
/// signature; a hostile registry could list millions).
const MAX_LAYERS: usize = 32;

/// What checking one attachment found: the key that verified it, or why
/// nothing did.
pub type NodeOutcome = Result<String, Vec<String>>;

/// Checks the signatures `node` carries over its subject `node.subject`.
/// `subject_raw` is the subject manifest's bytes (Ed25519 message
/// signatures sign those, not their digest).
pub async fn verify_node(
    store: &dyn Store,
    repository: &str,
    node: &GraphNode,
    subject_raw: Option<&[u8]>,
    keys: &[TrustKey],
) -> NodeOutcome {
    let Some(manifest) = &node.manifest else {
        return Err(vec!["its manifest could not be read".to_owned()]);
    };
    let mut reasons = Vec::new();
    for layer in manifest.layers.iter().take(MAX_LAYERS) {
        let outcome =
            verify_layer(store, repository, &node.subject, subject_raw, layer, keys).await;
        match outcome {
            Some(Ok(key)) => return Ok(key),
            Some(Err(reason)) => reasons.push(reason),
            None => {}
        }
    }
    if reasons.is_empty() {
        if node.artifact_type.as_deref() == Some(mt::NOTARY_SIGNATURE) {
            reasons.push("Notation signatures are not verified yet".to_owned());
        } else {
            reasons.push("it holds no signature regscope can check".to_owned());
        }
    }
    Err(reasons)
}

/// `None` when the layer holds no signature at all.
async fn verify_layer(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    layer: &Descriptor,
    keys: &[TrustKey],
) -> Option<Result<String, String>> {
    let media_type = layer.media_type.to_ascii_lowercase();
    let envelope = media_type.contains("sigstore.bundle") || media_type.contains("dsse.envelope");
    // cosign's `.att` layers carry the annotation too, empty: their
    // signature is inside the DSSE envelope.
    let simple_signing = layer
        .annotation(mt::ANNOTATION_COSIGN_SIGNATURE)
        .filter(|s| !s.is_empty() && !envelope);
    if simple_signing.is_none() && !envelope {
        return None;
    }
    let bytes = match store.fetch_blob_bytes(repository, layer, MAX_LAYER).await {
        Ok(bytes) => bytes,
        Err(error) => return Some(Err(format!("cannot fetch {}: {error}", layer.digest))),
    };
    Some(match simple_signing {
        Some(signature) => verify_simple_signing(subject, &bytes, signature, keys),
        None => verify_envelope(subject, subject_raw, &bytes, keys),
    })
}

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

fn verify_simple_signing(
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

fn verify_envelope(
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    bytes: &[u8],
    keys: &[TrustKey],
) -> Result<String, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|_| "not JSON".to_owned())?;
    let dsse = doc
        .get("dsseEnvelope")
        .or_else(|| doc.get("payload").is_some().then_some(&doc));
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
    let named = super::keys::hex(&digest);
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
