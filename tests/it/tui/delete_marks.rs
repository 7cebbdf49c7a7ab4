//! After a delete the TUI forgets every row that went (the tags too,
//! loaded or not) and marks an index that now lists a deleted manifest;
//! before it, the dialog refuses a plan that breaks an index, as `rm` does.

use crossterm::event::KeyCode;
use regscope::ops::{DeletePlan, PlannedDelete};
use regscope::tui::app::App;
use regscope::tui::message::{Effect, JobKey, Loaded, Msg, OperationOutcome};
use regscope::tui::tree::NodeId;

use super::app_support::{app, app_at_loaded_tag, image, job_of, key, operation_id, popup_open};

fn row_ids(app: &App) -> Vec<NodeId> {
    app.graph()
        .rows()
        .iter()
        .map(|r| r.path.last().unwrap().clone())
        .collect()
}

fn planned(descriptor: regscope::oci::Descriptor) -> PlannedDelete {
    PlannedDelete {
        descriptor,
        artifact_type: None,
        depth: 0,
        parent: None,
        tags: Vec::new(),
        named_by: Vec::new(),
    }
}

fn listed(app: &mut App, job: JobKey, names: &[&str]) {
    app.update(Msg::Page {
        job: job.clone(),
        names: names.iter().map(|s| (*s).to_owned()).collect(),
    });
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::ListingDone),
    });
}

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
    let effects = app.start_reference("multi", "v1");
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    listed(&mut app, listing, &["amd", "latest", "v1"]);
    app.update(Msg::Loaded {
        job: manifest_job,
        result: Ok(Loaded::Manifest(index_of(&platform))),
    });
    let platform_id = NodeId::Platform {
        digest: platform.clone(),
        nth: 1,
    };
    assert!(row_ids(&app).contains(&platform_id), "{:?}", row_ids(&app));

    key(&mut app, KeyCode::Char('d'));
    // The manifest's delete, not the tag's.
    let id = operation_id(&key(&mut app, KeyCode::Char('w')));
    let mut subject = planned(image().descriptor());
    subject.named_by = vec!["amd".to_owned(), "latest".to_owned()];
    let plan = DeletePlan {
        repository: "multi".to_owned(),
        tag_only: None,
        tags_read: 3,
        listed_by: Vec::new(),
        indexes_unknown: false,
        break_indexes: true,
        manifests: vec![subject],
        unverified: Vec::new(),
        orphaned: Vec::new(),
        in_index: Vec::new(),
        warnings: Vec::new(),
    };
    app.update(Msg::OperationDone {
        id,
        result: Ok(OperationOutcome::DeletePlanned(Box::new(plan))),
    });
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
    key(&mut app, KeyCode::Char('d'));
    // The manifest's delete, not the tag's.
    let id = operation_id(&key(&mut app, KeyCode::Char('w')));
    let plan = DeletePlan {
        repository: "net-monitor".to_owned(),
        tag_only: None,
        tags_read: 2,
        listed_by: vec![regscope::ops::ListingIndex {
            digest: image().digest().clone(),
            tags: vec!["multi".to_owned()],
            entries: vec![(image().digest().clone(), Some("linux/amd64".to_owned()))],
        }],
        indexes_unknown: false,
        break_indexes: false,
        manifests: vec![planned(image().descriptor())],
        unverified: Vec::new(),
        orphaned: Vec::new(),
        in_index: Vec::new(),
        warnings: Vec::new(),
    };
    app.update(Msg::OperationDone {
        id,
        result: Ok(OperationOutcome::DeletePlanned(Box::new(plan))),
    });
    let effects = key(&mut app, KeyCode::Char('y'));
    assert!(effects.is_empty(), "{effects:?}");
    let status = app.status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("refusing"),
        "{status:?}"
    );
    assert!(popup_open(&app), "the plan stays up");
}
