//! The status bar: where you are, how the store serves referrers, the
//! running jobs, the scratch note, and the last message.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::labels::spinner;
use crate::store::ReferrersSupport;
use crate::text::{escape_control, human_size};
use crate::tui::app::{App, Session};
use crate::tui::tree::{ManifestRole, NodeKind};
use crate::tui::view::AppView;

pub struct StatusBar<'a> {
    pub app: &'a App,
    /// Where the top screen is (the graph's selection).
    pub location: Option<String>,
}

/// How the store finds referrers, as a value beside the word "referrers".
pub fn support_label(session: &Session) -> &'static str {
    match session.referrers_support {
        ReferrersSupport::NotYetKnown => "not yet known",
        ReferrersSupport::Api => "API",
        ReferrersSupport::FallbackTag => "fallback tags",
        ReferrersSupport::SubjectScan => "subject scan",
    }
}

/// `registry/repo:tag@sha256:abc…` for the selection, as far as known.
pub fn location(app: &AppView<'_>) -> String {
    let mut text = app.session.registry.clone();
    let Some(node) = app.selected_node() else {
        return text;
    };
    if let Some(repository) = node.repository() {
        text.push('/');
        text.push_str(repository);
    }
    if let NodeKind::Manifest {
        role: ManifestRole::Tag(tag),
        ..
    } = &node.kind
        && !tag.contains(':')
    {
        text.push(':');
        text.push_str(tag);
    }
    if matches!(node.kind, NodeKind::Manifest { .. } | NodeKind::Blob { .. })
        && let Some(digest) = node.digest()
    {
        text.push_str(&format!(
            "@{}:{}…",
            digest.algorithm().name(),
            digest.short()
        ));
    }
    escape_control(&text).into_owned()
}

/// `1.2 MiB / 3.4 MiB (35%)`, or just what moved when nothing was
/// announced.
pub fn bytes_moved(done: u64, total: u64) -> String {
    if total == 0 {
        return human_size(done);
    }
    let percent = done.saturating_mul(100) / total;
    format!("{} / {} ({percent}%)", human_size(done), human_size(total))
}

impl Widget for &StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let bar = Style::new().bg(Color::Rgb(40, 44, 52)).fg(Color::Gray);
        buf.set_style(area, bar);
        let separator = Span::styled(" │ ", Style::new().fg(Color::DarkGray));
        // The last message goes right after the location: it is what a
        // person looks for after a key press, and the bar may be cut.
        let mut spans = vec![Span::styled(
            format!(" {}", self.location.as_deref().unwrap_or_default()),
            Style::new().fg(Color::White),
        )];
        if let Some(status) = &app.status {
            spans.push(separator.clone());
            let colour = if status.is_error {
                app.config.theme.error
            } else {
                Color::Green
            };
            spans.push(Span::styled(
                escape_control(&status.text).into_owned(),
                Style::new().fg(colour),
            ));
        }
        let jobs = app.running_jobs();
        if jobs > 0 {
            spans.push(separator.clone());
            let noun = if jobs == 1 { "job" } else { "jobs" };
            spans.push(Span::styled(
                format!("{} {jobs} {noun}", spinner(app.tick)),
                Style::new().fg(app.config.theme.accent),
            ));
        }
        for operation in app.operations.values() {
            spans.push(separator.clone());
            let mut text = if operation.progress.is_empty() {
                operation.label.clone()
            } else {
                format!("{}: {}", operation.label, operation.progress)
            };
            if let Some((done, total)) = operation.bytes {
                text.push_str(&format!(" {}", bytes_moved(done, total)));
            }
            spans.push(Span::styled(
                escape_control(&text).into_owned(),
                Style::new().fg(Color::White),
            ));
        }
        spans.push(separator.clone());
        spans.push(Span::raw(format!(
            "referrers: {}",
            support_label(&app.session)
        )));
        if let Some(note) = &app.session.scratch_note {
            spans.push(separator);
            spans.push(Span::styled(
                escape_control(note).into_owned(),
                Style::new().fg(Color::Yellow),
            ));
        }
        // A cut bar says so: the last message may be what was cut.
        super::wrap::ellipsis(Line::from(spans), area.width).render(area, buf);
    }
}
