//! The one-line inputs under the panes: the filter of a list (narrowing as
//! you type), the SBOM component search, and `g` to go to a reference, in
//! this store or, spelled with a registry or `oci:`, in another one.

use crossterm::event::KeyEvent;

use super::dialogs::{complete_registry, names_a_registry};
use super::{App, Focus};
use crate::oci::reference::is_registry_name;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Effect, NodePath};
use crate::tui::tree::NodeKind;
pub(super) use crate::tui::typing::edit_text;

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
        let selected = self.tree.selected().clone();
        let is_open_listing = self.tree.is_open(&selected)
            && matches!(
                self.tree.node(&selected).map(|n| &n.kind),
                Some(NodeKind::Registry | NodeKind::Repository { .. })
            );
        let parent = if is_open_listing || selected.len() == 1 {
            selected
        } else {
            selected[..selected.len() - 1].to_vec()
        };
        let text = self.tree.filter(&parent).unwrap_or_default().to_owned();
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
        let action = self.config.keymap.action_in(Mode::Dialog, &key);
        match action {
            Some(Action::Cancel) => cancelled = true,
            Some(Action::Confirm) => done = true,
            Some(Action::Complete) if input.purpose == InputPurpose::GoTo => {
                complete_registry(&mut input.text, &self.config.registries);
            }
            _ => {
                edit_text(&mut input.text, key, action);
            }
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
            InputPurpose::GoTo if done => match self.go_to_text(&input.text) {
                Ok(go) => effects.extend(go),
                Err(problem) => {
                    // The prompt stays with what was typed, to fix it.
                    self.complain(problem);
                    done = false;
                }
            },
            InputPurpose::GoTo => {}
        }
        if !done && !cancelled {
            self.input = Some(input);
        }
        effects
    }

    fn apply_filter(&mut self, parent: NodePath, text: String) {
        self.tree.set_filter(&parent, text);
        // Typing narrows the list: the cursor goes to its first match.
        let first = self
            .tree
            .visible_children(&parent)
            .0
            .first()
            .map(|id| (*id).clone());
        if let Some(id) = first {
            let selected = self.tree.selected();
            let selected_visible = selected.len() == parent.len() + 1
                && selected.starts_with(&parent)
                && self.rows().iter().any(|r| r.path == *selected);
            if !selected_visible {
                let mut path = parent.clone();
                path.push(id);
                self.tree.select(path);
            }
        } else {
            self.tree.select(parent);
        }
        let selected = self.tree.selected();
        let list = selected[..selected.len().max(1) - 1].to_vec();
        self.tree.open(&list);
        self.keep_selection_visible();
    }

    /// `repo:tag`, `repo@digest` or `registry/repo…` with this registry;
    /// what is not a reference is refused before anything is opened.
    fn go_to_text(&mut self, text: &str) -> Result<Vec<Effect>, String> {
        let text = text.trim();
        let text = text
            .strip_prefix(&format!("{}/", self.session.registry))
            .unwrap_or(text);
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let refuse = |e: &dyn std::fmt::Display| {
            format!("go to {:?}: {e}", crate::text::escape_control(text))
        };
        if names_a_registry(text) || is_registry_name(text) || text.starts_with("oci:") {
            crate::target::Spec::parse(text.trim_end_matches('/')).map_err(|e| refuse(&e))?;
            self.say(format!("opening {text}…"));
            return Ok(vec![Effect::Browse {
                target: text.to_owned(),
            }]);
        }
        let (repository, reference) = match text.split_once('@') {
            Some((repository, digest)) => {
                digest
                    .parse::<crate::oci::Digest>()
                    .map_err(|e| refuse(&e))?;
                (repository, Some(digest))
            }
            None => {
                let last_slash = text.rfind('/').map_or(0, |i| i + 1);
                match text[last_slash..].rfind(':') {
                    Some(i) => {
                        let tag = &text[last_slash + i + 1..];
                        crate::oci::reference::validate_tag(tag).map_err(|e| refuse(&e))?;
                        (&text[..last_slash + i], Some(tag))
                    }
                    None => (text, None),
                }
            }
        };
        crate::oci::reference::validate_repository(repository).map_err(|e| refuse(&e))?;
        Ok(match reference {
            Some(reference) if !reference.is_empty() => self.go_to(repository, reference),
            _ => self.start_repository(repository),
        })
    }
}
