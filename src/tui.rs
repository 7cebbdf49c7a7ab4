//! The terminal UI.
//!
//! Data flows one way: a key becomes an `Action` through the key map
//! (`keymap`) in the top screen of the stack (`screen`, `screens`);
//! `App::update` (`app`, the router) hands it there, and the screen changes
//! its state and returns `Effect`s as data; the `runner` turns effects
//! into tokio tasks against the store; their results come back as `Msg`s
//! (`message`) on the one channel and go down the stack to the screen
//! they are for; the `view` draws the stack. `Driver` is that loop
//! without a terminal, so tests drive it in-process; `run` adds the
//! terminal.

pub mod app;
pub mod clipboard;
pub mod config;
mod driver;
pub mod failure;
pub mod keymap;
pub mod list;
pub mod message;
pub mod preview;
mod probe;
pub mod runner;
pub mod screen;
pub mod screens;
pub mod tree;
pub mod typing;
pub mod view;

use std::path::PathBuf;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture, EventStream};
use futures_util::StreamExt;
use ratatui::layout::Rect;

use crate::store::SharedStore;
use crate::store::remote::ConnectOptions;
use clipboard::Clipboard;
use config::Config;
pub use driver::{Driver, TICK};
use message::Msg;

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
mod filter_tests;
#[cfg(test)]
mod tick_tests;
