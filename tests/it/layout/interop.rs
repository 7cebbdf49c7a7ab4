//! `LayoutStore` against the real ORAS CLI on the same OCI layout:
//! what `oras push/attach --oci-layout` writes reads back the same through
//! the store, and what the store writes `oras discover` and `oras pull` see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regscope::oci::{Descriptor, Digest};
use regscope::store::Store;
use regscope::store::layout::LayoutStore;
use serde_json::Value;

use super::{blob_bytes, push_artifact, tags};
use crate::support::Oras;

/// `oras discover` as a map: each manifest's digest to its referrers'
/// descriptors (without oras's own `reference`/`referrers` keys).
fn discovered(node: &Value, out: &mut BTreeMap<String, Vec<Value>>) {
    let mut children = Vec::new();
    for child in node["referrers"].as_array().into_iter().flatten() {
        let mut descriptor = child.clone();
        let object = descriptor.as_object_mut().unwrap();
        object.remove("reference");
        object.remove("referrers");
        children.push(descriptor);
        discovered(child, out);
    }
    children.sort_by_key(|d| d["digest"].as_str().unwrap().to_owned());
    out.insert(node["digest"].as_str().unwrap().to_owned(), children);
}

/// The same map, built by walking the store's referrers.
async fn walked(
    store: &LayoutStore,
    repo: &str,
    root: &Digest,
    out: &mut BTreeMap<String, Vec<Value>>,
) {
    let mut pending = vec![root.clone()];
    while let Some(digest) = pending.pop() {
        let referrers = store.referrers(repo, &digest, None).await.unwrap();
        assert!(referrers.warnings.is_empty(), "{:?}", referrers.warnings);
        let mut children: Vec<Value> = referrers
            .descriptors
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect();
        children.sort_by_key(|d| d["digest"].as_str().unwrap().to_owned());
        pending.extend(referrers.descriptors.into_iter().map(|d| d.digest));
        out.insert(digest.to_string(), children);
    }
}

fn attach(oras: &Oras, dir: &Path, target: &str, artifact_type: &str, files: &[&str]) -> String {
    let mut args = vec![
        "attach",
        "--oci-layout",
        target,
        "--artifact-type",
        artifact_type,
        "--format",
        "json",
    ];
    args.extend_from_slice(files);
    oras.json_in(dir, &args)["digest"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_graph_pushed_by_oras_reads_back_the_same() {
    let oras = Oras::new();
    let work = tempfile::tempdir().unwrap();
    let files = work.path();
    let (layout, target, readme) = push_graph_with_oras(&oras, files);

    let store = LayoutStore::open(&layout).unwrap();
    let repo = store.single_repository().unwrap().to_owned();
    assert_eq!(repo, "net-monitor");
    let oras_tags: Vec<String> = oras
        .run(&[
            "repo",
            "tags",
            "--oci-layout",
            &layout.display().to_string(),
        ])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(tags(&store, &repo).await, oras_tags);

    // Same descriptor for the tag as `oras manifest fetch --descriptor`.
    let oras_descriptor: Descriptor = serde_json::from_value(oras.json(&[
        "manifest",
        "fetch",
        "--oci-layout",
        &target,
        "--descriptor",
    ]))
    .unwrap();
    let resolved = store.resolve(&repo, "v1").await.unwrap();
    assert_eq!(resolved, oras_descriptor);

    // Same referrer graph, descriptor for descriptor, at every depth.
    let tree = oras.json(&["discover", "--oci-layout", &target, "--format", "json"]);
    let mut expected = BTreeMap::new();
    discovered(&tree, &mut expected);
    let mut actual = BTreeMap::new();
    walked(&store, &repo, &resolved.digest, &mut actual).await;
    assert_eq!(actual, expected);
    assert_eq!(
        actual.len(),
        5,
        "image, signature, sbom, sbom signature, readme"
    );

    // The readme's files come back byte for byte; the directory is the
    // tar+gzip blob ORAS annotated for unpacking.
    let manifest = store.fetch_manifest(&repo, &readme).await.unwrap();
    let file = manifest
        .layers
        .iter()
        .find(|l| l.title() == Some("readme.md"))
        .unwrap();
    assert_eq!(blob_bytes(&store, &repo, file).await, b"# read me\n");
    let dir = manifest
        .layers
        .iter()
        .find(|l| l.title() == Some("details"))
        .unwrap();
    assert_eq!(dir.annotation("io.deis.oras.content.unpack"), Some("true"));
    let gz = blob_bytes(&store, &repo, dir).await;
    assert_eq!(Digest::sha256_of(&gz), dir.digest);
}

/// An image in a new layout under `files`, with a signature, an SBOM with
/// its own signature, and a readme of a file and a directory, all pushed by
/// oras; the layout, its `DIR:v1` reference and the readme's digest.
fn push_graph_with_oras(oras: &Oras, files: &Path) -> (PathBuf, String, String) {
    std::fs::write(files.join("image.txt"), b"an image stand-in").unwrap();
    std::fs::write(files.join("sig.json"), br#"{"signature":"abc"}"#).unwrap();
    std::fs::write(
        files.join("sbom.json"),
        br#"{"bomFormat":"CycloneDX","components":[]}"#,
    )
    .unwrap();
    std::fs::write(files.join("readme.md"), b"# read me\n").unwrap();
    std::fs::create_dir_all(files.join("details")).unwrap();
    std::fs::write(files.join("details/notes.txt"), b"notes\n").unwrap();
    let layout = files.join("net-monitor");
    let target = format!("{}:v1", layout.display());

    oras.run_in(
        files,
        &[
            "push",
            "--oci-layout",
            &target,
            "--artifact-type",
            "test/image",
            "image.txt",
        ],
    );
    attach(oras, files, &target, "signature/example", &["sig.json"]);
    let sbom = attach(oras, files, &target, "sbom/example", &["sbom.json"]);
    let sbom_target = format!("{}@{sbom}", layout.display());
    attach(
        oras,
        files,
        &sbom_target,
        "signature/example",
        &["sig.json"],
    );
    let readme = attach(
        oras,
        files,
        &target,
        "readme/example",
        &["readme.md", "details"],
    );
    (layout, target, readme)
}

#[tokio::test]
async fn an_artifact_pushed_by_the_store_is_seen_and_pulled_by_oras() {
    let oras = Oras::new();
    let work = tempfile::tempdir().unwrap();
    let layout = work.path().join("app");
    let store = LayoutStore::create(&layout).unwrap();
    let repo = store.single_repository().unwrap().to_owned();
    let image = push_artifact(
        &store,
        &repo,
        "test/image",
        ("app.bin", b"\x00\x01binary"),
        None,
        Some("v1"),
    )
    .await;
    let sbom_bytes =
        br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"musl"}]}"#;
    let sbom = push_artifact(
        &store,
        &repo,
        "application/vnd.cyclonedx+json",
        ("sbom.cdx.json", sbom_bytes),
        Some(&image.descriptor()),
        None,
    )
    .await;

    let target = format!("{}:v1", layout.display());
    let tree = oras.json(&["discover", "--oci-layout", &target, "--format", "json"]);
    assert_eq!(tree["digest"], image.digest().to_string());
    let referrers = tree["referrers"].as_array().unwrap();
    assert_eq!(referrers.len(), 1, "{tree:#}");
    assert_eq!(referrers[0]["digest"], sbom.digest().to_string());
    assert_eq!(
        referrers[0]["artifactType"],
        "application/vnd.cyclonedx+json"
    );
    assert_eq!(
        oras.run(&[
            "repo",
            "tags",
            "--oci-layout",
            &layout.display().to_string()
        ])
        .trim(),
        "v1"
    );

    let pinned = format!("{}@{}", layout.display(), sbom.digest());
    let raw = oras.output(&["manifest", "fetch", "--oci-layout", &pinned]);
    assert!(
        raw.status.success(),
        "{}",
        String::from_utf8_lossy(&raw.stderr)
    );
    assert_eq!(
        raw.stdout,
        sbom.raw().to_vec(),
        "the manifest bytes are the store's"
    );
    let out = work.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    oras.run_in(&out, &["pull", "--oci-layout", &pinned, "-o", "."]);
    assert_eq!(
        std::fs::read(out.join("sbom.cdx.json")).unwrap(),
        sbom_bytes
    );

    // And the store reads what ORAS attaches next to its own, even after a
    // scan it remembers (ORAS rewrites index.json in place).
    let before = store.referrers(&repo, image.digest(), None).await.unwrap();
    assert_eq!(before.descriptors, vec![sbom.descriptor()]);
    let sig_dir = work.path().join("files");
    std::fs::create_dir_all(&sig_dir).unwrap();
    std::fs::write(sig_dir.join("sig.json"), b"{}").unwrap();
    let sig = attach(&oras, &sig_dir, &target, "signature/example", &["sig.json"]);
    let found = store.referrers(&repo, image.digest(), None).await.unwrap();
    let digests: Vec<String> = found
        .descriptors
        .iter()
        .map(|d| d.digest.to_string())
        .collect();
    assert_eq!(digests.len(), 2);
    assert!(
        digests.contains(&sig) && digests.contains(&sbom.digest().to_string()),
        "{digests:?}"
    );
}
