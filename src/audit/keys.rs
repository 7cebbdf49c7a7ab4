//! Public keys given as trust material (`--key`) or found in certificates:
//! PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, what `cosign
//! generate-key-pair` writes) for ECDSA P-256 and P-384, Ed25519 and RSA,
//! or a PKCS#1 `RSA PUBLIC KEY`. RSA keys shorter than 2048 bits are
//! refused, as cosign and Notation refuse them. A key is named by its file
//! and the SHA-256 of its DER encoding, so a failure can say which key it
//! tried.
//!
//! Each key verifies with the algorithms its kind allows, never with what
//! a signature would like (`signing`): sigstore's keys as sigstore-go and
//! cosign use them, Notation's as its `alg` header must match the key.
//!
//! `decode_spki` is the one SubjectPublicKeyInfo decoder: the user's keys,
//! certificates' keys and the trusted root's log and authority keys
//! (`transparency::keys`) all go through it, weak RSA refused alike.

use sha2::{Digest as _, Sha256};
use spki::der::Document;

use ed25519_dalek::pkcs8::DecodePublicKey as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;
use rsa::traits::PublicKeyParts as _;

pub use super::signing::{JoseAlgorithm, SignatureForm};

/// The fewest bits an RSA key may have.
pub const MIN_RSA_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read {name}: {cause}")]
    Read { name: String, cause: std::io::Error },
    #[error("{name} is not a PEM public key: {reason}")]
    NotPem { name: String, reason: String },
    #[error("{name} is not an ECDSA P-256/P-384, Ed25519 or RSA public key")]
    Unsupported { name: String },
    #[error("{name} is a {bits}-bit RSA key: too weak (at least {min} bits)", min = MIN_RSA_BITS)]
    Weak { name: String, bits: usize },
}

#[derive(Debug, Clone)]
pub(super) enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// Why a SubjectPublicKeyInfo is not a key regscope verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SpkiProblem {
    Unsupported,
    /// An RSA key of this many bits, under `MIN_RSA_BITS`.
    Weak(usize),
}

impl std::fmt::Display for SpkiProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpkiProblem::Unsupported => {
                f.write_str("not an ECDSA P-256/P-384, Ed25519 or RSA public key")
            }
            SpkiProblem::Weak(bits) => write!(
                f,
                "an RSA key of {bits} bits (at least {MIN_RSA_BITS} needed)"
            ),
        }
    }
}

/// A public key the user trusts, or a certificate's.
#[derive(Debug, Clone)]
pub struct TrustKey {
    /// Where it came from (the file name as given).
    pub name: String,
    /// `sha256:<hex>` of the key's DER encoding.
    pub fingerprint: String,
    /// The key as a DER SubjectPublicKeyInfo (a PKCS#1 RSA file's key
    /// re-encoded): what a transparency log entry records for it.
    pub spki: Vec<u8>,
    pub(super) key: Key,
}

impl TrustKey {
    /// Reads a PEM public key file.
    pub fn from_file(path: &std::path::Path) -> Result<TrustKey, KeyError> {
        let name = path.display().to_string();
        let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            name: name.clone(),
            cause: source,
        })?;
        TrustKey::from_pem(&name, &pem)
    }

    /// The key of a certificate (its DER SubjectPublicKeyInfo), named
    /// `name`.
    pub fn from_spki_der(name: &str, der: &[u8]) -> Result<TrustKey, KeyError> {
        let key = decode_spki(der).map_err(|problem| key_error(name, problem))?;
        Ok(TrustKey::named(name, der, der.to_vec(), key))
    }

    pub fn from_pem(name: &str, pem: &str) -> Result<TrustKey, KeyError> {
        let (label, document) = Document::from_pem(pem.trim()).map_err(|e| KeyError::NotPem {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        let der = document.as_bytes();
        if label == "RSA PUBLIC KEY" {
            let key = rsa::RsaPublicKey::from_pkcs1_der(der)
                .map_err(|_| key_error(name, SpkiProblem::Unsupported))
                .and_then(|rsa| strong(Key::Rsa(rsa)).map_err(|p| key_error(name, p)))?;
            let spki = rsa_spki(der).ok_or_else(|| key_error(name, SpkiProblem::Unsupported))?;
            return Ok(TrustKey::named(name, der, spki, key));
        }
        let key = decode_spki(der).map_err(|problem| key_error(name, problem))?;
        Ok(TrustKey::named(name, der, der.to_vec(), key))
    }

    fn named(name: &str, der: &[u8], spki: Vec<u8>, key: Key) -> TrustKey {
        TrustKey {
            name: name.to_owned(),
            fingerprint: format!("sha256:{}", hex(&Sha256::digest(der))),
            spki,
            key,
        }
    }

    /// `cosign.pub (sha256:0123456789abcdef…)`: how messages name the key.
    pub fn label(&self) -> String {
        let short: String = self.fingerprint.chars().take(7 + 16).collect();
        format!("{} ({short}…)", self.name)
    }

    pub fn algorithm(&self) -> String {
        match &self.key {
            Key::P256(_) => "ECDSA P-256".to_owned(),
            Key::P384(_) => "ECDSA P-384".to_owned(),
            Key::Ed25519(_) => "Ed25519".to_owned(),
            Key::Rsa(key) => format!("RSA {}", key.n().bits()),
        }
    }

    /// Whether `signature` is this key's sigstore signature over `message`
    /// (cosign's simple signing, DSSE's PAE): ECDSA with the curve's hash
    /// (P-384 also with SHA-256, as cosign before v2.4 signed), DER
    /// encoded; RSA PKCS#1 v1.5 with SHA-256; Ed25519 or Ed25519ph.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        super::signing::verify_sigstore(&self.key, message, signature)
    }

    /// Whether `signature` is this key's signature over an artifact whose
    /// digest is `digest` (a Sigstore message signature): the digest must
    /// be as long as the hash the key signs with (32 bytes for P-256 and
    /// RSA, 48 for P-384). Ed25519 signs the message itself, never a digest.
    pub fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> bool {
        super::signing::verify_prehashed(&self.key, digest, signature, SignatureForm::Der)
    }

    /// Whether `signature` is this key's JOSE/COSE signature of `algorithm`
    /// over `message`; `Err` says why the algorithm does not fit the key
    /// (Notation binds RSA 2048/3072/4096 to PS256/384/512, P-256 to
    /// ES256, P-384 to ES384).
    pub fn verify_jose(
        &self,
        algorithm: &str,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, String> {
        super::signing::verify_jose(&self.key, algorithm, message, signature)
    }
}

fn key_error(name: &str, problem: SpkiProblem) -> KeyError {
    let name = name.to_owned();
    match problem {
        SpkiProblem::Unsupported => KeyError::Unsupported { name },
        SpkiProblem::Weak(bits) => KeyError::Weak { name, bits },
    }
}

/// Decodes a DER SubjectPublicKeyInfo: ECDSA P-256 or P-384, Ed25519, or
/// RSA of at least `MIN_RSA_BITS`.
pub(super) fn decode_spki(der: &[u8]) -> Result<Key, SpkiProblem> {
    let key = if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
        Key::P256(key)
    } else if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(der) {
        Key::P384(key)
    } else if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_der(der) {
        Key::Ed25519(key)
    } else if let Ok(key) = rsa::RsaPublicKey::from_public_key_der(der) {
        Key::Rsa(key)
    } else {
        return Err(SpkiProblem::Unsupported);
    };
    strong(key)
}

fn strong(key: Key) -> Result<Key, SpkiProblem> {
    match &key {
        Key::Rsa(rsa) if rsa.n().bits() < MIN_RSA_BITS => Err(SpkiProblem::Weak(rsa.n().bits())),
        _ => Ok(key),
    }
}

/// A PKCS#1 `RSAPublicKey` wrapped as the SubjectPublicKeyInfo cosign
/// uploads to a transparency log (rsaEncryption, NULL parameters).
fn rsa_spki(pkcs1: &[u8]) -> Option<Vec<u8>> {
    use spki::der::Encode as _;
    let info = spki::SubjectPublicKeyInfoOwned {
        algorithm: spki::AlgorithmIdentifierOwned {
            oid: spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"),
            parameters: Some(spki::der::asn1::Null.into()),
        },
        subject_public_key: spki::der::asn1::BitString::from_bytes(pkcs1).ok()?,
    };
    info.to_der().ok()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
