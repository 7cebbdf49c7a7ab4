//! The diff of two images as a screen (issue 21): the mark key marks the
//! selected image in the graph, the diff key on another computes
//! `crate::diff::diff` in the runner (`Effect::Diff`, a spinner while it
//! runs) and opens this screen. Each section (manifest and config,
//! layers, files, SBOM packages, attachments, notes) is one folded row
//! with its counts; Enter opens or folds it; `/` filters the entries
//! (paths, packages, fields, digests) of every section, folded or not.
//! The report's lines are written once, when it arrives (`lines`); a
//! frame only lays out the window (`draw`).

mod draw;
mod keys;
pub mod lines;
pub mod mark;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub use lines::{Entry, Mark, SectionLines};
pub use mark::{DiffMark, DiffTarget};

use crate::diff::DiffReport;
use crate::diff::summary::summary_line;
use crate::ops::CancellationToken;
use crate::text::escape_control;
use crate::tui::keymap::Mode;
use crate::tui::list::ListView;
use crate::tui::message::Msg;
use crate::tui::screen::{Areas, Cx, DrawCx, Screen};

/// What the runner reports about a diff.
#[derive(Debug)]
pub enum DiffMsg {
    /// `done` of `total` bytes of the layers read so far.
    Progress { id: u64, done: u64, total: u64 },
    Done {
        id: u64,
        result: Result<Box<DiffReport>, String>,
    },
}

impl DiffMsg {
    fn id(&self) -> u64 {
        match self {
            DiffMsg::Progress { id, .. } | DiffMsg::Done { id, .. } => *id,
        }
    }
}

/// A row of the list: a section's header, or one of its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Header(usize),
    Entry { section: usize, entry: usize },
}

#[derive(Debug)]
pub struct DiffScreen {
    pub id: u64,
    /// `left → right`.
    pub title: String,
    /// Cancels the diff under way when the screen closes.
    cancel: CancellationToken,
    pub loading: bool,
    pub progress: (u64, u64),
    pub error: Option<String>,
    /// The engine's one line ("+3 −1 ~2 packages, …"), per image.
    pub summary: String,
    pub sections: Vec<SectionLines>,
    /// Every header and entry, in the order they were pushed to `list`.
    pub rows: Vec<Row>,
    /// The sections shown unfolded.
    pub open: BTreeSet<usize>,
    /// Selection, order (folds) and filter over `rows`.
    pub list: ListView,
    pub filter: String,
    pub filtering: bool,
    pub page: usize,
}

impl DiffScreen {
    /// A screen waiting for the diff `id` of `left` with `right`; `cancel`
    /// is the token the runner's task watches.
    pub fn new(
        id: u64,
        left: &DiffTarget,
        right: &DiffTarget,
        cancel: CancellationToken,
        page: usize,
    ) -> DiffScreen {
        DiffScreen {
            id,
            title: format!(
                "{} → {}",
                escape_control(&left.name),
                escape_control(&right.name)
            ),
            cancel,
            loading: true,
            progress: (0, 0),
            error: None,
            summary: String::new(),
            sections: Vec::new(),
            rows: Vec::new(),
            open: BTreeSet::new(),
            list: ListView::default(),
            filter: String::new(),
            filtering: false,
            page,
        }
    }

    /// Lays the report out into sections and rows, once.
    pub fn fill(&mut self, report: &DiffReport) {
        let several = report.images.len() > 1;
        self.summary = report
            .images
            .iter()
            .map(|image| match (&image.platform, several) {
                (Some(platform), true) => {
                    format!("{}: {}", escape_control(platform), summary_line(image))
                }
                _ => summary_line(image),
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.sections = report
            .images
            .iter()
            .flat_map(|image| lines::sections_of(image, several))
            .collect();
        self.rows.clear();
        self.list = ListView::default();
        for (section, lines) in self.sections.iter().enumerate() {
            // A header matches no filter: filtered, only entries show.
            self.rows.push(Row::Header(section));
            self.list.push("");
            for (entry, line) in lines.entries.iter().enumerate() {
                self.rows.push(Row::Entry { section, entry });
                self.list.push(&line.key);
            }
        }
        self.reorder();
        self.list.set_filter(&self.filter);
    }

    /// Shows the headers and the open sections' entries; while a filter
    /// is typed, every entry, folded or not.
    fn reorder(&mut self) {
        let everything = !self.filter.is_empty();
        let order = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| match row {
                Row::Header(_) => true,
                Row::Entry { section, .. } => everything || self.open.contains(section),
            })
            .filter_map(|(index, _)| u32::try_from(index).ok())
            .collect();
        self.list.set_order(order);
    }

    /// The filter as typed changed.
    fn filter_changed(&mut self) {
        self.reorder();
        self.list.set_filter(&self.filter);
    }

    pub fn selected_row(&self) -> Option<Row> {
        self.list
            .selected_item()
            .and_then(|i| self.rows.get(i).copied())
    }

    /// How many entries there are, and how many pass the filter.
    pub fn entry_counts(&self) -> (usize, usize) {
        let total = self.rows.len() - self.sections.len();
        let shown = self
            .list
            .shown()
            .iter()
            .filter(|&&i| matches!(self.rows.get(i as usize), Some(Row::Entry { .. })))
            .count();
        (shown, total)
    }

    fn on_report(&mut self, msg: DiffMsg) {
        match msg {
            DiffMsg::Progress { done, total, .. } => self.progress = (done, total),
            DiffMsg::Done { result, .. } => {
                self.loading = false;
                match result {
                    Ok(report) => self.fill(&report),
                    Err(error) => self.error = Some(error),
                }
            }
        }
    }
}

/// However the screen goes (closed, the app quitting, another registry
/// browsed), the diff it waits for stops: the runner drives it on a
/// blocking thread the runtime would otherwise wait for at exit.
impl Drop for DiffScreen {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

impl Screen for DiffScreen {
    fn mode(&self) -> Mode {
        Mode::Diff
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        self.on_diff_key(key, cx);
    }

    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        match msg {
            Msg::Diff(report) if report.id() == self.id => {
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
