//! What a copy asks at once, seen through a proxy that holds chosen
//! requests long enough for everything sent together to be held together:
//! the root is read once, a blob is checked before it is mounted, and
//! referrers of one subject go at once unless the registry indexes them
//! itself (olareg loses some pushed together). Counts, never durations.

use std::time::Duration;

use regscope::ops::{CancellationToken, CopyOptions, copy};

use crate::ops::{remote_at, runtime, sink};
use crate::support::fixture::IMAGE_REPO;
use crate::support::{FaultProxy, Fixture, Registry, Rule};

const HOLD: Duration = Duration::from_millis(150);

/// Copies the seeds' image with its referrers to `copied/net-monitor`
/// within the registry behind `proxy`.
fn copy_through(proxy: &FaultProxy) {
    runtime().block_on(async {
        let store = remote_at(&proxy.host());
        let options = CopyOptions {
            referrers: true,
            tag: Some("v1".to_owned()),
            ..Default::default()
        };
        let outcome = copy(
            &store,
            IMAGE_REPO,
            "v1",
            &store,
            "copied/net-monitor",
            &options,
            &sink(),
            &CancellationToken::new(),
        )
        .await
        .expect("the copy");
        assert_eq!(outcome.manifests, 5, "the image and its four referrers");
    });
}

#[test]
fn a_copy_reads_its_root_once() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    copy_through(&proxy);
    let root_reads: Vec<String> = proxy
        .requests()
        .into_iter()
        .filter(|r| {
            r.path.starts_with(&format!("/v2/{IMAGE_REPO}/manifests/"))
                && (r.path.ends_with("/v1") || r.path.ends_with(&fixture.image))
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    // Discovery starts from the manifest the copy fetched and hashed; it
    // neither resolves nor fetches it again.
    assert_eq!(root_reads.len(), 1, "{root_reads:#?}");
}

#[test]
fn a_blob_within_a_registry_is_checked_then_mounted() {
    let registry = Registry::distribution();
    Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    copy_through(&proxy);
    let to_target: Vec<(String, String)> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v2/copied/net-monitor/blobs/"))
        .map(|r| (r.method, r.path))
        .collect();
    // Every blob is at the source: a check (it is not at the target), then
    // one mount, the check first, none uploaded. Without the check a mount
    // of a blob already there would be reported as mounted.
    let mounts: Vec<&String> = to_target
        .iter()
        .filter(|(method, path)| method == "POST" && path.contains("mount="))
        .map(|(_, path)| path)
        .collect();
    assert!(!mounts.is_empty(), "{to_target:#?}");
    for mount in &mounts {
        let digest = mount
            .split("mount=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .unwrap()
            .replace("%3A", ":");
        let check = to_target
            .iter()
            .position(|(method, path)| method == "HEAD" && path.ends_with(&digest));
        let mounted = to_target.iter().position(|(_, path)| path == *mount);
        assert!(check.is_some() && check < mounted, "{to_target:#?}");
    }
    assert_eq!(
        to_target.len(),
        2 * mounts.len(),
        "a check and a mount per blob, nothing else: {to_target:#?}"
    );
}

#[test]
fn referrers_of_one_subject_go_at_once_on_fallback_tags() {
    let registry = Registry::distribution();
    Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("PUT", "/copied/net-monitor/manifests/sha256:").delay(HOLD)],
    );
    copy_through(&proxy);
    // The image's signature, SBOM and readme: distribution indexes
    // nothing itself (regscope writes each subject's fallback index once,
    // after the batch), so nothing orders them.
    assert_eq!(proxy.most_held_at_once(), 3);
}

#[test]
fn referrers_of_one_subject_go_one_by_one_where_the_registry_indexes_them() {
    let registry = Registry::olareg();
    Fixture::seed(&registry);
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::new("PUT", "/copied/net-monitor/manifests/sha256:").delay(HOLD)],
    );
    copy_through(&proxy);
    assert_eq!(proxy.most_held_at_once(), 1);
    let oras = crate::support::Oras::for_registry(&registry);
    let copied = oras.json(&[
        "discover",
        "--format",
        "json",
        &registry.reference("copied/net-monitor:v1"),
    ]);
    assert_eq!(
        copied["referrers"].as_array().map_or(0, Vec::len),
        3,
        "{copied}"
    );
}
