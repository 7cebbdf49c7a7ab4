//! The small HTTP server both the proxy and the sink run on, and the
//! response helpers they share.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

use super::ProxyBody;

/// A background tokio runtime serving one listener on 127.0.0.1:0, in
/// plain HTTP or, with a TLS configuration, in HTTPS.
pub(super) struct Server {
    pub(super) addr: SocketAddr,
    pub(super) https: bool,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    pub(super) fn start<F, Fut>(handler: F) -> Server
    where
        F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
        Fut: std::future::Future<Output = Response<ProxyBody>> + Send + 'static,
    {
        Self::start_with(handler, None)
    }

    pub(super) fn start_with<F, Fut>(handler: F, tls: Option<Arc<ServerConfig>>) -> Server
    where
        F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
        Fut: std::future::Future<Output = Response<ProxyBody>> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime for a test server");
        // Bound with std, not on the new runtime: blocking on a runtime
        // panics inside another one, and tests start servers from async
        // code too.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().unwrap();
        let https = tls.is_some();
        runtime.spawn(async move {
            let listener = TcpListener::from_std(listener).expect("listener on the runtime");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                // A link adds its delay once: Nagle holding a response's
                // body behind its headers until the client's delayed ACK
                // would add ~40 ms more to every reused connection.
                let _ = stream.set_nodelay(true);
                let handler = handler.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| {
                        let handler = handler.clone();
                        async move { Ok::<_, Infallible>(handler(req).await) }
                    });
                    let http = hyper::server::conn::http1::Builder::new();
                    match tls {
                        // A failed handshake (a client refusing the test CA)
                        // just ends the connection, as a real server's does.
                        Some(config) => {
                            if let Ok(stream) = TlsAcceptor::from(config).accept(stream).await {
                                let _ = http.serve_connection(TokioIo::new(stream), svc).await;
                            }
                        }
                        None => {
                            let _ = http.serve_connection(TokioIo::new(stream), svc).await;
                        }
                    }
                });
            }
        });
        Server {
            addr,
            https,
            runtime: Some(runtime),
        }
    }
}

impl Server {
    /// `http://` or `https://` and the address.
    pub(super) fn base_url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

pub(super) fn plain(status: u16, body: Vec<u8>) -> Response<ProxyBody> {
    let mut resp = Response::new(full(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp
}

pub(super) fn full(body: Vec<u8>) -> ProxyBody {
    Full::new(Bytes::from(body))
        .map_err(|never| match never {})
        .boxed()
}

pub(super) fn header_list(h: &hyper::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}
