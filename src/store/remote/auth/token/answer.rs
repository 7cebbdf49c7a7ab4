//! Reading a token server's answer: capped before parsing, `token` or
//! `access_token`, a lifetime within bounds, and refusals turned into
//! plain errors that name the user but never the secret.

use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Response, StatusCode};
use serde::Deserialize;

use super::{IssuedToken, TokenRequest};
use crate::store::StoreError;
use crate::store::remote::auth::realm::redacted;
use crate::store::remote::credentials::Credential;

/// Token answers are small; a bigger one is an attack or a mistake.
pub(super) const MAX_TOKEN_RESPONSE: usize = 128 * 1024;
/// Error bodies are read only for a short message.
const MAX_ERROR_RESPONSE: usize = 16 * 1024;
/// The token spec's default lifetime, also the floor: docker treats shorter
/// ones as 60 s.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60);
/// Lifetimes above this are trusted only this far (olareg, for one, sends
/// nanoseconds); a token that dies earlier is renewed on the next 401.
const MAX_LIFETIME: Duration = Duration::from_secs(60 * 60);

#[derive(Deserialize)]
struct TokenAnswer {
    token: Option<String>,
    access_token: Option<String>,
    expires_in: Option<serde_json::Value>,
}

/// The token in a `200 OK` answer, or the error a refusal means.
pub(super) async fn read_answer(
    request: &TokenRequest<'_>,
    operation: &str,
    response: Response,
) -> Result<IssuedToken, StoreError> {
    let status = response.status();
    if status != StatusCode::OK {
        let body = read_capped(response, MAX_ERROR_RESPONSE)
            .await
            .unwrap_or_default();
        return Err(refusal(request, operation, status, &body));
    }
    let body = read_capped(response, MAX_TOKEN_RESPONSE)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => StoreError::TooLarge {
                what: format!("the token answer from {}", redacted(request.realm)),
                limit: MAX_TOKEN_RESPONSE as u64,
            },
            ReadError::Transport(e) => transport(operation, &e),
        })?;
    parse_answer(operation, &body)
}

/// The token in the body of a `200 OK` answer (already capped).
pub(crate) fn parse_answer(operation: &str, body: &[u8]) -> Result<IssuedToken, StoreError> {
    let protocol = |what: &str| StoreError::Protocol(format!("{operation}: {what}"));
    let answer: TokenAnswer = serde_json::from_slice(body)
        .map_err(|_| protocol("the token server's answer is not JSON"))?;
    let token = [answer.token, answer.access_token]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty())
        .ok_or_else(|| protocol("the token server's answer holds no token"))?;
    let mut header = HeaderValue::try_from(format!("Bearer {token}"))
        .map_err(|_| protocol("the token is not a valid header value"))?;
    header.set_sensitive(true);
    Ok(IssuedToken {
        header,
        lifetime: lifetime(answer.expires_in.as_ref()),
    })
}

/// `expires_in` in seconds, within [`DEFAULT_LIFETIME`, `MAX_LIFETIME`].
fn lifetime(expires_in: Option<&serde_json::Value>) -> Duration {
    let seconds = expires_in.and_then(|v| {
        v.as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    });
    match seconds {
        Some(s) if s.is_finite() && s > 0.0 => {
            Duration::from_secs_f64(s.min(MAX_LIFETIME.as_secs_f64())).max(DEFAULT_LIFETIME)
        }
        _ => DEFAULT_LIFETIME,
    }
}

fn refusal(
    request: &TokenRequest<'_>,
    operation: &str,
    status: StatusCode,
    body: &[u8],
) -> StoreError {
    let what = request.registry.to_owned();
    let who = match request.credential {
        Some(Credential::Basic { username, .. }) => format!("user {username:?}"),
        Some(Credential::IdentityToken(_)) => "the identity token".to_owned(),
        None => "anonymous access".to_owned(),
    };
    let message = short_message(body);
    let detail = |verb: &str| {
        let mut detail = format!("the token server {} {verb} {who}", redacted(request.realm));
        if let Some(message) = &message {
            detail.push_str(&format!(": {message}"));
        }
        detail
    };
    match status {
        StatusCode::UNAUTHORIZED => StoreError::Unauthorized {
            what,
            detail: detail("refused"),
        },
        StatusCode::FORBIDDEN => StoreError::Forbidden {
            what,
            detail: detail("denied"),
        },
        _ => StoreError::Registry {
            operation: operation.to_owned(),
            status: status.as_u16(),
            message: message.unwrap_or_else(|| status.to_string()),
        },
    }
}

/// The message of a token server's error answer, in any of the shapes in
/// use (distribution `errors`, OAuth2 `error_description`, `details`),
/// cut short and without control characters.
fn short_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = value["errors"][0]["message"]
        .as_str()
        .or_else(|| value["error_description"].as_str())
        .or_else(|| value["details"].as_str())
        .or_else(|| value["error"].as_str())?;
    let clean: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
    (!clean.is_empty()).then_some(clean)
}

enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

async fn read_capped(mut response: Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport failure without the URL: a redirect target's query may be
/// someone else's signature.
pub(super) fn transport(operation: &str, error: &reqwest::Error) -> StoreError {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(url.as_str(), "<url>");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    StoreError::Transport {
        operation: operation.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lifetimes_default_to_60s_and_are_bounded() {
        assert_eq!(lifetime(None), Duration::from_secs(60));
        assert_eq!(lifetime(Some(&json!(300))), Duration::from_secs(300));
        assert_eq!(lifetime(Some(&json!("120"))), Duration::from_secs(120));
        assert_eq!(lifetime(Some(&json!(5))), Duration::from_secs(60));
        assert_eq!(lifetime(Some(&json!(-1))), Duration::from_secs(60));
        assert_eq!(lifetime(Some(&json!(null))), Duration::from_secs(60));
        assert_eq!(lifetime(Some(&json!(300_000_000_000_u64))), MAX_LIFETIME);
    }

    #[test]
    fn error_messages_come_from_any_known_shape() {
        let m = |v: serde_json::Value| short_message(v.to_string().as_bytes());
        assert_eq!(
            m(json!({"errors": [{"code": "DENIED", "message": "no access"}]})).as_deref(),
            Some("no access")
        );
        assert_eq!(
            m(json!({"error": "invalid_grant", "error_description": "expired"})).as_deref(),
            Some("expired")
        );
        assert_eq!(
            m(json!({"details": "bad\u{1b}[2J"})).as_deref(),
            Some("bad[2J")
        );
        assert_eq!(short_message(b"<html>"), None);
    }
}
