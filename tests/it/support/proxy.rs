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

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

mod forward;
mod gate;
mod handle;
mod pump;
mod quirks;
mod record;
mod rule;
mod server;
mod sink;
#[cfg(test)]
mod tests;
mod tls;

pub use gate::Gate;
use handle::handle_proxy;
use record::Record;
pub use record::RecordedRequest;
pub use rule::{Quirk, Rule};
use server::Server;
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
