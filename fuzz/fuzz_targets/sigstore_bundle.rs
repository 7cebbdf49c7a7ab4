//! The Sigstore bundle and cosign annotation readers (transparency log
//! entries, inclusion proofs, RFC 3161 tokens): any bytes give evidence or
//! an error, never a panic; what they read is checked against the shipped
//! root, which must refuse anything made up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::audit::transparency::fuzzing::{Evidence, parse_sct_list};
use regscope::audit::transparency::{self, Hash, Signed, Signer, Subject, shipped};

fuzz_target!(|data: &[u8]| {
    let _ = parse_sct_list(data);
    let text = String::from_utf8_lossy(data);
    let _ = Evidence::from_cosign_annotations(Some(&text), Some(&text));
    let Ok(bundle) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(evidence) = Evidence::from_bundle(&bundle) else {
        return;
    };
    let Ok(root) = shipped::embedded() else {
        return;
    };
    let subject = Subject {
        signed: Signed::Message { algorithm: Hash::Sha256, digest: &[0; 32] },
        signature: b"not a signature",
        signer: Signer::PublicKey(b"not a key"),
    };
    // Nothing made up verifies; a bundle with no evidence proves no time.
    if let Ok(proofs) = transparency::verify(&evidence, &subject, &root) {
        assert!(proofs.times.is_empty() && proofs.log_entries.is_empty());
    }
});
