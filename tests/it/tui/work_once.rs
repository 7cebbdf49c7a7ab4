//! Work done once: `s`, copy and delete on an image whose graph the tree
//! already expanded ask the registry for no manifest, referrer listing or
//! tag list of the source again: `s` only for the SBOM's bytes, copy for
//! its blobs (mounted) and the pushes, delete for the deletes. While the
//! tree does not hold the whole graph (the repository's tags, where
//! cosign's signatures are found, still being listed), copy and delete
//! discover it, and the count sees it. Counted through the recording
//! proxy, on olareg (the referrers API).

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;

use super::harness::Harness;
use crate::support::fixture::{IMAGE_REPO, IMAGE_TAG, SBOM_TYPE};
use crate::support::proxy::Rule;
use crate::support::{FaultProxy, Fixture, Registry};

/// The TUI on a seeded olareg behind a recording proxy, at the image with
/// its graph expanded, every load done.
async fn seeded() -> (Harness, FaultProxy, Registry, Fixture) {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let proxy = FaultProxy::start(registry.host());
    let mut ui = open(&proxy);
    ui.wait_for("the graph", |s| s.contains(SBOM_TYPE)).await;
    ui.settle().await;
    (ui, proxy, registry, fixture)
}

fn open(proxy: &FaultProxy) -> Harness {
    let store = RemoteStore::new(&proxy.host(), ConnectOptions::default()).unwrap();
    let start = Start::reference(IMAGE_REPO, IMAGE_TAG);
    Harness::with_store(Arc::new(store), None, start, 160, 50)
}

/// The same, but the repository's first tag listing held back: the graph
/// shows and every referrer is read, while the tags are still coming.
async fn seeded_with_tags_pending() -> (Harness, FaultProxy, Registry, Fixture) {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let held = Rule::new("GET", "/tags/list")
        .delay(Duration::from_secs(8))
        .times(1);
    let proxy = FaultProxy::with_rules(registry.host(), vec![held]);
    let mut ui = open(&proxy);
    ui.wait_for("the graph, its listing pending", |s| {
        s.contains(SBOM_TYPE) && s.contains(" 1 job")
    })
    .await;
    (ui, proxy, registry, fixture)
}

/// Requests that read the source's graph: its referrers, its tags, its
/// manifests.
fn discovery(proxy: &FaultProxy) -> Vec<String> {
    let source = format!("/v2/{IMAGE_REPO}/");
    proxy
        .requests()
        .iter()
        .filter(|r| r.path.starts_with(&source))
        .filter(|r| {
            r.path.contains("/referrers/")
                || r.path.contains("/tags/list")
                || (r.path.contains("/manifests/") && r.method != "DELETE")
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s_after_expanding_sends_no_discovery_request() {
    let (mut ui, proxy, _registry, _fixture) = seeded().await;
    let download = tempfile::tempdir().unwrap();
    ui.driver.app.config.download_dir = download.path().to_path_buf();

    proxy.clear_requests();
    ui.key(KeyCode::Char('s'));
    let screen = ui.wait_for("the pull", |s| s.contains("pulled")).await;
    assert!(
        screen.contains(SBOM_TYPE),
        "it says what it took:\n{screen}"
    );
    assert!(
        discovery(&proxy).is_empty(),
        "asked again: {:#?}",
        discovery(&proxy)
    );
    assert!(
        proxy.requests().iter().any(|r| r.path.contains("/blobs/")),
        "{:#?}",
        proxy.requests()
    );
}

/// Copies the selected image to `mirror:v1` in the same registry, and
/// returns what was asked of the source on the way.
async fn copy_selected(ui: &mut Harness, proxy: &FaultProxy) -> Vec<String> {
    proxy.clear_requests();
    ui.key(KeyCode::Char('c'));
    ui.type_text("mirror:v1");
    ui.key(KeyCode::Enter);
    ui.wait_for("the copy", |s| s.contains("copied ")).await;
    // Its end, not one of its progress notes: "copied manifest …" shows
    // while the referrers are still being copied.
    let screen = ui.settle().await;
    assert!(!screen.contains("failed"), "{screen}");
    discovery(proxy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_after_expanding_sends_no_discovery_request() {
    let (mut ui, proxy, registry, fixture) = seeded().await;
    let asked = copy_selected(&mut ui, &proxy).await;
    assert!(asked.is_empty(), "asked again: {asked:#?}");
    // The whole graph went: the SBOM's signature (depth 2) is there.
    let oras = crate::support::Oras::for_registry(&registry);
    let mirror = format!("{}/mirror:v1", registry.host());
    let tree = oras.run(&["discover", "--plain-http", "--format", "tree", &mirror]);
    assert!(tree.contains(&fixture.sbom_signature), "{tree}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_before_the_tags_are_listed_discovers_the_graph() {
    let (mut ui, proxy, _registry, _fixture) = seeded_with_tags_pending().await;
    let asked = copy_selected(&mut ui, &proxy).await;
    assert!(
        asked.iter().any(|r| r.contains("/referrers/")),
        "the copy did not discover: {asked:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_after_expanding_plans_without_discovering() {
    let (mut ui, proxy, _registry, fixture) = seeded().await;
    proxy.clear_requests();
    ui.key(KeyCode::Char('d'));
    ui.key(KeyCode::Char('w'));
    let screen = ui
        .wait_for("the plan", |s| s.contains("5 manifests will be deleted"))
        .await;
    assert!(screen.contains(&fixture.sbom_signature[..19]), "{screen}");
    // The plan reads the repository's tags (a list, a HEAD per tag) to
    // find the tags and indexes naming what goes; the graph itself is not
    // discovered again.
    let asked: Vec<String> = discovery(&proxy)
        .into_iter()
        .filter(|r| !r.ends_with("/tags/list") && !r.starts_with("HEAD "))
        .collect();
    assert!(asked.is_empty(), "asked again: {asked:#?}");
    ui.key(KeyCode::Char('y'));
    ui.wait_for("the delete", |s| s.contains("deleted 5 manifests"))
        .await;
    let deletes = proxy
        .requests()
        .iter()
        .filter(|r| r.method == "DELETE")
        .count();
    assert_eq!(deletes, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_before_the_tags_are_listed_discovers_the_graph() {
    let (mut ui, proxy, _registry, _fixture) = seeded_with_tags_pending().await;
    proxy.clear_requests();
    ui.key(KeyCode::Char('d'));
    ui.key(KeyCode::Char('w'));
    ui.wait_for("the plan", |s| s.contains("5 manifests will be deleted"))
        .await;
    let asked = discovery(&proxy);
    assert!(
        asked.iter().any(|r| r.contains("/referrers/")),
        "the plan did not discover: {asked:#?}"
    );
}
