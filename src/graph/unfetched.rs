//! A manifest the graph names (a listed referrer, an index's platform)
//! that the store would not serve: missing (404) or unreadable. Kept on the
//! node, so every front end can say so instead of showing a manifest that
//! is not there.

use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfetched {
    /// The HTTP status the registry answered, when there was one (404 for
    /// a manifest that is not there, also from an OCI layout).
    pub status: Option<u16>,
    /// What went wrong, in words.
    pub error: String,
}

impl Unfetched {
    pub fn from_error(error: &StoreError) -> Unfetched {
        let status = match error {
            StoreError::NotFound { .. } => Some(404),
            StoreError::Unauthorized { .. } => Some(401),
            StoreError::Forbidden { .. } => Some(403),
            StoreError::RateLimited { .. } => Some(429),
            StoreError::Registry { status, .. } => Some(*status),
            _ => None,
        };
        Unfetched {
            status,
            error: error.to_string(),
        }
    }

    /// The store says it is not there (as opposed to not readable).
    pub fn is_missing(&self) -> bool {
        self.status == Some(404)
    }

    /// "missing (404)", "unreadable (500)", "unreadable (digest mismatch…)".
    pub fn label(&self) -> String {
        match self.status {
            Some(404) => "missing (404)".to_owned(),
            Some(status) => format!("unreadable ({status})"),
            None => format!("unreadable ({})", self.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_404_is_missing_and_other_failures_are_unreadable() {
        let missing = Unfetched::from_error(&StoreError::not_found("manifest sha256:x"));
        assert!(missing.is_missing());
        assert_eq!(missing.label(), "missing (404)");
        let broken = Unfetched::from_error(&StoreError::Registry {
            operation: "fetch".to_owned(),
            status: 500,
            message: "boom".to_owned(),
        });
        assert!(!broken.is_missing());
        assert_eq!(broken.label(), "unreadable (500)");
        let odd = Unfetched::from_error(&StoreError::Invalid("digest mismatch".to_owned()));
        assert_eq!(odd.label(), "unreadable (digest mismatch)");
    }
}
