//! The files view as a screen: Enter on a layer row lists that layer's
//! files, the `files` key on an image (or platform) row lists the image's
//! merged file system (opened by the graph). The
//! listing runs in the runner (`Effect::ListFiles`) and arrives as
//! `Msg::Files`, with byte progress on the way; drawing never waits. In
//! the view a key previews a text file (capped, escaped) and another
//! writes the file to the download directory under pull's rules, asking
//! before it replaces a different file (`keys`). Here: the view's state
//! and how the reports change it; `draw` lays it out.

mod draw;
mod keys;
mod rows;

use rows::single_layer_rows;
pub use rows::{PREVIEW_CAP, preview_lines};

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

use crate::layer::{Change, FileEntry, LayerListing, MergedView};
use crate::oci::Descriptor;
use crate::tui::keymap::Mode;
use crate::tui::list::ListView;
use crate::tui::message::Msg;
use crate::tui::screen::{Areas, Cx, DrawCx, Screen};

/// What the runner reports about a files view.
#[derive(Debug)]
pub enum FilesMsg {
    /// For an index: the platform the one chooser took, and its layers.
    Resolved {
        id: u64,
        platform: String,
        layers: Vec<Descriptor>,
    },
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
    /// The layer's opaque marker for this directory (`.wh..wh..opq`):
    /// lower layers' contents are hidden. Shown on the directory's row.
    pub opaque: bool,
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
    /// Selection and filter over the rows.
    pub list: ListView,
    /// The filter as typed.
    pub filter: String,
    pub filtering: bool,
    /// Rows a page key moves (the list's height).
    pub page: usize,
    pub preview: Option<FilePreview>,
    /// The last thing said about a save.
    pub note: Option<String>,
    /// A path whose save was refused because a different file is there:
    /// the save key again replaces it.
    pub confirm_replace: Option<String>,
}

impl FilesView {
    /// A view for the listing `id` of `layers` (`single`: the one layer
    /// of the image it is; `None`: the image merged), its pages `page`
    /// rows; what it shows comes with the listing's reports.
    pub fn open(
        id: u64,
        (title, repository): (String, String),
        layers: Vec<Descriptor>,
        single: Option<usize>,
        page: usize,
    ) -> FilesView {
        FilesView {
            id,
            title,
            repository,
            progress: (0, layers.iter().map(|l| l.size).sum()),
            layers,
            single,
            loading: true,
            error: None,
            listings: Vec::new(),
            merged: None,
            rows: Vec::new(),
            list: ListView::default(),
            filter: String::new(),
            filtering: false,
            page,
            preview: None,
            note: None,
            confirm_replace: None,
        }
    }

    /// Rows matching the filter (a substring of the path).
    pub fn visible(&self) -> Vec<&FileRow> {
        self.list
            .shown()
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&FileRow> {
        self.list.selected_item().and_then(|i| self.rows.get(i))
    }

    /// How the listing was made, for the title.
    pub fn source(&self) -> Option<String> {
        let mut sources: Vec<String> = self.listings.iter().map(|l| l.source.describe()).collect();
        sources.dedup();
        (!sources.is_empty()).then(|| sources.join(", "))
    }

    fn fill(&mut self, listed: Listed) {
        self.rows = match &listed.merged {
            Some(view) => view
                .entries
                .iter()
                .map(|e| FileRow {
                    entry: e.entry.clone(),
                    layer: Some(e.layer),
                    change: Some(e.change),
                    opaque: false,
                })
                .collect(),
            None => {
                let entries = listed.listings.iter().flat_map(|l| l.entries.iter());
                let mut rows = single_layer_rows(entries);
                rows.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
                rows
            }
        };
        self.list = ListView::default();
        for row in &self.rows {
            self.list.push(&row.entry.path);
        }
        self.list.set_filter(&self.filter);
        self.listings = listed.listings;
        self.merged = listed.merged;
    }
}

impl FilesView {
    /// Applies a report of the runner about this view.
    fn on_report(&mut self, msg: FilesMsg) {
        let view = self;
        match msg {
            FilesMsg::Resolved {
                id,
                platform,
                layers,
            } if id == view.id => {
                view.title = format!("{} for {platform}", view.title);
                view.progress = (0, layers.iter().map(|l| l.size).sum());
                view.layers = layers;
            }
            FilesMsg::Progress { id, done, total } if id == view.id => {
                view.progress = (done, total);
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

impl Screen for FilesView {
    fn mode(&self) -> Mode {
        Mode::Files
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        self.on_files_key(key, cx);
    }

    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        match msg {
            Msg::Files(report) if report.id() == self.id => {
                self.on_report(report);
                None
            }
            other => Some(other),
        }
    }

    fn is_animating(&self) -> bool {
        self.loading
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        draw::draw(self, areas.panes(), buf, cx);
    }

    fn footer(&self, cx: &DrawCx<'_>) -> Option<Line<'static>> {
        Some(draw::footer_line(self, cx))
    }
}

impl FilesMsg {
    /// The view it reports on.
    fn id(&self) -> u64 {
        match self {
            FilesMsg::Resolved { id, .. }
            | FilesMsg::Progress { id, .. }
            | FilesMsg::Listed { id, .. }
            | FilesMsg::Preview { id, .. }
            | FilesMsg::Saved { id, .. } => *id,
        }
    }
}
