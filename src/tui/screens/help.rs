//! The help popup: the keys of the screen it was opened on (read in that
//! screen's modes, from the loaded key map, so it never lies), then the
//! ones that work everywhere, then where the log, the config and the
//! downloads are.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;
use crate::tui::keymap::{Action, Mode};
use crate::tui::screen::DrawCx;
use crate::tui::view::popup::PopupText;
use crate::tui::view::scroll_popup::{PopupContent, ScrollPopup, scroll_keys};

/// The help popup.
pub type Help = ScrollPopup<HelpKeys>;

/// The keys the help shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpKeys {
    /// The mode of the screen it was opened on.
    pub screen: Mode,
}

impl Help {
    pub fn new(screen: Mode) -> Help {
        ScrollPopup::with(HelpKeys { screen })
    }
}

impl PopupContent for HelpKeys {
    const OPENED_BY: Action = Action::Help;

    fn text(&self, cx: &DrawCx<'_>) -> PopupText {
        help_text(cx, self.screen)
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
    let moves = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::First,
        Action::Last,
    ];
    let keys = scroll_keys(keymap, &moves, &[Action::Close]);
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
