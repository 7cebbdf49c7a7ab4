//! The messages view, a popup: every notice and error of the session in
//! full, oldest first, for what the status line had to cut or has
//! replaced. It opens at the newest.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::{Cx, DrawCx};
use crate::tui::view::popup::PopupText;
use crate::tui::view::scroll_popup::{PopupContent, ScrollPopup, scroll_keys};

/// The messages popup.
pub type Messages = ScrollPopup<MessageLog>;

/// The session's notices and errors, as the messages popup shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageLog;

impl Messages {
    /// Opened scrolled to the newest message.
    pub fn at_newest(cx: &Cx<'_>) -> Messages {
        ScrollPopup::at_end(MessageLog, cx)
    }
}

impl PopupContent for MessageLog {
    const OPENED_BY: Action = Action::Messages;

    fn text(&self, cx: &DrawCx<'_>) -> PopupText {
        messages_text(cx)
    }
}

fn messages_text(app: &DrawCx<'_>) -> PopupText {
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
    let moves = [Action::Up, Action::Down, Action::PageUp, Action::PageDown];
    let closes = [Action::Messages, Action::Close];
    let keys = scroll_keys(&app.config.keymap, &moves, &closes);
    PopupText {
        title: "messages",
        body,
        keys,
        indent: None,
    }
}
