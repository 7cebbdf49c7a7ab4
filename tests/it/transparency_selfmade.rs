//! Proofs no public log will ever issue, made here with our own log keys
//! over real certificates: a Rekor v1 entry logged when the certificate
//! was not valid (only a bent log signs that, so the check must not rely
//! on the log), and Rekor v2 entries (a `hashedrekord` 0.0.2 body, an
//! RFC 6962 tree, a checkpoint as an Ed25519 or ECDSA signed note, a
//! witness's cosignature), each with its failing variants.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer as _;
use p256::pkcs8::EncodePublicKey as _;
use regscope::audit::transparency::merkle::leaf_hash;
use regscope::audit::transparency::rekor::signed_entry_timestamp_payload;
use regscope::audit::transparency::{
    self, Checkpoint, Evidence, InclusionProof, Part, TlogEntry, TrustedRoot,
};
use sha2::{Digest as _, Sha256};

use crate::transparency::{Parts, json};

fn log_root(base_url: &str, spki: &[u8], key_details: &str, log_id: &[u8]) -> TrustedRoot {
    let doc = serde_json::json!({
        "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "tlogs": [{
            "baseUrl": base_url, "hashAlgorithm": "SHA2_256",
            "publicKey": {"rawBytes": STANDARD.encode(spki), "keyDetails": key_details,
                          "validFor": {"start": "2000-01-01T00:00:00Z"}},
            "logId": {"keyId": STANDARD.encode(log_id)}
        }]
    });
    TrustedRoot::from_json("our test log", doc.to_string().as_bytes()).unwrap()
}

/// A hashedrekord 0.0.1 entry for a real Fulcio certificate, integrated at
/// `time` and signed by our own P-256 log.
fn v1_entry_at(time: i64) -> (Parts, TrustedRoot, Evidence) {
    let bundle = json("cosign/oci-attestation.sigstore.json");
    let mut parts = Parts::of(&bundle, None);
    parts.digest = Some(Sha256::digest(b"an artifact").to_vec());
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        STANDARD.encode(&parts.signer)
    );
    let body = serde_json::json!({
        "apiVersion": "0.0.1", "kind": "hashedrekord",
        "spec": {
            "data": {"hash": {"algorithm": "sha256", "value": hex(parts.digest.as_ref().unwrap())}},
            "signature": {"content": STANDARD.encode(&parts.signature),
                          "publicKey": {"content": STANDARD.encode(pem)}}
        }
    });
    let log = p256::ecdsa::SigningKey::from_slice(&[3; 32]).unwrap();
    let spki = log.verifying_key().to_public_key_der().unwrap().into_vec();
    let log_id = Sha256::digest(&spki).to_vec();
    let mut entry = TlogEntry {
        log_index: 7,
        log_id: log_id.clone(),
        kind: "hashedrekord".into(),
        version: "0.0.1".into(),
        integrated_time: time,
        body: body.to_string().into_bytes(),
        signed_entry_timestamp: None,
        inclusion_proof: None,
    };
    let set: p256::ecdsa::Signature = log.sign(signed_entry_timestamp_payload(&entry).as_bytes());
    entry.signed_entry_timestamp = Some(set.to_der().as_bytes().to_vec());
    let root = log_root(
        "https://rekor.test",
        &spki,
        "PKIX_ECDSA_P256_SHA_256",
        &log_id,
    );
    let evidence = Evidence {
        entries: vec![entry],
        timestamps: Vec::new(),
    };
    (parts, root, evidence)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_certificate_must_be_valid_at_the_logged_time() {
    // A Fulcio certificate: valid for ten minutes around its logging.
    let (parts, root, evidence) = v1_entry_at(1_740_770_291);
    let proofs = transparency::verify(&evidence, &parts.subject(), &root).unwrap();
    assert_eq!(proofs.times[0].at.as_second(), 1_740_770_291);
    for outside in [1_740_770_291 - 3600, 1_740_770_291 + 3600] {
        let (parts, root, evidence) = v1_entry_at(outside);
        let err = transparency::verify(&evidence, &parts.subject(), &root).unwrap_err();
        assert_eq!(err.part, Part::Certificate, "{err}");
        assert!(err.message.contains("was not valid at"), "{err}");
    }
}

/// Rekor v2: an Ed25519 log named `log.test` with a two-leaf tree whose
/// second leaf is our entry, and a witness that cosigned the checkpoint.
struct V2 {
    parts: Parts,
    root: TrustedRoot,
    entry: TlogEntry,
    checkpoint_text: String,
    log: ed25519_dalek::SigningKey,
    witness: ed25519_dalek::SigningKey,
}

fn note_hash(name: &str, alg: u8, key: &[u8]) -> [u8; 4] {
    let mut material = format!("{name}\n").into_bytes();
    material.push(alg);
    material.extend_from_slice(key);
    Sha256::digest(&material)[..4].try_into().unwrap()
}

impl V2 {
    fn new() -> V2 {
        let publish = json("sigstore-go/bundle-publish.json");
        let mut parts = Parts::of(&publish, Some("sigstore-go/publish_key.pub"));
        parts.digest = Some(Sha256::digest(b"a v2 artifact").to_vec());
        parts.payload.clear();
        let body = serde_json::json!({
            "apiVersion": "0.0.2", "kind": "hashedrekord",
            "spec": {"hashedRekordV002": {
                "data": {"algorithm": "SHA2_256", "digest": STANDARD.encode(parts.digest.as_ref().unwrap())},
                "signature": {"content": STANDARD.encode(&parts.signature),
                              "verifier": {"publicKey": {"rawBytes": STANDARD.encode(&parts.signer)},
                                           "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}
            }}
        });
        let log = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        let raw = log.verifying_key().to_bytes();
        let spki = log.verifying_key().to_public_key_der().unwrap().into_vec();
        let mut id = b"log.test\n".to_vec();
        id.push(1);
        id.extend_from_slice(&raw);
        let log_id = Sha256::digest(&id).to_vec();
        let root = log_root("https://log.test", &spki, "PKIX_ED25519", &log_id);
        let body = body.to_string().into_bytes();
        let sibling = leaf_hash(b"someone else's entry");
        let mut node = vec![1u8];
        node.extend_from_slice(&sibling);
        node.extend_from_slice(&leaf_hash(&body));
        let root_hash = Sha256::digest(&node);
        let checkpoint_text = format!("log.test\n2\n{}\n", STANDARD.encode(root_hash));
        let entry = TlogEntry {
            log_index: 1,
            log_id,
            kind: "hashedrekord".into(),
            version: "0.0.2".into(),
            integrated_time: 0,
            body,
            signed_entry_timestamp: None,
            inclusion_proof: Some(InclusionProof {
                log_index: 1,
                root_hash: root_hash.to_vec(),
                tree_size: 2,
                hashes: vec![sibling.to_vec()],
                checkpoint: None,
            }),
        };
        let witness = ed25519_dalek::SigningKey::from_bytes(&[6; 32]);
        V2 {
            parts,
            root,
            entry,
            checkpoint_text,
            log,
            witness,
        }
    }

    /// The checkpoint signed by the log (over `text`) and cosigned.
    fn signed(&self, text: &str) -> String {
        let mut log_sig = note_hash("log.test", 1, &self.log.verifying_key().to_bytes()).to_vec();
        log_sig.extend_from_slice(&self.log.sign(text.as_bytes()).to_bytes());
        let time = 1_767_225_600u64;
        let cosigned = format!("cosignature/v1\ntime {time}\n{text}");
        let mut witness_sig =
            note_hash("witness.test", 4, &self.witness.verifying_key().to_bytes()).to_vec();
        witness_sig.extend_from_slice(&time.to_be_bytes());
        witness_sig.extend_from_slice(&self.witness.sign(cosigned.as_bytes()).to_bytes());
        format!(
            "{text}\n\u{2014} log.test {}\n\u{2014} witness.test {}\n",
            STANDARD.encode(log_sig),
            STANDARD.encode(witness_sig)
        )
    }

    fn verify_with(
        &self,
        checkpoint: String,
        edit: impl FnOnce(&mut TlogEntry),
    ) -> Result<transparency::Proofs, transparency::ProofError> {
        let mut entry = self.entry.clone();
        entry.inclusion_proof.as_mut().unwrap().checkpoint = Some(checkpoint);
        edit(&mut entry);
        let evidence = Evidence {
            entries: vec![entry],
            timestamps: Vec::new(),
        };
        transparency::verify(&evidence, &self.parts.subject(), &self.root)
    }
}

#[test]
fn a_rekor_v2_entry_verifies_under_its_signed_note_and_gives_no_time() {
    let v2 = V2::new();
    let proofs = v2
        .verify_with(v2.signed(&v2.checkpoint_text), |_| {})
        .unwrap();
    assert!(
        proofs.times.is_empty(),
        "Rekor v2 signs no time: {:?}",
        proofs.times
    );
    assert_eq!(proofs.log_entries, ["Rekor entry 1 in https://log.test"]);
    let checkpoint = Checkpoint::parse(&v2.signed(&v2.checkpoint_text)).unwrap();
    let witness_key = v2.witness.verifying_key().to_bytes();
    assert_eq!(
        checkpoint
            .cosigned_by("witness.test", &witness_key)
            .unwrap()
            .as_second(),
        1_767_225_600
    );
    assert!(checkpoint.cosigned_by("witness.test", &[9; 32]).is_err());
    assert!(checkpoint.cosigned_by("other.test", &witness_key).is_err());
}

#[test]
fn a_rekor_v2_entry_fails_on_each_changed_part() {
    let v2 = V2::new();
    let good = v2.signed(&v2.checkpoint_text);
    // The log's note signature, changed.
    let bent = good.replacen("log.test ", "log.test AAAA", 1);
    assert_eq!(
        v2.verify_with(bent, |_| {}).unwrap_err().part,
        Part::Checkpoint
    );
    // A checkpoint from another origin, signed by the same key.
    let other = v2.signed(&v2.checkpoint_text.replacen("log.test", "other.test", 1));
    assert_eq!(
        v2.verify_with(other, |_| {}).unwrap_err().part,
        Part::Checkpoint
    );
    // A proof hash, the index, or the body, changed.
    let err = v2
        .verify_with(good.clone(), |e| {
            e.inclusion_proof.as_mut().unwrap().hashes[0][0] ^= 1
        })
        .unwrap_err();
    assert_eq!(err.part, Part::InclusionProof, "{err}");
    let err = v2
        .verify_with(good.clone(), |e| {
            e.inclusion_proof.as_mut().unwrap().log_index = 0
        })
        .unwrap_err();
    assert_eq!(err.part, Part::InclusionProof, "{err}");
    let err = v2
        .verify_with(good.clone(), |e| e.body.push(b' '))
        .unwrap_err();
    assert_eq!(err.part, Part::InclusionProof, "{err}");
    // The entry is in the tree, but records another artifact.
    let mut other_artifact = V2::new();
    other_artifact.parts.digest = Some(Sha256::digest(b"something else").to_vec());
    let err = other_artifact.verify_with(good, |_| {}).unwrap_err();
    assert_eq!(err.part, Part::EntryBody, "{err}");
}

#[test]
fn an_ecdsa_signed_note_verifies_with_the_logs_key_hash() {
    let log = p256::ecdsa::SigningKey::from_slice(&[8; 32]).unwrap();
    let spki = log.verifying_key().to_public_key_der().unwrap().into_vec();
    let text = format!("ecdsa.test\n1\n{}\n", STANDARD.encode([7u8; 32]));
    let signature: p256::ecdsa::Signature = log.sign(text.as_bytes());
    let mut line = Sha256::digest(&spki)[..4].to_vec();
    line.extend_from_slice(signature.to_der().as_bytes());
    let note = format!("{text}\n\u{2014} ecdsa.test {}\n", STANDARD.encode(&line));
    let checkpoint = Checkpoint::parse(&note).unwrap();
    assert_eq!(
        (checkpoint.size, checkpoint.origin.as_str()),
        (1, "ecdsa.test")
    );
    let root = log_root(
        "https://ecdsa.test",
        &spki,
        "PKIX_ECDSA_P256_SHA_256",
        &Sha256::digest(&spki),
    );
    checkpoint
        .verify_note("ecdsa.test", &root.tlogs[0].key)
        .unwrap();
    checkpoint.verify_rekor_v1(&root.tlogs[0].key).unwrap();
    let bent = Checkpoint::parse(&note.replacen("\n1\n", "\n2\n", 1)).unwrap();
    assert!(bent.verify_note("ecdsa.test", &root.tlogs[0].key).is_err());
}
