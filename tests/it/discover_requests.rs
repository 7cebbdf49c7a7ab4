//! What discovery asks a registry without the referrers API: the complete
//! tag list says which subjects have a `sha256-<hex>` fallback index, so a
//! leaf costs its manifest and nothing more, and the tree is still the one
//! `oras discover` shows.

use std::process::Command;

use crate::support::{FaultProxy, Oras, Registry};

/// `graph:v1` with 2 referrers, each with 1 of its own; returns the
/// reference.
fn push_graph(registry: &Registry) -> String {
    let oras = Oras::for_registry(registry);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("image.json"), "{}\n").unwrap();
    std::fs::write(work.path().join("note.txt"), "note\n").unwrap();
    let image = registry.reference("graph:v1");
    oras.run_in(work.path(), &["push", &image, "image.json"]);
    for first in ["a", "b"] {
        let digest = oras.run_in(
            work.path(),
            &[
                "attach",
                "--artifact-type",
                &format!("application/vnd.example.{first}"),
                "--format",
                "go-template={{.digest}}",
                &image,
                "note.txt",
            ],
        );
        let subject = registry.reference(&format!("graph@{}", digest.trim()));
        oras.run_in(
            work.path(),
            &[
                "attach",
                "--artifact-type",
                "application/vnd.example.leaf",
                &subject,
                "note.txt",
            ],
        );
    }
    image
}

#[test]
fn leaves_cost_no_fallback_tag_request() {
    let registry = Registry::distribution();
    let image = push_graph(&registry);
    let proxy = FaultProxy::start(registry.host());
    let through_proxy = image.replacen(registry.host(), &proxy.host(), 1);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(["tree", "--format", "json", &through_proxy])
        .env("HOME", home.path())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let oras = Oras::for_registry(&registry);
    let expected = oras.json(&["discover", "--format", "json", &image]);
    assert_eq!(digests(&tree), digests(&expected), "the same five nodes");
    assert_eq!(digests(&tree).len(), 5);

    let fallback_reads: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/manifests/sha256-"))
        .map(|r| r.path)
        .collect();
    // The image and its two referrers have fallback indexes; the two
    // leaves are absent from the tag list and are not asked for.
    assert_eq!(fallback_reads.len(), 3, "{fallback_reads:#?}");
}

fn digests(node: &serde_json::Value) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if let Some(digest) = node["digest"].as_str() {
            found.insert(digest.to_owned());
        }
        if let Some(children) = node["referrers"].as_array() {
            stack.extend(children);
        }
    }
    found
}
