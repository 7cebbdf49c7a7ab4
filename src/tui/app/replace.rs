//! A pull that would replace a different file stops before writing
//! anything (`OpError::WouldReplace`); the app then asks, and runs the same
//! pull again only on yes.

use super::operations::RunningOperation;
use super::{App, Dialog, Popup};
use crate::ops::OpError;
use crate::tui::failure::Failure;
use crate::tui::message::{Effect, OperationRequest};

impl App {
    /// Opens the question when `failure` is a pull refusing to replace a
    /// file; `None` for any other failure.
    pub(super) fn ask_to_replace(
        &mut self,
        operation: &RunningOperation,
        failure: &Failure,
    ) -> Option<Vec<Effect>> {
        let Failure::Operation(error) = failure else {
            return None;
        };
        let OpError::WouldReplace { path } = error.as_ref() else {
            return None;
        };
        let request = operation.pull.clone()?;
        self.status = None;
        self.pending_replace = Some((operation.label.clone(), request));
        self.popup = Some(Popup::Dialog(Dialog::Replace { path: path.clone() }));
        Some(Vec::new())
    }

    /// Yes in the question: the same pull, allowed to replace.
    pub(super) fn replace_confirmed(&mut self) -> Vec<Effect> {
        let Some((label, mut request)) = self.pending_replace.take() else {
            return Vec::new();
        };
        match &mut request {
            OperationRequest::Pull {
                replace_existing, ..
            }
            | OperationRequest::PullBlob {
                replace_existing, ..
            } => *replace_existing = true,
            _ => return Vec::new(),
        }
        self.start_operation(label, request, None)
    }
}
