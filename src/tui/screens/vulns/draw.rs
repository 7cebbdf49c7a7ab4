//! The findings table: a head line with the scan and its counts, the
//! table (severity in its colour, suppressed findings dimmed), the cut
//! cells of the selected row whole below it, and the advisory beside the
//! table on a wide terminal or over it on a narrow one. Cells were written
//! when the table opened; a frame fits them to the width and lays out
//! only the rows that show.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::advisory_pane::layout;
use super::{FINDING_COLUMNS, FindingRow, FindingsView};
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::columns::{cell, fit};
use crate::tui::view::wrap::{ellipsis, hanging};
use crate::tui::view::{footer, input_line};
use crate::vuln::Severity;

struct FindingsWidget<'a> {
    cx: &'a DrawCx<'a>,
    view: &'a FindingsView,
}

/// The table over `area`.
pub(super) fn draw(view: &FindingsView, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>) {
    FindingsWidget { cx, view }.render(area, buf);
}

/// Its bottom line.
pub(super) fn footer_line(view: &FindingsView, cx: &DrawCx<'_>) -> Line<'static> {
    FindingsWidget { cx, view }.foot()
}

pub(super) fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Severity::High => Style::new().fg(Color::LightRed),
        Severity::Medium => Style::new().fg(Color::Yellow),
        Severity::Low => Style::new().fg(Color::Cyan),
        Severity::Unknown => Style::new().fg(Color::Gray),
    }
}

const DIMMED: Style = Style::new().fg(Color::DarkGray);

impl FindingsWidget<'_> {
    fn head(&self) -> Line<'static> {
        let view = self.view;
        Line::from(vec![
            Span::styled(
                format!("{}  ", view.title),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(view.summary.label()),
        ])
    }

    fn foot(&self) -> Line<'static> {
        let (config, view) = (self.cx.config, self.view);
        let keymap = &config.keymap;
        if view.filtering {
            let hint = format!(
                "{} keeps · {} clears",
                keymap.hint(Action::Confirm),
                keymap.hint(Action::Cancel)
            );
            return input_line(config, "filter: ", &view.filter, &hint);
        }
        let suppressed = if view.show_suppressed {
            "hide suppressed"
        } else {
            "show suppressed"
        };
        let mut pairs = vec![(Action::Help, "help")];
        if view.advisory.is_some() {
            pairs.extend([
                (Action::AdvisoryDown, "advisory down"),
                (Action::AdvisoryUp, "up"),
            ]);
        } else {
            pairs.push((Action::Advisory, "advisory"));
        }
        pairs.extend([
            (Action::SortFindings, "sort"),
            (Action::ToggleSuppressed, suppressed),
            (Action::Filter, "filter"),
            (Action::Close, "close"),
        ]);
        let mut line = footer(config, &pairs);
        if !view.filter.is_empty() {
            line.spans.push(Span::styled(
                format!("filter: {}", escape_control(&view.filter)),
                Style::new().fg(Color::Yellow),
            ));
        }
        line
    }

    fn row_line(row: &FindingRow, widths: &[usize], selected: bool) -> Line<'static> {
        let mut spans = Vec::new();
        for (i, (text, width)) in row.cells.iter().zip(widths).enumerate() {
            if *width == 0 {
                continue;
            }
            let style = match i {
                _ if row.suppressed => DIMMED,
                0 => severity_style(row.severity),
                _ => Style::new(),
            };
            // A column of space on the left, as the panes have, and one
            // between cells (what `fit` reserved).
            spans.push(Span::raw(" "));
            spans.push(Span::styled(cell(text, *width), style));
        }
        let line = Line::from(spans);
        if selected {
            line.style(Style::new().add_modifier(Modifier::REVERSED))
        } else {
            line
        }
    }

    fn table(&self, area: Rect, buf: &mut Buffer) {
        let view = self.view;
        let [body, whole] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
        let hidden = view.rows.iter().filter(|r| r.suppressed).count();
        let suppressed = match (hidden, view.show_suppressed) {
            (0, _) => String::new(),
            (n, true) => format!(" · {n} suppressed, dimmed"),
            (n, false) => format!(" · {n} suppressed, hidden"),
        };
        let block = Block::new().borders(Borders::ALL).title(format!(
            " {} · sorted by {}{suppressed} ",
            view.list.count_text(),
            view.sort.label()
        ));
        let inner = block.inner(body);
        block.render(body, buf);
        // A column of space on the left, as the panes have.
        let widths = fit(&view.natural, usize::from(inner.width.saturating_sub(1)), 1);
        let header = Line::from(
            FINDING_COLUMNS
                .iter()
                .zip(&widths)
                .filter(|(_, w)| **w > 0)
                .flat_map(|(name, width)| {
                    [
                        Span::raw(" "),
                        Span::styled(
                            cell(name, *width),
                            Style::new().add_modifier(Modifier::BOLD),
                        ),
                    ]
                })
                .collect::<Vec<_>>(),
        );
        let mut lines = vec![ellipsis(header, inner.width)];
        let height = usize::from(inner.height.saturating_sub(1));
        let selected = view.list.selected_position();
        for position in view.list.window(height) {
            let Some(row) = view
                .list
                .shown()
                .get(position)
                .and_then(|&i| view.rows.get(i as usize))
            else {
                continue;
            };
            lines.push(ellipsis(
                Self::row_line(row, &widths, position == selected),
                inner.width,
            ));
        }
        if view.rows.is_empty() {
            lines.push(Line::styled(" the scan lists no findings", DIMMED));
        }
        Paragraph::new(lines).render(inner, buf);
        let rows = hanging(self.selected_whole(&widths), whole.width, 2);
        Paragraph::new(rows).render(whole, buf);
    }

    /// The cells of the selected row that the table had to cut, whole.
    fn selected_whole(&self, widths: &[usize]) -> Line<'static> {
        let Some(row) = self.view.selected_row() else {
            return Line::raw("");
        };
        let parts: Vec<String> = row
            .cells
            .iter()
            .zip(widths)
            .enumerate()
            .filter(|(_, (text, width))| Span::raw(text.as_str()).width() > **width)
            .map(|(i, (text, _))| format!("{} {text}", FINDING_COLUMNS[i].to_lowercase()))
            .collect();
        Line::styled(
            format!(" {}", parts.join(" · ")),
            Style::new().fg(Color::Gray),
        )
    }

    fn advisory(&self, area: Rect, buf: &mut Buffer) {
        let Some(advisory) = &self.view.advisory else {
            return;
        };
        // Clamped here too: a smaller terminal needs less scrolling.
        let scroll = advisory.scroll.min(advisory.scroll_limit(area));
        advisory.paragraph().scroll((scroll, 0)).render(area, buf);
    }
}

impl Widget for FindingsWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (head, table, advisory) = layout(area, self.view.advisory.is_some());
        ellipsis(self.head(), head.width).render(head, buf);
        if let Some(table) = table {
            self.table(table, buf);
        }
        if let Some(advisory) = advisory {
            self.advisory(advisory, buf);
        }
    }
}
