//! The dialogs' text: what an operation will do, the fields typed, and
//! the keys that answer it (kept apart, so they always show).

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::popup::PopupText;
use crate::text::escape_control;
use crate::tui::app::dialogs::ARTIFACT_TYPE_SUGGESTIONS;
use crate::tui::app::{App, Dialog};
use crate::tui::keymap::Action;

pub(super) fn dialog_text(app: &App, dialog: &Dialog) -> PopupText {
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
                escape_control(repository)
            ))];
            match plan {
                None => lines.push(Line::styled(" working out what goes…", dim)),
                Some(plan) => {
                    // The engine's words, as `regscope rm` prints them.
                    lines.push(Line::raw(format!(
                        " {}:",
                        escape_control(&crate::ops::delete::plan_summary(plan))
                    )));
                    lines.extend(goes.iter().map(|g| {
                        Line::styled(
                            format!(" {}", escape_control(g)),
                            Style::new().fg(app.config.theme.error),
                        )
                    }));
                    for warning in &plan.warnings {
                        lines.push(Line::styled(format!(" ! {}", escape_control(warning)), dim));
                    }
                    if let Some(refusal) = plan.refusal() {
                        lines.push(Line::styled(
                            format!(
                                " {}; `regscope rm --break-index` does it",
                                escape_control(&refusal)
                            ),
                            Style::new().fg(app.config.theme.error),
                        ));
                    }
                }
            }
            let refused = plan.as_ref().is_some_and(|p| p.refusal().is_some());
            let answer = if refused {
                format!(" n/{} closes", hint(app, Action::Cancel))
            } else {
                format!(
                    " y/{} deletes · n/{} keeps",
                    hint(app, Action::Confirm),
                    hint(app, Action::Cancel)
                )
            };
            PopupText {
                title: "delete",
                body: lines,
                keys: vec![Line::styled(
                    format!(
                        "{answer} · {}/{} scroll",
                        hint(app, Action::Up),
                        hint(app, Action::Down),
                    ),
                    dim,
                )],
                indent: None,
            }
        }
        Dialog::Replace { path } => PopupText {
            title: "replace?",
            body: vec![
                Line::raw(format!(" {}", escape_control(&path.display().to_string()))),
                Line::raw(" already exists with other content; nothing was written."),
                Line::raw(" Replace it with what the registry holds?"),
            ],
            keys: vec![Line::styled(
                format!(
                    " y/{} replaces · n/{} keeps the file",
                    hint(app, Action::Confirm),
                    hint(app, Action::Cancel),
                ),
                dim,
            )],
            indent: None,
        },
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
                    Span::raw(escape_control(&fields[index]).into_owned()),
                ]));
            }
            lines.extend(problem(app));
            if !completions.is_empty() {
                let shown: Vec<String> = completions
                    .iter()
                    .take(8)
                    .map(|c| escape_control(c).into_owned())
                    .collect();
                lines.push(Line::styled(format!("   {}", shown.join("  ")), dim));
            }
            lines.push(Line::styled("   annotations: key=value,key=value", dim));
            lines.push(Line::styled(
                format!(" types: {}", ARTIFACT_TYPE_SUGGESTIONS.join(", ")),
                dim,
            ));
            PopupText {
                title: "attach",
                body: lines,
                keys: vec![
                    Line::styled(
                        format!(
                            " {}/{} fields · {} completes the path · → completes the type",
                            hint(app, Action::PreviousField),
                            hint(app, Action::NextField),
                            hint(app, Action::Complete),
                        ),
                        dim,
                    ),
                    Line::styled(
                        format!(
                            " {} attaches · {} cancels",
                            hint(app, Action::Confirm),
                            hint(app, Action::Cancel)
                        ),
                        dim,
                    ),
                ],
                indent: None,
            }
        }
        Dialog::Copy {
            repository,
            reference,
            source_tag,
            destination,
        } => {
            let tag_note = source_tag.as_ref().map_or_else(
                || " without a tag, the copy is pushed by digest only".to_owned(),
                |tag| format!(" without a tag, the copy is tagged {}", escape_control(tag)),
            );
            let mut lines = vec![
                Line::raw(format!(
                    " copy {}/{}@{reference} with its referrers",
                    escape_control(&app.session.registry),
                    escape_control(repository)
                )),
                Line::from(vec![
                    Span::styled(" to ", accent),
                    Span::raw(escape_control(destination).into_owned()),
                ]),
            ];
            lines.extend(problem(app));
            lines.extend([
                Line::raw(""),
                Line::styled(
                    " repo[:tag] here · registry/repo[:tag] · oci:DIR[:tag]",
                    dim,
                ),
                Line::styled(tag_note, dim),
            ]);
            let saved = &app.config.registries;
            if !saved.is_empty() {
                let shown: Vec<String> = saved
                    .iter()
                    .map(|r| escape_control(r).into_owned())
                    .collect();
                lines.push(Line::styled(format!(" saved: {}", shown.join("  ")), dim));
            }
            PopupText {
                title: "copy",
                body: lines,
                keys: vec![Line::styled(
                    format!(
                        " {} copies · {} cancels · {} clears · {} deletes a word",
                        hint(app, Action::Confirm),
                        hint(app, Action::Cancel),
                        hint(app, Action::ClearLine),
                        hint(app, Action::DeleteWord),
                    ),
                    dim,
                )],
                indent: None,
            }
        }
    }
}

/// The first key of `action`, as the dialogs' key lines name it.
fn hint(app: &App, action: Action) -> String {
    app.config.keymap.hint(action)
}

/// Why Enter was refused, inside the dialog that stays open for a fix
/// (the status line may be under the popup).
fn problem(app: &App) -> Option<Line<'static>> {
    let status = app.status.as_ref().filter(|s| s.is_error)?;
    Some(Line::styled(
        format!(" ✗ {}", escape_control(&status.text)),
        Style::new().fg(app.config.theme.error),
    ))
}
