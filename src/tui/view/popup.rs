//! The bottom line (an input being typed, or key hints from the key map),
//! the help popup generated from the loaded key map, and the dialogs.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use crate::tui::app::dialogs::{ARTIFACT_TYPE_SUGGESTIONS, InputPurpose};
use crate::tui::app::{App, Dialog, Popup};
use crate::tui::escape;
use crate::tui::keymap::Action;

pub struct BottomLine<'a> {
    pub app: &'a App,
}

impl Widget for &BottomLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let line = if let Some(input) = &app.input {
            let saved = &app.config.registries;
            let hint = if input.purpose == InputPurpose::GoTo && !saved.is_empty() {
                let saved: Vec<String> = saved.iter().map(|r| escape::owned(r)).collect();
                format!("   tab: {} · enter goes · esc cancels", saved.join(" "))
            } else {
                "   enter keeps · esc clears".to_owned()
            };
            Line::from(vec![
                Span::styled(input.prompt(), Style::new().fg(app.config.theme.accent)),
                Span::raw(escape::owned(&input.text)),
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

pub struct PopupView<'a> {
    pub app: &'a App,
}

impl Widget for &PopupView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let (title, lines) = match &app.popup {
            Some(Popup::Help) => ("keys", help_lines(app)),
            Some(Popup::Dialog(dialog)) => dialog_lines(app, dialog),
            None => return,
        };
        let width = (area.width.saturating_sub(4))
            .min(110)
            .max(20.min(area.width));
        // Every line must show (a delete lists exactly what goes): count
        // the rows the wrapped lines take.
        let inner = usize::from(width.saturating_sub(2)).max(1);
        let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
        let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
        let [_, row, _] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(height),
            Constraint::Fill(1),
        ])
        .areas(area);
        let [_, popup, _] = Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Length(width),
            Constraint::Fill(1),
        ])
        .areas(row);
        Clear.render(popup, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::bordered()
                    .border_type(BorderType::Rounded)
                    .border_style(Style::new().fg(app.config.theme.accent))
                    .title(format!(" {title} ")),
            )
            .render(popup, buf);
    }
}

/// Every action with its keys, straight from the loaded key map.
fn help_lines(app: &App) -> Vec<Line<'static>> {
    let keymap = &app.config.keymap;
    let mut lines: Vec<Line<'static>> = Action::ALL
        .iter()
        .map(|&action| {
            let keys = keymap
                .keys_of(action)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            Line::from(vec![
                Span::styled(
                    format!(" {keys:<16}"),
                    Style::new()
                        .fg(app.config.theme.accent)
                        .add_modifier(Modifier::BOLD),
                ),
                Span::raw(action.description()),
            ])
        })
        .collect();
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
            format!(" config: {}", escape::owned(&path.display().to_string())),
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
        escape::owned(&config.download_dir.display().to_string())
    );
    if config.download_dir.is_relative() {
        settings.push_str(" (from where regscope started)");
    }
    if !config.registries.is_empty() {
        let saved: Vec<String> = config.registries.iter().map(|r| escape::owned(r)).collect();
        settings.push_str(&format!(
            " · saved registries (tab in g and copy): {}",
            saved.join(" ")
        ));
    }
    lines.push(Line::from(Span::styled(settings, dim)));
    lines
}

fn dialog_lines(app: &App, dialog: &Dialog) -> (&'static str, Vec<Line<'static>>) {
    let accent = Style::new().fg(app.config.theme.accent);
    let dim = Style::new().fg(Color::DarkGray);
    match dialog {
        Dialog::Delete {
            repository,
            reference,
            goes,
            plan,
        } => {
            let mut lines = vec![Line::raw(format!(
                " delete {}@{reference}",
                escape::clean(repository)
            ))];
            match plan {
                None => lines.push(Line::styled(" working out what goes…", dim)),
                Some(plan) => {
                    lines.push(Line::raw(format!(
                        " removes {} manifest(s); referrers go before what they refer to:",
                        plan.manifests.len()
                    )));
                    lines.extend(goes.iter().map(|g| {
                        Line::styled(
                            format!("   {}", escape::clean(g)),
                            Style::new().fg(app.config.theme.error),
                        )
                    }));
                    for warning in &plan.warnings {
                        lines.push(Line::styled(format!(" ! {}", escape::clean(warning)), dim));
                    }
                }
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(" y/enter deletes · n/esc keeps", dim));
            ("delete", lines)
        }
        Dialog::Attach {
            subject,
            fields,
            field,
            completions,
            ..
        } => {
            let labels = ["file", "artifact type", "annotations"];
            let mut lines = vec![Line::raw(format!(" attach to {subject}")), Line::raw("")];
            for (index, label) in labels.iter().enumerate() {
                let marker = if index == *field { "▸" } else { " " };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {marker} {label:<14}"), accent),
                    Span::raw(escape::owned(&fields[index])),
                ]));
            }
            if !completions.is_empty() {
                let shown: Vec<String> = completions
                    .iter()
                    .take(8)
                    .map(|c| escape::owned(c))
                    .collect();
                lines.push(Line::styled(format!("   {}", shown.join("  ")), dim));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!(" types: {}", ARTIFACT_TYPE_SUGGESTIONS.join(", ")),
                dim,
            ));
            lines.push(Line::styled(
                " tab completes the path · ↑↓ fields · → completes the type · annotations key=value,… · enter attaches",
                dim,
            ));
            ("attach", lines)
        }
        Dialog::Copy {
            repository,
            reference,
            source_tag,
            destination,
        } => {
            let tag_note = source_tag.as_ref().map_or_else(
                || " without a tag, the copy is pushed by digest only".to_owned(),
                |tag| format!(" without a tag, the copy is tagged {}", escape::clean(tag)),
            );
            let mut lines = vec![
                Line::raw(format!(
                    " copy {}/{}@{reference} with its referrers",
                    escape::clean(&app.session.registry),
                    escape::clean(repository)
                )),
                Line::from(vec![
                    Span::styled(" to ", accent),
                    Span::raw(escape::owned(destination)),
                ]),
                Line::raw(""),
                Line::styled(
                    " repo[:tag] here · registry/repo[:tag] · oci:DIR[:tag]",
                    dim,
                ),
                Line::styled(tag_note, dim),
            ];
            let saved = &app.config.registries;
            if !saved.is_empty() {
                let shown: Vec<String> = saved.iter().map(|r| escape::owned(r)).collect();
                lines.push(Line::styled(format!(" saved: {}", shown.join("  ")), dim));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(" enter copies · esc cancels", dim));
            ("copy", lines)
        }
    }
}
