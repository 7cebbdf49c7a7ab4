//! Registries that fail, throttle, redirect elsewhere or point off their
//! origin, shown with the fault proxy and the recording sink in front of
//! real registries; and the limits on what the store reads and asks at once.

use std::time::{Duration, Instant};

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{ReferrersSource, Store, StoreError};

use super::{push_image, run, store};
use crate::support::{FaultProxy, RecordingSink, Registry, Rule, media};

const REPO: &str = "app";

#[test]
fn remote_retries_503_and_honours_retry_after() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        push_image(&store(reg.host()), REPO, "v1", "retry").await;
        let store = store(&proxy.host());

        proxy.add_rule(Rule::new("GET", "/manifests/v1").status(503).times(2));
        store
            .fetch_manifest(REPO, "v1")
            .await
            .expect("third time lucky");
        assert_eq!(proxy.rule_hits(0), 2);

        // A body that breaks off is fetched again.
        proxy.clear_rules();
        proxy.add_rule(Rule::new("GET", "/manifests/v1").reset_after(20).times(1));
        store
            .fetch_manifest(REPO, "v1")
            .await
            .expect("fetched again after the reset");
        assert_eq!(proxy.rule_hits(0), 1);

        proxy.clear_rules();
        proxy.add_rule(
            Rule::new("GET", "/manifests/v1")
                .status(429)
                .header("Retry-After", "1")
                .times(2),
        );
        let started = Instant::now();
        store
            .fetch_manifest(REPO, "v1")
            .await
            .expect("after waiting");
        assert!(
            started.elapsed() >= Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );

        proxy.clear_rules();
        proxy.add_rule(
            Rule::new("GET", "/manifests/v1")
                .status(429)
                .header("Retry-After", "86400"),
        );
        // A guard against hanging, not a measurement: a store that waited
        // the day out would never get here.
        let limited =
            tokio::time::timeout(Duration::from_secs(120), store.fetch_manifest(REPO, "v1"))
                .await
                .expect("waited for the registry's Retry-After instead of failing");
        assert!(
            matches!(limited, Err(StoreError::RateLimited { retry_after: Some(wait), .. }) if wait >= Duration::from_secs(86_000)),
            "{limited:?}"
        );
    });
}

#[test]
fn remote_redirect_to_another_port_carries_no_authorization() {
    let reg = Registry::distribution_htpasswd("canary-user", "canary-pass-7f3a");
    let proxy = FaultProxy::start(reg.host());
    let sink = RecordingSink::start(200);
    run(async {
        let options = ConnectOptions {
            username: Some("canary-user".to_owned()),
            password: Some("canary-pass-7f3a".to_owned()),
            ..ConnectOptions::default()
        };
        let store = RemoteStore::new(&proxy.host(), options).expect("store");
        let image = push_image(&store, REPO, "v1", "redirect").await;
        proxy.add_rule(Rule::new("GET", "/blobs/").redirect_to_base(307, &sink.base_url()));

        let layer = image.layers[0].clone();
        let mut stream = store
            .fetch_blob(REPO, &layer)
            .await
            .expect("redirect followed");
        let mut last = None;
        while let Some(item) = futures_util::StreamExt::next(&mut stream).await {
            last = Some(item);
        }
        assert!(
            matches!(last, Some(Err(StoreError::Verify(_)))),
            "the sink's empty body is no blob: {last:?}"
        );
        let at_sink = sink.requests();
        assert_eq!(at_sink.len(), 1, "{at_sink:?}");
        assert_eq!(
            at_sink[0].header("authorization"),
            None,
            "credentials leaked to another port"
        );
        let at_registry = proxy.requests();
        let original = at_registry
            .iter()
            .find(|r| r.method == "GET" && r.path.contains("/blobs/"))
            .expect("blob GET");
        assert!(
            original.header("authorization").is_some(),
            "the registry itself got credentials"
        );

        // A 401 from the redirect target is not answered with credentials.
        sink.set_status(401);
        let refused = store.fetch_blob(REPO, &layer).await;
        assert!(refused.is_err());
        assert!(
            sink.requests()
                .iter()
                .all(|r| r.header("authorization").is_none())
        );
    });
}

#[test]
fn remote_refuses_cross_origin_links_locations_and_loops() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    let sink = RecordingSink::start(200);
    run(async {
        let store = store(&proxy.host());
        push_image(&store, REPO, "v1", "links").await;

        proxy.add_rule(
            Rule::new("GET", "/tags/list")
                .header(
                    "Link",
                    &format!(
                        "<{}/v2/{REPO}/tags/list?n=1&last=v1>; rel=\"next\"",
                        sink.base_url()
                    ),
                )
                .times(1),
        );
        let mut pages = 0;
        let cross = store.tags(REPO, &mut |_| pages += 1).await;
        assert!(
            matches!(&cross, Err(StoreError::Protocol(m)) if m.contains("another origin")),
            "{cross:?}"
        );

        proxy.clear_rules();
        proxy.add_rule(Rule::new("GET", "/tags/list").header(
            "Link",
            &format!("</v2/{REPO}/tags/list?n=1000>; rel=\"next\""),
        ));
        let looping = store.tags(REPO, &mut |_| {}).await;
        assert!(
            matches!(&looping, Err(StoreError::Protocol(m)) if m.contains("twice")),
            "{looping:?}"
        );

        proxy.clear_rules();
        proxy.add_rule(
            Rule::new("POST", "/blobs/uploads/")
                .header("Location", &format!("{}/upload", sink.base_url())),
        );
        let blob =
            regscope::oci::Descriptor::of_bytes("application/octet-stream", b"not for the sink");
        let upload = store
            .push_blob(
                REPO,
                &blob,
                regscope::store::bytes_stream(bytes::Bytes::from_static(b"not for the sink")),
            )
            .await;
        assert!(
            matches!(&upload, Err(StoreError::Protocol(m)) if m.contains("another origin")),
            "{upload:?}"
        );
        assert!(sink.requests().is_empty(), "nothing went to the sink");
    });
}

#[test]
fn remote_reports_refused_deletes_and_html_referrers_pages() {
    let reg = Registry::olareg();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = store(&proxy.host());
        let image = push_image(&store, REPO, "v1", "delete").await;

        proxy.add_rule(Rule::new("DELETE", "/manifests/").status(405).body(
            r#"{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}"#,
        ));
        let refused = store.delete_manifest(REPO, image.digest()).await;
        assert!(
            matches!(refused, Err(StoreError::Unsupported { .. })),
            "{refused:?}"
        );
        assert!(
            refused
                .err()
                .is_some_and(|e| e.to_string().contains("not supported"))
        );

        // A referrers endpoint that answers with a login page has no API.
        proxy.clear_rules();
        proxy.add_rule(
            Rule::new("GET", "/referrers/")
                .status(200)
                .header("Content-Type", "text/html")
                .body("<html>sign in</html>"),
        );
        let referrers = store
            .referrers(REPO, image.digest(), None)
            .await
            .expect("falls back");
        assert_eq!(referrers.source, ReferrersSource::FallbackTag);
        assert!(referrers.descriptors.is_empty());

        // So is one that answers with JSON that is not an image index.
        proxy.clear_rules();
        proxy.add_rule(
            Rule::new("GET", "/referrers/")
                .status(200)
                .header("Content-Type", media::OCI_MANIFEST)
                .body(image.raw().to_vec()),
        );
        let fresh = super::store(&proxy.host());
        let referrers = fresh
            .referrers(REPO, image.digest(), None)
            .await
            .expect("falls back");
        assert_eq!(referrers.source, ReferrersSource::FallbackTag);
    });
}

#[test]
fn remote_remembers_how_referrers_are_served() {
    for reg in [Registry::distribution(), Registry::olareg()] {
        let proxy = FaultProxy::start(reg.host());
        run(async {
            let store = store(&proxy.host());
            let image = push_image(&store, REPO, "v1", "memory").await;
            proxy.clear_requests();
            for _ in 0..2 {
                store
                    .referrers(REPO, image.digest(), None)
                    .await
                    .expect("referrers");
            }
            let requests = proxy.requests();
            let api_calls = requests
                .iter()
                .filter(|r| r.path.contains("/referrers/"))
                .count();
            let tag_reads = requests
                .iter()
                .filter(|r| r.path.contains("/manifests/sha256-"))
                .count();
            // The first call asks both ways at once; after that only the
            // way that worked is asked.
            if reg.has_referrers_api() {
                assert_eq!((api_calls, tag_reads), (2, 1), "{}", reg.kind());
            } else {
                assert_eq!((api_calls, tag_reads), (1, 2), "{}", reg.kind());
            }
        });
    }
}

#[test]
fn remote_caps_what_it_reads_and_what_it_asks_at_once() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = std::sync::Arc::new(store(&proxy.host()));
        push_image(&store, REPO, "v1", "caps").await;

        let huge = vec![b'x'; 20 * 1024 * 1024];
        proxy.add_rule(
            Rule::new("GET", "/manifests/v1")
                .status(500)
                .body(huge.clone()),
        );
        let failed = store.fetch_manifest(REPO, "v1").await;
        assert!(
            matches!(failed, Err(StoreError::Registry { status: 500, .. })),
            "{failed:?}"
        );
        proxy.clear_rules();
        proxy.add_rule(Rule::new("GET", "/tags/list").body(huge));
        let listing = store.tags(REPO, &mut |_| {}).await;
        assert!(
            matches!(listing, Err(StoreError::TooLarge { .. })),
            "{listing:?}"
        );

        // 48 requests held 200 ms each by the proxy, which counts how many
        // it holds at once: a whole level side by side (more than the 8 a
        // fixed limit allowed), never more than the store starts with.
        proxy.clear_rules();
        proxy.add_rule(Rule::new("HEAD", "/manifests/v1").delay(Duration::from_millis(200)));
        let at_once = resolve_at_once(&store, &proxy, 48).await;
        assert!(at_once <= 32, "{at_once} requests in flight at once");
        assert!(at_once > 8, "only {at_once} requests went out together");
    });
}

/// Resolves `v1` `count` times at once; how many the proxy held together.
async fn resolve_at_once(
    store: &std::sync::Arc<regscope::store::remote::RemoteStore>,
    proxy: &FaultProxy,
    count: usize,
) -> usize {
    let resolves = (0..count).map(|_| {
        let store = std::sync::Arc::clone(store);
        tokio::spawn(async move { store.resolve(REPO, "v1").await })
    });
    for resolved in futures_util::future::join_all(resolves).await {
        resolved.expect("task").expect("resolve");
    }
    proxy.most_held_at_once()
}

#[test]
fn remote_asks_less_at_once_when_the_registry_pushes_back() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = std::sync::Arc::new(store(&proxy.host()));
        push_image(&store, REPO, "v1", "back-off").await;
        // Six "503, try again now" answers, one after another: each halves
        // what the store sends at once, down to its floor of 2.
        proxy.add_rule(
            Rule::new("HEAD", "/manifests/v1")
                .status(503)
                .header("Retry-After", "0")
                .times(6),
        );
        for _ in 0..3 {
            store.resolve(REPO, "v1").await.expect("resolve after 503s");
        }
        assert_eq!(proxy.rule_hits(0), 6, "the registry pushed back six times");
        proxy.clear_rules();
        proxy.add_rule(Rule::new("HEAD", "/manifests/v1").delay(Duration::from_millis(200)));
        let at_once = resolve_at_once(&store, &proxy, 48).await;
        // It grows back by one per window of good answers, so 48 answers
        // take it from 2 to well under the 32 it started with.
        assert!(
            at_once < 16,
            "{at_once} requests at once after the registry pushed back"
        );
        assert!(at_once >= 2, "{at_once}");
    });
}
