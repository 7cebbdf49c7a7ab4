//! Which signature algorithm goes with which key, and the checks
//! themselves. The key decides, never the signature: a P-256 key verifies
//! ECDSA with SHA-256 and nothing else, so no signature can pick a weaker
//! or truncated hash, and an RSA key verifies the one padding its scheme
//! names.
//!
//! - sigstore (cosign's simple signing and DSSE, Sigstore bundles), as
//!   sigstore-go loads a key: ECDSA P-256 + SHA-256, P-384 + SHA-384 (and
//!   SHA-256, which cosign used for every key before v2.4), ASN.1 DER
//!   signatures; RSA PKCS#1 v1.5 + SHA-256; Ed25519 (or Ed25519ph, which
//!   sigstore-go uses for DSSE).
//! - Notation (JWS and COSE `alg`): PS256/PS384/PS512 for RSA 2048/3072/4096
//!   with PSS, ES256 for P-256 and ES384 for P-384 with fixed-size `r||s`,
//!   as notation-core-go binds them.

use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use rsa::traits::PublicKeyParts as _;
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use super::keys::Key;

/// How an ECDSA signature is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureForm {
    /// ASN.1 DER (Go's `ecdsa.SignASN1`: sigstore).
    Der,
    /// `r || s`, each the curve's size (JOSE, COSE).
    Fixed,
}

/// The JOSE algorithms Notation signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoseAlgorithm {
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
}

impl JoseAlgorithm {
    pub fn parse(name: &str) -> Option<JoseAlgorithm> {
        Some(match name {
            "PS256" => JoseAlgorithm::Ps256,
            "PS384" => JoseAlgorithm::Ps384,
            "PS512" => JoseAlgorithm::Ps512,
            "ES256" => JoseAlgorithm::Es256,
            "ES384" => JoseAlgorithm::Es384,
            _ => return None,
        })
    }

    /// The algorithm a key must sign with.
    fn for_key(key: &Key) -> Option<JoseAlgorithm> {
        match key {
            Key::P256(_) => Some(JoseAlgorithm::Es256),
            Key::P384(_) => Some(JoseAlgorithm::Es384),
            Key::Rsa(rsa) => match rsa.n().bits() {
                2048 => Some(JoseAlgorithm::Ps256),
                3072 => Some(JoseAlgorithm::Ps384),
                4096 => Some(JoseAlgorithm::Ps512),
                _ => None,
            },
            Key::Ed25519(_) => None,
        }
    }
}

pub(super) fn verify_sigstore(key: &Key, message: &[u8], signature: &[u8]) -> bool {
    match key {
        Key::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| {
            key.verify_strict(message, &sig).is_ok()
                || key
                    .verify_prehashed_strict(Sha512::new().chain_update(message), None, &sig)
                    .is_ok()
        }),
        Key::P256(key) => p256::ecdsa::Signature::from_der(signature)
            .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
        Key::P384(key) => p384::ecdsa::Signature::from_der(signature).is_ok_and(|sig| {
            key.verify(message, &sig).is_ok()
                || key.verify_prehash(&Sha256::digest(message), &sig).is_ok()
        }),
        Key::Rsa(key) => key
            .verify(
                rsa::Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(message),
                signature,
            )
            .is_ok(),
    }
}

/// A signature over a digest given as such: its length must be the key's
/// hash size, or a P-256 check would silently truncate a longer one.
pub(super) fn verify_prehashed(
    key: &Key,
    digest: &[u8],
    signature: &[u8],
    form: SignatureForm,
) -> bool {
    match key {
        Key::P256(key) if digest.len() == 32 => {
            parse_p256(signature, form).is_some_and(|sig| key.verify_prehash(digest, &sig).is_ok())
        }
        Key::P384(key) if digest.len() == 48 => {
            parse_p384(signature, form).is_some_and(|sig| key.verify_prehash(digest, &sig).is_ok())
        }
        Key::Rsa(key) if digest.len() == 32 => key
            .verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, signature)
            .is_ok(),
        _ => false,
    }
}

pub(super) fn verify_jose(
    key: &Key,
    algorithm: &str,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let declared = JoseAlgorithm::parse(algorithm)
        .ok_or_else(|| format!("unsupported signature algorithm {algorithm:?}"))?;
    let bound = JoseAlgorithm::for_key(key).ok_or_else(|| {
        "the signing key is not RSA 2048/3072/4096, ECDSA P-256 or P-384".to_owned()
    })?;
    if declared != bound {
        return Err(format!(
            "the signature declares {algorithm}, but its key signs with {bound:?} (algorithm and key do not match)"
        ));
    }
    let fixed = SignatureForm::Fixed;
    Ok(match (declared, key) {
        (JoseAlgorithm::Es256, Key::P256(_)) => {
            verify_prehashed(key, &Sha256::digest(message), signature, fixed)
        }
        (JoseAlgorithm::Es384, Key::P384(_)) => {
            verify_prehashed(key, &Sha384::digest(message), signature, fixed)
        }
        (JoseAlgorithm::Ps256, Key::Rsa(rsa)) => rsa
            .verify(
                rsa::Pss::new::<Sha256>(),
                &Sha256::digest(message),
                signature,
            )
            .is_ok(),
        (JoseAlgorithm::Ps384, Key::Rsa(rsa)) => rsa
            .verify(
                rsa::Pss::new::<Sha384>(),
                &Sha384::digest(message),
                signature,
            )
            .is_ok(),
        (JoseAlgorithm::Ps512, Key::Rsa(rsa)) => rsa
            .verify(
                rsa::Pss::new::<Sha512>(),
                &Sha512::digest(message),
                signature,
            )
            .is_ok(),
        _ => false,
    })
}

fn parse_p256(signature: &[u8], form: SignatureForm) -> Option<p256::ecdsa::Signature> {
    match form {
        SignatureForm::Der => p256::ecdsa::Signature::from_der(signature).ok(),
        SignatureForm::Fixed => p256::ecdsa::Signature::from_slice(signature).ok(),
    }
}

fn parse_p384(signature: &[u8], form: SignatureForm) -> Option<p384::ecdsa::Signature> {
    match form {
        SignatureForm::Der => p384::ecdsa::Signature::from_der(signature).ok(),
        SignatureForm::Fixed => p384::ecdsa::Signature::from_slice(signature).ok(),
    }
}
