//! The diff mark survives `g`: an image marked in the demo, then `g` to a
//! real registry (olareg, an image pushed by oras) and `=` on it: the
//! diff compares the two stores' images, the left one named with its
//! store. Within one store the mark stays too (`diff_screen`).

use crossterm::event::KeyCode;
use regscope::store::ReferrersSupport;
use regscope::tui::Start;
use regscope::tui::app::Session;
use regscope::tui::message::Effect;
use regscope::tui::screens::diff::DiffScreen;
use regscope::tui::tree::NodeId;

use super::app_support::{app_at_loaded_tag, image, job_of, key};
use super::harness::Harness;
use crate::support::fixture::push_image;
use crate::support::{Oras, Registry};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mark_made_in_the_demo_diffs_with_an_image_of_a_registry() {
    let registry = Registry::olareg();
    let work = tempfile::tempdir().unwrap();
    let image = registry.reference("app:v1");
    push_image(
        &Oras::for_registry(&registry),
        work.path(),
        &image,
        "img",
        "linux",
        "amd64",
    );
    let mut ui = Harness::demo(Start::demo(), 160, 45);
    ui.wait_for("the graph", |s| s.contains("referrers")).await;
    ui.settle().await;
    ui.move_to(&NodeId::tag("v1"));
    ui.key(KeyCode::Char(' '));
    assert!(ui.screen().contains("marked net-monitor:v1"));

    ui.go_to(&image);
    ui.wait_for("the registry", |s| {
        s.contains(registry.host()) && !s.contains("▼ demo")
    })
    .await;
    ui.settle().await;
    let screen = ui.screen();
    assert!(
        !screen.contains("[marked]"),
        "no row of this store is marked: {screen}"
    );
    ui.move_to(&NodeId::tag("v1"));
    ui.key(KeyCode::Char('='));
    let screen = ui
        .wait_for("the diff", |s| {
            s.contains("Attachments") && !s.contains("comparing")
        })
        .await;
    assert!(screen.contains("demo/net-monitor:v1 → app:v1"), "{screen}");
    let diff = ui.driver.app.screen::<DiffScreen>().unwrap();
    assert_eq!(diff.error, None, "{screen}");
    assert!(!diff.sections.is_empty(), "{screen}");
}

/// State alone: the mark outlives the restart `g` to another store makes,
/// on no row there, and `=` asks for the left side in its own store.
#[test]
fn the_mark_outlives_a_restart_on_another_store() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char(' '));
    app.restart(Session {
        store_name: "localhost:5000".to_owned(),
        registry: "localhost:5000".to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    });
    let mark = app.graph().tree.diff_mark.clone().expect("still marked");
    assert!(mark.path.is_empty(), "no row of the new store: {mark:?}");
    assert_eq!(mark.store, "demo");

    let effects = app.start_reference("app", "v1");
    let manifest = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    app.update(regscope::tui::message::Msg::Loaded {
        job: manifest,
        result: Ok(regscope::tui::message::Loaded::Manifest(image())),
    });
    match &key(&mut app, KeyCode::Char('='))[..] {
        [Effect::Diff { left, right, .. }] => {
            assert_eq!(left.store.as_deref(), Some("demo"));
            assert_eq!(left.name, "demo/net-monitor:v1");
            assert_eq!(right.store, None);
            assert_eq!(right.name, "app:v1");
        }
        other => panic!("expected a diff, got {other:?}"),
    }
}
