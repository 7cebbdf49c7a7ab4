//! Writers of one fallback index on distribution (no referrers API, no
//! conditional PUT) while one of them stalls between reading the index and
//! writing it back: the fault proxy holds its PUT until the others have
//! written and checked, so its stale index lands on top of theirs. A
//! writer still checking puts back what it dropped; a writer that saw
//! others write looks again later and repairs a stale write landing after
//! its first check; a referrer deleted on purpose meanwhile stays deleted;
//! and a writer alone pays for none of it.

use regscope::oci::{Descriptor, Manifest};
use regscope::store::Store;
use regscope::store::remote::RemoteStore;
use tokio::task::JoinHandle;

use super::fallback::{listed, raw_fallback};
use super::{push_image, push_signature, store, subject_of};
use crate::support::{FaultProxy, Gate, RecordedRequest, Registry, Rule, fallback_tag};

const REPO: &str = "app";

/// The path of `subject`'s fallback tag, as the proxy sees it.
fn tag_path(subject: &Descriptor) -> String {
    let tag = fallback_tag(&subject.digest.to_string());
    format!("/v2/{REPO}/manifests/{tag}")
}

/// The `method` requests for `path`, answered or not.
fn sent(requests: &[RecordedRequest], method: &str, path: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// Whether every `method` request for `path` has had its answer.
fn answered(requests: &[RecordedRequest], method: &str, path: &str) -> bool {
    requests
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .all(|r| r.status != 0)
}

/// Attaches a signature as a writer of its own (its own store: no shared
/// in-process queue, as in another process).
fn attach(store: RemoteStore, subject: &Descriptor, writer: &str) -> JoinHandle<Manifest> {
    let subject = subject.clone();
    let content = format!("{{\"writer\":\"{writer}\"}}");
    tokio::spawn(async move { push_signature(&store, REPO, &subject, &content).await.0 })
}

/// A proxy in front of `registry` that lets the first `passed` GETs of
/// `path` through and holds the next ones, one per gate, in order.
fn holding_reads(registry: &Registry, path: &str, passed: usize, gates: &[&Gate]) -> FaultProxy {
    let mut rules = vec![Rule::new("GET", path).times(passed)];
    rules.extend(
        gates
            .iter()
            .map(|gate| Rule::new("GET", path).times(1).hold_until(gate)),
    );
    FaultProxy::with_rules(registry.host(), rules)
}

/// Starts a writer whose index PUT is held until `gate` opens, and waits
/// until it has read the index and sent that PUT.
async fn stalled_writer(
    registry: &Registry,
    subject: &Descriptor,
    gate: &Gate,
) -> (FaultProxy, JoinHandle<Manifest>) {
    let path = tag_path(subject);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("PUT", &path).hold_until(gate)],
    );
    let writer = attach(store(&proxy.host()), subject, "stalled");
    proxy
        .wait_for("the stalled writer's index PUT", |r| {
            sent(r, "PUT", &path) == 1
        })
        .await;
    (proxy, writer)
}

/// Lets the stalled writer's PUT go and waits until it has landed.
async fn land(proxy: &FaultProxy, gate: &Gate, subject: &Descriptor) {
    let path = tag_path(subject);
    gate.open();
    proxy
        .wait_for("the stale index to land", |r| answered(r, "PUT", &path))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_a_writer_still_checking_puts_back_what_a_stale_write_dropped() {
    let reg = Registry::distribution();
    let subject = subject_of(&push_image(&store(reg.host()), REPO, "v1", "stall").await);
    let path = tag_path(&subject);
    let (stale_put, late_check) = (Gate::new(), Gate::new());
    let (stalled_proxy, stalled) = stalled_writer(&reg, &subject, &stale_put).await;
    let (first, _) = push_signature(&store(reg.host()), REPO, &subject, "{\"w\":1}").await;
    let checking_proxy = holding_reads(&reg, &path, 1, &[&late_check]);
    let checking = attach(store(&checking_proxy.host()), &subject, "checking");
    checking_proxy
        .wait_for("the checking writer's re-read", |r| {
            sent(r, "GET", &path) == 2
        })
        .await;
    land(&stalled_proxy, &stale_put, &subject).await;
    let (_, index) = raw_fallback(reg.host(), &subject);
    assert!(!listed(&index, &first), "the stale index: {index:#}");
    late_check.open();
    let (stalled, checking) = (stalled.await.unwrap(), checking.await.unwrap());
    let (_, index) = raw_fallback(reg.host(), &subject);
    for (who, referrer) in [
        ("first", &first),
        ("stalled", &stalled),
        ("checking", &checking),
    ] {
        assert!(listed(&index, referrer), "{who} lost: {index:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_a_writer_that_saw_others_write_looks_again_later() {
    let reg = Registry::distribution();
    let subject = subject_of(&push_image(&store(reg.host()), REPO, "v1", "late").await);
    let path = tag_path(&subject);
    let (stale_put, check, late_check) = (Gate::new(), Gate::new(), Gate::new());
    let (stalled_proxy, stalled) = stalled_writer(&reg, &subject, &stale_put).await;
    let looking_proxy = holding_reads(&reg, &path, 1, &[&check, &late_check]);
    let looking = attach(store(&looking_proxy.host()), &subject, "looking");
    looking_proxy
        .wait_for("the looking writer's re-read", |r| {
            sent(r, "GET", &path) == 2
        })
        .await;
    // Another writer adds its referrer while the first one settles, and
    // finds only what it wrote: alone as far as it can tell.
    let (other, _) = push_signature(&store(reg.host()), REPO, &subject, "{\"w\":2}").await;
    check.open();
    looking_proxy
        .wait_for("the looking writer's second look", |r| {
            sent(r, "GET", &path) == 3
        })
        .await;
    land(&stalled_proxy, &stale_put, &subject).await;
    let (_, index) = raw_fallback(reg.host(), &subject);
    assert!(!listed(&index, &other), "the stale index: {index:#}");
    late_check.open();
    let (stalled, looking) = (stalled.await.unwrap(), looking.await.unwrap());
    let (_, index) = raw_fallback(reg.host(), &subject);
    for (who, referrer) in [
        ("other", &other),
        ("stalled", &stalled),
        ("looking", &looking),
    ] {
        assert!(listed(&index, referrer), "{who} lost: {index:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_a_referrer_deleted_meanwhile_is_not_put_back() {
    let reg = Registry::distribution();
    let direct = store(reg.host());
    let subject = subject_of(&push_image(&direct, REPO, "v1", "deleted").await);
    let path = tag_path(&subject);
    let (doomed, _) = push_signature(&direct, REPO, &subject, "{\"w\":\"doomed\"}").await;
    let check = Gate::new();
    let checking_proxy = holding_reads(&reg, &path, 1, &[&check]);
    let checking = attach(store(&checking_proxy.host()), &subject, "checking");
    checking_proxy
        .wait_for("the checking writer's re-read", |r| {
            sent(r, "GET", &path) == 2
        })
        .await;
    // Deleted on purpose (manifest first, then its entry) after the
    // checking writer saw it listed.
    store(reg.host())
        .delete_manifest(REPO, doomed.digest())
        .await
        .unwrap();
    check.open();
    let checking = checking.await.unwrap();
    let (_, index) = raw_fallback(reg.host(), &subject);
    assert!(listed(&index, &checking), "{index:#}");
    assert!(
        !listed(&index, &doomed),
        "a deleted referrer came back: {index:#}"
    );
}

#[tokio::test]
async fn remote_a_lone_fallback_writer_reads_writes_and_checks_once() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    let store = store(&proxy.host());
    let subject = subject_of(&push_image(&store, REPO, "v1", "alone").await);
    let path = tag_path(&subject);
    for round in 0..2 {
        proxy.clear_requests();
        push_signature(&store, REPO, &subject, &format!("{{\"round\":{round}}}")).await;
        let on_tag: Vec<String> = proxy
            .requests()
            .into_iter()
            .filter(|r| r.path == path)
            .map(|r| r.method)
            .collect();
        assert_eq!(on_tag, ["GET", "PUT", "GET"], "round {round}");
        // No manifest of another referrer was looked up (the subject's own
        // HEAD, once a session, is the attach making sure it is there).
        let own = format!("/manifests/{}", subject.digest);
        let heads: Vec<String> = proxy
            .requests()
            .into_iter()
            .filter(|r| r.method == "HEAD" && r.path.contains("/manifests/"))
            .filter(|r| !r.path.ends_with(&own))
            .map(|r| r.path)
            .collect();
        assert_eq!(heads, Vec::<String>::new(), "round {round}");
    }
}
