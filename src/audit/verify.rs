//! Offline signature checks against the trust material the user gave:
//! public keys (`--key`) and, for keyless signatures, a trusted root with
//! the identity to expect (`--trusted-root`, `--certificate-identity`,
//! `--certificate-oidc-issuer`).
//!
//! - cosign's simple-signing layers (legacy `.sig` tags and OCI 1.1
//!   `…cosign.artifact.sig.v1+json` referrers): the layer blob is the
//!   payload, the base64 signature is the layer's
//!   `dev.cosignproject.cosign/signature` annotation, and the payload's
//!   `critical.image.docker-manifest-digest` must be the subject; a keyless
//!   one carries its certificate in `dev.sigstore.cosign/certificate`;
//! - DSSE envelopes (cosign's `.att` layers, and inside Sigstore bundles):
//!   the signature is over the DSSE pre-authentication encoding of the
//!   payload, and the in-toto statement's subject must name the subject;
//! - Sigstore bundles with a message signature: `messageDigest` must be the
//!   subject's digest, and the signature is over it. A bundle's
//!   `verificationMaterial` says whether a key or a certificate signed it.
//!
//! - Notation's JWS and COSE envelopes (`notation`), against a trust store.
//!
//! A signature that verifies but names another image is a failure.

mod envelope;

use std::time::SystemTime;

use serde_json::Value;

use self::envelope::{verify_envelope, verify_simple_signing};
use super::TrustKey;
use super::certs::Cert;
use super::keyless::Keyless;
use super::notation::{self, Envelope, NotationTrust};
use crate::document::statement::decode_base64;
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
/// Where cosign puts a keyless signature's certificate (PEM).
const ANNOTATION_COSIGN_CERTIFICATE: &str = "dev.sigstore.cosign/certificate";

/// The trust material of one audit.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    pub keys: &'a [TrustKey],
    pub keyless: Option<&'a Keyless>,
    pub notation: Option<&'a NotationTrust>,
}

impl Trust<'_> {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.keyless.is_none() && self.notation.is_none()
    }
}

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
    trust: Trust<'_>,
) -> NodeOutcome {
    let Some(manifest) = &node.manifest else {
        return Err(vec!["its manifest could not be read".to_owned()]);
    };
    let mut reasons = Vec::new();
    for layer in manifest.layers.iter().take(MAX_LAYERS) {
        let outcome =
            verify_layer(store, repository, &node.subject, subject_raw, layer, trust).await;
        match outcome {
            Some(Ok(key)) => return Ok(key),
            Some(Err(reason)) => reasons.push(reason),
            None => {}
        }
    }
    if reasons.is_empty() {
        reasons.push("it holds no signature regscope can check".to_owned());
    }
    Err(reasons)
}

/// Who made a Notation signature (`subject …; issuer …` of its signing
/// certificate), read from its first envelope; shown without trust
/// material too.
pub async fn notation_signer(
    store: &dyn Store,
    repository: &str,
    node: &GraphNode,
) -> Option<String> {
    let manifest = node.manifest.as_ref()?;
    let layer = manifest.layers.iter().take(MAX_LAYERS).find(|l| {
        l.media_type.eq_ignore_ascii_case(notation::JWS)
            || l.media_type.eq_ignore_ascii_case(notation::COSE)
    })?;
    let bytes = store
        .fetch_blob_bytes(repository, layer, MAX_LAYER)
        .await
        .ok()?;
    Envelope::parse(&layer.media_type, &bytes)
        .ok()
        .map(|e| e.signer())
}

fn verify_notation(
    subject: &Digest,
    media_type: &str,
    bytes: &[u8],
    trust: Trust<'_>,
) -> Result<String, String> {
    let envelope = Envelope::parse(media_type, bytes)?;
    let Some(store) = trust.notation else {
        return Err(format!(
            "a Notation signature ({}): verify it with --notation-trust-store DIR",
            envelope.signer()
        ));
    };
    envelope.verify(subject, store, SystemTime::now())
}

/// `None` when the layer holds no signature at all.
async fn verify_layer(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    layer: &Descriptor,
    trust: Trust<'_>,
) -> Option<Result<String, String>> {
    let media_type = layer.media_type.to_ascii_lowercase();
    if media_type == notation::JWS || media_type == notation::COSE {
        return Some(
            match store.fetch_blob_bytes(repository, layer, MAX_LAYER).await {
                Ok(bytes) => verify_notation(subject, &media_type, &bytes, trust),
                Err(error) => Err(format!("cannot fetch {}: {error}", layer.digest)),
            },
        );
    }
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
    // A keyless signature's certificate: a layer annotation (cosign's
    // simple signing and `.att`), or the bundle's verification material.
    let annotated = layer
        .annotation(ANNOTATION_COSIGN_CERTIFICATE)
        .filter(|pem| !pem.is_empty())
        .map(Cert::from_pem);
    Some(match simple_signing {
        Some(signature) => with_signer(annotated, trust, |keys| {
            verify_simple_signing(subject, &bytes, signature, keys)
        }),
        None => {
            let Ok(doc) = serde_json::from_slice::<Value>(&bytes) else {
                return Some(Err("the envelope is not JSON".to_owned()));
            };
            let certificate = annotated.or_else(|| bundle_certificate(&doc));
            with_signer(certificate, trust, |keys| {
                verify_envelope(subject, subject_raw, &doc, &bytes, keys)
            })
        }
    })
}

/// Runs `check` with the keys that apply: a certificate's key when the
/// signature carries a certificate the keyless trust accepts, else the
/// user's keys. Says what trust material is missing when none applies.
fn with_signer(
    certificate: Option<Result<Cert, String>>,
    trust: Trust<'_>,
    check: impl Fn(&[TrustKey]) -> Result<String, String>,
) -> Result<String, String> {
    match (certificate, trust.keyless) {
        (Some(certificate), Some(keyless)) => {
            let signer = keyless.check(&certificate?, SystemTime::now())?;
            check(std::slice::from_ref(&signer.key)).map(|_| signer.label())
        }
        (Some(_), None) if trust.keys.is_empty() => Err(
            "signed with a certificate (keyless): verify it with --trusted-root, --certificate-identity and --certificate-oidc-issuer"
                .to_owned(),
        ),
        (None, _) if trust.keys.is_empty() && trust.keyless.is_some() => {
            Err("signed with a key, not a certificate: verify it with --key".to_owned())
        }
        (None, _) if trust.keys.is_empty() => {
            Err("signed with a key: verify it with --key".to_owned())
        }
        _ => check(trust.keys),
    }
}

/// The signing certificate of a Sigstore bundle: `certificate` (v0.3) or
/// the first of `x509CertificateChain` (v0.1, v0.2, and what cosign v3
/// writes when given `--certificate-chain`). `None` for a key-signed one.
fn bundle_certificate(doc: &Value) -> Option<Result<Cert, String>> {
    let material = doc.get("verificationMaterial")?;
    let raw = material
        .pointer("/certificate/rawBytes")
        .or_else(|| material.pointer("/x509CertificateChain/certificates/0/rawBytes"))?;
    Some(
        raw.as_str()
            .and_then(decode_base64)
            .ok_or_else(|| "the bundle's certificate is not base64".to_owned())
            .and_then(|der| Cert::from_der(&der)),
    )
}
