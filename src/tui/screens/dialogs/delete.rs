//! The delete question: it opens at once, says "working out what goes"
//! while the engine plans (from the graph the tree holds when it holds
//! all of it), then shows exactly what the plan removes, as a tree
//! (`ops::delete::plan_lines`), and why the engine refuses it when it
//! would leave an index pointing at nothing. Yes deletes, no keeps
//! everything; its list scrolls. On a tag row it deletes the tag alone,
//! as `regscope rm REPO:TAG` does, unless the user turns it (a key from
//! the key map) into the manifest's delete, which is only then planned.

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;

use super::delete_text::delete_text;
use super::{Answer, answer, wheel};
use crate::ops::DeletePlan;
use crate::ops::delete::plan_lines;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Msg, Notice, OperationRequest};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, OperationAsk, Screen};
use crate::tui::view::popup::PopupText;

#[derive(Debug, Clone)]
pub struct DeleteDialog {
    /// The operation working out the manifest's plan: its answer carries
    /// it. `None` on a tag row until the manifest's delete is asked for.
    pub id: Option<u64>,
    pub repository: String,
    /// The manifest's digest.
    pub reference: String,
    /// The manifest's plan drawn as a tree, once it is known.
    pub goes: Vec<String>,
    /// The manifest's plan; `None` while it is being worked out.
    pub plan: Option<Box<DeletePlan>>,
    /// On a tag row: the tag's delete, the default, and its lines.
    pub tag_plan: Option<(Box<DeletePlan>, Vec<String>)>,
    /// The manifest's plan is the one in view (always without a tag).
    pub whole: bool,
    /// How many rows the list is scrolled.
    pub scroll: u16,
    /// The request for the manifest's plan, until it is asked for.
    pending: Option<OperationRequest>,
    /// Told to the stack once deleted (the list that showed it).
    then: Option<Notice>,
}

impl DeleteDialog {
    /// The manifest's delete; `id` is the operation planning it.
    pub fn new(
        id: u64,
        repository: String,
        reference: String,
        then: Option<Notice>,
    ) -> DeleteDialog {
        DeleteDialog {
            id: Some(id),
            repository,
            reference,
            goes: Vec::new(),
            plan: None,
            tag_plan: None,
            whole: true,
            scroll: 0,
            pending: None,
            then,
        }
    }

    /// On a tag row: the tag's delete (`tag_plan`), and the manifest's,
    /// planned by `manifest_request` once the user turns to it.
    pub fn for_tag(
        tag_plan: DeletePlan,
        reference: String,
        manifest_request: OperationRequest,
        then: Option<Notice>,
    ) -> DeleteDialog {
        let goes = plan_lines(&tag_plan);
        DeleteDialog {
            id: None,
            repository: tag_plan.repository.clone(),
            reference,
            goes: Vec::new(),
            plan: None,
            tag_plan: Some((Box::new(tag_plan), goes)),
            whole: false,
            scroll: 0,
            pending: Some(manifest_request),
            then,
        }
    }

    /// The tag when the dialog was opened on a tag row.
    pub fn tag(&self) -> Option<&str> {
        let (plan, _) = self.tag_plan.as_ref()?;
        plan.tag_only.as_ref().map(|only| only.tag.as_str())
    }

    /// The plan in view and its lines, once known.
    pub fn shown(&self) -> Option<(&DeletePlan, &[String])> {
        match (&self.tag_plan, self.whole) {
            (Some((plan, goes)), false) => Some((plan.as_ref(), goes.as_slice())),
            _ => self
                .plan
                .as_deref()
                .map(|plan| (plan, self.goes.as_slice())),
        }
    }

    fn text(&self, cx: &DrawCx<'_>) -> PopupText {
        delete_text(cx, self)
    }

    /// The tag alone, or the manifest: the manifest is planned the first
    /// time it is asked for.
    fn switch_scope(&mut self, cx: &mut Cx<'_>) {
        if self.tag_plan.is_none() {
            cx.say("a digest has no tag to delete alone: this deletes the manifest");
            return;
        }
        self.whole = !self.whole;
        self.scroll = 0;
        if let Some(request) = self.whole.then(|| self.pending.take()).flatten() {
            let id = cx.next_id();
            self.id = Some(id);
            cx.ask(ask_for_plan(id, request));
        }
    }

    fn carry_out(&self, cx: &mut Cx<'_>) {
        match self.shown() {
            None => cx.say("still working out what goes…"),
            Some((plan, _)) if plan.refusal().is_some() => {
                // The engine would refuse too; say why and keep the plan up.
                let refusal = plan.refusal().unwrap_or_default();
                cx.complain(format!("{refusal}; `regscope rm --break-index` does it"));
            }
            Some((plan, _)) => {
                let id = cx.next_id();
                cx.ask(Ask::Close);
                cx.ask(Ask::Operation(Box::new(OperationAsk {
                    id,
                    label: "delete".to_owned(),
                    request: OperationRequest::Delete {
                        plan: Box::new(plan.clone()),
                    },
                    then: self.then.clone(),
                    reopen: None,
                })));
            }
        }
    }
}

/// Asks the runner to work out what deleting a manifest removes; the plan
/// comes back to the delete dialog opened with `id`.
pub fn ask_for_plan(id: u64, request: OperationRequest) -> Ask {
    Ask::Operation(Box::new(OperationAsk {
        id,
        label: "working out what a delete removes".to_owned(),
        request,
        then: None,
        reopen: None,
    }))
}

impl Screen for DeleteDialog {
    fn mode(&self) -> Mode {
        Mode::Question
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        if cx.config.keymap.action_on(Mode::Question, &key) == Some(Action::DeleteScope) {
            self.switch_scope(cx);
            return;
        }
        let mut scroll = self.scroll;
        let answered = answer(&key, &mut scroll, |cx| self.text(cx), cx);
        self.scroll = scroll;
        match answered {
            Some(Answer::Yes) => self.carry_out(cx),
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
            Msg::Notice(Notice::DeletePlanned { id, plan }) if Some(id) == self.id => {
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
