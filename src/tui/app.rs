//! The application state and `update`: messages in, state changed, effects
//! out as data. Nothing here does I/O, so all of it is testable without a
//! terminal or a runtime.

pub mod audit;
mod children;
mod completion;
mod confirm;
pub mod dialogs;
mod doctor_open;
#[cfg(test)]
mod doctor_tests;
mod files_open;
#[cfg(test)]
mod filter_tests;
mod geometry;
mod input;
mod jobs;
mod jump;
mod keys;
mod loading;
mod navigation;
mod operations;
mod replace;
mod stack;

use std::path::PathBuf;

use crossterm::event::{Event, KeyEventKind};
use ratatui::layout::Rect;

pub use crate::tui::screens::files::{self as files, FilesMsg, FilesView};
pub use crate::tui::tree::Row;
pub use audit::{AuditMsg, AuditSort, AuditTable};
pub use dialogs::{Dialog, InputLine, Popup};
pub use geometry::{Areas, Measure};
pub use operations::RunningOperation;

use super::config::Config;
use super::message::{Effect, Msg};
use super::screen::Screen;
use super::tree::{Node, NodeId, Tree};
use crate::store::ReferrersSupport;

/// Which pane keys go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Detail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub text: String,
    pub is_error: bool,
}

/// What the app was started with that never changes.
#[derive(Debug, Clone)]
pub struct Session {
    /// How the store names itself (`localhost:5000`, `oci:DIR`).
    pub store_name: String,
    /// The registry part of full references.
    pub registry: String,
    pub referrers_support: ReferrersSupport,
    pub scratch_note: Option<String>,
    pub log_path: Option<PathBuf>,
}

#[derive(Debug)]
pub struct App {
    pub session: Session,
    pub config: Config,
    /// The browsed tree: nodes, opened, selected, filters, pins.
    pub tree: Tree,
    pub tree_offset: usize,
    pub detail_scroll: u16,
    pub focus: Focus,
    pub areas: Areas,
    /// How the view lays text out, for scroll limits (`view::MEASURE`).
    pub measure: Measure,
    pub input: Option<InputLine>,
    pub popup: Option<Popup>,
    /// Popups under the open one, topmost last (a dialog under its help):
    /// closing the open one shows the one below again.
    pub beneath: Vec<Popup>,
    /// How many rows the open popup's body is scrolled.
    pub popup_scroll: u16,
    /// Narrows the SBOM component list in the detail pane.
    pub detail_search: String,
    pub status: Option<StatusMessage>,
    /// Every notice and error of the session in full, oldest first: the
    /// status line cuts them, the messages view (`m`) does not.
    pub messages: Vec<StatusMessage>,
    /// Operations under way, by id.
    pub operations: std::collections::BTreeMap<u64, RunningOperation>,
    /// The screens over the graph's panes (the audit table, the files
    /// view), topmost last.
    screens: Vec<Box<dyn Screen>>,
    /// What the session's audits found of each signature, by its digest:
    /// the signature's detail pane shows it after the table is closed.
    pub verdicts: std::collections::HashMap<crate::oci::Digest, crate::audit::Verification>,
    /// The pull a replace question is about, with its label.
    pub pending_replace: Option<(String, super::message::OperationRequest)>,
    pub tick: u64,
    pub should_quit: bool,
    next_generation: u64,
    /// Ids of operations, audits and files views: reports carrying an id
    /// no longer shown are dropped.
    next_id: u64,
}

impl App {
    /// An app on `session`; `measure` is the view's `MEASURE`: how the
    /// lines the state scrolls are laid out on screen.
    pub fn new(session: Session, config: Config, measure: Measure) -> App {
        App {
            session,
            config,
            tree: Tree::new(),
            tree_offset: 0,
            detail_scroll: 0,
            focus: Focus::Tree,
            areas: Areas::default(),
            measure,
            input: None,
            popup: None,
            beneath: Vec::new(),
            popup_scroll: 0,
            detail_search: String::new(),
            status: None,
            messages: Vec::new(),
            operations: std::collections::BTreeMap::new(),
            screens: Vec::new(),
            verdicts: std::collections::HashMap::new(),
            pending_replace: None,
            tick: 0,
            should_quit: false,
            next_generation: 0,
            next_id: 0,
        }
    }

    /// Starts afresh on another store (`g` to another registry): the
    /// config, pane areas and id counters stay, so answers still queued
    /// from the old store match no job and are dropped.
    pub fn restart(&mut self, session: Session) {
        let config = self.config.clone();
        let fresh = App::new(session, config, self.measure);
        let old = std::mem::replace(self, fresh);
        self.areas = old.areas;
        self.next_generation = old.next_generation;
        self.next_id = old.next_id;
        self.messages = old.messages;
        // Operations keep running on the old store; their nodes are gone.
        self.operations = old.operations;
        for operation in self.operations.values_mut() {
            operation.reload = None;
        }
    }

    /// The first effects: open the registry's repositories.
    pub fn start_registry(&mut self) -> Vec<Effect> {
        self.open_node(&Tree::root())
    }

    /// Opens one repository's tags, without listing the registry (many
    /// registries refuse `_catalog`).
    pub fn start_repository(&mut self, repository: &str) -> Vec<Effect> {
        let repo_path = self.pin_repository(repository);
        self.reveal(&repo_path);
        self.tree.select(repo_path.clone());
        self.open_node(&repo_path)
    }

    /// Opens one tag or digest with its referrer graph expanded.
    pub fn start_reference(&mut self, repository: &str, reference: &str) -> Vec<Effect> {
        self.go_to(repository, reference)
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => self.on_key(key),
            Msg::Input(Event::Mouse(mouse)) => self.mouse(mouse),
            Msg::Input(Event::Resize(width, height)) => {
                self.resize(Rect::new(0, 0, width, height));
                Vec::new()
            }
            Msg::Input(_) => Vec::new(),
            Msg::Tick => {
                self.tick = self.tick.wrapping_add(1);
                Vec::new()
            }
            Msg::Page { job, names } => {
                self.on_page(&job, names);
                Vec::new()
            }
            Msg::Loaded { job, result } => self.on_loaded(&job, result),
            Msg::OperationProgress { id, text } => {
                self.on_operation_progress(id, text);
                Vec::new()
            }
            Msg::OperationBytes { id, done, total } => {
                self.on_operation_bytes(id, done, total);
                Vec::new()
            }
            Msg::OperationDone { id, result } => self.on_operation_done(id, result),
            msg @ (Msg::Audit(_) | Msg::Files(_) | Msg::Doctor(_) | Msg::Diff(_)) => {
                self.record_verdicts(&msg);
                if let Some(support) = crate::tui::screens::doctor::learned_support(&msg) {
                    self.session.referrers_support = support;
                }
                self.route(msg)
            }
            Msg::Vulns(collected) => {
                crate::tui::screens::vulns::on_collected(self, collected);
                Vec::new()
            }
            Msg::PathCompleted { typed, completions } => {
                self.on_path_completed(&typed, completions);
                Vec::new()
            }
            // The driver switches stores; a report left over is dropped.
            Msg::Browsed { .. } => Vec::new(),
            Msg::Clipboard { what, result } => {
                match result {
                    Ok(how) => self.say(format!("copied {what} ({how})")),
                    Err(reason) => self.complain(format!("could not copy {what}: {reason}")),
                }
                Vec::new()
            }
        }
    }

    /// Remembers where the panes are for a terminal of `area`.
    pub fn resize(&mut self, area: Rect) {
        self.areas = Areas::of_screen(area);
        self.keep_selection_visible();
    }

    pub fn node(&self, path: &[NodeId]) -> Option<&Node> {
        self.tree.node(path)
    }

    pub fn selected_node(&self) -> Option<&Node> {
        self.tree.selected_node()
    }

    /// Number of loads under way, for the status bar.
    pub fn running_jobs(&self) -> usize {
        self.tree
            .nodes()
            .map(|(_, n)| {
                [
                    &n.listing,
                    &n.manifest_slot,
                    &n.referrers_slot,
                    &n.preview_slot,
                ]
                .iter()
                .filter(|s| s.is_loading())
                .count()
            })
            .sum::<usize>()
            + self.operations.len()
    }

    /// Whether something animates, so the loop keeps ticking.
    pub fn is_animating(&self) -> bool {
        self.running_jobs() > 0 || self.screens.iter().any(|s| s.is_animating())
    }

    /// A new id for an operation, an audit or a files view.
    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.tell(StatusMessage {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn complain(&mut self, text: impl Into<String>) {
        self.tell(StatusMessage {
            text: text.into(),
            is_error: true,
        });
    }

    /// Shows a message on the status line and keeps it for the messages
    /// view; a message repeated at once is kept once.
    fn tell(&mut self, message: StatusMessage) {
        if self.messages.last() != Some(&message) {
            self.messages.push(message.clone());
        }
        self.status = Some(message);
    }
}
