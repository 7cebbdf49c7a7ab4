//! A fault-injecting HTTP proxy in front of a real registry, and a sink
//! that records what reaches it. Both run on their own tokio runtime (own
//! threads), so they work from sync tests, async tests, and while a test
//! blocks on a child process.
//!
//! ```ignore
//! let reg = Registry::distribution();
//! let proxy = FaultProxy::start(reg.host());
//! proxy.add_rule(Rule::new("GET", "/blobs/").times(1).reset_after(100));
//! proxy.add_rule(Rule::any().path("/manifests/").status(429).header("Retry-After", "1").times(2));
//! // point the client at proxy.host() instead of reg.host()
//! ```

use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, HeaderName, HeaderValue, LOCATION};
use hyper::{Request, Response};
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

mod forward;
mod gate;
mod pump;
mod quirks;
mod record;
mod rule;
mod server;
mod sink;
#[cfg(test)]
mod tests;
mod tls;

use forward::forward;
pub use gate::Gate;
use pump::pump;
use record::Record;
pub use record::RecordedRequest;
use rule::Redirect;
pub use rule::{Quirk, Rule};
use server::{Server, full, header_list, plain};
pub use sink::RecordingSink;
pub use tls::TestCa;

struct RuleState {
    rule: Rule,
    used: usize,
}

struct ProxyState {
    upstream: String,
    /// Clients speak HTTPS to the proxy: the upstream is told so, as a
    /// TLS-terminating proxy tells it, so its `Location`s say `https`.
    https: bool,
    rules: Mutex<Vec<RuleState>>,
    requests: Mutex<Vec<Arc<Record>>>,
    bytes_sent: AtomicU64,
    /// Requests sitting in a rule's delay now, and the most ever at once.
    held: AtomicUsize,
    most_held: AtomicUsize,
}

/// An HTTP/1.1 proxy on `127.0.0.1:<ephemeral>` forwarding to a registry,
/// applying [`Rule`]s, recording every request and counting body bytes
/// sent to the client. Stops on drop.
pub struct FaultProxy {
    state: Arc<ProxyState>,
    server: Server,
}

impl FaultProxy {
    /// Proxy to `upstream` (`host:port`, plain HTTP). The `Host` header is
    /// passed through unchanged, so registries that build absolute
    /// `Location`s keep the client on the proxy.
    pub fn start(upstream: &str) -> FaultProxy {
        Self::start_with(upstream, None)
    }

    /// The same proxy speaking HTTPS to its clients with a certificate
    /// `ca` signed (and plain HTTP to `upstream`): a registry reached over
    /// https, for what it must never be allowed to do, such as redirect to
    /// plain http.
    pub fn start_tls(upstream: &str, ca: &TestCa) -> FaultProxy {
        Self::start_with(upstream, Some(ca.server_config()))
    }

    fn start_with(
        upstream: &str,
        tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    ) -> FaultProxy {
        let state = Arc::new(ProxyState {
            upstream: upstream.to_string(),
            https: tls.is_some(),
            rules: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            bytes_sent: AtomicU64::new(0),
            held: AtomicUsize::new(0),
            most_held: AtomicUsize::new(0),
        });
        let s = state.clone();
        let server = Server::start_with(move |req| handle_proxy(s.clone(), req), tls);
        FaultProxy { state, server }
    }
    /// Start with rules already in place.
    pub fn with_rules(upstream: &str, rules: Vec<Rule>) -> FaultProxy {
        let p = Self::start(upstream);
        for r in rules {
            p.add_rule(r);
        }
        p
    }
    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> String {
        self.server.addr.to_string()
    }
    /// `http://` or, started with [`FaultProxy::start_tls`], `https://`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }
    pub fn upstream(&self) -> &str {
        &self.state.upstream
    }
    pub fn add_rule(&self, rule: Rule) {
        self.state
            .rules
            .lock()
            .unwrap()
            .push(RuleState { rule, used: 0 });
    }
    pub fn clear_rules(&self) {
        self.state.rules.lock().unwrap().clear();
    }
    /// How many requests rule number `index` (insertion order) has hit.
    pub fn rule_hits(&self, index: usize) -> usize {
        self.state
            .rules
            .lock()
            .unwrap()
            .get(index)
            .map_or(0, |r| r.used)
    }
    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state
            .requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.snapshot())
            .collect()
    }
    pub fn clear_requests(&self) {
        self.state.requests.lock().unwrap().clear();
    }
    /// Response body bytes handed to clients, all requests together.
    pub fn bytes_sent(&self) -> u64 {
        self.state.bytes_sent.load(Ordering::SeqCst)
    }
    /// The most requests held in a [`Rule::delay`] at the same time: with a
    /// delay on every request, how many the client had in flight at once.
    pub fn most_held_at_once(&self) -> usize {
        self.state.most_held.load(Ordering::SeqCst)
    }
}

async fn handle_proxy(state: Arc<ProxyState>, req: Request<Incoming>) -> Response<ProxyBody> {
    let (mut parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => {
            return plain(
                400,
                format!("proxy: reading request body: {e}").into_bytes(),
            );
        }
    };
    // Pick the rule.
    let (rule_index, rule) = {
        let mut rules = state.rules.lock().unwrap();
        let mut chosen = (None, None);
        for (i, rs) in rules.iter_mut().enumerate() {
            if rs.rule.matches(&method, &path, &body) && rs.rule.times.is_none_or(|t| rs.used < t) {
                rs.used += 1;
                chosen = (Some(i), Some(rs.rule.clone()));
                break;
            }
        }
        chosen
    };
    let record = Arc::new(Record {
        method: method.clone(),
        path: path.clone(),
        headers: header_list(&parts.headers),
        body_len: body.len(),
        rule: rule_index,
        status: AtomicU16::new(0),
        bytes_sent: AtomicU64::new(0),
    });
    state.requests.lock().unwrap().push(record.clone());
    let rule = rule.unwrap_or_default();

    if let Some(d) = rule.delay {
        let now = state.held.fetch_add(1, Ordering::SeqCst) + 1;
        state.most_held.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(d).await;
        state.held.fetch_sub(1, Ordering::SeqCst);
    }
    if let Some(gate) = &rule.gate {
        gate.pass().await;
    }

    // Answers that never reach the registry.
    let synthetic = if let Some((status, target)) = &rule.redirect {
        let location = match target {
            Redirect::Exact(u) => u.clone(),
            Redirect::Base(b) => format!("{b}{path}"),
        };
        let mut r = plain(*status, Vec::new());
        r.headers_mut()
            .insert(LOCATION, HeaderValue::from_str(&location).unwrap());
        Some(r)
    } else if let Some(status) = rule.status {
        Some(plain(status, rule.body.clone().unwrap_or_default()))
    } else {
        quirks::answer_before(rule.quirk, &state, &method, &path).await
    };
    if let Some(read_as) = quirks::forwarded_path(rule.quirk, &path)
        && let Ok(uri) = read_as.parse()
    {
        parts.uri = uri;
    }
    let added = quirks::headers_after(rule.quirk, &method, &path, &body);
    let (mut head, upstream_body): (_, ProxyBody) = match synthetic {
        Some(r) => {
            let (h, b) = r.into_parts();
            (h, b)
        }
        None => match forward(&state.upstream, state.https, parts, body.clone()).await {
            Ok(_) if rule.status_after_forward.is_some() => {
                let status = rule.status_after_forward.unwrap();
                plain(status, rule.body.clone().unwrap_or_default()).into_parts()
            }
            Ok(r) => {
                let (h, b) = r.into_parts();
                let b = match &rule.body {
                    Some(replacement) => full(replacement.clone()),
                    None => b.map_err(|e| Box::new(e) as BoxError).boxed(),
                };
                (h, b)
            }
            Err(e) => {
                let r = plain(502, format!("proxy: upstream: {e}").into_bytes());
                r.into_parts()
            }
        },
    };

    // Headers.
    for name in &rule.remove_headers {
        head.headers.remove(name.as_str());
    }
    for (name, value) in &rule.set_headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            head.headers.insert(n, v);
        }
    }
    for (name, value) in added {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            head.headers.insert(n, v);
        }
    }
    if rule.body.is_some() {
        head.headers.remove(CONTENT_LENGTH);
        if let Some(b) = &rule.body {
            head.headers
                .insert(CONTENT_LENGTH, HeaderValue::from(b.len()));
        }
    }
    let original_len: Option<usize> = head
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if let Some(n) = rule.truncate_after {
        let len = original_len.map_or(n, |l| l.min(n));
        head.headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    }
    if let (Some(extra), Some(len)) = (&rule.append, original_len)
        && rule.truncate_after.is_none()
    {
        head.headers
            .insert(CONTENT_LENGTH, HeaderValue::from(len + extra.len()));
    }
    record.status.store(head.status.as_u16(), Ordering::SeqCst);

    // Body, through the pump.
    let (tx, rx) = mpsc::channel::<Result<Frame<Bytes>, BoxError>>(1);
    tokio::spawn(pump(upstream_body, tx, rule, state.clone(), record));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::from_parts(head, StreamBody::new(stream).boxed())
}
