//! After a delete the TUI forgets every row that went (the tags too,
//! loaded or not) and marks an index that now lists a deleted manifest;
//! before it, the dialog refuses a plan that breaks an index, as `rm` does.

use crossterm::event::KeyCode;
use regscope::ops::DeletePlan;
use regscope::tui::message::{Loaded, Msg, OperationOutcome};
use regscope::tui::tree::NodeId;

use super::app_support::{app, app_at_loaded_tag, image, key, operation_id, popup_open};
use super::delete_support::{opened, plan, planned, row_ids, whole_delete_planned};

/// An index with one platform, `digest`, for linux/amd64.
fn index_of(digest: &regscope::oci::Digest) -> std::sync::Arc<regscope::oci::Manifest> {
    let raw = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
          "manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "digest":"{digest}","size":9,"platform":{{"os":"linux","architecture":"amd64"}}}}]}}"#
    );
    std::sync::Arc::new(regscope::oci::Manifest::parse(bytes::Bytes::from(raw), None).unwrap())
}

/// After a delete the TUI drops the rows of every tag that went (loaded or
/// not) and of the deleted platform, and marks the index that now lists a
/// manifest that is not there.
#[test]
fn a_delete_removes_its_tags_and_marks_the_index_it_broke() {
    let mut app = app();
    let platform = image().digest().clone();
    opened(
        &mut app,
        ("multi", "v1"),
        &["amd", "latest", "v1"],
        Ok(Loaded::Manifest(index_of(&platform))),
    );
    let platform_id = NodeId::Platform {
        digest: platform.clone(),
        nth: 1,
    };
    assert!(row_ids(&app).contains(&platform_id), "{:?}", row_ids(&app));

    let mut subject = planned(image().descriptor(), None);
    subject.named_by = vec!["amd".to_owned(), "latest".to_owned()];
    let plan = DeletePlan {
        break_indexes: true,
        ..plan("multi", 3, vec![subject])
    };
    whole_delete_planned(&mut app, plan);
    let id = operation_id(&key(&mut app, KeyCode::Char('y')));
    app.update(Msg::OperationDone {
        id,
        result: Ok(OperationOutcome::Deleted {
            count: 1,
            digests: vec![platform.clone()],
            repository: "multi".to_owned(),
            tags: vec!["amd".to_owned(), "latest".to_owned()],
        }),
    });
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "deleted 1 manifest; 1 index now points at nothing (marked)"
    );
    let ids = row_ids(&app);
    assert!(
        !ids.contains(&platform_id),
        "the platform row stays: {ids:?}"
    );
    assert!(
        !ids.contains(&NodeId::tag("amd")) && !ids.contains(&NodeId::tag("latest")),
        "a tag that went stays: {ids:?}"
    );
    assert!(ids.contains(&NodeId::tag("v1")), "{ids:?}");
    let screen = super::app_support::draw(&app, 240, 30).join("\n");
    let index_row = screen
        .lines()
        .find(|l| l.contains("▼ v1"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(index_row.contains("⚠ lists 1 deleted"), "{screen}");
}

/// The delete dialog refuses a plan that breaks an index, as `rm` does
/// without `--break-index`: `y` starts nothing and says why.
#[test]
fn the_dialog_refuses_a_plan_that_breaks_an_index() {
    let mut app = app_at_loaded_tag();
    let plan = DeletePlan {
        listed_by: vec![regscope::ops::ListingIndex {
            digest: image().digest().clone(),
            tags: vec!["multi".to_owned()],
            entries: vec![(image().digest().clone(), Some("linux/amd64".to_owned()))],
        }],
        ..plan("net-monitor", 2, vec![planned(image().descriptor(), None)])
    };
    whole_delete_planned(&mut app, plan);
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(effects.is_empty(), "{effects:?}");
    let status = app.status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("refusing"),
        "{status:?}"
    );
    assert!(popup_open(&app), "the plan stays up");
}
