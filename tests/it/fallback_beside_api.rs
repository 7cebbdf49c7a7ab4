//! A registry with the referrers API can still hold a `sha256-<hex>`
//! fallback index the API does not show: written while the registry had
//! no API, or by a tool told to use the tag schema (notation's default
//! `--force-referrers-tag`, `oras --distribution-spec v1.1-referrers-tag`)
//! on a registry that, unlike olareg, does not index what it did not see
//! through a manifest PUT. The fault proxy in front of olareg plays such a
//! registry: its referrers API answers with an empty index. The graph has
//! one answer, so `tree` lists what the tag holds, and `rm
//! --with-referrers` deletes it and takes it out of that index.

use serde_json::Value;

use crate::cli::{regscope, regscope_json};
use crate::support::{FaultProxy, Oras, Registry, Rule};

const EMPTY_INDEX: &str =
    r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;

fn referrer_digests(node: &Value, out: &mut Vec<String>) {
    for child in node["referrers"].as_array().into_iter().flatten() {
        out.push(child["digest"].as_str().unwrap_or_default().to_owned());
        referrer_digests(child, out);
    }
}

#[test]
fn a_referrer_only_in_the_fallback_tag_is_part_of_the_graph() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("image.json"), "{}\n").unwrap();
    std::fs::write(work.path().join("sig.txt"), "signature\n").unwrap();
    let image = registry.reference("app:v1");
    oras.run_in(work.path(), &["push", &image, "image.json"]);
    let signature = oras.run_in(
        work.path(),
        &[
            "attach",
            "--distribution-spec",
            "v1.1-referrers-tag",
            "--artifact-type",
            "application/vnd.example.signature",
            "--format",
            "go-template={{.digest}}",
            &image,
            "sig.txt",
        ],
    );
    let signature = signature.trim().to_owned();
    let proxy = FaultProxy::start(registry.host());
    proxy.add_rule(
        Rule::new("GET", "/referrers/")
            .status(200)
            .header("Content-Type", "application/vnd.oci.image.index.v1+json")
            .body(EMPTY_INDEX),
    );
    let through_proxy = image.replacen(registry.host(), &proxy.host(), 1);

    let tree = regscope_json(work.path(), &["tree", "--format", "json", &through_proxy]);
    let mut seen = Vec::new();
    referrer_digests(&tree, &mut seen);
    assert_eq!(seen, std::slice::from_ref(&signature), "{tree}");
    // Found although the API answered with an empty list.
    assert!(proxy.rule_hits(0) > 0, "{:?}", proxy.requests());

    regscope(
        work.path(),
        &["rm", "--with-referrers", "-y", &through_proxy],
    );
    let fallback_tag = tree["digest"]
        .as_str()
        .unwrap_or_default()
        .replace("sha256:", "sha256-");
    let index = oras
        .output(&[
            "manifest",
            "fetch",
            &registry.reference(&format!("app:{fallback_tag}")),
        ])
        .stdout;
    assert!(
        !String::from_utf8_lossy(&index).contains(&signature),
        "the fallback index no longer lists the deleted signature"
    );
}
