//! The stack of screens: keys go to the top one, reports and notices
//! down from where they start until the screen they are for takes them,
//! and what a screen asks (close, open another, tell the ones below, run
//! an operation, help) is done here, the one place that knows them all.

use std::any::Any;

use super::App;
use crate::tui::message::{Effect, Msg};
use crate::tui::screen::{Ask, Cx, Screen};
use crate::tui::screens::audit::AuditTable;
use crate::tui::screens::files::FilesView;
use crate::tui::screens::graph::Graph;
use crate::tui::screens::help::Help;
use crate::tui::screens::messages::Messages;

impl App {
    /// The screen on top (the graph when nothing covers it).
    pub fn top_screen(&self) -> Option<&dyn Screen> {
        self.stack.last().map(AsRef::as_ref)
    }

    /// The screens, bottom first.
    pub fn screens(&self) -> impl DoubleEndedIterator<Item = &dyn Screen> {
        self.stack.iter().map(AsRef::as_ref)
    }

    /// The topmost open screen of type `T`.
    pub fn screen<T: Any>(&self) -> Option<&T> {
        self.stack
            .iter()
            .rev()
            .find_map(|s| s.as_any().downcast_ref::<T>())
    }

    /// The graph: the tree and the detail pane, at the bottom.
    pub fn graph(&self) -> &Graph {
        self.screen()
            .unwrap_or_else(|| unreachable!("the graph is never closed"))
    }

    /// The graph, to set up a state directly (benches, tests).
    pub fn graph_mut(&mut self) -> &mut Graph {
        self.stack
            .iter_mut()
            .find_map(|s| s.as_any_mut().downcast_mut::<Graph>())
            .unwrap_or_else(|| unreachable!("the graph is never closed"))
    }

    /// The audit table, when open.
    pub fn audit(&self) -> Option<&AuditTable> {
        self.screen()
    }

    /// The files view, when open.
    pub fn files(&self) -> Option<&FilesView> {
        self.screen()
    }

    /// Runs `handle` on the top screen with a context, then does what it
    /// asked.
    pub(super) fn on_top(
        &mut self,
        handle: impl FnOnce(&mut dyn Screen, &mut Cx<'_>),
    ) -> Vec<Effect> {
        let Some(index) = self.stack.len().checked_sub(1) else {
            return Vec::new();
        };
        self.on_screen(index, |screen, cx| {
            handle(screen, cx);
        })
    }

    /// Runs `handle` on the graph, wherever it is, then does what it asked.
    pub(super) fn on_graph(
        &mut self,
        handle: impl FnOnce(&mut Graph, &mut Cx<'_>) -> Vec<Effect>,
    ) -> Vec<Effect> {
        let Some(index) = self.stack.iter().position(|s| s.as_any().is::<Graph>()) else {
            return Vec::new();
        };
        self.on_screen(index, |screen, cx| {
            if let Some(graph) = screen.as_any_mut().downcast_mut::<Graph>() {
                let effects = handle(graph, cx);
                cx.effects.extend(effects);
            }
        })
    }

    fn on_screen(
        &mut self,
        index: usize,
        handle: impl FnOnce(&mut dyn Screen, &mut Cx<'_>),
    ) -> Vec<Effect> {
        let said = (self.status.as_ref(), self.messages.as_slice());
        let mut cx = Cx::new(
            &self.config,
            &self.session,
            self.areas,
            said,
            &mut self.next_id,
        );
        handle(self.stack[index].as_mut(), &mut cx);
        let (effects, asked) = (cx.effects, cx.asked);
        self.apply(index, effects, asked)
    }

    /// A report or notice, handed down from the screen under `above`
    /// until one takes it.
    pub(super) fn route(&mut self, above: usize, msg: Msg) -> Vec<Effect> {
        let mut msg = Some(msg);
        let mut effects = Vec::new();
        for index in (0..above.min(self.stack.len())).rev() {
            let Some(report) = msg.take() else {
                break;
            };
            effects.extend(self.on_screen(index, |screen, cx| {
                msg = screen.on_msg(report, cx);
            }));
        }
        // A report for a screen closed meanwhile is dropped.
        effects
    }

    /// Does what the screen at `index` asked.
    fn apply(&mut self, index: usize, mut effects: Vec<Effect>, asked: Vec<Ask>) -> Vec<Effect> {
        // Whatever closes or opens, notices go to the screens under the
        // one that told them.
        let mut below = index;
        for ask in asked {
            match ask {
                // The graph stays: it is what every other screen covers.
                Ask::Close if index > 0 && index < self.stack.len() => {
                    self.stack.remove(index);
                }
                Ask::Close => {}
                Ask::Open(screen) => self.push(screen),
                Ask::Tell(notice) => effects.extend(self.route(below, Msg::Notice(notice))),
                Ask::Help(mode) => self.push(Box::new(Help::new(mode))),
                Ask::Messages => self.open_messages(),
                Ask::Operation(operation) => effects.extend(self.start_operation(*operation)),
                Ask::StopOperations if !self.operations.is_empty() => {
                    self.say("cancelling…");
                    effects.push(Effect::CancelOperations);
                }
                Ask::StopOperations => {}
                Ask::Quit => self.should_quit = true,
                Ask::Say(text) => self.say(text),
                Ask::Complain(text) => self.complain(text),
                Ask::Hush => self.status = None,
                Ask::Learned(support) => self.session.referrers_support = support,
            }
            below = below.min(self.stack.len());
        }
        effects
    }

    /// Puts `screen` on top, in a terminal the size it is.
    pub fn push(&mut self, mut screen: Box<dyn Screen>) {
        screen.on_resize(self.areas);
        self.stack.push(screen);
    }

    /// Every notice and error of the session, opened at the newest.
    fn open_messages(&mut self) {
        let said = (self.status.as_ref(), self.messages.as_slice());
        let cx = Cx::new(
            &self.config,
            &self.session,
            self.areas,
            said,
            &mut self.next_id,
        );
        let messages = Messages::at_newest(&cx);
        self.push(Box::new(messages));
    }
}
