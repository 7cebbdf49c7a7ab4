//! `files` says what unpacking gives: the merged view lists exactly what
//! `tar` leaves on disk after unpacking the layers in order (nothing a later
//! layer removed), `--changes` lists per layer what unpacking that layer
//! added, changed and removed (dive's layer view), and a layer that is not
//! a tar is said to be one in words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::cli_pull::{Blob, push_artifact};
use crate::files::{make_layers, ok, push_image, regscope_files, unpack_in_order};
use crate::support::{Oras, Registry};

/// The paths on disk after unpacking `layers` in order.
fn unpacked(layers: &[PathBuf]) -> BTreeMap<String, (char, u64)> {
    let scratch = tempfile::tempdir().unwrap();
    unpack_in_order(scratch.path(), layers)
}

fn paths(changes: &Value, change: &str) -> BTreeSet<String> {
    changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change"] == change)
        .map(|e| e["path"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_merged_view_and_each_layers_changes_match_unpacking() {
    let work = tempfile::tempdir().unwrap();
    let layers = make_layers(work.path());
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let reference = push_image(&oras, work.path(), &registry.reference("files:v1"), &layers);

    let merged: Value =
        serde_json::from_slice(&ok(work.path(), &["files", &reference, "--format", "json"]))
            .unwrap();
    let listed: BTreeSet<String> = merged["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_owned())
        .collect();
    let on_disk: BTreeSet<String> = unpacked(&layers).into_keys().collect();
    assert_eq!(
        listed, on_disk,
        "the merged view is not what unpacking gives"
    );
    let text = String::from_utf8(ok(work.path(), &["files", &reference])).unwrap();
    assert_eq!(text.lines().count(), on_disk.len(), "{text}");
    assert!(!text.contains(" removed "), "{text}");

    let changes: Value = serde_json::from_slice(&ok(
        work.path(),
        &["files", &reference, "--changes", "--format", "json"],
    ))
    .unwrap();
    let per_layer = changes["layers"].as_array().unwrap();
    assert_eq!(per_layer.len(), 2);
    let mut before: BTreeSet<String> = BTreeSet::new();
    for (i, layer) in per_layer.iter().enumerate() {
        let after: BTreeSet<String> = unpacked(&layers[..=i]).into_keys().collect();
        let added: BTreeSet<String> = after.difference(&before).cloned().collect();
        let removed: BTreeSet<String> = before.difference(&after).cloned().collect();
        assert_eq!(paths(layer, "added"), added, "layer {i} adds");
        assert_eq!(paths(layer, "removed"), removed, "layer {i} removes");
        for path in paths(layer, "modified") {
            assert!(before.contains(&path) && after.contains(&path), "{path}");
        }
        before = after;
    }
    assert!(paths(&per_layer[1], "modified").contains("etc/motd"));

    // One layer's changes in text: a heading, then one line per path.
    let text = String::from_utf8(ok(
        work.path(),
        &["files", &reference, "--changes", "--layer", "1"],
    ))
    .unwrap();
    let heading = text.lines().next().unwrap_or_default();
    assert!(heading.starts_with("# layer 1 sha256:"), "{text}");
    assert!(heading.contains("1 modified"), "{text}");
    assert!(!text.contains("# layer 0"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains(" removed ") && l.ends_with("tmp/junk")),
        "{text}"
    );
}

#[test]
fn a_layer_that_is_not_a_tar_says_so_in_words() {
    let work = tempfile::tempdir().unwrap();
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let json = Blob {
        bytes: br#"{"bomFormat": "CycloneDX", "specVersion": "1.5"}"#.to_vec(),
        media_type: "application/vnd.oci.image.layer.v1.tar",
        annotations: serde_json::json!({}),
    };
    let reference = push_artifact(&oras, &registry, work.path(), "notar", &[json]);
    let out = regscope_files(work.path(), &["files", &reference]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("the layer is not a tar archive: it starts with JSON, not a tar header"),
        "{said}"
    );
    assert!(
        !said.contains("bomFormat"),
        "the bytes are not quoted: {said}"
    );
}
