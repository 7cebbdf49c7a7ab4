//! A registry client over reqwest, speaking the distribution spec.
//!
//! `RemoteStore` is the `Store` of one registry. Its parts: `connect`
//! (the options, origin, TLS, the one HTTP client), `session` (what the
//! stores of one process share: capabilities and the content cache),
//! `transport` (every request: in-flight bound, retries, redirects, auth
//! challenges), `response` (capped bodies, typed errors, redaction),
//! `target` (names checked before any URL), `listing` (catalog and tags
//! page by page), `manifests`, `blobs` with `download` (verified,
//! resumable streams) and `upload`, `referrers` (API or fallback tag) and
//! `fallback` (keeping the fallback index up to date on push and delete).
//! `auth` and `credentials` answer the registry's challenges; `store_impl`
//! is the `Store` trait over all of them.

pub mod auth;
mod blobs;
pub mod capabilities;
mod clients;
mod connect;
pub mod credentials;
mod download;
mod fallback;
mod limit;
mod listing;
mod manifests;
pub mod probe;
mod referrers;
mod response;
mod retry;
mod seen;
pub mod session;
mod store_impl;
mod target;
mod tls;
mod transport;
mod upload;

use std::sync::Arc;

pub use clients::Clients;
pub use connect::{
    ConnectOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_METADATA_TIMEOUT, DEFAULT_READ_TIMEOUT,
};
pub use referrers::fallback_index_problem;

use crate::oci::reference::validate_registry;
use crate::store::StoreError;
use crate::store::cache::ContentCache;
use auth::{Authenticator, Scope};
use capabilities::{Capabilities, ReferrersMode};
use credentials::CredentialSource;
use target::Target;
use transport::Transport;

/// One registry, reached over HTTP(S).
#[derive(Debug)]
pub struct RemoteStore {
    registry: String,
    transport: Arc<Transport>,
    /// The same registry without credentials, made when `doctor` first
    /// asks as an anonymous user.
    anonymous_transport: std::sync::OnceLock<Arc<Transport>>,
    /// Names asked for per listing page; `None` lets the registry choose
    /// (it knows its cheapest page; `n=1000` made olareg's listing 7x
    /// slower than oras's).
    page_size: Option<u32>,
    /// What the registry showed about itself this session (the referrers
    /// mode and its evidence), shared with every store of the session.
    capabilities: Arc<Capabilities>,
    fallback_locks: fallback::Locks,
    /// Manifests the registry served to this store.
    seen: seen::Seen,
    /// The session's verified content, and where this store's entries
    /// live in it: the origin and the user (another user may not be
    /// allowed to read what this one was).
    content: Arc<ContentCache>,
    content_place: String,
}

impl RemoteStore {
    /// A store for `registry` as written in a reference (`localhost:5000`,
    /// `ghcr.io`, `docker.io`). Nothing blocks and nothing is sent until
    /// the first operation; the docker config and credential helpers are
    /// consulted only when the registry first asks for credentials.
    pub fn new(registry: &str, options: ConnectOptions) -> Result<RemoteStore, StoreError> {
        validate_registry(registry)?;
        let origin = connect::origin(registry, &options)?;
        let clients = Clients::new(&options, &origin)?;
        let credential = CredentialSource::for_registry(registry, &options)?;
        let plain_http = origin.scheme() == "http";
        let capabilities = options.session.for_origin(origin.as_str());
        let content_place = format!(
            "{} {}",
            origin.as_str(),
            options.username.as_deref().unwrap_or("")
        );
        let auth = Authenticator::with_source(clients.clone(), registry, credential, plain_http);
        Ok(RemoteStore {
            registry: registry.to_owned(),
            transport: Arc::new(Transport::new(
                clients,
                origin,
                registry,
                auth,
                options.metadata_timeout,
            )),
            anonymous_transport: std::sync::OnceLock::new(),
            page_size: None,
            capabilities,
            fallback_locks: fallback::Locks::default(),
            seen: seen::Seen::default(),
            content: Arc::clone(options.session.content()),
            content_place,
        })
    }

    /// Asks for `n` names per listing page (at least 1); without it the
    /// registry picks the page size and `Link` leads on.
    #[must_use]
    pub fn with_page_size(mut self, n: u32) -> RemoteStore {
        self.page_size = Some(n.max(1));
        self
    }

    fn mode(&self) -> ReferrersMode {
        self.capabilities.referrers_mode()
    }

    /// What this registry has shown about itself this session.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// Where `repository`'s content lives in the session's cache.
    fn content_place(&self, repository: &str) -> String {
        format!("{} {repository}", self.content_place)
    }
}

/// Entry points for the fuzz targets in `fuzz/`; not an API.
#[doc(hidden)]
pub mod fuzzing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_name_is_validated_before_it_reaches_a_url() {
        assert!(RemoteStore::new("not a host", ConnectOptions::default()).is_err());
        assert!(RemoteStore::new("localhost:5000", ConnectOptions::default()).is_ok());
    }
}
