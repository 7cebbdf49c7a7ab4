//! Public keys given as trust material (`--key`): PEM SubjectPublicKeyInfo
//! (`-----BEGIN PUBLIC KEY-----`, what `cosign generate-key-pair` writes)
//! for ECDSA P-256 and P-384, Ed25519 and RSA, or a PKCS#1 `RSA PUBLIC
//! KEY`. A key is named by its file and the SHA-256 of its DER encoding, so
//! a failure can say which key it tried.
//!
//! Which hash goes with which key follows sigstore-go's defaults (what
//! cosign v2.4+ and v3 use): ECDSA P-256 with SHA-256, P-384 with SHA-384
//! (SHA-256 accepted too, as older cosign signed with it), RSA PKCS#1 v1.5
//! or PSS with SHA-256, Ed25519 over the message itself or Ed25519ph
//! (what cosign's bundles use for DSSE).

use sha2::{Digest as _, Sha256, Sha384, Sha512};
use spki::der::Document;

use ed25519_dalek::pkcs8::DecodePublicKey as _;
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read {name}: {cause}")]
    Read { name: String, cause: std::io::Error },
    #[error("{name} is not a PEM public key: {reason}")]
    NotPem { name: String, reason: String },
    #[error("{name} is not an ECDSA P-256/P-384, Ed25519 or RSA public key")]
    Unsupported { name: String },
}

#[derive(Debug, Clone)]
enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// A public key the user trusts.
#[derive(Debug, Clone)]
pub struct TrustKey {
    /// Where it came from (the file name as given).
    pub name: String,
    /// `sha256:<hex>` of the key's DER encoding.
    pub fingerprint: String,
    key: Key,
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
    /// `name`; `None` when it is not a key type regscope verifies with.
    pub fn from_spki_der(name: &str, der: &[u8]) -> Option<TrustKey> {
        Some(TrustKey {
            name: name.to_owned(),
            fingerprint: format!("sha256:{}", hex(&Sha256::digest(der))),
            key: decode_spki(der)?,
        })
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

    pub fn algorithm(&self) -> &'static str {
        match self.key {
            Key::P256(_) => "ECDSA P-256",
            Key::P384(_) => "ECDSA P-384",
            Key::Ed25519(_) => "Ed25519",
            Key::Rsa(_) => "RSA",
        }
    }

    /// Whether `signature` (DER or fixed-size for ECDSA) is this key's
    /// signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.key {
            // Ed25519, or Ed25519ph (SHA-512 prehash, no context), which
            // sigstore-go uses for DSSE in bundles.
            Key::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| {
                key.verify_strict(message, &sig).is_ok()
                    || key
                        .verify_prehashed_strict(Sha512::new().chain_update(message), None, &sig)
                        .is_ok()
            }),
            _ => {
                self.verify_digest(&Sha256::digest(message), signature)
                    || (matches!(self.key, Key::P384(_))
                        && self.verify_digest(&Sha384::digest(message), signature))
            }
        }
    }

    /// Whether `signature` is this key's signature over a message whose
    /// SHA-256 (or SHA-384) is `digest` (a Sigstore message signature).
    /// Ed25519 signs the message itself, so it never verifies a digest.
    pub fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> bool {
        match &self.key {
            Key::P256(key) => p256::ecdsa::Signature::from_der(signature)
                .or_else(|_| p256::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Key::P384(key) => p384::ecdsa::Signature::from_der(signature)
                .or_else(|_| p384::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Key::Rsa(key) => rsa_verify_digest(key, digest, signature),
            Key::Ed25519(_) => false,
        }
    }

    /// Whether `signature` is this key's X.509 signature over `tbs` with the
    /// algorithm `algorithm` names (ECDSA or RSA PKCS#1 v1.5 with SHA-2, or
    /// Ed25519): how a certificate's issuer signed it.
    pub fn verify_x509(&self, algorithm: &str, tbs: &[u8], signature: &[u8]) -> bool {
        let digest: Vec<u8> = match (algorithm, &self.key) {
            ("1.3.101.112", Key::Ed25519(key)) => {
                return ed25519_dalek::Signature::from_slice(signature)
                    .is_ok_and(|sig| key.verify_strict(tbs, &sig).is_ok());
            }
            ("1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11", _) => Sha256::digest(tbs).to_vec(),
            ("1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12", _) => Sha384::digest(tbs).to_vec(),
            ("1.2.840.10045.4.3.4" | "1.2.840.113549.1.1.13", _) => Sha512::digest(tbs).to_vec(),
            _ => return false,
        };
        let rsa_algorithm = algorithm.starts_with("1.2.840.113549.");
        match &self.key {
            Key::Rsa(key) if rsa_algorithm => rsa_verify_digest(key, &digest, signature),
            Key::P256(_) | Key::P384(_) if !rsa_algorithm => self.verify_digest(&digest, signature),
            _ => false,
        }
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

fn rsa_verify_digest(key: &rsa::RsaPublicKey, digest: &[u8], signature: &[u8]) -> bool {
    let (pkcs1, pss) = match digest.len() {
        32 => (
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            rsa::Pss::new::<Sha256>(),
        ),
        48 => (
            rsa::Pkcs1v15Sign::new::<Sha384>(),
            rsa::Pss::new::<Sha384>(),
        ),
        64 => (
            rsa::Pkcs1v15Sign::new::<Sha512>(),
            rsa::Pss::new::<Sha512>(),
        ),
        _ => return false,
    };
    key.verify(pkcs1, digest, signature).is_ok() || key.verify(pss, digest, signature).is_ok()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_p256_key_and_rejects_garbage() {
        use p256::ecdsa::signature::Signer as _;
        use p256::pkcs8::EncodePublicKey as _;
        let signing = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("scalar");
        let pem = signing
            .verifying_key()
            .to_public_key_pem(p256::pkcs8::LineEnding::LF)
            .expect("pem");
        let key = TrustKey::from_pem("k.pub", &pem).expect("p256 key");
        let signature: p256::ecdsa::Signature = signing.sign(b"message");
        assert!(key.verify(b"message", signature.to_der().as_bytes()));
        assert!(!key.verify(b"massage", signature.to_der().as_bytes()));
        assert_eq!(key.algorithm(), "ECDSA P-256");
        assert!(key.fingerprint.starts_with("sha256:"));
        assert!(key.label().starts_with("k.pub (sha256:"));
        assert!(!key.verify(b"message", b"not a signature"));
        assert!(matches!(
            TrustKey::from_pem("x", "hello"),
            Err(KeyError::NotPem { .. })
        ));
    }
}
