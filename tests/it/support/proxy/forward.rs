//! Passing a request on to the registry behind the proxy.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HOST, HeaderName, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::BoxError;

/// Sends the request to `upstream` over plain HTTP/1.1; `https` says the
/// client reached the proxy over TLS.
pub(super) async fn forward(
    upstream: &str,
    https: bool,
    parts: hyper::http::request::Parts,
    body: Bytes,
) -> Result<Response<Incoming>, BoxError> {
    let stream = TcpStream::connect(upstream).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut req = Request::from_parts(parts, Full::new(body));
    if !req.headers().contains_key(HOST) {
        req.headers_mut()
            .insert(HOST, HeaderValue::from_str(upstream)?);
    }
    if https {
        req.headers_mut().insert(
            HeaderName::from_static("x-forwarded-proto"),
            HeaderValue::from_static("https"),
        );
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
