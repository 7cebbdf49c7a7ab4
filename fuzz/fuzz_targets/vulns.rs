//! The scan and VEX readers and VEX application: any bytes read as a
//! document (CycloneDX JSON or XML, SARIF, Trivy, Grype, cosign's vuln
//! predicate, OpenVEX, raw or in an in-toto statement) never panic, and
//! applying what was read counts every finding exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regscope::oci::Digest;
use regscope::vuln::apply::{Origin, ScanInput, VexInput, apply};
use regscope::vuln::read::Document;
use regscope::vuln::read_document;

const IMAGE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

fn origin(bytes: &[u8]) -> Origin {
    Origin {
        manifest: Digest::sha256_of(bytes),
        layer: Digest::sha256_of(bytes),
        attached_to: IMAGE.parse().expect("digest"),
        platform: None,
        envelope: None,
        created: None,
    }
}

fuzz_target!(|data: &[u8]| {
    // Two documents: the first as scanned, the second as its VEX.
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (first, second) = (&data[..split], data.get(split + 1..).unwrap_or_default());
    let mut scans = Vec::new();
    let mut vex = Vec::new();
    for part in [first, second] {
        match read_document(part) {
            Ok(Some(read)) => match read.document {
                Document::Scan(scan) => scans.push(ScanInput {
                    origin: origin(part),
                    scan,
                    image: vec![IMAGE.to_owned()],
                }),
                Document::Vex(document) => vex.push(VexInput {
                    origin: origin(part),
                    document,
                }),
            },
            Ok(None) | Err(_) => {}
        }
    }
    let report = apply(scans, vex);
    let s = &report.summary;
    assert_eq!(
        s.critical + s.high + s.medium + s.low + s.unknown + s.suppressed,
        report.findings.len()
    );
    let _ = s.label();
});
