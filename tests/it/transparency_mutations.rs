//! Each part of a real public-good proof, changed, fails, and the error
//! names that part: the log index, the integrated time, the inclusion
//! proof's hashes, index and size, the root hash, the checkpoint's
//! signature and text, the signed entry timestamp, the entry body, the
//! log key's window, the RFC 3161 token and its authority's window, and
//! the SCTs in the certificate. The bundle is sigstore.js's provenance
//! (sigstore-go's test data): a Rekor v1 `intoto` entry with a signed
//! entry timestamp, an inclusion proof and a checkpoint.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use regscope::audit::transparency::{self, Part, ProofError, TrustedRoot, shipped};
use serde_json::Value;

use crate::transparency::{Parts, check, data_path, json};

const PROVENANCE: &str = "sigstore-go/sigstore.js@2.0.0-provenance.sigstore.json";

fn entry(bundle: &mut Value) -> &mut Value {
    &mut bundle["verificationMaterial"]["tlogEntries"][0]
}

/// Verifies the provenance bundle after `change`, with the signature and
/// certificate of the unchanged bundle, against the shipped root.
fn after(change: impl FnOnce(&mut Value)) -> Result<(), ProofError> {
    let original = json(PROVENANCE);
    let parts = Parts::of(&original, None);
    let mut bundle = original.clone();
    change(&mut bundle);
    check(&bundle, &parts, &shipped::embedded().unwrap()).map(|_| ())
}

fn assert_fails(part: Part, change: impl FnOnce(&mut Value)) {
    let err = after(change).expect_err("the changed proof verified");
    assert_eq!(err.part, part, "{err}");
}

fn add(value: &mut Value, n: i64) {
    let old: i64 = value.as_str().unwrap().parse().unwrap();
    *value = Value::String((old + n).to_string());
}

/// Flips the last byte of a base64 field.
fn flip(value: &mut Value) {
    let mut bytes = STANDARD.decode(value.as_str().unwrap()).unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    *value = Value::String(STANDARD.encode(bytes));
}

#[test]
fn the_unchanged_bundle_verifies() {
    after(|_| {}).unwrap();
}

#[test]
fn the_log_index_and_integrated_time_are_signed() {
    assert_fails(Part::SignedEntryTimestamp, |b| {
        add(&mut entry(b)["logIndex"], 1)
    });
    assert_fails(Part::SignedEntryTimestamp, |b| {
        add(&mut entry(b)["integratedTime"], -1)
    });
    assert_fails(Part::SignedEntryTimestamp, |b| {
        flip(&mut entry(b)["inclusionPromise"]["signedEntryTimestamp"]);
    });
}

#[test]
fn the_inclusion_proof_must_lead_to_the_signed_root() {
    assert_fails(Part::InclusionProof, |b| {
        flip(&mut entry(b)["inclusionProof"]["hashes"][3]);
    });
    assert_fails(Part::InclusionProof, |b| {
        entry(b)["inclusionProof"]["hashes"]
            .as_array_mut()
            .unwrap()
            .pop();
    });
    assert_fails(Part::InclusionProof, |b| {
        flip(&mut entry(b)["inclusionProof"]["rootHash"])
    });
    assert_fails(Part::InclusionProof, |b| {
        add(&mut entry(b)["inclusionProof"]["logIndex"], 1)
    });
    assert_fails(Part::InclusionProof, |b| {
        add(&mut entry(b)["inclusionProof"]["treeSize"], 1)
    });
}

#[test]
fn the_checkpoint_must_be_signed_by_the_log_and_name_the_proofs_tree() {
    let edit_checkpoint = |edit: &dyn Fn(&str) -> String| {
        after(|b| {
            let envelope = &mut entry(b)["inclusionProof"]["checkpoint"]["envelope"];
            *envelope = Value::String(edit(envelope.as_str().unwrap()));
        })
        .expect_err("a changed checkpoint verified")
    };
    // Its signature, changed.
    let err = edit_checkpoint(&|text| {
        let (body, line) = text.trim_end().rsplit_once(' ').unwrap();
        let mut sig = STANDARD.decode(line).unwrap();
        *sig.last_mut().unwrap() ^= 1;
        format!("{body} {}\n", STANDARD.encode(sig))
    });
    assert_eq!(err.part, Part::Checkpoint, "{err}");
    // Its text, changed: a root hash the log did not sign.
    let err = edit_checkpoint(&|text| text.replacen("v+7g", "w+7g", 1));
    assert_eq!(err.part, Part::Checkpoint, "{err}");
    // Signed by another key (its hint no longer the log's).
    let err = edit_checkpoint(&|text| {
        text.replacen("rekor.sigstore.dev wNI9", "rekor.sigstore.dev xNI9", 1)
    });
    assert_eq!(err.part, Part::Checkpoint, "{err}");
    assert!(
        err.message.contains("no signature by the log's key"),
        "{err}"
    );
    // Gone.
    assert_fails(Part::Checkpoint, |b| {
        entry(b)["inclusionProof"]
            .as_object_mut()
            .unwrap()
            .remove("checkpoint");
    });
}

#[test]
fn the_entry_body_must_record_this_signature_and_payload() {
    // A changed body breaks the signed entry timestamp first.
    assert_fails(Part::SignedEntryTimestamp, |b| {
        flip(&mut entry(b)["canonicalizedBody"])
    });
    let bundle = json(PROVENANCE);
    let root = shipped::embedded().unwrap();
    let mut parts = Parts::of(&bundle, None);
    *parts.signature.last_mut().unwrap() ^= 1;
    let err = check(&bundle, &parts, &root).unwrap_err();
    assert_eq!(err.part, Part::EntryBody, "{err}");
    let mut parts = Parts::of(&bundle, None);
    parts.payload.push(b'\n');
    let err = check(&bundle, &parts, &root).unwrap_err();
    assert_eq!(err.part, Part::EntryBody, "{err}");
    // Another certificate with the same signature.
    let mut parts = Parts::of(&bundle, None);
    parts.signer = Parts::of(&json("cosign/oci-attestation.sigstore.json"), None).signer;
    let err = check(&bundle, &parts, &root).unwrap_err();
    assert_eq!(err.part, Part::EntryBody, "{err}");
}

/// The public-good root with `edit` applied to its JSON.
fn edited_root(edit: impl FnOnce(&mut Value)) -> TrustedRoot {
    let mut doc: Value = serde_json::from_slice(shipped::PUBLIC_GOOD_JSON).unwrap();
    edit(&mut doc);
    TrustedRoot::from_json("edited root", doc.to_string().as_bytes()).unwrap()
}

#[test]
fn the_log_key_must_be_valid_at_the_integrated_time_inclusive() {
    let bundle = json(PROVENANCE);
    let parts = Parts::of(&bundle, None);
    let window = |start: &str, end: &str| {
        edited_root(|doc| {
            doc["tlogs"][0]["publicKey"]["validFor"] =
                serde_json::json!({"start": start, "end": end});
        })
    };
    // Integrated at 2023-08-18T16:05:35Z: a window ending then still holds.
    check(
        &bundle,
        &parts,
        &window("2021-01-12T11:53:27Z", "2023-08-18T16:05:35Z"),
    )
    .unwrap();
    check(
        &bundle,
        &parts,
        &window("2023-08-18T16:05:35Z", "2030-01-01T00:00:00Z"),
    )
    .unwrap();
    let err = check(
        &bundle,
        &parts,
        &window("2021-01-12T11:53:27Z", "2023-08-18T16:05:34Z"),
    )
    .unwrap_err();
    assert_eq!(err.part, Part::SignedEntryTimestamp, "{err}");
    assert!(err.message.contains("outside the window"), "{err}");
    let err = check(
        &bundle,
        &parts,
        &window("2023-08-18T16:05:36Z", "2030-01-01T00:00:00Z"),
    )
    .unwrap_err();
    assert_eq!(err.part, Part::SignedEntryTimestamp, "{err}");
}

#[test]
fn a_changed_timestamp_token_or_an_authority_out_of_its_window_fails() {
    let file = "sigstore-go/public-key-validity.sigstore.json";
    let bundle = json(file);
    let parts = Parts::of(&bundle, Some("sigstore-go/public-key-validity.pem"));
    let root_json = std::fs::read(data_path("sigstore-go/public-key-validity.json")).unwrap();
    let root = TrustedRoot::from_json("tsa root", &root_json).unwrap();
    check(&bundle, &parts, &root).unwrap();
    // The token's signature (its last bytes), changed.
    let mut changed = bundle.clone();
    let token = &mut changed["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
        [0]["signedTimestamp"];
    flip(token);
    let err = check(&changed, &parts, &root).unwrap_err();
    assert_eq!(err.part, Part::Timestamp, "{err}");
    // A timestamp over another signature.
    let mut other = Parts::of(&bundle, Some("sigstore-go/public-key-validity.pem"));
    other.signature[0] ^= 1;
    let err = check(&bundle, &other, &root).unwrap_err();
    assert_eq!(err.part, Part::Timestamp, "{err}");
    assert!(err.message.contains("other bytes"), "{err}");
    // The authority's window closed before the stamp.
    let mut doc: Value = serde_json::from_slice(&root_json).unwrap();
    doc["timestampAuthorities"][0]["validFor"] =
        serde_json::json!({"start": "2020-01-01T00:00:00Z", "end": "2021-01-01T00:00:00Z"});
    let closed = TrustedRoot::from_json("closed", doc.to_string().as_bytes()).unwrap();
    let err = check(&bundle, &parts, &closed).unwrap_err();
    assert_eq!(err.part, Part::Timestamp, "{err}");
    assert!(err.message.contains("outside its window"), "{err}");
}

#[test]
fn a_changed_sct_or_an_unknown_ct_log_fails() {
    let parts = Parts::of(&json(PROVENANCE), None);
    let root = shipped::embedded().unwrap();
    // Flip the last byte of the first SCT's signature inside the
    // certificate (found by parsing the list, then its bytes).
    let scts = sct_list(&parts.signer);
    let list = transparency::fuzzing::parse_sct_list(&scts).unwrap();
    let signature = &list[0].signature;
    let at = parts
        .signer
        .windows(signature.len())
        .position(|w| w == signature.as_slice())
        .unwrap();
    let mut changed = parts.signer.clone();
    changed[at + signature.len() - 1] ^= 1;
    let err = transparency::verify_scts(&changed, &root).unwrap_err();
    assert_eq!(err.part, Part::Sct, "{err}");
    // A root without that CT log.
    let no_ct = edited_root(|doc| doc["ctlogs"] = serde_json::json!([]));
    let err = transparency::verify_scts(&parts.signer, &no_ct).unwrap_err();
    assert_eq!(err.part, Part::Sct, "{err}");
    // Its key's window closed before the SCT.
    let closed = edited_root(|doc| {
        doc["ctlogs"][1]["publicKey"]["validFor"] =
            serde_json::json!({"start": "2022-10-20T00:00:00Z", "end": "2023-01-01T00:00:00Z"});
    });
    let err = transparency::verify_scts(&parts.signer, &closed).unwrap_err();
    assert_eq!(err.part, Part::Sct, "{err}");
}

/// The TLS-encoded SCT list inside a certificate's extension (an OCTET
/// STRING inside the extension's value).
fn sct_list(cert: &[u8]) -> Vec<u8> {
    use x509_cert::der::Decode as _;
    let cert = x509_cert::Certificate::from_der(cert).unwrap();
    let extensions = cert.tbs_certificate.extensions.unwrap();
    let list = extensions
        .iter()
        .find(|e| e.extn_id.to_string() == "1.3.6.1.4.1.11129.2.4.2")
        .unwrap();
    let inner = x509_cert::der::asn1::OctetString::from_der(list.extn_value.as_bytes()).unwrap();
    inner.as_bytes().to_vec()
}
