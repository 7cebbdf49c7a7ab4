//! The copy dialog (`c`): where a typed destination goes (this store,
//! another registry, an OCI layout), and copies from the demo that land in
//! a real registry and in a layout on disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::KeyCode;
use regscope::demo::NET_MONITOR_SBOM;
use regscope::graph::{DiscoverOptions, discover};
use regscope::oci::Reference;
use regscope::store::Store;
use regscope::store::layout::LayoutStore;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::target::Spec;
use regscope::tui::app::App;
use regscope::tui::config::Config;
use regscope::tui::message::{CopyDestination, Effect, OperationRequest};
use regscope::tui::screens::dialogs::CopyDialog;

use super::app_support::{app_at_loaded_tag, key, top};
use super::harness::Harness;
use crate::support::proxy::{FaultProxy, Rule};
use crate::support::registry::Registry;

/// An app on `net-monitor:v1` (loaded) with the copy dialog open.
fn copy_dialog(config: Config) -> App {
    let mut app = app_at_loaded_tag();
    app.config = config;
    key(&mut app, KeyCode::Char('c'));
    app
}

/// Types `text` into the dialog and presses Enter: the copy asked for, or
/// `None` when the dialog refused it (and stayed open).
fn destination_of(text: &str) -> Option<(CopyDestination, Option<String>)> {
    let mut app = copy_dialog(Config::defaults());
    for c in text.chars() {
        key(&mut app, KeyCode::Char(c));
    }
    match &key(&mut app, KeyCode::Enter)[..] {
        [
            Effect::Operation {
                request:
                    OperationRequest::Copy {
                        destination, tag, ..
                    },
                ..
            },
        ] => Some((destination.clone(), tag.clone())),
        [] => {
            assert!(top::<CopyDialog>(&app).is_some());
            assert!(app.status.as_ref().is_some_and(|s| s.is_error));
            None
        }
        other => panic!("unexpected effects {other:?}"),
    }
}

#[test]
fn the_copy_dialog_reads_this_store_another_registry_or_a_layout() {
    let here = |repository: &str| CopyDestination::SameStore {
        repository: repository.to_owned(),
    };
    // Without a tag, the copy takes the source's tag (as `oras cp` does).
    assert_eq!(
        destination_of("mirror"),
        Some((here("mirror"), Some("v1".to_owned())))
    );
    assert_eq!(
        destination_of("demo/team/mirror:v2"),
        Some((here("team/mirror"), Some("v2".to_owned())))
    );
    let registry = Spec::Registry(Reference::parse("localhost:5000/mirror:v3").unwrap());
    assert_eq!(
        destination_of("localhost:5000/mirror:v3"),
        Some((CopyDestination::Elsewhere(registry), Some("v3".to_owned())))
    );
    let layout = Spec::Layout {
        dir: PathBuf::from("/tmp/out"),
        tag: None,
        digest: None,
    };
    assert_eq!(
        destination_of("oci:/tmp/out"),
        Some((CopyDestination::Elsewhere(layout), Some("v1".to_owned())))
    );
    // Refused, with the dialog kept: nothing, a registry alone, a digest.
    assert_eq!(destination_of(""), None);
    assert_eq!(destination_of("localhost:5000"), None);
    let digest = format!("sha256:{}", "a".repeat(64));
    assert_eq!(destination_of(&format!("mirror@{digest}")), None);
    assert_eq!(destination_of(&format!("ghcr.io/x/y@{digest}")), None);
}

#[test]
fn tab_in_the_copy_dialog_offers_the_saved_registries() {
    let text = "registries = [\"localhost:5000\", \"ghcr.io\"]\n";
    let config = Config::from_text(text, std::path::Path::new("config.toml")).unwrap();
    let mut app = copy_dialog(config);
    let destination = |app: &App| {
        top::<CopyDialog>(app)
            .expect("the copy dialog")
            .destination
            .clone()
    };
    key(&mut app, KeyCode::Tab);
    assert_eq!(destination(&app), "localhost:5000/");
    key(&mut app, KeyCode::Tab);
    assert_eq!(destination(&app), "ghcr.io/");
    key(&mut app, KeyCode::Tab);
    assert_eq!(destination(&app), "localhost:5000/");
    for _ in 0.."localhost:5000/".len() {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Tab);
    assert_eq!(destination(&app), "ghcr.io/");
}

/// Copies `net-monitor:v1` from the demo to `destination` through the UI.
async fn copy_from_the_demo(destination: &str) -> Harness {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    ui.key(KeyCode::Char('c'));
    ui.type_text(destination);
    ui.key(KeyCode::Enter);
    ui.wait_for("the copy", |s| s.contains("│ copied 5 manifests"))
        .await;
    ui
}

/// The SBOM of `net-monitor:v1` in `store`, found through its graph.
async fn sbom_digests(store: &dyn Store, repository: &str) -> Vec<String> {
    let tree = discover(store, repository, "v1", &DiscoverOptions::default())
        .await
        .unwrap();
    tree.referrers
        .iter()
        .map(|r| r.descriptor.digest.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_from_the_demo_to_another_registry() {
    let registry = Registry::olareg();
    let destination = format!("{}/mirror/net-monitor", registry.host());
    let _ui = copy_from_the_demo(&destination).await;
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    let found = sbom_digests(&store, "mirror/net-monitor").await;
    assert!(found.contains(&NET_MONITOR_SBOM.to_owned()), "{found:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_from_the_demo_to_a_new_oci_layout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("net-monitor-copy");
    let destination = format!("oci:{}", out.display());
    let _ui = copy_from_the_demo(&destination).await;
    let layout = LayoutStore::open(&out).unwrap();
    let repository = layout.single_repository().unwrap().to_owned();
    let store: Arc<dyn Store> = Arc::new(layout);
    let found = sbom_digests(store.as_ref(), &repository).await;
    assert!(found.contains(&NET_MONITOR_SBOM.to_owned()), "{found:?}");
}

#[test]
fn escape_cancels_a_copy_stuck_on_a_slow_registry() {
    let registry = Registry::olareg();
    // Every request waits a minute: the copy cannot finish on its own
    // within the test's wait. (The proxy runs its own runtime, so it is
    // made and dropped outside the test's.)
    let proxy = FaultProxy::with_rules(
        registry.host(),
        vec![Rule::any().delay(Duration::from_secs(60))],
    );
    let destination = format!("{}/mirror", proxy.host());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut ui = Harness::net_monitor();
        ui.settle().await;
        ui.key(KeyCode::Char('c'));
        ui.type_text(&destination);
        ui.key(KeyCode::Enter);
        // Under way, and held by the registry: Esc then stops a copy that
        // is truly stuck, not one that has not asked anything yet.
        ui.wait_for("the copy held by the slow registry", |s| {
            s.contains("│ copy to ") && proxy.rule_hits(0) > 0
        })
        .await;
        ui.key(KeyCode::Esc);
        let screen = ui
            .wait_for("the cancelled copy", |s| s.contains("failed: cancelled"))
            .await;
        assert!(ui.driver.app.operations.is_empty(), "{screen}");
    });
    runtime.shutdown_background();
    assert!(
        proxy.rule_hits(0) > 0,
        "the copy never reached the slow registry"
    );
}
