//! Offline signature checks against the trust material the user gave:
//! public keys (`--key`) and, for keyless signatures, a trusted root with
//! the identity to expect (`--trusted-root`, `--certificate-identity`,
//! `--certificate-oidc-issuer`), at a trusted time (`time`).
//!
//! - cosign's simple-signing layers (legacy `.sig` tags and OCI 1.1
//!   `…cosign.artifact.sig.v1+json` referrers): the layer blob is the
//!   payload, the base64 signature is the layer's
//!   `dev.cosignproject.cosign/signature` annotation, and the payload's
//!   `critical.image.docker-manifest-digest` must be the subject;
//! - DSSE envelopes (cosign's `.att` layers, and inside Sigstore bundles):
//!   the signature is over the DSSE pre-authentication encoding of the
//!   payload, and the in-toto statement in that payload must name the
//!   subject;
//! - Sigstore bundles with a message signature: `messageDigest` must be the
//!   subject's SHA-256, and the signature is over it;
//! - Notation's JWS and COSE envelopes (`notation`), against a trust store.
//!
//! A signature that verifies but names another image is a failure. Every
//! verdict names the key or identity that verified it, what vouches for
//! the time, and the trusted root whose logs and authorities were used.
//! The keyless and key-signed decisions are in `decide`.

mod decide;
mod envelope;
mod material;

use sha2::{Digest as _, Sha256};

use self::decide::decide;
use self::envelope::{annotation_signature, signed_content, verify_carrier, verify_simple_signing};
use super::keyless::Keyless;
use super::keys::TrustKey;
use super::notation::{self, Envelope, NotationTrust};
use super::time::TimePolicy;
use super::transparency::{Hash, Signed, TrustedRoot};
use crate::document::Carrier;
use crate::graph::GraphNode;
use crate::oci::media_type as mt;
use crate::oci::{Descriptor, Digest};
use crate::store::Store;

pub use self::envelope::pae;

/// The most a signature layer may hold (bundles carry certificates, `.att`
/// layers whole SBOMs).
const MAX_LAYER: u64 = 64 * 1024 * 1024;
/// Layers looked at per signature manifest (cosign appends one per
/// signature; a hostile registry could list millions).
const MAX_LAYERS: usize = 32;

/// The trust material of one audit, and when it runs.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    pub keys: &'a [TrustKey],
    /// Keyless certificates: the identity to expect and the trusted root
    /// (its own `root`) whose CAs, logs and authorities decide.
    pub keyless: Option<&'a Keyless>,
    /// The trusted root whose logs and timestamp authorities check the
    /// proofs of key-signed signatures (`--trusted-root`, else the
    /// public-good root); `None` fails any such proof.
    pub root: Option<&'a TrustedRoot>,
    pub notation: Option<&'a NotationTrust>,
    pub policy: TimePolicy,
    /// The current time, for certificates nothing else vouches a time for.
    pub now: jiff::Timestamp,
}

impl Trust<'_> {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.keyless.is_none() && self.notation.is_none()
    }
}

/// A signature that verified: who made it, what vouches for its time, and
/// the trusted root that was used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The key (file and fingerprint) or identity that verified it.
    pub key: String,
    /// "signed … per Rekor entry N", "no transparency log entry (the key
    /// decided)", "no verified time: --insecure-ignore-tlog …".
    pub time: String,
    /// The trusted root whose CAs, logs or authorities were used (`None`
    /// when none was: a key and no proof, Notation).
    pub root: Option<String>,
}

/// What checking one attachment found: who verified it, or why nothing
/// did.
pub type NodeOutcome = Result<Verdict, Vec<String>>;

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
            Some(Ok(verdict)) => return Ok(verdict),
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
) -> Result<Verdict, String> {
    let envelope = Envelope::parse(media_type, bytes)?;
    let Some(store) = trust.notation else {
        return Err(format!(
            "a Notation signature ({}): verify it with --notation-trust-store DIR",
            envelope.signer()
        ));
    };
    let key = envelope.verify(subject, store, trust.now)?;
    Ok(Verdict {
        key,
        time: Envelope::time_note(trust.now),
        root: None,
    })
}

/// `None` when the layer holds no signature at all.
async fn verify_layer(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    layer: &Descriptor,
    trust: Trust<'_>,
) -> Option<Result<Verdict, String>> {
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
    Some(match simple_signing {
        Some(signature) => annotation_signature(signature).and_then(|signature| {
            // Rekor records a simple-signing payload by its SHA-256.
            let digest = Sha256::digest(&bytes);
            let signed = Signed::Message {
                algorithm: Hash::Sha256,
                digest: &digest,
            };
            decide(material::from_annotations(layer), trust, signed, |keys| {
                verify_simple_signing(subject, &bytes, &signature, keys)
            })
        }),
        None => verify_document(subject, subject_raw, Some(layer), &bytes, trust),
    })
}

/// A DSSE envelope or a Sigstore bundle over `subject` (an image, or a
/// file's SHA-256 with `subject_raw` its bytes); `layer` is the layer it
/// came in, whose annotations a bare DSSE envelope's certificate is in.
pub fn verify_document(
    subject: &Digest,
    subject_raw: Option<&[u8]>,
    layer: Option<&Descriptor>,
    bytes: &[u8],
    trust: Trust<'_>,
) -> Result<Verdict, String> {
    let carrier = Carrier::parse(bytes).map_err(|e| format!("the envelope cannot be read: {e}"))?;
    let material = match &carrier {
        Carrier::Bundle { document, .. } => material::from_bundle(document),
        _ => layer.map(material::from_annotations).unwrap_or_default(),
    };
    let signed = signed_content(&carrier)
        .ok_or_else(|| "an in-toto statement without a signature".to_owned())?;
    decide(material, trust, signed, |keys| {
        verify_carrier(subject, subject_raw, &carrier, keys)
    })
}
