//! Why a load or an operation failed, kept typed from the store to the
//! screen so the UI can tell a missing tag (404) from a refused login
//! (401) and say the right thing. In the TUI a user cannot add flags, so
//! an authentication failure says how to get there instead.

use std::fmt;
use std::sync::Arc;

use crate::ops::OpError;
use crate::store::StoreError;

#[derive(Debug, Clone)]
pub enum Failure {
    /// The store refused or failed a request.
    Store(Arc<StoreError>),
    /// An operation failed for a reason of its own (an unsafe path, a
    /// digest that differs, a referrer that is not there).
    Operation(Arc<OpError>),
    /// Something failed before the store was asked (a destination that
    /// does not open, a task that died).
    Other(String),
    Cancelled,
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Failure {
        match error {
            StoreError::Cancelled => Failure::Cancelled,
            error => Failure::Store(Arc::new(error)),
        }
    }
}

impl From<OpError> for Failure {
    fn from(error: OpError) -> Failure {
        match error {
            OpError::Store(error) => error.into(),
            OpError::Cancelled => Failure::Cancelled,
            error => Failure::Operation(Arc::new(error)),
        }
    }
}

impl Failure {
    pub fn store_error(&self) -> Option<&StoreError> {
        match self {
            Failure::Store(error) => Some(error),
            _ => None,
        }
    }

    /// The store says it does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.store_error().is_some_and(StoreError::is_not_found)
    }

    /// The registry wants credentials, or other ones (401, 403).
    pub fn is_refused_login(&self) -> bool {
        matches!(
            self.store_error(),
            Some(StoreError::Unauthorized { .. } | StoreError::Forbidden { .. })
        )
    }

    /// Whether asking again (`r`) may help: not for what does not exist,
    /// what the credentials may not read, or content that is wrong.
    pub fn retry_may_help(&self) -> bool {
        match self {
            Failure::Store(error) => !matches!(
                **error,
                StoreError::NotFound { .. }
                    | StoreError::Unauthorized { .. }
                    | StoreError::Forbidden { .. }
                    | StoreError::Verify(_)
                    | StoreError::InvalidManifest { .. }
                    | StoreError::TooLarge { .. }
                    | StoreError::Reference(_)
            ),
            Failure::Operation(_) | Failure::Cancelled => false,
            Failure::Other(_) => true,
        }
    }
}

/// The sentence a node, the status line and the messages view show.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Store(error) => f.write_str(&error_text(error)),
            Failure::Operation(error) => write!(f, "{error}"),
            Failure::Other(text) => f.write_str(text),
            Failure::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// Two failures are the same when they say the same thing (a node's load
/// status compares them).
impl PartialEq for Failure {
    fn eq(&self, other: &Failure) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Failure {}

/// What the TUI says for a store error.
fn error_text(error: &StoreError) -> String {
    match error {
        StoreError::Unauthorized { what, detail } if detail.contains("--username") => format!(
            "unauthorized (401) for {what}: it asks for a username and password. \
             Quit (q) and start regscope again with --username NAME --password-stdin, \
             or run `docker login {what}` first"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tui_says_how_to_log_in_from_the_tui() {
        let error = StoreError::Unauthorized {
            what: "localhost:5000".to_owned(),
            detail: "the registry asks for a username and password and none were given \
                     (use --username with --password-stdin, or docker login)"
                .to_owned(),
        };
        let text = error_text(&error);
        assert!(text.contains("Quit (q) and start regscope again"), "{text}");
        assert!(text.contains("docker login localhost:5000"), "{text}");
        assert!(!text.contains("use --username"), "{text}");
        let other = StoreError::NotFound {
            what: "tag v1".to_owned(),
        };
        assert_eq!(error_text(&other), "tag v1 not found");
    }

    #[test]
    fn a_failure_tells_401_from_404() {
        let missing = Failure::from(StoreError::not_found("tag v1"));
        assert!(missing.is_not_found() && !missing.is_refused_login());
        assert!(!missing.retry_may_help());
        let refused = Failure::from(StoreError::Unauthorized {
            what: "localhost:5000".to_owned(),
            detail: "bad password".to_owned(),
        });
        assert!(refused.is_refused_login() && !refused.is_not_found());
        assert!(!refused.retry_may_help());
        let reset = Failure::from(StoreError::Transport {
            operation: "GET".to_owned(),
            message: "connection reset".to_owned(),
        });
        assert!(reset.retry_may_help());
        assert_eq!(Failure::from(OpError::Cancelled), Failure::Cancelled);
        assert!(Failure::from(OpError::Store(StoreError::not_found("x"))).is_not_found());
    }
}
