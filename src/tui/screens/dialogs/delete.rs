//! The delete question: it opens at once, says "working out what goes"
//! while the engine plans (from the graph the tree holds when it holds
//! all of it), then shows exactly what the plan removes, as a tree
//! (`ops::delete::plan_lines`), and why the engine refuses it when it
//! would leave an index pointing at nothing. Yes deletes, no keeps
//! everything; its list scrolls.

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;

use super::lines::delete_text;
use super::{Answer, answer, wheel};
use crate::ops::DeletePlan;
use crate::ops::delete::plan_lines;
use crate::tui::keymap::Mode;
use crate::tui::message::{Msg, Notice, OperationRequest};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, OperationAsk, Screen};
use crate::tui::view::popup::PopupText;

#[derive(Debug, Clone)]
pub struct DeleteDialog {
    /// The operation working out the plan: its answer carries it.
    pub id: u64,
    pub repository: String,
    pub reference: String,
    /// The plan drawn as a tree, once it is known.
    pub goes: Vec<String>,
    /// `None` while it is being worked out.
    pub plan: Option<Box<DeletePlan>>,
    /// How many rows the list is scrolled.
    pub scroll: u16,
    /// Told to the stack once deleted (the list that showed it).
    then: Option<Notice>,
}

impl DeleteDialog {
    pub fn new(
        id: u64,
        repository: String,
        reference: String,
        then: Option<Notice>,
    ) -> DeleteDialog {
        DeleteDialog {
            id,
            repository,
            reference,
            goes: Vec::new(),
            plan: None,
            scroll: 0,
            then,
        }
    }

    fn text(&self, cx: &DrawCx<'_>) -> PopupText {
        delete_text(
            cx,
            &self.repository,
            &self.reference,
            &self.goes,
            self.plan.as_deref(),
        )
    }
}

impl Screen for DeleteDialog {
    fn mode(&self) -> Mode {
        Mode::Question
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let mut scroll = self.scroll;
        let answered = answer(&key, &mut scroll, |cx| self.text(cx), cx);
        self.scroll = scroll;
        match answered {
            Some(Answer::Yes) => match &self.plan {
                None => cx.say("still working out what goes…"),
                Some(plan) if plan.refusal().is_some() => {
                    // The engine would refuse too; say why and keep the plan up.
                    let refusal = plan.refusal().unwrap_or_default();
                    cx.complain(format!("{refusal}; `regscope rm --break-index` does it"));
                }
                Some(plan) => {
                    let id = cx.next_id();
                    cx.ask(Ask::Close);
                    cx.ask(Ask::Operation(Box::new(OperationAsk {
                        id,
                        label: "delete".to_owned(),
                        request: OperationRequest::Delete { plan: plan.clone() },
                        then: self.then.clone(),
                        reopen: None,
                    })));
                }
            },
            Some(Answer::No) => {
                cx.say("kept everything: nothing was deleted");
                cx.ask(Ask::Close);
            }
            None => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        let mut scroll = self.scroll;
        wheel(&mouse, &mut scroll, |cx| self.text(cx), cx);
        self.scroll = scroll;
    }

    fn on_msg(&mut self, msg: Msg, _cx: &mut Cx<'_>) -> Option<Msg> {
        match msg {
            Msg::Notice(Notice::DeletePlanned { id, plan }) if id == self.id => {
                self.goes = plan_lines(&plan);
                self.plan = Some(plan);
                None
            }
            other => Some(other),
        }
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        self.text(cx)
            .render(self.scroll, cx.config.theme.accent, areas.screen, buf);
    }
}
