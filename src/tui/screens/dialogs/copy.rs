//! The copy dialog: where to copy the image with its referrers, typed in
//! the CLI's spelling (`repo[:tag]` here, `registry/repo[:tag]`,
//! `oci:DIR[:tag]`). Enter reads it and starts the copy, or says what is
//! wrong and keeps what was typed; a failed copy opens it again as typed.

use std::sync::Arc;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use super::lines::copy_text;
use crate::graph::ReferrerTree;
use crate::oci::reference::is_registry_name;
use crate::target::Spec;
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{CopyDestination, Notice, OperationRequest};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, OperationAsk, Screen};
use crate::tui::typing::{asks_for_help, complete_registry, edit_text, names_a_registry};

#[derive(Debug, Clone)]
pub struct CopyDialog {
    pub repository: String,
    pub reference: String,
    /// The tag the copy takes when the destination names none (as `oras
    /// cp` does).
    pub source_tag: Option<String>,
    /// `repo[:tag]` here, `registry/repo[:tag]`, or `oci:DIR[:tag]`.
    pub destination: String,
    /// The whole graph below the image, when the tree holds all of it.
    known_graph: Option<Arc<ReferrerTree>>,
    /// Told to the stack after a copy into the browsed store (its
    /// repositories, listed again).
    reload_here: Option<Notice>,
}

impl CopyDialog {
    /// `source`: the repository, the digest and the tag it was selected
    /// by.
    pub fn new(
        (repository, reference, source_tag): (String, String, Option<String>),
        known_graph: Option<Arc<ReferrerTree>>,
        reload_here: Option<Notice>,
    ) -> CopyDialog {
        CopyDialog {
            repository,
            reference,
            source_tag,
            destination: String::new(),
            known_graph,
            reload_here,
        }
    }

    /// Enter: starts the copy, or says what is wrong (the dialog stays).
    fn confirm(&mut self, cx: &mut Cx<'_>) {
        let typed = self.destination.trim();
        let (destination, tag) = match copy_destination(typed, &cx.session.registry) {
            Ok(read) => read,
            Err(problem) => {
                cx.complain(problem);
                return;
            }
        };
        let then = match destination {
            CopyDestination::SameStore { .. } => self.reload_here.clone(),
            CopyDestination::Elsewhere(_) => None,
        };
        let request = OperationRequest::Copy {
            repository: self.repository.clone(),
            reference: self.reference.clone(),
            destination,
            tag: tag.or_else(|| self.source_tag.clone()),
            known_graph: self.known_graph.clone(),
        };
        let id = cx.next_id();
        cx.ask(Ask::Close);
        cx.ask(Ask::Operation(Box::new(OperationAsk {
            id,
            label: format!("copy to {typed}"),
            request,
            then,
            reopen: Some(Box::new(self.clone())),
        })));
    }
}

impl Screen for CopyDialog {
    fn mode(&self) -> Mode {
        Mode::Dialog
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let action = cx.config.keymap.action_in(Mode::Dialog, &key);
        match action {
            Some(Action::Cancel) => {
                cx.say("cancelled: nothing was sent");
                cx.ask(Ask::Close);
            }
            Some(Action::Confirm) => self.confirm(cx),
            Some(Action::Complete) => {
                complete_registry(&mut self.destination, &cx.config.registries);
            }
            _ if asks_for_help(&key, &cx.config.keymap) => cx.ask(Ask::Help(Mode::Dialog)),
            _ => {
                edit_text(&mut self.destination, key, action);
            }
        }
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        let text = copy_text(
            cx,
            &self.repository,
            &self.reference,
            self.source_tag.as_deref(),
            &self.destination,
        );
        text.render(0, cx.config.theme.accent, areas.screen, buf);
    }
}

/// Reads the copy dialog's destination: `oci:DIR[:TAG]` is a layout,
/// `registry/repo[:tag]` another registry (in the CLI's spelling, so
/// `regscope cp` and the TUI agree), anything else a repository of the
/// browsed store. Returns where, and the tag typed.
fn copy_destination(
    text: &str,
    registry: &str,
) -> Result<(CopyDestination, Option<String>), String> {
    let text = text.trim();
    let here = text.strip_prefix(&format!("{registry}/")).unwrap_or(text);
    if here.is_empty() {
        return Err("type where to copy: repo[:tag], registry/repo[:tag] or oci:DIR".into());
    }
    if is_registry_name(here) {
        return Err(format!("{here} is a registry: add /repository[:tag]"));
    }
    if !here.starts_with("oci:") && !names_a_registry(here) {
        if here.contains('@') {
            return Err("the copy keeps the source's digest: name a tag, not a digest".into());
        }
        let (repository, tag) = match here.rsplit_once(':') {
            Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
            _ => (here, None),
        };
        let destination = CopyDestination::SameStore {
            repository: repository.to_owned(),
        };
        return Ok((destination, tag.map(str::to_owned)));
    }
    let spec = Spec::parse(here).map_err(|e| e.to_string())?;
    if spec.target().is_some() && spec.tag().is_none() {
        return Err("the copy keeps the source's digest: name a tag, not a digest".into());
    }
    let tag = spec.tag().map(str::to_owned);
    Ok((CopyDestination::Elsewhere(spec), tag))
}
