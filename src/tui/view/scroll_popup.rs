//! A popup that only scrolls (help, messages): one screen for both, its
//! text from what it shows, in the popup frame beside it (`popup`). The key that opened it or the close key
//! closes it, the other popup's key opens that one over it, the moving
//! keys and the wheel scroll it.

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style};
use ratatui::text::Line;

use super::popup::{PopupText, scrolled};
use crate::tui::keymap::{Action, KeyMap, Mode};
use crate::tui::list::wheel_scroll;
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, Screen};

/// What a scroll popup shows.
pub trait PopupContent: std::fmt::Debug + Send + 'static {
    /// The key that opens it, and closes it again.
    const OPENED_BY: Action;
    /// Its text, as the popup frame lays it out.
    fn text(&self, cx: &DrawCx<'_>) -> PopupText;
}

/// The popup's key line: the keys of `moves` scroll, any of `closes`
/// closes it, as the key map binds them.
pub fn scroll_keys(keymap: &KeyMap, moves: &[Action], closes: &[Action]) -> Vec<Line<'static>> {
    let hints = |actions: &[Action]| -> Vec<String> {
        actions.iter().map(|&action| keymap.hint(action)).collect()
    };
    let text = format!(
        " {} scroll · {} closes",
        hints(moves).join(" "),
        hints(closes).join(" or ")
    );
    vec![Line::styled(text, Style::new().fg(Color::DarkGray))]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrollPopup<C> {
    pub content: C,
    /// How many rows its body is scrolled.
    pub scroll: u16,
}

impl<C: PopupContent> ScrollPopup<C> {
    /// At the top.
    pub fn with(content: C) -> ScrollPopup<C> {
        ScrollPopup { content, scroll: 0 }
    }

    /// Scrolled to its end (the newest of a log).
    pub fn at_end(content: C, cx: &Cx<'_>) -> ScrollPopup<C> {
        let scroll = content.text(&cx.look()).scroll_limit(cx.areas.screen);
        ScrollPopup { content, scroll }
    }

    fn scroll_by(&mut self, action: Action, cx: &Cx<'_>) {
        let limit = self.content.text(&cx.look()).scroll_limit(cx.areas.screen);
        self.scroll = scrolled(self.scroll, action, limit, cx.areas.screen.height);
    }
}

impl<C: PopupContent> Screen for ScrollPopup<C> {
    fn mode(&self) -> Mode {
        Mode::View
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        match cx.config.keymap.action_on(Mode::View, &key) {
            Some(action) if action == C::OPENED_BY || action == Action::Close => {
                cx.ask(Ask::Close);
            }
            Some(Action::Quit) => cx.ask(Ask::Quit),
            Some(Action::Messages) => cx.ask(Ask::Messages),
            Some(Action::Help) => cx.ask(Ask::Help(Mode::View)),
            Some(action) => self.scroll_by(action, cx),
            None => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        wheel_scroll(mouse.kind, |action| self.scroll_by(action, cx));
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        let text = self.content.text(cx);
        text.render(self.scroll, cx.config.theme.accent, areas.screen, buf);
    }
}
