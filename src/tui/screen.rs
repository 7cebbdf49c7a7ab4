//! Screens: views that cover the graph's panes (the audit table, the files
//! view), on a stack above the graph. Each owns its state, reads its keys
//! in its own key-map mode, answers the reports addressed to it, returns
//! effects and draws itself with its own footer; `App` routes keys and
//! reports to the top screen and applies what it asks (`Cx`).
//!
//! Adding a screen (the doctor's report, a diff):
//! 1. a module under `screens/` with a state type implementing `Screen`
//!    (its keys in a `Mode` of its own, added to `keymap::Mode` with its
//!    `lookup` and `heading`, and its actions to the `actions!` table, so
//!    `?`, the footer and the config's `[keys]` know them);
//! 2. where it is opened, push it: `app.push(Box::new(TheScreen::new(…)))`
//!    with an id from `App::next_id` for the reports its effects bring;
//! 3. its reports as a `Msg` variant, handed down the stack by `App`
//!    until the screen whose id they carry takes them.
//!
//! No field on `App`, no arm in the view: the stack draws the top screen.

use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::app::{Areas, Session};
use super::config::Config;
use super::keymap::Mode;
use super::message::{Effect, Msg};

/// A view on the stack.
pub trait Screen: std::fmt::Debug + Send {
    /// Where its keys are read (`Mode::lookup` adds the shared ones).
    fn mode(&self) -> Mode;
    /// One key press.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>);
    /// A report; one that is not its own goes back (`Some`) for the
    /// screens below.
    fn on_msg(&mut self, msg: Msg, cx: &mut Cx<'_>) -> Option<Msg>;
    /// Whether something in it animates (a spinner), so the loop ticks.
    fn is_animating(&self) -> bool {
        false
    }
    /// Draws it over the panes' area.
    fn draw(&self, area: Rect, buf: &mut Buffer, cx: &DrawCx<'_>);
    /// Its bottom line: what is typed in it, or its keys from the key map.
    fn footer(&self, cx: &DrawCx<'_>) -> Line<'static>;
    /// For tests and the router's accessors: the concrete screen.
    fn as_any(&self) -> &dyn Any;
}

/// What a screen may read while it draws.
pub struct DrawCx<'a> {
    pub config: &'a Config,
    pub session: &'a Session,
    pub tick: u64,
}

/// What a screen may read and ask for while it handles a key or a report.
/// The router applies what was asked once the screen returns.
pub struct Cx<'a> {
    pub config: &'a Config,
    pub session: &'a Session,
    pub areas: Areas,
    pub(crate) effects: Vec<Effect>,
    pub(crate) asked: Vec<Ask>,
}

/// What a screen asks of the router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Take this screen off the stack.
    Close,
    /// Show a tag or digest in the graph.
    GoTo {
        repository: String,
        reference: String,
    },
    /// The keys of a screen reading them in this mode.
    Help(Mode),
    Messages,
    Quit,
    Say(String),
    Complain(String),
}

impl<'a> Cx<'a> {
    pub fn new(config: &'a Config, session: &'a Session, areas: Areas) -> Cx<'a> {
        Cx {
            config,
            session,
            areas,
            effects: Vec::new(),
            asked: Vec::new(),
        }
    }

    pub fn effect(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn ask(&mut self, ask: Ask) {
        self.asked.push(ask);
    }

    /// Rows a page key moves in a view over the panes.
    pub fn page(&self) -> usize {
        usize::from(self.areas.tree.height.saturating_sub(4)).max(1)
    }
}
