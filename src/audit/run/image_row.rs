//! One image's audit row: its graph discovered from the descriptor its
//! tag resolved to, summarised, its Notation signers named, and (with
//! trust material) its signatures and its SBOMs' signatures checked.

use crate::audit::image::ImageAudit;
use crate::audit::row::{failed_row, is_signed_envelope, kinds, summarize};
use crate::audit::verification::{SignatureScheme, Verification};
use crate::audit::verify::{Trust, Verdict, notation_signer, verify_node};
use crate::graph::{DiscoverOptions, GraphNode, ReferrerTree, discover};
use crate::oci::Digest;
use crate::oci::media_type::ArtifactKind;
use crate::store::Store;

/// Which image a row is for, and whether to read its scans.
#[derive(Debug, Clone, Copy)]
pub struct ImageRef<'a> {
    pub repository: &'a str,
    pub digest: &'a Digest,
    /// Read the attached scans and VEX (`AuditOptions::vulnerabilities`).
    pub vulnerabilities: bool,
}

/// One image's row: its graph discovered, summarised, and (with trust
/// material) its signatures checked.
pub async fn audit_image(
    store: &dyn Store,
    image: ImageRef<'_>,
    tags: Vec<String>,
    options: &DiscoverOptions,
    trust: Trust<'_>,
) -> ImageAudit {
    let ImageRef {
        repository, digest, ..
    } = image;
    let tree = match discover(store, repository, &digest.to_string(), options).await {
        Ok(tree) => tree,
        Err(error) => return failed_row(repository, digest, tags, &error),
    };
    let mut row = summarize(&tree, tags);
    if image.vulnerabilities {
        crate::audit::vulns::add_vulnerabilities(store, &tree, &mut row).await;
    }
    for signature in &mut row.signatures {
        if signature.scheme == SignatureScheme::Notation
            && let Some(node) = tree
                .referrers
                .iter()
                .find(|n| n.digest() == &signature.digest)
        {
            signature.signer = notation_signer(store, &tree.repository, node).await;
        }
    }
    if !trust.is_empty() {
        verify_row(store, &tree, &mut row, trust).await;
    }
    row
}

/// Checks every signature of the image, and of its SBOMs, against `trust`.
async fn verify_row(
    store: &dyn Store,
    tree: &ReferrerTree,
    row: &mut ImageAudit,
    trust: Trust<'_>,
) {
    let repository = tree.repository.as_str();
    let subject_raw = tree.manifest.raw().clone();
    let mut reasons = Vec::new();
    let mut verified = None;
    for signature in &mut row.signatures {
        let Some(node) = tree
            .referrers
            .iter()
            .find(|n| n.digest() == &signature.digest)
        else {
            continue;
        };
        let outcome = verify_node(store, repository, node, Some(&subject_raw), trust).await;
        signature.verification = outcome_of(outcome, &mut reasons, node);
        if verified.is_none() && signature.verification.is_verified() {
            verified = Some(signature.verification.clone());
        }
    }
    // Nothing to check is not a check that failed: an unsigned image is
    // unverified (`ImageAudit::verdict` says "no signature").
    row.verification = match verified {
        Some(verification) => verification,
        None if row.signatures.is_empty() => Verification::Unverified,
        None => Verification::Failed { reasons },
    };

    // The SBOMs: an attestation's own envelope, or a signature on it.
    let sboms: Vec<&GraphNode> = tree
        .all_nodes()
        .into_iter()
        .filter(|n| row.sbom.digests.contains(n.digest()))
        .collect();
    let mut sbom_reasons = Vec::new();
    let mut sbom_verified = None;
    for sbom in sboms {
        let raw = sbom.manifest.as_ref().map(|m| m.raw().clone());
        let mut candidates: Vec<(&GraphNode, Option<&[u8]>)> = sbom
            .children
            .iter()
            .filter(|c| c.is_attached() && kinds(c).contains(&ArtifactKind::Signature))
            .map(|c| (c, raw.as_deref()))
            .collect();
        if is_signed_envelope(sbom) {
            candidates.push((sbom, None));
        }
        for (node, raw) in candidates {
            let outcome = verify_node(store, repository, node, raw, trust).await;
            let verification = outcome_of(outcome, &mut sbom_reasons, node);
            if verification.is_verified() {
                sbom_verified.get_or_insert(verification);
            }
        }
    }
    row.sbom.verification = match sbom_verified {
        Some(verification) => verification,
        // No SBOM signature to check: unverified, as for the image.
        None if sbom_reasons.is_empty() => Verification::Unverified,
        None => Verification::Failed {
            reasons: sbom_reasons,
        },
    };
}

fn outcome_of(
    outcome: Result<Verdict, Vec<String>>,
    reasons: &mut Vec<String>,
    node: &GraphNode,
) -> Verification {
    match outcome {
        Ok(Verdict { key, time, root }) => Verification::Verified { key, time, root },
        Err(why) => {
            let prefixed: Vec<String> = why
                .into_iter()
                .map(|w| format!("{}: {w}", node.digest().short()))
                .collect();
            reasons.extend(prefixed.iter().cloned());
            Verification::Failed { reasons: prefixed }
        }
    }
}
