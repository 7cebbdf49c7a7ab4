//! What public registries do that no test registry does, played by the
//! fault proxy in front of real ones: Docker Hub's `OCI-Subject` without a
//! referrers API, GHCR's missing catalog, Quay's 404 for an unknown
//! subject. For each, doctor flags it, and `attach` then `oras discover`,
//! `tree` and `cp -r` still see the whole graph. (Harbor and GitLab are in
//! `doctor_gitlab`.)

use std::path::Path;

use serde_json::Value;

use crate::cli::{regscope, regscope_json};
use crate::doctor::{doctor_json, expect, seed_app, summary};
use crate::support::{FaultProxy, Oras, Quirk, Registry, Rule};

/// The digests of a tree's referrers, all levels, sorted.
pub fn referrer_digests(tree: &Value) -> Vec<String> {
    fn walk(node: &Value, out: &mut Vec<String>) {
        for child in node["referrers"].as_array().into_iter().flatten() {
            out.push(child["digest"].as_str().unwrap_or_default().to_owned());
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut out);
    out.sort();
    out
}

/// `regscope attach` of one file; returns the new referrer's digest.
pub fn attach(dir: &Path, image: &str, artifact_type: &str, file: &str) -> String {
    std::fs::write(dir.join(file), format!("{artifact_type} for {image}\n")).unwrap();
    let printed = regscope(
        dir,
        &["attach", "--artifact-type", artifact_type, image, file],
    );
    printed
        .trim()
        .rsplit_once('@')
        .map(|(_, digest)| digest.to_owned())
        .unwrap_or_else(|| panic!("attach printed {printed:?}"))
}

/// `attach` then `oras discover`, `tree` and `cp -r`: each sees `expected`.
pub fn whole_graph_seen(dir: &Path, oras: &Oras, image: &str, copy: &str, expected: &[String]) {
    let mut expected = expected.to_vec();
    expected.sort();
    let discovered = oras.json(&["discover", "--format", "json", image]);
    assert_eq!(
        referrer_digests(&discovered),
        expected,
        "oras discover: {discovered:#}"
    );
    let tree = regscope_json(dir, &["tree", "--format", "json", image]);
    assert_eq!(referrer_digests(&tree), expected, "tree: {tree:#}");
    regscope(dir, &["cp", "-r", image, copy]);
    let copied = regscope_json(dir, &["tree", "--format", "json", copy]);
    assert_eq!(
        referrer_digests(&copied),
        expected,
        "tree of the copy: {copied:#}"
    );
    let copied = oras.json(&["discover", "--format", "json", copy]);
    assert_eq!(
        referrer_digests(&copied),
        expected,
        "oras discover of the copy: {copied:#}"
    );
}

/// Docker Hub sent `OCI-Subject` without serving the referrers API: oras
/// trusts the header, writes no fallback index, and its referrer is listed
/// nowhere; regscope asks the API, finds none, and writes the index.
#[test]
fn an_oci_subject_header_without_the_api_loses_nothing() {
    let registry = Registry::distribution();
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![
            Rule::new("PUT", "/manifests/")
                .request_body_contains("\"subject\"")
                .quirk(Quirk::EchoSubject),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let oras = Oras::new();
    std::fs::write(dir.join("image.json"), "{}\n").unwrap();
    std::fs::write(dir.join("oras.txt"), "attached by oras\n").unwrap();
    let image = format!("{}/app:v1", proxy.host());
    oras.run_in(dir, &["push", &image, "image.json"]);

    let by_oras = oras.run_in(
        dir,
        &[
            "attach",
            "--artifact-type",
            "doc/example",
            "--format",
            "go-template={{.digest}}",
            &image,
            "oras.txt",
        ],
    );
    let lost = oras.json(&["discover", "--format", "json", &image]);
    assert!(
        referrer_digests(&lost).is_empty(),
        "oras trusted OCI-Subject and its referrer {} is listed nowhere: {lost:#}",
        by_oras.trim()
    );

    let ours = attach(dir, &image, "signature/example", "sig.json");
    let copy = format!("{}/copy:v1", proxy.host());
    whole_graph_seen(dir, &oras, &image, &copy, &[ours]);

    let report = doctor_json(dir, &[&proxy.host(), "--write"]);
    expect(
        &report,
        &[
            ("referrers-api", "warn"),
            ("subject-header", "fail"),
            ("fallback-tags", "pass"),
        ],
    );
    assert!(
        summary(&report, "subject-header").contains("Docker Hub"),
        "{report:#}"
    );
    // The same registry without the quirk: the header check passes.
    let honest = doctor_json(dir, &[registry.host(), "--write"]);
    expect(&honest, &[("subject-header", "pass")]);
}

/// GHCR and Docker Hub refuse `_catalog`: doctor says listing the
/// registry is not possible, and everything that names a repository works.
#[test]
fn a_registry_without_a_catalog() {
    let registry = Registry::distribution();
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![
            Rule::new("GET", "/_catalog")
                .status(404)
                .body(r#"{"errors":[{"code":"NOT_FOUND","message":"404 page not found"}]}"#),
        ],
    );
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    seed_app(&registry, dir);
    let report = doctor_json(dir, &[&format!("{}/app", proxy.host())]);
    expect(
        &report,
        &[
            ("catalog", "warn"),
            ("tags-list", "pass"),
            ("referrers-api", "warn"),
        ],
    );
    assert!(
        summary(&report, "catalog").contains("name one"),
        "{report:#}"
    );
    let direct = doctor_json(dir, &[&registry.reference("app")]);
    expect(&direct, &[("catalog", "pass")]);

    let image = format!("{}/app:a", proxy.host());
    let ours = attach(dir, &image, "sbom/example", "sbom.json");
    let copy = format!("{}/copy:a", proxy.host());
    whole_graph_seen(dir, &Oras::new(), &image, &copy, &[ours]);
}

/// Quay answers 404 for referrers of a subject it does not have. Doctor's
/// zero-digest probe alone cannot tell that from no API; with a manifest
/// to ask about it finds the API, and warns about the 404.
#[test]
fn a_404_for_an_unknown_subject_is_not_a_missing_api() {
    let registry = Registry::olareg();
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/referrers/").quirk(Quirk::UnknownSubjectNotFound)],
    );
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    seed_app(&registry, dir);
    let report = doctor_json(dir, &[&format!("{}/app", proxy.host())]);
    assert_eq!(report["referrersMode"], "api", "{report:#}");
    expect(
        &report,
        &[
            ("referrers-api", "pass"),
            ("referrers-unknown-subject", "warn"),
        ],
    );
    assert!(
        summary(&report, "referrers-unknown-subject").contains("Quay"),
        "{report:#}"
    );
    // Nothing but the zero digest to ask about: undecided, not "no API".
    let alone = doctor_json(dir, &[&proxy.host()]);
    expect(&alone, &[("referrers-api", "warn")]);

    let image = format!("{}/app:a", proxy.host());
    let ours = attach(dir, &image, "signature/example", "sig.json");
    let tags = regscope(dir, &["ls", &format!("{}/app", registry.host()), "--all"]);
    assert!(
        !tags.contains("sha256-"),
        "no fallback index was written: {tags}"
    );
    let copy = format!("{}/copy:a", proxy.host());
    whole_graph_seen(dir, &Oras::new(), &image, &copy, &[ours]);
}
