//! The manifests this store has seen the registry serve, so that asking
//! whether a subject is there (to read a referrers 404 right) costs no
//! request for what discovery or an operation has just fetched.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::oci::Digest;

/// Enough for a large audit; past it, a `HEAD` answers instead.
const MAX_SEEN: usize = 100_000;

#[derive(Debug, Default)]
pub struct Seen {
    manifests: Mutex<HashSet<String>>,
}

fn key(repository: &str, digest: &Digest) -> String {
    format!("{repository}@{digest}")
}

impl Seen {
    pub fn record(&self, repository: &str, digest: &Digest) {
        let mut manifests = self
            .manifests
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if manifests.len() < MAX_SEEN {
            manifests.insert(key(repository, digest));
        }
    }

    /// After a delete: the manifest is gone.
    pub fn forget(&self, repository: &str, digest: &Digest) {
        self.manifests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&key(repository, digest));
    }

    pub fn contains(&self, repository: &str, digest: &Digest) -> bool {
        self.manifests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&key(repository, digest))
    }
}
