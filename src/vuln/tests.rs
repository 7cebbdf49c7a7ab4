//! The readers and VEX application on small documents shaped like real
//! tools' output (the real outputs are read in tests/it/vulns*.rs).

use base64::Engine;

use super::apply::{Origin, ScanInput, VexInput};
use super::read::Document;
use super::*;
use crate::oci::Digest;

mod vex_application;

const IMAGE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const OTHER: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

fn digest(text: &str) -> Digest {
    text.parse().expect("digest")
}

fn origin(manifest: &str) -> Origin {
    Origin {
        manifest: Digest::sha256_of(manifest.as_bytes()),
        layer: Digest::sha256_of(manifest.as_bytes()),
        attached_to: digest(IMAGE),
        platform: None,
        envelope: None,
        created: None,
    }
}

fn read(text: &str) -> Document {
    read_document(text.as_bytes())
        .expect("reads")
        .expect("a scan or VEX")
        .document
}

fn scan(text: &str) -> Scan {
    match read(text) {
        Document::Scan(scan) => scan,
        Document::Vex(vex) => panic!("read as VEX: {vex:?}"),
    }
}

fn vex(text: &str) -> VexDocument {
    match read(text) {
        Document::Vex(vex) => vex,
        Document::Scan(scan) => panic!("read as a scan: {scan:?}"),
    }
}

const TRIVY_CDX: &str = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:AB-CD",
 "metadata":{"timestamp":"2025-01-02T03:04:05+00:00","tools":{"components":[{"name":"trivy","version":"0.74.0"}]},
   "component":{"bom-ref":"pkg:oci/app@sha256%3A1111111111111111111111111111111111111111111111111111111111111111","type":"container","name":"app"}},
 "components":[{"bom-ref":"busybox-ref","name":"busybox","version":"1.36.1-r5","purl":"pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64"},
               {"bom-ref":"ssl-ref","name":"libssl3","version":"3.1.4-r0","purl":"pkg:apk/alpine/libssl3@3.1.4-r0"}],
 "vulnerabilities":[
  {"id":"CVE-2023-42366","source":{"name":"alpine"},"ratings":[{"source":{"name":"nvd"},"score":5.5,"method":"CVSSv31","severity":"medium"},{"source":{"name":"alpine"},"severity":"high"}],
   "recommendation":"Upgrade busybox to version 1.36.1-r6","affects":[{"ref":"busybox-ref"}]},
  {"id":"CVE-2024-0727","source":{"name":"ghsa"},"ratings":[{"source":{"name":"nvd"},"score":9.1,"method":"CVSSv31"},{"source":{"name":"FIRST"},"score":0.99,"method":"other"}],
   "affects":[{"ref":"ssl-ref"}]},
  {"id":"CVE-2024-9999","ratings":[],"affects":[{"ref":"ssl-ref"}],"analysis":{"state":"not_affected","justification":"code_not_reachable"}}]}"#;

#[test]
fn reads_cyclonedx_with_the_scanners_choice_and_its_own_analysis() {
    let scan = scan(TRIVY_CDX);
    assert_eq!(scan.info.scanner_label(), "trivy 0.74.0");
    assert_eq!(scan.info.components, 2);
    assert_eq!(scan.info.serial.as_deref(), Some("ab-cd"));
    assert_eq!(scan.info.subject_digest.as_deref(), Some(IMAGE));
    let busybox = &scan.findings[0];
    assert_eq!(busybox.package, "busybox");
    assert_eq!(busybox.installed.as_deref(), Some("1.36.1-r5"));
    assert_eq!(busybox.fixed.as_deref(), Some("1.36.1-r6"));
    // The rating of the vulnerability's own source is Trivy's choice.
    assert_eq!(
        (busybox.severity, busybox.severity_basis.as_str()),
        (Severity::High, "scanner")
    );
    let ssl = &scan.findings[1];
    assert_eq!(ssl.severity, Severity::Critical);
    assert_eq!(ssl.severity_basis, "highest rating (nvd CVSSv31 9.1)");
    let analysed = &scan.findings[2];
    assert_eq!(analysed.severity, Severity::Unknown);
    let analysis = analysed.analysis.as_ref().expect("analysis");
    assert_eq!(analysis.status, VexStatus::NotAffected);
    let report = apply::apply(
        vec![ScanInput {
            origin: origin("scan"),
            scan,
            image: vec![IMAGE.to_owned()],
        }],
        Vec::new(),
    );
    assert_eq!(
        (
            report.summary.critical,
            report.summary.high,
            report.summary.suppressed
        ),
        (1, 1, 1)
    );
    assert_eq!(report.summary.label(), "1 critical · 1 high (1 suppressed)");
}

#[test]
fn a_cyclonedx_document_of_analyses_only_is_vex() {
    let doc = vex(
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"vulnerabilities":[
        {"id":"CVE-2024-0727","analysis":{"state":"resolved"},"affects":[{"ref":"urn:cdx:ab-cd/1#ssl-ref"}]}]}"#,
    );
    assert_eq!(doc.format, "CycloneDX VEX");
    let statement = &doc.statements[0];
    assert_eq!(statement.status, VexStatus::Fixed);
    assert_eq!(statement.products[0].bom_serial.as_deref(), Some("ab-cd"));
    // No vulnerabilities at all: an SBOM, nothing to read here.
    assert_eq!(
        read_document(br#"{"bomFormat":"CycloneDX","components":[]}"#).expect("reads"),
        None
    );
}

#[test]
fn reads_sarif_as_trivy_and_grype_write_it() {
    let trivy = r#"{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0-rtm.5.json","runs":[{"tool":{"driver":{"name":"Trivy","version":"0.74.0",
      "rules":[{"id":"CVE-2019-1549","shortDescription":{"text":"openssl: fork"},"properties":{"security-severity":"5.3","tags":["vulnerability","security","MEDIUM"]}},
               {"id":"AVD-DS-0002","properties":{"tags":["misconfiguration","security","HIGH"]}}]}},
      "results":[{"ruleId":"CVE-2019-1549","ruleIndex":0,"message":{"text":"Package: libcrypto1.1\nInstalled Version: 1.1.1c-r0\nVulnerability CVE-2019-1549\nSeverity: MEDIUM\nFixed Version: 1.1.1d-r0"}},
                 {"ruleId":"AVD-DS-0002","ruleIndex":1,"message":{"text":"root user"}}]}]}"#;
    let trivy = scan(trivy);
    assert_eq!(trivy.findings.len(), 1, "the misconfiguration is left out");
    let f = &trivy.findings[0];
    assert_eq!(
        (
            f.package.as_str(),
            f.installed.as_deref(),
            f.fixed.as_deref()
        ),
        ("libcrypto1.1", Some("1.1.1c-r0"), Some("1.1.1d-r0"))
    );
    assert_eq!(
        (f.severity, f.severity_basis.as_str()),
        (Severity::Medium, "scanner")
    );
    let grype = r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Grype","version":"0.122.1","rules":[
      {"id":"CVE-1999-0001-package-1","help":{"text":"Vulnerability CVE-1999-0001\nPackage: package-1\nVersion: 1.1.1\nFix Version: 1.2.1"},"properties":{"security-severity":"8.2"}}]}},
      "results":[{"ruleId":"CVE-1999-0001-package-1","message":{"text":"A low vulnerability in rpm package: package-1, version 1.1.1 was found in image user-input"}}]}]}"#;
    let f = &scan(grype).findings[0];
    assert_eq!(f.id, "CVE-1999-0001");
    assert_eq!(
        (f.package.as_str(), f.installed.as_deref()),
        ("package-1", Some("1.1.1"))
    );
    // No severity word: the security-severity score is rated.
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.severity_basis.starts_with("highest rating"),
        "{}",
        f.severity_basis
    );
}

#[test]
fn unwraps_a_cosign_vuln_attestation_in_dsse() {
    let predicate = r#"{"invocation":{"uri":""},"scanner":{"uri":"pkg:github/aquasecurity/trivy@0.74.0","version":"0.74.0","db":{"uri":"","version":""},
      "result":{"SchemaVersion":2,"CreatedAt":"2025-01-01T00:00:00Z","ArtifactName":"app","Results":[{"Target":"app","Vulnerabilities":[
        {"VulnerabilityID":"CVE-2024-1","PkgName":"zlib","InstalledVersion":"1.3","FixedVersion":"1.3.1","Severity":"CRITICAL","CVSS":{"nvd":{"V3Score":5.0}}}]}]}},
      "metadata":{"scanStartedOn":"2025-01-02T00:00:00Z","scanFinishedOn":"2025-01-02T00:01:00Z"}}"#;
    let statement = format!(
        r#"{{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cosign.sigstore.dev/attestation/vuln/v1","subject":[],"predicate":{predicate}}}"#
    );
    let dsse = format!(
        r#"{{"payloadType":"application/vnd.in-toto+json","payload":"{}","signatures":[]}}"#,
        base64::engine::general_purpose::STANDARD.encode(statement)
    );
    let read = read_document(dsse.as_bytes())
        .expect("reads")
        .expect("a scan");
    assert_eq!(read.envelope, Some("DSSE envelope"));
    let Document::Scan(scan) = read.document else {
        panic!("not a scan");
    };
    assert_eq!(scan.info.format, "Trivy JSON (cosign vuln predicate)");
    assert_eq!(
        scan.info.time.as_ref().map(|t| t.text.as_str()),
        Some("2025-01-02T00:01:00Z")
    );
    let f = &scan.findings[0];
    assert_eq!(
        (f.severity, f.severity_basis.as_str()),
        (Severity::Critical, "scanner")
    );
    assert_eq!(f.fixed.as_deref(), Some("1.3.1"));
}

#[test]
fn hostile_documents_are_errors_not_panics() {
    for bytes in [
        &b"{"[..],
        b"{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"ratings\":[{\"score\":{}}],\"affects\":7}]}",
        b"<?xml version=\"1.0\"?><!DOCTYPE bom [<!ENTITY x \"y\">]><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>",
        b"{\"runs\":7,\"version\":\"2.1.0\"}",
        b"{\"payloadType\":\"x\",\"payload\":\"!!\"}",
    ] {
        let outcome = read_document(bytes);
        assert!(
            !matches!(outcome, Ok(Some(_))),
            "{}: {outcome:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(read_document(b"plain text").expect("reads"), None);
    assert_eq!(read_document(b"").expect("reads"), None);
}

#[test]
fn reads_cyclonedx_xml() {
    let xml = r#"<?xml version="1.0"?>
<bom serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1" xmlns="http://cyclonedx.org/schema/bom/1.5">
  <metadata><timestamp>2025-01-01T00:00:00Z</timestamp><tools><tool><name>scanner</name><version>1</version></tool></tools></metadata>
  <components><component type="library" bom-ref="jd"><name>jackson-databind</name><version>2.9.4</version><purl>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4</purl></component></components>
  <vulnerabilities><vulnerability><id>CVE-2018-7489</id>
    <ratings><rating><score>9.8</score><severity>critical</severity><method>CVSSv3</method></rating></ratings>
    <affects><target><ref>jd</ref></target></affects></vulnerability></vulnerabilities>
</bom>"#;
    let scan = scan(xml);
    assert_eq!(scan.info.format, "CycloneDX XML");
    assert_eq!(scan.info.scanner_label(), "scanner 1");
    let f = &scan.findings[0];
    assert_eq!(
        (f.id.as_str(), f.package.as_str(), f.severity),
        ("CVE-2018-7489", "jackson-databind", Severity::Critical)
    );
    assert_eq!(
        f.purl.as_deref(),
        Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4")
    );
}

#[test]
fn summaries_gate_like_grype() {
    let summary = VulnSummary {
        critical: 0,
        high: 2,
        medium: 1,
        low: 0,
        unknown: 4,
        suppressed: 3,
        ..VulnSummary::default()
    };
    assert_eq!(summary.at_or_above(Severity::Critical), 0);
    assert_eq!(summary.at_or_above(Severity::High), 2);
    assert_eq!(
        summary.at_or_above(Severity::Low),
        3,
        "unknown is below low"
    );
    assert_eq!(
        summary.label(),
        "2 high · 1 medium · 4 unknown (3 suppressed)"
    );
    assert_eq!(VulnSummary::default().label(), "no findings");
    let _ = OTHER;
}
