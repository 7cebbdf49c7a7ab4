//! The graph's keys, read in the key map's browse mode: each action
//! moves, loads, filters, or opens another screen or a prompt.

use super::{Focus, Graph};
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::Effect;
use crate::tui::screen::{Ask, Cx};
use crate::tui::screens::prompt::{Prompt, PromptKind};

impl Graph {
    pub fn on_action(&mut self, action: Action, cx: &mut Cx<'_>) -> Vec<Effect> {
        match action {
            Action::Quit
            | Action::Help
            | Action::Messages
            | Action::GoTo
            | Action::Stop
            | Action::Filter
            | Action::SwitchPane
            | Action::ToggleDigestTags
            | Action::ToggleOrder => {
                self.view_key(action, cx);
                Vec::new()
            }
            Action::MarkDiff | Action::DiffWithMark => self.diff_key(action, cx),
            Action::Refresh => self.refresh_selected(),
            Action::Audit => self.start_audit(cx),
            Action::Files => self.open_image_files(cx),
            Action::Doctor => self.open_doctor(cx),
            Action::ExpandAll => self.expand_all_selected(cx),
            Action::CopyDigest => self.copy_selected(false, cx),
            Action::CopyReference => self.copy_selected(true, cx),
            Action::Pull | Action::PullSbom | Action::Attach | Action::Copy | Action::Delete => {
                self.operation_key(action, cx)
            }
            Action::Up
            | Action::Down
            | Action::Collapse
            | Action::Expand
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
            | Action::Open => self.navigate(action, cx),
            // Other screens' keys are read there.
            Action::Sort
            | Action::GoToImage
            | Action::Preview
            | Action::SaveFile
            | Action::Unfold
            | Action::RunAgain
            | Action::RunWriting
            | Action::Advisory
            | Action::SortFindings
            | Action::ToggleSuppressed
            | Action::ToggleSection
            | Action::Close
            | Action::Yes
            | Action::No
            | Action::DeleteScope
            | Action::AdvisoryDown
            | Action::AdvisoryUp
            | Action::CompleteType
            | Action::Confirm
            | Action::Cancel
            | Action::NextField
            | Action::PreviousField
            | Action::Complete
            | Action::ClearLine
            | Action::DeleteWord => Vec::new(),
        }
    }

    /// Keys that change what is shown or open something over it, and
    /// start no work here.
    fn view_key(&mut self, action: Action, cx: &mut Cx<'_>) {
        match action {
            Action::Quit => cx.ask(Ask::Quit),
            Action::Help => cx.ask(Ask::Help(Mode::Browse)),
            Action::Messages => cx.ask(Ask::Messages),
            Action::GoTo => cx.ask(Ask::Open(Box::new(Prompt::new(PromptKind::GoTo, "")))),
            Action::Stop => cx.ask(Ask::StopOperations),
            Action::Filter => self.begin_filter(cx),
            Action::SwitchPane => {
                self.focus = match self.focus {
                    Focus::Tree => Focus::Detail,
                    Focus::Detail => Focus::Tree,
                };
            }
            Action::ToggleDigestTags => {
                let shown = self.tree.toggle_digest_tags();
                cx.say(if shown {
                    "showing sha256-* fallback tags"
                } else {
                    "hiding sha256-* fallback tags (they show under their subject)"
                });
                self.keep_selection_visible();
            }
            Action::ToggleOrder => {
                let as_listed = self.tree.toggle_order();
                cx.say(if as_listed {
                    "lists in the registry's order"
                } else {
                    "tags and repositories in version order"
                });
                self.keep_selection_visible();
            }
            _ => {}
        }
    }

    /// The mark key and the diff key.
    fn diff_key(&mut self, action: Action, cx: &mut Cx<'_>) -> Vec<Effect> {
        let said = if action == Action::MarkDiff {
            let store = &cx.session.store_name;
            super::diff_mark::toggle_mark(&mut self.tree, &cx.config.keymap, store)
        } else {
            let (id, page) = (cx.next_id(), cx.page());
            let (keymap, store) = (&cx.config.keymap, &cx.session.store_name);
            match super::diff_mark::open_diff(&self.tree, keymap, (id, page), store) {
                Ok((screen, effect)) => {
                    cx.ask(Ask::Open(Box::new(screen)));
                    return vec![effect];
                }
                Err(why) => Err(why),
            }
        };
        match said {
            Ok(said) => cx.say(said),
            Err(why) => cx.complain(why),
        }
        Vec::new()
    }
}
