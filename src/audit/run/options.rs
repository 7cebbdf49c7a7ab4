//! What an audit is asked to do: its target, the tags and platform it
//! takes, the trust material its signatures are checked against, and how
//! many requests it keeps in flight.

use std::sync::Arc;

use crate::audit::keyless::Keyless;
use crate::audit::keys::TrustKey;
use crate::audit::notation::NotationTrust;
use crate::audit::time::TimePolicy;
use crate::audit::transparency::{TrustedRoot, shipped};
use crate::oci::PlatformSpec;

/// What to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditTarget {
    Repository(String),
    /// Every repository the registry's catalog lists.
    Registry,
}

#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Only tags this glob matches (`v1.*`, `release-*`).
    pub tags: Option<globset::GlobMatcher>,
    /// For an index: audit this platform's manifest instead.
    pub platform: Option<PlatformSpec>,
    /// Trust material: signatures are checked against these keys...
    pub keys: Vec<TrustKey>,
    /// ...keyless ones against this trusted root and identity...
    pub keyless: Option<Arc<Keyless>>,
    /// ...the proofs of key-signed ones against this trusted root (`None`:
    /// the keyless one's, else the public-good root)...
    pub root: Option<Arc<TrustedRoot>>,
    /// ...and Notation ones against this trust store.
    pub notation: Option<Arc<NotationTrust>>,
    /// What to ask of transparency log entries and timestamps.
    pub time_policy: TimePolicy,
    /// Images discovered at once. Each discovery sends a level of its graph
    /// together; the store's adaptive limit (32 at first, less when the
    /// registry pushes back) keeps the sum in bounds.
    pub concurrency: usize,
    /// Tags resolved at once.
    pub resolve_concurrency: usize,
    /// Read the attached scans and VEX into each row's `vulnerabilities`
    /// (every platform of an index); costs a fetch per scan or CycloneDX
    /// SBOM, so only when asked.
    pub vulnerabilities: bool,
}

/// Images audited at once by default. One image's discovery keeps only a
/// few requests in flight (its rounds are short), so 16 images left the
/// store's limit mostly idle: at 1,000 images behind 25 ms, 16 at once was
/// 8.9x the `oras discover` loop and 32 at once 14x. The store's own
/// in-flight limit still bounds the requests, and halves on 429/503.
pub const DEFAULT_AUDIT_CONCURRENCY: usize = 32;

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            tags: None,
            platform: None,
            keys: Vec::new(),
            keyless: None,
            root: None,
            notation: None,
            time_policy: TimePolicy::default(),
            concurrency: DEFAULT_AUDIT_CONCURRENCY,
            resolve_concurrency: 32,
            vulnerabilities: false,
        }
    }
}

pub(super) fn options_root(options: &AuditOptions) -> Option<Arc<TrustedRoot>> {
    proof_root(
        options.root.as_ref(),
        options.keyless.as_deref(),
        !options.keys.is_empty(),
    )
}

/// The root that checks key-signed signatures' proofs: the one given, the
/// keyless one, or the public-good root (only loaded when keys are given;
/// `None` when it cannot be read, which fails any proof present).
pub fn proof_root(
    given: Option<&Arc<TrustedRoot>>,
    keyless: Option<&Keyless>,
    keys_given: bool,
) -> Option<Arc<TrustedRoot>> {
    if let Some(root) = given {
        return Some(Arc::clone(root));
    }
    if let Some(keyless) = keyless {
        return Some(Arc::clone(&keyless.root));
    }
    if !keys_given {
        return None;
    }
    shipped::shared().ok().map(|(root, _)| root)
}
