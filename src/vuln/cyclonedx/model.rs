//! The parts of a CycloneDX document the vulnerability reader uses, as
//! serde reads them from JSON (and `cyclonedx_xml` fills them from XML).
//! Unknown fields are skipped; a score may be a number or a string.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Bom {
    #[serde(rename = "serialNumber")]
    pub serial: Option<String>,
    pub metadata: Option<Metadata>,
    #[serde(default)]
    pub components: Vec<Component>,
    #[serde(default)]
    pub vulnerabilities: Vec<Vulnerability>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Metadata {
    pub timestamp: Option<String>,
    pub tools: Option<Tools>,
    pub component: Option<Component>,
}

/// 1.4 lists tools; 1.5 and later keep them as `components`/`services`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Tools {
    List(Vec<Tool>),
    Object {
        #[serde(default)]
        components: Vec<Tool>,
        #[serde(default)]
        services: Vec<Tool>,
    },
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Tool {
    pub name: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Component {
    #[serde(rename = "bom-ref")]
    pub bom_ref: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub purl: Option<String>,
    #[serde(default)]
    pub components: Vec<Component>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Vulnerability {
    pub id: Option<String>,
    pub source: Option<Source>,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub ratings: Vec<Rating>,
    pub description: Option<String>,
    pub detail: Option<String>,
    pub recommendation: Option<String>,
    #[serde(default)]
    pub advisories: Vec<Advisory>,
    #[serde(default)]
    pub affects: Vec<Affect>,
    pub analysis: Option<Analysis>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Source {
    pub name: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Reference {
    pub id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Rating {
    pub source: Option<Source>,
    #[serde(default, deserialize_with = "lenient_score")]
    pub score: Option<f64>,
    pub severity: Option<String>,
    pub method: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Advisory {
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Affect {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub versions: Vec<AffectedVersion>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AffectedVersion {
    pub version: Option<String>,
    pub range: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Analysis {
    pub state: Option<String>,
    pub justification: Option<String>,
    pub detail: Option<String>,
}

/// A score written as a number or as a string; anything else is none.
fn lenient_score<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}
