//! The doctor's screen: a head line (what was checked, how, the referrers
//! mode regscope will use there, the tally, a spinner while it runs), the
//! checks as rows of the list (mark, id, summary cut with "…"), each
//! unfolded row followed by its detail, wrapped under its text. The
//! window keeps the selected row, and as much of its detail as fits, on
//! screen however many rows above it are unfolded.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::DoctorScreen;
use super::rows::{CheckRow, mark, mode_text, tally};
use crate::doctor::Status;
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::labels::spinner;
use crate::tui::view::wrap::{ellipsis, hanging};
use crate::tui::view::{footer, input_line};

/// The width of the id column: the longest id.
const ID_WIDTH: usize = "referrers-unknown-subject".len();
/// Where an unfolded line's text starts: under the id column.
const LABEL_WIDTH: usize = 9;

struct DoctorView<'a> {
    cx: &'a DrawCx<'a>,
    screen: &'a DoctorScreen,
}

/// The screen over `area`.
pub(super) fn draw(screen: &DoctorScreen, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>) {
    DoctorView { cx, screen }.render(area, buf);
}

/// Its bottom line.
pub(super) fn footer_line(screen: &DoctorScreen, cx: &DrawCx<'_>) -> Line<'static> {
    DoctorView { cx, screen }.foot()
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Pass => Style::new().fg(Color::Green),
        Status::Warn => Style::new().fg(Color::Yellow),
        Status::Fail => Style::new().fg(Color::Red),
        Status::Skip => Style::new().fg(Color::DarkGray),
    }
}

/// A check's row: ` ✓ ping   GET /v2/ answered 200`.
fn row_line(row: &CheckRow, unfolded: bool) -> Line<'static> {
    let fold = if unfolded { "▾" } else { " " };
    Line::from(vec![
        Span::raw(fold),
        Span::styled(mark(row.status), status_style(row.status)),
        Span::raw(" "),
        Span::styled(
            format!("{:<ID_WIDTH$}  ", row.id.as_str()),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw(row.summary.clone()),
    ])
}

/// The unfolded lines of `row`, wrapped to `width`.
fn detail_lines(row: &CheckRow, width: u16) -> Vec<Line<'static>> {
    let indent = 3 + LABEL_WIDTH + 1;
    row.detail
        .iter()
        .flat_map(|(label, text)| {
            let line = Line::from(vec![
                Span::styled(
                    format!("   {label:<LABEL_WIDTH$} "),
                    Style::new().fg(Color::DarkGray),
                ),
                Span::raw(text.clone()),
            ]);
            hanging(line, width, indent)
        })
        .collect()
}

/// What a run that writes could not delete again, on the last line.
fn left_behind(stayed: &[String]) -> Line<'static> {
    if stayed.is_empty() {
        return Line::styled(
            " left behind: nothing (everything pushed was deleted again)",
            Style::new().fg(Color::Green),
        );
    }
    let items: Vec<String> = stayed
        .iter()
        .map(|item| escape_control(item).into_owned())
        .collect();
    Line::styled(
        format!(
            " left behind (the registry would not delete it): {}",
            items.join(" · ")
        ),
        Style::new().fg(Color::Yellow),
    )
}

impl DoctorView<'_> {
    fn head(&self) -> Line<'static> {
        let screen = self.screen;
        let mut target = screen.registry.clone();
        if let Some(repository) = &screen.repository
            && !screen.write
        {
            target.push('/');
            target.push_str(repository);
        }
        let how = if screen.write {
            "with writes"
        } else {
            "read-only"
        };
        let mut spans = vec![
            Span::styled(
                format!("Doctor of {}  ", escape_control(&target)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(how),
        ];
        if screen.running {
            spans.push(Span::styled(
                format!("  {} checking…", spinner(self.cx.tick)),
                Style::new().fg(self.cx.config.theme.accent),
            ));
        }
        if let Some(report) = &screen.report {
            // The tally first: at 80 columns the mode is what is cut, and
            // the status bar says it too.
            spans.push(Span::raw(format!(
                "  ·  {}  ·  referrers: {}",
                tally(&screen.rows),
                mode_text(report.referrers_mode)
            )));
        }
        Line::from(spans)
    }

    /// The bottom line: the filter being typed, the question before a run
    /// that writes, or the screen's keys from the key map.
    fn foot(&self) -> Line<'static> {
        let screen = self.screen;
        let config = self.cx.config;
        let keymap = &config.keymap;
        if screen.filtering {
            let hint = format!(
                "{} keeps · {} clears",
                keymap.hint(Action::Confirm),
                keymap.hint(Action::Cancel)
            );
            return input_line(config, "filter: ", &screen.filter, &hint);
        }
        if screen.asking_write {
            // The keys first: at 80 columns the sentence is what is cut.
            let mut line = footer(config, &[(Action::Yes, "yes"), (Action::No, "no")]);
            line.spans.push(Span::styled(
                format!(
                    "write a scratch image to regscope-doctor/<random> on {}, try deletes, delete it all again?",
                    escape_control(&screen.registry)
                ),
                Style::new().fg(Color::Yellow),
            ));
            return line;
        }
        let close = if screen.running && !screen.write {
            "stop"
        } else {
            "close"
        };
        let mut line = footer(
            config,
            &[
                (Action::Help, "help"),
                (Action::Unfold, "unfold"),
                (Action::RunAgain, "again"),
                (Action::RunWriting, "writes"),
                (Action::Filter, "filter"),
                (Action::Close, close),
            ],
        );
        if let Some(note) = &screen.note {
            line.spans
                .push(Span::styled(note.clone(), Style::new().fg(Color::Yellow)));
        } else if !screen.filter.is_empty() {
            line.spans.push(Span::styled(
                format!("filter: {}", escape_control(&screen.filter)),
                Style::new().fg(Color::Yellow),
            ));
        }
        line
    }

    /// What the body says before any report: asking, or why not.
    fn waiting(&self) -> Line<'static> {
        let screen = self.screen;
        match (&screen.error, &screen.note) {
            (Some(error), _) => Line::styled(
                format!(" ✗ {}", escape_control(error)),
                Style::new().fg(Color::Red),
            ),
            (None, Some(note)) if !screen.running => Line::raw(format!(" {note}")),
            _ => Line::raw(format!(
                " {} asking {}…",
                spinner(self.cx.tick),
                escape_control(&screen.registry)
            )),
        }
    }

    /// The lines of the rows from the window's start: each row, and its
    /// detail when unfolded, until `height` lines.
    fn body(&self, width: u16, height: usize) -> Vec<Line<'static>> {
        let screen = self.screen;
        let shown = screen.list.shown();
        let selected = screen.list.selected_position();
        // Every shown row's lines (a report has a score of checks).
        let blocks: Vec<Vec<Line<'static>>> = shown
            .iter()
            .enumerate()
            .map(|(position, &index)| {
                let index = index as usize;
                let Some(row) = screen.rows.get(index) else {
                    return Vec::new();
                };
                let unfolded = screen.unfolded.contains(&index);
                let mut line = ellipsis(row_line(row, unfolded), width);
                if position == selected {
                    line = line.style(Style::new().add_modifier(Modifier::REVERSED));
                }
                let mut lines = vec![line];
                if unfolded {
                    lines.extend(detail_lines(row, width));
                }
                lines
            })
            .collect();
        let mut start = screen.list.window(height).start;
        // Unfolded rows above the selection take room: move down until
        // the selected row and its detail (what fits of it) show.
        let needed = blocks.get(selected).map_or(0, Vec::len).min(height);
        while start < selected
            && blocks[start..selected].iter().map(Vec::len).sum::<usize>() + needed > height
        {
            start += 1;
        }
        let mut lines: Vec<Line<'static>> = blocks.into_iter().skip(start).flatten().collect();
        lines.truncate(height);
        lines
    }
}

impl Widget for DoctorView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let screen = self.screen;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        ellipsis(self.head(), head.width).render(head, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .title(format!(" checks: {} ", screen.list.count_text()));
        let inner = block.inner(body);
        block.render(body, buf);
        let left = screen
            .report
            .as_ref()
            .and_then(|r| r.left_behind.as_deref())
            .map(|stayed| hanging(left_behind(stayed), inner.width, 3))
            .unwrap_or_default();
        let room = usize::from(inner.height).saturating_sub(left.len()).max(1);
        let lines = if screen.report.is_none() {
            vec![self.waiting()]
        } else {
            let mut lines = self.body(inner.width, room);
            if let Some(error) = &screen.error {
                lines.insert(
                    0,
                    Line::styled(
                        format!(" ✗ the last run failed: {}", escape_control(error)),
                        Style::new().fg(Color::Red),
                    ),
                );
                lines.truncate(room);
            }
            lines.resize(room, Line::raw(""));
            lines.extend(left);
            lines
        };
        Paragraph::new(lines).render(inner, buf);
    }
}
