//! Where the screen's regions are: the panes side by side, the status bar
//! and the bottom line below them.

use ratatui::layout::{Constraint, Layout, Rect};

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

    /// The panes together: what a screen over them covers.
    pub fn panes(&self) -> Rect {
        self.tree.union(self.detail)
    }
}
