//! Keys verify only with the algorithm their kind allows, weak RSA keys are
//! refused, and digests must have the key's hash length.

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use p256::pkcs8::EncodePublicKey as _;
use sha2::{Digest as _, Sha256, Sha384};

use super::*;

fn p256_pair() -> (p256::ecdsa::SigningKey, TrustKey) {
    let signing = p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("scalar");
    let pem = signing
        .verifying_key()
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .expect("pem");
    (
        signing,
        TrustKey::from_pem("k.pub", &pem).expect("p256 key"),
    )
}

#[test]
fn reads_a_p256_key_and_rejects_garbage() {
    let (signing, key) = p256_pair();
    let signature: p256::ecdsa::Signature = signing.sign(b"message");
    assert!(key.verify(b"message", signature.to_der().as_bytes()));
    assert!(!key.verify(b"massage", signature.to_der().as_bytes()));
    // sigstore signs DER: the fixed-size form of the same signature is not
    // what cosign writes, and does not verify as one.
    assert!(!key.verify(b"message", &signature.to_bytes()));
    assert_eq!(key.algorithm(), "ECDSA P-256");
    assert!(key.fingerprint.starts_with("sha256:"));
    assert!(key.label().starts_with("k.pub (sha256:"));
    assert!(!key.verify(b"message", b"not a signature"));
    assert!(matches!(
        TrustKey::from_pem("x", "hello"),
        Err(KeyError::NotPem { .. })
    ));
}

#[test]
fn a_digest_must_be_as_long_as_the_keys_hash() {
    let (signing, key) = p256_pair();
    let digest = Sha256::digest(b"artifact");
    let signature: p256::ecdsa::Signature = signing.sign_prehash(&digest).expect("sign");
    let der = signature.to_der();
    assert!(key.verify_digest(&digest, der.as_bytes()));
    // P-256 would read only the first 32 bytes of a longer digest.
    let mut longer = digest.to_vec();
    longer.extend_from_slice(&[0; 16]);
    assert!(!key.verify_digest(&longer, der.as_bytes()));
    let signature: p256::ecdsa::Signature = signing.sign_prehash(&digest[..20]).expect("sign");
    assert!(!key.verify_digest(&digest[..20], signature.to_der().as_bytes()));
}

#[test]
fn jose_algorithms_are_bound_to_the_key() {
    let (signing, key) = p256_pair();
    let signature: p256::ecdsa::Signature = signing.sign(b"protected.payload");
    let fixed = signature.to_bytes();
    assert_eq!(
        key.verify_jose("ES256", b"protected.payload", &fixed),
        Ok(true)
    );
    assert_eq!(key.verify_jose("ES256", b"other", &fixed), Ok(false));
    let err = key
        .verify_jose("ES384", b"protected.payload", &fixed)
        .expect_err("P-256 does not sign ES384");
    assert!(err.contains("do not match"), "{err}");
    assert!(key.verify_jose("PS256", b"x", &fixed).is_err());
    assert!(key.verify_jose("none", b"x", &fixed).is_err());
    let digest = Sha384::digest(b"x");
    assert!(!key.verify_digest(&digest, &fixed));
}

/// A 1024-bit RSA public key (made with `openssl genpkey`).
const RSA_1024: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCzkwDetB+X6jcYGGOHS46dz4n5
txL1Dk7VMU0ptJzT7xnJjgmfRVbe8jEw9XC3Qy/YMp7t5UfEq648P7BNAU57jfM+
GMhm68B9/e16ugaZnk9cp9JccPJRL3ARpQrA9GDMfYZZ5rnOzpRjipFEFjYbp6SJ
fCyF56200Bi3MC+qnwIDAQAB
-----END PUBLIC KEY-----";

#[test]
fn short_rsa_keys_are_refused() {
    match TrustKey::from_pem("weak.pub", RSA_1024) {
        Err(KeyError::Weak { bits, .. }) => assert_eq!(bits, 1024),
        other => panic!("{other:?}"),
    }
    let (_, document) = Document::from_pem(RSA_1024).expect("pem");
    assert!(matches!(
        TrustKey::from_spki_der("cert", document.as_bytes()),
        Err(KeyError::Weak { .. })
    ));
}
