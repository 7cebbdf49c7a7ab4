//! Keys of the diff screen, from the key map (`Mode::Diff` before the
//! shared list keys): open or fold a section, filter the entries, move,
//! close (which cancels a diff under way).

use crossterm::event::KeyEvent;

use super::{DiffScreen, Row};
use crate::tui::keymap::{Action, Mode};
use crate::tui::screen::{Ask, Cx, ListKey};

impl DiffScreen {
    pub(super) fn on_diff_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let action = match cx.list_key(key, Mode::Diff, (&mut self.filter, &mut self.filtering)) {
            ListKey::Action(action) => action,
            ListKey::Filtered => return self.filter_changed(),
            ListKey::Answered => return,
        };
        match action {
            Action::Close => {
                // The runner's task stops at once; its report, if any, is
                // for a screen no longer there.
                self.cancel.cancel();
                cx.ask(Ask::Close);
            }
            Action::ToggleSection => self.toggle_selected(),
            other => {
                let page = self.page;
                self.list.apply(other, page);
            }
        }
    }

    /// Enter: a header opens or folds its section; an entry folds its
    /// own, the selection back on the header. Filtered, every entry shows
    /// and there is nothing to fold.
    fn toggle_selected(&mut self) {
        if !self.filter.is_empty() {
            return;
        }
        let section = match self.selected_row() {
            Some(Row::Header(section)) => section,
            Some(Row::Entry { section, .. }) => {
                self.open.remove(&section);
                self.reorder();
                self.select_header(section);
                return;
            }
            None => return,
        };
        if !self.open.remove(&section) {
            self.open.insert(section);
        }
        self.reorder();
    }

    /// Puts the selection on `section`'s header.
    fn select_header(&mut self, section: usize) {
        let Some(position) = self
            .list
            .shown()
            .iter()
            .position(|&i| self.rows.get(i as usize) == Some(&Row::Header(section)))
        else {
            return;
        };
        self.list.apply(Action::First, 1);
        if position > 0 {
            // A page of exactly `position` rows lands on it.
            self.list.apply(Action::PageDown, position);
        }
    }
}
