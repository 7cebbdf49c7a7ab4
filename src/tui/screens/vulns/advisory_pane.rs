//! The advisory as a pane: where it goes (beside the table on a wide
//! terminal, over it on a narrow one), its text wrapped in a box, and how
//! far it scrolls. The keys that scroll it and the frame use the same
//! geometry, so a long description can be read to its end.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::Advisory;

/// Terminals at least this wide show the advisory beside the table.
const SIDE_BY_SIDE: u16 = 120;

/// The screen's `area` split: its head line, the table (`None` while the
/// advisory covers it), the advisory (`None` while closed).
pub(super) fn layout(area: Rect, advisory_open: bool) -> (Rect, Option<Rect>, Option<Rect>) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    if !advisory_open {
        (head, Some(body), None)
    } else if body.width >= SIDE_BY_SIDE {
        let [table, advisory] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        (head, Some(table), Some(advisory))
    } else {
        // Too narrow for both: the advisory covers the table until it
        // is closed.
        (head, None, Some(body))
    }
}

impl Advisory {
    /// Its text, labels aligned, in a box titled with the finding's id.
    pub fn paragraph(&self) -> Paragraph<'static> {
        let width = self
            .lines
            .iter()
            .map(|(label, _)| label.len())
            .max()
            .unwrap_or(0);
        let lines: Vec<Line<'static>> = self
            .lines
            .iter()
            .map(|(label, text)| {
                Line::from(vec![
                    Span::styled(format!("{label:>width$} "), Style::new().fg(Color::Gray)),
                    Span::raw(text.clone()),
                ])
            })
            .collect();
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::new()
                .borders(Borders::ALL)
                .title(format!(" {} ", self.title)),
        )
    }

    /// The most rows it scrolls in `area`: what does not fit once wrapped.
    pub fn scroll_limit(&self, area: Rect) -> u16 {
        let inner = Block::new().borders(Borders::ALL).inner(area);
        let rows = self
            .paragraph()
            .block(Block::new())
            .line_count(inner.width.max(1));
        u16::try_from(rows.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
    }
}
