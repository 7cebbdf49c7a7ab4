//! The detail pane: the selected node's descriptor, annotations, the
//! summary of an SBOM or signature, a blob's preview, and the manifest's
//! JSON, scrolled by the app's detail offset.
//!
//! The large parts (a preview, the manifest's JSON) were laid out when
//! their bytes arrived; a frame borrows the lines it shows and builds only
//! the few around them, so a 16 MiB SBOM costs what the screen shows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

mod manifest;
mod parts;
mod text;

use parts::{annotation_lines, descriptor_lines, preview_parts, warning_line};

pub use text::DetailText;

use super::tree_pane::pane_block;
use crate::oci::media_type as mt;
use crate::text::escape_control;
use crate::tui::preview::note;
use crate::tui::screens::graph::Focus;
use crate::tui::tree::{Node, NodeKind, Status};
use crate::tui::view::AppView;

pub struct DetailPane<'a> {
    pub app: &'a AppView<'a>,
}

impl Widget for &DetailPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let focused = app.focus == Focus::Detail && !app.covered;
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

fn heading(app: &AppView<'_>) -> Style {
    Style::new()
        .fg(app.config.theme.accent)
        .add_modifier(Modifier::BOLD)
}

fn field(app: &AppView<'_>, label: &str, value: impl Into<String>) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<14}"), heading(app)),
        Span::raw(value.into()),
    ])
}

fn section(app: &AppView<'_>, title: &str) -> [Line<'static>; 2] {
    [
        Line::raw(""),
        Line::from(Span::styled(title.to_owned(), heading(app))),
    ]
}

/// Everything the detail pane shows for the selection, top to bottom.
pub fn detail_lines(app: &AppView<'_>) -> Vec<Line<'static>> {
    detail_text(app).into_lines()
}

/// Everything the detail pane shows for the selection, top to bottom,
/// borrowing what was laid out before.
pub fn detail_text<'a>(app: &AppView<'a>) -> DetailText<'a> {
    let mut lines = DetailText::default();
    let Some(node) = app.graph.selected_node() else {
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
                super::status_bar::support_label(app.session),
            ));
            lines.push(field(app, "repositories", listing_count(app, node)));
            filter_line(app, &mut lines);
        }
        NodeKind::Repository { name } => {
            lines.push(field(app, "repository", escape_control(name).into_owned()));
            let digest_tags = node.children().digest_tags();
            lines.push(field(app, "tags", listing_count(app, node)));
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
fn filter_line(app: &AppView<'_>, lines: &mut DetailText) {
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

/// The entries of a listing, counted as the tree counts them.
fn listing_count(app: &AppView<'_>, node: &Node) -> String {
    let listed = app.tree.listed_count(app.tree.selected());
    match &node.listing.status {
        Status::Idle => format!(
            "not listed yet ({} lists them)",
            app.config.keymap.hint(crate::tui::keymap::Action::Refresh)
        ),
        Status::Loading => format!("{listed} so far…"),
        _ => listed.to_string(),
    }
}
