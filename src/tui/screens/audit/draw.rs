//! The audit table: one row per image, filled as lookups finish, with the
//! summary line ("38/40 signed · 12 with SBOM · 3 verified") and progress.
//! Cells were written when their row arrived; a frame fits the columns to
//! the width (a cut cell ends with "…") and shows the selected row whole
//! below the table, so nothing the CLI prints is out of reach at 80
//! columns.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::rows::{AUDIT_COLUMNS, AuditTable};
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::columns::{cell, fit};
use crate::tui::view::labels::spinner;
use crate::tui::view::wrap::{ellipsis, hanging};
use crate::tui::view::{footer, input_line};

struct AuditView<'a> {
    cx: &'a DrawCx<'a>,
    table: &'a AuditTable,
}

/// The table over `area`.
pub(super) fn draw(table: &AuditTable, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>) {
    AuditView { cx, table }.render(area, buf);
}

/// Its bottom line.
pub(super) fn footer_line(table: &AuditTable, cx: &DrawCx<'_>) -> Line<'static> {
    AuditView { cx, table }.foot()
}

/// A cell's colour: marks and verdicts say how it went.
fn cell_style(text: &str) -> Style {
    if text.starts_with('✓') || text.starts_with("verified") {
        Style::new().fg(Color::Green)
    } else if text.starts_with('✗') || text.starts_with("failed") {
        Style::new().fg(Color::Red)
    } else if text == "unverified" {
        Style::new().fg(Color::DarkGray)
    } else {
        Style::new()
    }
}

/// Which columns show: the repository only when the rows span several,
/// as the CLI's table does.
fn columns(table: &AuditTable) -> Vec<usize> {
    let first = table.rows.first().map(|r| r.repository.as_str());
    let several = table
        .rows
        .iter()
        .any(|r| Some(r.repository.as_str()) != first);
    (0..AUDIT_COLUMNS.len())
        .filter(|&i| i != 0 || several)
        .collect()
}

impl AuditView<'_> {
    fn head(&self) -> Line<'static> {
        let table = self.table;
        let summary = table.summary();
        let progress = if table.running {
            format!(
                "{} auditing {}/{}",
                spinner(self.cx.tick),
                table.rows.len(),
                table.planned
            )
        } else {
            match &table.outcome {
                Some(why) => format!("stopped: {}", escape_control(why)),
                None => format!("{} images audited", table.rows.len()),
            }
        };
        Line::from(vec![
            Span::styled(
                format!("Audit of {}  ", escape_control(&table.title)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{}  ·  {progress}", summary.line())),
        ])
    }

    /// The bottom line under the table: its filter being typed, or its
    /// keys from the key map.
    fn foot(&self) -> Line<'static> {
        let table = self.table;
        let config = self.cx.config;
        if table.filtering {
            let keymap = &config.keymap;
            let hint = format!(
                "{} keeps · {} clears",
                keymap.hint(Action::Confirm),
                keymap.hint(Action::Cancel)
            );
            return input_line(config, "filter: ", &table.filter, &hint);
        }
        let close = if table.running { "cancel" } else { "close" };
        let mut line = footer(
            config,
            &[
                (Action::Help, "help"),
                (Action::GoToImage, "go to image"),
                (Action::Sort, "sort"),
                (Action::Filter, "filter"),
                (Action::Close, close),
            ],
        );
        if !table.filter.is_empty() {
            line.spans.push(Span::styled(
                format!("filter: {}", escape_control(&table.filter)),
                Style::new().fg(Color::Yellow),
            ));
        }
        line
    }

    /// The cells of the selected row that the table had to cut, whole.
    fn selected_whole(&self, widths: &[usize]) -> Line<'static> {
        let table = self.table;
        let Some(index) = table.list.selected_item() else {
            return Line::raw("");
        };
        let cells = &table.cells[index];
        let parts: Vec<String> = columns(table)
            .into_iter()
            .zip(widths)
            .filter(|(i, width)| Span::raw(cells[*i].as_str()).width() > **width)
            .map(|(i, _)| format!("{} {}", AUDIT_COLUMNS[i].to_lowercase(), cells[i]))
            .collect();
        Line::styled(
            format!(" {}", parts.join(" · ")),
            Style::new().fg(Color::Gray),
        )
    }
}

impl Widget for AuditView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let table = self.table;
        let [head, body, whole] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(area);
        ellipsis(self.head(), head.width).render(head, buf);

        let block = Block::new().borders(Borders::ALL).title(format!(
            " {} · sorted by {} ",
            table.list.count_text(),
            table.sort.label()
        ));
        let inner = block.inner(body);
        block.render(body, buf);
        let shown = columns(table);
        let natural: Vec<usize> = shown.iter().map(|&i| table.natural[i]).collect();
        // A column of space on the left, as the panes have.
        let widths = fit(&natural, usize::from(inner.width.saturating_sub(1)), 1);
        let row_line = |texts: Vec<(&str, Style)>| {
            let mut spans = vec![Span::raw(" ")];
            for ((text, style), width) in texts.into_iter().zip(&widths) {
                if *width == 0 {
                    continue;
                }
                spans.push(Span::styled(cell(text, *width), style));
                spans.push(Span::raw(" "));
            }
            Line::from(spans)
        };
        let header = row_line(
            shown
                .iter()
                .map(|&i| (AUDIT_COLUMNS[i], Style::new().add_modifier(Modifier::BOLD)))
                .collect(),
        );
        let mut lines = vec![ellipsis(header, inner.width)];
        let height = usize::from(inner.height.saturating_sub(1));
        let selected = table.list.selected_position();
        for position in table.list.window(height) {
            let Some(&index) = table.list.shown().get(position) else {
                continue;
            };
            let cells = &table.cells[index as usize];
            let line = row_line(
                shown
                    .iter()
                    .map(|&i| (cells[i].as_str(), cell_style(&cells[i])))
                    .collect(),
            );
            let mut line = ellipsis(line, inner.width);
            if position == selected {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            lines.push(line);
        }
        Paragraph::new(lines).render(inner, buf);
        let rows = hanging(self.selected_whole(&widths), whole.width, 2);
        Paragraph::new(rows).render(whole, buf);
    }
}
