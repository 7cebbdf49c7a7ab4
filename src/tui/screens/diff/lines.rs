//! The diff screen's sections and their lines, written once when the
//! report arrives (parse on arrival, draw from the result): each entry
//! escaped, marked `+` (only on the right), `-` (only on the left), `~`
//! (changed) or `=` (on both sides) as `regscope diff` prints them, with
//! the text a filter searches (a path, a package, a field, a digest).

use serde_json::Value;

use crate::diff::attachments::{Attachment, AttachmentsDiff};
use crate::diff::files::{FileInfo, FilesDiff, OneSided};
use crate::diff::{ImageDiff, LayersDiff, ManifestDiff, SbomDiff};
use crate::text::{count, escape_control, human_size};

/// What an entry says about its thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
    Changed,
    Same,
    /// A line about the section (which SBOM each side has, the shared base).
    Info,
}

impl Mark {
    pub fn symbol(self) -> char {
        match self {
            Mark::Added => '+',
            Mark::Removed => '-',
            Mark::Changed => '~',
            Mark::Same => '=',
            Mark::Info => ' ',
        }
    }
}

/// One entry of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub mark: Mark,
    /// Escaped, ready to draw.
    pub text: String,
    /// What `/` matches: the path, package, field or digest.
    pub key: String,
    /// A one-sided path the shared base may hold too: it was not read.
    pub uncertain: bool,
}

/// One folded section: its name, its counts, its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionLines {
    pub name: String,
    pub summary: String,
    pub entries: Vec<Entry>,
}

/// What the CLI appends to such a path, said the same way here.
pub const UNCERTAIN: &str = "(uncertain: the shared base was not read)";

fn entry(mark: Mark, key: &str, text: String) -> Entry {
    Entry {
        mark,
        text,
        key: key.to_owned(),
        uncertain: false,
    }
}

/// The sections of one image diff, in the CLI's order; a platform name is
/// prefixed when the report has several.
pub fn sections_of(image: &ImageDiff, platform_prefix: bool) -> Vec<SectionLines> {
    let mut sections = Vec::new();
    if let Some(manifest) = &image.manifest {
        sections.push(manifest_section(manifest));
    }
    if let Some(layers) = &image.layers {
        sections.push(layers_section(layers));
    }
    if let Some(files) = &image.files {
        sections.push(files_section(files));
    }
    if let Some(sbom) = &image.sbom {
        sections.push(sbom_section(sbom));
    }
    if let Some(attachments) = &image.attachments {
        sections.push(attachments_section(attachments));
    }
    if !image.notes.is_empty() {
        let entries = image
            .notes
            .iter()
            .map(|n| entry(Mark::Info, n, escape_control(n).into_owned()))
            .collect();
        sections.push(SectionLines {
            name: "Notes".to_owned(),
            summary: count(image.notes.len(), "note"),
            entries,
        });
    }
    if platform_prefix && let Some(platform) = &image.platform {
        for section in &mut sections {
            section.name = format!("{} · {}", escape_control(platform), section.name);
        }
    }
    sections
}

fn manifest_section(manifest: &ManifestDiff) -> SectionLines {
    let mut entries = vec![entry(
        Mark::Info,
        "",
        format!("{} → {}", manifest.left.digest, manifest.right.digest),
    )];
    for platform in &manifest.platforms.added {
        let text = format!("platform {}", escape_control(platform));
        entries.push(entry(Mark::Added, platform, text));
    }
    for platform in &manifest.platforms.removed {
        let text = format!("platform {}", escape_control(platform));
        entries.push(entry(Mark::Removed, platform, text));
    }
    for change in &manifest.changes {
        let text = format!(
            "{}: {} → {}",
            escape_control(&change.field),
            value_text(&change.from),
            value_text(&change.to)
        );
        entries.push(entry(Mark::Changed, &change.field, text));
    }
    let platforms = manifest.platforms.added.len() + manifest.platforms.removed.len();
    let mut summary = count(manifest.changes.len(), "field") + " changed";
    if platforms > 0 {
        summary.push_str(&format!(
            ", platforms +{} \u{2212}{}",
            manifest.platforms.added.len(),
            manifest.platforms.removed.len()
        ));
    }
    SectionLines {
        name: "Manifest and config".to_owned(),
        summary,
        entries,
    }
}

/// A JSON value on one line: strings bare, `(none)` for null.
fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "(none)".to_owned(),
        Value::String(text) => escape_control(text).into_owned(),
        other => escape_control(&other.to_string()).into_owned(),
    }
}

fn layers_section(layers: &LayersDiff) -> SectionLines {
    let mut entries = vec![entry(
        Mark::Info,
        "",
        format!(
            "{} shared ({}; the bottom {} never read)",
            layers.shared.len(),
            human_size(layers.shared_bytes),
            layers.shared_base
        ),
    )];
    let one = |mark, layer: &crate::diff::layers::LayerInfo| {
        let digest = layer.digest.to_string();
        let text = format!(
            "{digest} {} (layer {})",
            human_size(layer.size),
            layer.index
        );
        entry(mark, &digest, text)
    };
    entries.extend(layers.added.iter().map(|l| one(Mark::Added, l)));
    entries.extend(layers.removed.iter().map(|l| one(Mark::Removed, l)));
    for layer in &layers.shared {
        let digest = layer.digest.to_string();
        let (mark, text) = if layer.left_index == layer.right_index {
            (Mark::Same, format!("{digest} {}", human_size(layer.size)))
        } else {
            let moved = format!(
                "moved from layer {} to {}",
                layer.left_index, layer.right_index
            );
            (Mark::Changed, format!("{digest} {moved}"))
        };
        entries.push(entry(mark, &digest, text));
    }
    SectionLines {
        name: "Layers".to_owned(),
        summary: format!(
            "{} added ({}), {} removed ({}), {} shared",
            layers.added.len(),
            human_size(layers.added_bytes),
            layers.removed.len(),
            human_size(layers.removed_bytes),
            layers.shared.len()
        ),
        entries,
    }
}

fn files_section(files: &FilesDiff) -> SectionLines {
    let mut entries = Vec::new();
    entries.extend(files.added.iter().map(|f| one_sided(Mark::Added, f)));
    entries.extend(files.removed.iter().map(|f| one_sided(Mark::Removed, f)));
    for item in &files.modified {
        let text = format!(
            "{} ({}): {} → {}",
            escape_control(&item.path),
            item.changes.join(", "),
            file_text(&item.left),
            file_text(&item.right)
        );
        entries.push(entry(Mark::Changed, &item.path, text));
    }
    let uncertain = entries.iter().filter(|e| e.uncertain).count();
    let mut summary = format!(
        "{} added, {} removed, {} modified",
        files.added.len(),
        files.removed.len(),
        files.modified.len()
    );
    if uncertain > 0 {
        summary.push_str(&format!(", {uncertain} uncertain"));
    }
    SectionLines {
        name: "Files".to_owned(),
        summary,
        entries,
    }
}

fn one_sided(mark: Mark, item: &OneSided) -> Entry {
    let mut text = escape_control(&item.path).into_owned();
    if let Some(info) = &item.entry {
        text.push(' ');
        text.push_str(&file_text(info));
    }
    if item.uncertain.is_some() {
        text.push(' ');
        text.push_str(UNCERTAIN);
    }
    Entry {
        uncertain: item.uncertain.is_some(),
        ..entry(mark, &item.path, text)
    }
}

/// `file 0644 0/0 12 B`, `symlink 0777 0/0 -> target`.
fn file_text(info: &FileInfo) -> String {
    let kind = serde_json::to_value(info.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut text = format!("{kind} {} {}/{}", info.mode, info.uid, info.gid);
    if let Some(link) = &info.link {
        text.push_str(&format!(" -> {}", escape_control(link)));
    } else if kind == "file" {
        text.push_str(&format!(" {}", human_size(info.size)));
    }
    text
}

fn sbom_section(sbom: &SbomDiff) -> SectionLines {
    let side = |which: &str, source: &Option<crate::diff::sbom::SbomSource>| match source {
        Some(s) => format!(
            "{which}: {} {} in {} ({} packages)",
            escape_control(&s.format),
            escape_control(&s.kind),
            s.digest.short(),
            s.packages
        ),
        None => format!("{which}: no SBOM"),
    };
    let mut entries = vec![
        entry(Mark::Info, "", side("left", &sbom.left)),
        entry(Mark::Info, "", side("right", &sbom.right)),
    ];
    let purl = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!(" ({})", escape_control(p))
        }
    };
    for (mark, list) in [(Mark::Added, &sbom.added), (Mark::Removed, &sbom.removed)] {
        for p in list {
            let text = format!(
                "{} {}{}",
                escape_control(&p.name),
                escape_control(&p.version),
                purl(&p.purl)
            );
            entries.push(entry(mark, &format!("{} {}", p.name, p.purl), text));
        }
    }
    for c in &sbom.changed {
        let text = format!(
            "{} {} → {}{}",
            escape_control(&c.name),
            escape_control(&c.from),
            escape_control(&c.to),
            purl(&c.purl)
        );
        entries.push(entry(
            Mark::Changed,
            &format!("{} {}", c.name, c.purl),
            text,
        ));
    }
    let summary = match (&sbom.left, &sbom.right) {
        (None, None) => "no SBOM on either side".to_owned(),
        (Some(_), None) => "SBOM missing on the right".to_owned(),
        (None, Some(_)) => "SBOM missing on the left".to_owned(),
        (Some(_), Some(_)) => format!(
            "+{} \u{2212}{} ~{} packages",
            sbom.added.len(),
            sbom.removed.len(),
            sbom.changed.len()
        ),
    };
    SectionLines {
        name: "SBOM packages".to_owned(),
        summary,
        entries,
    }
}

fn attachments_section(attachments: &AttachmentsDiff) -> SectionLines {
    let mut entries = Vec::new();
    let one = |mark, item: &Attachment, what: &str| {
        let platform = item
            .platform
            .as_deref()
            .map(|p| format!(" on {}", escape_control(p)))
            .unwrap_or_default();
        let kind_and_type = attachment_name(item.kind, item.artifact_type.as_deref());
        let text = format!(
            "{} {kind_and_type}{platform} ({}): {what}",
            item.digest.short(),
            escape_control(&item.found_by.join(", "))
        );
        entry(mark, &format!("{} {kind_and_type}", item.digest), text)
    };
    for item in &attachments.only_left {
        entries.push(one(Mark::Removed, item, "missing on the right"));
    }
    for item in &attachments.only_right {
        entries.push(one(Mark::Added, item, "missing on the left"));
    }
    for item in &attachments.both {
        let name = attachment_name(item.kind, item.artifact_type.as_deref());
        let (mark, how) = match &item.right_digest {
            Some(right) => (
                Mark::Changed,
                format!(" → {} (matched by kind and artifact type)", right.short()),
            ),
            None => (Mark::Same, String::new()),
        };
        let text = format!("{} {name}{how}", item.digest.short());
        entries.push(entry(mark, &format!("{} {name}", item.digest), text));
    }
    SectionLines {
        name: "Attachments".to_owned(),
        summary: format!(
            "{} on both sides, {} only on the left, {} only on the right",
            attachments.both.len(),
            attachments.only_left.len(),
            attachments.only_right.len()
        ),
        entries,
    }
}

/// `signature signature/example`.
fn attachment_name(kind: &str, artifact_type: Option<&str>) -> String {
    format!(
        "{kind} {}",
        escape_control(artifact_type.unwrap_or("<unknown>"))
    )
}
