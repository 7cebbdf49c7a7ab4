//! `chunked-upload` (a blob in two PATCH chunks, as regscope uploads blobs
//! over 8 MiB) and `blob-mount` (a blob linked into a second repository,
//! as a copy within one registry does).

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE};

use super::super::prober::{Answer, Prober, evidence, pull, push};
use super::super::report::{Check, CheckId, Evidence, Status};
use super::Scratch;
use crate::oci::Descriptor;
use crate::store::remote::auth::Scope;
use crate::store::remote::probe::Probe;

const OCTET_STREAM: &str = "application/octet-stream";
const UPLOAD_HEADERS: &[&str] = &["location", "range", "docker-upload-uuid"];

fn ok(answer: &Answer, status: u16) -> bool {
    answer.as_ref().is_ok_and(|x| x.status == status)
}

/// POST, PATCH, PATCH, PUT; then the blob must be there.
pub async fn chunked_upload(prober: &Prober<'_>, scratch: &mut Scratch) -> Check {
    let repository = scratch.repository.clone();
    let content = format!("regscope doctor {}: a blob in two chunks\n", scratch.nonce);
    let descriptor = Descriptor::of_bytes(OCTET_STREAM, content.as_bytes());
    let bytes = Bytes::from(content);
    let half = bytes.len() / 2;
    let mut shown: Vec<Evidence> = Vec::new();
    let started = prober
        .send(Probe::new(
            Method::POST,
            format!("/v2/{repository}/blobs/uploads/"),
            push(&repository),
        ))
        .await;
    shown.push(evidence(&started, UPLOAD_HEADERS));
    if !ok(&started, 202) {
        return fail(shown, "starting an upload did not answer 202");
    }
    let mut answer = started;
    for (from, to) in [(0, half), (half, bytes.len())] {
        let Some(target) = next_location(prober, &answer) else {
            return fail(shown, "an upload answer names no usable Location");
        };
        let probe = Probe::new(Method::PATCH, target, push(&repository))
            .header(CONTENT_TYPE, OCTET_STREAM)
            .header(CONTENT_RANGE, format!("{from}-{}", to - 1))
            .body(bytes.slice(from..to));
        answer = prober.send(probe).await;
        shown.push(evidence(&answer, UPLOAD_HEADERS));
        if !ok(&answer, 202) {
            return fail(shown, "a PATCH chunk did not answer 202");
        }
    }
    let Some(target) = next_location(prober, &answer) else {
        return fail(shown, "the last chunk's answer names no usable Location");
    };
    let separator = if target.contains('?') { '&' } else { '?' };
    let finish = Probe::new(
        Method::PUT,
        format!("{target}{separator}digest={}", descriptor.digest),
        push(&repository),
    );
    let finished = prober.send(finish).await;
    shown.push(evidence(&finished, &["location", "docker-content-digest"]));
    if !ok(&finished, 201) {
        return fail(
            shown,
            "closing the upload with its digest did not answer 201",
        );
    }
    scratch.chunked = Some(descriptor);
    Check::new(
        CheckId::ChunkedUpload,
        Status::Pass,
        "PATCH chunks with Content-Range, then PUT with the digest: regscope uploads blobs over 8 MiB this way",
    )
    .evidence(shown)
}

fn next_location(prober: &Prober<'_>, answer: &Answer) -> Option<String> {
    answer
        .as_ref()
        .ok()
        .and_then(|x| prober.store.location_target(x).ok())
}

fn fail(shown: Vec<Evidence>, why: &str) -> Check {
    Check::new(
        CheckId::ChunkedUpload,
        Status::Fail,
        format!("{why}: blobs over 8 MiB cannot be pushed here"),
    )
    .evidence(shown)
}

/// Mounts the scratch image's layer into a second repository.
pub async fn mount(prober: &Prober<'_>, scratch: &mut Scratch) -> Check {
    let Some(blob) = scratch.blobs.get(2).cloned() else {
        return Check::new(
            CheckId::BlobMount,
            Status::Skip,
            "no blob was pushed to mount",
        );
    };
    let target = scratch.mount_target();
    let mut scopes = push(&target);
    scopes.extend(pull(&scratch.repository));
    let probe = Probe::new(
        Method::POST,
        format!(
            "/v2/{target}/blobs/uploads/?mount={}&from={}",
            blob.digest, scratch.repository
        ),
        scopes,
    );
    let answer = prober.send(probe).await;
    let mut shown = vec![evidence(&answer, UPLOAD_HEADERS)];
    let (status, summary) = match &answer {
        Ok(x) if x.status == 201 => {
            scratch.mounted = Some(blob);
            (
                Status::Pass,
                "201: the blob was mounted; a copy within this registry links blobs instead of uploading them".to_owned(),
            )
        }
        Ok(x) if x.status == 202 => {
            // The registry opened an upload instead: close it again.
            if let Some(session) = next_location(prober, &answer) {
                let cancel = prober
                    .send(Probe::new(
                        Method::DELETE,
                        session,
                        vec![Scope::Push(target.clone())],
                    ))
                    .await;
                shown.push(
                    evidence(&cancel, &[]).with_note("the upload the registry opened, cancelled"),
                );
            }
            (
                Status::Warn,
                "202: the registry opened an upload instead of mounting; a copy within this registry uploads the bytes again".to_owned(),
            )
        }
        Ok(x) => (Status::Fail, format!("a mount answered {}", x.status)),
        Err(_) => (Status::Fail, "a mount got no answer".to_owned()),
    };
    Check::new(CheckId::BlobMount, status, summary).evidence(shown)
}
