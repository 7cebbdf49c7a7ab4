//! Popups: the help generated from the loaded key map, and the dialogs.
//! A popup is a body that scrolls and key lines that always show: on a
//! small terminal the body is cut, never the keys that answer it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::dialog_lines::dialog_text;
use super::messages::messages_text;
use super::wrap::{hanging, leading_spaces};
use crate::text::escape_control;
use crate::tui::app::{App, Popup};
use crate::tui::keymap::{Action, Mode};

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

/// What the open popup shows in a terminal of `area`, its body wrapped
/// with a hanging indent.
fn popup_text(app: &App, area: Rect) -> Option<PopupText> {
    let mut text = match &app.popup {
        Some(Popup::Help(screen)) => help_text(app, *screen),
        Some(Popup::Messages) => messages_text(app),
        Some(Popup::Dialog(dialog)) => dialog_text(app, dialog),
        None => return None,
    };
    let inner = popup_width(area).saturating_sub(2);
    text.body = std::mem::take(&mut text.body)
        .into_iter()
        .flat_map(|line| {
            let indent = text.indent.unwrap_or_else(|| leading_spaces(&line) + 2);
            hanging(line, inner, indent)
        })
        .collect();
    Some(text)
}

/// How many rows the open popup's body can scroll in a terminal of `area`.
pub fn popup_scroll_limit(app: &App, area: Rect) -> u16 {
    let Some(text) = popup_text(app, area) else {
        return 0;
    };
    let geometry = geometry(area, &text);
    u16::try_from(
        geometry
            .body_rows
            .saturating_sub(usize::from(geometry.body.height)),
    )
    .unwrap_or(u16::MAX)
}

pub struct PopupView<'a> {
    pub app: &'a App,
}

impl Widget for &PopupView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let Some(text) = popup_text(app, area) else {
            return;
        };
        let geometry = geometry(area, &text);
        let limit = geometry
            .body_rows
            .saturating_sub(usize::from(geometry.body.height));
        let scroll = usize::from(app.popup_scroll).min(limit);
        let mut block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(Style::new().fg(app.config.theme.accent))
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

/// How wide the help's column of keys is.
const HELP_KEYS_WIDTH: usize = 16;

/// The keys of the screen it was opened on, in the modes it reads them,
/// then the global ones: straight from the loaded key map.
fn help_text(app: &App, screen: Mode) -> PopupText {
    let keymap = &app.config.keymap;
    let heading = |mode: Mode| {
        Line::styled(
            format!(" {}:", mode.heading()),
            Style::new().fg(app.config.theme.accent),
        )
    };
    let mut modes: Vec<Mode> = screen
        .lookup()
        .iter()
        .copied()
        .filter(|m| *m != Mode::Global)
        .collect();
    // The tree's prompts (`/`, `g`) and dialogs are typed in there.
    if screen == Mode::Browse {
        modes.push(Mode::Dialog);
    }
    modes.push(Mode::Global);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for mode in modes {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(heading(mode));
        lines.extend(
            Action::ALL
                .iter()
                .filter(|a| a.mode() == mode)
                .map(|&action| help_line(app, action)),
        );
    }
    lines.extend(help_tail(app));
    let dim = Style::new().fg(Color::DarkGray);
    let keys = vec![Line::styled(
        format!(
            " {} {} {} {} {} {} scroll · {} closes",
            keymap.hint(Action::Up),
            keymap.hint(Action::Down),
            keymap.hint(Action::PageUp),
            keymap.hint(Action::PageDown),
            keymap.hint(Action::First),
            keymap.hint(Action::Last),
            keymap.hint(Action::Close),
        ),
        dim,
    )];
    PopupText {
        title: "keys",
        body: lines,
        keys,
        // Under the descriptions, past the keys column.
        indent: Some(HELP_KEYS_WIDTH + 1),
    }
}

/// One action and its keys.
fn help_line(app: &App, action: Action) -> Line<'static> {
    let keys = app
        .config
        .keymap
        .keys_of(action)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    Line::from(vec![
        Span::styled(
            format!(" {keys:<HELP_KEYS_WIDTH$}"),
            Style::new()
                .fg(app.config.theme.accent)
                .add_modifier(Modifier::BOLD),
        ),
        Span::raw(action.description()),
    ])
}

/// The mouse, the log, the config and where downloads go.
fn help_tail(app: &App) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.push(Line::raw(""));
    let dim = Style::new().fg(Color::DarkGray);
    lines.push(Line::from(Span::styled(
        " mouse: click selects, click again opens, wheel scrolls",
        dim,
    )));
    if let Some(path) = &app.session.log_path {
        lines.push(Line::from(Span::styled(
            format!(" log: {}", path.display()),
            dim,
        )));
    }
    if let Some(path) = &app.config.path {
        lines.push(Line::from(Span::styled(
            format!(" config: {}", escape_control(&path.display().to_string())),
            dim,
        )));
    }
    lines.push(Line::from(Span::styled(
        " config keys: download_dir, registries (g and copy suggestions), [keys], [colours]",
        dim,
    )));
    let config = &app.config;
    let mut settings = format!(
        " downloads go to {}",
        escape_control(&config.download_dir.display().to_string())
    );
    if config.download_dir.is_relative() {
        settings.push_str(" (from where regscope started)");
    }
    if !config.registries.is_empty() {
        let saved: Vec<String> = config
            .registries
            .iter()
            .map(|r| escape_control(r).into_owned())
            .collect();
        settings.push_str(&format!(
            " · saved registries (tab in g and copy): {}",
            saved.join(" ")
        ));
    }
    lines.push(Line::from(Span::styled(settings, dim)));
    lines
}
