//! The signatures an entry body records, decoded from each Rekor kind's
//! encoding into signature bytes and a DER certificate or key.

use serde_json::Value;

use super::{mismatch, text};
use crate::audit::transparency::ProofError;
use crate::document::statement::decode_base64;

/// One signature as an entry records it: its bytes and the verifier (a
/// certificate or key, DER).
pub(super) struct Recorded {
    pub(super) signature: Vec<u8>,
    pub(super) verifier: Vec<u8>,
}

/// A v1 signature: base64 bytes and a base64 PEM certificate or key.
pub(super) fn v1_signature(
    value: &Value,
    signature: &str,
    verifier: &str,
) -> Result<Recorded, ProofError> {
    let signature = text(value, signature)
        .and_then(decode_base64)
        .ok_or_else(|| mismatch("a recorded signature that is not base64"))?;
    let pem = text(value, verifier)
        .and_then(decode_base64)
        .ok_or_else(|| mismatch("a recorded verifier that is not base64"))?;
    Ok(Recorded {
        signature,
        verifier: pem_to_der(&pem)?,
    })
}

/// intoto 0.0.2 encodes the signature twice in base64, its verifier once.
pub(super) fn intoto_signature(value: &Value) -> Result<Recorded, ProofError> {
    let signature = text(value, "/sig")
        .and_then(decode_base64)
        .and_then(|once| String::from_utf8(once).ok())
        .and_then(|s| decode_base64(&s))
        .ok_or_else(|| mismatch("a recorded signature that is not base64"))?;
    let pem = text(value, "/publicKey")
        .and_then(decode_base64)
        .ok_or_else(|| mismatch("a recorded verifier that is not base64"))?;
    Ok(Recorded {
        signature,
        verifier: pem_to_der(&pem)?,
    })
}

/// A v2 signature: `content` and a verifier holding `publicKey.rawBytes`
/// or `x509Certificate.rawBytes`.
pub(super) fn v2_signature(value: &Value) -> Result<Recorded, ProofError> {
    let signature = text(value, "/content")
        .and_then(decode_base64)
        .ok_or_else(|| mismatch("a recorded signature that is not base64"))?;
    let verifier = text(value, "/verifier/x509Certificate/rawBytes")
        .or_else(|| text(value, "/verifier/publicKey/rawBytes"))
        .and_then(decode_base64)
        .ok_or_else(|| mismatch("a recorded verifier without base64 rawBytes"))?;
    Ok(Recorded {
        signature,
        verifier,
    })
}

/// The first PEM block's bytes, read as Go's `pem.Decode` reads what
/// Rekor stored (any line length).
fn pem_to_der(pem: &[u8]) -> Result<Vec<u8>, ProofError> {
    let text =
        std::str::from_utf8(pem).map_err(|_| mismatch("a recorded verifier that is not PEM"))?;
    let body = text
        .split_once("-----BEGIN ")
        .and_then(|(_, rest)| rest.split_once("-----"))
        .and_then(|(_, rest)| rest.split_once("-----END "))
        .map(|(body, _)| body.split_whitespace().collect::<String>())
        .ok_or_else(|| mismatch("a recorded verifier that is not PEM"))?;
    decode_base64(&body).ok_or_else(|| mismatch("a recorded verifier whose PEM is not base64"))
}
