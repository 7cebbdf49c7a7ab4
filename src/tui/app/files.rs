//! The files view: Enter on a layer row lists that layer's files, the
//! `files` key on an image (or platform) row lists the image's merged file
//! system (`files_open`). The listing runs in the runner
//! (`Effect::ListFiles`) and arrives as `Msg::Files`, with byte progress on
//! the way; drawing never waits. In the view a key previews a text file
//! (capped, escaped) and another writes the file to the download directory
//! under pull's rules, asking before it replaces a different file
//! (`files_keys`). Here: the view's state and how the reports change it.

use super::App;
use crate::layer::{Change, FileEntry, LayerListing, MergedView};
use crate::oci::Descriptor;

/// Bytes of a file the preview shows at most.
pub const PREVIEW_CAP: usize = 64 * 1024;

/// What the runner reports about a files view.
#[derive(Debug)]
pub enum FilesMsg {
    /// `done` of `total` bytes of the layers read so far.
    Progress { id: u64, done: u64, total: u64 },
    Listed {
        id: u64,
        result: Result<Listed, String>,
    },
    /// The first bytes of a file, for the preview.
    Preview {
        id: u64,
        path: String,
        result: Result<Vec<u8>, String>,
    },
    /// A file was written out (`Ok(sentence)`) or not.
    Saved {
        id: u64,
        path: String,
        result: Result<String, SaveRefusal>,
    },
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveRefusal {
    /// A different file is there: the user may ask again to replace it.
    Exists(String),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Listed {
    pub listings: Vec<LayerListing>,
    /// For the image view.
    pub merged: Option<MergedView>,
}

/// One row: a file, and for the merged view the layer that last changed
/// it and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub entry: FileEntry,
    pub layer: Option<usize>,
    pub change: Option<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePreview {
    pub path: String,
    /// Escaped lines, or `None` while loading.
    pub text: Option<Result<Vec<String>, String>>,
}

#[derive(Debug, Clone)]
pub struct FilesView {
    pub id: u64,
    pub title: String,
    pub repository: String,
    /// The layers the view reads, base first.
    pub layers: Vec<Descriptor>,
    /// Index of the one layer shown, or `None` for the merged view.
    pub single: Option<usize>,
    /// Bytes read of the layers so far, and their total.
    pub progress: (u64, u64),
    pub loading: bool,
    pub error: Option<String>,
    pub listings: Vec<LayerListing>,
    pub merged: Option<MergedView>,
    pub rows: Vec<FileRow>,
    pub selected: usize,
    pub filter: String,
    pub filtering: bool,
    pub preview: Option<FilePreview>,
    /// The last thing said about a save.
    pub note: Option<String>,
    /// A path whose save was refused because a different file is there:
    /// the save key again replaces it.
    pub confirm_replace: Option<String>,
}

impl FilesView {
    /// Rows matching the filter (a substring of the path).
    pub fn visible(&self) -> Vec<&FileRow> {
        let needle = self.filter.to_lowercase();
        self.rows
            .iter()
            .filter(|row| needle.is_empty() || row.entry.path.to_lowercase().contains(&needle))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&FileRow> {
        self.visible().get(self.selected).copied()
    }

    /// How the listing was made, for the title.
    pub fn source(&self) -> Option<String> {
        let mut sources: Vec<String> = self.listings.iter().map(|l| l.source.describe()).collect();
        sources.dedup();
        (!sources.is_empty()).then(|| sources.join(", "))
    }

    fn fill(&mut self, listed: Listed) {
        self.rows = match (&listed.merged, self.single) {
            (Some(view), _) => view
                .entries
                .iter()
                .map(|e| FileRow {
                    entry: e.entry.clone(),
                    layer: Some(e.layer),
                    change: Some(e.change),
                })
                .collect(),
            (None, _) => {
                let mut rows: Vec<FileRow> = listed
                    .listings
                    .iter()
                    .flat_map(|l| l.entries.iter())
                    .map(|entry| FileRow {
                        entry: entry.clone(),
                        layer: None,
                        change: None,
                    })
                    .collect();
                rows.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
                rows
            }
        };
        self.listings = listed.listings;
        self.merged = listed.merged;
    }
}

impl App {
    pub(super) fn on_files_msg(&mut self, msg: FilesMsg) {
        let Some(view) = &mut self.files else {
            return;
        };
        match msg {
            FilesMsg::Progress { id, done, total } if id == view.id => {
                view.progress = (done, total)
            }
            FilesMsg::Listed { id, result } if id == view.id => {
                view.loading = false;
                match result {
                    Ok(listed) => view.fill(listed),
                    Err(error) => view.error = Some(error),
                }
            }
            // Only the preview still asked for (a later Enter moved on).
            FilesMsg::Preview { id, path, result }
                if id == view.id && view.preview.as_ref().is_some_and(|p| p.path == path) =>
            {
                view.preview = Some(FilePreview {
                    text: Some(result.map(|bytes| preview_lines(&bytes))),
                    path,
                });
            }
            FilesMsg::Saved { id, path, result } if id == view.id => match result {
                Ok(sentence) => {
                    view.note = Some(sentence);
                    view.confirm_replace = None;
                }
                Err(SaveRefusal::Exists(sentence)) => {
                    view.note = Some(sentence);
                    view.confirm_replace = Some(path);
                }
                Err(SaveRefusal::Failed(error)) => {
                    view.note = Some(format!("could not write {path}: {error}"));
                    view.confirm_replace = None;
                }
            },
            _ => {}
        }
    }
}

/// A file's first bytes as escaped lines, or a note that it is binary.
pub fn preview_lines(bytes: &[u8]) -> Vec<String> {
    let shown = &bytes[..bytes.len().min(PREVIEW_CAP)];
    if shown.contains(&0) {
        return vec![format!(
            "(binary file: {} shown of it is not text)",
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
