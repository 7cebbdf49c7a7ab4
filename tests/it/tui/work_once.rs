//! Work done once: `s` on an image whose graph the tree already expanded
//! asks the registry for no manifest, referrer listing or tag list again,
//! only for the SBOM's bytes. Counted through the recording proxy.

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;

use super::harness::Harness;
use crate::support::fixture::{IMAGE_REPO, IMAGE_TAG, SBOM_TYPE};
use crate::support::{FaultProxy, Fixture, Registry};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s_after_expanding_sends_no_discovery_request() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    let store = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
    let start = Start::reference(IMAGE_REPO, IMAGE_TAG);
    let mut ui = Harness::with_store(Arc::new(store), None, start, 160, 50);
    ui.wait_for("the graph", |s| s.contains(SBOM_TYPE)).await;
    ui.settle().await;
    let download = tempfile::tempdir().unwrap();
    ui.driver.app.config.download_dir = download.path().to_path_buf();

    proxy.clear_requests();
    ui.key(KeyCode::Char('s'));
    let screen = ui.wait_for("the pull", |s| s.contains("pulled")).await;
    assert!(
        screen.contains(SBOM_TYPE),
        "it says what it took:\n{screen}"
    );
    let requests = proxy.requests();
    let discovery: Vec<String> = requests
        .iter()
        .filter(|r| {
            r.path.contains("/referrers/")
                || r.path.contains("/tags/list")
                || r.path.contains("/manifests/")
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(discovery.is_empty(), "asked again: {discovery:#?}");
    assert!(
        requests.iter().any(|r| r.path.contains("/blobs/")),
        "{requests:#?}"
    );
}
