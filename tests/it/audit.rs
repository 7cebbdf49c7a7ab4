//! `regscope audit` against a ground built with the real tools: cosign v2
//! signs tags in each of its modes (legacy `.sig` tag, OCI 1.1 referrer,
//! Sigstore bundle) and attests CycloneDX SBOMs (signed: DSSE in a `.att`
//! tag or a bundle), `cosign attach sbom` adds an unsigned one, some tags
//! stay unsigned, one is signed by another key, one signature's payload is
//! altered after signing, and an index (made by `oras manifest index
//! create`) has an SBOM on one of its two platforms (`oras attach
//! --platform`). The JSON, the table, the exit status of `--require` and the
//! verification with `--key` must say what was put in.

use serde_json::Value;

use crate::audit_ground::{Ground, build_ground};
use crate::cli::regscope_output;
use crate::support::Registry;

mod require_gate;

use self::require_gate::the_require_gate;

fn audit(ground: &Ground, args: &[&str]) -> std::process::Output {
    regscope_output(ground.dir.path(), &[&["audit"], args].concat())
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn row<'a>(json: &'a Value, tag: &str) -> &'a Value {
    json["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == tag))
        .unwrap_or_else(|| panic!("no row for {tag}: {json:#}"))
}

/// Referrers API: OCI 1.1 signatures and bundles are listed by the registry.
#[test]
fn audit_on_olareg() {
    check(Registry::olareg());
}

/// No referrers API: they live in the fallback tag; the catalog lets the
/// whole registry be audited.
#[test]
fn audit_on_distribution3() {
    check(Registry::distribution3());
}

fn check(registry: Registry) {
    let ground = build_ground(registry);
    let app = ground.registry.reference("app");
    let key = ground.cosign.public_key();
    let key = key.to_str().unwrap();

    attachments_without_trust_material(&ground, &app);
    verification_with_the_key(&ground, &app, key);
    the_require_gate(&ground, &app, key);
    an_index_with_one_platform_sbom(&ground);
    a_whole_registry(&ground);
}

/// What is attached, as the JSON says it, with nothing verified.
fn attachments_without_trust_material(ground: &Ground, app: &str) {
    let out = audit(ground, &[app, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = json_of(&out);
    let images = json["images"].as_array().unwrap();
    assert_eq!(images.len(), 7, "one row per digest: {json:#}");
    let legacy = row(&json, "legacy");
    assert_eq!(legacy["tags"], serde_json::json!(["latest", "legacy"]));
    assert_eq!(legacy["digest"], ground.digests["legacy"].as_str());
    assert_eq!(legacy["details"]["signedBy"], serde_json::json!(["cosign"]));
    assert_eq!(legacy["sbom"], true);
    assert_eq!(legacy["signedSbom"], true, "a .att DSSE envelope is signed");
    assert_eq!(
        legacy["details"]["sbomFormats"],
        serde_json::json!(["CycloneDX JSON"])
    );
    assert_eq!(legacy["verification"], "unverified");
    let oci11 = row(&json, "oci11");
    assert_eq!(
        oci11["details"]["signedBy"],
        serde_json::json!(["cosign-oci11"])
    );
    assert_eq!(
        (oci11["sbom"].clone(), oci11["signedSbom"].clone()),
        (true.into(), false.into())
    );
    let bundle = row(&json, "bundle");
    assert_eq!(
        bundle["details"]["signedBy"],
        serde_json::json!(["sigstore-bundle"])
    );
    assert_eq!(
        (bundle["sbom"].clone(), bundle["signedSbom"].clone()),
        (true.into(), true.into())
    );
    let unsigned = row(&json, "unsigned");
    assert_eq!(
        (unsigned["signature"].clone(), unsigned["sbom"].clone()),
        (false.into(), false.into())
    );
    for tag in ["other-key", "altered", "copied"] {
        assert_eq!(row(&json, tag)["signature"], true, "{tag}");
    }
    assert_eq!(json["summary"]["images"], 7);
    assert_eq!(json["summary"]["signed"], 6);
    assert_eq!(json["summary"]["withSbom"], 3);
    assert!(
        !images
            .iter()
            .any(|i| i["tags"].to_string().contains("sha256-")),
        "cosign tags are never rows: {json:#}"
    );
}

/// cosign's three schemes verify with the key; another key's signature
/// and an altered payload fail, naming the key tried.
fn verification_with_the_key(ground: &Ground, app: &str, key: &str) {
    let out = audit(ground, &[app, "--format", "json", "--key", key]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = json_of(&out);
    for tag in ["legacy", "oci11", "bundle"] {
        let r = row(&json, tag);
        assert_eq!(r["verification"], "verified", "{tag}: {r:#}");
        assert!(
            r["details"]["verification"]["key"]
                .as_str()
                .unwrap()
                .contains(key),
            "{r:#}"
        );
    }
    assert_eq!(
        row(&json, "legacy")["details"]["sbomVerification"]["status"],
        "verified",
        "{:#}",
        row(&json, "legacy")
    );
    assert_eq!(
        row(&json, "bundle")["details"]["sbomVerification"]["status"],
        "verified",
        "{:#}",
        row(&json, "bundle")
    );
    for tag in ["other-key", "altered"] {
        let r = row(&json, tag);
        assert_eq!(r["verification"], "failed", "{tag}: {r:#}");
        let reasons = r["details"]["verification"]["reasons"].to_string();
        assert!(
            reasons.contains(key) && reasons.contains("does not verify"),
            "{tag}: {reasons}"
        );
    }
    let copied = row(&json, "copied");
    assert_eq!(copied["verification"], "failed", "{copied:#}");
    let reasons = copied["details"]["verification"]["reasons"].to_string();
    assert!(
        reasons.contains(&format!(
            "names {}, not {}",
            ground.digests["legacy"], ground.digests["copied"]
        )),
        "{reasons}"
    );
    // Nothing to check is not a failed check.
    let unsigned = row(&json, "unsigned");
    assert_eq!(unsigned["verification"], "unverified", "{unsigned:#}");
    assert_eq!(
        unsigned["details"]["verification"]["reason"],
        "no signature"
    );
    assert_eq!(json["summary"]["verified"], 3);
}

/// The index: an SBOM on one platform of two is not an SBOM of the image.
fn an_index_with_one_platform_sbom(ground: &Ground) {
    let multi = ground.registry.reference("multi:v1");
    let out = audit(ground, &[&multi, "--format", "json", "--require", "sbom"]);
    assert!(!out.status.success());
    let json = json_of(&out);
    let index = row(&json, "v1");
    assert_eq!(json["images"].as_array().unwrap().len(), 1, "{json:#}");
    // Not `true` for an SBOM of one platform in two, as the table's 1/2
    // says; the counts are in `sbomCoverage`.
    assert_eq!(index["sbom"], false, "{index:#}");
    assert_eq!(json["summary"]["withSbom"], 0, "{json:#}");
    assert_eq!(index["details"]["sbomCoverage"]["covered"], 1, "{index:#}");
    assert_eq!(
        index["details"]["sbomCoverage"]["platforms"], 2,
        "{index:#}"
    );
    assert_eq!(
        index["details"]["sbomCoverage"]["missing"],
        serde_json::json!(["linux/amd64"])
    );
    assert_eq!(index["missing"], serde_json::json!(["sbom (linux/amd64)"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing sbom (linux/amd64)"), "{stderr}");
    let out = audit(ground, &[&multi]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains(" 1/2"), "{table}");
    let out = audit(ground, &[&multi, "--format", "csv"]);
    let csv = String::from_utf8_lossy(&out.stdout);
    let line = csv.lines().nth(1).unwrap_or_default();
    assert!(line.contains(",false,"), "{csv}");
}

/// A registry: every repository of its catalog.
fn a_whole_registry(ground: &Ground) {
    if ground.registry.kind().has_catalog() {
        let out = audit(ground, &[ground.registry.host(), "--format", "json"]);
        let json = json_of(&out);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let repositories: std::collections::BTreeSet<&str> = json["images"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["repository"].as_str().unwrap())
            .collect();
        assert_eq!(repositories, ["app", "multi"].into(), "{json:#}");
        assert_eq!(json["summary"]["images"], 10, "{json:#}");
    }
}
