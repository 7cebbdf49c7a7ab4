//! Media types as named constants, and how a person should see an artifact
//! type: a short label and a kind that picks its colour.

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// The OCI artifact manifest, withdrawn before OCI 1.1 but still stored.
pub const OCI_ARTIFACT_MANIFEST: &str = "application/vnd.oci.artifact.manifest.v1+json";
pub const ORAS_ARTIFACT_MANIFEST: &str = "application/vnd.cncf.oras.artifact.manifest.v1+json";

pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
pub const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_TAR_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_TAR_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const DOCKER_LAYER_TAR_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

pub const CYCLONEDX_JSON: &str = "application/vnd.cyclonedx+json";
pub const CYCLONEDX_XML: &str = "application/vnd.cyclonedx+xml";
pub const SPDX_JSON: &str = "application/spdx+json";
pub const SYFT_JSON: &str = "application/vnd.syft+json";
pub const IN_TOTO: &str = "application/vnd.in-toto+json";
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
pub const NOTARY_SIGNATURE: &str = "application/vnd.cncf.notary.signature";
pub const SIGSTORE_BUNDLE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
pub const COSIGN_SIGNATURE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const COSIGN_ARTIFACT_SIG: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
pub const COSIGN_ARTIFACT_SBOM: &str = "application/vnd.dev.cosign.artifact.sbom.v1+json";
pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";

/// The empty JSON object `{}` used as config and layer by OCI 1.1 artifacts.
pub const EMPTY_JSON: &[u8] = b"{}";

pub const ANNOTATION_TITLE: &str = "org.opencontainers.image.title";
pub const ANNOTATION_CREATED: &str = "org.opencontainers.image.created";
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
pub const ANNOTATION_UNPACK: &str = "io.deis.oras.content.unpack";
pub const ANNOTATION_CONTENT_DIGEST: &str = "io.deis.oras.content.digest";
/// BuildKit marks attestation manifests inside an image index with this.
pub const ANNOTATION_DOCKER_REFERENCE_TYPE: &str = "vnd.docker.reference.type";
pub const ANNOTATION_DOCKER_REFERENCE_DIGEST: &str = "vnd.docker.reference.digest";
pub const DOCKER_ATTESTATION_MANIFEST: &str = "attestation-manifest";

/// Every manifest type a registry may answer with; sent as `Accept`.
pub const MANIFEST_TYPES: &[&str] = &[
    OCI_MANIFEST,
    OCI_INDEX,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_ARTIFACT_MANIFEST,
    ORAS_ARTIFACT_MANIFEST,
];

pub fn is_index(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
}

pub fn is_manifest(media_type: &str) -> bool {
    MANIFEST_TYPES.contains(&media_type)
}

/// What kind of thing an artifact is, for grouping and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArtifactKind {
    Image,
    Index,
    Signature,
    Sbom,
    Attestation,
    Document,
    Chart,
    Other,
}

impl ArtifactKind {
    pub fn label(self) -> &'static str {
        match self {
            ArtifactKind::Image => "image",
            ArtifactKind::Index => "index",
            ArtifactKind::Signature => "signature",
            ArtifactKind::Sbom => "sbom",
            ArtifactKind::Attestation => "attestation",
            ArtifactKind::Document => "doc",
            ArtifactKind::Chart => "chart",
            ArtifactKind::Other => "artifact",
        }
    }
}

/// Classifies an artifact type (or config media type) by what it holds.
pub fn artifact_kind(artifact_type: &str) -> ArtifactKind {
    let t = artifact_type.to_ascii_lowercase();
    match t.as_str() {
        OCI_CONFIG | DOCKER_CONFIG => ArtifactKind::Image,
        OCI_INDEX | DOCKER_MANIFEST_LIST => ArtifactKind::Index,
        HELM_CONFIG => ArtifactKind::Chart,
        _ if t.contains("signature") || t.contains("cosign") && t.contains("sig") => {
            ArtifactKind::Signature
        }
        _ if t.contains("sigstore.bundle") => ArtifactKind::Signature,
        _ if t.contains("sbom")
            || t.contains("cyclonedx")
            || t.contains("spdx")
            || t.contains("syft") =>
        {
            ArtifactKind::Sbom
        }
        _ if t.contains("in-toto") || t.contains("dsse") || t.contains("attestation") => {
            ArtifactKind::Attestation
        }
        _ if t.contains("readme") || t.contains("markdown") || t.contains("doc") => {
            ArtifactKind::Document
        }
        _ => ArtifactKind::Other,
    }
}

/// A short, recognisable name for a well-known type; unknown types are shown
/// as they are.
pub fn friendly_name(artifact_type: &str) -> Option<&'static str> {
    Some(match artifact_type {
        CYCLONEDX_JSON | CYCLONEDX_XML => "CycloneDX SBOM",
        SPDX_JSON => "SPDX SBOM",
        SYFT_JSON => "Syft SBOM",
        IN_TOTO => "in-toto attestation",
        DSSE_ENVELOPE => "DSSE envelope",
        NOTARY_SIGNATURE => "Notary v2 signature",
        SIGSTORE_BUNDLE => "Sigstore bundle",
        COSIGN_SIGNATURE | COSIGN_ARTIFACT_SIG => "cosign signature",
        COSIGN_ARTIFACT_SBOM => "cosign SBOM",
        HELM_CONFIG => "Helm chart",
        OCI_CONFIG | DOCKER_CONFIG => "container image",
        _ => return None,
    })
}

/// Whether a type is an SBOM a person would want when they ask for "the SBOM".
pub fn is_sbom(artifact_type: &str) -> bool {
    artifact_kind(artifact_type) == ArtifactKind::Sbom
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_well_known_types() {
        assert_eq!(artifact_kind(CYCLONEDX_JSON), ArtifactKind::Sbom);
        assert_eq!(artifact_kind(SPDX_JSON), ArtifactKind::Sbom);
        assert_eq!(artifact_kind("sbom/example"), ArtifactKind::Sbom);
        assert_eq!(artifact_kind("signature/example"), ArtifactKind::Signature);
        assert_eq!(artifact_kind(NOTARY_SIGNATURE), ArtifactKind::Signature);
        assert_eq!(artifact_kind(SIGSTORE_BUNDLE), ArtifactKind::Signature);
        assert_eq!(artifact_kind(COSIGN_SIGNATURE), ArtifactKind::Signature);
        assert_eq!(artifact_kind(IN_TOTO), ArtifactKind::Attestation);
        assert_eq!(artifact_kind(DSSE_ENVELOPE), ArtifactKind::Attestation);
        assert_eq!(artifact_kind("readme/example"), ArtifactKind::Document);
        assert_eq!(artifact_kind(HELM_CONFIG), ArtifactKind::Chart);
        assert_eq!(artifact_kind(OCI_CONFIG), ArtifactKind::Image);
        assert_eq!(artifact_kind("application/x-unknown"), ArtifactKind::Other);
        assert!(is_sbom(CYCLONEDX_JSON));
        assert!(!is_sbom(NOTARY_SIGNATURE));
    }
}
