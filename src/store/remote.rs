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
//! `auth` and `credentials` answer the registry's challenges.

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
mod target;
mod tls;
mod transport;
mod upload;

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

pub use clients::Clients;
pub use connect::{
    ConnectOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_METADATA_TIMEOUT, DEFAULT_READ_TIMEOUT,
};
pub use referrers::fallback_index_problem;

use crate::oci::reference::{validate_registry, validate_tag};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::cache::ContentCache;
use crate::store::{
    BlobStream, PageSink, PushedManifest, Referrers, ReferrersSupport, Store, StoreError,
};
use auth::{Authenticator, Scope};
use capabilities::{Capabilities, ReferrersMode};
use credentials::CredentialSource;
use target::{Target, check_repository, checked_target};
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

#[async_trait]
impl Store for RemoteStore {
    fn name(&self) -> &str {
        &self.registry
    }

    fn registry(&self) -> &str {
        &self.registry
    }

    fn referrers_support(&self) -> ReferrersSupport {
        match self.mode() {
            ReferrersMode::Api => ReferrersSupport::Api,
            ReferrersMode::Fallback => ReferrersSupport::FallbackTag,
            ReferrersMode::Unknown => ReferrersSupport::NotYetKnown,
        }
    }

    async fn learn_referrers_support(&self, repository: &str, subject: &Digest) {
        if self.mode() != ReferrersMode::Unknown {
            return;
        }
        if let Err(error) = self.uses_referrers_api(repository, subject).await {
            tracing::debug!(%error, "could not find out whether the registry lists referrers");
        }
    }

    async fn catalog(&self, on_page: PageSink<'_>) -> Result<(), StoreError> {
        self.list_catalog(on_page).await
    }

    async fn tags(&self, repository: &str, on_page: PageSink<'_>) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.list_tags(repository, on_page).await
    }

    async fn resolve(&self, repository: &str, reference: &str) -> Result<Descriptor, StoreError> {
        let target = checked_target(repository, reference)?;
        self.resolve_manifest(repository, &target).await
    }

    async fn fetch_manifest(
        &self,
        repository: &str,
        reference: &str,
    ) -> Result<Manifest, StoreError> {
        let target = checked_target(repository, reference)?;
        self.get_manifest(repository, &target).await
    }

    async fn fetch_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<BlobStream, StoreError> {
        check_repository(repository)?;
        self.get_blob(repository, descriptor).await
    }

    async fn fetch_blob_range(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        offset: u64,
        length: u64,
    ) -> Result<Bytes, StoreError> {
        check_repository(repository)?;
        self.get_blob_range(repository, descriptor, offset, length)
            .await
    }

    async fn blob_exists(
        &self,
        repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        check_repository(repository)?;
        self.head_blob(repository, &descriptor.digest).await
    }

    async fn push_blob(
        &self,
        repository: &str,
        descriptor: &Descriptor,
        content: BlobStream,
    ) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.upload_blob(repository, descriptor, content).await
    }

    async fn mount_blob(
        &self,
        repository: &str,
        from_repository: &str,
        descriptor: &Descriptor,
    ) -> Result<bool, StoreError> {
        check_repository(repository)?;
        check_repository(from_repository)?;
        self.mount(repository, from_repository, &descriptor.digest)
            .await
    }

    async fn push_manifest(
        &self,
        repository: &str,
        manifest: &Manifest,
        tag: Option<&str>,
    ) -> Result<PushedManifest, StoreError> {
        check_repository(repository)?;
        if let Some(tag) = tag {
            validate_tag(tag)?;
        }
        self.put_manifest(repository, manifest, tag).await
    }

    async fn push_manifests(
        &self,
        repository: &str,
        manifests: &[(&Manifest, Option<&str>)],
    ) -> Result<Vec<PushedManifest>, StoreError> {
        check_repository(repository)?;
        for (_, tag) in manifests {
            if let Some(tag) = tag {
                validate_tag(tag)?;
            }
        }
        self.put_manifests(repository, manifests).await
    }

    async fn delete_manifest(&self, repository: &str, digest: &Digest) -> Result<(), StoreError> {
        check_repository(repository)?;
        self.remove_manifest(repository, digest).await
    }

    async fn delete_tag(&self, repository: &str, tag: &str) -> Result<bool, StoreError> {
        check_repository(repository)?;
        validate_tag(tag)?;
        self.remove_tag(repository, tag).await
    }

    async fn referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Referrers, StoreError> {
        check_repository(repository)?;
        self.list_referrers(repository, subject, artifact_type)
            .await
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
