//! The loop without a terminal: the app, its effect runner and the one
//! queue. A message updates the app, the effects it returns run, and their
//! results queue up again; `run` adds the terminal, tests drive it as is.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ratatui::layout::Rect;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::app::{App, Session};
use super::clipboard::Clipboard;
use super::config::Config;
use super::message::{Effect, Msg};
use super::runner::Runner;
use super::{Launch, Start};
use crate::store::SharedStore;
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, open};
use crate::text::escape_control;

/// How often spinners turn while something loads.
pub const TICK: Duration = Duration::from_millis(120);

/// The app, its effect runner and the one queue, without a terminal.
pub struct Driver {
    pub app: App,
    runner: Runner,
    sender: UnboundedSender<Msg>,
    receiver: UnboundedReceiver<Msg>,
    /// For stores opened later (`g` to another registry).
    connect: ConnectOptions,
    log_path: Option<PathBuf>,
    /// When the next tick is due while something animates. Ticks keep
    /// this fixed schedule whatever else arrives: a download's progress
    /// messages must not keep pushing the spinner's next turn away.
    next_tick: Option<tokio::time::Instant>,
}

impl Driver {
    /// Builds the app for `launch` in a terminal of `size` and starts its
    /// first loads. Must be called inside a tokio runtime.
    pub fn new(
        launch: Launch,
        config: Config,
        clipboard: Clipboard,
        log_path: Option<PathBuf>,
        size: Rect,
    ) -> Driver {
        let (sender, receiver) = unbounded_channel();
        let session = session_for(&launch.store, launch.scratch_note, log_path.clone());
        let mut app = App::new(session, config);
        app.resize(size);
        let runner = Runner::new(
            launch.store,
            launch.connect.clone(),
            sender.clone(),
            clipboard,
        );
        let mut driver = Driver {
            app,
            runner,
            sender,
            receiver,
            connect: launch.connect,
            log_path,
            next_tick: None,
        };
        driver.start(&launch.start);
        driver
    }

    fn start(&mut self, start: &Start) {
        let effects = match start {
            Start::Registry => self.app.start_registry(),
            Start::Repository(repository) => self.app.start_repository(repository),
            Start::Reference {
                repository,
                reference,
            } => self.app.start_reference(repository, reference),
            Start::RegistryAt {
                repository,
                reference,
            } => {
                let mut effects = self.app.start_registry();
                effects.extend(self.app.start_reference(repository, reference));
                effects
            }
        };
        self.run(effects);
    }

    /// Scan reads under way for the tree's findings labels.
    pub fn scan_reads_running(&self) -> usize {
        self.runner.scan_reads_running()
    }

    /// Where terminal events go.
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.sender.clone()
    }

    /// Updates the app with one message and runs the effects it asks for.
    pub fn handle(&mut self, msg: Msg) {
        if let Msg::Browsed { target, result } = msg {
            self.switch(&target, result);
            return;
        }
        let effects = self.app.update(msg);
        self.run(effects);
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Browse { target } => self.browse(&target),
                effect => self.runner.run(effect),
            }
        }
    }

    /// Opens another registry or layout, spelled as on the command line,
    /// and asks it for what the view would show first; the answer comes
    /// back as `Msg::Browsed`. Until then, and for good when it cannot be
    /// reached, the app stays where it was.
    fn browse(&mut self, target: &str) {
        let target = target.trim().trim_end_matches('/').to_owned();
        let opened = Spec::parse(&target).and_then(|spec| open(&spec, &self.connect, false));
        let opened = match opened {
            Ok(opened) => opened,
            Err(e) => {
                self.app.complain(format!("cannot open {target}: {e}"));
                return;
            }
        };
        let sender = self.sender.clone();
        tokio::spawn(async move {
            let result = match super::probe::probe(&opened).await {
                Ok(()) => Ok(Box::new(opened)),
                Err(e) => Err(e.to_string()),
            };
            let _ = sender.send(Msg::Browsed { target, result });
        });
    }

    /// Starts the app afresh on a store that answered; says why not, and
    /// stays, when it did not.
    fn switch(&mut self, target: &str, result: Result<Box<crate::target::Target>, String>) {
        let opened = match result {
            Ok(opened) => opened,
            Err(e) => {
                let here = escape_control(&self.app.session.store_name).into_owned();
                // What stays first: the line may be cut after it.
                self.app.complain(format!(
                    "still browsing {here}: cannot open {}: {e}",
                    escape_control(target)
                ));
                return;
            }
        };
        let mark = self.app.graph().tree.diff_mark.as_ref();
        let mark = mark.map(|mark| mark.store.clone());
        self.runner
            .replace_store(Arc::clone(&opened.store), mark.as_deref());
        let session = session_for(&opened.store, None, self.log_path.clone());
        self.app.restart(session);
        self.start(&Start::at(&opened.repository, opened.reference.as_deref()));
        self.app
            .say(format!("browsing {}", escape_control(&opened.display_name)));
    }

    /// Waits for the next message; while something animates, a tick comes
    /// every `TICK` on a fixed schedule, however many messages arrive in
    /// between (a tick that is due goes first).
    pub async fn next(&mut self) -> Option<Msg> {
        if !self.app.is_animating() {
            self.next_tick = None;
            return self.receiver.recv().await;
        }
        let due = *self
            .next_tick
            .get_or_insert_with(|| tokio::time::Instant::now() + TICK);
        tokio::select! {
            biased;
            () = tokio::time::sleep_until(due) => {
                // Behind schedule (a long frame): skip the missed turns.
                let now = tokio::time::Instant::now();
                let next = due + TICK;
                self.next_tick = Some(if next > now { next } else { now + TICK });
                Some(Msg::Tick)
            }
            msg = self.receiver.recv() => msg,
        }
    }

    /// Handles everything already queued, so one frame shows all of it.
    pub fn drain(&mut self) {
        while let Ok(msg) = self.receiver.try_recv() {
            self.handle(msg);
        }
    }
}

/// What the app shows of a store.
fn session_for(
    store: &SharedStore,
    scratch_note: Option<String>,
    log_path: Option<PathBuf>,
) -> Session {
    Session {
        store_name: store.name().to_owned(),
        registry: store.registry().to_owned(),
        referrers_support: store.referrers_support(),
        scratch_note,
        log_path,
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.runner.abort_all();
    }
}
