//! Keys to actions: popups and input lines take keys first (in the key
//! map's dialog mode), and the key map turns the rest into `Action`s.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Focus, InputLine, Popup};
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::Effect;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Ctrl-C quits whatever is open and however `quit` is bound: the
        // way out a terminal user tries first must never be lost.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.should_quit = true;
            return Vec::new();
        }
        if self.popup.is_some() {
            return self.on_popup_key(key);
        }
        if self.input.is_some() {
            return self.on_input_key(key);
        }
        if self.top_screen().is_some() {
            return self.screen_key(key);
        }
        match self.config.keymap.action_for(&key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    /// `?` on a screen: its keys first (read in `screen`'s modes), then
    /// the ones that work everywhere.
    pub(super) fn open_help(&mut self, screen: Mode) {
        // A dialog stays under its help, as typed.
        if let Some(open) = self.popup.take() {
            self.beneath.push(open);
        }
        self.popup = Some(Popup::Help(screen));
        self.popup_scroll = 0;
    }

    /// Every notice and error of the session, opened at the newest.
    pub(super) fn open_messages(&mut self) {
        self.popup = Some(Popup::Messages);
        self.popup_scroll = u16::MAX;
        let limit = (self.measure.popup_scroll_limit)(self, self.areas.screen);
        self.popup_scroll = limit;
    }

    pub fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.should_quit = true;
                Vec::new()
            }
            Action::Help => {
                self.open_help(Mode::Browse);
                Vec::new()
            }
            Action::Messages => {
                self.open_messages();
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
                self.begin_filter();
                Vec::new()
            }
            Action::GoTo => {
                self.input = Some(InputLine::go_to());
                Vec::new()
            }
            Action::Refresh => self.refresh_selected(),
            Action::Audit => self.start_audit(),
            Action::Files => self.open_image_files(),
            Action::Doctor => self.open_doctor(),
            Action::MarkDiff => {
                match crate::tui::screens::diff::mark::toggle_mark(
                    &mut self.tree,
                    &self.config.keymap,
                ) {
                    Ok(said) => self.say(said),
                    Err(why) => self.complain(why),
                }
                Vec::new()
            }
            Action::DiffWithMark => {
                let (id, page) = (
                    self.next_id(),
                    usize::from(self.areas.tree.height.saturating_sub(4)).max(1),
                );
                match crate::tui::screens::diff::mark::open_diff(
                    &self.tree,
                    &self.config.keymap,
                    id,
                    page,
                ) {
                    Ok((screen, effect)) => {
                        self.push_screen(Box::new(screen));
                        vec![effect]
                    }
                    Err(why) => {
                        self.complain(why);
                        Vec::new()
                    }
                }
            }
            Action::ExpandAll => self.expand_all_selected(),
            Action::ToggleDigestTags => {
                let shown = self.tree.toggle_digest_tags();
                self.say(if shown {
                    "showing sha256-* fallback tags"
                } else {
                    "hiding sha256-* fallback tags (they show under their subject)"
                });
                self.keep_selection_visible();
                Vec::new()
            }
            Action::Stop if !self.operations.is_empty() => {
                self.say("cancelling…");
                vec![Effect::CancelOperations]
            }
            // Other screens' keys are read there; nothing runs to stop.
            Action::Stop
            | Action::Sort
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
                self.say(if as_listed {
                    "lists in the registry's order"
                } else {
                    "tags and repositories in version order"
                });
                self.keep_selection_visible();
                Vec::new()
            }
            Action::CopyDigest => self.copy_selected(false),
            Action::CopyReference => self.copy_selected(true),
            Action::Pull | Action::PullSbom | Action::Attach | Action::Copy | Action::Delete => {
                self.operation_key(action)
            }
            Action::Up
            | Action::Down
            | Action::Collapse
            | Action::Expand
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
            | Action::Open => self.navigate(action),
        }
    }
}
