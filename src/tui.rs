//! The terminal UI.
//!
//! Data flows one way: a key becomes an `Action` through the key map;
//! `App::update` changes state and returns `Effect`s as data; the runner
//! turns effects into tokio tasks against the store; their results come back
//! as `Msg`s on the one channel; the view renders state.

use crate::store::SharedStore;

/// Everything the TUI needs to start; built by `main.rs`.
pub struct Launch {
    pub store: SharedStore,
    pub start: Start,
    /// Shown in the status bar, e.g. "demo: writes go to a scratch copy".
    pub scratch_note: Option<String>,
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
}

/// Runs the TUI until the user quits.
pub async fn run(launch: Launch) -> color_eyre::Result<()> {
    let _ = launch;
    Err(color_eyre::eyre::eyre!("the terminal UI is being built"))
}
