//! VEX from real tools applied to a real scan: Trivy's alpine 3.10 report
//! in cosign's vuln predicate (four medium findings: CVE-2019-1549 and
//! CVE-2019-1551 in libcrypto1.1 and libssl1.1), and OpenVEX written by
//! go-vex (`openvex-build`), attached by `cosign attest --type openvex`
//! (predicate type `https://openvex.dev/ns`), as a bare v0.2.0 in-toto
//! attestation and as a raw document with oras. The four cases: a
//! statement that suppresses one finding, one for another image, one for
//! another package, and an older `affected` superseded by a newer
//! `not_affected`. Then the audit: its `vulnerabilities` object and the
//! exit codes of `--fail-on` and `--max-scan-age`.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::cli::{regscope_json, regscope_output};
use crate::support::{Cosign, CosignMode, Oras, Registry, tool};
use crate::vulns::{
    TRIVY, attach, cosign_vuln_predicate, data, image, listed, read_json, trivy_json_rows,
};

const OTHER_IMAGE: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

/// `openvex-build` with `args`, its output written to `dir/name`.
fn openvex(dir: &Path, name: &str, args: &[&str]) -> std::path::PathBuf {
    let out = Command::new(tool("openvex-build"))
        .args(args)
        .output()
        .expect("run openvex-build");
    assert!(
        out.status.success(),
        "openvex-build {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join(name);
    fs::write(&path, &out.stdout).unwrap();
    path
}

fn oci_purl(digest: &str) -> String {
    format!("pkg:oci/vex@{}", digest.replace(':', "%3A"))
}

fn finding<'a>(out: &'a Value, id: &str, package: &str) -> Option<&'a Value> {
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id && f["package"] == package)
}

fn days_ago(days: i64) -> String {
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[test]
fn vex_from_cosign_go_vex_and_oras_applies_as_written() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let cosign = Cosign::v2();
    let dir = tempfile::tempdir().unwrap();
    let (subject, digest) = image(&oras, &registry, dir.path(), "vex");
    let report = read_json(&data(&format!(
        "{TRIVY}/integration/testdata/alpine-310.json.golden"
    )));
    let predicate = dir.path().join("vuln.json");
    fs::write(
        &predicate,
        cosign_vuln_predicate(&report, &days_ago(10)).to_string(),
    )
    .unwrap();
    cosign.attest(&subject, CosignMode::LegacyTags, "vuln", &predicate);
    let clean = listed(&regscope_json(
        dir.path(),
        &["vulns", &subject, "--format", "json"],
    ));
    assert_eq!(clean, trivy_json_rows(&report));
    assert_eq!(clean.len(), 4);

    attach_the_vex(&oras, &cosign, &registry, dir.path(), &subject, &digest);
    the_vulns_apply_it(dir.path(), &subject);
    the_audit_counts_and_gates(&oras, &registry, dir.path(), &subject);
}

/// The four cases: a statement that suppresses CVE-2019-1549 in one
/// package, one for another image, and for CVE-2019-1551 an older
/// `affected` (a raw document attached with oras) superseded by a newer
/// `not_affected` (a v0.2.0 attestation).
fn attach_the_vex(
    oras: &Oras,
    cosign: &Cosign,
    registry: &Registry,
    dir: &Path,
    subject: &str,
    digest: &str,
) {
    let image_purl = oci_purl(digest);
    // Suppresses CVE-2019-1549 in libcrypto1.1 only (libssl1.1 is another
    // package); one about CVE-2019-1551 for another image.
    let suppressing = openvex(
        dir,
        "suppress.vex.json",
        &[
            "-author",
            "cosign case",
            "-timestamp",
            "2025-01-01T00:00:00Z",
            "-statement",
            &format!(
                "CVE-2019-1549|{image_purl}|pkg:apk/alpine/libcrypto1.1|not_affected|vulnerable_code_not_in_execute_path|"
            ),
            "-statement",
            &format!(
                "CVE-2019-1551|{}|pkg:apk/alpine/libssl1.1|not_affected|component_not_present|",
                oci_purl(OTHER_IMAGE)
            ),
        ],
    );
    cosign.attest(subject, CosignMode::LegacyTags, "openvex", &suppressing);
    // CVE-2019-1551 in libcrypto1.1: affected in January (a raw document
    // attached with oras), not_affected in March (a v0.2.0 attestation).
    let older = openvex(
        dir,
        "older.openvex.json",
        &[
            "-timestamp",
            "2025-01-15T00:00:00Z",
            "-statement",
            &format!(
                "CVE-2019-1551|{}|pkg:apk/alpine/libcrypto1.1|affected||",
                registry.reference(&format!("vex@{digest}"))
            ),
        ],
    );
    attach(oras, dir, subject, &older, "application/openvex+json");
    let newer = openvex(
        dir,
        "newer.intoto.json",
        &[
            "-attest",
            &format!("vex@{digest}"),
            "-timestamp",
            "2025-03-01T00:00:00+01:00",
            "-statement",
            &format!(
                "CVE-2019-1551|{image_purl}|pkg:apk/alpine/libcrypto1.1|not_affected|inline_mitigations_already_exist|"
            ),
        ],
    );
    attach(oras, dir, subject, &newer, "application/vnd.in-toto+json");
}

/// `vulns` applies the statements that match, keeps the others' findings,
/// and with --show-suppressed says which statement suppressed what.
fn the_vulns_apply_it(dir: &Path, subject: &str) {
    let out = regscope_json(dir, &["vulns", subject, "--format", "json"]);
    assert_eq!(out["vex"].as_array().unwrap().len(), 3, "{out:#}");
    assert!(
        finding(&out, "CVE-2019-1549", "libcrypto1.1").is_none(),
        "{out:#}"
    );
    assert!(
        finding(&out, "CVE-2019-1551", "libcrypto1.1").is_none(),
        "{out:#}"
    );
    let other_package = finding(&out, "CVE-2019-1549", "libssl1.1").expect("libssl1.1 stays");
    assert_eq!(other_package["vex"], Value::Null);
    let other_image = finding(&out, "CVE-2019-1551", "libssl1.1").expect("another image's VEX");
    assert_eq!(other_image["vex"], Value::Null);
    let summary = &out["summary"];
    assert_eq!(
        (summary["medium"].as_u64(), summary["suppressed"].as_u64()),
        (Some(2), Some(2)),
        "{summary}"
    );

    let all = regscope_json(
        dir,
        &["vulns", subject, "--format", "json", "--show-suppressed"],
    );
    let suppressed = finding(&all, "CVE-2019-1549", "libcrypto1.1").expect("shown");
    assert_eq!(suppressed["vex"]["status"], "not_affected");
    assert_eq!(
        suppressed["vex"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
    let superseded = finding(&all, "CVE-2019-1551", "libcrypto1.1").expect("shown");
    assert_eq!(
        superseded["vex"]["justification"],
        "inline_mitigations_already_exist"
    );
    assert_eq!(
        superseded["vexDisagreement"][0]["status"], "affected",
        "{superseded:#}"
    );
}

/// The audit: the same counts, and its gates (`--fail-on`, `--max-scan-age`).
fn the_audit_counts_and_gates(oras: &Oras, registry: &Registry, dir: &Path, subject: &str) {
    oras.run(&["tag", subject, "scanned"]);
    let (_, _) = image(oras, registry, dir, "vex-clean");
    let repo = registry.reference("vex");
    let audit = regscope_json(
        dir,
        &["audit", &repo, "--tags", "scanned", "--format", "json"],
    );
    let row = &audit["images"][0];
    assert_eq!(row["details"]["scan"], true);
    let vulns = &row["vulnerabilities"];
    assert_eq!(
        (vulns["medium"].as_u64(), vulns["suppressed"].as_u64()),
        (Some(2), Some(2)),
        "{vulns}"
    );
    assert_eq!(vulns["scanAgeDays"].as_i64(), Some(10), "{vulns}");
    let gate = |args: &[&str]| {
        let mut all = vec!["audit", repo.as_str(), "--tags", "scanned"];
        all.extend_from_slice(args);
        regscope_output(dir, &all)
    };
    let failing = gate(&["--fail-on", "medium"]);
    assert_eq!(failing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failing.stderr);
    assert!(
        stderr.contains("at or above medium (found 2: 2 medium (2 suppressed))"),
        "{stderr}"
    );
    assert!(gate(&["--fail-on", "high"]).status.success());
    assert!(gate(&["--max-scan-age", "30"]).status.success());
    let stale = gate(&["--max-scan-age", "5"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("10 days old"));
    // An image with no scan passes --fail-on and fails --max-scan-age.
    let clean_repo = registry.reference("vex-clean");
    assert!(
        regscope_output(dir, &["audit", &clean_repo, "--fail-on", "low"])
            .status
            .success()
    );
    let unscanned = regscope_output(dir, &["audit", &clean_repo, "--max-scan-age", "30"]);
    assert_eq!(unscanned.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unscanned.stderr).contains("none attached"));
}
