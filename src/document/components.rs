//! The packages an SBOM lists, whatever its format: CycloneDX (JSON or
//! XML, nested components included), SPDX (JSON or tag-value) and Syft
//! JSON, each read into one flat list of name, version, purl and type, so
//! that two SBOMs in different formats can be compared.

use serde::Deserialize;

use super::SbomFormat;

/// One package of an SBOM. Empty strings mean the document did not say.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Component {
    pub name: String,
    pub version: String,
    pub purl: String,
    /// CycloneDX's component type, SPDX's primary package purpose or
    /// Syft's package type, lowercased.
    pub kind: String,
}

/// Why a document's packages could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the {format} document's packages: {reason}")]
pub struct ComponentsError {
    pub format: &'static str,
    pub reason: String,
}

/// The packages of `bytes`, read as `format`.
pub fn components(bytes: &[u8], format: SbomFormat) -> Result<Vec<Component>, ComponentsError> {
    let fail = |reason: String| ComponentsError {
        format: format.label(),
        reason,
    };
    match format {
        SbomFormat::CycloneDxJson => cyclonedx_json(bytes).map_err(|e| fail(e.to_string())),
        SbomFormat::CycloneDxXml => cyclonedx_xml(bytes).map_err(fail),
        SbomFormat::SpdxJson => spdx_json(bytes).map_err(|e| fail(e.to_string())),
        SbomFormat::SpdxTagValue => spdx_tag_value(bytes).map_err(fail),
        SbomFormat::SyftJson => syft_json(bytes).map_err(|e| fail(e.to_string())),
    }
}

#[derive(Deserialize)]
struct CdxBom {
    #[serde(default)]
    components: Vec<CdxComponent>,
}

#[derive(Deserialize)]
struct CdxComponent {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    purl: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    components: Vec<CdxComponent>,
}

fn cyclonedx_json(bytes: &[u8]) -> Result<Vec<Component>, serde_json::Error> {
    let bom: CdxBom = serde_json::from_slice(bytes)?;
    let mut out = Vec::new();
    // A stack, not recursion: nesting depth comes from the document.
    let mut pending: Vec<CdxComponent> = bom.components;
    while let Some(mut item) = pending.pop() {
        pending.append(&mut item.components);
        out.push(Component {
            name: item.name,
            version: item.version,
            purl: item.purl,
            kind: item.kind.to_ascii_lowercase(),
        });
    }
    Ok(out)
}

fn cyclonedx_xml(bytes: &[u8]) -> Result<Vec<Component>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let text = text.trim_start_matches('\u{feff}');
    // roxmltree refuses DTDs by default: no entity expansion bombs.
    let doc = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let child_text = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let out = doc
        .descendants()
        .filter(|node| node.has_tag_name("component"))
        // Components under `metadata` describe the subject, not its packages.
        .filter(|node| !node.ancestors().any(|a| a.has_tag_name("metadata")))
        .map(|node| Component {
            name: child_text(node, "name"),
            version: child_text(node, "version"),
            purl: child_text(node, "purl"),
            kind: node
                .attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase(),
        })
        .collect();
    Ok(out)
}

#[derive(Deserialize)]
struct SpdxDocument {
    #[serde(default)]
    packages: Vec<SpdxPackage>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version_info: String,
    #[serde(default)]
    primary_package_purpose: String,
    #[serde(default)]
    external_refs: Vec<SpdxExternalRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxExternalRef {
    #[serde(default)]
    reference_type: String,
    #[serde(default)]
    reference_locator: String,
}

fn spdx_json(bytes: &[u8]) -> Result<Vec<Component>, serde_json::Error> {
    let doc: SpdxDocument = serde_json::from_slice(bytes)?;
    Ok(doc
        .packages
        .into_iter()
        .map(|package| Component {
            purl: package
                .external_refs
                .into_iter()
                .find(|r| r.reference_type == "purl")
                .map(|r| r.reference_locator)
                .unwrap_or_default(),
            name: package.name,
            version: package.version_info,
            kind: package.primary_package_purpose.to_ascii_lowercase(),
        })
        .collect())
}

/// SPDX tag-value: each `PackageName:` starts a package; its version,
/// purpose and purl follow until the next package or file.
fn spdx_tag_value(bytes: &[u8]) -> Result<Vec<Component>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let mut out: Vec<Component> = Vec::new();
    let mut in_package = false;
    for line in text.lines() {
        let Some((tag, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match tag.trim() {
            "PackageName" => {
                in_package = true;
                out.push(Component {
                    name: value.to_owned(),
                    version: String::new(),
                    purl: String::new(),
                    kind: String::new(),
                });
            }
            "FileName" | "SnippetSPDXID" => in_package = false,
            _ if !in_package => {}
            "PackageVersion" => set_last(&mut out, |c| c.version = value.to_owned()),
            "PrimaryPackagePurpose" => {
                set_last(&mut out, |c| c.kind = value.to_ascii_lowercase());
            }
            "ExternalRef" => {
                let mut words = value.split_whitespace();
                let (_category, kind, locator) = (words.next(), words.next(), words.next());
                if let (Some("purl"), Some(locator)) = (kind, locator) {
                    set_last(&mut out, |c| {
                        if c.purl.is_empty() {
                            c.purl = locator.to_owned();
                        }
                    });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn set_last(out: &mut [Component], change: impl FnOnce(&mut Component)) {
    if let Some(last) = out.last_mut() {
        change(last);
    }
}

#[derive(Deserialize)]
struct SyftDocument {
    #[serde(default)]
    artifacts: Vec<SyftPackage>,
}

#[derive(Deserialize)]
struct SyftPackage {
    #[serde(default)]
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    purl: String,
    #[serde(default, rename = "type")]
    kind: String,
}

fn syft_json(bytes: &[u8]) -> Result<Vec<Component>, serde_json::Error> {
    let doc: SyftDocument = serde_json::from_slice(bytes)?;
    Ok(doc
        .artifacts
        .into_iter()
        .map(|p| Component {
            name: p.name,
            version: p.version,
            purl: p.purl,
            kind: p.kind.to_ascii_lowercase(),
        })
        .collect())
}

#[cfg(test)]
#[path = "components_tests.rs"]
mod tests;
