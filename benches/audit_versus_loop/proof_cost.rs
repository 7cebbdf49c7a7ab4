//! What checking a keyless signature's proofs costs: a real public-good
//! bundle (sigstore.js's provenance from sigstore-go's test data: a Rekor
//! v1 entry with its signed entry timestamp, inclusion proof and
//! checkpoint, and a Fulcio certificate with an SCT) verified against the
//! shipped root, once per image of the audit, so the audit bench can show
//! it next to the audit's own time; and the whole keyless verdict the
//! audit reaches on it (`verify_document`), proofs included.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::{self, Evidence, Signed, Signer, Subject, shipped};
use regscope::audit::verify::{Trust, verify_document};
use regscope::audit::{Keyless, Matcher, TimePolicy};
use regscope::oci::Digest;

/// The time `signatures` proof checks take (log entry and SCTs).
pub fn proof_checks(signatures: usize) -> Duration {
    let path = super::support::tools_dir()
        .join("sigstore-testdata/sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json");
    let bundle: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run scripts/install-test-tools", path.display())),
    )
    .unwrap();
    let b64 = |pointer: &str| {
        STANDARD
            .decode(bundle.pointer(pointer).unwrap().as_str().unwrap())
            .unwrap()
    };
    let certificate = b64("/verificationMaterial/x509CertificateChain/certificates/0/rawBytes");
    let (payload, signature) = (
        b64("/dsseEnvelope/payload"),
        b64("/dsseEnvelope/signatures/0/sig"),
    );
    let payload_type = bundle["dsseEnvelope"]["payloadType"].as_str().unwrap();
    let root = shipped::embedded().unwrap();
    let started = Instant::now();
    for _ in 0..signatures {
        let subject = Subject {
            signed: Signed::Dsse {
                payload_type,
                payload: &payload,
            },
            signature: &signature,
            signer: Signer::Certificate(&certificate),
        };
        let evidence = Evidence::from_bundle(&bundle).unwrap();
        let proofs = transparency::verify(&evidence, &subject, &root).unwrap();
        assert_eq!(proofs.times.len(), 1);
        assert!(
            transparency::verify_scts(&certificate, &root)
                .unwrap()
                .is_some()
        );
    }
    started.elapsed()
}

/// The time `signatures` whole keyless verdicts take, as the audit reaches
/// them: the bundle read, its DSSE signature, the Rekor entry and SCT
/// against the public-good root, the certificate path at the logged time
/// and the identity.
pub fn keyless_verdicts(signatures: usize) -> Duration {
    let path = super::support::tools_dir()
        .join("sigstore-testdata/sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/install-test-tools", path.display()));
    let (root, _) = shipped::shared().unwrap();
    let keyless = Keyless::new(
        root,
        Matcher::Exact(
            "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"
                .to_owned(),
        ),
        Matcher::Exact("https://token.actions.githubusercontent.com".to_owned()),
    )
    .unwrap();
    // npm names the package by its SHA-512, which the statement's subject records.
    let subject: Digest = "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c".parse().unwrap();
    let trust = Trust {
        keys: &[],
        keyless: Some(&keyless),
        root: None,
        notation: None,
        policy: TimePolicy::default(),
        now: jiff::Timestamp::now(),
    };
    let started = Instant::now();
    for _ in 0..signatures {
        let verdict = verify_document(&subject, None, None, &bytes, trust).unwrap();
        assert!(
            verdict.time.contains("per Rekor entry 31821305"),
            "{verdict:?}"
        );
    }
    started.elapsed()
}
