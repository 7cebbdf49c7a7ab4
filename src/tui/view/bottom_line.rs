//! The bottom line: an input being typed, or key hints from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::text::escape_control;
use crate::tui::app::App;
use crate::tui::app::dialogs::InputPurpose;
use crate::tui::keymap::Action;

pub struct BottomLine<'a> {
    pub app: &'a App,
}

impl Widget for &BottomLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let line = if let Some(input) = &app.input {
            let saved = &app.config.registries;
            let keymap = &app.config.keymap;
            let (confirm, cancel) = (keymap.hint(Action::Confirm), keymap.hint(Action::Cancel));
            let hint = if input.purpose == InputPurpose::GoTo && !saved.is_empty() {
                let saved: Vec<String> = saved
                    .iter()
                    .map(|r| escape_control(r).into_owned())
                    .collect();
                format!(
                    "   {}: {} · {confirm} goes · {cancel} cancels",
                    keymap.hint(Action::Complete),
                    saved.join(" ")
                )
            } else {
                format!("   {confirm} keeps · {cancel} clears")
            };
            Line::from(vec![
                Span::styled(input.prompt(), Style::new().fg(app.config.theme.accent)),
                Span::raw(escape_control(&input.text).into_owned()),
                Span::styled("█", Style::new().fg(Color::Gray)),
                Span::styled(hint, Style::new().fg(Color::DarkGray)),
            ])
        } else {
            let keymap = &app.config.keymap;
            let hints = [
                (Action::Help, "help"),
                (Action::Open, "open"),
                (Action::Filter, "filter"),
                (Action::GoTo, "go to"),
                (Action::CopyDigest, "copy digest"),
                (Action::SwitchPane, "pane"),
                (Action::Quit, "quit"),
            ];
            let mut spans = Vec::new();
            for (action, label) in hints {
                spans.push(Span::styled(
                    format!(" {} ", keymap.hint(action)),
                    Style::new().fg(Color::Black).bg(Color::Gray),
                ));
                spans.push(Span::styled(
                    format!(" {label}  "),
                    Style::new().fg(Color::DarkGray),
                ));
            }
            Line::from(spans)
        };
        line.render(area, buf);
    }
}
