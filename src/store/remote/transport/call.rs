//! A request to make ([`Call`]) and what came back ([`Reply`]).

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use crate::store::remote::Scope;
use crate::store::remote::limit::Slot;

/// One request to make: where, what, with which permissions.
#[derive(Clone)]
pub struct Call {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    /// Kept whole so a retry can send it again.
    pub body: Option<Bytes>,
    pub scopes: Vec<Scope>,
    /// What it is for, in errors: `fetch manifest`, `list tags`.
    pub operation: String,
    /// Sent without credentials and without answering a challenge, so the
    /// caller sees the registry's first answer (`doctor`'s `auth` check).
    pub anonymous: bool,
}

impl Call {
    pub fn new(method: Method, url: Url, operation: impl Into<String>, scopes: Vec<Scope>) -> Call {
        Call {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            scopes,
            operation: operation.into(),
            anonymous: false,
        }
    }

    pub fn header(mut self, name: reqwest::header::HeaderName, value: &str) -> Call {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }

    pub fn body(mut self, body: Bytes) -> Call {
        self.body = Some(body);
        self
    }
}

/// A response with the URL it finally came from (after redirects).
pub struct Reply {
    pub response: reqwest::Response,
    pub url: Url,
    /// Whether an earlier attempt failed or was answered with "later"; a
    /// `404` to a retried `DELETE` then means the first one worked.
    pub retried: bool,
    pub(super) permit: Option<Slot>,
}

impl Reply {
    /// Gives back the in-flight slot before a long body is streamed, so a
    /// caller holding a blob stream open cannot starve (or deadlock) the
    /// requests it makes meanwhile, such as uploading that blob elsewhere.
    pub fn release_slot(&mut self) {
        self.permit = None;
    }
}
