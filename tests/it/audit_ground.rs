//! The audit's test ground, built with the real tools (see `audit`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::fixture::push_image;
use crate::support::{Cosign, CosignMode, Oras, Registry, fallback_tag, sha256_digest};

fn sbom(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it/data/sbom")
        .join(name)
}

/// Pushes a distinct small image as `repo:tag` (distinct by architecture)
/// and returns its digest.
fn image(
    oras: &Oras,
    dir: &Path,
    registry: &Registry,
    repo: &str,
    tag: &str,
    arch: &str,
) -> String {
    let (digest, ..) = push_image(
        oras,
        dir,
        &registry.reference(&format!("{repo}:{tag}")),
        &format!("{repo}-{tag}"),
        "linux",
        arch,
    );
    digest
}

/// Rewrites the payload of a legacy `.sig` manifest after signing: the
/// payload still names the image, but it is not what was signed.
fn alter_signature_payload(oras: &Oras, dir: &Path, registry: &Registry, repo: &str, digest: &str) {
    let sig_ref = registry.reference(&format!("{repo}:{}.sig", fallback_tag(digest)));
    let mut manifest: Value =
        serde_json::from_str(&oras.run(&["manifest", "fetch", &sig_ref])).unwrap();
    let layer = manifest["layers"][0].clone();
    let blob_ref = registry.reference(&format!("{repo}@{}", layer["digest"].as_str().unwrap()));
    let payload_file = dir.join("payload.json");
    oras.run(&[
        "blob",
        "fetch",
        "--output",
        payload_file.to_str().unwrap(),
        &blob_ref,
    ]);
    let payload = fs::read_to_string(&payload_file).unwrap();
    assert!(payload.contains(digest), "payload: {payload}");
    let altered = payload.replace("\"optional\":null", "\"optional\":{\"by\":\"mallory\"}");
    assert_ne!(altered, payload, "payload: {payload}");
    fs::write(&payload_file, &altered).unwrap();
    oras.run(&[
        "blob",
        "push",
        &registry.reference(repo),
        payload_file.to_str().unwrap(),
        "--media-type",
        layer["mediaType"].as_str().unwrap(),
    ]);
    manifest["layers"][0]["digest"] = Value::from(sha256_digest(altered.as_bytes()));
    manifest["layers"][0]["size"] = Value::from(altered.len());
    let manifest_file = dir.join("sig-manifest.json");
    fs::write(&manifest_file, serde_json::to_vec(&manifest).unwrap()).unwrap();
    oras.run(&[
        "manifest",
        "push",
        &sig_ref,
        manifest_file.to_str().unwrap(),
        "--media-type",
        "application/vnd.oci.image.manifest.v1+json",
    ]);
}

pub struct Ground {
    pub registry: Registry,
    pub cosign: Cosign,
    pub dir: tempfile::TempDir,
    /// tag → digest
    pub digests: BTreeMap<&'static str, String>,
}

pub fn build_ground(registry: Registry) -> Ground {
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v2();
    let stranger = Cosign::v2();
    let dir = tempfile::tempdir().unwrap();
    let cyclonedx = sbom("cyclonedx.json");
    let spdx = sbom("spdx.json");
    let mut digests = BTreeMap::new();
    let by_digest = |digest: &str| registry.reference(&format!("app@{digest}"));

    let legacy = image(&oras, dir.path(), &registry, "app", "legacy", "amd64");
    oras.run(&["tag", &registry.reference("app:legacy"), "latest"]);
    cosign.sign(&by_digest(&legacy), CosignMode::LegacyTags);
    cosign.attest(
        &by_digest(&legacy),
        CosignMode::LegacyTags,
        "cyclonedx",
        &cyclonedx,
    );
    digests.insert("legacy", legacy);

    let oci11 = image(&oras, dir.path(), &registry, "app", "oci11", "arm64");
    cosign.sign(&by_digest(&oci11), CosignMode::Oci11Referrers);
    cosign.attach_sbom(
        &by_digest(&oci11),
        CosignMode::Oci11Referrers,
        &spdx,
        "spdx",
    );
    digests.insert("oci11", oci11);

    let bundle = image(&oras, dir.path(), &registry, "app", "bundle", "386");
    cosign.sign(&by_digest(&bundle), CosignMode::Bundle);
    cosign.attest(
        &by_digest(&bundle),
        CosignMode::Bundle,
        "cyclonedx",
        &cyclonedx,
    );
    digests.insert("bundle", bundle);

    let unsigned = image(&oras, dir.path(), &registry, "app", "unsigned", "ppc64le");
    digests.insert("unsigned", unsigned);

    let other_key = image(&oras, dir.path(), &registry, "app", "other-key", "s390x");
    stranger.sign(&by_digest(&other_key), CosignMode::LegacyTags);
    digests.insert("other-key", other_key);

    let altered = image(&oras, dir.path(), &registry, "app", "altered", "riscv64");
    cosign.sign(&by_digest(&altered), CosignMode::LegacyTags);
    alter_signature_payload(&oras, dir.path(), &registry, "app", &altered);
    digests.insert("altered", altered);

    // Another image's valid signature, tagged as this one's: it verifies
    // with the key but names the other image.
    let copied = image(&oras, dir.path(), &registry, "app", "copied", "mips64le");
    oras.run(&[
        "tag",
        &registry.reference(&format!("app:{}.sig", fallback_tag(&digests["legacy"]))),
        &format!("{}.sig", fallback_tag(&copied)),
    ]);
    digests.insert("copied", copied);

    // An index of two platform images; only linux/arm64 gets an SBOM.
    let amd64 = image(&oras, dir.path(), &registry, "multi", "amd64", "amd64");
    let arm64 = image(&oras, dir.path(), &registry, "multi", "arm64", "arm64");
    oras.run(&[
        "manifest",
        "index",
        "create",
        &registry.reference("multi:v1"),
        &amd64,
        &arm64,
    ]);
    oras.run_in(
        cyclonedx.parent().unwrap(),
        &[
            "attach",
            "--platform",
            "linux/arm64",
            "--artifact-type",
            "application/vnd.cyclonedx+json",
            &registry.reference("multi:v1"),
            "cyclonedx.json:application/vnd.cyclonedx+json",
        ],
    );
    Ground {
        registry,
        cosign,
        dir,
        digests,
    }
}
