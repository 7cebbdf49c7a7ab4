//! The dialogs' text: what an operation will do, the fields typed, and
//! the keys that answer it (kept apart, so they always show). `app` is
//! what the dialog reads of the app while it draws.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::attach::ARTIFACT_TYPE_SUGGESTIONS;
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::popup::PopupText;

/// A pull found a different file where it would write.
pub(super) fn replace_text(app: &DrawCx<'_>, path: &std::path::Path) -> PopupText {
    PopupText {
        title: "replace?",
        body: vec![
            Line::raw(format!(" {}", escape_control(&path.display().to_string()))),
            Line::raw(" already exists with other content; nothing was written."),
            Line::raw(" Replace it with what the registry holds?"),
        ],
        keys: vec![Line::styled(
            format!(
                " {}/{} replaces · {}/{} keeps the file",
                hint(app, Action::Yes),
                hint(app, Action::Confirm),
                hint(app, Action::No),
                hint(app, Action::Cancel),
            ),
            Style::new().fg(Color::DarkGray),
        )],
        indent: None,
    }
}

/// The attach dialog: its three fields (an empty one shows what it takes),
/// then why Enter was refused, then what Tab found.
pub(super) fn attach_text(
    app: &DrawCx<'_>,
    subject: &str,
    fields: &[String; 3],
    field: usize,
    completions: &[String],
) -> PopupText {
    let accent = Style::new().fg(app.config.theme.accent);
    let dim = Style::new().fg(Color::DarkGray);
    let labels = [
        ("file", "a file or directory"),
        ("artifact type", "e.g. application/vnd.cyclonedx+json"),
        ("annotations", "key=value,key=value (optional)"),
    ];
    let mut lines = vec![Line::raw(format!(" attach to {subject}")), Line::raw("")];
    for (index, (label, placeholder)) in labels.iter().enumerate() {
        let marker = if index == field { "▸" } else { " " };
        let value = if fields[index].is_empty() {
            Span::styled(*placeholder, dim)
        } else {
            Span::raw(escape_control(&fields[index]).into_owned())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {marker} {label:<14}"), accent),
            value,
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
                    " {}/{} fields · {} completes the path · {} completes the type",
                    hint(app, Action::PreviousField),
                    hint(app, Action::NextField),
                    hint(app, Action::Complete),
                    hint(app, Action::CompleteType),
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

/// The copy dialog: where to, and what tag the copy takes.
pub(super) fn copy_text(
    app: &DrawCx<'_>,
    repository: &str,
    reference: &str,
    source_tag: Option<&str>,
    destination: &str,
) -> PopupText {
    let accent = Style::new().fg(app.config.theme.accent);
    let dim = Style::new().fg(Color::DarkGray);

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

/// The first key of `action`, as the dialogs' key lines name it.
pub(super) fn hint(app: &DrawCx<'_>, action: Action) -> String {
    app.config.keymap.hint(action)
}

/// Why Enter was refused, inside the dialog that stays open for a fix
/// (the status line may be under the popup).
fn problem(app: &DrawCx<'_>) -> Option<Line<'static>> {
    let status = app.status.filter(|s| s.is_error)?;
    Some(Line::styled(
        format!(" ✗ {}", escape_control(&status.text)),
        Style::new().fg(app.config.theme.error),
    ))
}
