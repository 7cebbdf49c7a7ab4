//! The package readers on SBOMs made by real generators (cyclonedx-py,
//! sbom4python; `tests/it/data/sbom`), and on hostile input.

use super::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/data/sbom/");

fn read(name: &str) -> Vec<Component> {
    let bytes = std::fs::read(format!("{DATA}{name}")).expect("test SBOM");
    let format = SbomFormat::sniff(&bytes).expect("a known format");
    let mut found = components(&bytes, format).expect("packages");
    found.sort();
    found
}

fn names_and_versions(found: &[Component]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = found
        .iter()
        .map(|c| (c.name.clone(), c.version.clone(), c.purl.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_format_of_one_environment_lists_the_same_packages() {
    let cyclonedx = read("cyclonedx.json");
    assert_eq!(cyclonedx.len(), 5);
    assert!(cyclonedx.iter().all(|c| c.kind == "library"));
    let requests = cyclonedx
        .iter()
        .find(|c| c.name == "requests")
        .expect("requests");
    assert_eq!(requests.version, "2.32.3");
    assert_eq!(requests.purl, "pkg:pypi/requests@2.32.3");
    let want = names_and_versions(&cyclonedx);
    for other in ["cyclonedx.xml", "spdx.json", "spdx.spdx"] {
        assert_eq!(names_and_versions(&read(other)), want, "{other}");
    }
    // The XML's tool components (under `metadata`) are not packages.
    let v2 = read("cyclonedx-v2.xml");
    assert_eq!(
        names_and_versions(&v2),
        names_and_versions(&read("spdx-v2.spdx"))
    );
    assert!(
        v2.iter()
            .any(|c| c.name == "packaging" && c.version == "24.2")
    );
}

#[test]
fn nested_components_and_syft_packages_are_read() {
    let nested = br#"{"bomFormat":"CycloneDX","components":[
        {"name":"app","version":"1","type":"application","components":[
            {"name":"lib","version":"2","purl":"pkg:npm/lib@2","type":"library"}]}]}"#;
    let found = components(nested, SbomFormat::CycloneDxJson).expect("packages");
    assert_eq!(found.len(), 2);
    assert!(found.iter().any(|c| c.purl == "pkg:npm/lib@2"));
    let syft = br#"{"artifacts":[{"name":"musl","version":"1.2.4","type":"apk",
        "purl":"pkg:apk/alpine/musl@1.2.4"}],"schema":{"url":"syft"}}"#;
    let found = components(syft, SbomFormat::SyftJson).expect("packages");
    assert_eq!(found[0].kind, "apk");
}

#[test]
fn hostile_documents_are_errors_not_panics() {
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa">
        <!ENTITY b "&a;&a;&a;&a;">]><bom xmlns="http://cyclonedx.org/schema/bom/1.5">
        <components><component type="library"><name>&b;</name></component></components></bom>"#;
    assert!(components(bomb, SbomFormat::CycloneDxXml).is_err());
    assert!(components(b"{\"components\": 3}", SbomFormat::CycloneDxJson).is_err());
    assert!(components(b"\xff\xfe", SbomFormat::SpdxTagValue).is_err());
    let deep = format!(
        "{{\"components\":[{}{}]}}",
        "{\"name\":\"x\",\"components\":[".repeat(100),
        "]}".repeat(100)
    );
    // serde_json's recursion limit refuses it before our walk starts.
    let _ = components(deep.as_bytes(), SbomFormat::CycloneDxJson);
    let orphan = b"ExternalRef: PACKAGE-MANAGER purl pkg:pypi/x@1\nPackageVersion: 1\n";
    assert!(
        components(orphan, SbomFormat::SpdxTagValue)
            .expect("read")
            .is_empty()
    );
}
