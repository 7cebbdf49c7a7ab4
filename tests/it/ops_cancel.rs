//! Cancelling a copy abandons what is in flight: a registry that stops
//! answering must not keep the operation (and the user) waiting.

use std::time::Duration;

use regscope::ops::{self, CancellationToken, CopyOptions, OpError};
use regscope::store::remote::{ConnectOptions, RemoteStore};

use crate::support::{FaultProxy, Fixture, Registry, Rule};

#[test]
fn a_copy_behind_a_silent_registry_stops_when_cancelled() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    // Every manifest push hangs far longer than any test would wait.
    proxy.add_rule(Rule::new("PUT", "/manifests/").delay(Duration::from_secs(600)));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let source = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
        let target = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
        let (progress, _events) = tokio::sync::mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        let options = CopyOptions {
            referrers: true,
            ..CopyOptions::default()
        };
        let copying = ops::copy(
            &source,
            "net-monitor",
            "v1",
            &target,
            "mirror",
            &options,
            &progress,
            &cancel,
        );
        let cancel_soon = async {
            // Cancel once the copy is stuck on its first manifest push.
            while proxy.rule_hits(0) == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            cancel.cancel();
        };
        let (outcome, ()) = tokio::join!(copying, cancel_soon);
        outcome
    });
    // Had the cancel not been heard, the push would have finished after ten
    // minutes and the copy would have succeeded.
    assert!(matches!(outcome, Err(OpError::Cancelled)), "{outcome:?}");
    drop(fixture);
}
