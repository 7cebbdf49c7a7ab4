//! `cp -r` within a registry, across registries, to a layout, of an index
//! and of some referrer types, each compared with `oras discover`; the
//! listings after it; and `rm --with-referrers` of the copy.

use std::path::Path;

use serde_json::Value;

use super::{
    normalised, oras_tree, regscope, regscope_json, regscope_output, tree_json, without_references,
};
use crate::support::fixture::SBOM_TYPE;
use crate::support::{Fixture, Oras, Registry, fallback_tag, http_get, media};

#[test]
fn copy_with_referrers_then_delete_with_referrers() {
    let source = Registry::distribution();
    let other = Registry::olareg();
    let fixture = Fixture::seed(&source);
    let oras_source = Oras::for_registry(&source);
    let oras_other = Oras::for_registry(&other);
    let work = tempfile::tempdir().unwrap();
    let original = without_references(oras_tree(&oras_source, &fixture.image_ref()));

    // Within a registry (mounts), across registries, and to a layout.
    let staging = source.reference("staging/net-monitor:v1");
    let copied = regscope_output(work.path(), &["cp", "-r", &fixture.image_ref(), &staging]);
    let said = String::from_utf8_lossy(&copied.stderr).into_owned();
    assert!(copied.status.success(), "{said}");
    assert_eq!(
        without_references(oras_tree(&oras_source, &staging)),
        original,
        "regscope said:\n{said}"
    );
    let elsewhere = other.reference("net-monitor:v1");
    regscope(work.path(), &["cp", "-r", &fixture.image_ref(), &elsewhere]);
    assert_eq!(
        without_references(oras_tree(&oras_other, &elsewhere)),
        original
    );
    copy_to_a_layout(work.path(), &oras_source, &fixture.image_ref(), &original);
    // An index with its platform manifests, and only some referrer types.
    let multi_copy = other.reference("multi:v1");
    regscope(
        work.path(),
        &["cp", "-r", &fixture.multi_ref(), &multi_copy],
    );
    assert_eq!(
        without_references(oras_tree(&oras_other, &multi_copy)),
        without_references(oras_tree(&oras_source, &fixture.multi_ref()))
    );
    let only_sboms = other.reference("sboms-only:v1");
    regscope(
        work.path(),
        &[
            "cp",
            "-r",
            "--artifact-type",
            SBOM_TYPE,
            &fixture.image_ref(),
            &only_sboms,
        ],
    );
    let copied = oras_tree(&oras_other, &only_sboms);
    assert_eq!(copied["referrers"].as_array().unwrap().len(), 1);
    assert_eq!(copied["referrers"][0]["digest"], fixture.sbom.as_str());

    listings(work.path(), &source, &fixture);
    delete_the_copy(work.path(), &source, &oras_source, &fixture, &staging);
    // The original is untouched.
    assert_eq!(
        without_references(oras_tree(&oras_source, &fixture.image_ref())),
        original
    );
}

/// `cp -r` to an OCI layout: on it, `tree` and `oras discover` agree field
/// for field, and the referrers are the source's.
fn copy_to_a_layout(work: &Path, oras_source: &Oras, image: &str, original: &Value) {
    let layout = work.join("layout");
    let layout_ref = format!("oci:{}:v1", layout.display());
    regscope(work, &["cp", "-r", image, &layout_ref]);
    let from_layout = oras_source.json(&[
        "discover",
        "--oci-layout",
        &format!("{}:v1", layout.display()),
        "--format",
        "json",
    ]);
    // On the layout, `tree` and `oras discover` agree field for field.
    let layout_arg = format!("{}:v1", layout.display());
    assert_eq!(
        tree_json(work, &layout_ref),
        normalised(oras_source.json(&[
            "discover",
            "--oci-layout",
            &layout_arg,
            "--format",
            "json"
        ]))
    );
    // oras shows the layout's index.json entry (with its ref.name) as the
    // root; the referrers below must be the same.
    let mut from_layout = without_references(from_layout);
    from_layout.as_object_mut().unwrap().remove("annotations");
    let mut expected = original.clone();
    expected.as_object_mut().unwrap().remove("annotations");
    assert_eq!(from_layout, expected);
}

/// Listings: repositories, and tags with the fallback tags kept apart.
fn listings(work: &Path, source: &Registry, fixture: &Fixture) {
    let repositories = regscope_json(work, &["ls", source.host(), "--format", "json"]);
    let repositories = repositories["repositories"].as_array().unwrap();
    assert!(
        repositories.iter().any(|r| r == "staging/net-monitor"),
        "{repositories:?}"
    );
    let tags = regscope(work, &["ls", &source.reference("net-monitor")]);
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1"]);
    let all = regscope(work, &["ls", &source.reference("net-monitor"), "--all"]);
    assert!(
        all.lines().any(|t| t == fallback_tag(&fixture.image)),
        "{all}"
    );
}

/// Deleting the staging copy's graph: refused without -y off a terminal,
/// then nothing of it is left, its fallback tag included.
fn delete_the_copy(
    work: &Path,
    source: &Registry,
    oras_source: &Oras,
    fixture: &Fixture,
    staging: &str,
) {
    let refused = crate::cli::regscope_output(work, &["rm", "--with-referrers", staging]);
    assert!(!refused.status.success());
    regscope(work, &["rm", "--with-referrers", "-y", staging]);
    let gone = oras_source.output(&["discover", staging, "--format", "json"]);
    assert!(!gone.status.success(), "the manifest is still there");
    let subject = format!(
        "/v2/staging/net-monitor/manifests/{}",
        fallback_tag(&fixture.image)
    );
    let reply = http_get(source.host(), &subject, &[("Accept", media::ACCEPT_ALL)]);
    assert!(
        reply.status == 404
            || reply.json()["manifests"]
                .as_array()
                .is_none_or(Vec::is_empty),
        "fallback tag left with referrers: {}",
        reply.text()
    );
    for digest in [
        &fixture.signature,
        &fixture.sbom,
        &fixture.sbom_signature,
        &fixture.readme,
    ] {
        let path = format!("/v2/staging/net-monitor/manifests/{digest}");
        assert_eq!(
            http_get(source.host(), &path, &[("Accept", media::ACCEPT_ALL)]).status,
            404
        );
    }
}
