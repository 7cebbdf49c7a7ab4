//! What checking a keyless signature's proofs costs: a real public-good
//! bundle (sigstore.js's provenance from sigstore-go's test data: a Rekor
//! v1 entry with its signed entry timestamp, inclusion proof and
//! checkpoint, and a Fulcio certificate with an SCT) verified against the
//! shipped root, once per image of the audit, so the audit bench can show
//! it next to the audit's own time.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::{self, Evidence, Signed, Signer, Subject, shipped};

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
