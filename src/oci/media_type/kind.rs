//! How a person should see an artifact type: the kind that groups and
//! colours it, and a short name, from an exact table of what real tools
//! write before any guess from the words in it.

#[allow(clippy::wildcard_imports)] // the constants this classifies
use super::*;

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
