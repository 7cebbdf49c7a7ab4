//! A pull that would replace a different file stops before writing
//! anything (`OpError::WouldReplace`); this question then asks, and runs
//! the same pull again, allowed to replace, only on yes.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;

use super::lines::replace_text;
use super::{Answer, answer, wheel};
use crate::text::escape_control;
use crate::tui::keymap::Mode;
use crate::tui::message::OperationRequest;
use crate::tui::screen::{Areas, Ask, Cx, DrawCx, Layer, OperationAsk, Screen};

#[derive(Debug, Clone)]
pub struct ReplaceQuestion {
    /// The file that is there.
    pub path: PathBuf,
    /// The pull's label, and the pull itself, to run again.
    label: String,
    request: OperationRequest,
    scroll: u16,
}

impl ReplaceQuestion {
    pub fn new(path: PathBuf, label: String, request: OperationRequest) -> ReplaceQuestion {
        ReplaceQuestion {
            path,
            label,
            request,
            scroll: 0,
        }
    }

    /// Yes: the same pull, allowed to replace.
    fn replace(&self, cx: &mut Cx<'_>) {
        let mut request = self.request.clone();
        match &mut request {
            OperationRequest::Pull {
                replace_existing, ..
            }
            | OperationRequest::PullBlob {
                replace_existing, ..
            } => *replace_existing = true,
            _ => return,
        }
        let id = cx.next_id();
        cx.ask(Ask::Operation(Box::new(OperationAsk {
            id,
            label: self.label.clone(),
            request,
            then: None,
            reopen: None,
        })));
    }
}

impl Screen for ReplaceQuestion {
    fn mode(&self) -> Mode {
        Mode::Question
    }

    fn layer(&self) -> Layer {
        Layer::Popup
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx<'_>) {
        let path = self.path.clone();
        match answer(&key, &mut self.scroll, |cx| replace_text(cx, &path), cx) {
            Some(Answer::Yes) => {
                cx.ask(Ask::Close);
                self.replace(cx);
            }
            Some(Answer::No) => {
                cx.say(format!(
                    "kept {}: nothing was written",
                    escape_control(&self.path.display().to_string())
                ));
                cx.ask(Ask::Close);
            }
            None => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent, cx: &mut Cx<'_>) {
        let path = self.path.clone();
        wheel(&mouse, &mut self.scroll, |cx| replace_text(cx, &path), cx);
    }

    fn draw(&self, areas: &Areas, buf: &mut Buffer, cx: &DrawCx<'_>) {
        replace_text(cx, &self.path).render(self.scroll, cx.config.theme.accent, areas.screen, buf);
    }
}
