//! zstd:chunked layers whose table of contents lies (the writer's layer
//! with an edited TOC appended as a new skippable frame): the lie is caught
//! by a digest and the layer read whole, so the answer is still right.

use std::path::Path;

use regscope::oci::Digest;
use serde_json::json;

use crate::files::{regscope_files, sh};
use crate::files_zstd_chunked::{make_zstd_chunked, push_as};
use crate::support::Registry;

const POSITION: &str = "io.github.containers.zstd-chunked.manifest-position";
const CHECKSUM: &str = "io.github.containers.zstd-chunked.manifest-checksum";

/// The writer's layer with its TOC edited by `edit` and appended as a new
/// skippable frame the annotations point at (so only the TOC lies, and the
/// blob's own digest is right). Returns the new annotations.
fn with_toc(dir: &Path, edit: impl Fn(&mut serde_json::Value)) -> serde_json::Value {
    let mut annotations = make_zstd_chunked(dir);
    let blob = std::fs::read(dir.join("layer.zst")).unwrap();
    let position: Vec<usize> = annotations["layer.zst"][POSITION]
        .as_str()
        .unwrap()
        .split(':')
        .map(|n| n.parse().unwrap())
        .collect();
    std::fs::write(
        dir.join("toc.zst"),
        &blob[position[0]..position[0] + position[1]],
    )
    .unwrap();
    let mut toc: serde_json::Value =
        serde_json::from_slice(&sh(dir, "zstd -q -d -c toc.zst")).unwrap();
    edit(&mut toc);
    let json = serde_json::to_vec(&toc).unwrap();
    std::fs::write(dir.join("lie.json"), &json).unwrap();
    let compressed = sh(dir, "zstd -q -c lie.json");
    let mut lied = blob.clone();
    lied.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
    lied.extend_from_slice(&u32::try_from(compressed.len()).unwrap().to_le_bytes());
    lied.extend_from_slice(&compressed);
    std::fs::write(dir.join("layer.zst"), &lied).unwrap();
    let layer = &mut annotations["layer.zst"];
    layer[POSITION] = json!(format!(
        "{}:{}:{}:1",
        blob.len() + 8,
        compressed.len(),
        json.len()
    ));
    layer[CHECKSUM] = json!(Digest::sha256_of(&compressed).to_string());
    annotations
}

#[test]
fn a_toc_that_lies_is_caught_and_the_layer_read_whole() {
    let (work, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = work.path();
    let registry = Registry::olareg();
    // A file digest that is not the file's: cat notices and reads whole.
    let annotations = with_toc(dir, |toc| {
        for entry in toc["entries"].as_array_mut().unwrap() {
            if entry["name"] == "./etc/config" {
                entry["digest"] = json!(format!("sha256:{}", "0".repeat(64)));
            }
        }
    });
    push_as(dir, &registry, "lie:digest", &annotations);
    let out = regscope_files(
        dir,
        &["cat", &registry.reference("lie:digest"), "etc/config"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.stdout, b"name=zstd-chunked\n", "{stderr}");
    assert!(
        stderr.contains("by its zstd:chunked chunks failed") && stderr.contains("etc/config"),
        "{stderr}"
    );

    // A TOC whose checksum annotation is wrong: the listing reads whole.
    let dir = other.path();
    let mut annotations = with_toc(dir, |_| {});
    annotations["layer.zst"][CHECKSUM] = json!(Digest::sha256_of(b"another TOC").to_string());
    push_as(dir, &registry, "lie:checksum", &annotations);
    let out = regscope_files(
        dir,
        &["files", &registry.reference("lie:checksum"), "--layer", "0"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("could not be read") && stderr.contains("whole layer read"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("data/big.bin"));
}
