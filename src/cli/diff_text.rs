//! `regscope diff` as text for a terminal: the summary line, then each
//! section with `+` (only on the right), `-` (only on the left) and `~`
//! (changed). Every string from a registry is stripped of control
//! characters.

use std::fmt::Write as _;

use serde_json::Value;

use crate::diff::attachments::{Attachment, AttachmentsDiff};
use crate::diff::files::{FileInfo, FilesDiff, OneSided};
use crate::diff::summary::summary_line;
use crate::diff::{DiffReport, ImageDiff, LayersDiff, ManifestDiff, SbomDiff};
use crate::text::{escape_control, human_size};

pub fn to_text(report: &DiffReport) -> String {
    let mut out = String::new();
    for image in &report.images {
        image_text(image, &mut out);
    }
    out
}

fn image_text(image: &ImageDiff, out: &mut String) {
    let platform = image
        .platform
        .as_deref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} → {}{platform}: {}",
        escape_control(&image.left.reference),
        escape_control(&image.right.reference),
        summary_line(image)
    );
    if let Some(manifest) = &image.manifest {
        manifest_text(manifest, out);
    }
    if let Some(layers) = &image.layers {
        layers_text(layers, out);
    }
    if let Some(files) = &image.files {
        files_text(files, out);
    }
    if let Some(sbom) = &image.sbom {
        sbom_text(sbom, out);
    }
    if let Some(attachments) = &image.attachments {
        attachments_text(attachments, out);
    }
    for note in &image.notes {
        let _ = writeln!(out, "note: {}", escape_control(note));
    }
}

fn manifest_text(manifest: &ManifestDiff, out: &mut String) {
    let _ = writeln!(
        out,
        "\nManifest: {} → {}",
        manifest.left.digest, manifest.right.digest
    );
    for platform in &manifest.platforms.added {
        let _ = writeln!(out, "  + platform {}", escape_control(platform));
    }
    for platform in &manifest.platforms.removed {
        let _ = writeln!(out, "  - platform {}", escape_control(platform));
    }
    for change in &manifest.changes {
        let _ = writeln!(
            out,
            "  ~ {}: {} → {}",
            escape_control(&change.field),
            value_text(&change.from),
            value_text(&change.to)
        );
    }
}

/// A JSON value as one line: strings bare, `(none)` for null.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        Value::String(text) => escape_control(text).into_owned(),
        other => escape_control(&other.to_string()).into_owned(),
    }
}

fn layers_text(layers: &LayersDiff, out: &mut String) {
    let _ = writeln!(
        out,
        "\nLayers: {} shared ({}; the bottom {} never read), {} added ({}), {} removed ({})",
        layers.shared.len(),
        human_size(layers.shared_bytes),
        layers.shared_base,
        layers.added.len(),
        human_size(layers.added_bytes),
        layers.removed.len(),
        human_size(layers.removed_bytes)
    );
    for layer in &layers.added {
        let _ = writeln!(
            out,
            "  + {} {} (layer {})",
            layer.digest,
            human_size(layer.size),
            layer.index
        );
    }
    for layer in &layers.removed {
        let _ = writeln!(
            out,
            "  - {} {} (layer {})",
            layer.digest,
            human_size(layer.size),
            layer.index
        );
    }
    for layer in layers
        .shared
        .iter()
        .filter(|l| l.left_index != l.right_index)
    {
        let _ = writeln!(
            out,
            "  ~ {} moved from layer {} to {}",
            layer.digest, layer.left_index, layer.right_index
        );
    }
}

fn files_text(files: &FilesDiff, out: &mut String) {
    let _ = writeln!(
        out,
        "\nFiles: {} added, {} removed, {} modified",
        files.added.len(),
        files.removed.len(),
        files.modified.len()
    );
    for item in &files.added {
        one_sided_line('+', item, out);
    }
    for item in &files.removed {
        one_sided_line('-', item, out);
    }
    for item in &files.modified {
        let _ = writeln!(
            out,
            "  ~ {} ({}): {} → {}",
            escape_control(&item.path),
            item.changes.join(", "),
            entry_text(&item.left),
            entry_text(&item.right)
        );
    }
}

fn one_sided_line(mark: char, item: &OneSided, out: &mut String) {
    let entry = item
        .entry
        .as_ref()
        .map(|e| format!(" {}", entry_text(e)))
        .unwrap_or_default();
    let doubt = if item.uncertain.is_some() {
        " (uncertain: the shared base was not read)"
    } else {
        ""
    };
    let _ = writeln!(out, "  {mark} {}{entry}{doubt}", escape_control(&item.path));
}

/// `file 0644 0/0 12 B`, `symlink -> target`.
fn entry_text(entry: &FileInfo) -> String {
    let kind = serde_json::to_value(entry.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut text = format!("{kind} {} {}/{}", entry.mode, entry.uid, entry.gid);
    if let Some(link) = &entry.link {
        let _ = write!(text, " -> {}", escape_control(link));
    } else if kind == "file" {
        let _ = write!(text, " {}", human_size(entry.size));
    }
    text
}

fn sbom_text(sbom: &SbomDiff, out: &mut String) {
    let side = |s: &Option<crate::diff::sbom::SbomSource>| match s {
        Some(s) => format!(
            "{} {} in {} ({} packages)",
            s.format,
            s.kind,
            s.digest.short(),
            s.packages
        ),
        None => "none".to_owned(),
    };
    let _ = writeln!(
        out,
        "\nSBOM: left {}, right {}",
        side(&sbom.left),
        side(&sbom.right)
    );
    let purl = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape_control(p))
        }
    };
    for p in &sbom.added {
        let _ = writeln!(
            out,
            "  + {} {}{}",
            escape_control(&p.name),
            escape_control(&p.version),
            purl(&p.purl)
        );
    }
    for p in &sbom.removed {
        let _ = writeln!(
            out,
            "  - {} {}{}",
            escape_control(&p.name),
            escape_control(&p.version),
            purl(&p.purl)
        );
    }
    for c in &sbom.changed {
        let _ = writeln!(
            out,
            "  ~ {} {} → {}{}",
            escape_control(&c.name),
            escape_control(&c.from),
            escape_control(&c.to),
            purl(&c.purl)
        );
    }
}

fn attachments_text(attachments: &AttachmentsDiff, out: &mut String) {
    let _ = writeln!(
        out,
        "\nAttachments: {} on both sides, {} only on the left, {} only on the right",
        attachments.both.len(),
        attachments.only_left.len(),
        attachments.only_right.len()
    );
    for item in &attachments.only_left {
        attachment_line('-', item, "missing on the right", out);
    }
    for item in &attachments.only_right {
        attachment_line('+', item, "missing on the left", out);
    }
    for item in &attachments.both {
        let (mark, how) = match &item.right_digest {
            Some(right) => (
                '~',
                format!(" → {} (matched by kind and artifact type)", right.short()),
            ),
            None => ('=', String::new()),
        };
        let _ = writeln!(
            out,
            "  {mark} {} {} {}{how}",
            item.kind,
            item.digest.short(),
            escape_control(item.artifact_type.as_deref().unwrap_or("<unknown>"))
        );
    }
}

fn attachment_line(mark: char, item: &Attachment, what: &str, out: &mut String) {
    let platform = item
        .platform
        .as_deref()
        .map(|p| format!(" on {p}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {mark} {} {} {}{platform} ({}): {what}",
        item.kind,
        item.digest.short(),
        escape_control(item.artifact_type.as_deref().unwrap_or("<unknown>")),
        escape_control(&item.found_by.join(", "))
    );
}
