//! Proves the test ground: on each registry the seeded scenario is what the
//! seeds show, seen by the real ORAS CLI, and it is stored the way that
//! registry stores referrers (referrers API or `sha256-<hex>` fallback tag).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::fixture::{
    IMAGE_REPO, MANY_TAGS, MANY_TAGS_REPO, README_TYPE, SBOM_TYPE, SIGNATURE_TYPE,
};
use crate::support::{Fixture, Oras, Registry, RegistryKind, fallback_tag, http_get, media};

fn referrers(node: &Value) -> &Vec<Value> {
    node["referrers"]
        .as_array()
        .unwrap_or_else(|| panic!("no `referrers` array in {node}"))
}

fn child<'a>(node: &'a Value, digest: &str) -> &'a Value {
    referrers(node)
        .iter()
        .find(|r| r["digest"] == digest)
        .unwrap_or_else(|| panic!("{digest} is not a referrer of {}", node["digest"]))
}

fn digests(list: &[Value]) -> BTreeSet<String> {
    list.iter()
        .map(|d| d["digest"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// GET a manifest (any type) by tag or digest, straight from the registry.
fn manifest(reg: &Registry, repo: &str, reference: &str) -> (u16, Value, Option<String>) {
    let r = http_get(
        reg.host(),
        &format!("/v2/{repo}/manifests/{reference}"),
        &[("Accept", media::ACCEPT_ALL)],
    );
    let ct = r.header("content-type").map(str::to_string);
    let body = if r.status == 200 {
        r.json()
    } else {
        Value::Null
    };
    (r.status, body, ct)
}

fn tags(oras: &Oras, reference: &str) -> Vec<String> {
    oras.run(&["repo", "tags", reference])
        .lines()
        .map(str::to_string)
        .collect()
}

/// `oras discover --format json <reference>`. olareg without the API answers
/// the referrers endpoint with 405, which oras does not take for "no API"
/// (only 404), so it is told to use the tag schema there.
fn discover_args(kind: RegistryKind, reference: &str) -> Vec<&str> {
    let mut args = vec!["discover", "--format", "json", reference];
    if kind == RegistryKind::OlaregFallback {
        args.extend(["--distribution-spec", "v1.1-referrers-tag"]);
    }
    args
}

/// The seeds' graph under `net-monitor:v1`, depth 2, as `oras discover` sees
/// it. `check_types`: ggcr's referrers API reports the config media type as
/// `artifactType`, so types are only checked elsewhere.
fn assert_seed_graph(oras: &Oras, fx: &Fixture, kind: RegistryKind) {
    let image_ref = fx.image_ref();
    let tree = oras.json(&discover_args(kind, &image_ref));
    let check_types = kind != RegistryKind::Ggcr;
    assert_eq!(tree["digest"], fx.image.as_str(), "{tree:#}");
    assert_eq!(
        digests(referrers(&tree)),
        set(&[&fx.signature, &fx.sbom, &fx.readme]),
        "referrers of the image: {tree:#}"
    );
    let sig = child(&tree, &fx.signature);
    let sbom = child(&tree, &fx.sbom);
    let readme = child(&tree, &fx.readme);
    assert!(referrers(sig).is_empty(), "{sig:#}");
    assert!(referrers(readme).is_empty(), "{readme:#}");
    assert_eq!(
        digests(referrers(sbom)),
        set(&[&fx.sbom_signature]),
        "the SBOM is signed: {sbom:#}"
    );
    let sbom_sig = child(sbom, &fx.sbom_signature);
    assert!(referrers(sbom_sig).is_empty());
    if check_types {
        assert_eq!(sig["artifactType"], SIGNATURE_TYPE);
        assert_eq!(sbom["artifactType"], SBOM_TYPE);
        assert_eq!(readme["artifactType"], README_TYPE);
        assert_eq!(sbom_sig["artifactType"], SIGNATURE_TYPE);
    }
}

/// `GET /v2/<repo>/referrers/<digest>`.
fn referrers_api(reg: &Registry, repo: &str, digest: &str) -> crate::support::HttpReply {
    http_get(
        reg.host(),
        &format!("/v2/{repo}/referrers/{digest}"),
        &[("Accept", media::OCI_INDEX)],
    )
}

fn assert_via_api(reg: &Registry, oras: &Oras, fx: &Fixture) {
    let r = referrers_api(reg, IMAGE_REPO, &fx.image);
    assert_eq!(r.status, 200, "{}: referrers API: {}", reg.kind(), r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with(media::OCI_INDEX)),
        "{:?}",
        r.headers
    );
    let index = r.json();
    assert_eq!(index["mediaType"], media::OCI_INDEX);
    assert_eq!(
        digests(index["manifests"].as_array().unwrap()),
        set(&[&fx.signature, &fx.sbom, &fx.readme])
    );
    let r = referrers_api(reg, IMAGE_REPO, &fx.sbom);
    assert_eq!(r.status, 200);
    assert_eq!(
        digests(r.json()["manifests"].as_array().unwrap()),
        set(&[&fx.sbom_signature])
    );
    if reg.kind() == RegistryKind::Olareg {
        // The registry indexes referrers itself (it answers pushes with
        // `OCI-Subject`), so ORAS wrote no fallback tag.
        let tags = tags(oras, &reg.reference(IMAGE_REPO));
        assert!(
            !tags.iter().any(|t| t.starts_with("sha256-")),
            "no fallback tags on a registry with the API: {tags:?}"
        );
    }
}

fn assert_via_fallback(reg: &Registry, oras: &Oras, fx: &Fixture) {
    let r = referrers_api(reg, IMAGE_REPO, &fx.image);
    // distribution: 404 (as the spec says); olareg with the API off: 405.
    let no_api = if reg.kind() == RegistryKind::OlaregFallback {
        405
    } else {
        404
    };
    assert_eq!(
        r.status,
        no_api,
        "{} has no referrers API: {}",
        reg.kind(),
        r.text()
    );
    let tags = tags(oras, &reg.reference(IMAGE_REPO));
    for (subject, expected) in [
        (&fx.image, set(&[&fx.signature, &fx.sbom, &fx.readme])),
        (&fx.sbom, set(&[&fx.sbom_signature])),
    ] {
        let tag = fallback_tag(subject);
        assert!(tags.contains(&tag), "fallback tag {tag} in {tags:?}");
        let (status, index, ct) = manifest(reg, IMAGE_REPO, &tag);
        assert_eq!(status, 200);
        assert_eq!(ct.as_deref(), Some(media::OCI_INDEX));
        assert_eq!(index["mediaType"], media::OCI_INDEX);
        let entries = index["manifests"].as_array().unwrap();
        assert_eq!(
            digests(entries),
            expected,
            "fallback index {tag}: {index:#}"
        );
    }
}

fn assert_multi_and_many_tags(reg: &Registry, oras: &Oras, fx: &Fixture) {
    let (status, index, _) = manifest(reg, "multi", "v1");
    assert_eq!(status, 200);
    assert_eq!(index["mediaType"], media::OCI_INDEX, "{index:#}");
    let platforms: BTreeSet<String> = index["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{}/{}",
                m["platform"]["os"].as_str().unwrap_or("?"),
                m["platform"]["architecture"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(platforms, set(&["linux/amd64", "linux/arm64"]), "{index:#}");
    assert_eq!(
        digests(index["manifests"].as_array().unwrap()),
        set(&[&fx.multi_amd64, &fx.multi_arm64])
    );
    let multi_ref = fx.multi_ref();
    let tree = oras.json(&discover_args(reg.kind(), &multi_ref));
    assert_eq!(tree["digest"], fx.multi_index.as_str());
    assert_eq!(digests(referrers(&tree)), set(&[&fx.multi_signature]));

    let tags = tags(oras, &reg.reference(MANY_TAGS_REPO));
    assert!(tags.len() >= 300, "{} tags", tags.len());
    assert_eq!(tags.len(), MANY_TAGS);
    assert_eq!(
        tags.iter().cloned().collect::<BTreeSet<_>>(),
        fx.many_tags.iter().cloned().collect::<BTreeSet<_>>()
    );
}

fn prove(reg: Registry) {
    let fx = Fixture::seed(&reg);
    let oras = Oras::for_registry(&reg);
    assert_seed_graph(&oras, &fx, reg.kind());
    if reg.has_referrers_api() {
        assert_via_api(&reg, &oras, &fx);
    } else {
        assert_via_fallback(&reg, &oras, &fx);
    }
    assert_multi_and_many_tags(&reg, &oras, &fx);
}

#[test]
fn ground_distribution_serves_the_graph_through_fallback_tags() {
    prove(Registry::distribution());
}

#[test]
fn ground_olareg_serves_the_graph_through_the_referrers_api() {
    prove(Registry::olareg());
}

#[test]
fn ground_olareg_fallback_serves_the_graph_through_fallback_tags() {
    prove(Registry::olareg_fallback());
}

#[test]
fn ground_ggcr_serves_the_graph_through_its_looser_referrers_api() {
    prove(Registry::ggcr());
}

#[test]
fn ground_distribution_htpasswd_requires_and_accepts_basic_auth() {
    let reg = Registry::distribution_htpasswd("canary-user", "canary-pass-7f3a");
    let r = http_get(reg.host(), "/v2/", &[]);
    assert_eq!(r.status, 401);
    assert!(
        r.header("www-authenticate")
            .is_some_and(|h| h.starts_with("Basic")),
        "{:?}",
        r.headers
    );
    let fx = Fixture::seed(&reg);
    let oras = Oras::for_registry(&reg);
    assert_seed_graph(&oras, &fx, reg.kind());
}

#[test]
fn ground_olareg_token_auth_challenges_with_bearer() {
    use crate::support::{OlaregAcl, OlaregAuth};
    let auth = OlaregAuth::single_user("canary-user", "canary-pass-7f3a")
        .acl(OlaregAcl::anonymous("public/*", &["read"]));
    let reg = Registry::olareg_token_auth(&auth);
    let r = http_get(reg.host(), "/v2/net-monitor/tags/list", &[]);
    assert_eq!(r.status, 401);
    let challenge = r.header("www-authenticate").unwrap_or_default().to_string();
    assert!(
        challenge.starts_with("Bearer ")
            && challenge.contains(&format!("realm=\"http://{}/token\"", reg.host()))
            && challenge.contains("scope=\"repository:net-monitor:pull\""),
        "{challenge}"
    );
    let fx = Fixture::seed(&reg);
    let oras = Oras::for_registry(&reg);
    assert_seed_graph(&oras, &fx, reg.kind());
    // Anonymous users get nothing outside public/*.
    let anon = Oras::new();
    let out = anon.output(&["repo", "tags", &reg.reference(IMAGE_REPO)]);
    assert!(!out.status.success());
}
