//! `d` on a tag row deletes the tag alone, as `regscope rm REPO:TAG`
//! does; `w` in the dialog turns it into the manifest's delete (its
//! referrers, every tag and index naming it), which is only then planned.
//! On a digest row `d` plans the manifest's delete at once, as before. On
//! olareg (tag-delete API) and distribution 2.8 (regctl's throwaway
//! manifest) the tag goes and the manifest, its other tag and its
//! referrers stay.

use std::sync::Arc;

use crossterm::event::KeyCode;
use regscope::graph::{DiscoverOptions, discover};
use regscope::store::Store;
use regscope::store::remote::{ConnectOptions, RemoteStore};
use regscope::tui::Start;
use regscope::tui::message::{Effect, OperationRequest};
use regscope::tui::screens::dialogs::DeleteDialog;

use super::app_support::{app_at_loaded_tag, image, key, popup_open, referrer, top};
use super::harness::Harness;
use crate::support::fixture::{Fixture, IMAGE_REPO, IMAGE_TAG};
use crate::support::registry::Registry;

#[test]
fn d_on_a_tag_deletes_the_tag_alone_unless_w_asks_for_the_manifest() {
    let mut app = app_at_loaded_tag();
    let effects = key(&mut app, KeyCode::Char('d'));
    assert!(effects.is_empty(), "nothing planned yet: {effects:?}");
    let dialog = top::<DeleteDialog>(&app).unwrap();
    assert_eq!(dialog.tag(), Some("v1"));
    let (plan, _) = dialog.shown().unwrap();
    assert!(plan.manifests.is_empty(), "{plan:?}");
    let effects = key(&mut app, KeyCode::Char('y'));
    match &effects[..] {
        [
            Effect::Operation {
                request: OperationRequest::Delete { plan },
                ..
            },
        ] => {
            let only = plan.tag_only.as_ref().expect("the tag alone");
            assert_eq!(only.tag, "v1");
            assert_eq!(&only.descriptor.digest, image().digest());
            assert!(plan.manifests.is_empty(), "{plan:?}");
        }
        other => panic!("not the tag's delete: {other:?}"),
    }
    assert!(!popup_open(&app));

    // `w`: the manifest's delete, planned now and once.
    key(&mut app, KeyCode::Char('d'));
    let effects = key(&mut app, KeyCode::Char('w'));
    let digest = image().digest().to_string();
    assert!(
        matches!(&effects[..], [Effect::Operation { request: OperationRequest::PlanDelete { reference, .. }, .. }] if *reference == digest),
        "{effects:?}"
    );
    assert!(top::<DeleteDialog>(&app).is_some_and(|d| d.whole && d.shown().is_none()));
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(
        effects.is_empty(),
        "nothing deleted before the plan: {effects:?}"
    );
    assert!(
        key(&mut app, KeyCode::Char('w')).is_empty(),
        "back to the tag"
    );
    assert!(top::<DeleteDialog>(&app).is_some_and(|d| !d.whole));
    assert!(
        key(&mut app, KeyCode::Char('w')).is_empty(),
        "the manifest was planned already"
    );
    key(&mut app, KeyCode::Char('n'));
    assert!(!popup_open(&app));
}

/// On a digest row there is no tag: the manifest's plan at once, and `w`
/// says why it changes nothing.
#[tokio::test]
async fn d_on_a_digest_row_plans_the_manifest() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    let sbom = referrer(regscope::demo::NET_MONITOR_SBOM);
    ui.move_to(&sbom);
    ui.key(KeyCode::Char('d'));
    let screen = ui
        .wait_for("the plan", |s| s.contains("2 manifests will be deleted"))
        .await;
    assert!(!screen.contains("the manifest instead"), "{screen}");
    ui.key(KeyCode::Char('w'));
    let dialog = top::<DeleteDialog>(&ui.driver.app).unwrap();
    assert!(dialog.whole && dialog.tag().is_none());
    let status = ui.driver.app.status.clone().unwrap();
    assert!(status.text.contains("no tag to delete alone"), "{status:?}");
}

#[tokio::test]
async fn the_dialog_on_a_tag_in_both_modes() {
    let mut ui = Harness::net_monitor();
    ui.settle().await;
    ui.key(KeyCode::Char('d'));
    let screen = ui.screen();
    assert!(
        screen.contains("1 tag will be deleted (v1), no manifest"),
        "{screen}"
    );
    assert!(screen.contains("w the manifest instead"), "{screen}");
    insta::assert_snapshot!("delete_dialog_tag", screen);
    ui.key(KeyCode::Char('w'));
    let screen = ui
        .wait_for("the manifest's plan", |s| {
            s.contains("5 manifests will be deleted")
        })
        .await;
    assert!(screen.contains("w the tag alone instead"), "{screen}");
    insta::assert_snapshot!("delete_dialog_tag_whole", screen);
}

/// `d`, `y` on `net-monitor:v1` in the TUI: `v1` is gone, the manifest,
/// its other tag and its three referrers are still there.
async fn deletes_the_tag_alone(registry: &Registry) {
    let fixture = Fixture::seed(registry);
    let store = Arc::new(RemoteStore::new(registry.host(), ConnectOptions::default()).unwrap());
    let manifest = store.fetch_manifest(IMAGE_REPO, IMAGE_TAG).await.unwrap();
    store
        .push_manifest(IMAGE_REPO, &manifest, Some("kept"))
        .await
        .unwrap();
    let shared: regscope::store::SharedStore = store.clone();
    let mut ui = Harness::with_store(
        shared,
        None,
        Start::reference(IMAGE_REPO, IMAGE_TAG),
        160,
        50,
    );
    ui.settle().await;
    ui.key(KeyCode::Char('d'));
    ui.wait_for("the tag's plan", |s| {
        s.contains("1 tag will be deleted (v1)")
    })
    .await;
    ui.key(KeyCode::Char('y'));
    ui.wait_for("the delete", |s| s.contains("deleted the tag v1"))
        .await;

    assert!(store.resolve(IMAGE_REPO, IMAGE_TAG).await.is_err());
    let kept = store.resolve(IMAGE_REPO, "kept").await.unwrap();
    assert_eq!(kept.digest.to_string(), fixture.image);
    let graph = discover(
        store.as_ref(),
        IMAGE_REPO,
        &fixture.image,
        &DiscoverOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(graph.referrers.len(), 3, "{graph:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tag_goes_alone_on_olareg() {
    deletes_the_tag_alone(&Registry::olareg()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tag_goes_alone_on_distribution() {
    deletes_the_tag_alone(&Registry::distribution()).await;
}
