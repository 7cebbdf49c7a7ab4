//! Rendering: a pure function of the app state. The stack's screens draw
//! themselves, from the topmost one that covers the panes up; the status
//! bar and the bottom line (the top screen's footer or prompt) are drawn
//! here, the popups over everything. Also here: the graph's panes (tree
//! and detail) and the widgets every screen shares (wrapping, columns,
//! footers, the popup frame).

mod bottom_line;
pub(crate) mod columns;
mod detail_pane;
pub(crate) mod labels;
pub mod popup;
pub mod scroll_popup;
mod status_bar;
mod tree_pane;
pub(crate) mod wrap;

use std::ops::Deref;

use ratatui::Frame;

pub(crate) use bottom_line::{footer, input_line};
pub use detail_pane::{DetailPane, DetailText, detail_lines, detail_text};
use status_bar::StatusBar;
pub use status_bar::location;
pub use tree_pane::TreePane;

use super::app::{App, Areas, Session};
use super::config::Config;
use super::screen::{DrawCx, Layer};
use super::screens::graph::Graph;

/// What the graph's panes read while they draw: the graph screen, and of
/// the app its config, its session and the spinner's turn.
pub struct AppView<'a> {
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub session: &'a Session,
    pub tick: u64,
    /// A popup is open over the graph: no pane has the keys.
    pub covered: bool,
}

impl<'a> AppView<'a> {
    pub fn new(graph: &'a Graph, cx: &DrawCx<'a>) -> AppView<'a> {
        AppView {
            graph,
            config: cx.config,
            session: cx.session,
            tick: cx.tick,
            covered: cx.covered,
        }
    }
}

impl Deref for AppView<'_> {
    type Target = Graph;

    fn deref(&self) -> &Graph {
        self.graph
    }
}

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    let areas = Areas::of_screen(area);
    let screens: Vec<_> = app.screens().collect();
    // What shows: the topmost screen over the panes and what is above it.
    let base = screens
        .iter()
        .rposition(|s| s.layer() == Layer::Panes)
        .unwrap_or(0);
    let cx = |index: usize| DrawCx {
        config: &app.config,
        session: &app.session,
        tick: app.tick,
        status: app.status.as_ref(),
        messages: &app.messages,
        covered: screens[index + 1..]
            .iter()
            .any(|s| s.layer() == Layer::Popup),
    };
    for (index, screen) in screens.iter().enumerate().skip(base) {
        if screen.layer() == Layer::Panes {
            screen.draw(&areas, frame.buffer_mut(), &cx(index));
        }
    }
    let location = screens
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, s)| s.location(&cx(index)));
    frame.render_widget(&StatusBar { app, location }, areas.status);
    let foot = screens
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, s)| s.footer(&cx(index)));
    if let Some(line) = foot {
        frame.render_widget(wrap::ellipsis(line, areas.bottom.width), areas.bottom);
    }
    for (index, screen) in screens.iter().enumerate().skip(base) {
        if screen.layer() != Layer::Panes {
            screen.draw(&areas, frame.buffer_mut(), &cx(index));
        }
    }
}
