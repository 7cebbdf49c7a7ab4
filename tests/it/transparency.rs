//! Real public-good Sigstore bundles verified offline by the transparency
//! library (`regscope::audit::transparency`): sigstore-go's and cosign's
//! test data (Rekor v1 `intoto`, `dsse` and `hashedrekord` entries with
//! signed entry timestamps, inclusion proofs and checkpoints; an RFC 3161
//! timestamp; Fulcio certificates with SCTs), put in the tools cache by
//! `scripts/install-test-tools`, against the trusted roots they were made
//! for and the root regscope ships. The mutations are in
//! `transparency_mutations.rs`.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::{
    self, Evidence, Hash, ProofError, Proofs, Signed, Signer, Subject, TimeSource, TrustedRoot,
    shipped,
};
use serde_json::Value;

use crate::support::tools_dir;

/// A file of the Sigstore test data; panics with the fixing command when
/// it is missing.
pub fn data_path(name: &str) -> PathBuf {
    let path = tools_dir().join("sigstore-testdata").join(name);
    assert!(
        path.is_file(),
        "Sigstore test data {} is missing.\nRun `scripts/install-test-tools` (or `scripts/test`) to fetch it.",
        path.display()
    );
    path
}

pub fn json(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(data_path(name)).unwrap()).unwrap()
}

pub fn root(name: &str) -> TrustedRoot {
    TrustedRoot::from_json(name, &std::fs::read(data_path(name)).unwrap()).unwrap()
}

fn b64(value: &Value, pointer: &str) -> Vec<u8> {
    let text = value.pointer(pointer).and_then(Value::as_str);
    STANDARD
        .decode(text.unwrap_or_else(|| panic!("{pointer} missing")))
        .unwrap()
}

/// The bytes of a PEM file's first block (any line length).
pub fn pem_der(pem: &str) -> Vec<u8> {
    let body = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    STANDARD.decode(body.trim()).unwrap()
}

/// What a bundle signed, as the keyless and key paths will hand it over.
pub struct Parts {
    pub signature: Vec<u8>,
    pub signer: Vec<u8>,
    pub certificate: bool,
    pub digest: Option<Vec<u8>>,
    pub payload_type: String,
    pub payload: Vec<u8>,
}

impl Parts {
    /// From `bundle`; a key-signed bundle's key comes from `key_file`.
    pub fn of(bundle: &Value, key_file: Option<&str>) -> Parts {
        let material = &bundle["verificationMaterial"];
        let (signer, certificate) = if let Some(file) = key_file {
            (
                pem_der(&std::fs::read_to_string(data_path(file)).unwrap()),
                false,
            )
        } else if material.get("certificate").is_some() {
            (b64(material, "/certificate/rawBytes"), true)
        } else {
            (
                b64(material, "/x509CertificateChain/certificates/0/rawBytes"),
                true,
            )
        };
        if bundle.get("messageSignature").is_some() {
            Parts {
                signature: b64(bundle, "/messageSignature/signature"),
                signer,
                certificate,
                digest: Some(b64(bundle, "/messageSignature/messageDigest/digest")),
                payload_type: String::new(),
                payload: Vec::new(),
            }
        } else {
            Parts {
                signature: b64(bundle, "/dsseEnvelope/signatures/0/sig"),
                signer,
                certificate,
                digest: None,
                payload_type: bundle["dsseEnvelope"]["payloadType"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                payload: b64(bundle, "/dsseEnvelope/payload"),
            }
        }
    }

    pub fn subject(&self) -> Subject<'_> {
        Subject {
            signed: match &self.digest {
                Some(digest) => Signed::Message {
                    algorithm: Hash::Sha256,
                    digest,
                },
                None => Signed::Dsse {
                    payload_type: &self.payload_type,
                    payload: &self.payload,
                },
            },
            signature: &self.signature,
            signer: if self.certificate {
                Signer::Certificate(&self.signer)
            } else {
                Signer::PublicKey(&self.signer)
            },
        }
    }
}

/// Reads the bundle's evidence and verifies it for `parts`.
pub fn check(bundle: &Value, parts: &Parts, root: &TrustedRoot) -> Result<Proofs, ProofError> {
    transparency::verify(&Evidence::from_bundle(bundle)?, &parts.subject(), root)
}

/// A bundle whose single Rekor entry verifies: its index and integrated
/// time are the verified time.
fn assert_logged_at(file: &str, key: Option<&str>, root: &TrustedRoot, index: u64, time: i64) {
    let bundle = json(file);
    let proofs = check(&bundle, &Parts::of(&bundle, key), root)
        .unwrap_or_else(|e| panic!("{file} against {}: {e}", root.source));
    assert_eq!(proofs.times.len(), 1, "{file}: {:?}", proofs.times);
    let verified = &proofs.times[0];
    assert_eq!(verified.at.as_second(), time, "{file}");
    assert!(
        matches!(&verified.source, TimeSource::RekorEntry { index: i, .. } if *i == index),
        "{file}: {:?}",
        verified.source
    );
    assert_eq!(
        verified.source.to_string(),
        format!("Rekor entry {index} (integrated time)")
    );
    assert_eq!(proofs.log_entries.len(), 1);
    assert_eq!(proofs.root, root.source);
}

#[test]
fn public_good_bundles_verify_against_their_roots_and_the_shipped_one() {
    let shipped = shipped::embedded().unwrap();
    for root in [
        root("sigstore-go/trusted-root-public-good.json"),
        root("cosign/trusted_root_pgi.json"),
        shipped,
    ] {
        // v0.1, intoto 0.0.2: signed entry timestamp, inclusion proof, checkpoint.
        let file = "sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json";
        assert_logged_at(file, None, &root, 31_821_305, 1_692_374_735);
        // v0.1, intoto 0.0.2, signed entry timestamp only.
        assert_logged_at(
            "sigstore-go/dsse.sigstore.json",
            None,
            &root,
            6_800_908,
            1_668_034_836,
        );
        assert_logged_at(
            "sigstore-go/bundle-provenance.json",
            None,
            &root,
            18_300_934,
            1_681_839_912,
        );
        // Signed with npm's key, not a certificate.
        let publish = "sigstore-go/bundle-publish.json";
        let key = Some("sigstore-go/publish_key.pub");
        assert_logged_at(publish, key, &root, 18_300_940, 1_681_839_916);
        // v0.3, dsse 0.0.1, written by cosign.
        let attestation = "cosign/oci-attestation.sigstore.json";
        assert_logged_at(attestation, None, &root, 175_508_996, 1_740_770_291);
    }
}

#[test]
fn a_hashedrekord_bundle_verifies_against_its_private_instance() {
    // v0.3, hashedrekord 0.0.1, a private (scaffolding) Rekor and Fulcio.
    let scaffolding = root("sigstore-go/scaffolding.json");
    assert_logged_at(
        "sigstore-go/othername.sigstore.json",
        None,
        &scaffolding,
        3,
        1_720_811_189,
    );
    // The same bundle against the public-good root: its log is unknown.
    let bundle = json("sigstore-go/othername.sigstore.json");
    let err = check(
        &bundle,
        &Parts::of(&bundle, None),
        &shipped::embedded().unwrap(),
    )
    .unwrap_err();
    assert_eq!(err.part, transparency::Part::LogEntry, "{err}");
    assert!(err.message.contains("does not list"), "{err}");
}

#[test]
fn an_rfc3161_timestamp_gives_the_time_of_a_key_signed_bundle() {
    let bundle = json("sigstore-go/public-key-validity.sigstore.json");
    let parts = Parts::of(&bundle, Some("sigstore-go/public-key-validity.pem"));
    let root = root("sigstore-go/public-key-validity.json");
    let proofs = check(&bundle, &parts, &root).unwrap();
    assert_eq!(proofs.times.len(), 1);
    assert!(proofs.log_entries.is_empty());
    let TimeSource::Timestamp { authority } = &proofs.times[0].source else {
        panic!("{:?}", proofs.times[0]);
    };
    assert!(
        proofs.times[0].to_string().contains(" per timestamp by "),
        "{}",
        proofs.times[0]
    );
    assert!(!authority.is_empty());
    // The public-good root's authority did not sign it.
    let err = check(&bundle, &parts, &shipped::embedded().unwrap()).unwrap_err();
    assert_eq!(err.part, transparency::Part::Timestamp, "{err}");
}

#[test]
fn the_scts_of_public_good_fulcio_certificates_verify() {
    let shipped = shipped::embedded().unwrap();
    for file in [
        "sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json",
        "cosign/oci-attestation.sigstore.json",
    ] {
        let parts = Parts::of(&json(file), None);
        let verified = transparency::verify_scts(&parts.signer, &shipped)
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .unwrap_or_else(|| panic!("{file}: no SCT"));
        assert_eq!(verified.logs, ["https://ctfe.sigstore.dev/2022"], "{file}");
    }
}

#[test]
fn cosigns_legacy_annotation_carries_the_same_proof() {
    // cosign's `.sig` layers carry a Rekor entry as the
    // `dev.sigstore.cosign/bundle` annotation: the same body and signed
    // entry timestamp, the log id in hex and no inclusion proof.
    let bundle = json("cosign/oci-attestation.sigstore.json");
    let parts = Parts::of(&bundle, None);
    let annotation = legacy_annotation(&bundle, 0);
    let evidence = Evidence::from_cosign_annotations(Some(&annotation), None).unwrap();
    let root = shipped::embedded().unwrap();
    let proofs = transparency::verify(&evidence, &parts.subject(), &root).unwrap();
    assert_eq!(proofs.times[0].at.as_second(), 1_740_770_291);
    let moved = legacy_annotation(&bundle, 1);
    let evidence = Evidence::from_cosign_annotations(Some(&moved), None).unwrap();
    let err = transparency::verify(&evidence, &parts.subject(), &root).unwrap_err();
    assert_eq!(err.part, transparency::Part::SignedEntryTimestamp, "{err}");
}

/// The bundle's first entry as cosign's annotation, its log index moved by
/// `shift`.
pub fn legacy_annotation(bundle: &Value, shift: u64) -> String {
    let entry = &bundle["verificationMaterial"]["tlogEntries"][0];
    let index: u64 = entry["logIndex"].as_str().unwrap().parse().unwrap();
    let time: i64 = entry["integratedTime"].as_str().unwrap().parse().unwrap();
    let log_id: String = b64(entry, "/logId/keyId")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    serde_json::json!({
        "SignedEntryTimestamp": entry["inclusionPromise"]["signedEntryTimestamp"],
        "Payload": {
            "body": entry["canonicalizedBody"],
            "integratedTime": time,
            "logIndex": index + shift,
            "logID": log_id,
        }
    })
    .to_string()
}
