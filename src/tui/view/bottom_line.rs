//! What the bottom line shows, the same on every screen: a line being
//! typed, or key hints from the key map.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::text::escape_control;
use crate::tui::config::Config;
use crate::tui::keymap::Action;

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
