//! VEX applied to scans: by image digest, package and time, and a newer
//! scan by the same scanner superseding an older one.

use super::*;

fn openvex(statements: &str) -> String {
    format!(
        r#"{{"@context":"https://openvex.dev/ns/v0.2.0","author":"me","timestamp":"2025-01-01T00:00:00Z","statements":[{statements}]}}"#
    )
}

fn statement(vuln: &str, product: &str, sub: &str, status: &str, time: &str) -> String {
    format!(
        r#"{{"vulnerability":{{"name":"{vuln}"}},"products":[{{"@id":"{product}","subcomponents":[{{"@id":"{sub}"}}]}}],"status":"{status}","justification":"vulnerable_code_not_present","timestamp":"{time}"}}"#
    )
}

const THIS_IMAGE: &str =
    "pkg:oci/app@sha256%3A1111111111111111111111111111111111111111111111111111111111111111";
const BUSYBOX: &str = "pkg:apk/alpine/busybox";

#[test]
fn vex_applies_by_image_digest_package_and_time() {
    let documents = four_vex_documents();
    let vex_inputs: Vec<VexInput> = documents
        .iter()
        .enumerate()
        .map(|(i, text)| VexInput {
            origin: origin(&format!("vex{i}")),
            document: vex(text),
        })
        .collect();
    let mut scan = scan(TRIVY_CDX);
    scan.findings[2].analysis = None;
    let report = apply::apply(
        vec![ScanInput {
            origin: origin("scan"),
            scan,
            image: vec![IMAGE.to_owned()],
        }],
        vex_inputs,
    );
    let by_id = |id: &str| {
        report
            .findings
            .iter()
            .find(|f| f.finding.id == id)
            .expect("finding")
    };
    let suppressed = by_id("CVE-2023-42366");
    assert!(suppressed.suppressed());
    assert_eq!(
        suppressed
            .vex
            .as_ref()
            .and_then(|v| v.justification.as_deref()),
        Some("vulnerable_code_not_present")
    );
    assert!(
        by_id("CVE-2024-0727").vex.is_none(),
        "another image or package applied"
    );
    let superseded = by_id("CVE-2024-9999");
    assert!(superseded.suppressed());
    assert_eq!(superseded.vex.as_ref().map(|v| v.document), Some(Some(3)));
    assert_eq!(superseded.disagreement.len(), 1);
    assert_eq!(superseded.disagreement[0].status, VexStatus::Affected);
    assert_eq!(report.summary.suppressed, 2);
    assert_eq!(report.summary.critical, 1);
    a_purl_without_a_digest_names_no_image();
}

/// Four OpenVEX documents: one that suppresses busybox's finding, one for
/// another image, one for another package, and an older `affected` beside
/// a newer `not_affected`.
fn four_vex_documents() -> [String; 4] {
    let image = THIS_IMAGE;
    let other =
        "pkg:oci/app@sha256%3A2222222222222222222222222222222222222222222222222222222222222222";
    let busybox = BUSYBOX;
    let ssl = "pkg:apk/alpine/libssl3";
    [
        // suppresses busybox's finding...
        openvex(&statement(
            "CVE-2023-42366",
            image,
            busybox,
            "not_affected",
            "2025-01-01T00:00:00Z",
        )),
        // ...one for another image must not apply...
        openvex(&statement(
            "CVE-2024-0727",
            other,
            ssl,
            "not_affected",
            "2025-01-01T00:00:00Z",
        )),
        // ...nor one for another package...
        openvex(&statement(
            "CVE-2024-0727",
            image,
            busybox,
            "not_affected",
            "2025-01-01T00:00:00Z",
        )),
        // ...and a newer not_affected supersedes an older affected.
        openvex(&format!(
            "{},{}",
            statement(
                "CVE-2024-9999",
                &format!("localhost:5000/app@{IMAGE}"),
                ssl,
                "affected",
                "2025-01-01T00:00:00Z"
            ),
            statement(
                "CVE-2024-9999",
                image,
                ssl,
                "not_affected",
                "2025-02-01T00:00:00-05:00"
            ),
        )),
    ]
}

/// A pkg:oci purl without a digest names no image and is counted so.
fn a_purl_without_a_digest_names_no_image() {
    let busybox = BUSYBOX;
    let vague = vex(&openvex(&statement(
        "CVE-1",
        "pkg:oci/app",
        busybox,
        "fixed",
        "",
    )));
    assert!(
        vague.statements[0].timestamp.is_some(),
        "the document's time"
    );
    let report = apply::apply(
        Vec::new(),
        vec![VexInput {
            origin: origin("vague"),
            document: vague,
        }],
    );
    assert_eq!(report.vex[0].naming_no_image, 1);
}

#[test]
fn a_newer_scan_by_the_same_scanner_supersedes_and_findings_merge() {
    let older = TRIVY_CDX.replace("2025-01-02T03:04:05+00:00", "2024-12-01T00:00:00Z");
    let inputs = [("old", older.as_str()), ("new", TRIVY_CDX)]
        .into_iter()
        .map(|(name, text)| ScanInput {
            origin: origin(name),
            scan: scan(text),
            image: vec![IMAGE.to_owned()],
        })
        .collect();
    let mut inputs: Vec<ScanInput> = inputs;
    // The same report as SARIF would be another scan by the same run.
    let mut twin = inputs[1].clone();
    twin.origin = origin("twin");
    inputs.push(twin);
    let report = apply::apply(inputs, Vec::new());
    assert!(matches!(report.scans[0].superseded_by, Some(1 | 2)));
    assert_eq!(report.scans[1].superseded_by, None);
    assert_eq!(
        report.scans[2].superseded_by, None,
        "same time, same scanner: both kept"
    );
    let twin = &report.scans[2].origin.manifest;
    assert_eq!(
        report.summary_for(twin).label(),
        "1 critical · 1 high (1 suppressed)"
    );
    let old = &report.scans[0].origin.manifest;
    assert_eq!(report.summary_for(old).label(), "no findings");
    assert_eq!(report.summary.scans, 2);
    assert_eq!(report.findings.len(), 3, "the twin's findings merge");
    assert_eq!(
        report.summary.newest_scan.as_ref().map(|t| t.text.as_str()),
        Some("2025-01-02T03:04:05+00:00")
    );
}
