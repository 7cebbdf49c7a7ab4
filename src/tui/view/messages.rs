//! The messages view: every notice and error of the session in full,
//! oldest first, for what the status line had to cut or has replaced.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::popup::PopupText;
use crate::text::escape_control;
use crate::tui::app::App;
use crate::tui::keymap::Action;

pub fn messages_text(app: &App) -> PopupText {
    let theme = &app.config.theme;
    let dim = Style::new().fg(Color::DarkGray);
    let mut body: Vec<Line<'static>> = app
        .messages
        .iter()
        .map(|message| {
            let (mark, style) = if message.is_error {
                ("✗", Style::new().fg(theme.error))
            } else {
                ("·", Style::new())
            };
            Line::from(vec![
                Span::styled(format!(" {mark} "), style),
                Span::styled(escape_control(&message.text).into_owned(), style),
            ])
        })
        .collect();
    if body.is_empty() {
        body.push(Line::styled(" nothing yet", dim));
    }
    let keymap = &app.config.keymap;
    let keys = vec![Line::styled(
        format!(
            " {} {} {} {} scroll · {} or {} closes",
            keymap.hint(Action::Up),
            keymap.hint(Action::Down),
            keymap.hint(Action::PageUp),
            keymap.hint(Action::PageDown),
            keymap.hint(Action::Messages),
            keymap.hint(Action::Close),
        ),
        dim,
    )];
    PopupText {
        title: "messages",
        body,
        keys,
        indent: None,
    }
}
