//! Reading what a registry answers without trusting it: every body is capped
//! before it is read (never sized from what the registry declared), error
//! bodies become typed errors with the registry's own messages, and URLs are
//! redacted before they reach an error or a log line.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use serde::Deserialize;
use url::Url;

use super::retry;
use crate::store::StoreError;

/// Error bodies are for people; more than this is noise (or an attack).
pub const MAX_ERROR_BODY: u64 = 64 * 1024;
/// How long an error body may take to arrive before the error is reported
/// without it.
const ERROR_BODY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);
/// One page of tags or repositories. Distribution 2.8 ignores `n` and sends
/// every tag at once, so this is generous.
pub const MAX_LISTING_PAGE: u64 = 16 * 1024 * 1024;

/// `scheme://host[:port]/path`: no user info, no query (signed storage URLs
/// carry secrets there), no fragment.
pub fn redact(url: &Url) -> String {
    let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    shown
}

/// A reqwest error as a typed one, without the URL reqwest would print.
pub fn transport_error(operation: &str, url: &Url, error: reqwest::Error) -> StoreError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "connection failed"
    };
    let mut message = format!("{kind} ({})", redact(url));
    let error = error.without_url();
    let mut source: Option<&dyn std::error::Error> = Some(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    StoreError::Transport {
        operation: operation.to_owned(),
        message,
    }
}

/// Whether the connection was refused (`ECONNREFUSED`): nothing listens
/// there, so retrying more than once only makes the user wait.
pub fn is_connection_refused(error: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The error for a refused connection after `attempts` tries.
pub fn not_listening(operation: &str, url: &Url, attempts: u32) -> StoreError {
    let mut address = url.host_str().unwrap_or("").to_owned();
    if let Some(port) = url.port_or_known_default() {
        address.push_str(&format!(":{port}"));
    }
    StoreError::NotListening {
        operation: operation.to_owned(),
        address,
        attempts,
    }
}

/// The declared `Content-Length`, read from the header itself (reqwest's
/// `content_length()` is the body's size hint, which is 0 for `HEAD`).
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let media_type = value.split(';').next().unwrap_or(value).trim();
    (!media_type.is_empty()).then(|| media_type.to_owned())
}

/// Reads the whole body, failing with `TooLarge` as soon as it (or its
/// declared length) passes `limit`.
pub async fn read_capped(
    response: reqwest::Response,
    limit: u64,
    what: &str,
    url: &Url,
) -> Result<Bytes, StoreError> {
    let too_large = || StoreError::TooLarge {
        what: what.to_owned(),
        limit,
    };
    if declared_length(response.headers()).is_some_and(|declared| declared > limit) {
        return Err(too_large());
    }
    let mut body = BytesMut::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| transport_error(&format!("reading {what}"), url, e))?;
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The registry's `{"errors":[{"code","message"}]}` as (codes, one message).
fn parse_error_body(body: &[u8]) -> (Vec<String>, String) {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) if !parsed.errors.is_empty() => {
            let codes = parsed.errors.iter().map(|e| e.code.clone()).collect();
            let message = parsed
                .errors
                .iter()
                .map(|e| match (e.code.is_empty(), e.message.is_empty()) {
                    (false, false) => format!("{}: {}", e.code, e.message),
                    (false, true) => e.code.clone(),
                    _ => e.message.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            (codes, printable(&message))
        }
        _ => {
            let text = String::from_utf8_lossy(body);
            let text: String = text.chars().take(200).collect();
            (Vec::new(), printable(text.trim()))
        }
    }
}

/// Registry text shown to a person: no control characters (no terminal
/// escapes), bounded length.
fn printable(text: &str) -> String {
    text.chars()
        .take(500)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// What went wrong, for a response that is not the success the caller
/// wanted. `what` names the object (`manifest net-monitor:v1`), `operation`
/// the action (`fetch manifest`).
pub async fn error_from(
    response: reqwest::Response,
    registry: &str,
    operation: &str,
    what: &str,
) -> StoreError {
    let status = response.status();
    let headers = response.headers().clone();
    let url = response.url().clone();
    // The error stands without its body: a registry trickling one should
    // not hold the error up for longer than this.
    let body = tokio::time::timeout(
        ERROR_BODY_DEADLINE,
        read_capped(response, MAX_ERROR_BODY, "error body", &url),
    )
    .await
    .ok()
    .and_then(Result::ok)
    .unwrap_or_default();
    let (codes, message) = parse_error_body(&body);
    status_error(status, &headers, &codes, message, registry, operation, what)
}

fn status_error(
    status: StatusCode,
    headers: &HeaderMap,
    codes: &[String],
    message: String,
    registry: &str,
    operation: &str,
    what: &str,
) -> StoreError {
    let detail = if message.is_empty() {
        status.canonical_reason().unwrap_or("no detail").to_owned()
    } else {
        message
    };
    if status == StatusCode::METHOD_NOT_ALLOWED || codes.iter().any(|c| c == "UNSUPPORTED") {
        return StoreError::Unsupported {
            registry: registry.to_owned(),
            operation: operation.to_owned(),
            detail,
        };
    }
    match status.as_u16() {
        401 => StoreError::Unauthorized {
            what: what.to_owned(),
            detail,
        },
        403 => StoreError::Forbidden {
            what: what.to_owned(),
            detail,
        },
        404 => StoreError::NotFound {
            what: what.to_owned(),
        },
        429 => StoreError::RateLimited {
            registry: registry.to_owned(),
            retry_after: retry::retry_after(headers),
        },
        code => StoreError::Registry {
            operation: operation.to_owned(),
            status: code,
            message: detail,
        },
    }
}

#[cfg(test)]
mod tests;
