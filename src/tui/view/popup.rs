//! The frame every popup screen (help, messages, the dialogs) draws in: a
//! body that scrolls and key lines that always show, so on a small
//! terminal the body is cut, never the keys that answer it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::wrap::{hanging, leading_spaces};
use crate::tui::keymap::Action;

/// What a popup shows.
pub struct PopupText {
    pub title: &'static str,
    /// Scrolls when it does not fit.
    pub body: Vec<Line<'static>>,
    /// The keys that answer the popup: always shown.
    pub keys: Vec<Line<'static>>,
    /// Where wrapped rows of the body start; `None`: under the line's
    /// text.
    pub indent: Option<usize>,
}

struct Geometry {
    popup: Rect,
    body: Rect,
    keys: Rect,
    /// Rows the body takes once wrapped.
    body_rows: usize,
}

fn wrapped_rows(lines: &[Line<'static>], width: u16) -> usize {
    Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1))
}

fn popup_width(area: Rect) -> u16 {
    (area.width.saturating_sub(4))
        .min(110)
        .max(20.min(area.width))
}

fn geometry(area: Rect, text: &PopupText) -> Geometry {
    let width = popup_width(area);
    let inner = width.saturating_sub(2);
    let body_rows = wrapped_rows(&text.body, inner);
    let key_rows = wrapped_rows(&text.keys, inner);
    let height = u16::try_from(body_rows + key_rows + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let [_, row, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(row);
    let inside = popup.inner(Margin::new(1, 1));
    let key_height = u16::try_from(key_rows)
        .unwrap_or(u16::MAX)
        .min(inside.height);
    let [body, keys] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(key_height)]).areas(inside);
    Geometry {
        popup,
        body,
        keys,
        body_rows,
    }
}

impl PopupText {
    /// Its body wrapped with a hanging indent for a terminal of `area`.
    fn laid_out(mut self, area: Rect) -> PopupText {
        let inner = popup_width(area).saturating_sub(2);
        let indent = self.indent;
        self.body = std::mem::take(&mut self.body)
            .into_iter()
            .flat_map(|line| {
                let indent = indent.unwrap_or_else(|| leading_spaces(&line) + 2);
                hanging(line, inner, indent)
            })
            .collect();
        self
    }

    /// How many rows its body can scroll in a terminal of `area`.
    pub fn scroll_limit(self, area: Rect) -> u16 {
        let text = self.laid_out(area);
        let geometry = geometry(area, &text);
        u16::try_from(
            geometry
                .body_rows
                .saturating_sub(usize::from(geometry.body.height)),
        )
        .unwrap_or(u16::MAX)
    }

    /// Draws it centred in `area`, its body scrolled `scroll` rows.
    pub fn render(self, scroll: u16, accent: Color, area: Rect, buf: &mut Buffer) {
        let text = self.laid_out(area);
        let geometry = geometry(area, &text);
        let limit = geometry
            .body_rows
            .saturating_sub(usize::from(geometry.body.height));
        let scroll = usize::from(scroll).min(limit);
        let mut block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(Style::new().fg(accent))
            .title(format!(" {} ", text.title));
        if limit > 0 {
            // Where the body is scrolled to, since some of it is hidden.
            let last = (scroll + usize::from(geometry.body.height)).min(geometry.body_rows);
            block =
                block.title_bottom(format!(" {}–{last} of {} ", scroll + 1, geometry.body_rows));
        }
        Clear.render(geometry.popup, buf);
        block.render(geometry.popup, buf);
        Paragraph::new(text.body)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .render(geometry.body, buf);
        Paragraph::new(text.keys)
            .wrap(Wrap { trim: false })
            .render(geometry.keys, buf);
    }
}

/// Where a moving key takes a popup's scroll of `current` rows, within
/// `limit`, with pages of a terminal `height` rows high.
pub fn scrolled(current: u16, action: Action, limit: u16, height: u16) -> u16 {
    let page = height.saturating_sub(6).max(1);
    match action {
        Action::Up => current.saturating_sub(1),
        Action::Down => current.saturating_add(1),
        Action::PageUp => current.saturating_sub(page),
        Action::PageDown => current.saturating_add(page),
        Action::First => 0,
        Action::Last => limit,
        _ => current,
    }
    .min(limit)
}
