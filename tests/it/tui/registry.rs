//! The TUI against real registries on loopback, seeded with the seeds'
//! graph by the real ORAS CLI: the referrers API (olareg) and the
//! fallback tag schema (distribution), listings page by page.

use regscope::tui::tree::NodeId;
use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;

use super::app_support::referrer;
use super::harness::Harness;
use crate::support::fixture::{self, Fixture};
use crate::support::registry::Registry;

fn ui_for(registry: &Registry, start: Start) -> Harness {
    let store = RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap();
    Harness::with_store(Arc::new(store), None, start, 160, 50)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distribution_fallback_tags_are_hidden_and_shown_under_their_subject() {
    let registry = Registry::distribution();
    let fixture = Fixture::seed(&registry);
    let mut ui = ui_for(&registry, Start::Registry);
    ui.wait_for("the catalog", |s| {
        s.contains(fixture::IMAGE_REPO) && s.contains(fixture::MANY_TAGS_REPO)
    })
    .await;

    ui.move_to(&NodeId::repository(fixture::MANY_TAGS_REPO));
    ui.key(KeyCode::Enter);
    let count = format!("{} tags", fixture::MANY_TAGS);
    ui.wait_for("every page of tags", |s| s.contains(&count))
        .await;

    ui.go_to(&format!("{}:{}", fixture::IMAGE_REPO, fixture::IMAGE_TAG));
    let screen = ui
        .wait_for("the graph", |s| {
            s.contains(fixture::SBOM_TYPE) && s.contains("referrers: fallback tags")
        })
        .await;
    assert!(screen.contains(fixture::SIGNATURE_TYPE), "{screen}");
    assert!(screen.contains(&fixture.sbom[7..19]), "{screen}");
    // The fallback index tag is hidden from the tag list…
    let tags: Vec<NodeId> = ui
        .driver
        .app
        .graph()
        .rows()
        .iter()
        .filter_map(|r| r.path.last().cloned())
        .collect();
    assert!(!tags.iter().any(NodeId::is_digest_tag), "{tags:?}");
    // …and `t` shows it.
    ui.move_to(&NodeId::tag(fixture::IMAGE_TAG));
    ui.key(KeyCode::Char('t'));
    let fallback = NodeId::tag(crate::support::fallback_tag(&fixture.image));
    assert!(
        ui.driver
            .app
            .graph()
            .rows()
            .iter()
            .any(|r| r.path.last() == Some(&fallback))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn olareg_serves_the_referrers_api_and_the_sbom_reads() {
    let registry = Registry::olareg();
    let fixture = Fixture::seed(&registry);
    let start = Start::reference(fixture::IMAGE_REPO, fixture::IMAGE_TAG);
    let mut ui = ui_for(&registry, start);
    ui.wait_for("the graph over the API", |s| {
        s.contains(fixture::SBOM_TYPE) && s.contains("referrers API")
    })
    .await;
    ui.settle().await;
    ui.move_to(&referrer(&fixture.sbom));
    let screen = ui
        .wait_for("the SBOM's detail", |s| {
            s.contains("found by") && s.contains("referrers API")
        })
        .await;
    assert!(screen.contains(&fixture.sbom), "{screen}");
    ui.key(KeyCode::Char('Y'));
    ui.driver.drain();
    let full = format!(
        "{}/{}@{}",
        registry.host(),
        fixture::IMAGE_REPO,
        fixture.sbom
    );
    assert_eq!(ui.copied.lock().unwrap().last(), Some(&full));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_to_moves_from_the_demo_to_a_real_registry() {
    let registry = Registry::olareg();
    let _fixture = Fixture::seed(&registry);
    let mut ui = Harness::demo(Start::Registry, 160, 50);
    ui.wait_for("the demo", |s| s.contains("net-monitor")).await;

    // A layout that is not there: said, and the demo stays.
    ui.go_to("oci:/nonexistent/regscope-layout");
    ui.wait_for("the failure", |s| {
        s.contains("cannot open oci:/nonexistent")
    })
    .await;
    assert_eq!(ui.driver.app.session.registry, "demo");

    let target = format!(
        "{}/{}:{}",
        registry.host(),
        fixture::IMAGE_REPO,
        fixture::IMAGE_TAG
    );
    ui.go_to(&target);
    let screen = ui
        .wait_for("the registry's graph", |s| {
            s.contains(fixture::SBOM_TYPE) && s.contains("referrers API")
        })
        .await;
    // Not listed, so no count: one repository shown is not one there.
    let root = format!("▼ {}  not listed (r lists)", registry.host());
    assert!(
        screen.contains(&root),
        "the registry is the root:\n{screen}"
    );
    assert_eq!(ui.driver.app.session.registry, registry.host());
    assert!(screen.contains(&format!(" {}/{}", registry.host(), fixture::IMAGE_REPO)));
}

/// olareg with Basic auth and no credentials: the refused login (401) is
/// told apart from a missing tag: the status line says how to log in from
/// the TUI, and the node offers no retry that would fail the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_says_how_to_log_in() {
    use crate::support::OlaregAuth;
    let registry =
        Registry::olareg_basic_auth(&OlaregAuth::single_user("alice", "alice-pass-3d1e"));
    let mut ui = ui_for(&registry, Start::Repository("app".to_owned()));
    let screen = ui
        .wait_for("the refused login", |s| s.contains("unauthorized (401)"))
        .await;
    let status = ui.driver.app.status.clone().expect("a status");
    assert!(status.is_error, "{status:?}");
    assert!(
        status.text.contains("--username NAME --password-stdin"),
        "{status:?}\n{screen}"
    );
    let node = ui
        .driver
        .app
        .graph()
        .tree
        .selected_node()
        .expect("the repository");
    assert!(node.error().is_some_and(|e| e.is_refused_login()));
    assert!(
        !screen.contains("r retries") && !screen.contains("to retry"),
        "{screen}"
    );
}
