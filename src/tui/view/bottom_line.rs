//! The bottom line: an input being typed, or key hints from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::text::escape_control;
use crate::tui::app::App;
use crate::tui::app::dialogs::InputPurpose;
use crate::tui::config::Config;
use crate::tui::keymap::Action;

pub struct BottomLine<'a> {
    pub app: &'a App,
}

impl Widget for &BottomLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let keymap = &app.config.keymap;
        let line = if let Some(input) = &app.input {
            let saved = &app.config.registries;
            let (confirm, cancel) = (keymap.hint(Action::Confirm), keymap.hint(Action::Cancel));
            let hint = if input.purpose == InputPurpose::GoTo && !saved.is_empty() {
                let saved: Vec<String> = saved
                    .iter()
                    .map(|r| escape_control(r).into_owned())
                    .collect();
                format!(
                    "{}: {} · {confirm} goes · {cancel} cancels",
                    keymap.hint(Action::Complete),
                    saved.join(" ")
                )
            } else {
                format!("{confirm} keeps · {cancel} clears")
            };
            input_line(&app.config, input.prompt(), &input.text, &hint)
        } else {
            footer(
                &app.config,
                &[
                    (Action::Help, "help"),
                    (Action::Open, "open"),
                    (Action::Filter, "filter"),
                    (Action::GoTo, "go to"),
                    (Action::CopyDigest, "copy digest"),
                    (Action::SwitchPane, "pane"),
                    (Action::Quit, "quit"),
                ],
            )
        };
        super::wrap::ellipsis(line, area.width).render(area, buf);
    }
}

/// A line being typed, as every prompt shows it: the prompt in the
/// accent colour, the text, a cursor, then dim hints.
pub fn input_line(config: &Config, prompt: &str, text: &str, hint: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(prompt.to_owned(), Style::new().fg(config.theme.accent)),
        Span::raw(escape_control(text).into_owned()),
        Span::styled("█", Style::new().fg(Color::Gray)),
        Span::styled(format!("   {hint}"), Style::new().fg(Color::DarkGray)),
    ])
}

/// Key hints, the keys from the loaded key map: ` ? ` help ` / ` filter….
pub fn footer(config: &Config, pairs: &[(Action, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, label) in config.keymap.hints(pairs) {
        spans.push(Span::styled(
            format!(" {key} "),
            Style::new().fg(Color::Black).bg(Color::Gray),
        ));
        spans.push(Span::styled(
            format!(" {label}  "),
            Style::new().fg(Color::DarkGray),
        ));
    }
    Line::from(spans)
}
