//! The delete question's text: what the plan in view removes, in the
//! engine's words (`ops::delete::plan_lines`, worked out when the plan
//! arrived; `regscope rm` prints the same), and the keys that answer it. On a tag row it says which of the
//! two deletes is in view and which key shows the other.

use ratatui::style::{Color, Style};
use ratatui::text::Line;

use super::DeleteDialog;
use super::lines::hint;
use crate::ops::DeletePlan;
use crate::ops::delete::plan_summary;
use crate::text::escape_control;
use crate::tui::keymap::Action;
use crate::tui::screen::DrawCx;
use crate::tui::view::popup::PopupText;

pub(super) fn delete_text(app: &DrawCx<'_>, dialog: &DeleteDialog) -> PopupText {
    let dim = Style::new().fg(Color::DarkGray);
    let repository = escape_control(&dialog.repository);
    let mut lines = vec![Line::raw(match (dialog.tag(), dialog.whole) {
        (Some(tag), false) => format!(" delete the tag {repository}:{}", escape_control(tag)),
        (Some(tag), true) => format!(
            " delete {repository}@{} (the manifest {} names)",
            dialog.reference,
            escape_control(tag)
        ),
        (None, _) => format!(" delete {repository}@{}", dialog.reference),
    })];
    let shown = dialog.shown();
    match shown {
        None => lines.push(Line::styled(" working out what goes…", dim)),
        Some((plan, goes)) => plan_body(app, plan, goes, &mut lines),
    }
    let plan = shown.map(|(plan, _)| plan);
    PopupText {
        title: "delete",
        body: lines,
        keys: vec![Line::styled(answer_keys(app, dialog, plan), dim)],
        indent: None,
    }
}

fn plan_body(app: &DrawCx<'_>, plan: &DeletePlan, goes: &[String], lines: &mut Vec<Line<'static>>) {
    let dim = Style::new().fg(Color::DarkGray);
    let error = Style::new().fg(app.config.theme.error);
    lines.push(Line::raw(format!(
        " {}:",
        escape_control(&plan_summary(plan))
    )));
    lines.extend(
        goes.iter()
            .map(|g| Line::styled(format!(" {}", escape_control(g)), error)),
    );
    for warning in &plan.warnings {
        lines.push(Line::styled(format!(" ! {}", escape_control(warning)), dim));
    }
    if let Some(refusal) = plan.refusal() {
        lines.push(Line::styled(
            format!(
                " {}; `regscope rm --break-index` does it",
                escape_control(&refusal)
            ),
            error,
        ));
    }
}

/// Yes and no, the other delete on a tag row, and scrolling.
fn answer_keys(app: &DrawCx<'_>, dialog: &DeleteDialog, plan: Option<&DeletePlan>) -> String {
    let refused = plan.is_some_and(|p| p.refusal().is_some());
    let mut keys = if refused {
        format!(
            " {}/{} closes",
            hint(app, Action::No),
            hint(app, Action::Cancel)
        )
    } else {
        format!(
            " {}/{} deletes{} · {}/{} keeps",
            hint(app, Action::Yes),
            hint(app, Action::Confirm),
            if dialog.tag().is_some() && !dialog.whole {
                " the tag"
            } else {
                ""
            },
            hint(app, Action::No),
            hint(app, Action::Cancel),
        )
    };
    if dialog.tag().is_some() {
        keys.push_str(&format!(
            " · {} {}",
            hint(app, Action::DeleteScope),
            if dialog.whole {
                "the tag alone instead"
            } else {
                "the manifest instead"
            }
        ));
    }
    keys.push_str(&format!(
        " · {}/{} scroll",
        hint(app, Action::Up),
        hint(app, Action::Down),
    ));
    keys
}
