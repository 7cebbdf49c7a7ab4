//! The messages view, a popup: every notice and error of the session in
//! full, oldest first, for what the status line had to cut or has
//! replaced. It opens at the newest.

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;
use crate::tui::keymap::{Action, Mode};
use crate::tui::list::wheel_scroll;
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, Screen};
use crate::tui::view::popup::{PopupText, scrolled};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Messages {
    /// How many rows its body is scrolled.
    pub scroll: u16,
}

impl Messages {
    /// Opened scrolled to the newest message.
    pub fn at_newest(cx: &Cx<'_>) -> Messages {
        Messages {
            scroll: messages_text(&cx.look()).scroll_limit(cx.areas.screen),
        }
    }

    fn scroll_by(&mut self, action: Action, cx: &Cx<'_>) {
        let limit = messages_text(&cx.look()).scroll_limit(cx.areas.screen);
        self.scroll = scrolled(self.scroll, action, limit, cx.areas.screen.height);
    }
}

impl Screen for Messages {
    fn mode(&self) -> Mode {
        Mode::View
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    /// The key that opened it, or closing, closes it; moving keys scroll.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        match cx.config.keymap.action_on(Mode::View, &key) {
            Some(Action::Messages | Action::Close) => cx.ask(Ask::Close),
            Some(Action::Quit) => cx.ask(Ask::Quit),
            Some(Action::Help) => cx.ask(Ask::Help(Mode::View)),
            Some(action) => self.scroll_by(action, cx),
            None => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        wheel_scroll(mouse.kind, |action| self.scroll_by(action, cx));
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        messages_text(cx).render(self.scroll, cx.config.theme.accent, areas.screen, buf);
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
