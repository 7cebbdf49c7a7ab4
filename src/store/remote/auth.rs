//! Answering a registry's `WWW-Authenticate` challenges the way docker and
//! oras do: anonymous until challenged; then Basic, or a Bearer token from
//! the token server the challenge names, cached per set of scopes and
//! renewed before it expires or when the registry rejects it.
//!
//! One [`Authenticator`] serves one registry host and is shared by all its
//! requests. It never sees a redirect target: the transport only asks it
//! about 401s from the registry itself. Secrets stay inside it and inside
//! sensitive `HeaderValue`s; messages and logs name users and hosts only.

mod cache;
pub(crate) mod challenge;
#[doc(hidden)]
pub mod fuzzing;
mod realm;
mod scope;
mod token;

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use self::cache::TokenCache;
use self::challenge::{AuthScheme, Challenge, challenges_in};
use self::scope::ScopeSet;
use super::clients::Clients;
use super::credentials::{Credential, CredentialSource};
use crate::store::StoreError;

/// What a request needs permission for; decides a Bearer token's scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Pull(String),
    /// Pull and push (pushing needs both, and so does the target of a mount).
    Push(String),
    Delete(String),
    Catalog,
}

/// Authentication for one registry host. `Send + Sync`; share it in an `Arc`.
pub struct Authenticator {
    client: Clients,
    registry: String,
    credential: CredentialSource,
    plain_http: bool,
    method: Mutex<Method>,
    tokens: TokenCache,
}

/// What the registry asked for in its last challenge.
#[derive(Debug, Clone, Default)]
enum Method {
    #[default]
    NotYetChallenged,
    Basic,
    Bearer {
        realm: Url,
        service: Option<String>,
    },
}

impl Authenticator {
    /// `registry` names the registry (`ghcr.io`, `localhost:5000`, as in a
    /// reference or as its API host): it appears in errors, and a realm on
    /// a loopback or private address is accepted only when it is this
    /// host. `plain_http` says the registry is spoken to over plain HTTP
    /// (asked for by the user, or a loopback host); only then may a realm
    /// be plain HTTP and so receive credentials without TLS.
    pub fn new(
        client: impl Into<Clients>,
        registry: &str,
        credential: Option<Credential>,
        plain_http: bool,
    ) -> Authenticator {
        Self::with_source(
            client,
            registry,
            CredentialSource::known(credential),
            plain_http,
        )
    }

    /// [`Authenticator::new`] with a credential that may be looked up only
    /// when the registry first challenges.
    pub fn with_source(
        client: impl Into<Clients>,
        registry: &str,
        credential: CredentialSource,
        plain_http: bool,
    ) -> Authenticator {
        Authenticator {
            client: client.into(),
            registry: registry.to_owned(),
            credential,
            plain_http,
            method: Mutex::new(Method::NotYetChallenged),
            tokens: TokenCache::default(),
        }
    }

    /// The `Authorization` value already known for these scopes: a cached,
    /// unexpired token covering them (fetched now when the registry has
    /// challenged with Bearer before and none is cached), or Basic once the
    /// registry challenged with Basic. `None` until the first challenge, or
    /// when no token could be had (the 401 that follows reports why).
    pub async fn authorization(&self, scopes: &[Scope]) -> Option<HeaderValue> {
        let wanted = ScopeSet::from_scopes(scopes);
        let method = self.method().clone();
        match method {
            Method::NotYetChallenged => None,
            Method::Basic => self.basic().await.ok(),
            Method::Bearer { realm, service } => {
                if let Some(header) = self.tokens.find(&wanted, None) {
                    return Some(header);
                }
                match self.fetch(&realm, service.as_deref(), wanted, None).await {
                    Ok(header) => Some(header),
                    Err(error) => {
                        tracing::debug!(registry = %self.registry, %error, "no token ahead of the request");
                        None
                    }
                }
            }
        }
    }

    /// After a 401 from the registry: reads its challenges, gets a Bearer
    /// token for `scopes` plus whatever the challenge asks for (or decides
    /// on Basic), caches it, and returns the header to retry with.
    pub async fn answer_challenge(
        &self,
        challenges: &HeaderMap,
        scopes: &[Scope],
    ) -> Result<HeaderValue, StoreError> {
        // A token fetched after this moment answers for the rejected request
        // too; one fetched before may be the one that was rejected.
        let asked_at = Instant::now();
        let challenges = challenges_in(challenges);
        let bearer = challenges
            .iter()
            .find(|c| c.scheme == AuthScheme::Bearer && c.param("realm").is_some());
        if let Some(bearer) = bearer {
            return self.answer_bearer(bearer, scopes, asked_at).await;
        }
        if challenges.iter().any(|c| c.scheme == AuthScheme::Basic) {
            let header = self.basic().await?;
            *self.method() = Method::Basic;
            return Ok(header);
        }
        Err(self.unauthorized(unanswerable(&challenges)))
    }

    async fn answer_bearer(
        &self,
        challenge: &Challenge,
        scopes: &[Scope],
        asked_at: Instant,
    ) -> Result<HeaderValue, StoreError> {
        let realm = challenge.param("realm").unwrap_or_default();
        let realm = realm::validate_realm(realm, &self.registry, self.plain_http)?;
        let service = challenge.param("service").map(str::to_owned);
        let mut wanted = ScopeSet::from_scopes(scopes);
        // `error="insufficient_scope"` comes with the scope that was missing;
        // any challenge's scope is what the registry wants, so always add it.
        if let Some(challenged) = challenge.param("scope") {
            wanted.add_all(challenged);
        }
        *self.method() = Method::Bearer {
            realm: realm.clone(),
            service: service.clone(),
        };
        self.fetch(&realm, service.as_deref(), wanted, Some(asked_at))
            .await
    }

    /// Fetches a token for `wanted`, or reuses one that a concurrent
    /// request fetched while this one waited for the lock.
    async fn fetch(
        &self,
        realm: &Url,
        service: Option<&str>,
        wanted: ScopeSet,
        fetched_after: Option<Instant>,
    ) -> Result<HeaderValue, StoreError> {
        let lock = self.tokens.fetch_lock(&wanted);
        let _guard = lock.lock().await;
        if let Some(header) = self.tokens.find(&wanted, fetched_after) {
            return Ok(header);
        }
        let issued = token::fetch_token(
            &self.client,
            &token::TokenRequest {
                registry: &self.registry,
                registry_is_http: self.plain_http,
                realm,
                service,
                scopes: &wanted,
                credential: self.credential.get().await?,
            },
        )
        .await?;
        self.tokens
            .insert(wanted, issued.header.clone(), issued.lifetime);
        Ok(issued.header)
    }

    async fn basic(&self) -> Result<HeaderValue, StoreError> {
        match self.credential.get().await? {
            Some(Credential::Basic { username, password }) => basic_header(username, password),
            Some(Credential::IdentityToken(_)) => Err(self.unauthorized(
                "the registry asks for a username and password (Basic); an identity token only works with a token server".to_owned(),
            )),
            None => Err(self.unauthorized(
                "the registry asks for a username and password and none were given (use --username with --password-stdin, or docker login)".to_owned(),
            )),
        }
    }

    fn unauthorized(&self, detail: String) -> StoreError {
        StoreError::Unauthorized {
            what: self.registry.clone(),
            detail,
        }
    }

    fn method(&self) -> MutexGuard<'_, Method> {
        // Assignments are whole values, so a panic elsewhere while the lock
        // was held leaves nothing half-done.
        self.method.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = match &*self.method() {
            Method::NotYetChallenged => "not yet challenged".to_owned(),
            Method::Basic => "basic".to_owned(),
            Method::Bearer { realm: r, .. } => format!("bearer via {}", realm::redacted(r)),
        };
        f.debug_struct("Authenticator")
            .field("registry", &self.registry)
            .field("plain_http", &self.plain_http)
            .field("credential", &self.credential)
            .field("method", &method)
            .finish_non_exhaustive()
    }
}

/// `Basic base64(user:password)`, marked sensitive so it is redacted in
/// `Debug` output of headers.
pub(crate) fn basic_header(username: &str, password: &str) -> Result<HeaderValue, StoreError> {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    let mut header = HeaderValue::try_from(format!("Basic {encoded}")).map_err(|_| {
        StoreError::Invalid("the credentials cannot be sent in a header".to_owned())
    })?;
    header.set_sensitive(true);
    Ok(header)
}

fn unanswerable(challenges: &[Challenge]) -> String {
    let schemes: Vec<String> = challenges
        .iter()
        .map(|c| match &c.scheme {
            AuthScheme::Basic => "Basic".to_owned(),
            AuthScheme::Bearer => "Bearer without a realm".to_owned(),
            AuthScheme::Other(name) => name.chars().take(40).collect(),
        })
        .collect();
    if schemes.is_empty() {
        "the registry answered 401 without a WWW-Authenticate challenge".to_owned()
    } else {
        format!(
            "the registry asks for an authentication scheme regscope does not speak ({})",
            schemes.join(", ")
        )
    }
}
