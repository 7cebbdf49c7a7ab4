//! A permissive model of every manifest kind a registry may hold, read from
//! (and always keeping) the raw bytes: a digest is over the bytes, so nothing
//! here is ever re-serialised to be stored again.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::Deserialize;

use super::descriptor::Descriptor;
use super::digest::Digest;
use super::media_type as mt;

/// Registries commonly refuse larger manifests; clients cap what they read.
pub const MAX_MANIFEST_SIZE: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManifestKind {
    OciImage,
    OciIndex,
    DockerImage,
    DockerList,
    /// The withdrawn `application/vnd.oci.artifact.manifest.v1+json`.
    OciArtifact,
    OrasArtifact,
    /// A media type we do not know: shown, never an error.
    Unknown,
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("manifest is not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error("manifest is {size} bytes, more than the {MAX_MANIFEST_SIZE}-byte limit")]
    TooLarge { size: u64 },
}

// By hand rather than `#[from]`, which would also make the JSON error the
// `source()`: the message already says it, and the CLI would repeat it.
impl From<serde_json::Error> for ManifestError {
    fn from(error: serde_json::Error) -> ManifestError {
        ManifestError::Json(error)
    }
}

#[derive(Debug, Clone)]
pub struct Manifest {
    raw: Bytes,
    digest: Digest,
    pub media_type: String,
    pub kind: ManifestKind,
    pub schema_version: Option<i64>,
    pub artifact_type: Option<String>,
    pub config: Option<Descriptor>,
    /// `layers`, or `blobs` for the artifact manifests.
    pub layers: Vec<Descriptor>,
    pub manifests: Vec<Descriptor>,
    pub subject: Option<Descriptor>,
    pub annotations: BTreeMap<String, String>,
    /// Things a careful reader should know: the document is ambiguous, its
    /// declared type disagrees with the registry's `Content-Type`, …
    pub warnings: Vec<String>,
    ambiguous: bool,
}

/// The wire shape. No `flatten`, so serde rejects a repeated known key
/// (`"layers"` twice), which different parsers would read differently.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    schema_version: Option<i64>,
    media_type: Option<String>,
    artifact_type: Option<String>,
    config: Option<Descriptor>,
    layers: Option<Vec<Descriptor>>,
    blobs: Option<Vec<Descriptor>>,
    manifests: Option<Vec<Descriptor>>,
    subject: Option<Descriptor>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

impl Manifest {
    /// Parses `raw` (already size-checked by whoever read it). `content_type`
    /// is what the registry said, used when the document does not say.
    pub fn parse(raw: Bytes, content_type: Option<&str>) -> Result<Manifest, ManifestError> {
        if raw.len() as u64 > MAX_MANIFEST_SIZE {
            return Err(ManifestError::TooLarge {
                size: raw.len() as u64,
            });
        }
        let wire: Wire = serde_json::from_slice(&raw)?;
        let digest = Digest::sha256_of(&raw);
        let mut warnings = Vec::new();
        let content_type = content_type
            .map(|ct| ct.split(';').next().unwrap_or(ct).trim())
            .filter(|ct| !ct.is_empty() && *ct != "application/json" && *ct != "text/plain");
        let media_type = match (&wire.media_type, content_type) {
            (Some(declared), Some(served)) if declared != served => {
                warnings.push(format!(
                    "the document says mediaType {declared} but the registry served it as {served}"
                ));
                declared.clone()
            }
            (Some(declared), _) => declared.clone(),
            (None, Some(served)) => served.to_owned(),
            (None, None) if wire.manifests.is_some() => mt::OCI_INDEX.to_owned(),
            (None, None) if wire.blobs.is_some() => mt::OCI_ARTIFACT_MANIFEST.to_owned(),
            (None, None) => mt::OCI_MANIFEST.to_owned(),
        };
        let ambiguous =
            wire.manifests.is_some() && (wire.layers.is_some() || wire.config.is_some());
        if ambiguous {
            warnings.push(
                "ambiguous document: it has both `manifests` and `layers`/`config`".to_owned(),
            );
        }
        let kind = match media_type.as_str() {
            mt::OCI_MANIFEST => ManifestKind::OciImage,
            mt::OCI_INDEX => ManifestKind::OciIndex,
            mt::DOCKER_MANIFEST => ManifestKind::DockerImage,
            mt::DOCKER_MANIFEST_LIST => ManifestKind::DockerList,
            mt::OCI_ARTIFACT_MANIFEST => ManifestKind::OciArtifact,
            mt::ORAS_ARTIFACT_MANIFEST => ManifestKind::OrasArtifact,
            _ => ManifestKind::Unknown,
        };
        let mut layers = wire.layers.unwrap_or_default();
        layers.extend(wire.blobs.unwrap_or_default());
        Ok(Manifest {
            raw,
            digest,
            media_type,
            kind,
            schema_version: wire.schema_version,
            artifact_type: wire.artifact_type,
            config: wire.config,
            layers,
            manifests: wire.manifests.unwrap_or_default(),
            subject: wire.subject,
            annotations: wire.annotations,
            warnings,
            ambiguous,
        })
    }

    /// The exact bytes, as stored.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// SHA-256 of the exact bytes.
    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    pub fn size(&self) -> u64 {
        self.raw.len() as u64
    }

    pub fn is_index(&self) -> bool {
        matches!(self.kind, ManifestKind::OciIndex | ManifestKind::DockerList)
            || (self.kind == ManifestKind::Unknown && !self.manifests.is_empty())
    }

    /// Both `manifests` and `layers`/`config`: pull and copy refuse such a
    /// document because clients disagree on what it is.
    pub fn is_ambiguous(&self) -> bool {
        self.ambiguous
    }

    /// What the artifact is: `artifactType`, else the config's media type.
    pub fn effective_artifact_type(&self) -> Option<&str> {
        self.artifact_type
            .as_deref()
            .or_else(|| self.config.as_ref().map(|c| c.media_type.as_str()))
    }

    /// The descriptor pointing at this manifest, as a referrers index lists
    /// it: media type, digest, size, artifact type and annotations.
    pub fn descriptor(&self) -> Descriptor {
        let mut descriptor =
            Descriptor::new(self.media_type.clone(), self.digest.clone(), self.size());
        descriptor.artifact_type = self.effective_artifact_type().map(str::to_owned);
        descriptor.annotations = self.annotations.clone();
        descriptor
    }

    /// Config and layers: every blob this manifest needs.
    pub fn blobs(&self) -> impl Iterator<Item = &Descriptor> {
        self.config.iter().chain(self.layers.iter())
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }
}

#[cfg(test)]
mod tests;
