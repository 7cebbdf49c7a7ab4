//! What a diff compares: its two sides, and the image marked in the graph
//! for one (the graph marks and opens the diff: `graph::diff_mark`).

use crate::tui::message::NodePath;

/// One side of a diff, as the store is asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffTarget {
    pub repository: String,
    /// The digest when the tree knows it (what the row shows is what is
    /// compared, even if the tag moves meanwhile), else the tag.
    pub reference: String,
    /// `repo:tag` or `repo@sha256:…`, for titles and messages.
    pub name: String,
}

/// The marked image: its row, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffMark {
    pub path: NodePath,
    pub target: DiffTarget,
}
