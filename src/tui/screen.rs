//! Screens: everything the TUI shows is one, on a stack. The graph (tree
//! and detail pane) is at the bottom; the audit table and the files view
//! cover it; help, messages and the dialogs are popups over what is
//! below; the prompts (`/`, `g`) take the bottom line. Each owns its
//! state, reads its keys in its own key-map mode, answers the reports
//! addressed to it, returns effects and draws itself with its own footer;
//! `App` routes keys to the top screen, reports down the stack, and does
//! what a screen asks (`Ask`) once it returns.
//!
//! Adding a screen (the doctor's report, a diff):
//! 1. a module under `screens/` with a state type implementing `Screen`
//!    (its keys in a `Mode` of its own, added to `keymap::Mode` with its
//!    `lookup` and `heading`, and its actions to the `actions!` table, so
//!    `?`, the footer and the config's `[keys]` know them);
//! 2. where it is opened (a key of the graph), ask for it:
//!    `cx.ask(Ask::Open(Box::new(TheScreen::new(cx.next_id(), …))))`,
//!    with an id for the reports its effects bring;
//! 3. its reports as a `Msg` variant, handed down the stack by `App`
//!    until the screen whose id they carry takes them.
//!
//! No field on `App`, no arm in the view: the stack draws its screens.

use std::any::Any;

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::text::Line;

pub use super::app::Areas;
pub use super::app::Session;
use super::app::StatusMessage;
use super::config::Config;
use super::keymap::Mode;
use super::message::{Effect, Msg, Notice, OperationRequest};
use super::typing::filter_key;
use crate::store::ReferrersSupport;

/// A view on the stack.
pub trait Screen: Any + std::fmt::Debug + Send {
    /// Where its keys are read (`Mode::lookup` adds the shared ones).
    fn mode(&self) -> Mode;
    /// Where it is drawn.
    fn layer(&self) -> Layer {
        Layer::Panes
    }
    /// One key press.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>);
    /// A click or the wheel.
    fn on_mouse(&mut self, _mouse: MouseEvent, _cx: &mut Cx<'_>) {}
    /// A report or a notice; one that is not its own goes back (`Some`)
    /// for the screens below. A screen that holds all it shows takes none.
    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        Some(msg)
    }
    /// The terminal changed size.
    fn on_resize(&mut self, _areas: Areas) {}
    /// Whether something in it animates (a spinner), so the loop ticks.
    fn is_animating(&self) -> bool {
        false
    }
    /// Loads under way in it, for the status bar's count.
    fn loads(&self) -> usize {
        0
    }
    /// Draws it where its layer goes.
    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>);
    /// Its bottom line (what is typed in it, or its keys from the key
    /// map); `None` (a popup's) leaves the one of the screen below.
    fn footer(&self, _cx: &DrawCx<'_>) -> Option<Line<'static>> {
        None
    }
    /// Where it is (`registry/repo:tag@…`), for the status bar; `None`
    /// leaves the one of the screen below.
    fn location(&self, _cx: &DrawCx<'_>) -> Option<String> {
        None
    }
}

/// For tests and the router's accessors: the concrete screen, through
/// `Any` (every screen is one), so no screen writes these itself.
impl dyn Screen {
    pub fn as_any(&self) -> &dyn Any {
        self
    }

    pub fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A key of a list screen (audit, doctor, findings, diff), once what they
/// all answer alike is answered (`Cx::list_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKey {
    /// Typed into the filter: the screen applies it again.
    Filtered,
    /// The screen's own action.
    Action(crate::tui::keymap::Action),
    /// Nothing left to do (no action, or help, messages, quit, `/`).
    Answered,
}

/// Where a screen is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Over the panes' area, hiding the screens below.
    Panes,
    /// Centred over everything, the screens below still showing around it.
    Popup,
    /// On the bottom line (a prompt), the screens above the line showing.
    Line,
}

/// What a screen may read while it draws.
pub struct DrawCx<'a> {
    pub config: &'a Config,
    pub session: &'a Session,
    pub tick: u64,
    /// The last notice or error, as the status line shows it.
    pub status: Option<&'a StatusMessage>,
    /// Every notice and error of the session, oldest first.
    pub messages: &'a [StatusMessage],
    /// A popup is open over this screen: the keys are not its own.
    pub covered: bool,
}

/// What a screen may read and ask for while it handles a key or a report.
/// The router applies what was asked once the screen returns.
pub struct Cx<'a> {
    pub config: &'a Config,
    pub session: &'a Session,
    pub areas: Areas,
    pub status: Option<&'a StatusMessage>,
    pub messages: &'a [StatusMessage],
    next_id: &'a mut u64,
    pub(crate) effects: Vec<Effect>,
    pub(crate) asked: Vec<Ask>,
}

/// An operation a screen asks the router to run.
#[derive(Debug)]
pub struct OperationAsk {
    /// From `Cx::next_id`: its reports carry it.
    pub id: u64,
    /// What the status bar calls it ("copy to …").
    pub label: String,
    pub request: OperationRequest,
    /// Told to the stack when it succeeds (reload what it changed).
    pub then: Option<Notice>,
    /// Opened again, as typed, when it fails.
    pub reopen: Option<Box<dyn Screen>>,
}

/// What a screen asks of the router.
#[derive(Debug)]
pub enum Ask {
    /// Take this screen off the stack.
    Close,
    /// Put a screen on top.
    Open(Box<dyn Screen>),
    /// Hand a notice to the screens below this one.
    Tell(Notice),
    /// The keys of a screen reading them in this mode.
    Help(Mode),
    Messages,
    Operation(Box<OperationAsk>),
    /// Cancel the running operations, if any.
    StopOperations,
    Quit,
    Say(String),
    Complain(String),
    /// Clears the status line (a dialog shows its own problems).
    Hush,
    /// What the store now knows of its referrers API.
    Learned(ReferrersSupport),
}

impl<'a> Cx<'a> {
    pub fn new(
        config: &'a Config,
        session: &'a Session,
        areas: Areas,
        said: (Option<&'a StatusMessage>, &'a [StatusMessage]),
        next_id: &'a mut u64,
    ) -> Cx<'a> {
        Cx {
            config,
            session,
            areas,
            status: said.0,
            messages: said.1,
            next_id,
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

    pub fn say(&mut self, text: impl Into<String>) {
        self.ask(Ask::Say(text.into()));
    }

    pub fn complain(&mut self, text: impl Into<String>) {
        self.ask(Ask::Complain(text.into()));
    }

    /// A new id for an operation, an audit or a files view: reports
    /// carrying an id no longer shown are dropped.
    pub fn next_id(&mut self) -> u64 {
        *self.next_id += 1;
        *self.next_id
    }

    /// What every list screen does with a key the same way: typing into
    /// its filter while it is open, then, read in `mode`, help (for
    /// `mode`), messages, quit and opening the filter. The rest is the
    /// screen's.
    pub fn list_key(
        &mut self,
        key: KeyEvent,
        mode: Mode,
        (filter, filtering): (&mut String, &mut bool),
    ) -> ListKey {
        use crate::tui::keymap::Action;
        let keymap = &self.config.keymap;
        if *filtering {
            filter_key(filter, filtering, key, keymap);
            return ListKey::Filtered;
        }
        match keymap.action_on(mode, &key) {
            Some(Action::Filter) => *filtering = true,
            Some(Action::Help) => self.ask(Ask::Help(mode)),
            Some(Action::Messages) => self.ask(Ask::Messages),
            Some(Action::Quit) => self.ask(Ask::Quit),
            Some(action) => return ListKey::Action(action),
            None => {}
        }
        ListKey::Answered
    }

    /// Rows a page key moves in a view over the panes.
    pub fn page(&self) -> usize {
        usize::from(self.areas.tree.height.saturating_sub(4)).max(1)
    }

    /// What drawing reads, for a screen working out how its text lays
    /// out (how far a popup scrolls).
    pub fn look(&self) -> DrawCx<'_> {
        DrawCx {
            config: self.config,
            session: self.session,
            tick: 0,
            status: self.status,
            messages: self.messages,
            covered: false,
        }
    }
}
