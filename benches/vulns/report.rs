//! The vulnerability benches' data, shared by `vulns` (reading and
//! applying) and `draw` (the findings table's frame): a Trivy-shaped
//! CycloneDX report and OpenVEX statements about its findings.

use regscope::oci::Digest;
use regscope::vuln::Report;
use regscope::vuln::apply::{Origin, ScanInput, VexInput, apply};
use regscope::vuln::read::Document;
use regscope::vuln::read_document;

pub const IMAGE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

/// A Trivy-shaped CycloneDX report: `components` packages, `findings`
/// vulnerabilities each affecting one of them, four ratings each.
pub fn report(components: usize, findings: usize) -> Vec<u8> {
    let mut doc = String::from(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:bench","metadata":{"timestamp":"2025-01-01T00:00:00Z","tools":{"components":[{"name":"trivy","version":"0.74.0"}]}},"components":["#,
    );
    for i in 0..components {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!(
            r#"{{"bom-ref":"ref-{i}","type":"library","name":"package-{i}","version":"1.{}.{}","purl":"pkg:apk/alpine/package-{i}@1.{}.{}?arch=x86_64","licenses":[{{"license":{{"id":"MIT"}}}}]}}"#,
            i % 13, i % 101, i % 13, i % 101
        ));
    }
    doc.push_str(r#"],"vulnerabilities":["#);
    let severities = ["critical", "high", "medium", "low"];
    for i in 0..findings {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!(
            r#"{{"id":"CVE-2025-{i:05}","source":{{"name":"alpine"}},"ratings":[{{"source":{{"name":"alpine"}},"severity":"{}"}},{{"source":{{"name":"nvd"}},"score":7.5,"method":"CVSSv31","severity":"high"}},{{"source":{{"name":"redhat"}},"score":5.0,"method":"CVSSv3"}},{{"source":{{"name":"ghsa"}},"severity":"medium"}}],"description":"a vulnerability of the bench report, with a description as long as a real one tends to be","recommendation":"Upgrade package-{i} to version 2.0.0","affects":[{{"ref":"ref-{}"}}]}}"#,
            severities[i % 4],
            (i * 2) % components.max(1)
        ));
    }
    doc.push_str("]}");
    doc.into_bytes()
}

/// OpenVEX statements for every fifth finding, on the image.
pub fn openvex(statements: usize) -> Vec<u8> {
    let list: Vec<String> = (0..statements)
        .map(|i| {
            format!(
                r#"{{"vulnerability":{{"name":"CVE-2025-{:05}"}},"products":[{{"@id":"pkg:oci/app@sha256%3A{}","subcomponents":[{{"@id":"pkg:apk/alpine/package-{}"}}]}}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}}"#,
                i * 5,
                &IMAGE[7..],
                (i * 10) % 10_000
            )
        })
        .collect();
    format!(
        r#"{{"@context":"https://openvex.dev/ns/v0.2.0","author":"bench","timestamp":"2025-01-02T00:00:00Z","statements":[{}]}}"#,
        list.join(",")
    )
    .into_bytes()
}

fn origin(name: &str) -> Origin {
    Origin {
        manifest: Digest::sha256_of(name.as_bytes()),
        layer: Digest::sha256_of(name.as_bytes()),
        attached_to: IMAGE.parse().unwrap(),
        platform: None,
        envelope: None,
        created: None,
    }
}

/// The report read and the VEX applied, as `vuln::collect` would.
pub fn read_and_apply(scan: &[u8], vex: &[u8]) -> Report {
    let Document::Scan(scan) = read_document(scan).unwrap().unwrap().document else {
        panic!("not a scan");
    };
    let Document::Vex(document) = read_document(vex).unwrap().unwrap().document else {
        panic!("not VEX");
    };
    apply(
        vec![ScanInput {
            origin: origin("scan"),
            scan,
            image: vec![IMAGE.to_owned()],
        }],
        vec![VexInput {
            origin: origin("vex"),
            document,
        }],
    )
}

/// The manifest the scan of `read_and_apply` hangs on.
// Only the draw bench opens a scan's findings table.
#[allow(dead_code)]
pub fn scan_manifest() -> Digest {
    origin("scan").manifest
}
