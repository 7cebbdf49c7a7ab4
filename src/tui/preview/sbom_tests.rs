//! Reading SBOMs into their component table, columns aligned.

use super::*;

#[test]
fn reads_cyclonedx_and_spdx() {
    let cdx = br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
        {"name":"openssl","version":"3.0.1","licenses":[{"license":{"id":"Apache-2.0"}}],
         "purl":"pkg:apk/alpine/openssl@3.0.1"},
        {"name":"musl","version":"1.2","licenses":[{"expression":"MIT"}],
         "components":[{"name":"inner","version":"0"}]}]}"#;
    let summary = SbomSummary::parse(cdx).expect("cyclonedx");
    assert_eq!(summary.format, "CycloneDX 1.5");
    assert_eq!(summary.components.len(), 3);
    assert_eq!(summary.components[0].licence, "Apache-2.0");
    assert_eq!(summary.components[1].licence, "MIT");
    let text: Vec<String> = summary
        .lines("ssl", Style::new())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(text[1].contains("3  (1 match \"ssl\")"), "{text:?}");
    assert_eq!(text.len(), 4);

    let spdx = br#"{"spdxVersion":"SPDX-2.3","packages":[{"name":"zlib","versionInfo":"1.3",
        "licenseConcluded":"NOASSERTION","licenseDeclared":"Zlib",
        "externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:generic/zlib@1.3"}]}]}"#;
    let summary = SbomSummary::parse(spdx).expect("spdx");
    assert_eq!(summary.format, "SPDX-2.3");
    assert_eq!(summary.components[0].licence, "Zlib");
    assert_eq!(summary.components[0].purl, "pkg:generic/zlib@1.3");
    assert!(SbomSummary::parse(b"{\"x\":1}").is_none());
}

#[test]
fn columns_stay_aligned_for_long_cells() {
    let long_name = "a-very-long-component-name-that-goes-on-and-on";
    let cdx = format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
        {{"name":"{long_name}","version":"1.2.3-r0+build.20240101.abcdef","licenses":[
          {{"expression":"GPL-2.0-only AND MIT AND BSD-3-Clause AND Apache-2.0"}}]}},
        {{"name":"zlib","version":"1.3","licenses":[{{"license":{{"id":"Zlib"}}}}]}}]}}"#
    );
    let table = SbomTable::from(SbomSummary::parse(cdx.as_bytes()).expect("cyclonedx"));
    let rows: Vec<String> = table.rows.iter().map(ToString::to_string).collect();
    let version_at = |row: &str, version: &str| row.find(version).map(|i| row[..i].chars().count());
    assert_eq!(
        version_at(&rows[1], "1.2.3"),
        version_at(&rows[2], "1.3"),
        "{rows:#?}"
    );
    assert_eq!(
        version_at(&rows[0], "version"),
        version_at(&rows[2], "1.3"),
        "{rows:#?}"
    );
    assert!(rows[1].contains('…') && rows[1].chars().count() <= 2 + 26 + 2 + 14 + 2 + 30);
    // The search still sees the whole of what was cut.
    assert_eq!(table.matching("apache").map(|m| m.len()), Some(1));
    assert_eq!(table.matching("goes-on-and-on").map(|m| m.len()), Some(1));
    // A field the table does not show is not searched.
    let with_purl = br#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
        {"name":"zlib","version":"1.3","purl":"pkg:apk/alpine/zlib@1.3"}]}"#;
    let table = SbomTable::from(SbomSummary::parse(with_purl).expect("cyclonedx"));
    assert_eq!(table.matching("alpine").map(|m| m.len()), Some(0));
    assert_eq!(table.matching("zlib").map(|m| m.len()), Some(1));
}
