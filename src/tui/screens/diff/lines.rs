//! The diff screen's sections and their lines, written once when the
//! report arrives (parse on arrival, draw from the result): each entry
//! escaped, marked `+` (only on the right), `-` (only on the left), `~`
//! (changed) or `=` (on both sides) as `regscope diff` prints them, with
//! the text a filter searches (a path, a package, a field, a digest).

mod attached;
mod files;

use serde_json::Value;

use crate::diff::{ImageDiff, LayersDiff, ManifestDiff};
use crate::text::{count, escape_control, human_size};
use attached::{attachments_section, sbom_section};
use files::files_section;

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

pub(super) fn entry(mark: Mark, key: &str, text: String) -> Entry {
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
