//! Time limits and lost answers (reliability C6, D4): a registry that
//! stalls is given up on within the read timeout per attempt, with an error
//! naming the host and the operation; metadata trickled byte by byte meets
//! a deadline, a slow blob does not; a `DELETE` whose answer was lost is
//! retried, and the `404` that follows counts as done.

use std::time::{Duration, Instant};

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{Store, StoreError};

use super::{blob_error, push_image, read_blob, run, store};
use crate::support::{FaultProxy, Registry, Rule, http_get, media};

const REPO: &str = "app";
const READ_TIMEOUT: Duration = Duration::from_secs(1);

fn impatient(host: &str) -> RemoteStore {
    let options = ConnectOptions {
        read_timeout: READ_TIMEOUT,
        ..ConnectOptions::default()
    };
    RemoteStore::new(host, options).expect("store")
}

/// A guard against a test that hangs because no time limit fired at all;
/// not a measurement.
async fn within_a_while<T>(operation: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(120), operation)
        .await
        .expect("no time limit fired")
}

/// `error` is a timeout after `attempts` requests matching `method` and
/// `path` (the proxy counts them), waited out at least once, and names
/// `host` and `operation`.
fn check_timed_out(
    error: &StoreError,
    started: Instant,
    proxy: &FaultProxy,
    (method, path, attempts): (&str, &str, usize),
    operation: &str,
) {
    assert!(
        started.elapsed() >= READ_TIMEOUT,
        "gave up before the read timeout"
    );
    let made = proxy
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.contains(path))
        .count();
    assert_eq!(made, attempts, "attempts at {method} {path}");
    let host = proxy.host();
    assert!(matches!(error, StoreError::Transport { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("timed out"), "{message}");
    assert!(message.contains(&host), "{message}");
    assert!(message.contains(operation), "{message}");
}

/// Puts `rule` (alone) on the proxy, runs `operation` to its error and
/// checks it with `check_timed_out`.
async fn times_out(
    proxy: &FaultProxy,
    rule: Rule,
    operation: impl std::future::Future<Output = StoreError>,
    attempts: (&str, &str, usize),
    name: &str,
) {
    proxy.clear_rules();
    proxy.add_rule(rule);
    proxy.clear_requests();
    let started = Instant::now();
    let error = within_a_while(operation).await;
    check_timed_out(&error, started, proxy, attempts, name);
}

#[test]
fn remote_stalls_end_within_the_read_timeout_per_attempt() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let image = push_image(&store(&proxy.host()), REPO, "v1", "stall").await;
        let store = impatient(&proxy.host());

        // Headers that never come: one attempt (a timeout is not retried,
        // the user has waited it out already).
        let rule = Rule::new("HEAD", "/manifests/v1").delay(Duration::from_secs(30));
        let resolving = async { store.resolve(REPO, "v1").await.expect_err("stalled") };
        times_out(
            &proxy,
            rule,
            resolving,
            ("HEAD", "/manifests/v1", 1),
            "resolve",
        )
        .await;

        // Headers, then a body that stops: the manifest is asked for
        // three times in all.
        let rule = Rule::new("GET", "/manifests/v1").stall_after(0);
        let fetching = async { store.fetch_manifest(REPO, "v1").await.expect_err("stalled") };
        let expected = ("GET", "/manifests/v1", 3);
        times_out(&proxy, rule, fetching, expected, "manifest app:v1").await;

        // A blob body that stops: resumed three times, then given up.
        let rule = Rule::new("GET", "/blobs/").stall_after(0);
        let reading = blob_error(&store, REPO, &image.layers[0]);
        times_out(&proxy, rule, reading, ("GET", "/blobs/", 4), "fetch blob").await;
    });
}

/// A manifest trickled a byte at a time never trips the read timeout, so
/// metadata has a deadline in all; a blob at a steady rate has none.
#[test]
fn remote_trickled_metadata_meets_a_deadline_and_slow_blobs_do_not() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let image = push_image(&store(&proxy.host()), REPO, "v1", "trickle").await;
        let options = ConnectOptions {
            metadata_timeout: Duration::from_secs(1),
            ..ConnectOptions::default()
        };
        let store = RemoteStore::new(&proxy.host(), options).expect("store");

        proxy.add_rule(Rule::new("GET", "/manifests/v1").throttle(10));
        let error = within_a_while(store.fetch_manifest(REPO, "v1"))
            .await
            .expect_err("trickled");
        let message = error.to_string();
        assert!(message.contains("in all"), "{message}");
        assert!(message.contains(&proxy.host()), "{message}");
        assert!(message.contains("manifest app:v1"), "{message}");

        proxy.clear_rules();
        let layer = &image.layers[0];
        assert!(layer.size >= 10, "a layer of {} bytes", layer.size);
        proxy.add_rule(Rule::new("GET", "/blobs/").throttle(5));
        let started = Instant::now();
        let bytes = read_blob(&store, REPO, layer).await;
        assert_eq!(bytes.len() as u64, layer.size);
        assert!(started.elapsed() > Duration::from_secs(1), "it was slow");
    });
}

#[test]
fn remote_a_delete_whose_answer_was_lost_counts_as_done() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = store(&proxy.host());
        let image = push_image(&store, REPO, "v1", "lost delete").await;
        let digest = image.digest().to_string();
        // The registry deletes; the client hears 503 and asks again.
        proxy.add_rule(
            Rule::new("DELETE", "/manifests/")
                .times(1)
                .status_after_forward(503),
        );
        store
            .delete_manifest(REPO, image.digest())
            .await
            .expect("the retry's 404 means the first DELETE worked");
        let deletes: Vec<u16> = proxy
            .requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .map(|r| r.status)
            .collect();
        assert_eq!(deletes, [503, 404]);
        let path = format!("/v2/{REPO}/manifests/{digest}");
        let gone = http_get(reg.host(), &path, &[("Accept", media::ACCEPT_ALL)]);
        assert_eq!(gone.status, 404);

        // A 404 to a first attempt is not success: it was never there.
        let again = store.delete_manifest(REPO, image.digest()).await;
        assert!(
            matches!(again, Err(StoreError::NotFound { .. })),
            "{again:?}"
        );
    });
}
