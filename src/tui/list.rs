//! The list component the list screens share (the audit table, the files
//! view): selection, paging, a filter kept computed, "n of m", and the
//! window a frame draws; and what the mouse wheel means, for every screen
//! that scrolls.
//!
//! Parse on arrival, draw from the result: each item's searchable text is
//! lowercased once, when the item arrives, and the items passing the
//! filter are worked out when the filter, the order or the items change,
//! never per frame. A frame only reads `shown` and the window.

use crossterm::event::MouseEventKind;

use crate::tui::keymap::Action;

/// Rows one notch of the wheel scrolls a text (a popup, the detail pane).
pub const WHEEL_ROWS: usize = 3;

/// The wheel moves like the arrow keys; `None` for any other mouse event.
pub fn wheel_action(kind: MouseEventKind) -> Option<Action> {
    match kind {
        MouseEventKind::ScrollDown => Some(Action::Down),
        MouseEventKind::ScrollUp => Some(Action::Up),
        _ => None,
    }
}

/// Scrolls a text by one notch of the wheel: `step` once a row, with the
/// wheel's move; nothing for any other mouse event.
pub fn wheel_scroll(kind: MouseEventKind, mut step: impl FnMut(Action)) {
    if let Some(action) = wheel_action(kind) {
        for _ in 0..WHEEL_ROWS {
            step(action);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListView {
    /// Each item's searchable text, lowercased once when it arrived.
    haystacks: Vec<Box<str>>,
    /// The owner's order of the items; `None`: as they came.
    order: Option<Vec<u32>>,
    /// What is typed, lowercased.
    filter: String,
    /// The items passing the filter, in display order.
    shown: Vec<u32>,
    /// A position in `shown`.
    selected: usize,
    /// The first position in `shown` a frame draws.
    offset: usize,
    /// Items looked at by filter passes, for tests that count the work.
    scanned: u64,
}

impl ListView {
    /// Adds an item whose filter matches `haystack`.
    pub fn push(&mut self, haystack: &str) {
        let index = u32::try_from(self.haystacks.len()).unwrap_or(u32::MAX);
        let lower: Box<str> = haystack.to_lowercase().into();
        let passes = lower.contains(self.filter.as_str());
        self.haystacks.push(lower);
        match &mut self.order {
            // Ordered lists are put in order again by their owner.
            Some(order) => order.push(index),
            None if passes => self.shown.push(index),
            None => {}
        }
    }

    /// Sets the display order (indices of the items) and filters again.
    pub fn set_order(&mut self, order: Vec<u32>) {
        let selected = self.selected_item();
        self.order = Some(order);
        self.refilter();
        self.keep(selected);
    }

    /// Filters with `text` (a substring, any case); the selection goes to
    /// the first match.
    pub fn set_filter(&mut self, text: &str) {
        let lower = text.to_lowercase();
        if lower == self.filter {
            return;
        }
        self.filter = lower;
        self.refilter();
        self.selected = 0;
        self.offset = 0;
    }

    fn refilter(&mut self) {
        let filter = self.filter.as_str();
        let haystacks = &self.haystacks;
        let passes = |i: &u32| {
            haystacks
                .get(*i as usize)
                .is_some_and(|h| h.contains(filter))
        };
        self.shown = match &self.order {
            Some(order) => order.iter().copied().filter(passes).collect(),
            None => (0..u32::try_from(haystacks.len()).unwrap_or(u32::MAX))
                .filter(passes)
                .collect(),
        };
        self.scanned += haystacks.len() as u64;
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// Keeps the selection on `item` when it is still shown.
    fn keep(&mut self, item: Option<usize>) {
        if let Some(position) =
            item.and_then(|item| self.shown.iter().position(|&i| i as usize == item))
        {
            self.selected = position;
        }
    }

    /// The filter as typed (lowercased).
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The items shown, in display order.
    pub fn shown(&self) -> &[u32] {
        &self.shown
    }

    /// How many items there are, shown or not.
    pub fn len(&self) -> usize {
        self.haystacks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.haystacks.is_empty()
    }

    /// The selected item's index.
    pub fn selected_item(&self) -> Option<usize> {
        self.shown.get(self.selected).map(|&i| i as usize)
    }

    /// The selection's position among the shown items.
    pub fn selected_position(&self) -> usize {
        self.selected
    }

    /// Moves the selection for a list key, with pages of `page` rows;
    /// returns whether the key was one.
    pub fn apply(&mut self, action: Action, page: usize) -> bool {
        let last = self.shown.len().saturating_sub(1);
        let page = page.max(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::First => 0,
            Action::Last => last,
            _ => return false,
        };
        self.offset = window_start(self.offset, self.selected, page);
        true
    }

    /// The positions a frame of `height` rows draws: from the kept offset,
    /// moved just enough to show the selection.
    pub fn window(&self, height: usize) -> std::ops::Range<usize> {
        let start = window_start(self.offset, self.selected, height.max(1));
        start..(start + height).min(self.shown.len())
    }

    /// "3 of 40 shown", or "40" without a filter.
    pub fn count_text(&self) -> String {
        if self.filter.is_empty() {
            format!("{} shown", self.shown.len())
        } else {
            format!("{} of {} shown", self.shown.len(), self.len())
        }
    }

    /// Items looked at by filter passes so far.
    pub fn work_done(&self) -> u64 {
        self.scanned
    }
}

/// Where a window of `height` rows starts so that it shows `selected`,
/// moving from `offset` as little as it can.
fn window_start(offset: usize, selected: usize, height: usize) -> usize {
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_once_per_change_and_keeps_the_window_on_the_selection() {
        let mut list = ListView::default();
        for name in ["usr/", "usr/bin/", "usr/bin/Tool", "etc/", "etc/tool.conf"] {
            list.push(name);
        }
        assert_eq!(list.shown(), [0, 1, 2, 3, 4]);
        list.set_filter("TOOL");
        assert_eq!(list.shown(), [2, 4]);
        assert_eq!(list.count_text(), "2 of 5 shown");
        assert_eq!(list.work_done(), 5, "one pass for the keystroke");
        // Reading the rows again (each frame) scans nothing.
        let _ = (list.shown(), list.window(3), list.selected_item());
        assert_eq!(list.work_done(), 5);
        assert!(list.apply(Action::Down, 3));
        assert_eq!(list.selected_item(), Some(4));
        list.push("tool-new");
        assert_eq!(list.shown(), [2, 4, 5], "an arrival that matches shows");
        list.set_filter("");
        assert!(list.apply(Action::Last, 2));
        assert_eq!(list.window(2), 4..6);
        assert!(list.apply(Action::First, 2));
        assert_eq!(list.window(2), 0..2);
        list.set_order(vec![5, 4, 3, 2, 1, 0]);
        assert_eq!(
            list.selected_item(),
            Some(0),
            "the selection stays on its item"
        );
        assert!(!list.apply(Action::Open, 2));
    }

    #[test]
    fn the_wheel_scrolls_like_the_arrows_and_nothing_else_does() {
        let mut steps = Vec::new();
        wheel_scroll(MouseEventKind::ScrollDown, |action| steps.push(action));
        assert_eq!(steps, [Action::Down; WHEEL_ROWS]);
        assert_eq!(wheel_action(MouseEventKind::ScrollUp), Some(Action::Up));
        let click = MouseEventKind::Down(crossterm::event::MouseButton::Left);
        assert_eq!(wheel_action(click), None);
        wheel_scroll(click, |action| steps.push(action));
        assert_eq!(steps.len(), WHEEL_ROWS, "a click scrolls nothing");
    }
}
