//! Which SBOM a pull writes. "The SBOM" is a document, wherever real tools
//! put it. Among one subject's own attachments the candidates are taken in
//! this order, newest (`org.opencontainers.image.created`) first within
//! each rank:
//!
//! 1. an SBOM artifact (`application/vnd.cyclonedx+json`, SPDX, Syft, …):
//!    its files as they were pushed;
//! 2. cosign's SBOM (`cosign attach sbom`: the `.sbom` tag or its referrer);
//! 3. an attestation whose predicate is an SBOM (a DSSE envelope, a
//!    Sigstore bundle, a bare in-toto statement, BuildKit's attestation
//!    manifest): the predicate, unwrapped, unless `--raw` keeps the envelope;
//! 4. an attestation that does not announce its predicate type, read to
//!    find out;
//! 5. an artifact of a generic type whose file reads as an SBOM.

use std::cmp::Reverse;

use super::select::{Candidate, Scope, Wanted, candidate};
use crate::document::SbomFormat;
use crate::graph::{CosignTag, FoundBy, GraphNode};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Manifest};

/// How sure the choice is that this holds an SBOM; lower is preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SbomRank {
    Document,
    CosignSbom,
    Attestation,
    UnannouncedAttestation,
    ByContent,
}

impl SbomRank {
    pub fn label(self) -> &'static str {
        match self {
            SbomRank::Document => "SBOM artifact",
            SbomRank::CosignSbom => "cosign SBOM",
            SbomRank::Attestation | SbomRank::UnannouncedAttestation => "attestation",
            SbomRank::ByContent => "artifact read as an SBOM",
        }
    }

    /// Whether the candidate must be read before it is known to hold one.
    pub fn needs_reading(self) -> bool {
        matches!(self, SbomRank::UnannouncedAttestation | SbomRank::ByContent)
    }
}

/// The SBOM candidates in scope, in the documented order.
pub fn sbom_candidates(scope: &Scope<'_>, raw: bool) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = scope
        .nodes
        .iter()
        .filter(|node| node.is_attached())
        .filter_map(|node| sbom_candidate(node, scope, raw))
        .collect();
    found.sort_by_key(|c| (c.rank, Reverse(c.created.clone())));
    found
}

fn sbom_candidate(node: &GraphNode, scope: &Scope<'_>, raw: bool) -> Option<Candidate> {
    let manifest = node.manifest.clone()?;
    let artifact_type = node.artifact_type.as_deref().unwrap_or_default();
    let by_cosign_tag = node.has_cosign_tag(CosignTag::Sbom);
    let layer_format = |layer: &Descriptor| SbomFormat::from_media_type(&layer.media_type);
    if by_cosign_tag || artifact_type == mt::COSIGN_ARTIFACT_SBOM {
        let layers = document_layers(&manifest, layer_format);
        let format = manifest.layers.iter().find_map(layer_format);
        return Some(candidate(
            node,
            manifest,
            scope,
            Some(SbomRank::CosignSbom),
            format,
            layers,
        ));
    }
    if mt::artifact_kind(artifact_type) == ArtifactKind::Sbom && !mt::is_envelope(artifact_type) {
        let format = SbomFormat::from_media_type(artifact_type)
            .or_else(|| manifest.layers.iter().find_map(layer_format));
        let layers = document_layers(&manifest, layer_format);
        return Some(candidate(
            node,
            manifest,
            scope,
            Some(SbomRank::Document),
            format,
            layers,
        ));
    }
    if let Some((rank, format, layers)) = attestation_layers(node, &manifest, raw) {
        return Some(candidate(node, manifest, scope, Some(rank), format, layers));
    }
    let generic = manifest.layers.len() == 1
        && matches!(
            manifest.layers[0].media_type.as_str(),
            "application/json" | "text/plain" | "application/octet-stream" | "application/xml"
        );
    if generic && !matches!(node.kind(), ArtifactKind::Signature | ArtifactKind::Image) {
        let layers = document_layers(&manifest, layer_format);
        return Some(candidate(
            node,
            manifest,
            scope,
            Some(SbomRank::ByContent),
            None,
            layers,
        ));
    }
    None
}

/// Every layer of an SBOM artifact, as pushed: titled ones by title, an
/// untitled SBOM layer under its format's name.
fn document_layers(
    manifest: &Manifest,
    layer_format: impl Fn(&Descriptor) -> Option<SbomFormat>,
) -> Vec<Wanted> {
    manifest
        .layers
        .iter()
        .map(|layer| Wanted {
            name: if layer.title().is_some() {
                None
            } else {
                layer_format(layer).map(|f| f.file_name().to_owned())
            },
            descriptor: layer.clone(),
            unwrap_predicate: false,
            content: None,
        })
        .collect()
}

/// The layers of an attestation manifest whose predicate is (or may be) an
/// SBOM. cosign keeps several attestations as layers of one `.att`
/// manifest, each announcing its own predicate type.
fn attestation_layers(
    node: &GraphNode,
    manifest: &Manifest,
    raw: bool,
) -> Option<(SbomRank, Option<SbomFormat>, Vec<Wanted>)> {
    let envelope_like = |layer: &Descriptor| {
        mt::is_envelope(&layer.media_type)
            || node.artifact_type.as_deref().is_some_and(mt::is_envelope)
            || node.found_by.contains(&FoundBy::BuildKitAttestation)
    };
    let manifest_predicate = manifest.annotation(mt::ANNOTATION_BUNDLE_PREDICATE_TYPE);
    let mut best: Option<(SbomRank, Option<SbomFormat>, Vec<Wanted>)> = None;
    for layer in manifest.layers.iter().filter(|l| envelope_like(l)) {
        let predicate = [
            mt::ANNOTATION_INTOTO_PREDICATE_TYPE,
            mt::ANNOTATION_COSIGN_PREDICATE_TYPE,
        ]
        .iter()
        .find_map(|key| layer.annotation(key))
        .or(manifest_predicate);
        let (rank, format) = match predicate {
            Some(p) if mt::predicate_kind(p) == ArtifactKind::Sbom => {
                (SbomRank::Attestation, SbomFormat::from_predicate_type(p))
            }
            Some(_) => continue,
            None => (SbomRank::UnannouncedAttestation, None),
        };
        let name = if raw {
            layer.title().is_none().then(|| {
                let kind = if node.artifact_type.as_deref() == Some(mt::SIGSTORE_BUNDLE) {
                    "sigstore.json"
                } else if layer.media_type == mt::IN_TOTO {
                    "intoto.json"
                } else {
                    "dsse.json"
                };
                format!("attestation-{}.{kind}", &layer.digest.hex()[..12])
            })
        } else {
            Some(
                format
                    .unwrap_or(SbomFormat::CycloneDxJson)
                    .file_name()
                    .to_owned(),
            )
        };
        let wanted = Wanted {
            descriptor: layer.clone(),
            name,
            unwrap_predicate: !raw,
            content: None,
        };
        if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
            best = Some((rank, format, vec![wanted]));
        }
    }
    best
}
