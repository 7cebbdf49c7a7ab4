//! `regscope diff --format markdown`, for a pull request comment: one
//! summary line, then a section per part that differs. Text from a
//! registry goes into table cells and code spans escaped, so it cannot
//! close them or inject markup.

use std::fmt::Write as _;

use super::diff_text::value_text;
use crate::diff::files::{FileInfo, OneSided};
use crate::diff::summary::summary_line;
use crate::diff::{DiffReport, ImageDiff};
use crate::text::{escape_control, human_size};

pub fn to_markdown(report: &DiffReport) -> String {
    let mut out = String::new();
    for image in &report.images {
        image_markdown(image, &mut out);
    }
    out
}

/// Text made safe for a table cell or a code span: no control characters,
/// no `|`, backticks or line breaks.
fn cell(text: &str) -> String {
    escape_control(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace(['<', '>'], "")
}

fn image_markdown(image: &ImageDiff, out: &mut String) {
    let platform = image
        .platform
        .as_deref()
        .map(|p| format!(" ({})", cell(p)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "**regscope diff** `{}` → `{}`{platform}: {}\n",
        cell(&image.left.reference),
        cell(&image.right.reference),
        summary_line(image)
    );
    if let Some(manifest) = image.manifest.as_ref().filter(|m| !m.is_empty()) {
        let _ = writeln!(
            out,
            "### Manifest and config\n\n| field | left | right |\n| --- | --- | --- |"
        );
        for platform in &manifest.platforms.added {
            let _ = writeln!(out, "| platform | | `{}` |", cell(platform));
        }
        for platform in &manifest.platforms.removed {
            let _ = writeln!(out, "| platform | `{}` | |", cell(platform));
        }
        for change in &manifest.changes {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | `{}` |",
                cell(&change.field),
                cell(&value_text(&change.from)),
                cell(&value_text(&change.to))
            );
        }
        out.push('\n');
    }
    if let Some(layers) = image.layers.as_ref().filter(|l| !l.is_empty()) {
        let _ = writeln!(
            out,
            "### Layers\n\n{} shared ({}), {} added ({}), {} removed ({})\n",
            layers.shared.len(),
            human_size(layers.shared_bytes),
            layers.added.len(),
            human_size(layers.added_bytes),
            layers.removed.len(),
            human_size(layers.removed_bytes)
        );
    }
    if let Some(files) = image.files.as_ref().filter(|f| !f.is_empty()) {
        let _ = writeln!(
            out,
            "### Files\n\n| | path | details |\n| --- | --- | --- |"
        );
        for item in &files.added {
            one_sided_row("+", item, out);
        }
        for item in &files.removed {
            one_sided_row("\u{2212}", item, out);
        }
        for item in &files.modified {
            let _ = writeln!(
                out,
                "| ~ | `{}` | {}: {} → {} |",
                cell(&item.path),
                item.changes.join(", "),
                entry_cell(&item.left),
                entry_cell(&item.right)
            );
        }
        out.push('\n');
    }
    sbom_markdown(image, out);
    attachments_markdown(image, out);
    for note in &image.notes {
        let _ = writeln!(out, "> {}", cell(note));
    }
}

fn one_sided_row(mark: &str, item: &OneSided, out: &mut String) {
    let mut details = item.entry.as_ref().map(entry_cell).unwrap_or_default();
    if item.uncertain.is_some() {
        details.push_str(" (uncertain: the shared base was not read)");
    }
    let _ = writeln!(
        out,
        "| {mark} | `{}` | {} |",
        cell(&item.path),
        details.trim()
    );
}

fn entry_cell(entry: &FileInfo) -> String {
    let kind = serde_json::to_value(entry.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    match &entry.link {
        Some(link) => format!("{kind} → `{}`", cell(link)),
        None => format!("{kind} {} {}", entry.mode, human_size(entry.size)),
    }
}

fn sbom_markdown(image: &ImageDiff, out: &mut String) {
    let Some(sbom) = image.sbom.as_ref().filter(|s| !s.is_empty()) else {
        return;
    };
    let _ = writeln!(
        out,
        "### SBOM\n\n| | package | left | right |\n| --- | --- | --- | --- |"
    );
    for p in &sbom.added {
        let _ = writeln!(
            out,
            "| + | `{}` | | `{}` |",
            cell(&p.name),
            cell(&p.version)
        );
    }
    for p in &sbom.removed {
        let _ = writeln!(
            out,
            "| \u{2212} | `{}` | `{}` | |",
            cell(&p.name),
            cell(&p.version)
        );
    }
    for c in &sbom.changed {
        let _ = writeln!(
            out,
            "| ~ | `{}` | `{}` | `{}` |",
            cell(&c.name),
            cell(&c.from),
            cell(&c.to)
        );
    }
    out.push('\n');
}

fn attachments_markdown(image: &ImageDiff, out: &mut String) {
    let Some(attachments) = image.attachments.as_ref().filter(|a| !a.is_empty()) else {
        return;
    };
    let _ = writeln!(
        out,
        "### Attachments\n\n| | kind | artifact type | digest |\n| --- | --- | --- | --- |"
    );
    let row = |mark: &str, kind: &str, artifact_type: &Option<String>, digest: String| {
        format!(
            "| {mark} | {kind} | `{}` | `{digest}` |\n",
            cell(artifact_type.as_deref().unwrap_or("<unknown>"))
        )
    };
    for a in &attachments.only_left {
        out.push_str(&row(
            "missing on the right",
            a.kind,
            &a.artifact_type,
            a.digest.short().to_owned(),
        ));
    }
    for a in &attachments.only_right {
        out.push_str(&row(
            "missing on the left",
            a.kind,
            &a.artifact_type,
            a.digest.short().to_owned(),
        ));
    }
    for m in attachments.both.iter().filter(|m| m.right_digest.is_some()) {
        let digests = format!(
            "{} → {}",
            m.digest.short(),
            m.right_digest
                .as_ref()
                .map(|d| d.short())
                .unwrap_or_default()
        );
        out.push_str(&row("differs", m.kind, &m.artifact_type, digests));
    }
    out.push('\n');
}
