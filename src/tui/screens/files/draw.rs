//! The files view: a layer's files (or the image's merged file system) as
//! an indented tree with mode, owner, size, time and links, deletions
//! marked; byte progress while it loads; a text preview beside it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{FileRow, FilesView};
use crate::layer::{Change, EntryKind};
use crate::text::{escape_control, human_size};
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::labels::spinner;
use crate::tui::view::wrap::ellipsis;
use crate::tui::view::{footer, input_line};

struct FilesWidget<'a> {
    cx: &'a DrawCx<'a>,
    view: &'a FilesView,
}

/// The view over `area`.
pub(super) fn draw(view: &FilesView, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>) {
    FilesWidget { cx, view }.render(area, buf);
}

/// Its bottom line.
pub(super) fn footer_line(view: &FilesView, cx: &DrawCx<'_>) -> Line<'static> {
    FilesWidget { cx, view }.foot()
}

/// `name`, indented by its depth, with its link target; a deletion says
/// so. Filtered, a row is its whole path: its parents may not show.
fn row_line(row: &FileRow, selected: bool, filtered: bool) -> Line<'static> {
    let entry = &row.entry;
    let mut text = if filtered {
        escape_control(&entry.path).into_owned()
    } else {
        let depth = entry.path.matches('/').count();
        let name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
        format!("{}{}", "  ".repeat(depth), escape_control(name))
    };
    if matches!(entry.kind, EntryKind::Dir | EntryKind::Opaque) {
        text.push('/');
    }
    if row.opaque {
        text.push_str("  [opaque: lower layers' contents hidden]");
    }
    match (&entry.kind, &entry.link) {
        (EntryKind::Symlink, Some(target)) => {
            text.push_str(&format!(" -> {}", escape_control(target)))
        }
        (EntryKind::Hardlink, Some(target)) => {
            text.push_str(&format!(" link to {}", escape_control(target)));
        }
        (EntryKind::Whiteout, _) => text.push_str("  [whiteout: removed]"),
        _ => {}
    }
    let change = match (row.layer, row.change) {
        (Some(layer), Some(change)) => format!("L{layer:<2} {:<8} ", change.label()),
        _ => String::new(),
    };
    let mut style = match row.change {
        Some(Change::Removed) => Style::new().fg(Color::Red),
        Some(Change::Modified) => Style::new().fg(Color::Yellow),
        _ if entry.kind.is_deletion() => Style::new().fg(Color::Red),
        _ => Style::new(),
    };
    if selected {
        style = style.add_modifier(Modifier::REVERSED);
    }
    let size = if entry.kind == EntryKind::File {
        human_size(entry.size)
    } else {
        String::new()
    };
    Line::from(Span::styled(
        format!(
            "{} {:<11} {:>9} {} {change}{text}",
            entry.mode_string(),
            escape_control(&entry.owner()),
            size,
            crate::text::utc_minutes(entry.mtime),
        ),
        style,
    ))
}

impl Widget for FilesWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let view = self.view;
        let tick = self.cx.tick;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let (done, total) = view.progress;
        let state = if view.loading {
            format!(
                "{} reading {} of {}",
                spinner(tick),
                human_size(done),
                human_size(total)
            )
        } else if let Some(error) = &view.error {
            format!("failed: {}", escape_control(error))
        } else {
            let mut parts = vec![format!("{} entries", view.rows.len())];
            if let Some(source) = view.source() {
                parts.push(source);
            }
            if let Some(merged) = &view.merged {
                parts.push(format!("{} wasted", human_size(merged.wasted_bytes)));
            }
            parts.join(" · ")
        };
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("{}  ", escape_control(&view.title)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(state),
        ]))
        .render(head, buf);

        let (list_area, preview_area) = if view.preview.is_some() {
            let [list, preview] =
                Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                    .areas(body);
            (list, Some(preview))
        } else {
            (body, None)
        };
        let height = usize::from(list_area.height.saturating_sub(2)).max(1);
        let filtered = !view.filter.is_empty();
        let selected = view.list.selected_position();
        let width = list_area.width.saturating_sub(2);
        let lines: Vec<Line> = view
            .list
            .window(height)
            .filter_map(|position| {
                let row = view.rows.get(*view.list.shown().get(position)? as usize)?;
                Some(ellipsis(
                    row_line(row, position == selected, filtered),
                    width,
                ))
            })
            .collect();
        Paragraph::new(lines)
            .block(
                Block::new()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", view.list.count_text())),
            )
            .render(list_area, buf);

        if let (Some(area), Some(preview)) = (preview_area, &view.preview) {
            let lines: Vec<Line> = match &preview.text {
                None => vec![Line::from(format!("{} reading…", spinner(tick)))],
                Some(Ok(text)) => text.iter().map(|l| Line::from(l.clone())).collect(),
                Some(Err(error)) => vec![Line::from(format!("failed: {}", escape_control(error)))],
            };
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(
                    Block::new()
                        .borders(Borders::ALL)
                        .title(format!(" {} ", escape_control(&preview.path))),
                )
                .render(area, buf);
        }
    }
}

impl FilesWidget<'_> {
    /// The bottom line under the view: its filter being typed, the last
    /// word on a save, or its keys from the key map.
    fn foot(&self) -> Line<'static> {
        let (config, view) = (self.cx.config, self.view);
        let keymap = &config.keymap;
        if view.filtering {
            let hint = format!(
                "{} keeps · {} clears",
                keymap.hint(Action::Confirm),
                keymap.hint(Action::Cancel)
            );
            return input_line(config, "filter: ", &view.filter, &hint);
        }
        if let Some(note) = &view.note {
            return Line::styled(
                escape_control(note).into_owned(),
                Style::new().fg(Color::Yellow),
            );
        }
        let close = if view.loading { "cancel" } else { "close" };
        let save = format!(
            "write to {}",
            escape_control(&config.download_dir.display().to_string())
        );
        footer(
            config,
            &[
                (Action::Help, "help"),
                (Action::Preview, "preview"),
                (Action::SaveFile, &save),
                (Action::Filter, "filter"),
                (Action::Close, close),
            ],
        )
    }
}
