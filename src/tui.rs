//! The terminal UI.
//!
//! Data flows one way: a key becomes an `Action` through the key map
//! (`keymap`); `App::update` (`app`) changes state and returns `Effect`s as
//! data; the `runner` turns effects into tokio tasks against the store;
//! their results come back as `Msg`s (`message`) on the one channel; the
//! `view` renders state. `Driver` is that loop without a terminal, so tests
//! drive it in-process; `run` adds the terminal.

pub mod app;
pub mod clipboard;
pub mod config;
pub mod failure;
pub mod keymap;
pub mod message;
pub mod preview;
pub mod runner;
pub mod tree;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture, EventStream};
use futures_util::StreamExt;
use ratatui::layout::Rect;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::store::SharedStore;
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, open};
use crate::text::escape_control;
use app::{App, Session};
use clipboard::Clipboard;
use config::Config;
use message::{Effect, Msg};
use runner::Runner;

/// Everything the TUI needs to start; built by `main.rs`.
pub struct Launch {
    pub store: SharedStore,
    pub start: Start,
    /// Shown in the status bar, e.g. "demo: writes go to a scratch copy".
    pub scratch_note: Option<String>,
    /// The connection flags the user started with, for copies to another
    /// registry.
    pub connect: ConnectOptions,
}

/// Where the tree opens.
pub enum Start {
    /// The registry's repositories.
    Registry,
    /// One repository's tags.
    Repository(String),
    /// One tag or digest, with its referrer graph expanded.
    Reference {
        repository: String,
        reference: String,
    },
    /// The registry's repositories, with one tag or digest among them
    /// opened and its graph expanded.
    RegistryAt {
        repository: String,
        reference: String,
    },
}

impl Start {
    /// Where a parsed target opens: a registry alone, a repository, or a
    /// tag or digest in it.
    pub fn at(repository: &str, reference: Option<&str>) -> Start {
        match (repository.is_empty(), reference) {
            (true, _) => Start::Registry,
            (false, None) => Start::Repository(repository.to_owned()),
            (false, Some(reference)) => Start::reference(repository, reference),
        }
    }

    /// The built-in demo: its repositories, with the image the seeds
    /// describe open on its whole graph (the README's screenshot).
    pub fn demo() -> Start {
        Start::RegistryAt {
            repository: crate::demo::NET_MONITOR_REPO.to_owned(),
            reference: crate::demo::DEMO_TAG.to_owned(),
        }
    }

    /// One tag or digest of `repository`.
    pub fn reference(repository: &str, reference: &str) -> Start {
        Start::Reference {
            repository: repository.to_owned(),
            reference: reference.to_owned(),
        }
    }
}

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
        app.measure = view::MEASURE;
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

    /// Where terminal events go.
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.sender.clone()
    }

    /// Updates the app with one message and runs the effects it asks for.
    pub fn handle(&mut self, msg: Msg) {
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
    /// and starts the app afresh there; on failure the app says why and
    /// stays where it was.
    fn browse(&mut self, target: &str) {
        let target = target.trim().trim_end_matches('/');
        let opened = Spec::parse(target).and_then(|spec| open(&spec, &self.connect, false));
        let opened = match opened {
            Ok(opened) => opened,
            Err(e) => {
                self.app.complain(format!("cannot open {target}: {e}"));
                return;
            }
        };
        self.runner.replace_store(Arc::clone(&opened.store));
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

/// Runs the TUI until the user quits.
pub async fn run(launch: Launch) -> color_eyre::Result<()> {
    let config = Config::load()?;
    let log_path = crate::logging::to_file();
    // color-eyre's hook first, so ratatui's hook (installed by `init`)
    // restores the terminal before the report is printed.
    let _ = color_eyre::install();
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, launch, config, log_path).await;
    ratatui::restore();
    // `restore` leaves the alternate screen; the mouse and the cursor are
    // ours to give back.
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        crossterm::cursor::Show
    );
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    launch: Launch,
    config: Config,
    log_path: Option<PathBuf>,
) -> color_eyre::Result<()> {
    let size = terminal.size()?;
    let area = Rect::new(0, 0, size.width, size.height);
    let mut driver = Driver::new(launch, config, Clipboard::detect(), log_path, area);
    let sender = driver.sender();
    let input = tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(event) = events.next().await {
            match event {
                Ok(event) => {
                    if sender.send(Msg::Input(event)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    tracing::error!("reading the terminal failed: {e}");
                    break;
                }
            }
        }
    });
    let outcome = loop {
        if let Err(e) = terminal.draw(|frame| view::draw(frame, &driver.app)) {
            break Err(e.into());
        }
        let Some(msg) = driver.next().await else {
            break Ok(());
        };
        driver.handle(msg);
        driver.drain();
        if driver.app.should_quit {
            break Ok(());
        }
    };
    input.abort();
    outcome
}

#[cfg(test)]
mod tick_tests;
