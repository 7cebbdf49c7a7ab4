//! SBOM formats: by media type when it says, by content when it is generic
//! (`application/json`, `text/plain`, an in-toto predicate).

use crate::oci::media_type as mt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SbomFormat {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    SyftJson,
}

impl SbomFormat {
    pub fn label(self) -> &'static str {
        match self {
            SbomFormat::CycloneDxJson => "CycloneDX JSON",
            SbomFormat::CycloneDxXml => "CycloneDX XML",
            SbomFormat::SpdxJson => "SPDX JSON",
            SbomFormat::SpdxTagValue => "SPDX tag-value",
            SbomFormat::SyftJson => "Syft JSON",
        }
    }

    /// The file name an SBOM of this format is written under when nothing
    /// else names it (the names syft and trivy use for their outputs).
    pub fn file_name(self) -> &'static str {
        match self {
            SbomFormat::CycloneDxJson => "sbom.cdx.json",
            SbomFormat::CycloneDxXml => "sbom.cdx.xml",
            SbomFormat::SpdxJson => "sbom.spdx.json",
            SbomFormat::SpdxTagValue => "sbom.spdx",
            SbomFormat::SyftJson => "sbom.syft.json",
        }
    }

    /// The format a media type names, when it names one.
    pub fn from_media_type(media_type: &str) -> Option<SbomFormat> {
        let bare = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Some(match bare.as_str() {
            mt::CYCLONEDX_JSON | "application/vnd.cyclonedx" => SbomFormat::CycloneDxJson,
            mt::CYCLONEDX_XML => SbomFormat::CycloneDxXml,
            mt::SPDX_JSON | "text/spdx+json" => SbomFormat::SpdxJson,
            mt::SPDX_TAG_VALUE => SbomFormat::SpdxTagValue,
            mt::SYFT_JSON => SbomFormat::SyftJson,
            _ => return None,
        })
    }

    /// The format of a document, read from its first bytes and keys.
    pub fn sniff(bytes: &[u8]) -> Option<SbomFormat> {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') {
            let doc: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            return Self::of_json(&doc);
        }
        if trimmed.starts_with('<') {
            return (trimmed.contains("cyclonedx.org/schema/bom") && trimmed.contains("<bom"))
                .then_some(SbomFormat::CycloneDxXml);
        }
        trimmed
            .lines()
            .take(20)
            .any(|line| line.starts_with("SPDXVersion:"))
            .then_some(SbomFormat::SpdxTagValue)
    }

    /// The format of a parsed JSON document (an in-toto predicate, say).
    pub fn of_json(doc: &serde_json::Value) -> Option<SbomFormat> {
        if doc.get("bomFormat").and_then(|v| v.as_str()) == Some("CycloneDX") {
            Some(SbomFormat::CycloneDxJson)
        } else if doc
            .get("spdxVersion")
            .is_some_and(serde_json::Value::is_string)
        {
            Some(SbomFormat::SpdxJson)
        } else if doc
            .get("artifacts")
            .is_some_and(serde_json::Value::is_array)
            && doc
                .pointer("/schema/url")
                .and_then(|v| v.as_str())
                .is_some_and(|u| u.contains("syft"))
        {
            Some(SbomFormat::SyftJson)
        } else {
            None
        }
    }

    /// The format an in-toto predicate type promises.
    pub fn from_predicate_type(predicate_type: &str) -> Option<SbomFormat> {
        let p = predicate_type.to_ascii_lowercase();
        if p.starts_with("https://cyclonedx.org/") {
            Some(SbomFormat::CycloneDxJson)
        } else if p.starts_with("https://spdx.dev/") || p.starts_with("https://spdx.github.io/") {
            Some(SbomFormat::SpdxJson)
        } else if p.contains("syft") {
            Some(SbomFormat::SyftJson)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_each_format_by_type_and_by_content() {
        assert_eq!(
            SbomFormat::from_media_type("application/vnd.cyclonedx+json; version=1.5"),
            Some(SbomFormat::CycloneDxJson)
        );
        assert_eq!(
            SbomFormat::from_media_type("text/spdx"),
            Some(SbomFormat::SpdxTagValue)
        );
        assert_eq!(SbomFormat::from_media_type("application/json"), None);
        let cases: [(&[u8], Option<SbomFormat>); 6] = [
            (br#"{"bomFormat":"CycloneDX","specVersion":"1.5"}"#, Some(SbomFormat::CycloneDxJson)),
            (br#" {"spdxVersion":"SPDX-2.3","packages":[]}"#, Some(SbomFormat::SpdxJson)),
            (
                br#"{"artifacts":[],"schema":{"version":"16","url":"https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.json"}}"#,
                Some(SbomFormat::SyftJson),
            ),
            (
                b"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">",
                Some(SbomFormat::CycloneDxXml),
            ),
            (b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", Some(SbomFormat::SpdxTagValue)),
            (br#"{"name":"not an sbom"}"#, None),
        ];
        for (bytes, want) in cases {
            assert_eq!(
                SbomFormat::sniff(bytes),
                want,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        assert_eq!(
            SbomFormat::from_predicate_type("https://cyclonedx.org/bom/v1.5"),
            Some(SbomFormat::CycloneDxJson)
        );
        assert_eq!(
            SbomFormat::from_predicate_type("https://slsa.dev/provenance/v1"),
            None
        );
    }
}
