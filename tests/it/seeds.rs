//! The seed documents' walkthrough (shared/seeds/000, 001, 004), end to end
//! with regscope's CLI alone against real registries: push an image (copied
//! from an OCI layout), attach a signature and an SBOM, discover, sign the
//! SBOM, pull the SBOM, copy the graph to staging, delete the graph. The
//! real oras checks the registry agrees at each step that changes it.

use std::path::Path;

use serde_json::{Value, json};

use crate::cli::{normalised, regscope, regscope_json, without_references};
use crate::support::fixture::{make_config, make_layer};
use crate::support::{Oras, Registry, media, sha256_digest};

/// A one-image OCI layout tagged `v1`, written by hand: what `docker build`
/// would have produced.
fn write_image_layout(dir: &Path) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let write_blob = |bytes: &[u8]| {
        let digest = sha256_digest(bytes);
        std::fs::write(blobs.join(digest.trim_start_matches("sha256:")), bytes).unwrap();
        digest
    };
    let (layer, tar) = make_layer("usr/bin/net-monitor", b"#!/bin/sh\necho monitoring\n");
    let config = make_config("linux", "amd64", &sha256_digest(&tar));
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": {"mediaType": media::OCI_CONFIG, "digest": write_blob(&config), "size": config.len()},
        "layers": [{"mediaType": media::OCI_LAYER_GZIP, "digest": write_blob(&layer), "size": layer.len()}],
    }))
    .unwrap();
    let manifest_digest = write_blob(&manifest);
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let index = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_INDEX,
        "manifests": [{
            "mediaType": media::OCI_MANIFEST,
            "digest": manifest_digest,
            "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": "v1"},
        }],
    });
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
}

fn referrers(node: &Value) -> &Vec<Value> {
    node["referrers"].as_array().expect("referrers")
}

fn walkthrough(registry: &Registry) {
    let oras = Oras::for_registry(registry);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let layout = dir.join("image");
    write_image_layout(&layout);
    let image = registry.reference("net-monitor:v1");
    let repo = registry.reference("net-monitor");

    // Build and push the image.
    regscope(
        dir,
        &["cp", &format!("oci:{}:v1", layout.display()), &image],
    );

    let sbom_text = attach_a_signature_and_an_sbom(dir, &image);

    // Discover: the SBOM's digest, as the seed's jq recipe finds it.
    let sboms = regscope_json(
        dir,
        &[
            "tree",
            &image,
            "--format",
            "json",
            "--artifact-type",
            "sbom/example",
        ],
    );
    let sbom_digest = referrers(&sboms)[0]["digest"].as_str().unwrap().to_owned();

    // Sign the SBOM.
    std::fs::write(
        dir.join("sbom-signature.json"),
        format!("{{\"artifact\": \"{repo}@{sbom_digest}\", \"signature\": \"pat hancock\"}}\n"),
    )
    .unwrap();
    regscope(
        dir,
        &[
            "attach",
            &format!("{repo}@{sbom_digest}"),
            "--artifact-type",
            "signature/example",
            "sbom-signature.json:application/json",
        ],
    );

    // The graph, two levels deep, as oras sees it too.
    let tree = normalised(regscope_json(dir, &["tree", &image, "--format", "json"]));
    assert_eq!(
        tree,
        normalised(oras.json(&["discover", &image, "--format", "json"]))
    );
    assert_eq!(referrers(&tree).len(), 2);
    let sbom_node = referrers(&tree)
        .iter()
        .find(|r| r["digest"] == sbom_digest.as_str())
        .unwrap();
    assert_eq!(referrers(sbom_node)[0]["artifactType"], "signature/example");
    let text = regscope(dir, &["tree", &image]);
    assert!(
        text.contains("sbom/example") && text.contains("signature/example"),
        "{text}"
    );

    pull_the_sbom(dir, &image, &sbom_text);
    copy_then_delete_in_staging(dir, &oras, registry, &image, tree);
}

/// A signature and an SBOM, attached to the image; the SBOM's text.
fn attach_a_signature_and_an_sbom(dir: &Path, image: &str) -> String {
    std::fs::write(
        dir.join("signature.json"),
        format!("{{\"artifact\": \"{image}\", \"signature\": \"pat hancock\"}}\n"),
    )
    .unwrap();
    let sbom_text = format!(
        "{{\"version\": \"0.0.0.0\", \"artifact\": \"{image}\", \"contents\": \"good\"}}\n"
    );
    std::fs::write(dir.join("sbom.json"), &sbom_text).unwrap();
    regscope(
        dir,
        &[
            "attach",
            image,
            "--artifact-type",
            "signature/example",
            "./signature.json:application/json",
        ],
    );
    regscope(
        dir,
        &[
            "attach",
            image,
            "--artifact-type",
            "sbom/example",
            "./sbom.json:application/json",
        ],
    );
    sbom_text
}

/// Pull the SBOM: by type from the image, and "the SBOM" whatever its type.
fn pull_the_sbom(dir: &Path, image: &str, sbom_text: &str) {
    let download = dir.join("download");
    regscope(
        dir,
        &[
            "pull",
            image,
            "--artifact-type",
            "sbom/example",
            "-o",
            download.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read_to_string(download.join("sbom.json")).unwrap(),
        sbom_text
    );
    let any_sbom = dir.join("any-sbom");
    regscope(
        dir,
        &["pull", image, "--sbom", "-o", any_sbom.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read_to_string(any_sbom.join("sbom.json")).unwrap(),
        sbom_text
    );
}

/// Copy the image with its graph to staging: the same digests; then delete
/// the graph from staging, and the original stays.
fn copy_then_delete_in_staging(
    dir: &Path,
    oras: &Oras,
    registry: &Registry,
    image: &str,
    tree: Value,
) {
    let staging = registry.reference("staging/net-monitor:v1");
    regscope(dir, &["cp", "-r", image, &staging]);
    let staged = regscope_json(dir, &["tree", &staging, "--format", "json"]);
    assert_eq!(without_references(staged), without_references(tree.clone()));
    assert_eq!(
        without_references(oras.json(&["discover", &staging, "--format", "json"])),
        without_references(tree)
    );

    // Delete the graph from staging; the original stays.
    regscope(dir, &["rm", "--with-referrers", "-y", &staging]);
    assert!(!oras.output(&["discover", &staging]).status.success());
    let listed = regscope_json(
        dir,
        &[
            "ls",
            &registry.reference("staging/net-monitor"),
            "--format",
            "json",
        ],
    );
    assert!(
        !listed["tags"].as_array().unwrap().iter().any(|t| t == "v1"),
        "{listed}"
    );
    let original = regscope_json(dir, &["tree", image, "--format", "json"]);
    assert_eq!(referrers(&original).len(), 2);
}

#[test]
fn seed_walkthrough_on_distribution_fallback_tags() {
    walkthrough(&Registry::distribution());
}

#[test]
fn seed_walkthrough_on_olareg_referrers_api() {
    walkthrough(&Registry::olareg());
}
