//! Escape sequences a registry puts in what regscope prints never reach
//! the terminal.

use serde_json::Value;

use super::regscope;
use crate::support::{Oras, Registry, media};

#[test]
fn escape_sequences_from_a_registry_never_reach_the_terminal() {
    let registry = Registry::distribution();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let subject_file = work.path().join("subject.txt");
    std::fs::write(&subject_file, b"subject").unwrap();
    let image = registry.reference("victim:v1");
    oras.run_in(work.path(), &["push", &image, "subject.txt"]);
    let subject_bytes = oras.run(&["manifest", "fetch", &image]);
    let hostile = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "artifactType": "evil/\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m",
        "config": {"mediaType": media::OCI_EMPTY, "digest": crate::support::sha256_digest(b"{}"), "size": 2},
        "layers": [{"mediaType": media::OCI_EMPTY, "digest": crate::support::sha256_digest(b"{}"), "size": 2}],
        "subject": {"mediaType": media::OCI_MANIFEST, "digest": crate::support::sha256_digest(subject_bytes.as_bytes()), "size": subject_bytes.len()},
        "annotations": {"note": "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}1m"},
    });
    std::fs::write(work.path().join("empty.json"), b"{}").unwrap();
    oras.run_in(
        work.path(),
        &["blob", "push", &registry.reference("victim"), "empty.json"],
    );
    std::fs::write(
        work.path().join("hostile.json"),
        serde_json::to_vec(&hostile).unwrap(),
    )
    .unwrap();
    oras.run_in(
        work.path(),
        &[
            "manifest",
            "push",
            &registry.reference("victim"),
            "hostile.json",
        ],
    );

    // ESC, BEL and the 8-bit CSI (U+009B, bytes C2 9B) never reach the
    // terminal; the text shows them escaped.
    let text = regscope(work.path(), &["tree", &image]);
    for byte in [0x1b_u8, 0x07, 0x9b] {
        assert!(!text.as_bytes().contains(&byte), "{byte:#x} in {text:?}");
    }
    assert!(text.contains("evil/\\u{1b}]0;pwned"), "{text}");
    // JSON keeps the strings exactly, escaping controls as JSON does.
    let raw = crate::cli::regscope_output(work.path(), &["tree", &image, "--format", "json"]);
    for byte in [0x1b_u8, 0x07] {
        assert!(!raw.stdout.contains(&byte), "raw {byte:#x} in the JSON");
    }
    let json: Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert_eq!(
        json["referrers"][0]["artifactType"],
        hostile["artifactType"]
    );
    assert_eq!(
        json["referrers"][0]["annotations"]["note"],
        hostile["annotations"]["note"]
    );
}
