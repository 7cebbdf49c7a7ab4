//! Notation (Notary Project) signatures: a JWS envelope
//! (`application/jose+json`, the JSON serialization) or a COSE_Sign1
//! (`application/cose`, see `cose`) whose unprotected header carries the
//! signing certificate chain (`x5c` / `x5chain`, signing certificate
//! first) and whose payload names the target artifact.
//!
//! Without trust material the audit shows who signed (the signing
//! certificate's subject and issuer). With `--notation-trust-store DIR`
//! (CA certificates, PEM) a signature verifies, as `notation verify` does,
//! when its chain ends in a self-signed root, holds as a path (`chain`,
//! rustls-webpki: each issuer a CA allowed to sign certificates, pathLen,
//! code signing, critical extensions, every certificate valid now) and
//! contains a certificate of the trust store; the signature's `alg` is the
//! one its key signs with; the signature over `protected.payload` (JWS) or
//! the `Sig_structure` (COSE) verifies; it has not expired; and the payload
//! names the image.
//!
//! Not done: timestamp countersignatures and revocation (OCSP, CRL) are not
//! checked, so certificates must be valid now; trust policies (registry
//! scopes, trusted identities) are not read: every certificate of the
//! trust store is trusted for every image audited.

use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use super::certs::{Cert, utc};
use super::chain;
use crate::oci::Digest;

mod cose;

/// The layer media type of a JWS Notation signature.
pub const JWS: &str = "application/jose+json";
/// The layer media type of a COSE Notation signature.
pub const COSE: &str = "application/cose";

/// Protected headers regscope understands when a signature marks them
/// critical.
const UNDERSTOOD: [&str; 3] = [
    "io.cncf.notary.signingScheme",
    "io.cncf.notary.expiry",
    "io.cncf.notary.authenticSigningTime",
];

/// The CA certificates of a Notation trust store directory.
#[derive(Debug, Clone)]
pub struct NotationTrust {
    pub source: String,
    certs: Vec<Cert>,
}

impl NotationTrust {
    /// Reads every `*.pem`, `*.crt` and `*.cer` file in `dir` and in its
    /// subdirectories (so notation's `truststore/x509/ca` works as well as
    /// one store under it).
    pub fn from_dir(dir: &Path) -> Result<NotationTrust, String> {
        let mut certs = Vec::new();
        read_dir(dir, 0, &mut certs)?;
        if certs.is_empty() {
            return Err(format!(
                "{} holds no certificates (*.pem, *.crt, *.cer)",
                dir.display()
            ));
        }
        Ok(NotationTrust {
            source: dir.display().to_string(),
            certs,
        })
    }
}

fn read_dir(dir: &Path, depth: usize, certs: &mut Vec<Cert>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth < 4 {
            read_dir(&path, depth + 1, certs)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "pem" | "crt" | "cer"))
        {
            let pem = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let found = Cert::all_from_pem(&pem).map_err(|e| format!("{}: {e}", path.display()))?;
            certs.extend(found);
        }
    }
    Ok(())
}

/// A parsed envelope, JWS or COSE, its protected headers in one shape.
pub struct Envelope {
    /// The certificate chain, signing certificate first.
    pub chain: Vec<Cert>,
    /// `PS256`, `ES384`, … (COSE's numbers mapped to JOSE's names).
    alg: String,
    content_type: Option<String>,
    /// Names of the headers marked critical.
    critical: Vec<String>,
    /// `io.cncf.notary.expiry`, when the signature has one.
    expiry: Option<jiff::Timestamp>,
    /// What was signed: `BASE64URL(protected) "." BASE64URL(payload)`
    /// (JWS) or the `Sig_structure` (COSE).
    signing_input: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

fn base64url(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
}

impl Envelope {
    /// Parses a layer of `media_type` (`JWS` or `COSE`).
    pub fn parse(media_type: &str, bytes: &[u8]) -> Result<Envelope, String> {
        if media_type.eq_ignore_ascii_case(COSE) {
            cose::parse(bytes)
        } else {
            Envelope::from_jws(bytes)
        }
    }

    pub fn from_jws(bytes: &[u8]) -> Result<Envelope, String> {
        let doc: Value =
            serde_json::from_slice(bytes).map_err(|_| "the JWS is not JSON".to_owned())?;
        let field = |name: &str| doc.get(name).and_then(Value::as_str).unwrap_or_default();
        let protected_b64 = field("protected");
        let payload_b64 = field("payload");
        let protected = base64url(protected_b64)
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .ok_or("the JWS protected header is not base64url JSON".to_owned())?;
        let payload =
            base64url(payload_b64).ok_or("the JWS payload is not base64url".to_owned())?;
        let signature =
            base64url(field("signature")).ok_or("the JWS signature is not base64url".to_owned())?;
        let chain = doc
            .pointer("/header/x5c")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| {
                let der = c
                    .as_str()
                    .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                    .ok_or("an x5c entry is not base64".to_owned())?;
                Cert::from_der(&der)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if chain.is_empty() {
            return Err("the JWS carries no certificate chain (x5c)".to_owned());
        }
        let text = |name: &str| {
            protected
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        // An expiry that is not an RFC 3339 string cannot be read as "none".
        let expiry = match protected.get("io.cncf.notary.expiry") {
            None => None,
            Some(Value::String(at)) => {
                Some(super::time::rfc3339(at).ok_or(format!("unreadable expiry {at:?}"))?)
            }
            Some(other) => return Err(format!("unreadable expiry {other} (not a string)")),
        };
        Ok(Envelope {
            chain,
            alg: text("alg").unwrap_or_default(),
            content_type: text("cty"),
            critical: protected
                .get("crit")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.as_str().unwrap_or("(not a name)").to_owned())
                .collect(),
            expiry,
            signing_input: format!("{protected_b64}.{payload_b64}").into_bytes(),
            payload,
            signature,
        })
    }

    /// `subject CN=…, issuer CN=…` of the signing certificate.
    pub fn signer(&self) -> String {
        let leaf = &self.chain[0];
        format!("subject {}; issuer {}", leaf.subject(), leaf.issuer())
    }

    /// Checks the envelope over `subject` against `trust`, at `now`; the
    /// signer's label when it verifies.
    pub fn verify(
        &self,
        subject: &Digest,
        trust: &NotationTrust,
        now: jiff::Timestamp,
    ) -> Result<String, String> {
        let leaf = &self.chain[0];
        self.check_headers(now)?;
        // notation wants the whole chain, ending in a self-signed root.
        let (root, rest) = self.chain.split_last().unwrap_or((leaf, &[]));
        let intermediates = rest.get(1..).unwrap_or_default();
        if root.subject() != root.issuer() {
            return Err(format!(
                "the certificate chain ends in {}, not a self-signed root",
                root.subject()
            ));
        }
        chain::validate(leaf, intermediates, std::slice::from_ref(root), now)
            .map_err(|e| format!("the signing certificate ({}): {e}", leaf.subject()))?;
        let anchored = self
            .chain
            .iter()
            .any(|cert| trust.certs.iter().any(|ca| ca.der() == cert.der()));
        if !anchored {
            return Err(format!(
                "the signing certificate ({}, issued by {}) does not chain to a certificate of {}",
                leaf.subject(),
                leaf.issuer(),
                trust.source
            ));
        }
        let key = leaf
            .key(&leaf.subject())
            .map_err(|e| format!("the signing certificate's key: {e}"))?;
        if !key.verify_jose(&self.alg, &self.signing_input, &self.signature)? {
            return Err(format!(
                "the signature does not verify with the key of {} (altered, or signed by another key)",
                leaf.subject()
            ));
        }
        let named = serde_json::from_slice::<Value>(&self.payload)
            .ok()
            .and_then(|p| {
                p.pointer("/targetArtifact/digest")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .ok_or("the signed payload names no target artifact".to_owned())?;
        if named != subject.to_string() {
            return Err(format!(
                "the signed payload names {named}, not {subject} (a signature of another image)"
            ));
        }
        Ok(format!(
            "{} (Notation, issued by {}, trust store {})",
            leaf.subject(),
            leaf.issuer(),
            trust.source
        ))
    }

    /// What the verdict says about time: nothing vouches for it.
    pub fn time_note(now: jiff::Timestamp) -> String {
        format!(
            "no timestamp checked: certificates valid now ({})",
            utc(now)
        )
    }

    fn check_headers(&self, now: jiff::Timestamp) -> Result<(), String> {
        let cty = self.content_type.as_deref();
        if cty != Some("application/vnd.cncf.notary.payload.v1+json") {
            return Err(format!(
                "the payload is not a Notary payload (content type {cty:?})"
            ));
        }
        if let Some(name) = self
            .critical
            .iter()
            .find(|c| !UNDERSTOOD.contains(&c.as_str()))
        {
            return Err(format!(
                "the signature needs {name:?}, which regscope does not support"
            ));
        }
        if self.expiry.is_some_and(|expiry| now > expiry) {
            return Err("the signature has expired (io.cncf.notary.expiry)".to_owned());
        }
        Ok(())
    }
}
