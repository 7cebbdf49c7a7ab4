//! The public keys of a trusted root's logs and authorities (DER
//! SubjectPublicKeyInfo, decoded by `audit::keys`' one decoder: ECDSA
//! P-256/P-384, Ed25519, RSA of 2048 bits or more) and the one signature
//! check each proof needs. The verification differs from the user's
//! `--key` files: here the algorithm is fixed by what signs, never
//! guessed from what verifies.

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use sha2::{Digest as _, Sha256, Sha384, Sha512};

pub use crate::audit::keys::hex;
use crate::audit::keys::{Key, decode_spki};

/// The hash a signature was made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(message).to_vec(),
            Hash::Sha384 => Sha384::digest(message).to_vec(),
            Hash::Sha512 => Sha512::digest(message).to_vec(),
        }
    }

    /// The hash an X.509 / CMS algorithm identifier names (digest or
    /// signature algorithm OIDs).
    pub fn from_oid(oid: &str) -> Option<Hash> {
        match oid {
            "2.16.840.1.101.3.4.2.1" | "1.2.840.10045.4.3.2" | "1.2.840.113549.1.1.11" => {
                Some(Hash::Sha256)
            }
            "2.16.840.1.101.3.4.2.2" | "1.2.840.10045.4.3.3" | "1.2.840.113549.1.1.12" => {
                Some(Hash::Sha384)
            }
            "2.16.840.1.101.3.4.2.3" | "1.2.840.10045.4.3.4" | "1.2.840.113549.1.1.13" => {
                Some(Hash::Sha512)
            }
            _ => None,
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

/// A log's or an authority's public key, with its DER encoding (log ids and
/// checkpoint key hints are hashes of it).
#[derive(Debug, Clone)]
pub struct PublicKey {
    key: Key,
    der: Vec<u8>,
}

impl PublicKey {
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, String> {
        let key = decode_spki(der).map_err(|problem| problem.to_string())?;
        Ok(PublicKey {
            key,
            der: der.to_vec(),
        })
    }

    /// The SubjectPublicKeyInfo as DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The raw 32 bytes of an Ed25519 key (what signed notes hash).
    pub fn ed25519_bytes(&self) -> Option<[u8; 32]> {
        match &self.key {
            Key::Ed25519(key) => Some(key.to_bytes()),
            _ => None,
        }
    }

    pub fn is_rsa(&self) -> bool {
        matches!(self.key, Key::Rsa(_))
    }

    /// Whether `signature` is this key's over `message`, hashed with the
    /// hash that goes with the key (P-256: SHA-256, P-384: SHA-384, RSA:
    /// PKCS#1 v1.5 with SHA-256; Ed25519 signs the message itself). This
    /// is how Rekor signs entry timestamps and checkpoints.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.key {
            Key::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify_strict(message, &sig).is_ok()),
            Key::P256(_) | Key::Rsa(_) => {
                self.verify_digest(Hash::Sha256, &Hash::Sha256.digest(message), signature)
            }
            Key::P384(_) => {
                self.verify_digest(Hash::Sha384, &Hash::Sha384.digest(message), signature)
            }
        }
    }

    /// Whether `signature` (ECDSA in DER, RSA PKCS#1 v1.5) is this key's
    /// over a message whose `hash` is `digest`. Ed25519 never verifies a
    /// digest.
    pub fn verify_digest(&self, hash: Hash, digest: &[u8], signature: &[u8]) -> bool {
        if digest.len() != hash.output_len() {
            return false;
        }
        match &self.key {
            Key::P256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Key::P384(key) => p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify_prehash(digest, &sig).is_ok()),
            Key::Rsa(key) => {
                let scheme = match hash {
                    Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                    Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
                };
                key.verify(scheme, digest, signature).is_ok()
            }
            Key::Ed25519(_) => false,
        }
    }
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lowercase or uppercase hex, decoded; `None` for anything else.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer as _;
    use p256::pkcs8::EncodePublicKey as _;

    #[test]
    fn a_p256_key_verifies_its_own_signature_only() {
        let signing = p256::ecdsa::SigningKey::from_slice(&[9; 32]).expect("scalar");
        let der = signing
            .verifying_key()
            .to_public_key_der()
            .expect("der")
            .into_vec();
        let key = PublicKey::from_spki_der(&der).expect("key");
        let signature: p256::ecdsa::Signature = signing.sign(b"checkpoint");
        let sig = signature.to_der();
        assert!(key.verify(b"checkpoint", sig.as_bytes()));
        assert!(!key.verify(b"checkpoinT", sig.as_bytes()));
        assert!(!key.verify_digest(Hash::Sha384, &[0; 48], sig.as_bytes()));
        assert!(PublicKey::from_spki_der(b"garbage").is_err());
        assert_eq!(hex(&[0, 255]), "00ff");
        assert_eq!(from_hex("00fF"), Some(vec![0, 255]));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
