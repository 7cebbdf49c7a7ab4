//! What the detail pane shows of a blob's bytes: JSON pretty-printed with
//! colours, text as text, a gzip tar as its file list, anything else as a
//! hex dump; an SBOM as its component table; a signature as its facts.
//!
//! All of it is computed once, when the bytes arrive (`Preview::compute`,
//! on a blocking thread of the runner), and kept with the node: a frame
//! only lays out lines that already exist. To show a new kind of document,
//! add a `PreviewKind` (chosen from the node when the load starts, in
//! `app::loading::preview_request`), a `Content` variant computed for it
//! in `Preview::compute`, and its arm in the detail pane's `preview_parts`.

pub mod json;
pub mod predicate;
pub mod sbom;
pub mod signature;

use std::sync::Arc;

use bytes::Bytes;

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;

/// Previews (blobs, SBOM documents) larger than this are not read.
pub const PREVIEW_LIMIT: u64 = 16 * 1024 * 1024;
/// Lines of text shown at most; the rest is summarised.
const MAX_TEXT_LINES: usize = 2000;
/// Bytes shown in a hex dump.
const HEX_BYTES: usize = 4096;
/// Entries of a tar listed at most.
const MAX_TAR_ENTRIES: usize = 2000;

/// How a preview's bytes are read, decided from the node when its load
/// starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewKind {
    /// A blob: JSON, text, a tar listing or a hex dump, by its bytes.
    Blob,
    /// An SBOM document (CycloneDX, SPDX, Syft), else as a blob.
    Sbom,
    /// A signature or attestation: the facts readable without verifying,
    /// else as a blob.
    Signature,
}

/// A preview's bytes and what the detail pane shows of them.
#[derive(Debug)]
pub struct Preview {
    pub bytes: Bytes,
    pub content: Content,
}

/// What the detail pane shows of a preview, ready to lay out.
#[derive(Debug)]
pub enum Content {
    Sbom(sbom::SbomTable),
    /// (label, value) pairs, already escaped.
    Facts(Vec<(&'static str, String)>),
    /// JSON, text, a tar listing or a hex dump.
    Lines(Vec<Line<'static>>),
}

impl Preview {
    /// Reads `bytes` as `kind` says: the one place a preview is parsed.
    /// `media_type` is the blob's, for telling a tar from other bytes.
    pub fn compute(kind: PreviewKind, media_type: &str, bytes: Bytes) -> Arc<Preview> {
        let content = match kind {
            PreviewKind::Blob => None,
            // An SBOM as it is, or the one an attestation's predicate holds.
            PreviewKind::Sbom => sbom::SbomSummary::parse(&bytes)
                .or_else(|| predicate::PredicateView::read(&bytes).and_then(|view| view.sbom))
                .map(|summary| Content::Sbom(summary.into())),
            PreviewKind::Signature => {
                let mut facts = signature::summarize(&bytes);
                if let Some(view) = predicate::PredicateView::read(&bytes) {
                    facts.extend(view.facts);
                }
                Some(facts)
                    .filter(|facts| !facts.is_empty())
                    .map(Content::Facts)
            }
        };
        let content = content.unwrap_or_else(|| Content::Lines(blob_lines(media_type, &bytes)));
        Arc::new(Preview { bytes, content })
    }
}

pub fn blob_lines(media_type: &str, bytes: &[u8]) -> Vec<Line<'static>> {
    let compressed = crate::layer::walk::sniff(bytes) != crate::layer::walk::Compression::None;
    if compressed || media_type.contains("tar") {
        match tar_listing(bytes) {
            Ok(lines) => return lines,
            Err(error) if compressed => {
                let mut lines = vec![note(format!(
                    "compressed, not a readable tar ({}): the bytes as stored",
                    escape_control(&error)
                ))];
                lines.extend(hex_dump(bytes));
                return lines;
            }
            Err(_) => {}
        }
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
        return json::highlight(&pretty);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => text_lines(text),
        _ => hex_dump(bytes),
    }
}

pub fn note(text: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(text.into(), Style::new().fg(Color::DarkGray)))
}

fn text_lines(text: &str) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = text
        .lines()
        .take(MAX_TEXT_LINES)
        .map(|line| Line::from(escape_control(line).into_owned()))
        .collect();
    let total = text.lines().count();
    if total > MAX_TEXT_LINES {
        lines.push(note(format!("… {} more lines", total - MAX_TEXT_LINES)));
    }
    lines
}

/// The entries of a tar (gzip, zstd or plain), as `tar tv` shows them:
/// read as a stream by the layer lister under pull's caps, so nothing is
/// decompressed into memory whole; only the lines shown are kept.
fn tar_listing(bytes: &[u8]) -> Result<Vec<Line<'static>>, String> {
    let mut lines = Vec::new();
    let count = crate::layer::walk::walk_layer(
        bytes,
        bytes.len() as u64,
        crate::ops::untar::UnpackLimits::default(),
        |entry, _| {
            if lines.len() < MAX_TAR_ENTRIES {
                let size = if entry.kind == crate::layer::EntryKind::File {
                    entry.size
                } else {
                    0
                };
                let mut line = format!(
                    "{} {size:>10}  {}",
                    entry.mode_string(),
                    escape_control(&entry.path)
                );
                if let Some(target) = &entry.link {
                    line.push_str(" -> ");
                    line.push_str(&escape_control(target));
                }
                lines.push(Line::from(line));
            }
            Ok(())
        },
    )
    .map_err(|e| e.to_string())?;
    if count == 0 {
        return Err("no entries".to_owned());
    }
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut out = vec![note(format!("tar archive, {count} entries"))];
    out.extend(lines);
    if count > MAX_TAR_ENTRIES {
        out.push(note(format!("… {} more entries", count - MAX_TAR_ENTRIES)));
    }
    Ok(out)
}

fn hex_dump(bytes: &[u8]) -> Vec<Line<'static>> {
    let mut lines = vec![note(format!("binary, {} bytes", bytes.len()))];
    for (row, chunk) in bytes.chunks(16).take(HEX_BYTES / 16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    char::from(b)
                } else {
                    '.'
                }
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:08x}  ", row * 16),
                Style::new().fg(Color::DarkGray),
            ),
            Span::raw(format!("{:<48}", hex.join(" "))),
            Span::styled(format!(" {ascii}"), Style::new().fg(Color::Cyan)),
        ]));
    }
    if bytes.len() > HEX_BYTES {
        lines.push(note(format!("… {} more bytes", bytes.len() - HEX_BYTES)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> String {
        lines
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn previews_each_kind_of_blob() {
        let json = text(&blob_lines("application/json", br#"{"a":[1,true]}"#));
        assert!(json.contains("\"a\": ["), "{json}");
        assert!(
            text(&blob_lines("text/markdown", b"# Title\n\x1b[31mred")).contains("\\u{1b}[31m")
        );
        let hex = text(&blob_lines("application/octet-stream", &[0, 1, 2, 255]));
        assert!(hex.contains("00 01 02 ff"), "{hex}");

        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(5);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, "docs/README.md", &b"hello"[..])
            .expect("append");
        let tar_bytes = builder.into_inner().expect("tar");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar_bytes).expect("gzip");
        let listing = text(&blob_lines(
            "application/vnd.oci.image.layer.v1.tar+gzip",
            &gz.finish().expect("gz"),
        ));
        assert!(listing.contains("tar archive, 1 entries"), "{listing}");
        assert!(
            listing.contains("-rw-r--r--          5  docs/README.md"),
            "{listing}"
        );
    }
}
