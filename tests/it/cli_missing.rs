//! An index whose platform was deleted behind regscope's back (by oras),
//! as a newcomer meets it on distribution 2.8 and olareg: `tree` marks the
//! platform "missing (404)" and fails unless `--allow-missing`; `audit`
//! names it in `warnings` and `missing`, counts no SBOM for it and fails;
//! `signedSbom` for an index asks every platform's SBOM to be signed. Each
//! ends by asking the registry with oras what is there.

use std::path::Path;

use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::two_platforms::{TwoPlatforms, attach_cyclonedx, push_two_platforms};
use crate::support::{Oras, Registry};

/// `app:multi` lists amd64 and arm64; each platform has a CycloneDX SBOM,
/// and only amd64's SBOM has a signature of its own.
pub(crate) fn push_multi(registry: &Registry, work: &std::path::Path) -> TwoPlatforms {
    let multi = push_two_platforms(registry, work);
    std::fs::write(
        work.join("sbom.cdx.json"),
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#,
    )
    .unwrap();
    std::fs::write(work.join("sig.json"), r#"{"signature":"pat hancock"}"#).unwrap();
    let sboms: Vec<String> = multi
        .platforms()
        .iter()
        .map(|platform| attach_cyclonedx(registry, work, platform, "sbom.cdx.json"))
        .collect();
    Oras::for_registry(registry).run_in(
        work,
        &[
            "attach",
            "--artifact-type",
            "signature/example",
            &registry.reference(&format!("app@{}", sboms[0])),
            "sig.json:application/json",
        ],
    );
    multi
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn a_platform_deleted_behind_its_back(registry: Registry) {
    let work = tempfile::tempdir().unwrap();
    let oras = Oras::for_registry(&registry);
    let multi = push_multi(&registry, work.path());
    let index_ref = registry.reference("app:multi");

    the_whole_index_counts_per_platform(work.path(), &index_ref);

    // Someone deletes the amd64 image with oras.
    let amd_ref = registry.reference(&format!("app@{}", multi.amd));
    oras.run(&["manifest", "delete", "--force", &amd_ref]);

    the_tree_marks_the_missing_platform(work.path(), &index_ref, &multi);
    the_audit_names_the_missing_platform(work.path(), &index_ref, &multi);

    // The registry agrees: the index is there, its amd64 platform is not.
    let index_ref = registry.reference(&format!("app@{}", multi.index));
    assert!(
        oras.output(&["manifest", "fetch", &index_ref])
            .status
            .success()
    );
    assert!(
        !oras
            .output(&["manifest", "fetch", &amd_ref])
            .status
            .success()
    );
}

/// Whole, the index's SBOMs are counted per platform, signed ones too.
fn the_whole_index_counts_per_platform(work: &Path, index_ref: &str) {
    let out = regscope_output(
        work,
        &[
            "audit",
            index_ref,
            "--format",
            "json",
            "--require",
            "sbom,signed-sbom",
        ],
    );
    assert!(!out.status.success(), "arm64's SBOM is not signed");
    let image = &json(&out)["images"][0];
    assert_eq!(image["sbom"], true, "every platform has one");
    assert_eq!(json(&out)["summary"]["withSbom"], 1);
    assert_eq!(image["details"]["sbomCoverage"]["covered"], 2);
    assert_eq!(image["signedSbom"], false);
    assert_eq!(image["details"]["signedSbomCoverage"]["covered"], 1);
    assert_eq!(
        image["details"]["signedSbomCoverage"]["missing"],
        serde_json::json!(["linux/arm64"])
    );
    assert_eq!(
        image["missing"],
        serde_json::json!(["signed-sbom (linux/arm64)"])
    );
    let out = regscope_output(work, &["tree", index_ref]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `tree` fails naming the missing platform, and with --allow-missing
/// lists it as missing.
fn the_tree_marks_the_missing_platform(work: &Path, index_ref: &str, multi: &TwoPlatforms) {
    let out = regscope_output(work, &["tree", index_ref]);
    let text = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a missing platform passed: {text}");
    assert!(
        text.contains(&format!("[linux/amd64] {} missing (404)", multi.amd)),
        "{text}"
    );
    assert!(!text.contains(&format!("{} missing", multi.arm)), "{text}");
    assert!(
        said.contains("could not be fetched") && said.contains("--allow-missing"),
        "{said}"
    );

    let out = regscope_output(
        work,
        &["tree", index_ref, "--format", "json", "--allow-missing"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = json(&out);
    let platforms = tree["platformManifests"].as_array().expect("platforms");
    let gone = platforms
        .iter()
        .find(|p| p["digest"] == multi.amd.as_str())
        .expect("the missing platform is listed");
    assert_eq!(
        (gone["missing"].clone(), gone["status"].clone()),
        (true.into(), 404.into())
    );
    let there = platforms
        .iter()
        .find(|p| p["digest"] == multi.arm.as_str())
        .expect("the other platform");
    assert!(there.get("missing").is_none(), "{there}");
}

/// The audit fails the row for the missing platform, with --require or
/// without.
fn the_audit_names_the_missing_platform(work: &Path, index_ref: &str, multi: &TwoPlatforms) {
    let out = regscope_output(
        work,
        &["audit", index_ref, "--format", "json", "--require", "sbom"],
    );
    assert!(!out.status.success(), "a missing platform passed the audit");
    let image = &json(&out)["images"][0];
    let missing: Vec<String> = image["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect();
    assert!(
        missing.contains(&format!(
            "the manifest of platform linux/amd64 ({}, 404)",
            multi.amd
        )),
        "{missing:?}"
    );
    assert!(
        missing.contains(&"sbom (linux/amd64)".to_owned()),
        "{missing:?}"
    );
    assert_eq!(image["details"]["sbomCoverage"]["covered"], 1);
    let warnings = image["details"]["warnings"].to_string();
    assert!(
        warnings.contains(&multi.amd) && warnings.contains("missing (404)"),
        "{warnings}"
    );
    // Without --require the row still fails: the index points at nothing.
    let out = regscope_output(work, &["audit", index_ref]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{table}");
    assert!(
        table.contains("the manifest of platform linux/amd64"),
        "{table}"
    );
}

#[test]
fn a_platform_deleted_behind_its_back_on_distribution() {
    a_platform_deleted_behind_its_back(Registry::distribution());
}

#[test]
fn a_platform_deleted_behind_its_back_on_olareg() {
    a_platform_deleted_behind_its_back(Registry::olareg());
}
