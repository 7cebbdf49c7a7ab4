//! Popups are state: the help popup and the dialogs of the operations
//! (delete, attach, copy), each reading its keys here.

use crossterm::event::KeyEvent;

use super::App;
use super::input::edit_text;
pub use super::input::{InputLine, InputPurpose};
use crate::oci::media_type as mt;
use crate::ops::DeletePlan;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::Effect;

/// Artifact types offered when attaching, completed by prefix with Tab.
pub const ARTIFACT_TYPE_SUGGESTIONS: &[&str] = &[
    mt::CYCLONEDX_JSON,
    mt::SPDX_JSON,
    mt::IN_TOTO,
    mt::NOTARY_SIGNATURE,
    mt::SIGSTORE_BUNDLE,
    "sbom/example",
    "signature/example",
    "readme/example",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Shows exactly what goes (the engine's plan) before anything is
    /// deleted; `plan` is `None` while it is being worked out.
    Delete {
        repository: String,
        reference: String,
        goes: Vec<String>,
        plan: Option<Box<DeletePlan>>,
    },
    Attach {
        repository: String,
        subject: String,
        /// path, artifact type, annotations (`key=value,…`)
        fields: [String; 3],
        field: usize,
        /// What Tab found for the path, when more than one thing matches.
        completions: Vec<String>,
    },
    Copy {
        repository: String,
        reference: String,
        /// The tag the copy takes when the destination names none (as
        /// `oras cp` does).
        source_tag: Option<String>,
        /// `repo[:tag]` here, `registry/repo[:tag]`, or `oci:DIR[:tag]`.
        destination: String,
    },
    /// A pull found a different file at `path`; y runs it again, replacing.
    Replace { path: std::path::PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// The keys of the screen it was opened on (read in that mode), then
    /// the global ones.
    Help(Mode),
    /// Every notice and error of the session, newest last.
    Messages,
    Dialog(Dialog),
}

impl App {
    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(popup) = self.popup.take() else {
            return Vec::new();
        };
        let keymap = &self.config.keymap;
        let effects = match popup {
            Popup::Help(_) | Popup::Messages => {
                // Closing, or the key that opened it, closes it; moving
                // keys scroll it.
                let action = keymap.action_on(Mode::View, &key);
                let opener = if popup == Popup::Messages {
                    Action::Messages
                } else {
                    Action::Help
                };
                let closes = action.is_some_and(|a| a == opener || a == Action::Close);
                if action == Some(Action::Quit) {
                    self.should_quit = true;
                } else if closes {
                    self.popup = self.beneath.pop();
                } else {
                    self.popup = Some(popup);
                    if let Some(action) = action {
                        self.scroll_popup(action);
                    }
                }
                Vec::new()
            }
            // The questions type nothing: their lists scroll.
            Popup::Dialog(dialog @ (Dialog::Delete { .. } | Dialog::Replace { .. })) => {
                let action = keymap.action_on(Mode::Question, &key);
                self.on_question(dialog, action)
            }
            // Help in a dialog is a key that types nothing (F1): `?` is
            // text there.
            Popup::Dialog(dialog)
                if !matches!(key.code, crossterm::event::KeyCode::Char(_))
                    && keymap.action_in(Mode::Global, &key) == Some(Action::Help) =>
            {
                self.popup = Some(Popup::Dialog(dialog));
                self.open_help(Mode::Dialog);
                Vec::new()
            }
            Popup::Dialog(dialog) => self.on_dialog_key(dialog, key),
        };
        if self.popup.is_none() {
            self.popup_scroll = 0;
        }
        effects
    }

    /// A key in the delete or replace question: yes runs it, no keeps
    /// everything and says what was kept, moving keys scroll.
    fn on_question(&mut self, dialog: Dialog, action: Option<Action>) -> Vec<Effect> {
        match action {
            Some(Action::Yes | Action::Confirm) => self.confirm_dialog(dialog),
            Some(Action::Help) => {
                self.popup = Some(Popup::Dialog(dialog));
                self.open_help(Mode::Question);
                Vec::new()
            }
            Some(Action::Messages) => {
                self.popup = Some(Popup::Dialog(dialog));
                Vec::new()
            }
            Some(Action::Quit) => {
                self.should_quit = true;
                Vec::new()
            }
            Some(Action::No | Action::Cancel) => {
                self.pending_replace = None;
                match dialog {
                    Dialog::Replace { path } => self.say(format!(
                        "kept {}: nothing was written",
                        crate::text::escape_control(&path.display().to_string())
                    )),
                    _ => self.say("kept everything: nothing was deleted"),
                }
                Vec::new()
            }
            Some(action) => {
                self.popup = Some(Popup::Dialog(dialog));
                self.scroll_popup(action);
                Vec::new()
            }
            None => {
                self.popup = Some(Popup::Dialog(dialog));
                Vec::new()
            }
        }
    }

    /// Scrolls the open popup's body, within what the view says it has.
    pub(super) fn scroll_popup(&mut self, action: Action) {
        let limit = (self.measure.popup_scroll_limit)(self, self.areas.screen);
        let page = self.areas.screen.height.saturating_sub(6).max(1);
        self.popup_scroll = match action {
            Action::Up => self.popup_scroll.saturating_sub(1),
            Action::Down => self.popup_scroll.saturating_add(1),
            Action::PageUp => self.popup_scroll.saturating_sub(page),
            Action::PageDown => self.popup_scroll.saturating_add(page),
            Action::First => 0,
            Action::Last => limit,
            _ => self.popup_scroll,
        }
        .min(limit);
    }

    fn on_dialog_key(&mut self, mut dialog: Dialog, key: KeyEvent) -> Vec<Effect> {
        let action = self.config.keymap.action_in(Mode::Dialog, &key);
        if action == Some(Action::Cancel) {
            self.say("cancelled: nothing was sent");
            return Vec::new();
        }
        if action == Some(Action::Confirm) {
            return self.confirm_dialog(dialog);
        }
        let mut effects = Vec::new();
        match (&mut dialog, action) {
            (Dialog::Attach { fields, field, .. }, Some(Action::Complete)) if *field == 0 => {
                effects.push(Effect::CompletePath {
                    typed: fields[0].clone(),
                });
            }
            (Dialog::Attach { fields, field, .. }, action) => match action {
                Some(Action::Complete | Action::NextField) => *field = (*field + 1) % fields.len(),
                Some(Action::PreviousField) => *field = (*field + 2) % fields.len(),
                Some(Action::CompleteType) if *field == 1 => {
                    complete_artifact_type(&mut fields[1]);
                }
                _ => {
                    edit_text(&mut fields[*field], key, action);
                }
            },
            (Dialog::Copy { destination, .. }, action) => match action {
                Some(Action::Complete) => complete_registry(destination, &self.config.registries),
                _ => {
                    edit_text(destination, key, action);
                }
            },
            (Dialog::Delete { .. } | Dialog::Replace { .. }, _) => {}
        }
        self.popup = Some(Popup::Dialog(dialog));
        effects
    }
}

/// Whether `text` (`host[:port]/repo…`) starts with a registry, by
/// Docker's rule: a first component with a dot or a port, or `localhost`.
pub(super) fn names_a_registry(text: &str) -> bool {
    let first = text.split('/').next().unwrap_or_default();
    text.contains('/') && (first.contains(['.', ':']) || first == "localhost")
}

fn complete_artifact_type(text: &mut String) {
    if let Some(found) = ARTIFACT_TYPE_SUGGESTIONS
        .iter()
        .find(|s| s.starts_with(text.as_str()) && s.len() > text.len())
    {
        *text = (*found).to_owned();
    }
}

/// Tab in the copy dialog: the first saved registry the text starts, as
/// `registry/`; Tab again on one goes to the next.
pub(super) fn complete_registry(text: &mut String, registries: &[String]) {
    let current = registries
        .iter()
        .position(|registry| *text == format!("{registry}/"));
    let found = match current {
        Some(i) => registries.get((i + 1) % registries.len()),
        None => registries.iter().find(|r| r.starts_with(text.as_str())),
    };
    if let Some(registry) = found {
        *text = format!("{registry}/");
    }
}
