//! Doctor against the OCI distribution-spec conformance suite, on every
//! registry of the test ground. Where both check the same thing, either
//! their verdicts agree, or the difference is one listed here (and in the
//! README's table) with the reason: doctor says whether a capability
//! works for what regscope does, the suite fails an API for any detail of
//! any of its content kinds. A difference that appears or disappears
//! fails the test, so the README stays true.
//!
//! `cargo test --test it doctor_conformance -- --nocapture` prints each
//! registry's row of the README's table.

use std::collections::BTreeMap;

use crate::doctor::{doctor_json, statuses};
use crate::support::Registry;
use crate::support::conformance::run_suite;

/// Doctor's check → the suite's APIs that test the same thing.
const SAME_THING: [(&str, &[&str]); 12] = [
    ("ping", &["Ping"]),
    ("tags-list", &["Tag listing"]),
    ("tags-pagination", &["Tag listing"]),
    (
        "manifest-head-digest",
        &["Manifest head by tag", "Manifest head by digest"],
    ),
    ("blob-range", &["Blob get range"]),
    ("referrers-api", &["Referrers"]),
    ("subject-header", &["Manifest put with subject"]),
    ("manifest-delete", &["Manifest delete"]),
    ("tag-delete", &["Tag delete"]),
    ("blob-delete", &["Blob delete"]),
    ("blob-mount", &["Blob mount"]),
    ("chunked-upload", &["Blob chunked"]),
];

/// Whether the suite found the APIs working: `None` when it did not try.
fn suite_works(apis: &BTreeMap<String, String>, names: &[&str]) -> Option<bool> {
    let verdicts: Vec<&str> = names
        .iter()
        .filter_map(|n| apis.get(*n).map(String::as_str))
        .filter(|v| *v != "Disabled")
        .collect();
    if verdicts.is_empty() {
        return None;
    }
    Some(verdicts.iter().all(|v| *v == "Pass"))
}

/// Whether doctor found it working (`pass` or `warn`); `None` for `skip`.
/// `referrers-api` warns when there is no API (the spec allows that, and
/// regscope falls back to tags), which is the API not working.
fn doctor_works(check: &str, status: &str) -> Option<bool> {
    match status {
        "warn" if check == "referrers-api" => Some(false),
        "pass" | "warn" => Some(true),
        "fail" => Some(false),
        _ => None,
    }
}

/// Runs both on fresh registries of one kind and compares; `documented`
/// are the check ids where they differ, each with why (the README says
/// the same).
fn compare(name: &str, start: fn() -> Registry, documented: &[(&str, &str)]) {
    let (suite, report) = std::thread::scope(|s| {
        let suite = s.spawn(|| {
            let registry = start();
            run_suite(registry.host())
        });
        let report = s.spawn(|| {
            let registry = start();
            let work = tempfile::tempdir().unwrap();
            doctor_json(work.path(), &[registry.host(), "--write"])
        });
        (suite.join().unwrap(), report.join().unwrap())
    });
    let found = statuses(&report);
    let mut row = vec![name.to_owned()];
    let mut differences = Vec::new();
    for (check, apis) in SAME_THING {
        let ours = found.get(check).map_or("missing", String::as_str);
        let theirs: Vec<&str> = apis
            .iter()
            .map(|a| suite.apis.get(*a).map_or("-", String::as_str))
            .collect();
        row.push(format!("{ours} / {}", theirs.join(", ")));
        if let (Some(a), Some(b)) = (doctor_works(check, ours), suite_works(&suite.apis, apis))
            && a != b
        {
            differences.push(check);
        }
    }
    eprintln!("| {} |", row.join(" | "));
    let mut expected: Vec<&str> = documented.iter().map(|(check, _)| *check).collect();
    expected.sort_unstable();
    differences.sort_unstable();
    assert_eq!(
        differences, expected,
        "{name}: doctor and the suite differ where the README does not say so (or no longer differ where it does)\n{report:#}\n{}",
        suite.yaml
    );
}

/// The suite fails `Manifest put with subject` wherever `OCI-Subject` does
/// not come back; doctor passes a registry with neither the header nor
/// the API (it is consistent: regscope writes the fallback index).
const NO_HEADER_NO_API: (&str, &str) = (
    "subject-header",
    "no OCI-Subject and no referrers API is consistent; the suite wants the header",
);

/// What distribution (2.8 and v3) does that the suite fails a whole API
/// for, while the thing doctor checks works.
const DISTRIBUTION: [(&str, &str); 4] = [
    (
        "tags-list",
        "the suite's listing also expects the tag of content distribution refuses (non-distributable layers: 500)",
    ),
    (
        "manifest-head-digest",
        "the suite's HEAD also asks for that refused content (404); HEAD of a stored manifest names the right digest",
    ),
    (
        "chunked-upload",
        "distribution accepts (2.8: 202) or refuses with 400 (v3) an out-of-order chunk where the suite wants 416; regscope sends chunks in order",
    ),
    NO_HEADER_NO_API,
];

#[test]
fn doctor_conformance_olareg() {
    compare("olareg", Registry::olareg, &[]);
}

#[test]
fn doctor_conformance_olareg_without_the_api() {
    compare(
        "olareg, no referrers API",
        Registry::olareg_fallback,
        &[NO_HEADER_NO_API],
    );
}

#[test]
fn doctor_conformance_olareg_without_deletes() {
    compare("olareg, no deletes", Registry::olareg_without_deletes, &[]);
}

fn distribution_2_8() -> Vec<(&'static str, &'static str)> {
    let mut differences = DISTRIBUTION.to_vec();
    differences.extend([
        (
            "tags-pagination",
            "2.8 ignores n and last: doctor warns (regscope still lists every tag), the suite fails",
        ),
        (
            "blob-range",
            "2.8's 416 declares a body it does not send: doctor warns, the suite fails on the broken read",
        ),
    ]);
    differences
}

#[test]
fn doctor_conformance_distribution() {
    compare(
        "distribution 2.8",
        Registry::distribution,
        &distribution_2_8(),
    );
}

#[test]
fn doctor_conformance_distribution_without_deletes() {
    compare(
        "distribution 2.8, no deletes",
        Registry::distribution_without_deletes,
        &distribution_2_8(),
    );
}

#[test]
fn doctor_conformance_distribution_v3() {
    let mut differences = DISTRIBUTION.to_vec();
    differences.push((
        "tags-pagination",
        "n, last and Link work; the suite fails listing for the refused content's tag",
    ));
    compare("distribution v3", Registry::distribution3, &differences);
}

#[test]
fn doctor_conformance_ggcr() {
    compare(
        "go-containerregistry",
        Registry::ggcr,
        &[
            (
                "blob-range",
                "ranges work; the suite fails every blob test there because the Location after a blob PUT does not resolve",
            ),
            (
                "referrers-api",
                "the API lists referrers; the suite also wants 200 for an unknown subject (ggcr: 404, doctor's referrers-unknown-subject warns) and a filter",
            ),
            (
                "blob-mount",
                "a mount opens an upload instead (202): doctor warns, a copy uploads; the suite fails",
            ),
            (
                "subject-header",
                "the API answers without OCI-Subject: doctor warns (regscope asks the API), the suite fails",
            ),
            (
                "blob-delete",
                "deleting a blob that is there works; the suite deletes blobs whose upload failed there, and gets 500 where 404 is due",
            ),
        ],
    );
}
