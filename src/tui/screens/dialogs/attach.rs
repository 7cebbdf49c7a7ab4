//! The attach dialog: a file (or directory), an artifact type and
//! annotations, typed in three fields. Enter reads them, then has the
//! runner check that the file is there and can be read (`Effect::
//! CheckFile`): the dialog closes only when it is, and keeps everything
//! typed when it is not, or when the attach itself fails.

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;

use super::completion::common_prefix;
use super::lines::attach_text;
use crate::oci::media_type as mt;
use crate::ops::{AttachFile, AttachOptions};
use crate::text::{escape_control, expand_home};
use crate::tui::keymap::{Action, Mode};
use crate::tui::message::{Effect, Msg, Notice, OperationRequest};
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, OperationAsk, Screen};
use crate::tui::typing::{asks_for_help, edit_text};

/// Artifact types offered when attaching, completed by prefix.
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

#[derive(Debug, Clone)]
pub struct AttachDialog {
    pub repository: String,
    pub subject: String,
    /// path, artifact type, annotations (`key=value,…`)
    pub fields: [String; 3],
    pub field: usize,
    /// What Tab found for the path, when more than one thing matches.
    pub completions: Vec<String>,
    /// What Enter read, while the runner checks its file.
    pub checking: Option<AttachOptions>,
    /// Told to the stack once it attached (the subject's referrers).
    then: Option<Notice>,
}

impl AttachDialog {
    pub fn new(repository: String, subject: String, then: Option<Notice>) -> AttachDialog {
        AttachDialog {
            repository,
            subject,
            fields: [String::new(), String::new(), String::new()],
            field: 0,
            completions: Vec::new(),
            checking: None,
            then,
        }
    }

    /// Enter: reads the fields and has the file checked; what is wrong
    /// is said, and everything typed stays.
    fn confirm(&mut self, cx: &mut Cx<'_>) {
        match attach_options(&self.fields) {
            Ok(options) => {
                let path = options.files[0].path.clone();
                self.checking = Some(options);
                cx.effect(Effect::CheckFile { path });
            }
            Err((field, problem)) => {
                self.field = field;
                cx.complain(problem);
            }
        }
    }

    /// The runner's answer about the file Enter named.
    fn checked(&mut self, path: &std::path::Path, result: Result<(), String>, cx: &mut Cx<'_>) {
        let Some(options) = self.checking.take_if(|o| o.files[0].path.as_path() == path) else {
            return;
        };
        if let Err(problem) = result {
            self.field = 0;
            cx.complain(format!(
                "attach: {}: {problem}",
                escape_control(&path.display().to_string())
            ));
            return;
        }
        let reopen = AttachDialog {
            field: 0,
            completions: Vec::new(),
            ..self.clone()
        };
        let request = OperationRequest::Attach {
            repository: self.repository.clone(),
            reference: self.subject.clone(),
            options,
        };
        cx.ask(Ask::Close);
        let id = cx.next_id();
        cx.ask(Ask::Operation(Box::new(OperationAsk {
            id,
            label: "attach".to_owned(),
            request,
            then: self.then.clone(),
            reopen: Some(Box::new(reopen)),
        })));
    }

    /// Tab's answer for the path field: what all completions share, and
    /// the completions when there are several.
    fn completed(&mut self, typed: &str, completions: Vec<String>) {
        if self.fields[0] != typed {
            return;
        }
        if let Some(prefix) = common_prefix(&completions) {
            self.fields[0] = prefix;
        }
        self.completions = if completions.len() > 1 {
            completions
        } else {
            Vec::new()
        };
    }
}

impl Screen for AttachDialog {
    fn mode(&self) -> Mode {
        Mode::Dialog
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let action = cx.config.keymap.action_in(Mode::Dialog, &key);
        let fields = self.fields.len();
        match action {
            Some(Action::Cancel) => {
                cx.say("cancelled: nothing was sent");
                cx.ask(Ask::Close);
            }
            Some(Action::Confirm) => self.confirm(cx),
            Some(Action::Complete) if self.field == 0 => cx.effect(Effect::CompletePath {
                typed: self.fields[0].clone(),
            }),
            Some(Action::Complete | Action::NextField) => self.field = (self.field + 1) % fields,
            Some(Action::PreviousField) => self.field = (self.field + fields - 1) % fields,
            Some(Action::CompleteType) if self.field == 1 => {
                complete_artifact_type(&mut self.fields[1]);
            }
            _ if asks_for_help(&key, &cx.config.keymap) => cx.ask(Ask::Help(Mode::Dialog)),
            _ => {
                if edit_text(&mut self.fields[self.field], key, action) {
                    // What Enter read no longer is what is typed.
                    self.checking = None;
                }
            }
        }
    }

    fn on_msg(&mut self, msg: Msg, cx: &mut Cx<'_>) -> Option<Msg> {
        match msg {
            Msg::PathCompleted { typed, completions } => self.completed(&typed, completions),
            Msg::FileChecked { path, result } => self.checked(&path, result, cx),
            other => return Some(other),
        }
        None
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        attach_text(
            cx,
            &self.subject,
            &self.fields,
            self.field,
            &self.completions,
        )
        .render(0, cx.config.theme.accent, areas.screen, buf);
    }
}

fn complete_artifact_type(text: &mut String) {
    if let Some(found) = ARTIFACT_TYPE_SUGGESTIONS
        .iter()
        .find(|s| s.starts_with(text.as_str()) && s.len() > text.len())
    {
        *text = (*found).to_owned();
    }
}

/// Reads the attach dialog's fields: a path, an artifact type, and
/// annotations as `key=value,key=value`. A refusal names the field to fix.
fn attach_options(fields: &[String; 3]) -> Result<AttachOptions, (usize, String)> {
    let [path, artifact_type, annotations] = fields;
    if path.trim().is_empty() {
        return Err((0, "attach: name a file or directory".to_owned()));
    }
    if artifact_type.trim().is_empty() {
        return Err((
            1,
            format!(
                "attach: an artifact type is required (e.g. {})",
                mt::CYCLONEDX_JSON
            ),
        ));
    }
    let mut parsed = BTreeMap::new();
    for pair in annotations
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| (2, format!("attach: annotation {pair:?} is not key=value")))?;
        parsed.insert(key.trim().to_owned(), value.trim().to_owned());
    }
    Ok(AttachOptions {
        artifact_type: artifact_type.trim().to_owned(),
        files: vec![AttachFile {
            path: expand_home(path.trim()),
            media_type: None,
        }],
        annotations: parsed,
        platform: None,
    })
}
