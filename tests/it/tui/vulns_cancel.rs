//! The tree's background scan reads end with the view they label: a
//! Trivy report attached with oras to an image on olareg, its blob held
//! at a fault proxy's gate, so the read is under way for as long as the
//! test needs. While the graph stays, the read waits and then labels the
//! scan; after `g` to another store it is stopped, the gate still shut.

use std::sync::Arc;
use std::time::{Duration, Instant};

use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use sha2::{Digest as _, Sha256};

use super::harness::Harness;
use crate::support::{FaultProxy, Gate, Oras, Registry, Rule};
use crate::vulns::{TRIVY, attach, data, image};

const REPO: &str = "vulns-cancel";
/// An image without scans: nothing read there supersedes the held read.
const OTHER: &str = "no-scans";

/// Handles the UI's messages until `done` holds; panics with the screen
/// after 30 s.
async fn pump_until(ui: &mut Harness, what: &str, done: impl Fn(&Harness) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        ui.driver.drain();
        if done(ui) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; screen:\n{}",
            ui.screen()
        );
        if let Ok(Some(msg)) =
            tokio::time::timeout(Duration::from_millis(50), ui.driver.next()).await
        {
            ui.driver.handle(msg);
        }
    }
}

/// The UI at the image through a proxy holding the report's blob at a
/// gate, once the read of it is under way.
async fn held_read(registry: &Registry, report_blob: &str) -> (Harness, FaultProxy, Gate) {
    let gate = Gate::new();
    let rule = Rule::new("GET", &format!("/blobs/{report_blob}")).hold_until(&gate);
    let proxy = FaultProxy::with_rules(registry.host(), vec![rule]);
    // Held far longer than the wait below: only stopping it ends it.
    let patient = ConnectOptions {
        read_timeout: Duration::from_secs(600),
        metadata_timeout: Duration::from_secs(600),
        ..ConnectOptions::default()
    };
    let store = RemoteStore::new(&proxy.host(), patient).unwrap();
    let start = Start::reference(REPO, "v1");
    let mut ui = Harness::with_store(Arc::new(store), None, start, 160, 45);
    let held = |requests: &[crate::support::RecordedRequest]| {
        requests.iter().any(|r| r.path.contains(report_blob))
    };
    pump_until(&mut ui, "the report's read", |ui| {
        ui.driver.scan_reads_running() == 1 && held(&proxy.requests())
    })
    .await;
    (ui, proxy, gate)
}

fn scan_labelled(ui: &Harness) -> bool {
    let graph = ui.driver.app.graph();
    graph
        .rows()
        .iter()
        .any(|row| graph.node(&row.path).is_some_and(|n| n.vulns.is_some()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_read_stops_when_g_leaves_its_graph() {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let dir = tempfile::tempdir().unwrap();
    let (subject, _) = image(&oras, &registry, dir.path(), REPO);
    image(&oras, &registry, dir.path(), OTHER);
    let report = dir.path().join("trivy.json");
    std::fs::copy(
        data(&format!(
            "{TRIVY}/integration/testdata/alpine-310.json.golden"
        )),
        &report,
    )
    .unwrap();
    attach(&oras, dir.path(), &subject, &report, "application/json");
    let bytes = std::fs::read(&report).unwrap();
    let report_blob = format!("sha256:{:x}", Sha256::digest(&bytes));

    // The graph stays: the held read goes on once the gate opens, and
    // labels the scan.
    let (mut staying, _proxy, gate) = held_read(&registry, &report_blob).await;
    assert!(!scan_labelled(&staying));
    gate.open();
    pump_until(&mut staying, "the scan's label", scan_labelled).await;
    // The task ends just after it sent the report.
    pump_until(&mut staying, "the read to end", |ui| {
        ui.driver.scan_reads_running() == 0
    })
    .await;

    // `g` to another store: the read held at the gate is stopped.
    let (mut leaving, _proxy, gate) = held_read(&registry, &report_blob).await;
    leaving.go_to(&registry.reference(&format!("{OTHER}:v1")));
    let browsing = format!("browsing {}", registry.host());
    leaving
        .wait_for("the other store", |s| s.contains(&browsing))
        .await;
    pump_until(&mut leaving, "the read to stop", |ui| {
        ui.driver.scan_reads_running() == 0
    })
    .await;
    gate.open();
}
