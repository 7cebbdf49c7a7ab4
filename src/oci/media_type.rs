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
pub const COSIGN_ARTIFACT_ATTESTATION: &str =
    "application/vnd.dev.cosign.artifact.attestation.v1+json";
pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";
pub const WASM_CONFIG: &str = "application/vnd.wasm.config.v0+json";
pub const WASM_LAYER: &str = "application/vnd.wasm.content.layer.v1+wasm";
pub const SARIF: &str = "application/sarif+json";
pub const TRIVY_REPORT: &str = "application/vnd.aquasec.trivy.report+json";
pub const OPENVEX: &str = "application/openvex+json";
pub const CSAF: &str = "application/csaf+json";
pub const SPDX_TAG_VALUE: &str = "text/spdx";

/// in-toto predicate types real tools write.
pub const PREDICATE_CYCLONEDX: &str = "https://cyclonedx.org/bom";
pub const PREDICATE_SPDX: &str = "https://spdx.dev/Document";
pub const PREDICATE_SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
pub const PREDICATE_SLSA_V1: &str = "https://slsa.dev/provenance/v1";
pub const PREDICATE_COSIGN_SIGN: &str = "https://sigstore.dev/cosign/sign/v1";
pub const PREDICATE_COSIGN_VULN: &str = "https://cosign.sigstore.dev/attestation/vuln/v1";
pub const PREDICATE_OPENVEX: &str = "https://openvex.dev/ns";

/// Where the predicate type of an attestation is written down, so that it
/// is known without fetching the envelope: cosign's `.att` layers, Sigstore
/// bundle manifests (cosign v2.4+), BuildKit's in-toto layers.
pub const ANNOTATION_COSIGN_PREDICATE_TYPE: &str = "predicateType";
pub const ANNOTATION_BUNDLE_PREDICATE_TYPE: &str = "dev.sigstore.bundle.predicateType";
pub const ANNOTATION_INTOTO_PREDICATE_TYPE: &str = "in-toto.io/predicate-type";
/// cosign's signature over a simple-signing payload, on a `.sig` layer.
pub const ANNOTATION_COSIGN_SIGNATURE: &str = "dev.cosignproject.cosign/signature";

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

/// What kind of thing an artifact is, for grouping, colour and for the
/// operations that look for one kind ("the SBOM", "is it signed").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArtifactKind {
    Image,
    Index,
    Signature,
    Sbom,
    /// An in-toto attestation whose predicate says nothing more specific.
    Attestation,
    /// SLSA provenance.
    Provenance,
    /// Vulnerability reports and VEX documents.
    Scan,
    Document,
    Chart,
    Wasm,
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
            ArtifactKind::Provenance => "provenance",
            ArtifactKind::Scan => "scan",
            ArtifactKind::Document => "doc",
            ArtifactKind::Chart => "chart",
            ArtifactKind::Wasm => "wasm",
            ArtifactKind::Other => "artifact",
        }
    }
}

/// What real tools write, exactly: (media type, kind, friendly name). Looked
/// up before any heuristic, so that `…cosign.artifact.sbom…` is an SBOM even
/// though "cosign" contains "sig".
const KNOWN_TYPES: &[(&str, ArtifactKind, &str)] = &[
    (OCI_CONFIG, ArtifactKind::Image, "container image"),
    (DOCKER_CONFIG, ArtifactKind::Image, "container image"),
    (OCI_INDEX, ArtifactKind::Index, "image index"),
    (DOCKER_MANIFEST_LIST, ArtifactKind::Index, "image index"),
    (
        COSIGN_SIGNATURE,
        ArtifactKind::Signature,
        "cosign signature",
    ),
    (
        COSIGN_ARTIFACT_SIG,
        ArtifactKind::Signature,
        "cosign signature",
    ),
    (
        NOTARY_SIGNATURE,
        ArtifactKind::Signature,
        "Notation signature",
    ),
    (COSIGN_ARTIFACT_SBOM, ArtifactKind::Sbom, "cosign SBOM"),
    (CYCLONEDX_JSON, ArtifactKind::Sbom, "CycloneDX SBOM"),
    (CYCLONEDX_XML, ArtifactKind::Sbom, "CycloneDX SBOM"),
    (
        "application/vnd.cyclonedx",
        ArtifactKind::Sbom,
        "CycloneDX SBOM",
    ),
    (SPDX_JSON, ArtifactKind::Sbom, "SPDX SBOM"),
    ("text/spdx+json", ArtifactKind::Sbom, "SPDX SBOM"),
    (SPDX_TAG_VALUE, ArtifactKind::Sbom, "SPDX SBOM"),
    (SYFT_JSON, ArtifactKind::Sbom, "Syft SBOM"),
    (IN_TOTO, ArtifactKind::Attestation, "in-toto attestation"),
    (DSSE_ENVELOPE, ArtifactKind::Attestation, "DSSE envelope"),
    (
        COSIGN_ARTIFACT_ATTESTATION,
        ArtifactKind::Attestation,
        "cosign attestation",
    ),
    (SIGSTORE_BUNDLE, ArtifactKind::Signature, "Sigstore bundle"),
    (SARIF, ArtifactKind::Scan, "SARIF report"),
    (TRIVY_REPORT, ArtifactKind::Scan, "Trivy report"),
    (OPENVEX, ArtifactKind::Scan, "OpenVEX"),
    (
        "application/vnd.openvex+json",
        ArtifactKind::Scan,
        "OpenVEX",
    ),
    (CSAF, ArtifactKind::Scan, "CSAF VEX"),
    (HELM_CONFIG, ArtifactKind::Chart, "Helm chart"),
    (WASM_CONFIG, ArtifactKind::Wasm, "WebAssembly module"),
    (WASM_LAYER, ArtifactKind::Wasm, "WebAssembly module"),
];

fn known(artifact_type: &str) -> Option<&'static (&'static str, ArtifactKind, &'static str)> {
    let bare = artifact_type.split(';').next().unwrap_or("").trim();
    KNOWN_TYPES
        .iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(bare))
}

/// Classifies an artifact type (or config media type): the exact table
/// first, then guesses from the words in it.
pub fn artifact_kind(artifact_type: &str) -> ArtifactKind {
    if let Some((_, kind, _)) = known(artifact_type) {
        return *kind;
    }
    let t = artifact_type.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["sbom", "cyclonedx", "spdx", "syft"]) {
        ArtifactKind::Sbom
    } else if has(&["signature", ".sig.", "/sig"]) {
        ArtifactKind::Signature
    } else if has(&["provenance", "slsa"]) {
        ArtifactKind::Provenance
    } else if has(&["vuln", "sarif", "trivy", "vex", "csaf", "scan"]) {
        ArtifactKind::Scan
    } else if has(&["in-toto", "intoto", "dsse", "attestation"]) {
        ArtifactKind::Attestation
    } else if has(&["readme", "markdown", "doc"]) {
        ArtifactKind::Document
    } else if has(&["wasm"]) {
        ArtifactKind::Wasm
    } else {
        ArtifactKind::Other
    }
}

/// What an in-toto predicate type says the attestation holds.
pub fn predicate_kind(predicate_type: &str) -> ArtifactKind {
    let p = predicate_type.to_ascii_lowercase();
    if p.starts_with(PREDICATE_COSIGN_SIGN) {
        ArtifactKind::Signature
    } else if p.starts_with("https://cyclonedx.org/")
        || p.starts_with("https://spdx.dev/")
        || p.contains("syft")
        || p.starts_with("https://spdx.github.io/")
    {
        ArtifactKind::Sbom
    } else if p.starts_with("https://slsa.dev/provenance") || p.contains("provenance") {
        ArtifactKind::Provenance
    } else if p.starts_with(PREDICATE_COSIGN_VULN)
        || p.starts_with(PREDICATE_OPENVEX)
        || p.contains("vuln")
        || p.contains("vex")
    {
        ArtifactKind::Scan
    } else {
        ArtifactKind::Attestation
    }
}

/// A short name for an in-toto predicate type, for labels.
pub fn predicate_name(predicate_type: &str) -> String {
    let kind = predicate_kind(predicate_type);
    let p = predicate_type.to_ascii_lowercase();
    match kind {
        ArtifactKind::Sbom if p.contains("cyclonedx") => "CycloneDX SBOM".to_owned(),
        ArtifactKind::Sbom if p.contains("spdx") => "SPDX SBOM".to_owned(),
        ArtifactKind::Sbom => "SBOM".to_owned(),
        ArtifactKind::Provenance => "SLSA provenance".to_owned(),
        ArtifactKind::Signature => "signature".to_owned(),
        ArtifactKind::Scan if p.contains("vex") => "VEX".to_owned(),
        ArtifactKind::Scan => "vulnerability scan".to_owned(),
        _ => predicate_type.to_owned(),
    }
}

/// A short, recognisable name for a well-known type; unknown types are shown
/// as they are.
pub fn friendly_name(artifact_type: &str) -> Option<&'static str> {
    known(artifact_type).map(|(_, _, name)| *name)
}

/// Whether a type is an SBOM a person would want when they ask for "the SBOM".
pub fn is_sbom(artifact_type: &str) -> bool {
    artifact_kind(artifact_type) == ArtifactKind::Sbom
}

/// Whether the type wraps an in-toto statement (DSSE, bundle, in-toto).
pub fn is_envelope(artifact_type: &str) -> bool {
    let bare = artifact_type.split(';').next().unwrap_or("").trim();
    [
        IN_TOTO,
        DSSE_ENVELOPE,
        SIGSTORE_BUNDLE,
        COSIGN_ARTIFACT_ATTESTATION,
    ]
    .iter()
    .any(|t| t.eq_ignore_ascii_case(bare))
        || bare.starts_with("application/vnd.dev.sigstore.bundle")
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
        // "cosign" contains "sig": the table answers before any guess.
        assert_eq!(artifact_kind(COSIGN_ARTIFACT_SBOM), ArtifactKind::Sbom);
        assert_eq!(artifact_kind(COSIGN_ARTIFACT_SIG), ArtifactKind::Signature);
        assert_eq!(artifact_kind("text/spdx+json"), ArtifactKind::Sbom);
        assert_eq!(artifact_kind(SARIF), ArtifactKind::Scan);
        assert_eq!(artifact_kind(OPENVEX), ArtifactKind::Scan);
        assert_eq!(artifact_kind(WASM_CONFIG), ArtifactKind::Wasm);
        assert_eq!(
            artifact_kind("application/x-slsa-provenance"),
            ArtifactKind::Provenance
        );
        assert_eq!(
            predicate_kind("https://cyclonedx.org/bom/v1.5"),
            ArtifactKind::Sbom
        );
        assert_eq!(predicate_kind(PREDICATE_SPDX), ArtifactKind::Sbom);
        assert_eq!(predicate_kind(PREDICATE_SLSA_V1), ArtifactKind::Provenance);
        assert_eq!(
            predicate_kind(PREDICATE_COSIGN_SIGN),
            ArtifactKind::Signature
        );
        assert_eq!(predicate_kind(PREDICATE_COSIGN_VULN), ArtifactKind::Scan);
        assert_eq!(
            predicate_kind("https://example.com/custom"),
            ArtifactKind::Attestation
        );
        assert!(is_envelope(SIGSTORE_BUNDLE));
        assert!(is_envelope(DSSE_ENVELOPE));
    }
}
