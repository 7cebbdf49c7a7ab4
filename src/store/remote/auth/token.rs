//! Fetching a Bearer token from a token server (distribution's
//! `docs/spec/auth/token.md` and `oauth.md`).
//!
//! With a username and password, or anonymously: `GET realm?service=…&
//! scope=…&scope=…`. With an identity token (a refresh token from `docker
//! login` or `az acr login`): the OAuth2 form `POST realm` with
//! `grant_type=refresh_token`. Redirects are followed here, a few at most,
//! each target checked like a realm; credentials go only to the realm's
//! own origin.

pub(super) mod answer;

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue, LOCATION};
use reqwest::{Response, StatusCode};
use url::Url;

use super::realm::{redacted, validate_realm};
use super::scope::ScopeSet;
use crate::store::StoreError;
use crate::store::remote::clients::Clients;
use crate::store::remote::credentials::Credential;

/// The whole exchange, so a token server that trickles bytes or bounces
/// between redirects cannot stall a request.
const FETCH_TIMEOUT: Duration = Duration::from_secs(60);
const MAX_REDIRECTS: usize = 5;
/// The OAuth2 client id regscope announces.
const CLIENT_ID: &str = "regscope";

pub(crate) struct TokenRequest<'a> {
    pub(crate) registry: &'a str,
    pub(crate) registry_is_http: bool,
    pub(crate) realm: &'a Url,
    pub(crate) service: Option<&'a str>,
    pub(crate) scopes: &'a ScopeSet,
    pub(crate) credential: Option<&'a Credential>,
}

pub(crate) struct IssuedToken {
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
    pub(crate) lifetime: Duration,
}

pub(crate) async fn fetch_token(
    clients: &Clients,
    request: &TokenRequest<'_>,
) -> Result<IssuedToken, StoreError> {
    let operation = format!("get a token from {}", redacted(request.realm));
    tracing::debug!(
        registry = request.registry,
        realm = %redacted(request.realm),
        scopes = ?request.scopes.to_strings(),
        with_credential = request.credential.is_some(),
        "fetching a bearer token"
    );
    let exchange = async {
        let response = send(clients, request, &operation).await?;
        answer::read_answer(request, &operation, response).await
    };
    tokio::time::timeout(FETCH_TIMEOUT, exchange)
        .await
        .map_err(|_| StoreError::Transport {
            operation: operation.clone(),
            message: format!("no complete answer within {}s", FETCH_TIMEOUT.as_secs()),
        })?
}

/// Sends the token request, following redirects.
async fn send(
    clients: &Clients,
    request: &TokenRequest<'_>,
    operation: &str,
) -> Result<Response, StoreError> {
    let protocol = |what: String| StoreError::Protocol(format!("{operation}: {what}"));
    let posts_secret = matches!(request.credential, Some(Credential::IdentityToken(_)));
    let mut url = with_query(request);
    for _ in 0..=MAX_REDIRECTS {
        let same_origin = url.origin() == request.realm.origin();
        // Each hop gets the client for its own host: `--insecure` covers
        // the registry's host, never a realm or redirect elsewhere.
        let response = build(clients.for_url(&url), request, &url, same_origin)?
            .send()
            .await
            .map_err(|e| answer::transport(operation, &e))?;
        let status = response.status();
        if !status.is_redirection() {
            return Ok(response);
        }
        if posts_secret
            && !matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            )
        {
            return Err(protocol(format!(
                "the token server answered the OAuth2 form with {status}; not followed"
            )));
        }
        let next = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| url.join(l).ok())
            .ok_or_else(|| protocol(format!("{status} without a usable Location")))?;
        // Checked before the realm rules so the error names the redirect
        // (both ends), not the realm the registry named.
        if url.scheme() == "https" && next.scheme() != "https" {
            return Err(protocol(format!(
                "refused a redirect from {} to {}: from https to plain http, where \
                 the credentials could be read on the way",
                redacted(&url),
                redacted(&next)
            )));
        }
        // A redirect target is chosen by the token server as a realm is by
        // the registry, and gets the same checks.
        validate_realm(next.as_str(), request.registry, request.registry_is_http)?;
        if posts_secret && next.origin() != request.realm.origin() {
            return Err(protocol(format!(
                "a redirect to {} would carry the identity token to another server; not followed",
                redacted(&next)
            )));
        }
        url = next;
    }
    Err(protocol(format!("more than {MAX_REDIRECTS} redirects")))
}

/// The realm with `service` and `scope` added for a GET; as it is for the
/// OAuth2 POST, which sends them in the form.
fn with_query(request: &TokenRequest<'_>) -> Url {
    let mut url = request.realm.clone();
    if matches!(request.credential, Some(Credential::IdentityToken(_))) {
        return url;
    }
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = request.service {
            query.append_pair("service", service);
        }
        for scope in request.scopes.to_strings() {
            query.append_pair("scope", &scope);
        }
    }
    url
}

/// One request to `url`, carrying the credential only when `url` is on the
/// realm's own origin.
fn build(
    client: &reqwest::Client,
    request: &TokenRequest<'_>,
    url: &Url,
    same_origin: bool,
) -> Result<reqwest::RequestBuilder, StoreError> {
    match request.credential {
        Some(Credential::IdentityToken(refresh_token)) => {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "refresh_token")
                .append_pair("refresh_token", refresh_token)
                .append_pair("client_id", CLIENT_ID);
            if let Some(service) = request.service {
                form.append_pair("service", service);
            }
            let scopes = request.scopes.to_strings();
            if !scopes.is_empty() {
                form.append_pair("scope", &scopes.join(" "));
            }
            let form_type = HeaderValue::from_static("application/x-www-form-urlencoded");
            Ok(client
                .post(url.clone())
                .header(CONTENT_TYPE, form_type)
                .body(form.finish()))
        }
        Some(Credential::Basic { username, password }) if same_origin => Ok(client
            .get(url.clone())
            .header(AUTHORIZATION, super::basic_header(username, password)?)),
        _ => Ok(client.get(url.clone())),
    }
}
