//! What a signature layer offers besides its signature: the signing
//! certificate of a keyless signature and the proofs of time it carries
//! (`transparency::Evidence`). A Sigstore bundle's come from its own
//! `verificationMaterial` and nothing else (an annotation beside it cannot
//! swap its certificate); cosign's simple-signing and `.att` layers keep
//! theirs in annotations. A proof that is there but cannot be read is
//! kept as an error, so the signature fails rather than losing it.

use serde_json::Value;

use crate::audit::certs::Cert;
use crate::audit::transparency::{Evidence, ProofError};
use crate::document::statement::decode_base64;
use crate::oci::Descriptor;

/// Where cosign puts a keyless signature's certificate (PEM).
const ANNOTATION_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";
/// Where cosign puts a Rekor entry (its bundle with the SET).
const ANNOTATION_TLOG_BUNDLE: &str = "dev.sigstore.cosign/bundle";
/// Where cosign puts an RFC 3161 timestamp.
const ANNOTATION_TIMESTAMP: &str = "dev.sigstore.cosign/rfc3161timestamp";

/// The certificate and proofs of one signature.
#[derive(Debug)]
pub(super) struct Material {
    /// `None` for a key-signed signature.
    pub certificate: Option<Result<Cert, String>>,
    pub evidence: Result<Evidence, ProofError>,
}

impl Default for Material {
    fn default() -> Self {
        Material {
            certificate: None,
            evidence: Ok(Evidence::default()),
        }
    }
}

/// The material of a cosign simple-signing or `.att` layer.
pub(super) fn from_annotations(layer: &Descriptor) -> Material {
    let text = |name: &str| layer.annotation(name).filter(|v| !v.trim().is_empty());
    Material {
        certificate: text(ANNOTATION_CERTIFICATE).map(Cert::from_pem),
        evidence: Evidence::from_cosign_annotations(
            text(ANNOTATION_TLOG_BUNDLE),
            text(ANNOTATION_TIMESTAMP),
        ),
    }
}

/// The material of a Sigstore bundle: `certificate` (v0.3) or the first of
/// `x509CertificateChain` (v0.1, v0.2, and what cosign v3 writes when given
/// `--certificate-chain`; the rest of that chain is never trusted), its
/// `tlogEntries` and its `rfc3161Timestamps`, read by the rules of the
/// bundle's version.
pub(super) fn from_bundle(doc: &Value) -> Material {
    let Some(material) = doc.get("verificationMaterial") else {
        return Material::default();
    };
    let listed = |pointer: &str| {
        material
            .pointer(pointer)
            .is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
    };
    let evidence =
        if listed("/tlogEntries") || listed("/timestampVerificationData/rfc3161Timestamps") {
            Evidence::from_bundle(doc)
        } else {
            Ok(Evidence::default())
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
        evidence,
    }
}
