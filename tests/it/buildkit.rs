//! BuildKit's attestations, stored inside the image index as manifests
//! annotated `vnd.docker.reference.type: attestation-manifest` (platform
//! `unknown/unknown`), each layer a bare in-toto statement announcing its
//! predicate type. No BuildKit runs here, so the index is built by hand to
//! BuildKit's published layout (docs/attestations/attestation-storage.md)
//! and pushed with oras.

use std::path::Path;

use serde_json::{Value, json};

use crate::cli::{regscope, regscope_output};
use crate::support::fixture::push_image;
use crate::support::{Oras, Registry, media, sha256_digest};

const IN_TOTO: &str = "application/vnd.in-toto+json";

fn spdx() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/data/sbom/spdx.json"))
        .unwrap()
}

/// A bare in-toto statement about `subject` whose predicate is `predicate`'s
/// bytes as they are (BuildKit writes the SBOM into the statement itself).
fn statement(subject: &str, predicate_type: &str, predicate: &[u8]) -> Vec<u8> {
    let hex = subject.trim_start_matches("sha256:");
    let mut out = format!(
        r#"{{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"{predicate_type}","subject":[{{"name":"pkg:docker/app@v1","digest":{{"sha256":"{hex}"}}}}],"predicate":"#
    )
    .into_bytes();
    out.extend_from_slice(predicate);
    out.push(b'}');
    out
}

/// Pushes `bytes` as a blob of `repo`; returns its descriptor.
fn blob(
    oras: &Oras,
    dir: &Path,
    repo: &str,
    media_type: &str,
    bytes: &[u8],
    annotations: Value,
) -> Value {
    let digest = sha256_digest(bytes);
    let path = dir.join(digest.trim_start_matches("sha256:"));
    std::fs::write(&path, bytes).unwrap();
    oras.run(&[
        "blob",
        "push",
        &format!("{repo}@{digest}"),
        path.to_str().unwrap(),
    ]);
    json!({"mediaType": media_type, "digest": digest, "size": bytes.len(), "annotations": annotations})
}

fn push_manifest(oras: &Oras, dir: &Path, reference: &str, document: &Value) -> (String, usize) {
    let bytes = serde_json::to_vec(document).unwrap();
    let path = dir.join("manifest.json");
    std::fs::write(&path, &bytes).unwrap();
    oras.run(&["manifest", "push", reference, path.to_str().unwrap()]);
    (sha256_digest(&bytes), bytes.len())
}

fn buildkit_index(registry: &Registry) -> (tempfile::TempDir, String, Vec<Vec<u8>>) {
    let oras = Oras::for_registry(registry);
    let work = tempfile::tempdir().unwrap();
    let repo = registry.reference("built");
    let mut entries = Vec::new();
    let mut predicates = Vec::new();
    for arch in ["amd64", "arm64"] {
        let (image, _, _, manifest) = push_image(
            &oras,
            work.path(),
            &registry.reference(&format!("built:{arch}")),
            arch,
            "linux",
            arch,
        );
        // Each platform's SBOM differs, so the test can tell them apart.
        let mut sbom = spdx().trim_ascii_end().to_vec();
        let insert = sbom.iter().position(|b| *b == b'{').unwrap() + 1;
        let marker = format!("\"comment\":\"{arch}\",");
        sbom.splice(insert..insert, marker.bytes());
        let sbom_layer = blob(
            &oras,
            work.path(),
            &repo,
            IN_TOTO,
            &statement(&image, "https://spdx.dev/Document", &sbom),
            json!({"in-toto.io/predicate-type": "https://spdx.dev/Document"}),
        );
        let provenance = blob(
            &oras,
            work.path(),
            &repo,
            IN_TOTO,
            &statement(
                &image,
                "https://slsa.dev/provenance/v0.2",
                br#"{"builder":{"id":"https://github.com/moby/buildkit"},"buildType":"https://mobyproject.org/buildkit@v1"}"#,
            ),
            json!({"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}),
        );
        let config = blob(
            &oras,
            work.path(),
            &repo,
            media::OCI_CONFIG,
            br#"{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"#,
            json!({}),
        );
        let attestation = json!({
            "schemaVersion": 2, "mediaType": media::OCI_MANIFEST,
            "config": config, "layers": [sbom_layer, provenance],
        });
        let (attestation_digest, attestation_size) = push_manifest(
            &oras,
            work.path(),
            &registry.reference(&format!("built:att-{arch}")),
            &attestation,
        );
        entries.push(
            json!({"mediaType": media::OCI_MANIFEST, "digest": image, "size": manifest.len(),
            "platform": {"os": "linux", "architecture": arch}}),
        );
        entries.push(
            json!({"mediaType": media::OCI_MANIFEST, "digest": attestation_digest,
            "size": attestation_size, "platform": {"os": "unknown", "architecture": "unknown"},
            "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                            "vnd.docker.reference.digest": image}}),
        );
        predicates.push(sbom);
    }
    let index = json!({"schemaVersion": 2, "mediaType": media::OCI_INDEX, "manifests": entries});
    push_manifest(&oras, work.path(), &registry.reference("built:v1"), &index);
    (work, registry.reference("built:v1"), predicates)
}

fn buildkit_sboms_are_the_platforms_sboms(registry: Registry) {
    let (work, index, predicates) = buildkit_index(&registry);
    let tree = regscope(work.path(), &["tree", &index]);
    assert!(tree.contains("BuildKit attestation"), "{tree}");

    let out = work.path().join("arm");
    let result = regscope_output(
        work.path(),
        &[
            "pull",
            &index,
            "--sbom",
            "--platform",
            "linux/arm64",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(
        std::fs::read(out.join("sbom.spdx.json")).unwrap() == predicates[1],
        "the arm64 SBOM, byte for byte as BuildKit embedded it"
    );
    assert!(stderr.contains("linux/arm64"), "{stderr}");

    let every = work.path().join("every");
    regscope(
        work.path(),
        &[
            "pull",
            &index,
            "--sbom",
            "--platform",
            "all",
            "-o",
            every.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(every.join("linux-amd64/sbom.spdx.json")).unwrap(),
        predicates[0]
    );
    assert_eq!(
        std::fs::read(every.join("linux-arm64/sbom.spdx.json")).unwrap(),
        predicates[1]
    );

    // Deleting the index with its referrers leaves BuildKit's entries to
    // the index and says so.
    let plan = regscope_output(work.path(), &["rm", "--with-referrers", "-y", &index]);
    let said = String::from_utf8_lossy(&plan.stderr);
    assert!(plan.status.success(), "{said}");
    assert!(said.contains("BuildKit attestation"), "{said}");
}

#[test]
fn buildkit_sboms_are_the_platforms_sboms_on_distribution() {
    buildkit_sboms_are_the_platforms_sboms(Registry::distribution());
}

#[test]
fn buildkit_sboms_are_the_platforms_sboms_on_olareg() {
    buildkit_sboms_are_the_platforms_sboms(Registry::olareg());
}
