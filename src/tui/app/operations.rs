//! Running operations: pull, attach, copy and delete run the `ops` engine
//! through effects, asked for by a screen; their progress and outcome come
//! back as messages, and what they changed is told to the stack (a list to
//! reload, rows that went). A pull that would replace a different file
//! stops before writing anything (`OpError::WouldReplace`) and asks.

use super::App;
use crate::ops::OpError;
use crate::text::count;
use crate::tui::failure::Failure;
use crate::tui::message::{Effect, Msg, Notice, OperationOutcome, OperationRequest};
use crate::tui::screen::{OperationAsk, Screen};
use crate::tui::screens::dialogs::ReplaceQuestion;

/// An operation under way, for the status bar.
#[derive(Debug)]
pub struct RunningOperation {
    pub label: String,
    pub progress: String,
    /// Bytes moved and announced over its transfers, once one started.
    pub bytes: Option<(u64, u64)>,
    /// Told to the stack when it succeeds (a subject or a list to reload).
    pub then: Option<Notice>,
    /// A pull, kept to run again if the user agrees to replace a file.
    pub pull: Option<OperationRequest>,
    /// The dialog it was started from, opened again as it was typed when
    /// the operation fails (a refused push), so nothing has to be typed
    /// twice.
    pub reopen: Option<Box<dyn Screen>>,
}

impl App {
    pub(super) fn start_operation(&mut self, operation: OperationAsk) -> Vec<Effect> {
        let OperationAsk {
            id,
            label,
            request,
            then,
            reopen,
        } = operation;
        self.say(format!("{label}…"));
        let pull = matches!(
            request,
            OperationRequest::Pull { .. } | OperationRequest::PullBlob { .. }
        )
        .then(|| request.clone());
        self.operations.insert(
            id,
            RunningOperation {
                label,
                progress: String::new(),
                bytes: None,
                then,
                pull,
                reopen,
            },
        );
        vec![Effect::Operation { id, request }]
    }

    pub(super) fn on_operation_progress(&mut self, id: u64, text: String) {
        if let Some(operation) = self.operations.get_mut(&id) {
            operation.progress = text;
        }
    }

    pub(super) fn on_operation_bytes(&mut self, id: u64, done: u64, total: u64) {
        if let Some(operation) = self.operations.get_mut(&id) {
            operation.bytes = Some((done, total));
        }
    }

    pub(super) fn on_operation_done(
        &mut self,
        id: u64,
        result: Result<OperationOutcome, Failure>,
    ) -> Vec<Effect> {
        let Some(operation) = self.operations.remove(&id) else {
            return Vec::new();
        };
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(reason) => {
                self.operation_failed(operation, &reason);
                return Vec::new();
            }
        };
        let mut effects = Vec::new();
        match outcome {
            OperationOutcome::Pulled {
                files,
                took,
                untitled,
            } => {
                let dir = self.config.download_dir.display().to_string();
                let written = match files.as_slice() {
                    [one] => one.display().to_string(),
                    many => format!("{} files into {dir}", many.len()),
                };
                // What was taken first: a person asked for "the SBOM" and
                // must learn which one it was.
                let mut said = match took.as_slice() {
                    [] => format!("pulled {written}"),
                    took => format!("pulled {}: {written}", took.join("; ")),
                };
                if untitled > 0 {
                    said.push_str(&format!(
                        "; skipped {} without a file name (p on a layer row pulls one)",
                        count(untitled, "layer")
                    ));
                }
                self.say(said);
            }
            OperationOutcome::Attached { digest } => self.say(format!("attached {digest}")),
            OperationOutcome::Copied {
                manifests,
                transferred,
                mounted,
                skipped,
            } => {
                // As `regscope cp` says it: a mounted blob moved no bytes.
                self.say(format!(
                    "copied {}: {} transferred, {mounted} mounted, {skipped} already there",
                    count(manifests, "manifest"),
                    count(transferred, "blob"),
                ));
            }
            OperationOutcome::Deleted {
                count,
                digests,
                repository,
                tags,
            } => {
                // The graph forgets the rows, marks the indexes left
                // pointing at nothing and says so.
                effects.extend(self.tell_all(Notice::Deleted {
                    count,
                    digests,
                    repository,
                    tags,
                }));
            }
            OperationOutcome::DeletePlanned(plan) => {
                self.status = None;
                return self.tell_all(Notice::DeletePlanned { id, plan });
            }
        }
        if let Some(then) = operation.then {
            effects.extend(self.tell_all(then));
        }
        effects
    }

    /// Says why it failed; opens the dialog it came from again, as typed,
    /// or asks before a pull replaces a different file.
    fn operation_failed(&mut self, operation: RunningOperation, reason: &Failure) {
        if let Failure::Operation(error) = reason
            && let OpError::WouldReplace { path } = error.as_ref()
            && let Some(request) = operation.pull
        {
            self.status = None;
            let question = ReplaceQuestion::new(path.clone(), operation.label, request);
            self.push(Box::new(question));
            return;
        }
        tracing::warn!("{}: {reason}", operation.label);
        self.complain(format!("{} failed: {reason}", operation.label));
        let covered = self
            .top_screen()
            .is_some_and(|s| s.layer() != crate::tui::screen::Layer::Panes);
        if let Some(dialog) = operation.reopen
            && !covered
        {
            self.push(dialog);
        }
    }

    /// A notice for the whole stack, from the top down.
    fn tell_all(&mut self, notice: Notice) -> Vec<Effect> {
        self.route(self.stack.len(), Msg::Notice(notice))
    }
}
