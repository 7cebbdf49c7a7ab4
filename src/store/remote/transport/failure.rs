//! What one `send` does after a failure: a connection that failed before
//! any answer, or an answer asking to come back later. Either is tried
//! again within the retry budget, or becomes the error the caller sees.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use url::Url;

use super::{Call, Transport};
use crate::store::StoreError;
use crate::store::remote::response::{
    is_connection_refused, not_listening, redact, transport_error,
};
use crate::store::remote::retry::{self, MAX_REFUSED_RETRIES, MAX_RETRIES, MAX_RETRY_AFTER};

impl Transport {
    /// After a request failed before any answer: how long to wait before
    /// trying again, or the error when it is not worth another try.
    pub(super) fn after_failure(
        &self,
        call: &Call,
        url: &Url,
        method: &Method,
        error: reqwest::Error,
        tries: Tries<'_>,
    ) -> Result<Duration, StoreError> {
        if error.is_connect() || error.is_request() {
            self.in_flight.overloaded();
        }
        if is_connection_refused(&error) {
            // Nothing listens there: one more try covers a registry that
            // is just restarting, more only waits.
            if *tries.refusals < MAX_REFUSED_RETRIES {
                *tries.refusals += 1;
                tracing::debug!(url = %redact(url), "connection refused, trying once more");
                return Ok(retry::backoff(1));
            }
            return Err(not_listening(&call.operation, url, *tries.refusals + 1));
        }
        if *tries.retries < MAX_RETRIES && worth_retrying(method, &error) {
            *tries.retries += 1;
            tracing::debug!(url = %redact(url), retry = *tries.retries, "retrying after: {}", error.without_url());
            return Ok(retry::backoff(*tries.retries));
        }
        Err(transport_error(&call.operation, url, error))
    }

    /// How long to wait before asking again when the registry's answer
    /// asks for that (429, 503 and the like), counted as a retry; `None`
    /// when the answer stands. A wait beyond what is worth it on a 429 is
    /// the rate-limit error.
    pub(super) fn asked_to_wait(
        &self,
        status: StatusCode,
        response: &reqwest::Response,
        method: &Method,
        retries: &mut u32,
    ) -> Result<Option<Duration>, StoreError> {
        if !retry::is_retryable_status(status, method) || *retries >= MAX_RETRIES {
            return Ok(None);
        }
        let wait =
            retry::retry_after(response.headers()).unwrap_or_else(|| retry::backoff(*retries + 1));
        if wait > MAX_RETRY_AFTER {
            if status == StatusCode::TOO_MANY_REQUESTS {
                return Err(StoreError::RateLimited {
                    registry: self.registry.clone(),
                    retry_after: Some(wait),
                });
            }
            return Ok(None);
        }
        *retries += 1;
        Ok(Some(wait))
    }
}

/// Connection failures are retried when sending again cannot do a thing
/// twice: idempotent methods always, others only if nothing was sent. A
/// timeout is not retried: the user has already waited the whole timeout.
fn worth_retrying(method: &Method, error: &reqwest::Error) -> bool {
    let idempotent = matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE
    );
    !error.is_timeout() && (error.is_connect() || (idempotent && error.is_request()))
}

/// The tries one `send` has used so far.
pub(super) struct Tries<'a> {
    pub refusals: &'a mut u32,
    pub retries: &'a mut u32,
}
