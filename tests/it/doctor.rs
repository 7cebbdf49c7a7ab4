//! `regscope doctor` on each registry of the test ground, read-only and
//! with `--write`: every check's status is what that registry is known to
//! do (olareg with the referrers API and without it, with deletes and
//! without; distribution 2.8 with deletes and without; distribution v3).
//! Where a registry lacks something, the check says `fail` (or `warn`),
//! and the same check passes on one that has it: each verdict has its
//! negative on another registry.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::cli::regscope_output;
use crate::support::{Oras, Registry};

/// `regscope doctor ARGS --format json`; its exit status must be 1
/// exactly when a check failed.
pub fn doctor_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = regscope_output(dir, &all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stderr}"));
    let failed = statuses(&report).values().any(|status| status == "fail");
    assert_eq!(
        out.status.code(),
        Some(i32::from(failed)),
        "exit status 1 exactly when a check failed:\n{stderr}\n{report:#}"
    );
    report
}

/// Check id → status.
pub fn statuses(report: &Value) -> BTreeMap<String, String> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The summary of one check.
pub fn summary<'a>(report: &'a Value, id: &str) -> &'a str {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["id"] == id)
        .and_then(|c| c["summary"].as_str())
        .unwrap_or_default()
}

/// Asserts that the summary of check `id` says `words`.
fn expect_summary(report: &Value, id: &str, words: &str) {
    assert!(
        summary(report, id).contains(words),
        "{id}: {words:?} not in its summary\n{report:#}"
    );
}

/// Asserts each `(id, status)`; prints the report when one differs.
pub fn expect(report: &Value, expected: &[(&str, &str)]) {
    let found = statuses(report);
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(id, status)| found.get(*id).map(String::as_str) != Some(*status))
        .map(|(id, status)| format!("{id}: expected {status}, got {:?}", found.get(*id)))
        .collect();
    assert!(wrong.is_empty(), "{}\n{report:#}", wrong.join("\n"));
}

/// One image under three tags in `app`, pushed with oras.
pub fn seed_app(registry: &Registry, dir: &Path) {
    let oras = Oras::for_registry(registry);
    std::fs::write(dir.join("image.json"), "{\"doctor\":true}\n").unwrap();
    for tag in ["a", "b", "c"] {
        oras.run_in(
            dir,
            &[
                "push",
                &registry.reference(&format!("app:{tag}")),
                "image.json",
            ],
        );
    }
}

/// Every check the JSON contract names, in order.
const ALL_IDS: [&str; 18] = [
    "ping",
    "auth",
    "catalog",
    "tags-list",
    "tags-pagination",
    "manifest-head-digest",
    "blob-range",
    "referrers-api",
    "referrers-unknown-subject",
    "referrers-filter",
    "fallback-tags",
    "subject-header",
    "manifest-delete",
    "tag-delete",
    "blob-delete",
    "blob-mount",
    "chunked-upload",
    "rate-limit",
];

const WRITES_SKIPPED: [(&str, &str); 6] = [
    ("subject-header", "skip"),
    ("manifest-delete", "skip"),
    ("tag-delete", "skip"),
    ("blob-delete", "skip"),
    ("blob-mount", "skip"),
    ("chunked-upload", "skip"),
];

/// Read-only on the seeded `app`: every check once, in order, the tried
/// ones with evidence, the common ones passing, the writes skipped.
fn read_only(registry: &Registry, expected: &[(&str, &str)], mode: &str) -> Value {
    let work = tempfile::tempdir().unwrap();
    seed_app(registry, work.path());
    let report = doctor_json(work.path(), &[&registry.reference("app")]);
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ALL_IDS, "every check, in order, once");
    assert_eq!(report["registry"], registry.host());
    assert_eq!(report["repository"], "app");
    assert_eq!(report["write"], false);
    assert_eq!(report["referrersMode"], mode, "{report:#}");
    for check in report["checks"].as_array().unwrap() {
        let tried = check["status"] != "skip";
        assert!(
            !tried
                || !check["evidence"].as_array().unwrap().is_empty()
                || check["id"] == "rate-limit",
            "a check that was tried shows its evidence: {check:#}"
        );
    }
    expect(&report, &READ_COMMON);
    expect(&report, expected);
    expect(&report, &WRITES_SKIPPED);
    report
}

/// Read-only on the seeded `app` (in referrers `mode`), then `--write` on
/// the host: both reports, each checked against its expected statuses.
fn read_then_write(
    registry: &Registry,
    read: &[(&str, &str)],
    mode: &str,
    written: &[(&str, &str)],
) -> (Value, Value) {
    (
        read_only(registry, read, mode),
        with_writes(registry, written),
    )
}

fn with_writes(registry: &Registry, expected: &[(&str, &str)]) -> Value {
    let work = tempfile::tempdir().unwrap();
    let report = doctor_json(work.path(), &[registry.host(), "--write"]);
    assert_eq!(report["write"], true);
    let scratch = report["repository"].as_str().unwrap();
    assert!(scratch.starts_with("regscope-doctor/"), "{report:#}");
    expect(&report, expected);
    report
}

const READ_COMMON: [(&str, &str); 6] = [
    ("ping", "pass"),
    ("auth", "pass"),
    ("tags-list", "pass"),
    ("manifest-head-digest", "pass"),
    ("fallback-tags", "pass"),
    ("rate-limit", "pass"),
];

#[test]
fn doctor_on_olareg_with_the_referrers_api() {
    let registry = Registry::olareg();
    let (_, written) = read_then_write(
        &registry,
        &[
            ("catalog", "warn"),
            ("tags-pagination", "pass"),
            ("blob-range", "pass"),
            ("referrers-api", "pass"),
            ("referrers-unknown-subject", "pass"),
            // No referrers yet: nothing the registry could say it filtered.
            ("referrers-filter", "skip"),
        ],
        "api",
        &[
            ("subject-header", "pass"),
            ("referrers-filter", "pass"),
            ("manifest-delete", "pass"),
            ("tag-delete", "pass"),
            ("blob-delete", "fail"),
            ("blob-mount", "pass"),
            ("chunked-upload", "pass"),
        ],
    );
    // olareg deletes manifests but not blobs (no --api-blob-delete).
    let stayed = written["leftBehind"].as_array().unwrap();
    assert!(!stayed.is_empty(), "{written:#}");
    assert!(
        stayed
            .iter()
            .all(|s| s.as_str().unwrap().starts_with("blob ")),
        "{written:#}"
    );
}

#[test]
fn doctor_on_olareg_without_the_referrers_api() {
    let registry = Registry::olareg_fallback();
    let (report, _) = read_then_write(
        &registry,
        &[
            ("referrers-api", "warn"),
            ("referrers-unknown-subject", "skip"),
            ("referrers-filter", "skip"),
        ],
        "fallback",
        &[
            ("subject-header", "pass"),
            ("fallback-tags", "pass"),
            ("manifest-delete", "pass"),
            ("chunked-upload", "pass"),
        ],
    );
    expect_summary(&report, "referrers-api", "answered 405");
}

#[test]
fn doctor_on_olareg_without_deletes() {
    let registry = Registry::olareg_without_deletes();
    let written = with_writes(
        &registry,
        &[
            ("referrers-api", "pass"),
            ("manifest-delete", "fail"),
            ("tag-delete", "fail"),
            ("blob-delete", "fail"),
        ],
    );
    let stayed = written["leftBehind"].as_array().unwrap();
    assert!(
        stayed
            .iter()
            .any(|s| s.as_str().unwrap().contains("the image, tagged")),
        "what could not be deleted is named: {written:#}"
    );
}

#[test]
fn doctor_on_distribution() {
    let registry = Registry::distribution();
    let (report, written) = read_then_write(
        &registry,
        &[
            ("catalog", "pass"),
            ("tags-pagination", "warn"),
            ("referrers-api", "warn"),
            ("referrers-unknown-subject", "skip"),
            ("referrers-filter", "skip"),
        ],
        "fallback",
        &[
            ("subject-header", "pass"),
            ("fallback-tags", "pass"),
            ("manifest-delete", "pass"),
            ("blob-delete", "pass"),
            ("blob-mount", "pass"),
            ("chunked-upload", "pass"),
        ],
    );
    expect_summary(&report, "tags-pagination", "n is ignored");
    expect_summary(&report, "referrers-api", "answered 404");
    assert_eq!(written["leftBehind"], serde_json::json!([]), "{written:#}");
}

#[test]
fn doctor_on_distribution_without_deletes() {
    let registry = Registry::distribution_without_deletes();
    let written = with_writes(
        &registry,
        &[
            ("referrers-api", "warn"),
            ("fallback-tags", "pass"),
            ("manifest-delete", "fail"),
            ("tag-delete", "fail"),
            ("blob-delete", "fail"),
        ],
    );
    expect_summary(&written, "manifest-delete", "turned off");
    assert!(!written["leftBehind"].as_array().unwrap().is_empty());
}

#[test]
fn doctor_on_distribution_v3() {
    let registry = Registry::distribution3();
    read_then_write(
        &registry,
        &[
            ("catalog", "pass"),
            ("tags-pagination", "pass"),
            ("blob-range", "pass"),
            ("referrers-api", "warn"),
        ],
        "fallback",
        &[
            ("subject-header", "pass"),
            ("fallback-tags", "pass"),
            ("manifest-delete", "pass"),
            ("tag-delete", "pass"),
            ("blob-delete", "pass"),
        ],
    );
}
