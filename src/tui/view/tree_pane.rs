//! The tree pane: the visible rows from the app's offset, with open and
//! closed markers, and the selection highlighted.
//!
//! Why not tui-tree-widget: its navigation reads the rows of the last
//! render (`TreeState` keeps them), so `update` could not move the cursor
//! without a terminal, and it needs every item rebuilt each frame. Here the
//! rows are a pure function of the app (`App::rows`), long lists are cut
//! with a "… N more" row and filtered (100 000 tags stay fast), and this
//! widget only paints what `rows` says.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Widget};

use super::labels;
use crate::text::escape_control;
use crate::tui::screens::graph::Focus;
use crate::tui::view::AppView;

/// The highlight of the selected row.
const SELECTED: Color = Color::Rgb(62, 68, 82);

pub struct TreePane<'a> {
    pub app: &'a AppView<'a>,
}

impl Widget for &TreePane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let focused = app.focus == Focus::Tree && !app.covered;
        // The filter of the list holding the selection, so it is never
        // forgotten while it hides rows.
        let selected = app.tree.selected();
        let filter = (1..=selected.len())
            .rev()
            .find_map(|len| app.tree.filter(&selected[..len]))
            .map(|text| format!("graph · filter {:?}", escape_control(text)));
        let title = filter.as_deref().unwrap_or("graph");
        let block = pane_block(title, focused, app);
        let inner = block.inner(area);
        block.render(area, buf);
        let rows = app.rows();
        let height = usize::from(inner.height);
        for (line_index, row) in rows.iter().skip(app.tree_offset).take(height).enumerate() {
            let mut spans = vec![Span::raw("  ".repeat(row.depth))];
            let id = row.path.last().unwrap_or(&crate::tui::tree::NodeId::More);
            if row.more > 0 {
                spans.push(Span::styled(
                    format!("  … {} more: / filters the list", row.more),
                    Style::new().fg(Color::DarkGray),
                ));
            } else if let Some(node) = app.node(&row.path) {
                let marker = if app.tree.is_open(&row.path) && node.may_have_children() {
                    "▼ "
                } else if node.may_have_children() {
                    "▶ "
                } else {
                    "  "
                };
                spans.push(Span::styled(marker, Style::new().fg(Color::DarkGray)));
                spans.extend(labels::node_spans(app, &row.path, node));
            } else {
                // A listing entry not touched yet: a tag or repository name.
                spans.push(Span::styled("▶ ", Style::new().fg(Color::DarkGray)));
                spans.push(Span::raw(escape_control(&id.name()).into_owned()));
            }
            let store = &app.session.store_name;
            if let Some(mark) = crate::tui::screens::graph::mark_span(&app.tree, &row.path, store) {
                // After the indent and the open marker, where a cut row keeps it.
                spans.insert(2.min(spans.len()), mark);
            }
            let selected = row.path == *app.tree.selected();
            if selected {
                // Dim parts would vanish on the highlight: lift them.
                for span in &mut spans {
                    if span.style.fg == Some(Color::DarkGray) {
                        span.style.fg = Some(Color::Gray);
                    }
                }
            }
            let mut line = super::wrap::ellipsis(Line::from(spans), inner.width);
            if selected {
                let style = if focused {
                    Style::new().bg(SELECTED).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().bg(Color::Rgb(45, 49, 58))
                };
                line = line.style(style);
            }
            let y = inner.y + u16::try_from(line_index).unwrap_or(u16::MAX);
            let line_area = Rect::new(inner.x, y, inner.width, 1);
            if row.path == *app.tree.selected() {
                buf.set_style(line_area, line.style);
            }
            line.render(line_area, buf);
        }
    }
}

pub fn pane_block<'a>(title: &'a str, focused: bool, app: &AppView<'_>) -> Block<'a> {
    let colour = if focused {
        app.config.theme.accent
    } else {
        Color::DarkGray
    };
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(colour))
        .title(Span::styled(format!(" {title} "), Style::new().fg(colour)))
}
