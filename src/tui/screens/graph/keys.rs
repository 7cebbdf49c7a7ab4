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
            Action::Quit => {
                cx.ask(Ask::Quit);
                Vec::new()
            }
            Action::Help => {
                cx.ask(Ask::Help(Mode::Browse));
                Vec::new()
            }
            Action::Messages => {
                cx.ask(Ask::Messages);
                Vec::new()
            }
            Action::SwitchPane => {
                self.focus = match self.focus {
                    Focus::Tree => Focus::Detail,
                    Focus::Detail => Focus::Tree,
                };
                Vec::new()
            }
            Action::Filter => {
                self.begin_filter(cx);
                Vec::new()
            }
            Action::GoTo => {
                cx.ask(Ask::Open(Box::new(Prompt::new(PromptKind::GoTo, ""))));
                Vec::new()
            }
            Action::Refresh => self.refresh_selected(),
            Action::Audit => self.start_audit(cx),
            Action::Files => self.open_image_files(cx),
            Action::Doctor => self.open_doctor(cx),
            Action::MarkDiff => {
                let store = &cx.session.store_name;
                match super::diff_mark::toggle_mark(&mut self.tree, &cx.config.keymap, store) {
                    Ok(said) => cx.say(said),
                    Err(why) => cx.complain(why),
                }
                Vec::new()
            }
            Action::DiffWithMark => {
                let (id, page) = (cx.next_id(), cx.page());
                let (keymap, store) = (&cx.config.keymap, &cx.session.store_name);
                match super::diff_mark::open_diff(&self.tree, keymap, (id, page), store) {
                    Ok((screen, effect)) => {
                        cx.ask(Ask::Open(Box::new(screen)));
                        vec![effect]
                    }
                    Err(why) => {
                        cx.complain(why);
                        Vec::new()
                    }
                }
            }
            Action::ExpandAll => self.expand_all_selected(cx),
            Action::ToggleDigestTags => {
                let shown = self.tree.toggle_digest_tags();
                cx.say(if shown {
                    "showing sha256-* fallback tags"
                } else {
                    "hiding sha256-* fallback tags (they show under their subject)"
                });
                self.keep_selection_visible();
                Vec::new()
            }
            Action::Stop => {
                cx.ask(Ask::StopOperations);
                Vec::new()
            }
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
            Action::ToggleOrder => {
                let as_listed = self.tree.toggle_order();
                cx.say(if as_listed {
                    "lists in the registry's order"
                } else {
                    "tags and repositories in version order"
                });
                self.keep_selection_visible();
                Vec::new()
            }
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
        }
    }
}
