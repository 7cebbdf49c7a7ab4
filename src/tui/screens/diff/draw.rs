//! The diff screen: a title with the engine's summary line (or a spinner
//! and bytes read while the diff runs), then one row per section, folded
//! (`▶`) or open (`▼`) with its entries below, each marked and coloured
//! as `regscope diff` marks them; filtered, the matching entries of
//! every section, each naming its section.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{DiffScreen, Mark, Row};
use crate::text::{escape_control, human_size};
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::labels::spinner;
use crate::tui::view::wrap::ellipsis;
use crate::tui::view::{footer, input_line};

/// The screen over `area`.
pub(super) fn draw(screen: &DiffScreen, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>) {
    // Two lines: the summary of a diff with many kinds of change runs long.
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let state = if screen.loading {
        let (done, total) = screen.progress;
        if total > 0 {
            format!(
                "{} comparing: {} of {} read",
                spinner(cx.tick),
                human_size(done),
                human_size(total)
            )
        } else {
            format!("{} comparing…", spinner(cx.tick))
        }
    } else if let Some(error) = &screen.error {
        format!("failed: {}", escape_control(error))
    } else {
        screen.summary.clone()
    };
    let state_style = if screen.error.is_some() {
        Style::new().fg(cx.config.theme.error)
    } else {
        Style::new()
    };
    Paragraph::new(Line::from(vec![
        Span::styled(
            format!("Diff {}  ", screen.title),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(state, state_style),
    ]))
    .wrap(Wrap { trim: false })
    .render(head, buf);

    let height = usize::from(body.height.saturating_sub(2)).max(1);
    let width = body.width.saturating_sub(2);
    let selected = screen.list.selected_position();
    let filtered = !screen.filter.is_empty();
    let lines: Vec<Line> = screen
        .list
        .window(height)
        .filter_map(|position| {
            let row = screen
                .rows
                .get(*screen.list.shown().get(position)? as usize)?;
            let line = row_line(screen, *row, filtered, cx);
            let line = if position == selected {
                line.patch_style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            };
            Some(ellipsis(line, width))
        })
        .collect();
    let (shown, total) = screen.entry_counts();
    let count = if filtered {
        format!(" {shown} of {total} entries match ")
    } else {
        format!(" {} sections · {total} entries ", screen.sections.len())
    };
    Paragraph::new(lines)
        .block(Block::new().borders(Borders::ALL).title(count))
        .render(body, buf);
}

/// A header (`▶ Files  2 added, …`) or an entry (`  + etc/motd …`).
fn row_line(screen: &DiffScreen, row: Row, filtered: bool, cx: &DrawCx<'_>) -> Line<'static> {
    match row {
        Row::Header(section) => {
            let Some(lines) = screen.sections.get(section) else {
                return Line::raw("");
            };
            let marker = if lines.entries.is_empty() {
                "  "
            } else if screen.open.contains(&section) {
                "▼ "
            } else {
                "▶ "
            };
            Line::from(vec![
                Span::styled(marker, Style::new().fg(Color::DarkGray)),
                Span::styled(
                    lines.name.clone(),
                    Style::new()
                        .fg(cx.config.theme.accent)
                        .add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("  {}", lines.summary)),
            ])
        }
        Row::Entry { section, entry } => {
            let Some(lines) = screen.sections.get(section) else {
                return Line::raw("");
            };
            let Some(item) = lines.entries.get(entry) else {
                return Line::raw("");
            };
            let style = match item.mark {
                Mark::Added => Style::new().fg(Color::Green),
                Mark::Removed => Style::new().fg(Color::Red),
                Mark::Changed => Style::new().fg(Color::Yellow),
                Mark::Same => Style::new(),
                Mark::Info => Style::new().fg(Color::DarkGray),
            };
            // An uncertain entry is said so in words; dimmed as well, so
            // a glance does not take it for a certain change.
            let style = if item.uncertain {
                style.add_modifier(Modifier::DIM)
            } else {
                style
            };
            let mut spans = vec![Span::raw("    ")];
            if filtered {
                spans.push(Span::styled(
                    format!("{}: ", lines.name),
                    Style::new().fg(Color::DarkGray),
                ));
            }
            spans.push(Span::styled(
                format!("{} {}", item.mark.symbol(), item.text),
                style,
            ));
            Line::from(spans)
        }
    }
}

/// Its bottom line: the filter being typed, or its keys from the key map.
pub(super) fn footer_line(screen: &DiffScreen, cx: &DrawCx<'_>) -> Line<'static> {
    let config = cx.config;
    let keymap = &config.keymap;
    if screen.filtering {
        let hint = format!(
            "{} keeps · {} clears",
            keymap.hint(Action::Confirm),
            keymap.hint(Action::Cancel)
        );
        return input_line(config, "filter: ", &screen.filter, &hint);
    }
    let close = if screen.loading { "cancel" } else { "close" };
    footer(
        config,
        &[
            (Action::Help, "help"),
            (Action::ToggleSection, "open/fold"),
            (Action::Filter, "filter paths and packages"),
            (Action::Close, close),
        ],
    )
}
