//! What the proxy and the sink remember of each request.

use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};

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

pub(super) struct Record {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body_len: usize,
    pub(super) rule: Option<usize>,
    pub(super) status: AtomicU16,
    pub(super) bytes_sent: AtomicU64,
}

impl Record {
    pub(super) fn snapshot(&self) -> RecordedRequest {
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
