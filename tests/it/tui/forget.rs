//! What the store no longer has leaves the tree: a deleted image (opened
//! by name, so pinned) and a tag that does not exist go from every list,
//! and reloading, collapsing or expanding does not bring them back.

use crossterm::event::KeyCode;
use regscope::graph::Attachments;
use regscope::store::{ReferrersSupport, StoreError};
use regscope::tui::app::App;
use regscope::tui::failure::Failure;
use regscope::tui::message::{Effect, Loaded, Msg, OperationOutcome};
use regscope::tui::tree::NodeId;

use super::app_support::{app, image, job_of, key, operation_id, sbom_of};
use super::delete_support::{listed, opened, plan, planned, row_ids, whole_delete_planned};

#[test]
fn deleting_the_image_opened_by_name_removes_it_and_its_graph() {
    let mut app = app();
    let sbom_descriptor = opened_with_an_sbom(&mut app);
    let sbom_id = NodeId::referrer(sbom_descriptor.digest.clone());
    assert!(row_ids(&app).contains(&sbom_id), "{:?}", row_ids(&app));

    let effects = image_and_sbom_deleted(&mut app, &sbom_descriptor);
    assert_eq!(app.status.as_ref().unwrap().text, "deleted 2 manifests");
    let ids = row_ids(&app);
    assert!(
        !ids.iter()
            .any(|id| *id == NodeId::tag("v1") || *id == sbom_id || matches!(id, NodeId::Group(_))),
        "the deleted image still shows: {ids:?}"
    );
    assert_eq!(
        *app.graph().tree.selected(),
        [NodeId::Registry, NodeId::repository("net-monitor")]
    );
    assert!(
        app.graph()
            .tree
            .pinned(&[NodeId::Registry, NodeId::repository("net-monitor")])
            .is_none(),
        "v1 stays pinned"
    );

    // The repository is listed again: it has no tag left.
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    listed(&mut app, listing, &[]);
    assert_eq!(
        row_ids(&app),
        [NodeId::Registry, NodeId::repository("net-monitor")]
    );
    let effects = key(&mut app, KeyCode::Char('r'));
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    listed(&mut app, listing, &[]);
    assert_eq!(
        row_ids(&app),
        [NodeId::Registry, NodeId::repository("net-monitor")]
    );
    assert!(
        app.graph().rows().len() == 2
            && app
                .graph()
                .tree
                .selected_node()
                .unwrap()
                .children()
                .is_empty()
    );
}

/// `net-monitor:v1` opened, its manifest loaded and an SBOM listed as its
/// referrer; returns the SBOM's descriptor.
fn opened_with_an_sbom(app: &mut App) -> regscope::oci::Descriptor {
    let effects = opened(
        app,
        ("net-monitor", "v1"),
        &["v1"],
        Ok(Loaded::Manifest(image())),
    );
    let referrers_job = job_of(&effects, |e| matches!(e, Effect::FetchReferrers { .. }));
    let digest = image().digest().clone();
    let sbom = sbom_of(&digest);
    let sbom_descriptor = sbom.descriptor.clone();
    app.update(Msg::Loaded {
        job: referrers_job,
        result: Ok(Loaded::Referrers {
            attachments: Attachments {
                nodes: vec![sbom],
                warnings: Vec::new(),
            },
            support: ReferrersSupport::NotYetKnown,
        }),
    });
    sbom_descriptor
}

/// The image's delete asked for, planned with its SBOM, confirmed and
/// done; returns what the app asks for after it.
fn image_and_sbom_deleted(
    app: &mut App,
    sbom_descriptor: &regscope::oci::Descriptor,
) -> Vec<Effect> {
    let digest = image().digest().clone();
    let plan = plan(
        "net-monitor",
        1,
        vec![
            planned(sbom_descriptor.clone(), Some(digest.clone())),
            planned(image().descriptor(), None),
        ],
    );
    whole_delete_planned(app, plan);
    let id = operation_id(&key(app, KeyCode::Char('y')));
    app.update(Msg::OperationDone {
        id,
        result: Ok(OperationOutcome::Deleted {
            count: 2,
            digests: vec![sbom_descriptor.digest.clone(), digest],
            repository: "net-monitor".to_owned(),
            tags: vec!["v1".to_owned()],
        }),
    })
}

#[test]
fn a_tag_that_does_not_exist_leaves_no_ghost_row() {
    let mut app = app();
    opened(
        &mut app,
        ("plain", "latest"),
        &["v1"],
        Err(Failure::from(StoreError::not_found("tag latest in plain"))),
    );
    let status = app.status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("latest"),
        "{status:?}"
    );
    assert_eq!(
        *app.graph().tree.selected(),
        [NodeId::Registry, NodeId::repository("plain")]
    );
    assert_eq!(
        row_ids(&app),
        [
            NodeId::Registry,
            NodeId::repository("plain"),
            NodeId::tag("v1")
        ]
    );

    // Collapse, expand, reload: still one tag.
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Right);
    assert_eq!(
        row_ids(&app),
        [
            NodeId::Registry,
            NodeId::repository("plain"),
            NodeId::tag("v1")
        ]
    );
    let effects = key(&mut app, KeyCode::Char('r'));
    assert_eq!(
        row_ids(&app),
        [NodeId::Registry, NodeId::repository("plain")]
    );
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    listed(&mut app, listing, &["v1"]);
    assert_eq!(
        row_ids(&app),
        [
            NodeId::Registry,
            NodeId::repository("plain"),
            NodeId::tag("v1")
        ]
    );
}

/// The same on the demo, end to end: the image the TUI was opened on is
/// deleted with its graph, and nothing of it is left on screen.
#[tokio::test]
async fn deleting_the_opened_demo_image_clears_the_screen_of_it() {
    let mut ui = super::harness::Harness::net_monitor();
    ui.settle().await;
    ui.whole_delete_planned("5 manifests will be deleted").await;
    ui.key(KeyCode::Char('y'));
    ui.wait_for("the deletion", |s| s.contains("deleted 5 manifests"))
        .await;
    let screen = ui.settle().await;
    assert!(
        !screen.contains("v1") && !screen.contains("1 tag") && !screen.contains("referrers  "),
        "{screen}"
    );
    ui.key(KeyCode::Char('r'));
    let screen = ui.settle().await;
    assert!(
        screen.contains("net-monitor") && !screen.contains("v1") && !screen.contains("1 tag"),
        "{screen}"
    );
}
