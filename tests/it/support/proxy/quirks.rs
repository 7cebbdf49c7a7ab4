//! The proxy playing public registries' quirks (see [`Quirk`]) in front
//! of a real registry: a path read differently, an answer given before
//! the registry is asked, headers added to the registry's answer.

use bytes::Bytes;
use hyper::Request;
use hyper::header::{CONTENT_TYPE, HeaderValue};

use super::forward::forward;
use super::rule::Quirk;
use super::server::plain;
use super::{ProxyBody, ProxyState};

/// `/v2/<name>/manifests/sha256-<hex>` as GitLab reads it: the digest.
pub(super) fn forwarded_path(quirk: Option<Quirk>, path: &str) -> Option<String> {
    if quirk != Some(Quirk::FallbackTagAsDigest) {
        return None;
    }
    let (before, tag) = path.rsplit_once("/manifests/")?;
    let hex = tag.strip_prefix("sha256-")?;
    let is_digest = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    is_digest.then(|| format!("{before}/manifests/sha256:{hex}"))
}

/// Quay's 404 for referrers of a subject the repository does not have,
/// found out with a `HEAD` of the manifest upstream.
pub(super) async fn answer_before(
    quirk: Option<Quirk>,
    state: &ProxyState,
    method: &str,
    path: &str,
) -> Option<hyper::Response<ProxyBody>> {
    if quirk != Some(Quirk::UnknownSubjectNotFound) || method != "GET" {
        return None;
    }
    let (name, rest) = path.strip_prefix("/v2/")?.split_once("/referrers/")?;
    let digest = rest.split('?').next()?;
    let head = Request::builder()
        .method("HEAD")
        .uri(format!("/v2/{name}/manifests/{digest}"))
        .header("accept", super::super::media::ACCEPT_ALL)
        .body(())
        .ok()?
        .into_parts()
        .0;
    let found = forward(&state.upstream, state.https, head, Bytes::new())
        .await
        .ok()?;
    if found.status().as_u16() != 404 {
        return None;
    }
    let body =
        br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}"#;
    let mut answer = plain(404, body.to_vec());
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Some(answer)
}

/// Headers the quirk adds to the registry's answer.
pub(super) fn headers_after(
    quirk: Option<Quirk>,
    method: &str,
    path: &str,
    request_body: &[u8],
) -> Vec<(String, String)> {
    match quirk {
        Some(Quirk::EchoSubject) if method == "PUT" => {
            let subject = serde_json::from_slice::<serde_json::Value>(request_body)
                .ok()
                .and_then(|doc| doc["subject"]["digest"].as_str().map(str::to_owned));
            subject
                .map(|digest| vec![("OCI-Subject".to_owned(), digest)])
                .unwrap_or_default()
        }
        Some(Quirk::FilterHeaderValue) => {
            let query = path.split_once('?').map_or("", |(_, q)| q);
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "artifactType")
                .map(|(_, value)| vec![("OCI-Filters-Applied".to_owned(), value.into_owned())])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}
