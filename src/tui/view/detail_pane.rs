//! The detail pane: the selected node's descriptor, annotations, the
//! summary of an SBOM or signature, a blob's preview, and the manifest's
//! JSON, scrolled by the app's detail offset.
//!
//! The large parts (a preview, the manifest's JSON) were laid out when
//! their bytes arrived; a frame borrows the lines it shows and builds only
//! the few around them, so a 16 MiB SBOM costs what the screen shows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

mod manifest;
mod text;

pub use text::DetailText;

use super::labels::{self, human_size};
use super::tree_pane::pane_block;
use crate::oci::Descriptor;
use crate::oci::media_type as mt;
use crate::text::escape_control;
use crate::tui::app::{App, Focus};
use crate::tui::preview::{Content, PREVIEW_LIMIT, note};
use crate::tui::tree::{Node, NodeKind, Slot, Status};

pub struct DetailPane<'a> {
    pub app: &'a App,
}

impl Widget for &DetailPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let focused = app.focus == Focus::Detail && app.popup.is_none();
        let block = pane_block("detail", focused, app);
        // The offset counts lines, not wrapped rows: the lines above it are
        // skipped without being laid out, so a frame costs what it shows
        // wherever a 16 MiB SBOM is scrolled to. Wrapping only adds rows,
        // so no more lines than the pane's height can show.
        let text = detail_text(app);
        let width = block.inner(area).width;
        let rows: Vec<Line<'_>> = text
            .window(usize::from(app.detail_scroll), usize::from(area.height))
            .into_iter()
            .flat_map(|line| text::laid_out(line, width))
            .collect();
        Paragraph::new(rows)
            .block(block)
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}

fn heading(app: &App) -> Style {
    Style::new()
        .fg(app.config.theme.accent)
        .add_modifier(Modifier::BOLD)
}

fn field(app: &App, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), heading(app)),
        Span::raw(value.into()),
    ])
}

fn section(app: &App, title: &str) -> [Line<'static>; 2] {
    [
        Line::raw(""),
        Line::from(Span::styled(title.to_owned(), heading(app))),
    ]
}

/// Everything the detail pane shows for the selection, top to bottom.
pub fn detail_lines(app: &App) -> Vec<Line<'static>> {
    detail_text(app).into_lines()
}

/// Everything the detail pane shows for the selection, top to bottom,
/// borrowing what was laid out before.
pub fn detail_text(app: &App) -> DetailText<'_> {
    let mut lines = DetailText::default();
    let Some(node) = app.selected_node() else {
        let hidden = app.tree.selected().last() == Some(&crate::tui::tree::NodeId::More);
        lines.push(note(if hidden {
            "more entries than shown: / filters the list"
        } else {
            "press Enter to load"
        }));
        return lines;
    };
    match &node.kind {
        NodeKind::Registry => {
            lines.push(field(
                app,
                "store",
                escape_control(&app.session.store_name).into_owned(),
            ));
            lines.push(field(
                app,
                "registry",
                escape_control(&app.session.registry).into_owned(),
            ));
            lines.push(field(
                app,
                "referrers",
                super::status_bar::support_label(app),
            ));
            lines.push(field(app, "repositories", listing_count(node)));
            filter_line(app, &mut lines);
        }
        NodeKind::Repository { name } => {
            lines.push(field(app, "repository", escape_control(name).into_owned()));
            let digest_tags = node.children().digest_tags();
            lines.push(field(app, "tags", listing_count(node)));
            filter_line(app, &mut lines);
            if digest_tags > 0 {
                let shown = if app.tree.show_digest_tags() {
                    "shown"
                } else {
                    "hidden; t shows them"
                };
                lines.push(field(
                    app,
                    "fallback tags",
                    format!("{digest_tags} sha256-* ({shown})"),
                ));
            }
        }
        NodeKind::Group { artifact_type } => {
            lines.push(field(
                app,
                "artifact type",
                escape_control(artifact_type).into_owned(),
            ));
            lines.push(field(app, "kind", mt::artifact_kind(artifact_type).label()));
            lines.push(field(app, "referrers", node.children().len().to_string()));
        }
        NodeKind::Manifest { repository, .. } => {
            manifest::manifest_lines(app, node, repository, &mut lines)
        }
        NodeKind::Blob { .. } => {
            if let Some(descriptor) = &node.descriptor {
                descriptor_lines(app, descriptor, &mut lines);
                annotation_lines(app, descriptor.annotations.iter(), &mut lines);
            }
            lines.extend(section(app, "Preview"));
            preview_parts(app, node, &mut lines);
        }
    }
    if let Some(error) = node.error() {
        let retry = app.config.keymap.hint(crate::tui::keymap::Action::Refresh);
        let mut block = vec![Line::from(Span::styled(
            format!("✗ {}", escape_control(&error.to_string())),
            Style::new().fg(app.config.theme.error),
        ))];
        if error.retry_may_help() {
            block.push(note(format!("press {retry} to retry")));
        }
        block.push(Line::raw(""));
        lines.prepend(block);
    }
    lines
}

/// For a filtered list: the filter and how many entries it lets through.
fn filter_line(app: &App, lines: &mut DetailText) {
    let list = app.tree.selected();
    if let (Some(filter), Some((shown, total))) =
        (app.tree.filter(list), app.tree.filtered_count(list))
    {
        lines.push(field(
            app,
            "filter",
            format!(
                "\"{}\": {shown} of {total} (/ changes it)",
                escape_control(filter)
            ),
        ));
    }
}

fn listing_count(node: &Node) -> String {
    match &node.listing.status {
        Status::Idle => "Enter lists them".to_owned(),
        Status::Loading => format!("{} so far…", node.children().len()),
        _ => node.children().len().to_string(),
    }
}

fn warning_line(app: &App, warning: &str) -> Line<'static> {
    let _ = app;
    Line::from(Span::styled(
        format!("! {}", escape_control(warning)),
        Style::new().fg(Color::Yellow),
    ))
}

fn descriptor_lines(app: &App, descriptor: &Descriptor, lines: &mut DetailText<'_>) {
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

fn annotation_lines<'a>(
    app: &App,
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
fn preview_parts<'a>(app: &App, node: &'a Node, lines: &mut DetailText<'a>) {
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
