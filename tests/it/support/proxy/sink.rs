//! A server that records what reaches it.

use std::sync::atomic::{AtomicU16, AtomicU64};
use std::sync::{Arc, Mutex};

use http_body_util::BodyExt;
use hyper::Request;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};

use super::server::{Server, header_list, plain};
use super::{Record, RecordedRequest};

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
