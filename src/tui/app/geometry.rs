//! Where the screen's regions are, and what the state asks the view about
//! how text lays out in them: scrolling stops at the end, and only the
//! view knows how many rows its wrapped lines take.

use ratatui::layout::{Constraint, Layout, Rect};

use super::App;

/// Where the regions were last laid out, for mouse hits and paging.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub tree: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub bottom: Rect,
    /// The whole terminal, where popups are centred.
    pub screen: Rect,
}

impl Areas {
    /// Where each region goes in a terminal of `screen`: the tree and the
    /// detail pane side by side, the status bar and the bottom line below.
    pub fn of_screen(screen: Rect) -> Areas {
        let [main, status, bottom] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(screen);
        let [tree, detail] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(main);
        Areas {
            tree,
            detail,
            status,
            bottom,
            screen,
        }
    }
}

/// The view's answers about its own layout, handed to the app by whoever
/// draws it (`view::MEASURE`): the state asks when a key scrolls, so a key
/// handled before the next frame still stops at the real end, and the
/// state never imports the view.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// The first detail-pane line to show so that the last line, wrapped
    /// in a pane `width` columns wide, sits on its bottom row of `height`.
    pub detail_last_start: fn(&App, u16, u16) -> usize,
    /// How many rows the open popup's body can scroll in a terminal of
    /// the given area.
    pub popup_scroll_limit: fn(&App, Rect) -> u16,
}
