//! Old fallback indexes do not pile up: each update deletes the index it
//! replaced (as oras does), and a registry that refuses deletes only keeps
//! them, without failing the push. Changes queued for one index are
//! written together.

use regscope::oci::{Descriptor, Manifest};
use regscope::store::remote::RemoteStore;
use regscope::store::{ReferrersSource, Store};

use super::fallback::{listed, raw_fallback};
use super::{push_image, push_signature, run, store, subject_of};
use crate::support::{FaultProxy, Registry, Rule, fallback_tag, http_get, media};

const REPO: &str = "app";

/// The digest the registry gives the fallback index now.
fn fallback_digest(host: &str, subject: &Descriptor) -> String {
    let path = format!(
        "/v2/{REPO}/manifests/{}",
        fallback_tag(&subject.digest.to_string())
    );
    let reply = http_get(host, &path, &[("Accept", media::ACCEPT_ALL)]);
    assert_eq!(reply.status, 200, "{}", reply.text());
    crate::support::sha256_digest(&reply.body)
}

fn manifest_status(host: &str, digest: &str) -> u16 {
    let path = format!("/v2/{REPO}/manifests/{digest}");
    http_get(host, &path, &[("Accept", media::ACCEPT_ALL)]).status
}

async fn attach(store: &RemoteStore, subject: &Descriptor, n: usize) -> Manifest {
    let (artifact, pushed) = push_signature(store, REPO, subject, &format!("{{\"n\":{n}}}")).await;
    assert_eq!(
        pushed.referrer_indexed_by,
        Some(ReferrersSource::FallbackTag)
    );
    artifact
}

#[tokio::test]
async fn remote_superseded_fallback_indexes_are_deleted_on_distribution() {
    let reg = Registry::distribution();
    let store = store(reg.host());
    let image = push_image(&store, REPO, "v1", "gc").await;
    let subject = subject_of(&image);
    let mut referrers = vec![attach(&store, &subject, 0).await];
    let mut previous = fallback_digest(reg.host(), &subject);
    for n in 1..4 {
        referrers.push(attach(&store, &subject, n).await);
        let current = fallback_digest(reg.host(), &subject);
        assert_ne!(current, previous);
        assert_eq!(
            manifest_status(reg.host(), &previous),
            404,
            "the index of round {n} was left behind"
        );
        previous = current;
    }

    // Nothing else went with them.
    let (_, index) = raw_fallback(reg.host(), &subject);
    for referrer in &referrers {
        assert!(listed(&index, referrer), "{index:#}");
        let digest = referrer.digest().to_string();
        assert_eq!(manifest_status(reg.host(), &digest), 200);
    }
    let tagged = store.resolve(REPO, "v1").await.expect("the subject's tag");
    assert_eq!(tagged.digest, *image.digest());
    let found = store
        .referrers(REPO, &subject.digest, None)
        .await
        .expect("referrers");
    assert_eq!(found.descriptors.len(), referrers.len());

    // Pushing a referrer that is already listed writes nothing, so it
    // deletes nothing either.
    store
        .push_manifest(REPO, &referrers[0], None)
        .await
        .expect("push again");
    assert_eq!(fallback_digest(reg.host(), &subject), previous);
    assert_eq!(manifest_status(reg.host(), &previous), 200);
}

#[test]
fn remote_a_registry_refusing_deletes_keeps_old_indexes_and_the_push_succeeds() {
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = store(&proxy.host());
        let image = push_image(&store, REPO, "v1", "no-gc").await;
        let subject = subject_of(&image);
        proxy.add_rule(Rule::new("DELETE", "/manifests/").status(405).body(
            r#"{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}"#,
        ));
        let first = attach(&store, &subject, 0).await;
        let old = fallback_digest(reg.host(), &subject);
        let second = attach(&store, &subject, 1).await;
        assert_eq!(proxy.rule_hits(0), 1, "one delete was tried");
        assert_eq!(manifest_status(reg.host(), &old), 200, "and refused");
        let (_, index) = raw_fallback(reg.host(), &subject);
        assert!(
            listed(&index, &first) && listed(&index, &second),
            "{index:#}"
        );
    });
}

#[test]
fn remote_concurrent_referrers_of_one_subject_share_fallback_index_writes() {
    const WRITERS: usize = 6;
    let reg = Registry::distribution();
    let proxy = FaultProxy::start(reg.host());
    run(async {
        let store = store(&proxy.host());
        let image = push_image(&store, REPO, "v1", "batched").await;
        let subject = subject_of(&image);
        proxy.clear_requests();
        let pushes = (0..WRITERS).map(|writer| attach(&store, &subject, writer));
        let pushed = futures_util::future::join_all(pushes).await;
        let (_, index) = raw_fallback(reg.host(), &subject);
        for referrer in &pushed {
            assert!(listed(&index, referrer), "{index:#}");
        }
        let tag = subject.digest.fallback_tag();
        let index_writes = proxy
            .requests()
            .iter()
            .filter(|r| r.method == "PUT" && r.path.ends_with(&format!("/manifests/{tag}")))
            .count();
        // Changes queued while one writer holds the tag ride along with it.
        assert!(
            (1..WRITERS).contains(&index_writes),
            "{index_writes} index writes for {WRITERS} referrers"
        );
    });
}
