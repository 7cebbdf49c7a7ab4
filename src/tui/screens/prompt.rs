//! The prompts of the bottom line, each a screen on top of the one it
//! was opened on: `/` filters a list as you type, `/` in the detail pane
//! searches an SBOM's components, `g` goes to a reference. What is typed
//! is told to the screens below as it changes (`Notice::Typed`); `g`
//! reads its reference here and refuses what is not one, keeping what
//! was typed to fix it.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::text::Line;

use crate::oci::reference::is_registry_name;
use crate::text::escape_control;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Effect, Notice};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, Screen};
use crate::tui::typing::{asks_for_help, complete_registry, edit_text, names_a_registry};
use crate::tui::view::input_line;

/// What a prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Filters the list holding the selection as the user types.
    Filter,
    /// Narrows the SBOM component list of the detail pane.
    Search,
    /// Goes to a reference, here or in another registry or layout.
    GoTo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// Where `g` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Destination {
    /// Another registry or layout, spelled as on the command line.
    Elsewhere(String),
    /// A repository of this store, and a tag or digest in it.
    Here {
        repository: String,
        reference: Option<String>,
    },
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            text: text.to_owned(),
        }
    }

    pub fn prompt(&self) -> &'static str {
        match self.kind {
            PromptKind::Filter => "filter: ",
            PromptKind::GoTo => "go to (repo:tag, repo@digest, registry[/repo…], oci:DIR): ",
            PromptKind::Search => "search components: ",
        }
    }

    /// Enter: `g` goes (or says why not and stays); the others keep what
    /// is typed.
    fn confirm(&mut self, cx: &mut Cx<'_>) {
        if self.kind != PromptKind::GoTo {
            cx.ask(Ask::Close);
            return;
        }
        match go_to_destination(&self.text, &cx.session.registry) {
            Ok(None) => cx.ask(Ask::Close),
            Ok(Some(Destination::Elsewhere(target))) => {
                cx.ask(Ask::Close);
                cx.say(format!("opening {}…", escape_control(&target)));
                cx.effect(Effect::Browse { target });
            }
            Ok(Some(Destination::Here {
                repository,
                reference,
            })) => {
                cx.ask(Ask::Close);
                cx.ask(Ask::Tell(Notice::GoTo {
                    repository,
                    reference,
                }));
            }
            // The prompt stays with what was typed, to fix it.
            Err(problem) => cx.complain(problem),
        }
    }
}

impl Screen for Prompt {
    fn mode(&self) -> Mode {
        Mode::Dialog
    }

    fn layer(&self) -> Layer {
        Layer::Line
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let keymap = &cx.config.keymap;
        let action = keymap.action_in(Mode::Dialog, &key);
        let help = asks_for_help(&key, keymap);
        let before = self.text.clone();
        match action {
            Some(Action::Cancel) => {
                self.text.clear();
                cx.ask(Ask::Close);
            }
            Some(Action::Confirm) => self.confirm(cx),
            Some(Action::Complete) if self.kind == PromptKind::GoTo => {
                complete_registry(&mut self.text, &cx.config.registries);
            }
            _ if help => cx.ask(Ask::Help(Mode::Dialog)),
            _ => {
                edit_text(&mut self.text, key, action);
            }
        }
        if self.text != before && self.kind != PromptKind::GoTo {
            cx.ask(Ask::Tell(Notice::Typed {
                prompt: self.kind,
                text: self.text.clone(),
            }));
        }
    }

    /// The bottom line is all of it: its footer.
    fn draw(&self, _areas: &Areas, _buf: &mut Buffer, _cx: &DrawCx<'_>) {}

    fn footer(&self, cx: &DrawCx<'_>) -> Option<Line<'static>> {
        let keymap = &cx.config.keymap;
        let saved = &cx.config.registries;
        let (confirm, cancel) = (keymap.hint(Action::Confirm), keymap.hint(Action::Cancel));
        let hint = if self.kind == PromptKind::GoTo && !saved.is_empty() {
            let saved: Vec<String> = saved
                .iter()
                .map(|r| escape_control(r).into_owned())
                .collect();
            format!(
                "{}: {} · {confirm} goes · {cancel} cancels",
                keymap.hint(Action::Complete),
                saved.join(" ")
            )
        } else if self.kind == PromptKind::GoTo {
            format!("{confirm} goes · {cancel} cancels")
        } else {
            format!("{confirm} keeps · {cancel} clears")
        };
        Some(input_line(cx.config, self.prompt(), &self.text, &hint))
    }
}

/// `repo:tag`, `repo@digest` or `registry/repo…` with this registry, or
/// another registry or layout; what is not a reference is refused before
/// anything is opened. `None`: nothing typed.
fn go_to_destination(text: &str, registry: &str) -> Result<Option<Destination>, String> {
    let text = text.trim();
    let text = text.strip_prefix(&format!("{registry}/")).unwrap_or(text);
    if text.is_empty() {
        return Ok(None);
    }
    let refuse =
        |e: &dyn std::fmt::Display| format!("go to {:?}: {e}", crate::text::escape_control(text));
    if names_a_registry(text) || is_registry_name(text) || text.starts_with("oci:") {
        crate::target::Spec::parse(text.trim_end_matches('/')).map_err(|e| refuse(&e))?;
        return Ok(Some(Destination::Elsewhere(text.to_owned())));
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
    Ok(Some(Destination::Here {
        repository: repository.to_owned(),
        reference: reference.filter(|r| !r.is_empty()).map(str::to_owned),
    }))
}
