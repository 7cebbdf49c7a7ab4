//! The files section: paths added, removed or modified between the merged
//! file systems, whiteouts applied. Modified means another type, other
//! content (size, then the content digest where the listing has one),
//! mode, owner or link target; times are not compared.
//!
//! Only the layers above the shared base are read. A path that only one
//! side's own layers touch is compared with what the shared base has
//! there; when the base was not read that is unknown, and the entry says
//! so (`uncertain`) rather than guessing.

use std::collections::BTreeSet;

use serde::Serialize;

use super::overlay::{Overlay, Placed, Slot, State};
use crate::layer::EntryKind;
use crate::oci::Digest;

/// One side's entry at a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    #[serde(rename = "type")]
    pub kind: EntryKind,
    pub size: u64,
    /// Octal, as `chmod` takes it: `"0755"`.
    pub mode: String,
    pub uid: u64,
    pub gid: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
    /// The layer (0 = the base) that put it there.
    pub layer: usize,
}

/// A path only one side has. `entry` is `None` when that side's entry is
/// the shared base's, which was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OneSided {
    pub path: String,
    pub entry: Option<FileInfo>,
    /// Why this may not be what it says (the shared base was not read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Modified {
    pub path: String,
    /// `type`, `content`, `mode`, `owner`, `link`.
    pub changes: Vec<&'static str>,
    pub left: FileInfo,
    pub right: FileInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilesDiff {
    pub added: Vec<OneSided>,
    pub removed: Vec<OneSided>,
    pub modified: Vec<Modified>,
    /// Layers at the bottom of both images that were not read.
    pub unread_base_layers: usize,
}

impl FilesDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }

    /// Paths added, removed or modified.
    pub fn changed(&self) -> usize {
        self.added.len() + self.removed.len() + self.modified.len()
    }
}

const BELOW_RIGHT: &str = "only the left's own layers touch this path; the right has what the \
     shared base has here, which was not read: it may be modified, not removed";
const BELOW_LEFT: &str = "only the right's own layers touch this path; the left has what the \
     shared base has here, which was not read: it may be modified, not added";
const WHITED_OUT_LEFT: &str =
    "the left removes this path from the shared base (not read); the right keeps it";
const WHITED_OUT_RIGHT: &str =
    "the right removes this path from the shared base (not read); the left keeps it";
const OPAQUE_LEFT: &str =
    "the left hides what the shared base (not read) has in this directory (opaque)";
const OPAQUE_RIGHT: &str =
    "the right hides what the shared base (not read) has in this directory (opaque)";

/// Compares two sides' overlays. `unread_base_layers` is 0 when nothing
/// lies below them unread (no shared base, or it was read too).
pub fn compare(left: &Overlay, right: &Overlay, unread_base_layers: usize) -> FilesDiff {
    let base_unknown = unread_base_layers > 0;
    let mut diff = FilesDiff {
        unread_base_layers,
        ..FilesDiff::default()
    };
    let paths: BTreeSet<&String> = left.slots.keys().chain(right.slots.keys()).collect();
    let doubt = |why: &'static str| base_unknown.then(|| why.to_owned());
    for path in paths {
        let one = |placed: Option<&Placed>, why| OneSided {
            path: path.clone(),
            entry: placed.map(info),
            uncertain: doubt(why),
        };
        match (left.state(path), right.state(path)) {
            (State::Present(a), State::Present(b)) => {
                let changes = differences(a, b);
                if !changes.is_empty() {
                    diff.modified.push(Modified {
                        path: path.clone(),
                        changes,
                        left: info(a),
                        right: info(b),
                    });
                }
            }
            (State::Present(a), State::Gone) => diff.removed.push(OneSided {
                uncertain: None,
                ..one(Some(a), "")
            }),
            (State::Gone, State::Present(b)) => diff.added.push(OneSided {
                uncertain: None,
                ..one(Some(b), "")
            }),
            (State::Present(a), State::Below) => diff.removed.push(one(Some(a), BELOW_RIGHT)),
            (State::Below, State::Present(b)) => diff.added.push(one(Some(b), BELOW_LEFT)),
            (State::Gone, State::Below) if base_unknown && whited_out(left, path) => {
                diff.added.push(one(None, WHITED_OUT_LEFT));
            }
            (State::Below, State::Gone) if base_unknown && whited_out(right, path) => {
                diff.removed.push(one(None, WHITED_OUT_RIGHT));
            }
            _ => {}
        }
    }
    if base_unknown {
        // What one side hides the other still has: added when the left
        // hides it, removed when the right does.
        opaque_notes(left, right, &mut diff.added, OPAQUE_LEFT);
        opaque_notes(right, left, &mut diff.removed, OPAQUE_RIGHT);
    }
    drop_implied_directories(&mut diff.added);
    drop_implied_directories(&mut diff.removed);
    diff.added.sort_by(|a, b| a.path.cmp(&b.path));
    diff.removed.sort_by(|a, b| a.path.cmp(&b.path));
    diff
}

fn whited_out(overlay: &Overlay, path: &str) -> bool {
    matches!(overlay.slots.get(path), Some(Slot::Gone))
}

/// A directory one side makes opaque while the other keeps the base's
/// content there: reported as `DIR/*`.
fn opaque_notes(hiding: &Overlay, keeping: &Overlay, out: &mut Vec<OneSided>, why: &str) {
    for dir in &hiding.opaque {
        // NUL never occurs in a layer's paths: this names "any child".
        let child = format!("{dir}/\u{0}");
        if keeping.state(&child) == State::Below && hiding.state(&child) == State::Gone {
            out.push(OneSided {
                path: format!("{dir}/*"),
                entry: None,
                uncertain: Some(why.to_owned()),
            });
        }
    }
}

/// An uncertain directory whose children are listed says nothing more
/// (layers repeat the parents of the files they change).
fn drop_implied_directories(items: &mut Vec<OneSided>) {
    let paths: Vec<String> = items.iter().map(|i| i.path.clone()).collect();
    items.retain(|item| {
        let is_dir = item
            .entry
            .as_ref()
            .is_some_and(|e| e.kind == EntryKind::Dir);
        if !is_dir || item.uncertain.is_none() {
            return true;
        }
        let prefix = format!("{}/", item.path);
        !paths.iter().any(|p| p.starts_with(&prefix))
    });
}

fn differences(a: &Placed, b: &Placed) -> Vec<&'static str> {
    let (x, y) = (&a.entry, &b.entry);
    if x.kind != y.kind {
        return vec!["type"];
    }
    let mut out = Vec::new();
    let content_differs = x.kind == EntryKind::File
        && (x.size != y.size || matches!((&a.digest, &b.digest), (Some(l), Some(r)) if l != r));
    if content_differs {
        out.push("content");
    }
    if x.mode != y.mode {
        out.push("mode");
    }
    if (x.uid, x.gid) != (y.uid, y.gid) {
        out.push("owner");
    }
    if x.link != y.link {
        out.push("link");
    }
    out
}

fn info(placed: &Placed) -> FileInfo {
    let entry = &placed.entry;
    FileInfo {
        kind: entry.kind,
        size: entry.size,
        mode: format!("{:04o}", entry.mode),
        uid: entry.uid,
        gid: entry.gid,
        link: entry.link.clone(),
        digest: placed.digest.clone(),
        layer: placed.layer,
    }
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
