//! Keys of the findings table, from the key map (`Mode::Vulns` before the
//! shared view and list keys): sort, filter, show the suppressed findings,
//! open the selected finding's advisory (which then follows the
//! selection) and scroll it, close (the advisory first).

use crossterm::event::KeyEvent;

use super::FindingsView;
use super::advisory_pane::layout;
use crate::tui::keymap::{Action, Mode};
use crate::tui::screen::{Ask, Cx, ListKey};

impl FindingsView {
    pub(super) fn on_findings_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let filter = (&mut self.filter, &mut self.filtering);
        let action = match cx.list_key(key, Mode::Vulns, filter) {
            ListKey::Action(action) => action,
            ListKey::Filtered => {
                self.list.set_filter(&self.filter);
                return self.follow_selection();
            }
            ListKey::Answered => return,
        };
        match action {
            Action::Close if self.advisory.is_some() => self.advisory = None,
            Action::Close => cx.ask(Ask::Close),
            Action::Advisory => self.show_advisory(),
            Action::AdvisoryDown | Action::AdvisoryUp => self.scroll_advisory(action, cx),
            Action::SortFindings => {
                self.sort = self.sort.next();
                self.order_rows();
            }
            Action::ToggleSuppressed => {
                self.show_suppressed = !self.show_suppressed;
                self.order_rows();
                self.follow_selection();
                let said = if self.show_suppressed {
                    "showing the findings VEX suppresses, dimmed"
                } else {
                    "hiding the findings VEX suppresses"
                };
                cx.ask(Ask::Say(said.to_owned()));
            }
            other => {
                let page = self.page;
                if self.list.apply(other, page) {
                    self.follow_selection();
                }
            }
        }
    }

    /// Scrolls the open advisory a row, as far as its text goes in the
    /// pane the frame gives it.
    fn scroll_advisory(&mut self, action: Action, cx: &mut Cx<'_>) {
        let Some(advisory) = &mut self.advisory else {
            let key = cx.config.keymap.hint(Action::Advisory);
            cx.ask(Ask::Say(format!("no advisory open: {key} opens it")));
            return;
        };
        let (_, _, area) = layout(cx.areas.panes(), true);
        let limit = area.map_or(0, |area| advisory.scroll_limit(area));
        advisory.scroll = match action {
            Action::AdvisoryDown => advisory.scroll.saturating_add(1).min(limit),
            _ => advisory.scroll.min(limit).saturating_sub(1),
        };
    }

    /// An open advisory shows the selected finding's.
    fn follow_selection(&mut self) {
        if self.advisory.is_some() {
            self.show_advisory();
        }
    }
}
