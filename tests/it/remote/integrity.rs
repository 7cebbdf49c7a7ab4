//! Content that is not what it claims: missing or lying digest headers,
//! flipped bytes, short bodies, oversized manifests, and bodies that break
//! off and are fetched again, through the fault proxy.

use regscope::oci::verify::VerifyError;
use regscope::store::{Store, StoreError};

use super::{blob_error, push_image, read_blob, run, store};
use crate::support::{FaultProxy, Registry, Rule, http_request, media};

const REPO: &str = "app";

#[test]
fn remote_resolves_with_and_without_docker_content_digest() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let image = push_image(&store(reg.host()), REPO, "v1", "resolve").await;
        let store = store(&proxy.host());

        let resolved = store.resolve(REPO, "v1").await.expect("resolve");
        assert_eq!(resolved.digest, *image.digest());
        assert_eq!(resolved.size, image.size());
        let methods: Vec<String> = proxy.requests().iter().map(|r| r.method.clone()).collect();
        assert_eq!(methods, ["HEAD"], "the header suffices");

        proxy.clear_requests();
        proxy.add_rule(
            Rule::any()
                .path("/manifests/")
                .remove_header("Docker-Content-Digest"),
        );
        let resolved = store
            .resolve(REPO, "v1")
            .await
            .expect("resolve without the header");
        assert_eq!(resolved.digest, *image.digest());
        assert_eq!(resolved.size, image.size());
        assert!(
            proxy.requests().iter().any(|r| r.method == "GET"),
            "hashed the bytes"
        );
    });
}

#[test]
fn remote_catches_flipped_bytes_and_lying_headers() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let image = push_image(&store(reg.host()), REPO, "v1", "flip").await;
        let store = store(&proxy.host());
        let by_digest = image.digest().to_string();

        proxy.add_rule(Rule::new("GET", "/manifests/").flip_byte(10));
        let flipped = store.fetch_manifest(REPO, &by_digest).await;
        assert!(
            matches!(
                flipped,
                Err(StoreError::Verify(VerifyError::DigestMismatch { .. }))
            ),
            "{flipped:?}"
        );
        let by_tag = store.fetch_manifest(REPO, "v1").await;
        assert!(
            matches!(
                by_tag,
                Err(StoreError::Verify(VerifyError::DigestMismatch { .. }))
            ),
            "header disagrees: {by_tag:?}"
        );

        proxy.clear_rules();
        let other = regscope::oci::Digest::sha256_of(b"another manifest").to_string();
        proxy.add_rule(Rule::new("GET", "/manifests/").header("Docker-Content-Digest", &other));
        let lying = store.fetch_manifest(REPO, "v1").await;
        assert!(matches!(lying, Err(StoreError::Verify(_))), "{lying:?}");

        proxy.clear_rules();
        proxy.add_rule(Rule::new("GET", "/blobs/").flip_byte(3));
        let layer = image.layers[0].clone();
        let flipped = blob_error(&store, REPO, &layer).await;
        assert!(
            matches!(
                flipped,
                StoreError::Verify(VerifyError::DigestMismatch { .. })
            ),
            "{flipped:?}"
        );

        proxy.clear_rules();
        proxy.add_rule(Rule::new("GET", "/blobs/").truncate_after(4));
        let short = blob_error(&store, REPO, &layer).await;
        assert!(
            matches!(short, StoreError::Verify(VerifyError::TooShort { .. })),
            "{short:?}"
        );

        proxy.clear_rules();
        assert_eq!(
            read_blob(&store, REPO, &layer).await.len() as u64,
            layer.size,
            "nothing was poisoned"
        );
    });
}

/// Reliability B3: a digest taken from `Docker-Content-Digest` on `HEAD` is
/// only the registry's word. Fetching by it verifies the bytes, so a
/// registry that names a digest and serves other bytes under it is caught
/// (and so is one that answers a digest for a HEAD by digest that differs).
#[test]
fn remote_a_lying_head_digest_is_caught_by_the_get_that_follows() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let image = push_image(&store(reg.host()), REPO, "v1", "head").await;
        let store = store(&proxy.host());
        let claimed = regscope::oci::Digest::sha256_of(b"not the manifest").to_string();

        proxy
            .add_rule(Rule::new("HEAD", "/manifests/v1").header("Docker-Content-Digest", &claimed));
        proxy.add_rule(
            Rule::new("GET", &format!("/manifests/{claimed}"))
                .status(200)
                .header("Content-Type", media::OCI_MANIFEST)
                .header("Docker-Content-Digest", &claimed)
                .body(image.raw().to_vec()),
        );
        let resolved = store.resolve(REPO, "v1").await.expect("resolve");
        assert_eq!(
            resolved.digest.to_string(),
            claimed,
            "HEAD alone is trusted"
        );
        let fetched = store.fetch_manifest(REPO, &claimed).await;
        assert!(
            matches!(
                &fetched,
                Err(StoreError::Verify(VerifyError::DigestMismatch { expected, actual }))
                    if expected.to_string() == claimed && actual == image.digest()
            ),
            "{fetched:?}"
        );

        proxy.clear_rules();
        proxy.add_rule(Rule::new("HEAD", "/manifests/").header("Docker-Content-Digest", &claimed));
        let by_digest = store.resolve(REPO, &image.digest().to_string()).await;
        assert!(
            matches!(&by_digest, Err(StoreError::Protocol(m)) if m.contains(&claimed)),
            "{by_digest:?}"
        );
    });
}

#[test]
fn remote_refuses_an_oversized_manifest() {
    let reg = Registry::ggcr();
    run(async {
        let padding = "x".repeat(5 * 1024 * 1024);
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[],"annotations":{{"pad":"{padding}"}}}}"#,
            media::OCI_INDEX
        );
        let put = http_request(
            "PUT",
            reg.host(),
            &format!("/v2/{REPO}/manifests/big"),
            &[("Content-Type", media::OCI_INDEX)],
            body.as_bytes(),
        )
        .expect("put");
        assert!(
            put.status < 300,
            "ggcr accepts big manifests: {} {}",
            put.status,
            put.text()
        );
        let store = store(reg.host());
        let refused = store.fetch_manifest(REPO, "big").await;
        assert!(
            matches!(refused, Err(StoreError::TooLarge { limit, .. }) if limit == 4 * 1024 * 1024),
            "{refused:?}"
        );
        assert!(
            refused
                .err()
                .is_some_and(|e| e.to_string().contains("4194304"))
        );
    });
}

#[test]
fn remote_resumes_a_blob_download_that_broke_off() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = store(&proxy.host());
        let big: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let blob = super::push_blob(&store, REPO, "application/octet-stream", &big).await;
        proxy.add_rule(Rule::new("GET", "/blobs/").reset_after(100_000).times(1));
        assert_eq!(read_blob(&store, REPO, &blob).await, big);
        let gets: Vec<_> = proxy
            .requests()
            .into_iter()
            .filter(|r| r.method == "GET" && r.path.contains("/blobs/"))
            .collect();
        assert_eq!(gets.len(), 2, "{gets:?}");
        let range = gets[1].header("range").expect("the second GET resumes");
        assert!(
            range.starts_with("bytes=") && range != "bytes=0-",
            "{range}"
        );
    });
}
