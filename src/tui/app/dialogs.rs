//! Text inputs and popups are state: the filter and go-to lines, the help
//! popup, and the dialogs of the operations (delete, attach, copy).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Focus};
use crate::oci::media_type as mt;
use crate::oci::reference::is_registry_name;
use crate::ops::DeletePlan;
use crate::tui::keymap::Action;
use crate::tui::message::{Effect, NodePath};
use crate::tui::model::NodeKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPurpose {
    /// Filters the children of this node as the user types.
    Filter(NodePath),
    GoTo,
    /// Narrows the SBOM component list of the detail pane.
    DetailSearch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputLine {
    pub purpose: InputPurpose,
    pub text: String,
}

impl InputLine {
    pub fn go_to() -> InputLine {
        InputLine {
            purpose: InputPurpose::GoTo,
            text: String::new(),
        }
    }

    pub fn prompt(&self) -> &'static str {
        match self.purpose {
            InputPurpose::Filter(_) => "filter: ",
            InputPurpose::GoTo => "go to (repo:tag, repo@digest, registry[/repo…], oci:DIR): ",
            InputPurpose::DetailSearch => "search components: ",
        }
    }
}

/// Artifact types offered when attaching, completed by prefix with Tab.
pub const ARTIFACT_TYPE_SUGGESTIONS: &[&str] = &[
    mt::CYCLONEDX_JSON,
    mt::SPDX_JSON,
    mt::IN_TOTO,
    mt::NOTARY_SIGNATURE,
    mt::SIGSTORE_BUNDLE,
    "application/vnd.oci.image.config.v1+json",
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
        plan: Option<DeletePlan>,
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Help,
    Dialog(Dialog),
}

impl App {
    pub(super) fn begin_filter(&mut self) {
        if self.focus == Focus::Detail {
            self.input = Some(InputLine {
                purpose: InputPurpose::DetailSearch,
                text: self.detail_search.clone(),
            });
            return;
        }
        // The list being filtered is the one holding the selection, or the
        // selection's children when it is an open listing.
        let selected = self.selected.clone();
        let is_open_listing = self.opened.contains(&selected)
            && matches!(
                self.nodes.get(&selected).map(|n| &n.kind),
                Some(NodeKind::Registry | NodeKind::Repository { .. })
            );
        let parent = if is_open_listing || selected.len() == 1 {
            selected
        } else {
            selected[..selected.len() - 1].to_vec()
        };
        let text = self.filters.get(&parent).cloned().unwrap_or_default();
        self.input = Some(InputLine {
            purpose: InputPurpose::Filter(parent),
            text,
        });
    }

    pub(super) fn on_input_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(mut input) = self.input.take() else {
            return Vec::new();
        };
        let mut done = false;
        let mut cancelled = false;
        match key.code {
            KeyCode::Esc => cancelled = true,
            KeyCode::Enter => done = true,
            KeyCode::Backspace => {
                input.text.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.clear();
            }
            KeyCode::Tab if input.purpose == InputPurpose::GoTo => {
                complete_registry(&mut input.text, &self.config.registries);
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.push(c);
            }
            _ => {}
        }
        let mut effects = Vec::new();
        match &input.purpose {
            InputPurpose::Filter(parent) => {
                let text = if cancelled {
                    String::new()
                } else {
                    input.text.clone()
                };
                self.apply_filter(parent.clone(), text);
                effects.extend(self.selection_effects());
            }
            InputPurpose::DetailSearch => {
                self.detail_search = if cancelled {
                    String::new()
                } else {
                    input.text.clone()
                };
                self.detail_scroll = 0;
            }
            InputPurpose::GoTo if done => effects.extend(self.go_to_text(&input.text)),
            InputPurpose::GoTo => {}
        }
        if !done && !cancelled {
            self.input = Some(input);
        }
        effects
    }

    fn apply_filter(&mut self, parent: NodePath, text: String) {
        if text.is_empty() {
            self.filters.remove(&parent);
        } else {
            self.filters.insert(parent.clone(), text);
        }
        // Typing narrows the list: the cursor goes to its first match.
        let first = self
            .visible_children(&parent)
            .0
            .first()
            .map(|id| (*id).clone());
        if let Some(id) = first {
            let selected_visible = self.selected.len() == parent.len() + 1
                && self.selected.starts_with(&parent)
                && self.rows().iter().any(|r| r.path == self.selected);
            if !selected_visible {
                let mut path = parent.clone();
                path.push(id);
                self.selected = path;
            }
        } else {
            self.selected = parent;
        }
        self.opened
            .insert(self.selected[..self.selected.len().max(1) - 1].to_vec());
        self.keep_selection_visible();
    }

    /// `repo:tag`, `repo@digest` or `registry/repo…` with this registry.
    fn go_to_text(&mut self, text: &str) -> Vec<Effect> {
        let text = text.trim();
        let text = text
            .strip_prefix(&format!("{}/", self.session.registry))
            .unwrap_or(text);
        if text.is_empty() {
            return Vec::new();
        }
        if names_a_registry(text) || is_registry_name(text) || text.starts_with("oci:") {
            self.say(format!("opening {text}…"));
            return vec![Effect::Browse {
                target: text.to_owned(),
            }];
        }
        let (repository, reference) = match text.split_once('@') {
            Some((repository, digest)) => (repository, Some(digest)),
            None => {
                let last_slash = text.rfind('/').map_or(0, |i| i + 1);
                match text[last_slash..].rfind(':') {
                    Some(i) => (&text[..last_slash + i], Some(&text[last_slash + i + 1..])),
                    None => (text, None),
                }
            }
        };
        match reference {
            Some(reference) if !reference.is_empty() => self.go_to(repository, reference),
            _ => self.start_repository(repository),
        }
    }

    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(popup) = self.popup.take() else {
            return Vec::new();
        };
        match popup {
            Popup::Help => {
                // Any of Esc, q or the help key closes help; others scroll nothing.
                let action = self.config.keymap.action_for(&key);
                let closes =
                    key.code == KeyCode::Esc || matches!(action, Some(Action::Help | Action::Quit));
                if !closes {
                    self.popup = Some(Popup::Help);
                }
                Vec::new()
            }
            Popup::Dialog(dialog) => self.on_dialog_key(dialog, key),
        }
    }

    fn on_dialog_key(&mut self, mut dialog: Dialog, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Esc
            || matches!(
                (&dialog, key.code),
                (Dialog::Delete { .. }, KeyCode::Char('n'))
            )
        {
            self.say("cancelled");
            return Vec::new();
        }
        let confirm = matches!(
            (&dialog, key.code),
            (_, KeyCode::Enter) | (Dialog::Delete { .. }, KeyCode::Char('y'))
        );
        if confirm {
            return self.confirm_dialog(dialog);
        }
        let mut effects = Vec::new();
        match (&mut dialog, key.code) {
            (Dialog::Attach { fields, field, .. }, KeyCode::Tab) if *field == 0 => {
                effects.push(Effect::CompletePath {
                    typed: fields[0].clone(),
                });
            }
            (Dialog::Attach { fields, field, .. }, code) => match code {
                KeyCode::Tab | KeyCode::Down => *field = (*field + 1) % fields.len(),
                KeyCode::BackTab | KeyCode::Up => *field = (*field + 2) % fields.len(),
                KeyCode::Backspace => {
                    fields[*field].pop();
                }
                KeyCode::Right if *field == 1 => complete_artifact_type(&mut fields[1]),
                KeyCode::Char(c) => fields[*field].push(c),
                _ => {}
            },
            (Dialog::Copy { destination, .. }, code) => match code {
                KeyCode::Backspace => {
                    destination.pop();
                }
                KeyCode::Tab => complete_registry(destination, &self.config.registries),
                KeyCode::Char(c) => destination.push(c),
                _ => {}
            },
            (Dialog::Delete { .. }, _) => {}
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
fn complete_registry(text: &mut String, registries: &[String]) {
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
