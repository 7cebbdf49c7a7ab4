//! A registry client over reqwest, speaking the distribution spec.
//!
//! `RemoteStore` is the `Store` of one registry. Its parts: `connect`
//! (the options, origin, TLS, the one HTTP client), `transport` (every
//! request: in-flight bound, retries, redirects, auth challenges), `response` (capped
//! bodies, typed errors, redaction), `listing` (catalog and tags page by
//! page), `manifests`, `blobs` with `download` (verified, resumable
//! streams) and `upload`, `referrers` (API or fallback tag) and `fallback`
//! (keeping the fallback index up to date on push and delete). `auth` and
//! `credentials` answer the registry's challenges.

pub mod auth;
mod blobs;
mod clients;
mod connect;
pub mod credentials;
mod download;
mod fallback;
mod limit;
mod listing;
mod manifests;
mod referrers;
mod response;
mod retry;
mod tls;
mod transport;
mod upload;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use async_trait::async_trait;
use bytes::Bytes;

pub use clients::Clients;
pub use connect::{
    ConnectOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_METADATA_TIMEOUT, DEFAULT_READ_TIMEOUT,
};

use crate::oci::reference::{validate_registry, validate_repository, validate_tag};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{
    BlobStream, PageSink, PushedManifest, Referrers, ReferrersSupport, Store, StoreError,
};
use auth::{Authenticator, Scope};
use credentials::CredentialSource;
use transport::Transport;

const MODE_UNKNOWN: u8 = 0;
const MODE_API: u8 = 1;
const MODE_FALLBACK: u8 = 2;

/// One registry, reached over HTTP(S).
#[derive(Debug)]
pub struct RemoteStore {
    registry: String,
    transport: Arc<Transport>,
    /// Names asked for per listing page; `None` lets the registry choose
    /// (it knows its cheapest page; `n=1000` made olareg's listing 7x
    /// slower than oras's).
    page_size: Option<u32>,
    /// What the registry showed about referrers: unknown, API or fallback.
    referrers_mode: AtomicU8,
    fallback_locks: fallback::Locks,
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
            page_size: None,
            referrers_mode: AtomicU8::new(MODE_UNKNOWN),
            fallback_locks: fallback::Locks::default(),
        })
    }

    /// Asks for `n` names per listing page (at least 1); without it the
    /// registry picks the page size and `Link` leads on.
    #[must_use]
    pub fn with_page_size(mut self, n: u32) -> RemoteStore {
        self.page_size = Some(n.max(1));
        self
    }

    fn mode(&self) -> u8 {
        self.referrers_mode.load(Ordering::Relaxed)
    }

    fn set_mode(&self, mode: u8) {
        self.referrers_mode.store(mode, Ordering::Relaxed);
    }
}

/// A tag or a digest, validated before it goes into a URL.
enum Target {
    Tag(String),
    Digest(Digest),
}

impl Target {
    fn parse(reference: &str) -> Result<Target, StoreError> {
        if reference.contains(':') {
            let digest = reference
                .parse()
                .map_err(|e| StoreError::Invalid(format!("{e}")))?;
            return Ok(Target::Digest(digest));
        }
        validate_tag(reference)?;
        Ok(Target::Tag(reference.to_owned()))
    }

    fn as_path(&self) -> String {
        match self {
            Target::Tag(tag) => tag.clone(),
            Target::Digest(digest) => digest.to_string(),
        }
    }
}

fn check_repository(repository: &str) -> Result<(), StoreError> {
    validate_repository(repository)?;
    Ok(())
}

/// A repository and a tag or digest in it, both checked before any URL.
fn checked_target(repository: &str, reference: &str) -> Result<Target, StoreError> {
    check_repository(repository)?;
    Target::parse(reference)
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
            MODE_API => ReferrersSupport::Api,
            MODE_FALLBACK => ReferrersSupport::FallbackTag,
            _ => ReferrersSupport::NotYetKnown,
        }
    }

    async fn learn_referrers_support(&self, repository: &str, subject: &Digest) {
        if self.mode() != MODE_UNKNOWN {
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
pub mod fuzzing {
    use reqwest::header::{HeaderMap, HeaderValue, LINK};
    use serde_json::Value;

    pub use super::fallback::entries::Change;
    use crate::oci::Digest;

    /// The next-page target of these `Link` header values.
    pub fn next_link(values: &[&[u8]]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                headers.append(LINK, value);
            }
        }
        super::listing::next_link(&headers)
    }

    /// A fallback index's entries after `changes`, or `None` when unchanged.
    pub fn apply_to_fallback(current: &[Value], changes: &[Change]) -> Option<Vec<Value>> {
        super::fallback::entries::apply(current, changes)
    }

    /// Whether `entries` already show `change`.
    pub fn fallback_shows(entries: &[Value], change: &Change) -> bool {
        super::fallback::entries::is_visible(entries, change)
    }

    /// An `Add` of a descriptor-shaped entry for `digest`.
    pub fn add(entry: Value, digest: Digest) -> Change {
        Change::Add(entry, digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated_before_they_reach_a_url() {
        assert!(RemoteStore::new("not a host", ConnectOptions::default()).is_err());
        assert!(RemoteStore::new("localhost:5000", ConnectOptions::default()).is_ok());
        for bad in ["sha256:../x", "../x", "v1/../../x", "", "v1?x=1"] {
            assert!(Target::parse(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(Target::parse("v1.0"), Ok(Target::Tag(_))));
        let digest = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert!(matches!(Target::parse(digest), Ok(Target::Digest(_))));
        for bad in ["../etc", "UPPER", "a//b", ""] {
            assert!(check_repository(bad).is_err(), "{bad:?}");
        }
    }
}
