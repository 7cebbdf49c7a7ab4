//! What a fault rule matches and does.

use std::time::Duration;

/// One fault rule: which requests it matches, how many times, and what it
/// does to them. Actions combine (e.g. delay + header rewrite + truncate).
/// The first matching rule with uses left applies; others are not consulted.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    pub(super) method: Option<String>,
    pub(super) path_contains: Option<String>,
    pub(super) times: Option<usize>,
    pub(super) delay: Option<Duration>,
    pub(super) status: Option<u16>,
    pub(super) body: Option<Vec<u8>>,
    pub(super) redirect: Option<(u16, Redirect)>,
    pub(super) set_headers: Vec<(String, String)>,
    pub(super) remove_headers: Vec<String>,
    pub(super) truncate_after: Option<usize>,
    pub(super) reset_after: Option<usize>,
    pub(super) stall_after: Option<usize>,
    pub(super) flip_byte_at: Option<usize>,
    pub(super) append: Option<Vec<u8>>,
    pub(super) throttle: Option<u64>,
    pub(super) status_after_forward: Option<u16>,
    pub(super) body_contains: Option<Vec<u8>>,
    pub(super) quirk: Option<Quirk>,
    pub(super) gate: Option<super::Gate>,
}

/// What a public registry does that no test registry does, played by the
/// proxy in front of one (see `lookalike`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// Docker Hub (and ECR before its API): `OCI-Subject: <subject>` on
    /// the answer to a manifest PUT whose body has a subject, API or not.
    EchoSubject,
    /// Quay: `GET /v2/<name>/referrers/<digest>` answers 404
    /// `MANIFEST_UNKNOWN` when the repository has no such manifest.
    UnknownSubjectNotFound,
    /// Harbor: `OCI-Filters-Applied` carries the asked-for type's value
    /// instead of the word `artifactType`.
    FilterHeaderValue,
    /// GitLab: `/manifests/sha256-<hex>` is read as `sha256:<hex>`.
    FallbackTagAsDigest,
}

#[derive(Debug, Clone)]
pub(super) enum Redirect {
    Exact(String),
    Base(String),
}

impl Rule {
    /// Matches every request.
    pub fn any() -> Self {
        Rule::default()
    }
    /// Matches `method` requests whose path+query contains `path_contains`.
    pub fn new(method: &str, path_contains: &str) -> Self {
        Rule::any().method(method).path(path_contains)
    }
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    /// Path+query substring, e.g. `/blobs/`, `/manifests/v1`, `/referrers/`,
    /// `/tags/list`, `?n=`.
    pub fn path(mut self, path_contains: &str) -> Self {
        self.path_contains = Some(path_contains.to_string());
        self
    }
    /// Apply to the first `n` matching requests only (default: all).
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }
    /// Wait before answering.
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = Some(d);
        self
    }
    /// Hold the request (before it reaches the registry) until `gate` is
    /// opened: a client stalled at a chosen step, for as long as the test
    /// needs.
    pub fn hold_until(mut self, gate: &super::Gate) -> Self {
        self.gate = Some(gate.clone());
        self
    }
    /// Answer with this status without asking the registry (body empty
    /// unless [`Rule::body`]); add e.g. `.header("Retry-After", "1")`.
    pub fn status(mut self, code: u16) -> Self {
        self.status = Some(code);
        self
    }
    /// Forward the request to the registry (which acts on it), then answer
    /// with this status instead of the registry's (body empty unless
    /// [`Rule::body`]): a lost response, e.g. a `DELETE` that worked but
    /// reached the client as a 503.
    pub fn status_after_forward(mut self, code: u16) -> Self {
        self.status_after_forward = Some(code);
        self
    }
    /// Replace the body (with [`Rule::status`]: the body of that answer).
    /// `Content-Length` follows.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }
    /// Answer `307 Location: <url>` without asking the registry.
    pub fn redirect(mut self, url: &str) -> Self {
        self.redirect = Some((307, Redirect::Exact(url.to_string())));
        self
    }
    /// Answer `<status> Location: <base_url><path+query>`: the same request
    /// sent to another server (e.g. a [`RecordingSink`]).
    pub fn redirect_to_base(mut self, status: u16, base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/').to_string();
        self.redirect = Some((status, Redirect::Base(base)));
        self
    }
    /// Set (replace) a response header: `Docker-Content-Digest`, `Location`,
    /// `Link`, `WWW-Authenticate`, `Content-Type`, `Retry-After`, …
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.set_headers.push((name.to_string(), value.to_string()));
        self
    }
    /// Remove a response header.
    pub fn remove_header(mut self, name: &str) -> Self {
        self.remove_headers.push(name.to_string());
        self
    }
    /// A short but complete body: the first `n` bytes, `Content-Length: n`.
    pub fn truncate_after(mut self, n: usize) -> Self {
        self.truncate_after = Some(n);
        self
    }
    /// Send `n` body bytes under the original `Content-Length`, then abort
    /// the connection.
    pub fn reset_after(mut self, n: usize) -> Self {
        self.reset_after = Some(n);
        self
    }
    /// Send `n` body bytes, then send nothing more and keep the connection
    /// open until the client gives up.
    pub fn stall_after(mut self, n: usize) -> Self {
        self.stall_after = Some(n);
        self
    }
    /// XOR the body byte at `offset` with 0x01 (length unchanged).
    pub fn flip_byte(mut self, offset: usize) -> Self {
        self.flip_byte_at = Some(offset);
        self
    }
    /// Append bytes after the body (trailing data; `Content-Length` grows).
    pub fn append(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.append = Some(bytes.into());
        self
    }
    /// Send the body at about `bytes_per_sec`.
    pub fn throttle(mut self, bytes_per_sec: u64) -> Self {
        self.throttle = Some(bytes_per_sec.max(1));
        self
    }

    /// Only requests whose body contains `needle` (e.g. `"subject"`).
    pub fn request_body_contains(mut self, needle: &str) -> Self {
        self.body_contains = Some(needle.as_bytes().to_vec());
        self
    }
    /// Behave like a public registry in one respect (see [`Quirk`]).
    pub fn quirk(mut self, quirk: Quirk) -> Self {
        self.quirk = Some(quirk);
        self
    }

    pub(super) fn matches(&self, method: &str, path: &str, body: &[u8]) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
            && self
                .body_contains
                .as_deref()
                .is_none_or(|needle| body.windows(needle.len()).any(|w| w == needle))
    }
}
