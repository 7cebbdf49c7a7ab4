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

/// A public key the user trusts, or a certificate's.
#[derive(Debug, Clone)]
pub struct TrustKey {
    /// Where it came from (the file name as given).
    pub name: String,
    /// `sha256:<hex>` of the key's DER encoding.
    pub fingerprint: String,
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
        let key = decode_spki(der).ok_or_else(|| KeyError::Unsupported {
            name: name.to_owned(),
        })?;
        TrustKey::checked(name, der, key)
    }

    pub fn from_pem(name: &str, pem: &str) -> Result<TrustKey, KeyError> {
        let (label, document) = Document::from_pem(pem.trim()).map_err(|e| KeyError::NotPem {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        let der = document.as_bytes();
        let key = if label == "RSA PUBLIC KEY" {
            rsa::RsaPublicKey::from_pkcs1_der(der).ok().map(Key::Rsa)
        } else {
            decode_spki(der)
        }
        .ok_or_else(|| KeyError::Unsupported {
            name: name.to_owned(),
        })?;
        TrustKey::checked(name, der, key)
    }

    fn checked(name: &str, der: &[u8], key: Key) -> Result<TrustKey, KeyError> {
        if let Key::Rsa(rsa) = &key {
            let bits = rsa.n().bits();
            if bits < MIN_RSA_BITS {
                return Err(KeyError::Weak {
                    name: name.to_owned(),
                    bits,
                });
            }
        }
        Ok(TrustKey {
            name: name.to_owned(),
            fingerprint: format!("sha256:{}", hex(&Sha256::digest(der))),
            key,
        })
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

fn decode_spki(der: &[u8]) -> Option<Key> {
    if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_der(der) {
        return Some(Key::P256(key));
    }
    if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_der(der) {
        return Some(Key::P384(key));
    }
    if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_der(der) {
        return Some(Key::Ed25519(key));
    }
    rsa::RsaPublicKey::from_public_key_der(der)
        .ok()
        .map(Key::Rsa)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
