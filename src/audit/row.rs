//! One audit row from one discovered tree: pure, no network. What counts
//! is what `graph` says is attached (`GraphNode::is_attached`: its manifest
//! names the subject, or cosign's tags or BuildKit's index put it there).

use super::image::{ImageAudit, SbomInfo, SignatureInfo};
use super::row_sbom::sbom_info;
use super::verification::{SignatureScheme, Verification};
use crate::graph::{CosignTag, GraphNode, ReferrerTree};
use crate::oci::Digest;
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::store::StoreError;

/// The row for `tree` (signatures not yet checked: `Unverified`).
pub fn summarize(tree: &ReferrerTree, tags: Vec<String>) -> ImageAudit {
    let attached = |nodes: &[GraphNode]| -> Vec<GraphNode> {
        nodes.iter().filter(|n| n.is_attached()).cloned().collect()
    };
    let subject_nodes = attached(&tree.referrers);
    let signatures = subject_nodes
        .iter()
        .filter(|n| kinds(n).contains(&ArtifactKind::Signature))
        .map(|n| SignatureInfo {
            digest: n.digest().clone(),
            scheme: scheme(n),
            found_by: n.found_by.iter().map(ToString::to_string).collect(),
            signer: None,
            verification: Verification::Unverified,
        })
        .collect();

    let (sbom, unfetched_platforms) = sbom_info(tree, &subject_nodes);

    let mut provenance = false;
    let mut scan = false;
    let mut other_attestations = 0;
    let mut newest: Option<String> = None;
    for node in tree.all_nodes().into_iter().filter(|n| n.is_attached()) {
        for kind in kinds(node) {
            match kind {
                ArtifactKind::Provenance => provenance = true,
                ArtifactKind::Scan => scan = true,
                ArtifactKind::Attestation => other_attestations += 1,
                _ => {}
            }
        }
        if let Some(created) = node.created()
            && newest.as_deref().is_none_or(|n| created > n)
        {
            newest = Some(created.to_owned());
        }
    }

    let mut warnings = tree.warnings.clone();
    for node in tree.all_nodes() {
        warnings.extend(
            node.warnings
                .iter()
                .map(|w| format!("{}: {w}", node.digest())),
        );
    }
    ImageAudit {
        repository: tree.repository.clone(),
        digest: tree.subject.digest.clone(),
        media_type: tree.subject.media_type.clone(),
        tags,
        signatures,
        sbom,
        provenance,
        scan,
        other_attestations,
        newest,
        vulnerabilities: None,
        verification: Verification::Unverified,
        unfetched_platforms,
        warnings,
        error: None,
    }
}

/// What a node holds. cosign's legacy `.att` manifest keeps one layer per
/// attestation (an SBOM and a provenance side by side), each with its
/// `predicateType` annotation, so each layer counts.
pub(super) fn kinds(node: &GraphNode) -> Vec<ArtifactKind> {
    let per_layer: Vec<ArtifactKind> = node
        .manifest
        .iter()
        .flat_map(|m| m.layers.iter())
        .filter_map(|layer| {
            layer
                .annotation(mt::ANNOTATION_COSIGN_PREDICATE_TYPE)
                .or_else(|| layer.annotation(mt::ANNOTATION_INTOTO_PREDICATE_TYPE))
        })
        .map(mt::predicate_kind)
        .collect();
    if per_layer.len() > 1 {
        return per_layer;
    }
    let kind = node.kind();
    // A cosign `.sig` tag's manifest is a plain image manifest whose
    // layers are simple-signing payloads.
    if kind != ArtifactKind::Signature && node.has_cosign_tag(CosignTag::Signature) {
        return vec![ArtifactKind::Signature];
    }
    vec![kind]
}

/// Which scheme made a signature node.
pub(super) fn scheme(node: &GraphNode) -> SignatureScheme {
    let artifact_type = node
        .artifact_type
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if node.has_cosign_tag(CosignTag::Signature) {
        SignatureScheme::CosignLegacy
    } else if artifact_type == mt::COSIGN_ARTIFACT_SIG {
        SignatureScheme::CosignOci11
    } else if artifact_type.contains("sigstore.bundle") || has_layer(node, "sigstore.bundle") {
        SignatureScheme::SigstoreBundle
    } else if artifact_type == mt::NOTARY_SIGNATURE {
        SignatureScheme::Notation
    } else if artifact_type == mt::COSIGN_SIGNATURE {
        SignatureScheme::CosignLegacy
    } else {
        SignatureScheme::Other
    }
}

fn has_layer(node: &GraphNode, media_type_part: &str) -> bool {
    node.manifest
        .iter()
        .flat_map(|m| m.layers.iter())
        .any(|l| l.media_type.to_ascii_lowercase().contains(media_type_part))
}

/// An SBOM is signed when it has a signature of its own attached, or when
/// it is an attestation whose statement sits in a signed envelope (a DSSE
/// envelope or a Sigstore bundle; BuildKit's bare in-toto layers are not).
pub(super) fn is_signed_sbom(node: &GraphNode) -> bool {
    is_signed_envelope(node)
        || node
            .children
            .iter()
            .any(|c| c.is_attached() && kinds(c).contains(&ArtifactKind::Signature))
}

pub(super) fn is_signed_envelope(node: &GraphNode) -> bool {
    let artifact_type = node.artifact_type.as_deref().unwrap_or_default();
    node.has_cosign_tag(CosignTag::Attestation)
        || has_layer(node, "dsse.envelope")
        || has_layer(node, "sigstore.bundle")
        || (mt::is_envelope(artifact_type) && !artifact_type.eq_ignore_ascii_case(mt::IN_TOTO))
}

/// The row of an image whose graph could not be discovered.
pub(super) fn failed_row(
    repository: &str,
    digest: &Digest,
    tags: Vec<String>,
    error: &StoreError,
) -> ImageAudit {
    ImageAudit {
        repository: repository.to_owned(),
        digest: digest.clone(),
        media_type: String::new(),
        tags,
        signatures: Vec::new(),
        sbom: SbomInfo::default(),
        provenance: false,
        scan: false,
        other_attestations: 0,
        newest: None,
        vulnerabilities: None,
        verification: Verification::Unverified,
        unfetched_platforms: Vec::new(),
        warnings: Vec::new(),
        error: Some(error.to_string()),
    }
}
