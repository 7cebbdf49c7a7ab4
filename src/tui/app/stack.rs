//! The screens over the graph's panes, as a stack: keys go to the top one,
//! reports down from the top until the screen they are for takes them,
//! and what a screen asks (close, go to a row of the graph, help) is done
//! here, the one place that knows both the graph and the screens.

use std::any::Any;

use crossterm::event::KeyEvent;

use super::App;
use crate::tui::message::{Effect, Msg};
use crate::tui::screen::{Ask, Cx, Screen};
use crate::tui::screens::audit::AuditTable;
use crate::tui::screens::files::FilesView;

impl App {
    /// Opens a screen over the panes (and over any open before it).
    pub fn push_screen(&mut self, screen: Box<dyn Screen>) {
        self.screens.push(screen);
    }

    /// The screen on top, if any.
    pub fn top_screen(&self) -> Option<&dyn Screen> {
        self.screens.last().map(AsRef::as_ref)
    }

    /// The topmost open screen of type `T`.
    pub fn screen<T: Any>(&self) -> Option<&T> {
        self.screens
            .iter()
            .rev()
            .find_map(|s| s.as_any().downcast_ref::<T>())
    }

    /// The audit table, when open.
    pub fn audit(&self) -> Option<&AuditTable> {
        self.screen()
    }

    /// The files view, when open.
    pub fn files(&self) -> Option<&FilesView> {
        self.screen()
    }

    /// A key for the top screen.
    pub(super) fn screen_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(index) = self.screens.len().checked_sub(1) else {
            return Vec::new();
        };
        let mut cx = Cx::new(&self.config, &self.session, self.areas);
        self.screens[index].on_key(key, &mut cx);
        let (effects, asked) = (cx.effects, cx.asked);
        self.apply(index, effects, asked)
    }

    /// A report, handed down from the top screen until one takes it.
    pub(super) fn route(&mut self, msg: Msg) -> Vec<Effect> {
        let mut msg = Some(msg);
        for index in (0..self.screens.len()).rev() {
            let Some(report) = msg.take() else {
                break;
            };
            let mut cx = Cx::new(&self.config, &self.session, self.areas);
            msg = self.screens[index].on_msg(report, &mut cx);
            let (effects, asked) = (cx.effects, cx.asked);
            if !effects.is_empty() || !asked.is_empty() {
                return self.apply(index, effects, asked);
            }
        }
        // A report for a screen closed meanwhile is dropped.
        Vec::new()
    }

    /// Does what the screen at `index` asked.
    fn apply(&mut self, index: usize, mut effects: Vec<Effect>, asked: Vec<Ask>) -> Vec<Effect> {
        for ask in asked {
            match ask {
                Ask::Close => {
                    if index < self.screens.len() {
                        self.screens.remove(index);
                    }
                }
                Ask::GoTo {
                    repository,
                    reference,
                } => effects.extend(self.go_to(&repository, &reference)),
                Ask::Help(mode) => self.open_help(mode),
                Ask::Messages => self.open_messages(),
                Ask::Quit => self.should_quit = true,
                Ask::Say(text) => self.say(text),
                Ask::Complain(text) => self.complain(text),
            }
        }
        effects
    }
}
