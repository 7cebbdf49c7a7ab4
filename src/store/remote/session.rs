//! What one session (one process: the TUI, or one CLI command) keeps
//! across all its stores: each registry's capabilities, learned once, and
//! the content cache, so that no screen or command fetches by digest what
//! another one already verified. Every store opened from clones of one
//! `ConnectOptions` shares it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use super::capabilities::Capabilities;
use crate::store::cache::ContentCache;

/// The memory of every registry one session has spoken to, by origin
/// (`https://ghcr.io/`), and the content they served. Cloning shares it;
/// `Default` starts an empty one.
#[derive(Clone, Default)]
pub struct Session {
    known: Arc<Mutex<HashMap<String, Arc<Capabilities>>>>,
    content: Arc<ContentCache>,
}

impl Session {
    /// The memory of the registry at `origin`, created on first use.
    pub fn for_origin(&self, origin: &str) -> Arc<Capabilities> {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(origin.to_owned())
            .or_default()
            .clone()
    }

    /// The manifests and small blobs fetched and verified this session.
    pub fn content(&self) -> &Arc<ContentCache> {
        &self.content
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.known.lock().map_or(0, |known| known.len());
        write!(f, "Session({count} registries)")
    }
}
