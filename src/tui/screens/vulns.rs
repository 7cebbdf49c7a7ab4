//! The findings table as a screen: Enter on a scan node of the graph (one
//! whose findings the engine read, `facts`) opens the findings that scan
//! reported, VEX applied, on the shared list component. The report was
//! read, applied and counted once, off the render loop, when the image's
//! attachments arrived (`facts`, `runner::vulns`); opening lays out each
//! row's cells once (`rows`), a sort or filter key orders the rows once,
//! and a frame only fits the cells to the width (`draw`). Enter shows a
//! finding's advisory as the scan holds it (`advisory`); another key
//! shows the findings VEX suppressed, dimmed, with their justification.

mod advisory;
mod advisory_pane;
mod draw;
pub mod facts;
mod keys;
mod rows;

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub use advisory::Advisory;
pub use facts::{ScanFacts, VulnsCollected, facts_of};
pub use rows::{FINDING_COLUMNS, FindingRow, FindingsSort};

use crate::oci::Digest;
use crate::tui::keymap::Mode;
use crate::tui::list::ListView;
use crate::tui::screen::{Areas, Cx, DrawCx, Screen};
use crate::vuln::{Report, VulnSummary};

#[derive(Debug, Clone)]
pub struct FindingsView {
    /// What scan this is: scanner, format, digest.
    pub title: String,
    /// Its counts after VEX ("2 critical · 5 high (3 suppressed)").
    pub summary: VulnSummary,
    pub report: Arc<Report>,
    /// The scan's findings, suppressed ones included.
    pub rows: Vec<FindingRow>,
    /// Each column's widest cell (header included).
    pub natural: [usize; FINDING_COLUMNS.len()],
    /// Selection, order and filter over the rows.
    pub list: ListView,
    pub sort: FindingsSort,
    /// Whether findings VEX suppresses are listed (dimmed).
    pub show_suppressed: bool,
    /// The filter as typed.
    pub filter: String,
    pub filtering: bool,
    /// Rows a page key moves (the table's height).
    pub page: usize,
    /// The advisory of the selected finding, while it is open.
    pub advisory: Option<Advisory>,
}

impl FindingsView {
    /// The findings the scan whose manifest is `scan` reported, of
    /// `report`, its pages `page` rows.
    pub fn new(report: Arc<Report>, scan: &Digest, page: usize) -> FindingsView {
        let rows = rows::rows_of(&report, scan);
        let mut natural = FINDING_COLUMNS.map(str::len);
        let mut list = ListView::default();
        for row in &rows {
            for (widest, cell) in natural.iter_mut().zip(&row.cells) {
                *widest = (*widest).max(ratatui::text::Span::raw(cell.as_str()).width());
            }
            list.push(&row.haystack);
        }
        let scans: Vec<String> = report
            .scans
            .iter()
            .filter(|s| &s.origin.manifest == scan)
            .map(|s| format!("{} ({})", s.info.scanner_label(), s.info.format))
            .collect();
        let title = format!(
            "Findings of {} in {}",
            crate::text::escape_control(&scans.join(", ")),
            scan.short()
        );
        let mut view = FindingsView {
            title,
            summary: report.summary_for(scan),
            report,
            rows,
            natural,
            list,
            sort: FindingsSort::Severity,
            show_suppressed: false,
            filter: String::new(),
            filtering: false,
            page: page.max(1),
            advisory: None,
        };
        view.order_rows();
        view
    }

    /// The rows shown, in order.
    pub fn visible(&self) -> Vec<&FindingRow> {
        self.list
            .shown()
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .collect()
    }

    pub fn selected_row(&self) -> Option<&FindingRow> {
        self.list.selected_item().and_then(|i| self.rows.get(i))
    }

    /// Puts the rows in the table's order, the suppressed ones in or out
    /// (the list keeps the selection on its row).
    fn order_rows(&mut self) {
        let order = rows::order(&self.rows, &self.report, self.sort, self.show_suppressed);
        self.list.set_order(order);
    }

    /// Lays out the selected finding's advisory, once per selection.
    fn show_advisory(&mut self) {
        let finding = self.selected_row().map(|row| row.finding);
        if self.advisory.as_ref().map(|a| a.finding) == finding && finding.is_some() {
            return;
        }
        self.advisory = finding.and_then(|index| Advisory::of(&self.report, index));
    }
}

impl Screen for FindingsView {
    fn mode(&self) -> Mode {
        Mode::Vulns
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        self.on_findings_key(key, cx);
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        draw::draw(self, areas.panes(), buf, cx);
    }

    fn footer(&self, cx: &DrawCx<'_>) -> Option<Line<'static>> {
        Some(draw::footer_line(self, cx))
    }
}

/// The colour of a scan's label in the tree: its worst open finding's.
pub fn label_style(summary: &VulnSummary) -> ratatui::style::Style {
    crate::vuln::Severity::ALL
        .iter()
        .find(|s| summary.count(**s) > 0)
        .map_or_else(
            || ratatui::style::Style::new().fg(ratatui::style::Color::Green),
            |worst| draw::severity_style(*worst),
        )
}
