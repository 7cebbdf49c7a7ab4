//! Parts of the detail pane several kinds of node share: a descriptor's
//! fields, annotations, warnings, and a preview's lines or its state.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use super::{DetailText, field, heading, section};
use crate::oci::Descriptor;
use crate::oci::media_type as mt;
use crate::text::escape_control;
use crate::tui::preview::{Content, PREVIEW_LIMIT, note};
use crate::tui::tree::{Node, Slot, Status};
use crate::tui::view::AppView;
use crate::tui::view::labels::{self, human_size};

pub(super) fn warning_line(app: &AppView<'_>, warning: &str) -> Line<'static> {
    let _ = app;
    Line::from(Span::styled(
        format!("! {}", escape_control(warning)),
        Style::new().fg(Color::Yellow),
    ))
}

pub(super) fn descriptor_lines(
    app: &AppView<'_>,
    descriptor: &Descriptor,
    lines: &mut DetailText<'_>,
) {
    lines.push(field(
        app,
        "media type",
        escape_control(&descriptor.media_type).into_owned(),
    ));
    if let Some(artifact_type) = &descriptor.artifact_type {
        let friendly =
            mt::friendly_name(artifact_type).map_or_else(String::new, |f| format!("  ({f})"));
        lines.push(field(
            app,
            "artifact type",
            format!("{}{friendly}", escape_control(artifact_type)),
        ));
    }
    lines.push(field(app, "digest", descriptor.digest.to_string()));
    lines.push(field(
        app,
        "size",
        format!(
            "{} ({} bytes)",
            human_size(descriptor.size),
            descriptor.size
        ),
    ));
    if let Some(platform) = &descriptor.platform {
        lines.push(field(
            app,
            "platform",
            escape_control(&platform.to_string()).into_owned(),
        ));
    }
}

pub(super) fn annotation_lines<'a>(
    app: &AppView<'_>,
    annotations: impl Iterator<Item = (&'a String, &'a String)>,
    lines: &mut DetailText<'_>,
) {
    let annotations: Vec<_> = annotations.collect();
    if annotations.is_empty() {
        return;
    }
    lines.extend(section(app, "Annotations"));
    let width = annotations
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(48);
    for (key, value) in annotations {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<width$}  ", escape_control(key)),
                Style::new().fg(Color::Cyan),
            ),
            Span::raw(escape_control(value).into_owned()),
        ]));
    }
}

/// A preview's lines once its bytes are here (laid out when they
/// arrived); its state until then.
pub(super) fn preview_parts<'a>(app: &AppView<'_>, node: &'a Node, lines: &mut DetailText<'a>) {
    let Slot { status, .. } = &node.preview_slot;
    match (status, &node.preview) {
        (_, Some(preview)) => match &preview.content {
            Content::Lines(kept) => lines.keep(kept),
            Content::Facts(facts) => lines.extend(
                facts
                    .iter()
                    .map(|(label, value)| field(app, label, value.clone())),
            ),
            Content::Sbom(table) => {
                let matches = table.matching(&app.detail_search);
                let count = matches.as_deref().map(<[u32]>::len);
                lines.extend(table.head(&app.detail_search, count, heading(app)));
                match matches {
                    Some(picked) => lines.pick(table.component_rows(), picked),
                    None => lines.keep(table.component_rows()),
                }
            }
        },
        (Status::Loading, _) => lines.push(note(format!("{} loading", labels::spinner(app.tick)))),
        (Status::Failed(failure), _) => lines.push(Line::from(Span::styled(
            format!(
                "✗ {}{}",
                escape_control(&failure.to_string()),
                if failure.retry_may_help() {
                    "  (r retries)"
                } else {
                    ""
                }
            ),
            Style::new().fg(app.config.theme.error),
        ))),
        _ => {
            let size = node.descriptor.as_ref().map_or(0, |d| d.size);
            if size > PREVIEW_LIMIT {
                lines.push(note(format!(
                    "{} is too large to preview",
                    human_size(size)
                )));
            } else {
                lines.push(note("not loaded"));
            }
        }
    }
}
