//! The application: a router over the session, the config, the running
//! operations and the stack of screens. Messages in, state changed,
//! effects out as data; keys go to the top screen, reports down the
//! stack, and what a screen asks is done here (`stack`). Nothing here
//! does I/O, so all of it is testable without a terminal or a runtime.

#[cfg(test)]
mod advisory_tests;
#[cfg(test)]
mod doctor_tests;
mod geometry;
mod operations;
mod stack;
#[cfg(test)]
mod vulns_tests;

use std::path::PathBuf;

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

pub use crate::tui::screens::audit::{AuditMsg, AuditSort, AuditTable};
pub use crate::tui::screens::files::{self as files, FilesMsg, FilesView};
pub use crate::tui::screens::graph::{Focus, Graph};
pub use crate::tui::tree::Row;
pub use geometry::Areas;
pub use operations::RunningOperation;

use super::config::Config;
use super::message::{Effect, Msg};
use super::screen::Screen;
use crate::store::ReferrersSupport;

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
    pub areas: Areas,
    pub status: Option<StatusMessage>,
    /// Every notice and error of the session in full, oldest first: the
    /// status line cuts them, the messages view (`m`) does not.
    pub messages: Vec<StatusMessage>,
    /// Operations under way, by id.
    pub operations: std::collections::BTreeMap<u64, RunningOperation>,
    /// The screens, the graph at the bottom, the one with the keys last.
    stack: Vec<Box<dyn Screen>>,
    pub tick: u64,
    pub should_quit: bool,
    /// Ids of operations, audits and files views: reports carrying an id
    /// no longer shown are dropped.
    next_id: u64,
}

impl App {
    /// An app on `session`, showing its graph.
    pub fn new(session: Session, config: Config) -> App {
        App {
            session,
            config,
            areas: Areas::default(),
            status: None,
            messages: Vec::new(),
            operations: std::collections::BTreeMap::new(),
            stack: vec![Box::new(Graph::new())],
            tick: 0,
            should_quit: false,
            next_id: 0,
        }
    }

    /// Starts afresh on another store (`g` to another registry): the
    /// config, the messages and the id counters stay, so answers still
    /// queued from the old store match no job and are dropped.
    pub fn restart(&mut self, session: Session) {
        self.session = session;
        let graph = Graph::after(self.graph());
        self.stack = vec![Box::new(graph)];
        self.status = None;
        let areas = self.areas;
        self.on_resize(areas);
        // Operations keep running on the old store; their nodes are gone.
        for operation in self.operations.values_mut() {
            operation.then = None;
        }
    }

    /// The first effects: open the registry's repositories.
    pub fn start_registry(&mut self) -> Vec<Effect> {
        self.on_graph(|graph, _| graph.start_registry())
    }

    /// Opens one repository's tags, without listing the registry (many
    /// registries refuse `_catalog`).
    pub fn start_repository(&mut self, repository: &str) -> Vec<Effect> {
        self.on_graph(|graph, cx| graph.start_repository(repository, cx))
    }

    /// Opens one tag or digest with its referrer graph expanded.
    pub fn start_reference(&mut self, repository: &str, reference: &str) -> Vec<Effect> {
        self.go_to(repository, reference)
    }

    /// Goes to `repository` + tag or digest in the graph.
    pub fn go_to(&mut self, repository: &str, reference: &str) -> Vec<Effect> {
        self.on_graph(|graph, cx| graph.go_to(repository, reference, cx))
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                // Ctrl-C quits whatever is open and however `quit` is
                // bound: the way out a terminal user tries first must
                // never be lost.
                if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                    self.should_quit = true;
                    return Vec::new();
                }
                self.on_top(|screen, cx| screen.on_key(key, cx))
            }
            Msg::Input(Event::Mouse(mouse)) => self.on_top(|screen, cx| screen.on_mouse(mouse, cx)),
            Msg::Input(Event::Resize(width, height)) => {
                self.resize(Rect::new(0, 0, width, height));
                Vec::new()
            }
            Msg::Input(_) => Vec::new(),
            Msg::Tick => {
                self.tick = self.tick.wrapping_add(1);
                Vec::new()
            }
            Msg::OperationProgress { id, text } => {
                self.on_operation_progress(id, text);
                Vec::new()
            }
            Msg::OperationBytes { id, done, total } => {
                self.on_operation_bytes(id, done, total);
                Vec::new()
            }
            Msg::OperationDone { id, result } => self.on_operation_done(id, result),
            msg @ (Msg::Audit(_) | Msg::Doctor(_)) => {
                // What the session learns from the audit's verdicts and
                // the doctor's run outlives their screens.
                self.graph_mut().record_verdicts(&msg);
                if let Some(support) = crate::tui::screens::doctor::learned_support(&msg) {
                    self.session.referrers_support = support;
                }
                self.route(self.stack.len(), msg)
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
            msg => self.route(self.stack.len(), msg),
        }
    }

    /// Remembers where the regions are for a terminal of `area`.
    pub fn resize(&mut self, area: Rect) {
        self.on_resize(Areas::of_screen(area));
    }

    fn on_resize(&mut self, areas: Areas) {
        self.areas = areas;
        for screen in &mut self.stack {
            screen.on_resize(areas);
        }
    }

    /// Number of loads under way, for the status bar.
    pub fn running_jobs(&self) -> usize {
        self.stack.iter().map(|s| s.loads()).sum::<usize>() + self.operations.len()
    }

    /// Whether something animates, so the loop keeps ticking.
    pub fn is_animating(&self) -> bool {
        !self.operations.is_empty() || self.stack.iter().any(|s| s.is_animating())
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
