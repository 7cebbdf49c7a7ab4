//! Writing what a pull planned: every name validated before anything is
//! written, the blobs staged under temporary names beside their final ones
//! (a few at a time, each verified), nothing replaced without leave, and
//! only then everything renamed into place.

use std::path::Path;

use futures_util::StreamExt;
use futures_util::stream;

use super::keep;
use super::select::Wanted;
use super::stage::{Planned, Staged, stage};
use super::{PULL_CONCURRENCY, PullOptions};
use crate::oci::media_type::ANNOTATION_UNPACK;
use crate::ops::beneath::{Beneath, Kind, temp};
use crate::ops::paths::validate_titles;
use crate::ops::{CancellationToken, OpError, Progress, ProgressSink, WrittenPath, report};
use crate::store::Store;

/// Pulls each wanted blob under its name (validated all at once before
/// anything is written), unpacking directories and unwrapping predicates.
pub(super) async fn pull_wanted(
    store: &dyn Store,
    repository: &str,
    wanted: Vec<(Wanted, String)>,
    options: &PullOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<Vec<WrittenPath>, OpError> {
    let dir = &options.output_dir;
    let plan = plan_of(wanted)?;
    let out = Beneath::create(dir)?;
    for stale in temp::remove_stale(dir) {
        report(
            progress,
            Progress::Note(format!(
                "removed {}, left by an interrupted pull",
                stale.display()
            )),
        );
    }
    for item in &plan {
        let existing = out.kind(&item.relative)?;
        if existing.is_some_and(|kind| (kind == Kind::Dir) != item.unpack) {
            return Err(OpError::unsafe_path(
                item.relative.display().to_string(),
                "a file and a directory would swap places",
            ));
        }
    }

    // The stream yields indices, not `&Planned`: a closure taking a borrowed
    // item trips rustc's higher-ranked `Send` check and the pull future
    // could not be spawned.
    let plan_ref = &plan;
    let staged: Vec<Result<(usize, Staged), OpError>> = stream::iter(0..plan.len())
        .map(|i| async move {
            stage(
                store,
                repository,
                dir,
                &plan_ref[i],
                options.limits,
                progress,
                cancel,
            )
            .await
            .map(|s| (i, s))
        })
        .buffer_unordered(PULL_CONCURRENCY)
        .collect()
        .await;
    let mut ready = Vec::with_capacity(staged.len());
    for result in staged {
        ready.push(result?);
    }
    ready.sort_by_key(|(i, _)| *i);
    // The last point to stop with every final name untouched.
    if cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    if !options.replace_existing {
        let staged: Vec<(&Path, &Staged)> = ready
            .iter()
            .map(|(i, staged)| (plan[*i].relative.as_path(), staged))
            .collect();
        keep::refuse_replacing(dir, &staged)?;
    }

    // Everything verified: only now touch the final names.
    place_all(&out, dir, &plan, ready)
}

/// Each wanted blob with the path it goes to, every name validated at once
/// before anything is written.
fn plan_of(wanted: Vec<(Wanted, String)>) -> Result<Vec<Planned>, OpError> {
    let paths = validate_titles(wanted.iter().map(|(_, name)| name.as_str()))?;
    Ok(wanted
        .into_iter()
        .zip(paths)
        .map(|((wanted, _), relative)| Planned {
            unpack: !wanted.unwrap_predicate
                && wanted.descriptor.annotation(ANNOTATION_UNPACK) == Some("true"),
            unwrap_predicate: wanted.unwrap_predicate,
            content: wanted.content,
            descriptor: wanted.descriptor,
            relative,
        })
        .collect())
}

/// Renames every staged blob (`ready`, by its index in `plan`) to its final
/// name, in plan order.
fn place_all(
    out: &Beneath,
    dir: &Path,
    plan: &[Planned],
    ready: Vec<(usize, Staged)>,
) -> Result<Vec<WrittenPath>, OpError> {
    let mut written = Vec::new();
    for (i, staged) in ready {
        let item = &plan[i];
        let target = dir.join(&item.relative);
        // Through handles opened without following symlinks: one swapped
        // in after the checks above is refused, not followed.
        match staged {
            Staged::File(file) => out.persist(file, &item.relative)?,
            Staged::Directory(temp) => {
                out.place(staged_name(temp.path())?, &item.relative, true)?;
                // Renamed away: nothing left to remove.
                let _ = temp.keep();
            }
        }
        written.push(WrittenPath {
            path: target,
            digest: item.descriptor.digest.clone(),
            directory: item.unpack,
        });
    }
    Ok(written)
}

/// The name of a staged file or directory, directly inside the output
/// directory.
fn staged_name(path: &Path) -> Result<&std::ffi::OsStr, OpError> {
    path.file_name()
        .ok_or_else(|| OpError::Invalid(format!("{} has no file name", path.display())))
}
