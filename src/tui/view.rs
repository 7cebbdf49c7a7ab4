//! Rendering: a pure function of the app state, one widget per screen
//! region (tree, detail, status bar, bottom line, popups).

mod audit_table;
mod bottom_line;
mod detail_pane;
mod dialog_lines;
mod files_view;
mod labels;
mod messages;
mod popup;
mod status_bar;
mod tree_pane;
mod wrap;

use ratatui::Frame;

use bottom_line::BottomLine;
use detail_pane::DetailPane;
pub use detail_pane::{DetailText, detail_lines, detail_text};
use popup::PopupView;
use status_bar::StatusBar;
use tree_pane::TreePane;

use super::app::{App, Areas, Measure};

/// What the state asks the view about its layout (see `Measure`).
pub const MEASURE: Measure = Measure {
    detail_last_start: |app, width, height| detail_text(app).last_start(width, height),
    popup_scroll_limit: popup::popup_scroll_limit,
};

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let areas = Areas::of_screen(area);
    if let Some(view) = &app.files {
        let main = areas.tree.union(areas.detail);
        let download_dir = app.config.download_dir.display().to_string();
        frame.render_widget(
            &files_view::FilesWidget {
                view,
                download_dir: &download_dir,
                tick: app.tick,
            },
            main,
        );
    } else if let Some(table) = &app.audit {
        let main = areas.tree.union(areas.detail);
        frame.render_widget(
            &audit_table::AuditView {
                table,
                tick: app.tick,
            },
            main,
        );
    } else {
        frame.render_widget(&TreePane { app }, areas.tree);
        frame.render_widget(&DetailPane { app }, areas.detail);
    }
    frame.render_widget(&StatusBar { app }, areas.status);
    frame.render_widget(&BottomLine { app }, areas.bottom);
    if app.popup.is_some() {
        frame.render_widget(&PopupView { app }, area);
    }
}
