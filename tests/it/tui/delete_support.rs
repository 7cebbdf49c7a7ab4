//! The delete dialog driven at the state level, shared by the tests of
//! what a delete leaves behind (`delete_marks`, `forget`): a reference
//! opened with its tags listed, a plan handed to the dialog as the engine
//! would, and the rows that remain.

use crossterm::event::KeyCode;
use regscope::oci::{Descriptor, Digest};
use regscope::ops::{DeletePlan, PlannedDelete};
use regscope::tui::app::App;
use regscope::tui::failure::Failure;
use regscope::tui::message::{Effect, JobKey, Loaded, Msg, OperationOutcome};
use regscope::tui::tree::NodeId;

use super::app_support::{job_of, key, operation_id};

pub(super) fn row_ids(app: &App) -> Vec<NodeId> {
    app.graph()
        .rows()
        .iter()
        .map(|r| r.path.last().unwrap().clone())
        .collect()
}

/// A manifest the plan deletes: the subject, or a referrer of `parent`.
pub(super) fn planned(descriptor: Descriptor, parent: Option<Digest>) -> PlannedDelete {
    PlannedDelete {
        descriptor,
        artifact_type: None,
        depth: usize::from(parent.is_some()),
        parent,
        tags: Vec::new(),
        named_by: Vec::new(),
    }
}

/// A plan that deletes `manifests` of `repository` and nothing else is
/// known about: no index lists them, none is broken.
pub(super) fn plan(
    repository: &str,
    tags_read: usize,
    manifests: Vec<PlannedDelete>,
) -> DeletePlan {
    DeletePlan {
        repository: repository.to_owned(),
        tag_only: None,
        tags_read,
        listed_by: Vec::new(),
        indexes_unknown: false,
        break_indexes: false,
        manifests,
        unverified: Vec::new(),
        orphaned: Vec::new(),
        in_index: Vec::new(),
        warnings: Vec::new(),
    }
}

pub(super) fn listed(app: &mut App, job: JobKey, names: &[&str]) -> Vec<Effect> {
    app.update(Msg::Page {
        job: job.clone(),
        names: names.iter().map(|s| (*s).to_owned()).collect(),
    });
    app.update(Msg::Loaded {
        job,
        result: Ok(Loaded::ListingDone),
    })
}

/// `repository:tag` opened, the repository's `tags` listed and the
/// manifest's load answered with `manifest`; returns what that answer
/// asks for.
pub(super) fn opened(
    app: &mut App,
    (repository, tag): (&str, &str),
    tags: &[&str],
    manifest: Result<Loaded, Failure>,
) -> Vec<Effect> {
    let effects = app.start_reference(repository, tag);
    let listing = job_of(&effects, |e| matches!(e, Effect::ListTags { .. }));
    let manifest_job = job_of(&effects, |e| matches!(e, Effect::FetchManifest { .. }));
    listed(app, listing, tags);
    app.update(Msg::Loaded {
        job: manifest_job,
        result: manifest,
    })
}

/// `d` then `w` (the manifest's delete, not the tag's), and the engine's
/// `plan` handed to the dialog, as the runner would.
pub(super) fn whole_delete_planned(app: &mut App, plan: DeletePlan) {
    key(app, KeyCode::Char('d'));
    let id = operation_id(&key(app, KeyCode::Char('w')));
    app.update(Msg::OperationDone {
        id,
        result: Ok(OperationOutcome::DeletePlanned(Box::new(plan))),
    });
}
