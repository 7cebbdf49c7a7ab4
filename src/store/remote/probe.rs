//! Raw requests for `regscope doctor`: one request through the store's own
//! transport (TLS, redirects, auth, retries), and what came back as plain
//! data, so a check can show its evidence and judge it. The caller names
//! the path; what it puts there comes from validated names and digests.

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};

use super::RemoteStore;
use super::auth::Scope;
use super::response::declared_length;
use super::transport::Call;
use super::transport::Transport;
use crate::store::StoreError;

/// Bodies kept for judging (a manifest, a page of tags); the size of
/// anything longer is still counted.
const MAX_PROBE_BODY: usize = 4 * 1024 * 1024;

/// Response headers never kept: they carry secrets, or nothing a check needs.
const NOT_KEPT: &[&str] = &["set-cookie", "authorization", "proxy-authorization"];

/// One request to make.
#[derive(Debug, Clone)]
pub struct Probe {
    pub method: Method,
    /// `/v2/…`, with its query if any.
    pub target: String,
    pub headers: Vec<(HeaderName, String)>,
    pub body: Option<Bytes>,
    /// What the request needs permission for (decides a token's scope).
    pub scopes: Vec<Scope>,
    /// Sent without credentials, and a challenge is not answered.
    pub anonymous: bool,
}

impl Probe {
    pub fn new(method: Method, target: impl Into<String>, scopes: Vec<Scope>) -> Probe {
        Probe {
            method,
            target: target.into(),
            headers: Vec::new(),
            body: None,
            scopes,
            anonymous: false,
        }
    }

    #[must_use]
    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Probe {
        self.headers.push((name, value.into()));
        self
    }

    #[must_use]
    pub fn body(mut self, body: Bytes) -> Probe {
        self.body = Some(body);
        self
    }

    #[must_use]
    pub fn anonymous(mut self) -> Probe {
        self.anonymous = true;
        self
    }

    /// `METHOD /path?query`, as evidence shows it.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: String,
    /// Path and query of the URL that finally answered (after redirects).
    pub answered_by: String,
    pub status: u16,
    /// Names lowercased, in the order received; secrets left out.
    pub headers: Vec<(String, String)>,
    /// The body, up to [`MAX_PROBE_BODY`] bytes.
    pub body: Bytes,
    /// Bytes received in all (a `HEAD`: the declared `Content-Length`).
    pub body_size: u64,
    /// The body broke off before its declared end, or could not be read.
    pub body_error: Option<String>,
}

impl Exchange {
    /// The first value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a header, by lowercase name.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl RemoteStore {
    /// Sends `probe` and reads the answer whatever its status: judging it
    /// is the caller's business. Fails only when no answer came.
    pub async fn probe(&self, probe: &Probe) -> Result<Exchange, StoreError> {
        self.probe_through(&self.transport, probe).await
    }

    /// [`RemoteStore::probe`] as someone with no credentials: a challenge
    /// is answered anonymously, the way a user who never logged in pulls.
    pub async fn probe_without_credentials(&self, probe: &Probe) -> Result<Exchange, StoreError> {
        let anonymous = self
            .anonymous_transport
            .get_or_init(|| Arc::new(self.transport.without_credentials()));
        self.probe_through(anonymous, probe).await
    }

    async fn probe_through(
        &self,
        transport: &Transport,
        probe: &Probe,
    ) -> Result<Exchange, StoreError> {
        if !probe.target.starts_with("/v2/") {
            return Err(StoreError::Invalid(format!(
                "a probe goes to /v2/…, not {}",
                probe.target
            )));
        }
        let (path, query) = match probe.target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (probe.target.as_str(), None),
        };
        let mut url = transport.url(path);
        url.set_query(query);
        let mut call = Call::new(
            probe.method.clone(),
            url,
            format!("doctor: {}", probe.method),
            probe.scopes.clone(),
        );
        for (name, value) in &probe.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                call.headers.append(name.clone(), value);
            }
        }
        call.body.clone_from(&probe.body);
        call.anonymous = probe.anonymous;
        let reply = transport.send(&call).await?;
        let status = reply.response.status().as_u16();
        let answered_by = match reply.url.query() {
            Some(query) => format!("{}?{query}", reply.url.path()),
            None => reply.url.path().to_owned(),
        };
        let headers: Vec<(String, String)> = reply
            .response
            .headers()
            .iter()
            .filter(|(name, _)| !NOT_KEPT.contains(&name.as_str()))
            .map(|(name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes());
                (name.as_str().to_owned(), text.into_owned())
            })
            .collect();
        let declared = declared_length(reply.response.headers());
        let (body, received, body_error) = read_some(reply.response).await;
        let body_size = if probe.method == Method::HEAD {
            declared.unwrap_or(0)
        } else {
            received
        };
        let body_error = body_error.or_else(|| {
            declared
                .filter(|declared| probe.method != Method::HEAD && *declared != received)
                .map(|declared| {
                    format!("the body had {received} bytes, its Content-Length said {declared}")
                })
        });
        Ok(Exchange {
            request: probe.request_line(),
            answered_by,
            status,
            headers,
            body,
            body_size,
            body_error,
        })
    }
}

impl RemoteStore {
    /// The next page an answer's `Link` names, as a `/v2/…` target on this
    /// registry; an error when it points elsewhere.
    pub fn next_page(&self, exchange: &Exchange) -> Result<Option<String>, StoreError> {
        let mut headers = reqwest::header::HeaderMap::new();
        for value in exchange.headers_named("link") {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.append(reqwest::header::LINK, value);
            }
        }
        let Some(link) = super::listing::next_link(&headers) else {
            return Ok(None);
        };
        let (path, query) = match exchange.answered_by.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (exchange.answered_by.as_str(), None),
        };
        let mut base = self.transport.url(path);
        base.set_query(query);
        let next = self
            .transport
            .same_origin_target(&base, &link, "the Link header")?;
        Ok(Some(match next.query() {
            Some(query) => format!("{}?{query}", next.path()),
            None => next.path().to_owned(),
        }))
    }

    /// A `Location` (an upload session) as a `/v2/…` target on this
    /// registry; an error when it points elsewhere.
    pub fn location_target(&self, exchange: &Exchange) -> Result<String, StoreError> {
        let location = exchange
            .header("location")
            .ok_or_else(|| StoreError::Protocol("no Location in the answer".to_owned()))?;
        let base = self
            .transport
            .url(exchange.answered_by.split('?').next().unwrap_or("/"));
        let target = self
            .transport
            .same_origin_target(&base, location, "the Location header")?;
        Ok(match target.query() {
            Some(query) => format!("{}?{query}", target.path()),
            None => target.path().to_owned(),
        })
    }
}

/// The body up to the cap, the bytes received in all, and why it ended
/// early if it did.
async fn read_some(response: reqwest::Response) -> (Bytes, u64, Option<String>) {
    let mut kept = BytesMut::new();
    let mut received = 0u64;
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        match chunk {
            Ok(chunk) => {
                received += chunk.len() as u64;
                let room = MAX_PROBE_BODY.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Err(error) => {
                let error = error.without_url();
                return (kept.freeze(), received, Some(error.to_string()));
            }
        }
    }
    (kept.freeze(), received, None)
}
