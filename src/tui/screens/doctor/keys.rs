//! Keys of the doctor's screen, from the key map (`Mode::Doctor` before
//! the shared list keys): move, filter, unfold a check, run again, run
//! with the checks that write (after a yes on the bottom line), close
//! (which first stops a read-only run under way).

use crossterm::event::KeyEvent;

use super::DoctorScreen;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::Effect;
use crate::tui::screen::{Ask, Cx, ListKey};

impl DoctorScreen {
    pub(super) fn on_doctor_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        if self.asking_write {
            match cx.config.keymap.action_on(Mode::Question, &key) {
                Some(Action::Yes) => {
                    self.asking_write = false;
                    let effect = self.start(true);
                    cx.effect(effect);
                }
                Some(Action::No | Action::Cancel) => self.asking_write = false,
                Some(Action::Quit) => cx.ask(Ask::Quit),
                _ => {}
            }
            return;
        }
        let filter = (&mut self.filter, &mut self.filtering);
        let action = match cx.list_key(key, Mode::Doctor, filter) {
            ListKey::Action(action) => action,
            ListKey::Filtered => return self.list.set_filter(&self.filter),
            ListKey::Answered => return,
        };
        match action {
            Action::Close if self.running && !self.write => {
                self.running = false;
                self.note = Some("cancelled".to_owned());
                cx.effect(Effect::CancelDoctor);
            }
            Action::Close => {
                if self.running {
                    cx.ask(Ask::Say(
                        "the doctor's run that writes goes on in the background, to delete what it pushed"
                            .to_owned(),
                    ));
                }
                cx.ask(Ask::Close);
            }
            Action::Unfold => {
                if let Some(index) = self.list.selected_item()
                    && !self.unfolded.remove(&index)
                {
                    self.unfolded.insert(index);
                }
            }
            Action::RunAgain | Action::RunWriting if self.running => {
                self.note = Some("a run is under way: wait for it, or stop it first".to_owned());
            }
            Action::RunAgain => {
                let effect = self.start(false);
                cx.effect(effect);
            }
            Action::RunWriting => self.asking_write = true,
            other => {
                let page = self.page;
                self.list.apply(other, page);
            }
        }
    }
}
