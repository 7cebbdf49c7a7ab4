//! Rendering: a pure function of the app state, one widget per screen
//! region (tree, detail, status bar, bottom line, popups).

mod bottom_line;
pub(crate) mod columns;
mod detail_pane;
mod dialog_lines;
pub(crate) mod labels;
mod messages;
mod popup;
mod status_bar;
mod tree_pane;
pub(crate) mod wrap;

use ratatui::Frame;

use bottom_line::BottomLine;
pub(crate) use bottom_line::{footer, input_line};
use detail_pane::DetailPane;
pub use detail_pane::{DetailText, detail_lines, detail_text};
use popup::PopupView;
use status_bar::StatusBar;
use tree_pane::TreePane;

use super::app::{App, Areas, Measure};
use super::screen::DrawCx;

/// What the state asks the view about its layout (see `Measure`).
pub const MEASURE: Measure = Measure {
    detail_last_start: |app, width, height| detail_text(app).last_start(width, height),
    popup_scroll_limit: popup::popup_scroll_limit,
};

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let areas = Areas::of_screen(area);
    // A view over the graph covers its panes and says its own keys on
    // the bottom line.
    let mut foot = None;
    if let Some(screen) = app.top_screen() {
        let main = areas.tree.union(areas.detail);
        let cx = DrawCx {
            config: &app.config,
            session: &app.session,
            tick: app.tick,
        };
        screen.draw(main, frame.buffer_mut(), &cx);
        foot = Some(screen.footer(&cx));
    } else {
        frame.render_widget(&TreePane { app }, areas.tree);
        frame.render_widget(&DetailPane { app }, areas.detail);
    }
    frame.render_widget(&StatusBar { app }, areas.status);
    match foot {
        Some(line) if app.input.is_none() => {
            frame.render_widget(wrap::ellipsis(line, areas.bottom.width), areas.bottom)
        }
        _ => frame.render_widget(&BottomLine { app }, areas.bottom),
    }
    if app.popup.is_some() {
        frame.render_widget(&PopupView { app }, area);
    }
}
