//! What a signature layer offers besides its signature: the signing
//! certificate of a keyless signature and the proofs of time it carries.
//! A Sigstore bundle's come from its own `verificationMaterial` and nothing
//! else (an annotation beside it cannot swap its certificate); cosign's
//! simple-signing and `.att` layers keep theirs in annotations.

use serde_json::Value;

use crate::audit::certs::Cert;
use crate::audit::time::TimeProofs;
use crate::document::statement::decode_base64;
use crate::oci::Descriptor;

/// Where cosign puts a keyless signature's certificate (PEM).
const ANNOTATION_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";
/// Where cosign puts a Rekor entry (its bundle with the SET).
const ANNOTATION_TLOG_BUNDLE: &str = "dev.sigstore.cosign/bundle";
/// Where cosign puts an RFC 3161 timestamp.
const ANNOTATION_TIMESTAMP: &str = "dev.sigstore.cosign/rfc3161timestamp";

/// The certificate and proofs of one signature.
#[derive(Debug, Default)]
pub(super) struct Material {
    /// `None` for a key-signed signature.
    pub certificate: Option<Result<Cert, String>>,
    pub proofs: TimeProofs,
}

/// The material of a cosign simple-signing or `.att` layer.
pub(super) fn from_annotations(layer: &Descriptor) -> Material {
    let text = |name: &str| layer.annotation(name).filter(|v| !v.trim().is_empty());
    let mut proofs = TimeProofs::default();
    // A proof that cannot be read is still a proof that is there: it is
    // kept (as its text) so checking it fails, never skipped.
    let value = |raw: &str| serde_json::from_str(raw).unwrap_or_else(|_| Value::from(raw));
    if let Some(raw) = text(ANNOTATION_TLOG_BUNDLE) {
        proofs.tlog_entries.push(value(raw));
    }
    if let Some(raw) = text(ANNOTATION_TIMESTAMP) {
        proofs.timestamps.push(value(raw));
    }
    Material {
        certificate: text(ANNOTATION_CERTIFICATE).map(Cert::from_pem),
        proofs,
    }
}

/// The material of a Sigstore bundle: `certificate` (v0.3) or the first of
/// `x509CertificateChain` (v0.1, v0.2, and what cosign v3 writes when given
/// `--certificate-chain`; the rest of that chain is never trusted), its
/// `tlogEntries` and its `rfc3161Timestamps`.
pub(super) fn from_bundle(doc: &Value) -> Material {
    let Some(material) = doc.get("verificationMaterial") else {
        return Material::default();
    };
    let list = |pointer: &str| -> Vec<Value> {
        material
            .pointer(pointer)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let proofs = TimeProofs {
        tlog_entries: list("/tlogEntries"),
        timestamps: list("/timestampVerificationData/rfc3161Timestamps"),
    };
    let raw = material
        .pointer("/certificate/rawBytes")
        .or_else(|| material.pointer("/x509CertificateChain/certificates/0/rawBytes"));
    let certificate = raw.map(|raw| {
        raw.as_str()
            .and_then(decode_base64)
            .ok_or_else(|| "the bundle's certificate is not base64".to_owned())
            .and_then(|der| Cert::from_der(&der))
    });
    Material {
        certificate,
        proofs,
    }
}
