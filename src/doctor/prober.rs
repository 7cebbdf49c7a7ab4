//! The doctor's way to the registry: raw probes through the store (so
//! TLS, auth and retries are the operations' own), each answer kept for
//! the `rate-limit` check, and the request paths built from validated
//! names only.

use std::sync::{Mutex, PoisonError};

use reqwest::Method;
use reqwest::header::ACCEPT;

use super::report::Evidence;
use crate::oci::Digest;
use crate::store::StoreError;
use crate::store::remote::RemoteStore;
use crate::store::remote::auth::Scope;
use crate::store::remote::probe::{Exchange, Probe};

/// Every manifest type, as one `Accept` value.
pub fn accept_manifests() -> String {
    crate::oci::media_type::MANIFEST_TYPES.join(", ")
}

/// An answer, or the evidence of a request that got none.
pub type Answer = Result<Exchange, Evidence>;

pub struct Prober<'a> {
    pub store: &'a RemoteStore,
    seen: Mutex<Vec<Exchange>>,
}

impl<'a> Prober<'a> {
    pub fn new(store: &'a RemoteStore) -> Prober<'a> {
        Prober {
            store,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// Sends `probe`; a request with no answer becomes its evidence.
    pub async fn send(&self, probe: Probe) -> Answer {
        let sent = self.store.probe(&probe).await;
        self.keep(probe, sent)
    }

    /// [`Prober::send`] as a user with no credentials; `true` with it when
    /// the registry challenged and there was nothing to answer with.
    pub async fn send_without_credentials(&self, probe: Probe) -> (Answer, bool) {
        let sent = self.store.probe_without_credentials(&probe).await;
        let refused = matches!(
            sent,
            Err(StoreError::Unauthorized { .. } | StoreError::Forbidden { .. })
        );
        (self.keep(probe, sent), refused)
    }

    fn keep(&self, probe: Probe, sent: Result<Exchange, StoreError>) -> Answer {
        match sent {
            Ok(exchange) => {
                self.seen
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(exchange.clone());
                Ok(exchange)
            }
            Err(error) => Err(Evidence::failed(probe.request_line(), error.to_string())),
        }
    }

    /// Every answer so far.
    pub fn seen(&self) -> Vec<Exchange> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `GET` (or `HEAD`) of a manifest by tag or digest.
    pub async fn manifest(&self, method: Method, repository: &str, reference: &str) -> Answer {
        let probe = Probe::new(
            method,
            format!("/v2/{repository}/manifests/{reference}"),
            pull(repository),
        )
        .header(ACCEPT, accept_manifests());
        self.send(probe).await
    }

    /// `GET /v2/<name>/referrers/<digest>`, with `?artifactType=` if asked.
    pub async fn referrers(
        &self,
        repository: &str,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Answer {
        let mut target = format!("/v2/{repository}/referrers/{subject}");
        if let Some(artifact_type) = artifact_type {
            target.push_str("?artifactType=");
            target.push_str(&encode(artifact_type));
        }
        let probe = Probe::new(Method::GET, target, pull(repository))
            .header(ACCEPT, crate::oci::media_type::OCI_INDEX);
        self.send(probe).await
    }
}

pub fn pull(repository: &str) -> Vec<Scope> {
    vec![Scope::Pull(repository.to_owned())]
}

pub fn push(repository: &str) -> Vec<Scope> {
    vec![Scope::Push(repository.to_owned())]
}

/// A query value with everything but unreserved characters escaped.
pub fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The evidence of an answer either way.
pub fn evidence(answer: &Answer, matters: &[&str]) -> Evidence {
    match answer {
        Ok(exchange) => Evidence::of(exchange, matters),
        Err(evidence) => evidence.clone(),
    }
}

/// The digest of nothing at all: a subject no registry has.
pub fn zero_digest() -> Digest {
    // A constant of the right shape: parsing cannot fail.
    format!("sha256:{}", "0".repeat(64))
        .parse()
        .unwrap_or_else(|_| Digest::sha256_of(b""))
}
