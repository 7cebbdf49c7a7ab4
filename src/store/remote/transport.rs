//! One HTTP client per registry, and the one place requests are sent:
//! bounded requests in flight, bounded retries with backoff, redirects
//! followed by hand so `Authorization` only ever goes to the registry's own
//! origin, and 401 challenges answered through the authenticator.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

mod call;
mod failure;
mod redirect;

pub use self::call::{Call, Reply};
use self::failure::Tries;
use super::Authenticator;
use super::clients::Clients;
use super::limit::AdaptiveLimit;
use super::response::{read_capped, redact};
use crate::store::StoreError;

/// Requests one store starts with in flight at once: a whole level of a
/// referrer graph in one round; the limit then adapts (see `limit`).
pub const INITIAL_IN_FLIGHT: usize = super::limit::INITIAL_LIMIT;

pub struct Transport {
    client: Clients,
    origin: Url,
    registry: String,
    auth: Arc<Authenticator>,
    in_flight: Arc<AdaptiveLimit>,
    metadata_timeout: Duration,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("origin", &redact(&self.origin))
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(
        client: Clients,
        origin: Url,
        registry: &str,
        auth: Authenticator,
        metadata_timeout: Duration,
    ) -> Self {
        Transport {
            client,
            origin,
            registry: registry.to_owned(),
            auth: Arc::new(auth),
            in_flight: AdaptiveLimit::new(INITIAL_IN_FLIGHT),
            metadata_timeout,
        }
    }

    /// A metadata body (manifest, listing page), capped at `limit` bytes
    /// and at the metadata timeout in all.
    pub async fn read_metadata(
        &self,
        reply: Reply,
        limit: u64,
        what: &str,
    ) -> Result<Bytes, StoreError> {
        let url = reply.url;
        match tokio::time::timeout(
            self.metadata_timeout,
            read_capped(reply.response, limit, what, &url),
        )
        .await
        {
            Ok(read) => read,
            Err(_) => Err(StoreError::Transport {
                operation: format!("reading {what}"),
                message: format!(
                    "timed out ({}): the body took more than {}s in all",
                    redact(&url),
                    self.metadata_timeout.as_secs_f32()
                ),
            }),
        }
    }

    /// The same registry with no credentials at all: challenges are
    /// answered anonymously (a token server's anonymous token), as for a
    /// user who has not logged in.
    pub fn without_credentials(&self) -> Transport {
        let plain_http = self.origin.scheme() == "http";
        let auth = Authenticator::new(self.client.clone(), &self.registry, None, plain_http);
        Transport::new(
            self.client.clone(),
            self.origin.clone(),
            &self.registry,
            auth,
            self.metadata_timeout,
        )
    }

    /// The registry's name, for errors.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// `<origin><path>`; `path` is built from validated names and digests.
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.origin.clone();
        url.set_path(path);
        url
    }

    /// Whether `url` is on the registry's own scheme, host and port: the
    /// only place credentials may go.
    pub fn is_registry_origin(&self, url: &Url) -> bool {
        url.origin() == self.origin.origin()
    }

    /// Resolves a `Location` or `Link` target against `base` and insists it
    /// stays on the registry's origin.
    pub fn same_origin_target(
        &self,
        base: &Url,
        target: &str,
        what: &str,
    ) -> Result<Url, StoreError> {
        let resolved = base
            .join(target)
            .map_err(|_| StoreError::Protocol(format!("{what} is not a valid URL")))?;
        if self.is_registry_origin(&resolved) {
            Ok(resolved)
        } else {
            Err(StoreError::Protocol(format!(
                "{what} points to another origin ({}); refused",
                redact(&resolved)
            )))
        }
    }

    /// Sends `call`, following redirects, answering one auth challenge and
    /// retrying what is worth retrying. Any final status is returned: the
    /// caller decides what is an error.
    pub async fn send(&self, call: &Call) -> Result<Reply, StoreError> {
        let mut url = call.url.clone();
        let mut method = call.method.clone();
        let mut body = call.body.clone();
        let mut redirects = 0;
        let mut retries = 0;
        let mut refusals = 0;
        let mut challenge_answer: Option<HeaderValue> = None;
        loop {
            let on_registry = self.is_registry_origin(&url);
            let queued = std::time::Instant::now();
            let permit = self
                .in_flight
                .acquire()
                .await
                .ok_or(StoreError::Cancelled)?;
            // With the answer's `debug` line: when each request went out
            // and how long it waited for a place (the audit bench plots
            // requests in flight from these).
            tracing::trace!(%method, url = %redact(&url), waited = ?queued.elapsed(), "sending");
            let request = self
                .request_for(
                    call,
                    &url,
                    &method,
                    body.as_ref(),
                    on_registry,
                    challenge_answer.as_ref(),
                )
                .await;
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) => {
                    drop(permit);
                    let tries = Tries {
                        refusals: &mut refusals,
                        retries: &mut retries,
                    };
                    let wait = self.after_failure(call, &url, &method, error, tries)?;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            };
            let status = response.status();
            // What `REGSCOPE_LOG=debug` shows a user who asks what was sent:
            // the URL without query or credentials, never a header.
            tracing::debug!(%method, url = %redact(&url), %status, version = ?response.version(), "{}", call.operation);
            self.note_load(status);
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                redirects += 1;
                url = self.redirect_target(&url, &response, redirects, &call.operation)?;
                if status == StatusCode::SEE_OTHER
                    || (matches!(status.as_u16(), 301 | 302) && method == Method::POST)
                {
                    method = Method::GET;
                    body = None;
                }
                continue;
            }
            if status == StatusCode::UNAUTHORIZED
                && on_registry
                && challenge_answer.is_none()
                && !call.anonymous
            {
                // Only the registry's own challenges are answered: a 401 from
                // a redirect target never gets the registry's credentials.
                let answer = self
                    .auth
                    .answer_challenge(response.headers(), &call.scopes)
                    .await?;
                challenge_answer = Some(answer);
                continue;
            }
            if let Some(wait) = self.asked_to_wait(status, &response, &method, &mut retries)? {
                drop(response);
                drop(permit);
                tracing::debug!(url = %redact(&url), %status, retry = retries, ?wait, "registry asked to retry");
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(Reply {
                response,
                url,
                retried: retries > 0,
                permit: Some(permit),
            });
        }
    }

    /// The request for one try: the call's headers and body and, on the
    /// registry's own origin, its credentials (the answer to its challenge
    /// once one was answered).
    async fn request_for(
        &self,
        call: &Call,
        url: &Url,
        method: &Method,
        body: Option<&Bytes>,
        on_registry: bool,
        challenge_answer: Option<&HeaderValue>,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .client
            .for_url(url)
            .request(method.clone(), url.clone())
            .headers(call.headers.clone());
        if on_registry && !call.anonymous {
            let authorization = match challenge_answer {
                Some(answer) => Some(answer.clone()),
                None => self.auth.authorization(&call.scopes).await,
            };
            if let Some(mut value) = authorization {
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
        }
        if let Some(bytes) = body {
            request = request.body(bytes.clone());
        }
        request
    }

    /// Tells the in-flight limit whether the registry pushed back.
    fn note_load(&self, status: StatusCode) {
        if matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        ) {
            self.in_flight.overloaded();
        } else {
            self.in_flight.succeeded();
        }
    }
}
