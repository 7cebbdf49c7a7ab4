//! Writing what a pull planned: every name validated before anything is
//! written, the blobs staged under temporary names beside their final ones
//! (a few at a time, each verified), nothing replaced without leave, and
//! only then everything renamed into place.

use std::path::Path;

use futures_util::StreamExt;
use futures_util::stream;

use super::keep;
use super::place::place;
use super::select::Wanted;
use super::stage::{Planned, Staged, stage};
use super::temp;
use super::{PULL_CONCURRENCY, PullOptions};
use crate::oci::media_type::ANNOTATION_UNPACK;
use crate::ops::paths::{refuse_symlinked_components, validate_titles};
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
    let paths = validate_titles(wanted.iter().map(|(_, name)| name.as_str()))?;
    let plan: Vec<Planned> = wanted
        .into_iter()
        .zip(paths)
        .map(|((wanted, _), relative)| Planned {
            unpack: !wanted.unwrap_predicate
                && wanted.descriptor.annotation(ANNOTATION_UNPACK) == Some("true"),
            unwrap_predicate: wanted.unwrap_predicate,
            descriptor: wanted.descriptor,
            relative,
        })
        .collect();
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| OpError::io(format!("create {}", dir.display()), e))?;
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
        refuse_symlinked_components(dir, &item.relative)?;
        let existing = tokio::fs::symlink_metadata(dir.join(&item.relative)).await;
        if existing.is_ok_and(|meta| meta.is_dir() != item.unpack) {
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
    let mut written = Vec::new();
    for (i, staged) in ready {
        let item = &plan[i];
        let target = dir.join(&item.relative);
        // A clear error for what is there now; `place` keeps a symlink
        // swapped in after this check from redirecting the rename.
        refuse_symlinked_components(dir, &item.relative)?;
        match staged {
            Staged::File(file) => {
                // Temporary files are private (0600); a pulled file gets the
                // usual mode, as `oras pull` writes it.
                set_readable(file.path())?;
                let temp = file.into_temp_path();
                place(dir, staged_name(&temp)?, &item.relative, false)?;
                // Renamed away: nothing left to remove.
                let _ = temp.keep();
            }
            Staged::Directory(temp) => {
                place(dir, staged_name(temp.path())?, &item.relative, true)?;
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

/// Temporary files are private (0600); a file written out for the user
/// gets the usual mode, as `oras pull` writes it.
#[cfg(unix)]
pub(crate) fn set_readable(path: &Path) -> Result<(), OpError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
        .map_err(|e| OpError::io(format!("set the mode of {}", path.display()), e))
}

#[cfg(not(unix))]
pub(crate) fn set_readable(_path: &Path) -> Result<(), OpError> {
    Ok(())
}
