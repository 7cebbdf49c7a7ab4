//! How the proxy answers one request: the first rule it matches (counted
//! and recorded), the delay or gate that rule holds it at, the answer from
//! the rule or from the registry, the rule's header changes, and the body
//! handed to the pump.

use std::sync::Arc;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, HeaderName, HeaderValue, LOCATION};
use hyper::{Request, Response, http};
use tokio::sync::mpsc;

use super::forward::forward;
use super::pump::pump;
use super::rule::Redirect;
use super::server::{full, header_list, plain};
use super::{BoxError, ProxyBody, ProxyState, Record, Rule, quirks};

pub(super) async fn handle_proxy(
    state: Arc<ProxyState>,
    req: Request<Incoming>,
) -> Response<ProxyBody> {
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
    let (rule_index, rule) = pick_rule(&state, &method, &path, &body);
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
    hold(&state, &rule).await;

    let synthetic = answer_without_registry(&state, &rule, &method, &path).await;
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
        None => answer_from_registry(&state, &rule, parts, body).await,
    };
    change_headers(&mut head, &rule, added);
    record.status.store(head.status.as_u16(), Ordering::SeqCst);

    // Body, through the pump.
    let (tx, rx) = mpsc::channel::<Result<Frame<Bytes>, BoxError>>(1);
    tokio::spawn(pump(upstream_body, tx, rule, state.clone(), record));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::from_parts(head, StreamBody::new(stream).boxed())
}

/// The first rule that matches and has uses left, counted as used.
fn pick_rule(
    state: &ProxyState,
    method: &str,
    path: &str,
    body: &Bytes,
) -> (Option<usize>, Option<Rule>) {
    let mut rules = state.rules.lock().unwrap();
    let mut chosen = (None, None);
    for (i, rs) in rules.iter_mut().enumerate() {
        if rs.rule.matches(method, path, body) && rs.rule.times.is_none_or(|t| rs.used < t) {
            rs.used += 1;
            chosen = (Some(i), Some(rs.rule.clone()));
            break;
        }
    }
    chosen
}

/// Holds the request for the rule's delay (counting how many are held at
/// once) and then at its gate.
async fn hold(state: &ProxyState, rule: &Rule) {
    if let Some(d) = rule.delay {
        let now = state.held.fetch_add(1, Ordering::SeqCst) + 1;
        state.most_held.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(d).await;
        state.held.fetch_sub(1, Ordering::SeqCst);
    }
    if let Some(gate) = &rule.gate {
        gate.pass().await;
    }
}

/// Answers that never reach the registry: a redirect, a status, or a
/// quirk's own answer.
async fn answer_without_registry(
    state: &ProxyState,
    rule: &Rule,
    method: &str,
    path: &str,
) -> Option<Response<ProxyBody>> {
    if let Some((status, target)) = &rule.redirect {
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
        quirks::answer_before(rule.quirk, state, method, path).await
    }
}

/// The registry's answer, or the rule's status or body in its place; a 502
/// when the registry cannot be reached.
async fn answer_from_registry(
    state: &ProxyState,
    rule: &Rule,
    parts: http::request::Parts,
    body: Bytes,
) -> (http::response::Parts, ProxyBody) {
    match forward(&state.upstream, state.https, parts, body).await {
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
    }
}

/// The rule's header changes and a quirk's `added` headers, then the
/// `Content-Length` that a replaced, truncated or extended body calls for.
fn change_headers(head: &mut http::response::Parts, rule: &Rule, added: Vec<(String, String)>) {
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
}
