//! The trusted root model, the choice of the public-good root, the
//! checkpoint parser and the bundle version rules, on small inputs made
//! here. Real bundles are verified in `tests/it/transparency*.rs`.

use serde_json::json;

use super::checkpoint::Checkpoint;
use super::evidence::Evidence;
use super::root::TrustedRoot;
use super::shipped;

#[test]
fn the_shipped_root_lists_the_public_good_logs_and_authorities() {
    let root = shipped::embedded().expect("the shipped root parses");
    let origins: Vec<&str> = root.tlogs.iter().map(|l| l.origin()).collect();
    assert_eq!(
        origins,
        ["rekor.sigstore.dev", "log2025-1.rekor.sigstore.dev"]
    );
    assert_eq!(
        root.tlogs[0].id,
        super::keys::sha256(root.tlogs[0].key.der())
    );
    assert_eq!(root.ctlogs.len(), 2);
    assert_eq!(root.certificate_authorities.len(), 2);
    assert_eq!(root.timestamp_authorities.len(), 1);
    let newest = root.newest_start().expect("a start");
    assert_eq!(newest.to_string(), "2025-09-23T00:00:00Z");
    // Fulcio's first CA: 2021-03-07T03:20:29Z to 2022-12-31T23:59:59.999Z,
    // both ends inclusive.
    let window = root.certificate_authorities[0].valid_for;
    assert!(window.contains("2021-03-07T03:20:29Z".parse().expect("time")));
    assert!(window.contains("2022-12-31T23:59:59.999Z".parse().expect("time")));
    assert!(!window.contains("2021-03-07T03:20:28.999Z".parse().expect("time")));
    assert!(!window.contains("2023-01-01T00:00:00Z".parse().expect("time")));
}

#[test]
fn a_root_with_a_bad_key_time_or_media_type_is_refused() {
    let mut doc: serde_json::Value =
        serde_json::from_slice(shipped::PUBLIC_GOOD_JSON).expect("json");
    doc["tlogs"][0]["publicKey"]["rawBytes"] = json!("AAAA");
    assert!(TrustedRoot::from_json("r", doc.to_string().as_bytes()).is_err());
    let mut doc: serde_json::Value =
        serde_json::from_slice(shipped::PUBLIC_GOOD_JSON).expect("json");
    doc["ctlogs"][0]["publicKey"]["validFor"]["start"] = json!("yesterday");
    let err = TrustedRoot::from_json("r", doc.to_string().as_bytes()).expect_err("bad time");
    assert!(err.contains("CT log 0"), "{err}");
    let err = TrustedRoot::from_json("r", br#"{"mediaType":"text/plain"}"#).expect_err("type");
    assert!(err.contains("not a trusted root"), "{err}");
}

/// A copy of the shipped root whose Rekor v1 key starts a window at `start`.
fn cached_root(start: &str) -> Vec<u8> {
    let mut doc: serde_json::Value =
        serde_json::from_slice(shipped::PUBLIC_GOOD_JSON).expect("json");
    doc["tlogs"][0]["publicKey"]["validFor"]["start"] = json!(start);
    doc.to_string().into_bytes()
}

#[test]
fn a_newer_cached_root_wins_and_an_older_or_broken_one_is_passed_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = |name: &str| match name {
        "HOME" => Some(dir.path().as_os_str().to_owned()),
        _ => None,
    };
    let paths = shipped::cache_paths(&env);
    let (cosign, _) = &paths[0];
    assert!(cosign.ends_with(".sigstore/root/tuf-repo-cdn.sigstore.dev/targets/trusted_root.json"));
    let (python, client) = &paths[2];
    assert!(python.ends_with(
        ".cache/sigstore-python/tuf/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json"
    ));
    assert_eq!(*client, "sigstore-python's TUF cache");
    // Nothing cached: the shipped root.
    let embedded = shipped::embedded().expect("embedded").source;
    assert_eq!(embedded, "public-good (embedded, 2025-09-23)");
    let chosen = shipped::choose(&paths).expect("choose");
    assert_eq!(chosen.root.source, embedded);
    // An older copy in cosign's cache, a newer one in sigstore-python's.
    std::fs::create_dir_all(cosign.parent().expect("dir")).expect("mkdir");
    std::fs::write(cosign, cached_root("2020-01-01T00:00:00Z")).expect("write");
    assert_eq!(
        shipped::choose(&paths).expect("choose").root.source,
        embedded
    );
    std::fs::create_dir_all(python.parent().expect("dir")).expect("mkdir");
    std::fs::write(python, cached_root("2026-01-01T00:00:00Z")).expect("write");
    let chosen = shipped::choose(&paths).expect("choose");
    assert_eq!(
        chosen.root.source,
        "public-good (sigstore-python's TUF cache, 2026-01-01)"
    );
    assert!(
        chosen
            .notes
            .iter()
            .any(|n| n.contains("is newer than the embedded copy")),
        "{:?}",
        chosen.notes
    );
    // A broken one is passed over, with a note.
    std::fs::write(python, b"{not json").expect("write");
    let chosen = shipped::choose(&paths).expect("choose");
    assert_eq!(chosen.root.source, embedded);
    assert!(
        chosen.notes.iter().any(|n| n.contains("passed over")),
        "{:?}",
        chosen.notes
    );
    // TUF_ROOT moves cosign's cache.
    let moved =
        |name: &str| -> Option<std::ffi::OsString> { (name == "TUF_ROOT").then(|| "/tuf".into()) };
    let paths = shipped::cache_paths(&moved);
    assert_eq!(
        paths[0].0,
        std::path::Path::new("/tuf/tuf-repo-cdn.sigstore.dev/targets/trusted_root.json")
    );
}

#[test]
fn checkpoints_that_are_not_signed_notes_are_refused() {
    let root = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    let good = format!("log\n5\n{root}\nextra\n\n\u{2014} log AAAAAAAA\n");
    let parsed = Checkpoint::parse(&good).expect("parses");
    assert_eq!((parsed.origin.as_str(), parsed.size), ("log", 5));
    assert_eq!(parsed.text, format!("log\n5\n{root}\nextra\n"));
    assert_eq!(parsed.signatures[0].key_hash, [0; 4]);
    for bad in [
        format!("log\n5\n{root}\n\u{2014} log AAAAAAAA\n"),
        format!("log\n5\n{root}\n\n\u{2014} log AAAAAAAA"),
        format!("log\n-5\n{root}\n\n\u{2014} log AAAAAAAA\n"),
        format!("log\n+5\n{root}\n\n\u{2014} log AAAAAAAA\n"),
        "log\n5\nAAAA\n\n\u{2014} log AAAAAAAA\n".to_owned(),
        format!("log\n5\n{root}\n\n- log AAAAAAAA\n"),
        format!("log\n5\n{root}\n\n\u{2014} log AAAA\n"),
        format!("log\n5\n{root}\n\n\u{2014} AAAAAAAA\n"),
        format!("\n5\n{root}\n\n\u{2014} log AAAAAAAA\n"),
        format!(
            "log\n5\n{root}\n\n{}",
            "\u{2014} log AAAAAAAA\n".repeat(101)
        ),
    ] {
        assert!(Checkpoint::parse(&bad).is_err(), "{bad:?}");
    }
}

fn bundle(media_type: &str, entry: serde_json::Value) -> serde_json::Value {
    json!({"mediaType": media_type, "verificationMaterial": {"tlogEntries": [entry]}})
}

#[test]
fn each_bundle_version_demands_its_proofs() {
    let entry = json!({
        "logIndex": "1", "logId": {"keyId": "AAAA"}, "integratedTime": "5",
        "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
        "canonicalizedBody": "e30=",
    });
    let with_promise = {
        let mut e = entry.clone();
        e["inclusionPromise"] = json!({"signedEntryTimestamp": "AAAA"});
        e
    };
    let with_proof = {
        let mut e = entry.clone();
        e["inclusionProof"] = json!({"logIndex": 1, "rootHash": "AAAA", "treeSize": "2", "hashes": [],
                                      "checkpoint": {"envelope": "x"}});
        e
    };
    let v01 = "application/vnd.dev.sigstore.bundle+json;version=0.1";
    let v02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
    let v03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    assert!(Evidence::from_bundle(&bundle(v01, entry.clone())).is_err());
    let read = Evidence::from_bundle(&bundle(v01, with_promise.clone())).expect("v0.1");
    assert_eq!(
        (read.entries[0].log_index, read.entries[0].integrated_time),
        (1, 5)
    );
    assert!(Evidence::from_bundle(&bundle(v02, with_promise)).is_err());
    assert!(Evidence::from_bundle(&bundle(v03, with_proof.clone())).is_ok());
    assert!(Evidence::from_bundle(&bundle("application/json", with_proof)).is_err());
    let negative = {
        let mut e = entry;
        e["logIndex"] = json!("-1");
        e
    };
    assert!(Evidence::from_bundle(&bundle(v03, negative)).is_err());
    let none = json!({"mediaType": v03, "verificationMaterial": {}});
    assert!(Evidence::from_bundle(&none).expect("empty").is_empty());
}
