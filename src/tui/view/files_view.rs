//! The files view: a layer's files (or the image's merged file system) as
//! an indented tree with mode, owner, size, time and links, deletions
//! marked; byte progress while it loads; a text preview beside it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::layer::{Change, EntryKind};
use crate::text::{escape_control, human_size};
use crate::tui::app::FilesView;
use crate::tui::app::files::FileRow;

pub struct FilesWidget<'a> {
    pub view: &'a FilesView,
    pub download_dir: &'a str,
    pub tick: u64,
}

/// `name`, indented by its depth, with its link target; a deletion says so.
fn row_line(row: &FileRow, selected: bool) -> Line<'static> {
    let entry = &row.entry;
    let depth = entry.path.matches('/').count();
    let name = entry.path.rsplit('/').next().unwrap_or(&entry.path);
    let mut text = format!("{}{}", "  ".repeat(depth), escape_control(name));
    if entry.kind == EntryKind::Dir {
        text.push('/');
    }
    match (&entry.kind, &entry.link) {
        (EntryKind::Symlink, Some(target)) => {
            text.push_str(&format!(" -> {}", escape_control(target)))
        }
        (EntryKind::Hardlink, Some(target)) => {
            text.push_str(&format!(" link to {}", escape_control(target)));
        }
        (EntryKind::Whiteout, _) => text.push_str("  [whiteout: removed]"),
        (EntryKind::Opaque, _) => text.push_str("  [opaque: lower layers hidden]"),
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

impl Widget for &FilesWidget<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let view = self.view;
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (done, total) = view.progress;
        let state = if view.loading {
            format!(
                "{} reading {} of {}",
                super::labels::spinner(self.tick),
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
        let visible = view.visible();
        let height = usize::from(list_area.height.saturating_sub(2)).max(1);
        let offset = view.selected.saturating_sub(height - 1);
        let lines: Vec<Line> = visible
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, row)| row_line(row, i == view.selected))
            .collect();
        Paragraph::new(lines)
            .block(Block::new().borders(Borders::ALL).title(format!(
                " {} of {} shown ",
                visible.len(),
                view.rows.len()
            )))
            .render(list_area, buf);

        if let (Some(area), Some(preview)) = (preview_area, &view.preview) {
            let lines: Vec<Line> = match &preview.text {
                None => vec![Line::from(format!(
                    "{} reading…",
                    super::labels::spinner(self.tick)
                ))],
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

        let hint = if view.filtering {
            format!(
                "filter: {}▏ (Enter/Esc to finish)",
                escape_control(&view.filter)
            )
        } else if let Some(note) = &view.note {
            escape_control(note).into_owned()
        } else {
            let esc = if view.loading { "cancel" } else { "close" };
            format!(
                "↑↓ move · Enter preview · p write to {} · / filter · Esc {esc}",
                escape_control(self.download_dir)
            )
        };
        Paragraph::new(hint)
            .style(Style::new().fg(Color::DarkGray))
            .render(foot, buf);
    }
}
