//! GitLab reads a `sha256-<hex>` tag as the digest itself, so a naive
//! fallback lists an index's own platforms as its referrers; Harbor's
//! `OCI-Filters-Applied` carries the asked-for type instead of the word
//! `artifactType`. The fault proxy plays both in front of real registries:
//! doctor flags each, and the graph regscope shows, attaches to and copies
//! stays whole and free of bogus referrers.

use crate::cli::{regscope_json, regscope_output};
use crate::doctor::{doctor_json, expect, summary};
use crate::doctor_lookalikes::{attach, referrer_digests, whole_graph_seen};
use crate::support::{FaultProxy, Fixture, Oras, Quirk, Registry, Rule, fallback_tag};

fn gitlab(registry: &Registry) -> FaultProxy {
    FaultProxy::with_rules(
        registry.host(),
        vec![
            Rule::any()
                .path("/manifests/sha256-")
                .quirk(Quirk::FallbackTagAsDigest),
        ],
    )
}

/// GitLab as it is: no referrers API. Its fallback tag serves the index
/// itself; regscope shows no referrers rather than the platforms, refuses
/// to attach (writing there would be a lie or an error), and leaves the
/// registry as it was.
#[test]
fn a_fallback_tag_read_as_a_digest_is_not_an_index_of_referrers() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let proxy = gitlab(&registry);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let index = fixture
        .multi_ref()
        .replacen(registry.host(), &proxy.host(), 1);

    let tree = regscope_json(dir, &["tree", "--format", "json", &index]);
    let listed = referrer_digests(&tree);
    for platform in [&fixture.multi_amd64, &fixture.multi_arm64] {
        assert!(
            !listed.contains(platform),
            "a platform shown as a referrer: {tree:#}"
        );
    }
    let report = doctor_json(dir, &[&index]);
    expect(
        &report,
        &[("fallback-tags", "fail"), ("referrers-api", "warn")],
    );
    assert!(
        summary(&report, "fallback-tags").contains("GitLab"),
        "{report:#}"
    );
    let plain = doctor_json(dir, &[&fixture.multi_ref()]);
    expect(&plain, &[("fallback-tags", "pass")]);

    let before = Oras::new().output(&[
        "manifest",
        "fetch",
        &format!(
            "{}/multi:{}",
            registry.host(),
            fallback_tag(&fixture.multi_index)
        ),
    ]);
    std::fs::write(dir.join("sig.json"), "{}\n").unwrap();
    let refused = regscope_output(
        dir,
        &[
            "attach",
            "--artifact-type",
            "signature/example",
            &index,
            "sig.json",
        ],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "attach must refuse here");
    assert!(
        stderr.contains("resolves to the subject itself"),
        "{stderr}"
    );
    let after = Oras::new().output(&[
        "manifest",
        "fetch",
        &format!(
            "{}/multi:{}",
            registry.host(),
            fallback_tag(&fixture.multi_index)
        ),
    ]);
    assert_eq!(
        before.stdout, after.stdout,
        "the real fallback index is untouched"
    );

    let copy = format!("{}/copy:v1", proxy.host());
    regscope_output(dir, &["cp", "-r", &index, &copy]);
    let copied = regscope_json(dir, &["tree", "--format", "json", &copy]);
    let listed = referrer_digests(&copied);
    for platform in [&fixture.multi_amd64, &fixture.multi_arm64] {
        assert!(
            !listed.contains(platform),
            "a platform copied as a referrer: {copied:#}"
        );
    }
}

/// The same quirk on a registry with the referrers API: the API is the
/// answer, the fallback tag's subject is ignored, and attach, discover,
/// tree and copy see the whole graph.
#[test]
fn with_the_api_a_fallback_tag_read_as_a_digest_does_not_matter() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let proxy = gitlab(&registry);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let index = fixture
        .multi_ref()
        .replacen(registry.host(), &proxy.host(), 1);
    let report = doctor_json(dir, &[&index]);
    expect(
        &report,
        &[("referrers-api", "pass"), ("fallback-tags", "fail")],
    );

    let ours = attach(dir, &index, "sbom/example", "sbom.json");
    let copy = format!("{}/copy:v1", proxy.host());
    whole_graph_seen(
        dir,
        &Oras::new(),
        &index,
        &copy,
        &[fixture.multi_signature.clone(), ours],
    );
}

/// Harbor filters, but says so with the type's value: regscope does not
/// take the header for a filter claim and checks types itself; doctor
/// flags the header.
#[test]
fn a_filter_header_carrying_the_type_is_flagged_and_survived() {
    let registry = Registry::olareg();
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/referrers/").quirk(Quirk::FilterHeaderValue)],
    );
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    crate::doctor::seed_app(&registry, dir);
    let report = doctor_json(dir, &[&format!("{}/app", proxy.host())]);
    expect(
        &report,
        &[("referrers-api", "pass"), ("referrers-filter", "warn")],
    );
    assert!(
        summary(&report, "referrers-filter").contains(regscope::doctor::PROBE_ARTIFACT_TYPE),
        "{report:#}"
    );

    let image = format!("{}/app:a", proxy.host());
    let signature = attach(dir, &image, "signature/example", "sig.json");
    let sbom = attach(dir, &image, "sbom/example", "sbom.json");
    let only = regscope_json(
        dir,
        &[
            "tree",
            "--format",
            "json",
            "--artifact-type",
            "sbom/example",
            &image,
        ],
    );
    assert_eq!(referrer_digests(&only), vec![sbom.clone()], "{only:#}");
    let copy = format!("{}/copy:a", proxy.host());
    whole_graph_seen(dir, &Oras::new(), &image, &copy, &[signature, sbom]);
}
