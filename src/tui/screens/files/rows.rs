//! What the files view shows of a listing and of a file: one layer's
//! rows (an opaque marker folded into its directory), and a preview's
//! lines.

use super::FileRow;
use crate::layer::{EntryKind, FileEntry};

/// Bytes of a file the preview shows at most.
pub const PREVIEW_CAP: usize = 64 * 1024;

/// One layer's rows: an opaque marker is a note on its directory's row,
/// not a file beside it; a marker whose directory the layer does not list
/// stands in for the directory.
pub(super) fn single_layer_rows<'a>(entries: impl Iterator<Item = &'a FileEntry>) -> Vec<FileRow> {
    let entries: Vec<&FileEntry> = entries.collect();
    let dirs: std::collections::HashSet<&str> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Dir)
        .map(|e| e.path.as_str())
        .collect();
    let opaque: std::collections::HashSet<&str> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Opaque)
        .map(|e| e.path.as_str())
        .collect();
    entries
        .iter()
        .filter(|e| !(e.kind == EntryKind::Opaque && dirs.contains(e.path.as_str())))
        .map(|entry| FileRow {
            entry: (*entry).clone(),
            layer: None,
            change: None,
            opaque: opaque.contains(entry.path.as_str()),
        })
        .collect()
}

/// A file's first bytes as escaped lines, or a note that it is binary.
pub fn preview_lines(bytes: &[u8]) -> Vec<String> {
    let shown = &bytes[..bytes.len().min(PREVIEW_CAP)];
    if shown.contains(&0) {
        return vec![format!(
            "(a binary file: its first {} are not text, so nothing is shown)",
            crate::text::human_size(shown.len() as u64)
        )];
    }
    let text = String::from_utf8_lossy(shown);
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| crate::text::escape_control(line).into_owned())
        .collect();
    if bytes.len() > PREVIEW_CAP {
        lines.push(format!(
            "… (preview capped at {})",
            crate::text::human_size(PREVIEW_CAP as u64)
        ));
    }
    lines
}
