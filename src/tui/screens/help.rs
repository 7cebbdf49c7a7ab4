//! The help popup: the keys of the screen it was opened on (read in that
//! screen's modes, from the loaded key map, so it never lies), then the
//! ones that work everywhere, then where the log, the config and the
//! downloads are.

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;
use crate::tui::keymap::{Action, Mode};
use crate::tui::list::wheel_scroll;
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, Screen};
use crate::tui::view::popup::{PopupText, scrolled};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Help {
    /// The mode of the screen it was opened on.
    pub screen: Mode,
    /// How many rows its body is scrolled.
    pub scroll: u16,
}

impl Help {
    pub fn new(screen: Mode) -> Help {
        Help { screen, scroll: 0 }
    }

    fn scroll_by(&mut self, action: Action, cx: &Cx<'_>) {
        let limit = help_text(&cx.look(), self.screen).scroll_limit(cx.areas.screen);
        self.scroll = scrolled(self.scroll, action, limit, cx.areas.screen.height);
    }
}

impl Screen for Help {
    fn mode(&self) -> Mode {
        Mode::View
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    /// The key that opened it, or closing, closes it; moving keys scroll.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        match cx.config.keymap.action_on(Mode::View, &key) {
            Some(Action::Help | Action::Close) => cx.ask(Ask::Close),
            Some(Action::Quit) => cx.ask(Ask::Quit),
            Some(Action::Messages) => cx.ask(Ask::Messages),
            Some(action) => self.scroll_by(action, cx),
            None => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        wheel_scroll(mouse.kind, |action| self.scroll_by(action, cx));
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        help_text(cx, self.screen).render(self.scroll, cx.config.theme.accent, areas.screen, buf);
    }
}

/// How wide the help's column of keys is.
const HELP_KEYS_WIDTH: usize = 16;

/// The keys of the screen it was opened on, in the modes it reads them,
/// then the global ones: straight from the loaded key map.
fn help_text(app: &DrawCx<'_>, screen: Mode) -> PopupText {
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
fn help_line(app: &DrawCx<'_>, action: Action) -> Line<'static> {
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
fn help_tail(app: &DrawCx<'_>) -> Vec<Line<'static>> {
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
