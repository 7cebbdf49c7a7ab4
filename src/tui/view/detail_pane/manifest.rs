//! The detail of a manifest: its descriptor and reference, where it was
//! found and whether it is verified, its referrers, annotations, the
//! summary of an SBOM or signature, and its JSON.

use super::{
    DetailText, annotation_lines, descriptor_lines, field, preview_parts, section, warning_line,
};
use crate::audit::Verification;
use crate::oci::media_type::ArtifactKind;
use crate::text::escape_control;
use crate::tui::preview::{json, note};
use crate::tui::tree::{Node, Status};
use crate::tui::view::AppView;
use crate::tui::view::labels;

pub(super) fn manifest_lines<'a>(
    app: &AppView<'_>,
    node: &'a Node,
    repository: &str,
    lines: &mut DetailText<'a>,
) {
    if let Some(descriptor) = &node.descriptor {
        descriptor_lines(app, descriptor, lines);
    }
    if let Some(digest) = node.digest() {
        lines.push(field(
            app,
            "reference",
            escape_control(&format!("{}/{repository}@{digest}", app.session.registry)).into_owned(),
        ));
    }
    let Some(manifest) = &node.manifest else {
        let what = match node.manifest_slot.status {
            Status::Loading => format!("{} loading the manifest", labels::spinner(app.tick)),
            Status::Failed(_) => String::new(),
            _ => "Enter loads the manifest and its referrers".to_owned(),
        };
        if !what.is_empty() {
            lines.push(note(what));
        }
        return;
    };
    if let Some(subject) = &manifest.subject {
        lines.push(field(app, "subject", subject.digest.to_string()));
    }
    if !node.found_by.is_empty() {
        let sources: Vec<String> = node.found_by.iter().map(ToString::to_string).collect();
        lines.push(field(
            app,
            "found by",
            escape_control(&sources.join(", ")).into_owned(),
        ));
    }
    match node.verified {
        Some(true) => lines.push(field(app, "link", "names subject (not a signature check)")),
        Some(false) if node.cosign_tag().is_some() => lines.push(field(
            app,
            "link",
            "attached by cosign's tag, not by a subject field: copied and deleted with the graph",
        )),
        Some(false) if node.attached_by_name() => lines.push(field(
            app,
            "link",
            "an entry of the index (BuildKit): copied with it; deleting the image keeps it",
        )),
        Some(false) => lines.push(warning_line(
            app,
            "unlinked: its manifest does not name the subject (copy and delete skip it)",
        )),
        None => {}
    }
    if let Some(attachments) = &node.referrers {
        let mut sources: Vec<String> = attachments
            .nodes
            .iter()
            .flat_map(|n| n.found_by.iter().map(ToString::to_string))
            .collect();
        sources.sort();
        sources.dedup();
        let from = if sources.is_empty() {
            String::new()
        } else {
            format!(" (from {})", sources.join(", "))
        };
        lines.push(field(
            app,
            "referrers",
            format!("{}{from}", attachments.nodes.len()),
        ));
        for warning in &attachments.warnings {
            lines.push(warning_line(app, warning));
        }
    }
    for warning in manifest.warnings.iter().chain(&node.warnings) {
        lines.push(warning_line(app, warning));
    }
    let mut annotations: Vec<(&String, &String)> = manifest.annotations.iter().collect();
    if let Some(descriptor) = &node.descriptor {
        annotations.extend(
            descriptor
                .annotations
                .iter()
                .filter(|(k, _)| !manifest.annotations.contains_key(*k)),
        );
    }
    annotation_lines(app, annotations.into_iter(), lines);
    document_lines(app, node, lines);
    lines.extend(section(app, "Manifest"));
    match &node.manifest_lines {
        Some(kept) => lines.keep(kept),
        // Set with the manifest; laid out here only if someone set the
        // manifest alone.
        None => lines.extend(json::highlight(&json::reindent(manifest.raw()))),
    }
}

/// An SBOM's or a signature's document, read without verifying it.
fn document_lines<'a>(app: &AppView<'_>, node: &'a Node, lines: &mut DetailText<'a>) {
    let attestation = node.is_attestation();
    match node.artifact_kind() {
        Some(ArtifactKind::Sbom) => {
            lines.extend(section(app, "SBOM"));
            preview_parts(app, node, lines);
        }
        Some(
            ArtifactKind::Signature
            | ArtifactKind::Attestation
            | ArtifactKind::Provenance
            | ArtifactKind::Scan,
        ) => {
            let title = if attestation {
                "Attestation"
            } else {
                "Signature"
            };
            lines.extend(section(app, title));
            if !attestation {
                verdict_lines(app, node, lines);
            }
            preview_parts(app, node, lines);
        }
        _ => {}
    }
}

/// The verdict the session's last audit reached on this signature, with its
/// reason and time source.
fn verdict_lines(app: &AppView<'_>, node: &Node, lines: &mut DetailText<'_>) {
    let verdict = node.digest().and_then(|digest| app.verdicts.get(&digest));
    match verdict {
        Some(Verification::Verified { key, time, root }) => {
            lines.push(field(
                app,
                "verification",
                format!("verified by {}", escape_control(key)),
            ));
            lines.push(field(app, "time", escape_control(time).into_owned()));
            let root = root.as_deref().unwrap_or("none (the key alone decided)");
            lines.push(field(
                app,
                "trusted root",
                escape_control(root).into_owned(),
            ));
        }
        Some(Verification::Failed { reasons }) => {
            lines.push(field(app, "verification", "failed"));
            for reason in reasons {
                lines.push(warning_line(app, reason));
            }
        }
        Some(Verification::Unverified) | None => lines.push(field(
            app,
            "verification",
            "not checked (A audits the repository with the config's [trust] material)",
        )),
    }
}
