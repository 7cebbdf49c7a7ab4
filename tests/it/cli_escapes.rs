//! Registry strings carrying terminal escapes (H3): an artifact type and an
//! annotation with ESC, BEL and the 8-bit CSI. `tree` text must not pass
//! those bytes to the terminal; the JSON keeps the strings exactly, escaped
//! the way JSON escapes them.

use serde_json::{Value, json};

use crate::cli::{regscope, regscope_json};
use crate::cli_pull::{file_blob, push_artifact};
use crate::support::{Oras, Registry, media, sha256_digest};

const HOSTILE_TYPE: &str = "application/x\u{1b}[2J\u{9b}31m\u{7}";
const HOSTILE_NOTE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}1m";

#[test]
fn escapes_in_registry_strings_never_reach_the_terminal() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let subject = push_artifact(
        &oras,
        &registry,
        work.path(),
        "v1",
        &[file_blob("a.txt", b"a")],
    );
    let subject_bytes = std::fs::read(work.path().join("manifest-v1.json")).unwrap();
    let referrer = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "artifactType": HOSTILE_TYPE,
        "config": {"mediaType": media::OCI_EMPTY, "digest": sha256_digest(b"{}"), "size": 2},
        "layers": [{"mediaType": media::OCI_EMPTY, "digest": sha256_digest(b"{}"), "size": 2}],
        "subject": {
            "mediaType": media::OCI_MANIFEST,
            "digest": sha256_digest(&subject_bytes),
            "size": subject_bytes.len(),
        },
        "annotations": {"note": HOSTILE_NOTE},
    });
    let path = work.path().join("referrer.json");
    std::fs::write(&path, serde_json::to_vec(&referrer).unwrap()).unwrap();
    oras.run(&[
        "manifest",
        "push",
        &registry.reference("hostile"),
        path.to_str().unwrap(),
    ]);

    let text = regscope(work.path(), &["tree", &subject]);
    for byte in [0x1b_u8, 0x07, 0x9b] {
        assert!(
            !text.as_bytes().contains(&byte),
            "byte {byte:#x} in the tree text:\n{text:?}"
        );
    }
    assert!(text.contains("application/x"), "{text}");

    let raw = crate::cli::regscope_output(work.path(), &["tree", &subject, "--format", "json"]);
    assert!(raw.status.success());
    for byte in [0x1b_u8, 0x07] {
        assert!(!raw.stdout.contains(&byte), "raw {byte:#x} in the JSON");
    }
    let tree = regscope_json(work.path(), &["tree", &subject, "--format", "json"]);
    let found = &tree["referrers"][0];
    assert_eq!(found["artifactType"], Value::from(HOSTILE_TYPE));
    assert_eq!(found["annotations"]["note"], Value::from(HOSTILE_NOTE));
}
