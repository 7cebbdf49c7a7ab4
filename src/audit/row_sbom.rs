//! The SBOM part of an audit row: which SBOMs the image has, in which
//! formats, whether they are signed, and for an index which platforms are
//! covered (a platform the registry no longer serves covers nothing).

use std::collections::BTreeSet;

use super::image::SbomInfo;
use super::row::{is_signed_sbom, kinds};
use crate::document::SbomFormat;
use crate::graph::sources::platform_entries;
use crate::graph::{GraphNode, ReferrerTree};
use crate::oci::media_type::ArtifactKind;
use crate::oci::{Descriptor, PlatformSpec};

/// The SBOMs of `tree` (`subject_nodes`: its own attached referrers), and
/// for an index the platforms whose manifest could not be fetched.
pub(super) fn sbom_info(
    tree: &ReferrerTree,
    subject_nodes: &[GraphNode],
) -> (SbomInfo, Vec<String>) {
    let attached = |nodes: &[GraphNode]| -> Vec<GraphNode> {
        nodes.iter().filter(|n| n.is_attached()).cloned().collect()
    };
    let mut sbom = SbomInfo::default();
    let mut formats = BTreeSet::new();
    // Whether the nodes hold an SBOM, and a signed one.
    let mut add_sboms = |nodes: &[GraphNode], sbom: &mut SbomInfo| -> (bool, bool) {
        let (mut found, mut signed) = (false, false);
        for node in nodes
            .iter()
            .filter(|n| kinds(n).contains(&ArtifactKind::Sbom))
        {
            found = true;
            sbom.digests.push(node.digest().clone());
            formats.insert(sbom_format(node));
            signed |= is_signed_sbom(node);
        }
        (found, signed)
    };
    (sbom.on_subject, sbom.signed_on_subject) = add_sboms(subject_nodes, &mut sbom);
    sbom.signed = sbom.signed_on_subject;
    let mut unfetched_platforms = Vec::new();
    if tree.manifest.is_index() && tree.within_index.is_none() {
        let entries: Vec<&Descriptor> = platform_entries(&tree.manifest).collect();
        let (mut covered, mut signed) = (0, 0);
        for entry in &entries {
            let platform = tree
                .platforms
                .iter()
                .find(|p| p.descriptor.digest == entry.digest);
            // A platform the index lists but the registry does not serve
            // covers nothing, whatever is still attached to its digest.
            let gone = platform.and_then(|p| p.unfetched.as_ref());
            if let Some(unfetched) = gone {
                let how = if unfetched.is_missing() {
                    "404".to_owned()
                } else {
                    unfetched.label()
                };
                unfetched_platforms.push(format!(
                    "{} ({}, {how})",
                    platform_label(entry),
                    entry.digest
                ));
            }
            let nodes = platform
                .filter(|_| gone.is_none())
                .map(|p| attached(&p.referrers))
                .unwrap_or_default();
            let (has_sbom, has_signed) = add_sboms(&nodes, &mut sbom);
            if has_sbom {
                covered += 1;
            } else {
                sbom.missing_platforms.push(platform_label(entry));
            }
            if has_signed {
                signed += 1;
            } else {
                sbom.unsigned_platforms.push(platform_label(entry));
            }
        }
        sbom.coverage = Some((covered, entries.len()));
        sbom.signed_coverage = Some((signed, entries.len()));
        sbom.signed |= !entries.is_empty() && signed == entries.len();
    }
    sbom.formats = formats.into_iter().collect();
    (sbom, unfetched_platforms)
}

fn sbom_format(node: &GraphNode) -> String {
    let from_layers = || {
        node.manifest
            .iter()
            .flat_map(|m| m.layers.iter())
            .find_map(|l| SbomFormat::from_media_type(&l.media_type))
    };
    node.predicate_type
        .as_deref()
        .and_then(SbomFormat::from_predicate_type)
        .or_else(|| {
            node.artifact_type
                .as_deref()
                .and_then(SbomFormat::from_media_type)
        })
        .or_else(from_layers)
        .map_or_else(
            || node.type_label().to_owned(),
            |format| format.label().to_owned(),
        )
}

fn platform_label(entry: &Descriptor) -> String {
    entry.platform.as_ref().map_or_else(
        || entry.digest.to_string(),
        |p| PlatformSpec::of(p).to_string(),
    )
}
