//! A keyless bundle copied onto another image with its DSSE payload
//! rewritten, pushed with the real oras: what a forger can do without the
//! signing key.

use std::fs;
use std::path::Path;

use base64::Engine as _;
use serde_json::Value;

use crate::support::{Oras, Registry, sha256_digest};

/// Copies `from`'s bundle onto `onto`, its DSSE payload rewritten to name
/// `onto`: the signature no longer covers what the payload says.
pub(super) fn forge_bundle(oras: &Oras, dir: &Path, registry: &Registry, from: &str, onto: &str) {
    let at = |digest: &str| registry.reference(&format!("keyless@{digest}"));
    let found = oras.json(&["discover", "--format", "json", &at(from)]);
    let bundle_manifest = found["referrers"][0]["digest"].as_str().unwrap().to_owned();
    let mut manifest: Value =
        serde_json::from_str(&oras.run(&["manifest", "fetch", &at(&bundle_manifest)])).unwrap();
    let layer = manifest["layers"][0].clone();
    let file = dir.join("bundle.json");
    let layer_ref = at(layer["digest"].as_str().unwrap());
    oras.run(&[
        "blob",
        "fetch",
        "--output",
        file.to_str().unwrap(),
        &layer_ref,
    ]);
    let mut bundle: Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(bundle["dsseEnvelope"]["payload"].as_str().unwrap())
        .unwrap();
    let payload = String::from_utf8(payload).unwrap();
    let hex = |d: &str| d.trim_start_matches("sha256:").to_owned();
    assert!(payload.contains(&hex(from)), "{payload}");
    let forged = payload.replace(&hex(from), &hex(onto));
    bundle["dsseEnvelope"]["payload"] = Value::from(b64.encode(forged));
    let bytes = serde_json::to_vec(&bundle).unwrap();
    fs::write(&file, &bytes).unwrap();
    let media_type = layer["mediaType"].as_str().unwrap();
    let repo = registry.reference("keyless");
    oras.run(&[
        "blob",
        "push",
        &repo,
        file.to_str().unwrap(),
        "--media-type",
        media_type,
    ]);
    let target = oras.json(&["discover", "--format", "json", &at(onto)]);
    manifest["layers"][0]["digest"] = Value::from(sha256_digest(&bytes));
    manifest["layers"][0]["size"] = Value::from(bytes.len());
    manifest["subject"] = serde_json::json!({
        "mediaType": target["mediaType"], "digest": onto, "size": target["size"],
    });
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap();
    let manifest_file = dir.join("forged-manifest.json");
    fs::write(&manifest_file, &manifest_bytes).unwrap();
    let media = "application/vnd.oci.image.manifest.v1+json";
    let reference = at(&sha256_digest(&manifest_bytes));
    oras.run(&[
        "manifest",
        "push",
        &reference,
        manifest_file.to_str().unwrap(),
        "--media-type",
        media,
    ]);
}
