//! What a diff compares: its two sides, and the image marked in the graph
//! for one (the graph marks and opens the diff: `graph::diff_mark`). The
//! mark names a reference and a digest, not a row, so it survives `g`.

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
    /// The store it is in when not the one browsed (a store the session
    /// browsed before `g` went elsewhere), by its name; `None`: the one
    /// browsed.
    pub store: Option<String>,
}

/// The marked image: its row, what it names, and the store it is in (by
/// name), so that it outlives a `g` to another store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffMark {
    /// Its row in the graph of `store`: rows are named, not numbered, so
    /// after `g` away and back the same row shows it again.
    pub path: NodePath,
    pub target: DiffTarget,
    pub store: String,
}

impl DiffMark {
    /// Whether it is the row `path` of the graph of `store`.
    pub fn is_at<P>(&self, path: &P, store: &str) -> bool
    where
        P: ?Sized,
        NodePath: PartialEq<P>,
    {
        self.store == store && self.path == *path
    }
}
