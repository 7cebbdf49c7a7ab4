//! How `files` prints: text lines like GNU `tar tv` (times in UTC), or JSON.

use color_eyre::eyre::Result;
use serde_json::json;

use crate::layer::entry::{EntryKind, OPAQUE_MARKER, WHITEOUT_PREFIX};
use crate::layer::{Change, FileEntry, LayerListing, MergedEntry, MergedView};
use crate::oci::Digest;
use crate::text::{escape_control, utc_minutes};

/// One line of `tar tv`: mode, owner, size, time, name, link.
fn line(entry: &FileEntry, middle: &str) -> String {
    let name = match entry.kind {
        EntryKind::Whiteout => with_file_name(&entry.path, |f| format!("{WHITEOUT_PREFIX}{f}")),
        EntryKind::Opaque if entry.path.is_empty() => OPAQUE_MARKER.to_owned(),
        EntryKind::Opaque => format!("{}/{OPAQUE_MARKER}", entry.path),
        _ => entry.path.clone(),
    };
    let link = match (&entry.kind, &entry.link) {
        (EntryKind::Symlink, Some(target)) => format!(" -> {}", escape_control(target)),
        (EntryKind::Hardlink, Some(target)) => format!(" link to {}", escape_control(target)),
        (EntryKind::Whiteout, _) => {
            format!("  (whiteout: removes {})", escape_control(&entry.path))
        }
        (EntryKind::Opaque, _) => format!(
            "  (opaque: hides the lower layers' {}/)",
            escape_control(&entry.path)
        ),
        _ => String::new(),
    };
    format!(
        "{} {:<12} {:>10} {} {middle}{}{link}\n",
        entry.mode_string(),
        escape_control(&entry.owner()),
        entry.size,
        utc_minutes(entry.mtime),
        escape_control(&name),
    )
}

fn with_file_name(path: &str, f: impl Fn(&str) -> String) -> String {
    match path.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/{}", f(file)),
        None => f(path),
    }
}

pub fn layer_text(entries: &[FileEntry]) -> String {
    entries.iter().map(|e| line(e, "")).collect()
}

/// Every path a container sees, with the layer that last changed it and
/// how (`added`, `modified`); what later layers removed is not there, as
/// it is not after unpacking (`--changes` lists removals).
pub fn merged_text(view: &MergedView) -> String {
    view.visible().map(changed_line).collect()
}

fn changed_line(e: &MergedEntry) -> String {
    let middle = format!("L{:<2} {:<8} ", e.layer, e.change.label());
    let mut entry = e.entry.clone();
    if entry.kind.is_deletion() {
        entry.kind = EntryKind::File;
    }
    line(&entry, &middle)
}

/// Each layer's changes (or layer `only`'s), a heading per layer then one
/// line per path: what it adds, modifies and removes.
pub fn changes_text(
    listings: &[LayerListing],
    changes: &[Vec<MergedEntry>],
    only: Option<usize>,
) -> String {
    let mut out = String::new();
    for (index, (listing, changed)) in listings.iter().zip(changes).enumerate() {
        if only.is_some_and(|o| o != index) {
            continue;
        }
        let count = |change: Change| changed.iter().filter(|e| e.change == change).count();
        out.push_str(&format!(
            "# layer {index} {}: {} added, {} modified, {} removed\n",
            listing.descriptor.digest,
            count(Change::Added),
            count(Change::Modified),
            count(Change::Removed),
        ));
        out.extend(changed.iter().map(changed_line));
    }
    out
}

pub fn changes_json(
    manifest: &Digest,
    listings: &[LayerListing],
    changes: &[Vec<MergedEntry>],
    only: Option<usize>,
) -> Result<String> {
    let layers: Vec<_> = listings
        .iter()
        .zip(changes)
        .enumerate()
        .filter(|(index, _)| only.is_none_or(|o| o == *index))
        .map(|(index, (l, changed))| {
            json!({
                "layer": index,
                "digest": l.descriptor.digest,
                "mediaType": l.descriptor.media_type,
                "size": l.descriptor.size,
                "changes": changed,
            })
        })
        .collect();
    let value = json!({"manifest": manifest, "layers": layers});
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

pub fn layer_json(index: usize, listing: &LayerListing) -> Result<String> {
    let value = json!({
        "layer": index,
        "digest": listing.descriptor.digest,
        "mediaType": listing.descriptor.media_type,
        "size": listing.descriptor.size,
        "source": listing.source,
        "entries": listing.entries,
    });
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

pub fn merged_json(
    manifest: &Digest,
    listings: &[LayerListing],
    view: &MergedView,
) -> Result<String> {
    let layers: Vec<_> = listings
        .iter()
        .map(|l| {
            json!({
                "digest": l.descriptor.digest,
                "mediaType": l.descriptor.media_type,
                "size": l.descriptor.size,
                "source": l.source,
            })
        })
        .collect();
    // What a container sees; removals are `--changes`'s to list.
    let entries: Vec<&MergedEntry> = view.visible().collect();
    let value = json!({
        "manifest": manifest,
        "layers": layers,
        "wastedBytes": view.wasted_bytes,
        "entries": entries,
    });
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}
