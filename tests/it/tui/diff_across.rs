//! The diff mark survives `g`: an image marked in the demo, then `g` to a
//! real registry (olareg, an image pushed by oras) and `=` on it: the
//! diff compares the two stores' images, the left one named with its
//! store. Within one store the mark stays too (`diff_screen`).

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::store::ReferrersSupport;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::app::Session;
use regscope::tui::message::Effect;
use regscope::tui::screens::diff::DiffScreen;
use regscope::tui::tree::NodeId;

use super::app_support::{app_at_loaded_tag, draw, image, job_of, key};
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

/// On real registries: a mark made on one, `g` to another and `g` back:
/// the marked row shows `[marked]` again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_marked_row_is_marked_again_after_g_there_and_back() {
    let (here, there) = (Registry::olareg(), Registry::olareg());
    let work = tempfile::tempdir().unwrap();
    for registry in [&here, &there] {
        let image = registry.reference("app:v1");
        let oras = Oras::for_registry(registry);
        push_image(&oras, work.path(), &image, "img", "linux", "amd64");
    }
    let store = RemoteStore::new(here.host(), ConnectOptions::default()).unwrap();
    let start = Start::reference("app", "v1");
    let mut ui = Harness::with_store(Arc::new(store), None, start, 160, 45);
    ui.wait_for("the image", |s| s.contains("app")).await;
    ui.settle().await;
    ui.move_to(&NodeId::tag("v1"));
    ui.key(KeyCode::Char(' '));
    assert!(ui.screen().contains("[marked]"), "{}", ui.screen());

    for (registry, marked) in [(&there, false), (&here, true)] {
        ui.go_to(&registry.reference("app:v1"));
        ui.wait_for("the other registry", |s| {
            s.contains(&format!("browsing {}", registry.host()))
        })
        .await;
        let screen = ui.settle().await;
        assert_eq!(screen.contains("[marked]"), marked, "{screen}");
    }
}

fn session(store: &str) -> Session {
    Session {
        store_name: store.to_owned(),
        registry: store.to_owned(),
        referrers_support: ReferrersSupport::NotYetKnown,
        scratch_note: None,
        log_path: None,
    }
}

/// `start_reference` with the tag's manifest (`image()`) loaded.
fn load_tag(app: &mut regscope::tui::app::App, repository: &str) {
    let effects = app.start_reference(repository, "v1");
    let manifest = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    app.update(regscope::tui::message::Msg::Loaded {
        job: manifest,
        result: Ok(regscope::tui::message::Loaded::Manifest(image())),
    });
}

fn marked_rows(app: &regscope::tui::app::App) -> Vec<String> {
    let mut rows = draw(app, 100, 30);
    rows.retain(|row| row.contains("[marked]"));
    rows
}

/// State alone: the mark outlives the restart `g` to another store makes,
/// on no row there (the same row of another store is not it), and `=`
/// asks for the left side in its own store.
#[test]
fn the_mark_outlives_a_restart_on_another_store() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char(' '));
    app.restart(session("localhost:5000"));
    let mark = app.graph().tree.diff_mark.clone().expect("still marked");
    assert_eq!(mark.store, "demo");

    load_tag(&mut app, "net-monitor");
    assert_eq!(
        marked_rows(&app),
        Vec::<String>::new(),
        "{:#?}",
        draw(&app, 100, 30)
    );
    match &key(&mut app, KeyCode::Char('='))[..] {
        [Effect::Diff { left, right, .. }] => {
            assert_eq!(left.store.as_deref(), Some("demo"));
            assert_eq!(left.name, "demo/net-monitor:v1");
            assert_eq!(right.store, None);
            assert_eq!(right.name, "net-monitor:v1");
        }
        other => panic!("expected a diff, got {other:?}"),
    }
}

/// `g` back to the store of the mark: its row shows `[marked]` again, and
/// it is the marked image there (`=` on it is refused, the mark key
/// unmarks it).
#[test]
fn the_marked_row_shows_it_again_after_g_back() {
    let mut app = app_at_loaded_tag();
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(marked_rows(&app).len(), 1, "{:#?}", draw(&app, 100, 30));
    app.restart(session("localhost:5000"));
    load_tag(&mut app, "app");
    assert_eq!(marked_rows(&app), Vec::<String>::new());

    app.restart(session("demo"));
    load_tag(&mut app, "net-monitor");
    let rows = marked_rows(&app);
    assert!(
        rows.len() == 1 && rows[0].contains("v1"),
        "{:#?}",
        draw(&app, 100, 30)
    );
    assert!(
        key(&mut app, KeyCode::Char('=')).is_empty(),
        "the marked image"
    );
    key(&mut app, KeyCode::Char(' '));
    assert!(
        app.graph().tree.diff_mark.is_none(),
        "the mark key unmarks it"
    );
}
