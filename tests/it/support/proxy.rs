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

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, HOST, HeaderName, HeaderValue, LOCATION};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

/// One fault rule: which requests it matches, how many times, and what it
/// does to them. Actions combine (e.g. delay + header rewrite + truncate).
/// The first matching rule with uses left applies; others are not consulted.
#[derive(Debug, Clone, Default)]
pub struct Rule {
    method: Option<String>,
    path_contains: Option<String>,
    times: Option<usize>,
    delay: Option<Duration>,
    status: Option<u16>,
    body: Option<Vec<u8>>,
    redirect: Option<(u16, Redirect)>,
    set_headers: Vec<(String, String)>,
    remove_headers: Vec<String>,
    truncate_after: Option<usize>,
    reset_after: Option<usize>,
    stall_after: Option<usize>,
    flip_byte_at: Option<usize>,
    append: Option<Vec<u8>>,
    throttle: Option<u64>,
    status_after_forward: Option<u16>,
}

#[derive(Debug, Clone)]
enum Redirect {
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

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
    }
}

/// One request seen by a [`FaultProxy`] or [`RecordingSink`].
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
    /// Index (in insertion order) of the rule that applied, if any.
    pub rule: Option<usize>,
    /// Response status sent to the client.
    pub status: u16,
    /// Response body bytes handed to the client connection.
    pub bytes_sent: u64,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Record {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body_len: usize,
    rule: Option<usize>,
    status: AtomicU16,
    bytes_sent: AtomicU64,
}

impl Record {
    fn snapshot(&self) -> RecordedRequest {
        RecordedRequest {
            method: self.method.clone(),
            path: self.path.clone(),
            headers: self.headers.clone(),
            body_len: self.body_len,
            rule: self.rule,
            status: self.status.load(Ordering::SeqCst),
            bytes_sent: self.bytes_sent.load(Ordering::SeqCst),
        }
    }
}

struct RuleState {
    rule: Rule,
    used: usize,
}

struct ProxyState {
    upstream: String,
    rules: Mutex<Vec<RuleState>>,
    requests: Mutex<Vec<Arc<Record>>>,
    bytes_sent: AtomicU64,
    /// Requests sitting in a rule's delay now, and the most ever at once.
    held: AtomicUsize,
    most_held: AtomicUsize,
}

/// A background tokio runtime serving one listener on 127.0.0.1:0.
struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    fn start<F, Fut>(handler: F) -> Server
    where
        F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
        Fut: std::future::Future<Output = Response<ProxyBody>> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime for a test server");
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let handler = handler.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| {
                        let handler = handler.clone();
                        async move { Ok::<_, Infallible>(handler(req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Server {
            addr,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
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
        let state = Arc::new(ProxyState {
            upstream: upstream.to_string(),
            rules: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            bytes_sent: AtomicU64::new(0),
            held: AtomicUsize::new(0),
            most_held: AtomicUsize::new(0),
        });
        let s = state.clone();
        let server = Server::start(move |req| handle_proxy(s.clone(), req));
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
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
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

fn plain(status: u16, body: Vec<u8>) -> Response<ProxyBody> {
    let mut resp = Response::new(full(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp
}

fn full(body: Vec<u8>) -> ProxyBody {
    Full::new(Bytes::from(body))
        .map_err(|never| match never {})
        .boxed()
}

fn header_list(h: &hyper::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

async fn handle_proxy(state: Arc<ProxyState>, req: Request<Incoming>) -> Response<ProxyBody> {
    let (parts, body) = req.into_parts();
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
            if rs.rule.matches(&method, &path) && rs.rule.times.is_none_or(|t| rs.used < t) {
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
    } else {
        rule.status
            .map(|status| plain(status, rule.body.clone().unwrap_or_default()))
    };
    let (mut head, upstream_body): (_, ProxyBody) = match synthetic {
        Some(r) => {
            let (h, b) = r.into_parts();
            (h, b)
        }
        None => match forward(&state.upstream, parts, body).await {
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

async fn forward(
    upstream: &str,
    parts: hyper::http::request::Parts,
    body: Bytes,
) -> Result<Response<Incoming>, BoxError> {
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut req = Request::from_parts(parts, Full::new(body));
    if !req.headers().contains_key(HOST) {
        req.headers_mut()
            .insert(HOST, HeaderValue::from_str(upstream)?);
    }
    // The origin-form URI is what an HTTP/1.1 server expects.
    let pq = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    *req.uri_mut() = pq.parse()?;
    Ok(sender.send_request(req).await?)
}

async fn pump(
    mut body: ProxyBody,
    tx: mpsc::Sender<Result<Frame<Bytes>, BoxError>>,
    rule: Rule,
    state: Arc<ProxyState>,
    record: Arc<Record>,
) {
    let limit = [rule.truncate_after, rule.reset_after, rule.stall_after]
        .into_iter()
        .flatten()
        .min();
    let mut offset: usize = 0;
    let send = |chunk: Bytes| {
        let tx = tx.clone();
        let state = state.clone();
        let record = record.clone();
        async move {
            // Counted before the hand-over, so a client that has the bytes
            // never sees a smaller count.
            let n = chunk.len() as u64;
            state.bytes_sent.fetch_add(n, Ordering::SeqCst);
            record.bytes_sent.fetch_add(n, Ordering::SeqCst);
            tx.send(Ok(Frame::data(chunk))).await.is_ok()
        }
    };
    let mut limit_reached = false;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers: dropped
        };
        let mut data = data.to_vec();
        if let Some(at) = rule.flip_byte_at
            && at >= offset
            && at < offset + data.len()
        {
            data[at - offset] ^= 0x01;
        }
        if let Some(limit) = limit {
            let room = limit.saturating_sub(offset);
            if data.len() >= room {
                data.truncate(room);
                limit_reached = true;
            }
        }
        offset += data.len();
        let pieces: Vec<Bytes> = match rule.throttle {
            Some(rate) => {
                let piece = ((rate / 10).max(1)) as usize;
                data.chunks(piece).map(Bytes::copy_from_slice).collect()
            }
            None if data.is_empty() => Vec::new(),
            None => vec![Bytes::from(data)],
        };
        for p in pieces {
            let len = p.len() as u64;
            if !send(p).await {
                return;
            }
            if let Some(rate) = rule.throttle {
                tokio::time::sleep(Duration::from_micros(len * 1_000_000 / rate)).await;
            }
        }
        if limit_reached {
            break;
        }
    }
    if limit_reached {
        if rule.stall_after.is_some_and(|n| Some(n) == limit) {
            tx.closed().await; // hang until the client goes away
            return;
        }
        if rule.reset_after.is_some_and(|n| Some(n) == limit) {
            let _ = tx.send(Err("fault proxy: connection reset".into())).await;
            return;
        }
        return; // truncate: a complete, short body
    }
    if let Some(extra) = rule.append {
        let _ = send(Bytes::from(extra)).await;
    }
}

type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A server on `127.0.0.1:<ephemeral>` that records every request (method,
/// path+query, headers, body size) and answers a configured status, for
/// "did the credentials leak here?" tests.
pub struct RecordingSink {
    requests: Arc<Mutex<Vec<Arc<Record>>>>,
    reply: Arc<Mutex<Reply>>,
    server: Server,
}

impl RecordingSink {
    /// Answer every request with `status` and an empty body.
    pub fn start(status: u16) -> RecordingSink {
        Self::start_with(status, &[], b"")
    }
    /// Answer with `status`, `headers` and `body`.
    pub fn start_with(status: u16, headers: &[(&str, &str)], body: &[u8]) -> RecordingSink {
        let requests: Arc<Mutex<Vec<Arc<Record>>>> = Arc::default();
        let reply: Arc<Mutex<Reply>> = Arc::new(Mutex::new((
            status,
            headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body.to_vec(),
        )));
        let (rq, rp) = (requests.clone(), reply.clone());
        let server = Server::start(move |req: Request<Incoming>| {
            let (rq, rp) = (rq.clone(), rp.clone());
            async move {
                let (parts, body) = req.into_parts();
                let body_len = body.collect().await.map_or(0, |b| b.to_bytes().len());
                let (status, headers, body) = rp.lock().unwrap().clone();
                rq.lock().unwrap().push(Arc::new(Record {
                    method: parts.method.as_str().to_string(),
                    path: parts
                        .uri
                        .path_and_query()
                        .map_or_else(|| parts.uri.path().to_string(), |p| p.to_string()),
                    headers: header_list(&parts.headers),
                    body_len,
                    rule: None,
                    status: AtomicU16::new(status),
                    bytes_sent: AtomicU64::new(body.len() as u64),
                }));
                let mut resp = plain(status, body);
                for (k, v) in headers {
                    if let (Ok(n), Ok(v)) = (
                        HeaderName::from_bytes(k.as_bytes()),
                        HeaderValue::from_str(&v),
                    ) {
                        resp.headers_mut().append(n, v);
                    }
                }
                resp
            }
        });
        RecordingSink {
            requests,
            reply,
            server,
        }
    }
    /// `127.0.0.1:<port>`.
    pub fn host(&self) -> String {
        self.server.addr.to_string()
    }
    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }
    /// Change the status later requests get.
    pub fn set_status(&self, status: u16) {
        self.reply.lock().unwrap().0 = status;
    }
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.snapshot())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Registry, http_get, http_request, sha256_digest};
    use super::*;

    fn push_blob(host: &str, data: &[u8]) -> String {
        let digest = sha256_digest(data);
        let r = http_request("POST", host, "/v2/proxy-test/blobs/uploads/", &[], b"").unwrap();
        assert_eq!(r.status, 202, "start upload: {}", r.text());
        let location = r.header("location").unwrap();
        let path = match location.split_once("://") {
            Some((_, rest)) => &rest[rest.find('/').unwrap()..],
            None => location,
        };
        let sep = if path.contains('?') { '&' } else { '?' };
        let r = http_request(
            "PUT",
            host,
            &format!("{path}{sep}digest={digest}"),
            &[("Content-Type", "application/octet-stream")],
            data,
        )
        .unwrap();
        assert_eq!(r.status, 201, "finish upload: {}", r.text());
        digest
    }

    #[test]
    fn proxy_forwards_records_and_counts() {
        let reg = Registry::olareg();
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        let digest = push_blob(reg.host(), &data);
        let proxy = FaultProxy::start(reg.host());
        let path = format!("/v2/proxy-test/blobs/{digest}");
        let r = http_get(&proxy.host(), &path, &[("X-Test", "1")]);
        assert_eq!(r.status, 200);
        assert_eq!(r.body, data);
        let reqs = proxy.requests();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].method, "GET");
        assert_eq!(reqs[0].path, path);
        assert_eq!(reqs[0].header("x-test"), Some("1"));
        assert_eq!(reqs[0].status, 200);
        assert_eq!(proxy.bytes_sent(), data.len() as u64);
    }

    #[test]
    fn proxy_faults_apply_in_order_and_expire() {
        let reg = Registry::distribution();
        let data: Vec<u8> = (0..4096u32).map(|i| (i % 253) as u8).collect();
        let digest = push_blob(reg.host(), &data);
        let path = format!("/v2/proxy-test/blobs/{digest}");
        let proxy = FaultProxy::start(reg.host());
        proxy.add_rule(
            Rule::new("GET", "/blobs/")
                .times(1)
                .status(429)
                .header("Retry-After", "1"),
        );
        proxy.add_rule(Rule::new("GET", "/blobs/").times(1).flip_byte(10));
        proxy.add_rule(Rule::new("GET", "/blobs/").times(1).truncate_after(100));
        proxy.add_rule(
            Rule::new("GET", "/blobs/")
                .times(1)
                .header("Docker-Content-Digest", "sha256:0000")
                .remove_header("Content-Type")
                .append(b"extra".to_vec()),
        );
        proxy.add_rule(Rule::new("GET", "/blobs/").times(1).reset_after(1000));
        proxy.add_rule(
            Rule::new("GET", "/blobs/")
                .times(1)
                .redirect_to_base(307, "http://127.0.0.1:9"),
        );

        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.status, 429);
        assert_eq!(r.header("retry-after"), Some("1"));

        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.status, 200);
        assert_eq!(r.body.len(), data.len());
        assert_eq!(r.body[10], data[10] ^ 1);
        assert_eq!(r.body[11..], data[11..]);

        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.header("content-length"), Some("100"));
        assert_eq!(r.body, data[..100]);

        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.header("docker-content-digest"), Some("sha256:0000"));
        assert_eq!(r.header("content-type"), None);
        assert_eq!(r.body.len(), data.len() + 5);
        assert!(r.body.ends_with(b"extra"));

        let before = proxy.bytes_sent();
        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.header("content-length"), Some("4096"));
        assert!(r.body.len() <= 1000, "reset after 1000 bytes");
        assert_eq!(proxy.bytes_sent() - before, 1000);

        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.status, 307);
        assert_eq!(
            r.header("location"),
            Some(format!("http://127.0.0.1:9{path}").as_str())
        );

        // Every rule used up: plain forwarding again.
        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!((r.status, r.body.clone()), (200, data.clone()));
        assert_eq!(proxy.requests().len(), 7);
        assert_eq!(proxy.requests()[6].rule, None);
        for i in 0..6 {
            assert_eq!(proxy.rule_hits(i), 1);
        }
    }

    #[test]
    fn proxy_delay_and_stall() {
        let reg = Registry::olareg();
        let data = vec![7u8; 2000];
        let digest = push_blob(reg.host(), &data);
        let path = format!("/v2/proxy-test/blobs/{digest}");
        let proxy = FaultProxy::start(reg.host());
        proxy.add_rule(
            Rule::new("GET", "/blobs/")
                .times(1)
                .delay(Duration::from_millis(300)),
        );
        proxy.add_rule(Rule::new("GET", "/blobs/").times(1).stall_after(10));
        let t = std::time::Instant::now();
        let r = http_get(&proxy.host(), &path, &[]);
        assert_eq!(r.body, data);
        assert!(t.elapsed() >= Duration::from_millis(300));

        let mut s = std::net::TcpStream::connect(proxy.host()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        use std::io::{Read, Write};
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            proxy.host()
        )
        .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let err = loop {
            match s.read(&mut buf) {
                Ok(0) => panic!("stalled response ended: {}", String::from_utf8_lossy(&got)),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => break e,
            }
        };
        assert!(matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ));
        let head_end = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        assert_eq!(
            got.len() - head_end - 4,
            10,
            "exactly 10 body bytes before the stall"
        );
    }

    #[test]
    fn sink_records_and_answers() {
        let sink = RecordingSink::start_with(418, &[("X-Sink", "yes")], b"teapot");
        let r = http_request(
            "PUT",
            &sink.host(),
            "/v2/x/manifests/y?X-Amz-Signature=CANARYSIG",
            &[("Authorization", "Basic Y2FuYXJ5")],
            b"abc",
        )
        .unwrap();
        assert_eq!(r.status, 418);
        assert_eq!(r.header("x-sink"), Some("yes"));
        assert_eq!(r.body, b"teapot");
        let reqs = sink.requests();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].method, "PUT");
        assert_eq!(reqs[0].path, "/v2/x/manifests/y?X-Amz-Signature=CANARYSIG");
        assert_eq!(reqs[0].header("authorization"), Some("Basic Y2FuYXJ5"));
        assert_eq!(reqs[0].body_len, 3);
        sink.set_status(204);
        assert_eq!(http_get(&sink.host(), "/", &[]).status, 204);
    }
}
