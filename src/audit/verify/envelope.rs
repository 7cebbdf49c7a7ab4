//! What a signature says and whether a key made it, for each format
//! regscope reads: cosign's simple-signing payloads, DSSE envelopes
//! (cosign's `.att` layers, Sigstore bundles) and Sigstore message
//! signatures. Each check says which key verified which signature bytes
//! (`Checked`), or why none did, and fails a valid signature whose payload
//! names another image.
//!
//! A statement's subject is read only through `VerifiedDsse::statement`:
//! from the payload bytes the signature was checked over, never from
//! anything else in the same document.

use serde_json::Value;

use crate::audit::keys::TrustKey;
use crate::audit::transparency::{Hash, Signed};
use crate::document::statement::{IN_TOTO_PAYLOAD_TYPE, decode_base64};
use crate::document::{
    BundleContent, Carrier, DsseEnvelope, Envelope, MessageSignature, Statement,
};
use crate::oci::Digest;

fn no_key_verifies(keys: &[TrustKey]) -> String {
    let names: Vec<String> = keys.iter().map(TrustKey::label).collect();
    format!(
        "the signature does not verify with {} (signed by another key, or altered)",
        names.join(", ")
    )
}

/// A signature that verified: the index of the key in the keys given, and
/// the signature's bytes (what a transparency log entry records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Checked {
    pub key: usize,
    pub signature: Vec<u8>,
}

fn first_key(keys: &[TrustKey], check: impl Fn(&TrustKey) -> bool) -> Result<usize, String> {
    keys.iter()
        .position(check)
        .ok_or_else(|| no_key_verifies(keys))
}

pub(super) fn verify_simple_signing(
    subject: &Digest,
    payload: &[u8],
    signature: &[u8],
    keys: &[TrustKey],
) -> Result<Checked, String> {
    // The signature first: an altered payload must read as "does not verify".
    let key = first_key(keys, |key| key.verify(payload, signature))?;
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
    Ok(Checked {
        key,
        signature: signature.to_vec(),
    })
}

/// A DSSE envelope whose signature verified: the only way to its statement.
pub(super) struct VerifiedDsse<'a> {
    envelope: &'a DsseEnvelope,
    kind: Envelope,
    pub checked: Checked,
}

impl VerifiedDsse<'_> {
    /// The statement of exactly the verified payload.
    pub fn statement(&self) -> Result<Statement, String> {
        Statement::from_payload(self.envelope, self.kind)
            .map_err(|e| format!("the signed payload is not an in-toto statement: {e}"))
    }
}

/// A Sigstore bundle or a bare DSSE envelope.
pub(super) fn verify_carrier(
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    carrier: &Carrier,
    keys: &[TrustKey],
) -> Result<Checked, String> {
    let (dsse, kind) = match carrier {
        Carrier::Dsse(dsse) => (dsse, Envelope::Dsse),
        Carrier::Bundle {
            content: BundleContent::Dsse(dsse),
            ..
        } => (dsse, Envelope::SigstoreBundle),
        Carrier::Bundle {
            content: BundleContent::MessageSignature(message),
            ..
        } => return verify_message(subject, subject_raw, message, keys),
        Carrier::Bare => return Err("an in-toto statement without a signature".to_owned()),
    };
    let verified = verify_dsse(dsse, kind, keys)?;
    let statement = verified.statement()?;
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
    Ok(verified.checked)
}

fn verify_dsse<'a>(
    dsse: &'a DsseEnvelope,
    kind: Envelope,
    keys: &[TrustKey],
) -> Result<VerifiedDsse<'a>, String> {
    if dsse.signatures.is_empty() {
        return Err("the DSSE envelope has no signature".to_owned());
    }
    if dsse.payload_type != IN_TOTO_PAYLOAD_TYPE {
        return Err(format!(
            "the DSSE payload type is {:?}, not {IN_TOTO_PAYLOAD_TYPE}",
            dsse.payload_type
        ));
    }
    let pae = pae(&dsse.payload_type, &dsse.payload);
    let checked = keys
        .iter()
        .enumerate()
        .find_map(|(key, trusted)| {
            let signature = dsse
                .signatures
                .iter()
                .find(|sig| trusted.verify(&pae, sig))?;
            Some(Checked {
                key,
                signature: signature.clone(),
            })
        })
        .ok_or_else(|| no_key_verifies(keys))?;
    Ok(VerifiedDsse {
        envelope: dsse,
        kind,
        checked,
    })
}

/// A message signature over the image: `messageDigest` must be SHA-256 (an
/// image digest is one), 32 bytes, the image's digest, and signed by the
/// key; Ed25519 keys sign the manifest's bytes themselves.
fn verify_message(
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    message: &MessageSignature,
    keys: &[TrustKey],
) -> Result<Checked, String> {
    if message.algorithm != "SHA2_256" || message.digest.len() != 32 {
        return Err(format!(
            "the message digest is {} of {} bytes, not SHA2_256 of 32 bytes",
            message.algorithm,
            message.digest.len()
        ));
    }
    let key = first_key(keys, |key| {
        key.verify_digest(&message.digest, &message.signature)
            || subject_raw.is_some_and(|raw| {
                key.algorithm() == "Ed25519" && key.verify(raw, &message.signature)
            })
    })?;
    let named = crate::audit::keys::hex(&message.digest);
    if named != subject.hex() {
        return Err(format!(
            "the message signature is over {named}, not {subject} (a signature of another image)"
        ));
    }
    Ok(Checked {
        key,
        signature: message.signature.clone(),
    })
}

/// What a carrier's signature is over, as a transparency log entry
/// records it: a message signature's digest (checked to be SHA-256 by
/// `verify_message` before any proof is), or a DSSE payload.
pub(super) fn signed_content(carrier: &Carrier) -> Option<Signed<'_>> {
    match carrier {
        Carrier::Dsse(dsse)
        | Carrier::Bundle {
            content: BundleContent::Dsse(dsse),
            ..
        } => Some(Signed::Dsse {
            payload_type: &dsse.payload_type,
            payload: &dsse.payload,
        }),
        Carrier::Bundle {
            content: BundleContent::MessageSignature(message),
            ..
        } => Some(Signed::Message {
            algorithm: Hash::Sha256,
            digest: &message.digest,
        }),
        Carrier::Bare => None,
    }
}

/// A base64 signature annotation, decoded.
pub(super) fn annotation_signature(text: &str) -> Result<Vec<u8>, String> {
    decode_base64(text).ok_or("the signature annotation is not base64".to_owned())
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
