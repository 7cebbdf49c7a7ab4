//! Typed store errors that callers match on. Messages never carry a secret:
//! URLs are redacted (no query string, no user info) before they get here.

use std::time::Duration;

use crate::oci::manifest::ManifestError;
use crate::oci::reference::ReferenceError;
use crate::oci::verify::VerifyError;

#[derive(Debug, thiserror::Error)]
// A cause is said once: in the message (the TUI shows one line), never
// also as `source()`, or the CLI's "caused by" lines would repeat it.
pub enum StoreError {
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("unauthorized (401) for {what}: {detail}")]
    Unauthorized { what: String, detail: String },
    #[error("forbidden (403) for {what}: {detail}")]
    Forbidden { what: String, detail: String },
    #[error("rate limited (429) by {registry}{}", retry_after.map(|d| format!("; retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        registry: String,
        retry_after: Option<Duration>,
    },
    #[error("{operation} is not supported by {registry}: {detail}")]
    Unsupported {
        registry: String,
        operation: String,
        detail: String,
    },
    #[error(
        "{registry} does not list its repositories ({detail}); name a repository, e.g. {registry}/NAME"
    )]
    CatalogUnavailable { registry: String, detail: String },
    #[error(transparent)]
    Verify(#[from] VerifyError),
    #[error("{what}: {cause}")]
    InvalidManifest { what: String, cause: ManifestError },
    #[error("{what} is larger than the {limit}-byte limit")]
    TooLarge { what: String, limit: u64 },
    #[error("{operation} failed: registry answered {status}: {message}")]
    Registry {
        operation: String,
        status: u16,
        message: String,
    },
    #[error("{operation} failed: {message}")]
    Transport { operation: String, message: String },
    /// The connection was refused: nothing listens at that address (a
    /// closed port, a registry that is not running). Retried once at most.
    #[error(
        "{operation} failed: the registry at {address} is not listening (connection refused, {attempts} attempts)"
    )]
    NotListening {
        operation: String,
        address: String,
        attempts: u32,
    },
    #[error("registry broke the protocol: {0}")]
    Protocol(String),
    #[error("{context}: {cause}")]
    Io {
        context: String,
        cause: std::io::Error,
    },
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error("{0}")]
    Invalid(String),
    #[error("cancelled")]
    Cancelled,
}

impl StoreError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            context: context.into(),
            cause: source,
        }
    }

    pub fn not_found(what: impl Into<String>) -> StoreError {
        StoreError::NotFound { what: what.into() }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}
