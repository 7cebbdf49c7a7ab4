//! What a registry showed is remembered for the session, per registry,
//! and shared by every store opened with the session's connection
//! options: doctor's probe and a later attach act on one answer. A 404
//! about a subject the registry does not have (Quay) settles nothing.

use std::collections::BTreeMap;

use regscope::doctor::{DoctorOptions, run};
use regscope::ops::{AttachFile, AttachOptions, CancellationToken, attach};
use regscope::store::remote::capabilities::ReferrersMode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::store::{ReferrersSource, Store};

use crate::doctor::seed_app;
use crate::ops::sink;
use crate::support::{FaultProxy, Quirk, Registry, Rule};

fn quay_like(registry: &Registry) -> FaultProxy {
    FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("GET", "/referrers/").quirk(Quirk::UnknownSubjectNotFound)],
    )
}

#[tokio::test]
async fn doctor_and_attach_share_one_answer_per_session() {
    let registry = Registry::olareg();
    let proxy = quay_like(&registry);
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let session = ConnectOptions::default();

    // Nothing but the zero digest to ask about: the 404 settles nothing.
    let doctor_store = RemoteStore::new(&proxy.host(), session.clone()).unwrap();
    let report = run(&doctor_store, &DoctorOptions::default()).await;
    let capabilities = doctor_store.capabilities();
    assert_eq!(
        capabilities.referrers_mode(),
        ReferrersMode::Unknown,
        "{report:#?}"
    );
    assert!(
        capabilities
            .findings_now()
            .unknown_subject_not_found
            .is_some()
    );

    // Another store of the same session attaches: the API answers about a
    // subject that is there, and the referrer is left to the registry.
    let store = RemoteStore::new(&proxy.host(), session.clone()).unwrap();
    std::fs::write(work.path().join("sig.txt"), "signature\n").unwrap();
    let options = AttachOptions {
        artifact_type: "signature/example".to_owned(),
        files: vec![AttachFile {
            path: work.path().join("sig.txt"),
            media_type: None,
        }],
        annotations: BTreeMap::new(),
        platform: None,
    };
    let pushed = attach(
        &store,
        "app",
        "a",
        &options,
        &sink(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(pushed.referrer_indexed_by, Some(ReferrersSource::Api));
    assert_eq!(
        doctor_store.capabilities().referrers_mode(),
        ReferrersMode::Api,
        "what one store learned, the session knows"
    );
    let mut tags = Vec::new();
    store
        .tags("app", &mut |page| tags.extend(page))
        .await
        .unwrap();
    assert!(tags.iter().all(|t| !t.starts_with("sha256-")), "{tags:?}");

    // A new session starts from nothing.
    let fresh = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
    assert_eq!(
        fresh.capabilities().referrers_mode(),
        ReferrersMode::Unknown
    );
}

/// Without the API, a 404 settles the mode once the subject is known to be
/// there, and the referrers listing of a missing subject is simply empty.
#[tokio::test]
async fn a_404_settles_the_mode_only_for_a_subject_that_is_there() {
    let registry = Registry::distribution();
    let work = tempfile::tempdir().unwrap();
    seed_app(&registry, work.path());
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let missing = format!("sha256:{}", "1".repeat(64)).parse().unwrap();
    let listed = store.referrers("app", &missing, None).await.unwrap();
    assert!(listed.descriptors.is_empty());
    assert_eq!(
        store.capabilities().referrers_mode(),
        ReferrersMode::Unknown
    );

    let image = store.resolve("app", "a").await.unwrap();
    let listed = store.referrers("app", &image.digest, None).await.unwrap();
    assert!(listed.descriptors.is_empty());
    assert_eq!(
        store.capabilities().referrers_mode(),
        ReferrersMode::Fallback
    );
    let decided = store
        .capabilities()
        .findings_now()
        .referrers_decided_by
        .unwrap();
    assert_eq!(decided.status, 404);
    assert!(
        decided.request.contains(&image.digest.to_string()),
        "{decided:?}"
    );
}
