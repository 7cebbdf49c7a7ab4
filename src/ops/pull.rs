//! Pulling an artifact's files: by title, directories unpacked, every digest
//! verified, written under temporary names inside the output directory and
//! renamed only once everything verified, so a failed pull leaves existing
//! files untouched and nothing half-written.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use futures_util::stream;

use super::paths::{refuse_symlinked_components, validate_titles};
use super::untar::UnpackLimits;
use super::{CancellationToken, OpError, Progress, ProgressSink, WrittenPath, report};
use crate::graph::{GraphNode, NodeContext, node_referrers};
use crate::oci::media_type::{self as mt, ANNOTATION_UNPACK};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Store, StoreError};
use stage::{Planned, Staged, stage};

mod stage;
mod temp;

/// Blobs of one pull downloaded at the same time.
const PULL_CONCURRENCY: usize = 4;

/// What to pull from the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullSelect {
    /// The referenced artifact itself.
    Target,
    /// Its newest verified referrer of this artifact type.
    Referrer(String),
    /// Its newest verified referrer of any recognised SBOM type.
    Sbom,
}

#[derive(Debug, Clone)]
pub struct PullOptions {
    pub output_dir: PathBuf,
    pub select: PullSelect,
    pub limits: UnpackLimits,
}

#[derive(Debug, Clone)]
pub struct PullOutcome {
    /// The manifest whose files were pulled.
    pub manifest: Descriptor,
    pub artifact_type: Option<String>,
    pub written: Vec<WrittenPath>,
}

/// Pulls the files of `reference` (or of its newest referrer of a type).
pub async fn pull(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &PullOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<PullOutcome, OpError> {
    // Nothing is written before the blobs are staged, so stopping anywhere
    // up to there leaves the output directory as it was.
    let manifest = tokio::select! {
        () = cancel.cancelled() => return Err(OpError::Cancelled),
        manifest = pull_manifest(store, repository, reference, options, progress) => manifest?,
    };
    let written = pull_blobs(
        store,
        repository,
        &manifest.layers,
        options,
        progress,
        cancel,
    )
    .await?;
    Ok(PullOutcome {
        manifest: manifest.descriptor(),
        artifact_type: manifest.effective_artifact_type().map(str::to_owned),
        written,
    })
}

/// The manifest whose files `options.select` wants: `reference` itself or
/// its newest referrer of a type. Refuses an index or an ambiguous document.
async fn pull_manifest(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &PullOptions,
    progress: &ProgressSink,
) -> Result<Manifest, OpError> {
    let target = store.fetch_manifest(repository, reference).await?;
    let manifest = match &options.select {
        PullSelect::Target => target,
        select => {
            let node = newest_referrer(store, repository, target.digest(), select)
                .await?
                .ok_or_else(|| OpError::NoSuchReferrer {
                    subject: format!("{repository}@{}", target.digest()),
                    wanted: match select {
                        PullSelect::Referrer(wanted) => wanted.clone(),
                        _ => "SBOM".to_owned(),
                    },
                })?;
            report(
                progress,
                Progress::Note(format!("pulling {} {}", node.type_label(), node.digest())),
            );
            match node.manifest {
                Some(manifest) => manifest,
                None => {
                    store
                        .fetch_manifest(repository, &node.digest().to_string())
                        .await?
                }
            }
        }
    };
    if manifest.is_index() {
        return Err(OpError::Invalid(format!(
            "{} is an index; pull one of its manifests",
            manifest.digest()
        )));
    }
    if manifest.is_ambiguous() {
        return Err(OpError::Invalid(format!(
            "{} is ambiguous (both `manifests` and `layers`); refusing to guess",
            manifest.digest()
        )));
    }
    Ok(manifest)
}

/// The newest (by `org.opencontainers.image.created`) verified referrer of
/// `subject` that `select` wants.
pub async fn newest_referrer(
    store: &dyn Store,
    repository: &str,
    subject: &Digest,
    select: &PullSelect,
) -> Result<Option<GraphNode>, StoreError> {
    let filter = match select {
        PullSelect::Referrer(wanted) => Some(wanted.as_str()),
        _ => None,
    };
    let context = NodeContext {
        artifact_type: filter,
        ..NodeContext::default()
    };
    let found = node_referrers(store, repository, subject, context).await?;
    Ok(found
        .nodes
        .into_iter()
        .filter(|node| node.verified && node.manifest.is_some())
        .filter(|node| match select {
            PullSelect::Target => false,
            PullSelect::Referrer(wanted) => node.artifact_type.as_deref() == Some(wanted.as_str()),
            PullSelect::Sbom => node.artifact_type.as_deref().is_some_and(mt::is_sbom),
        })
        .max_by(|a, b| a.created().cmp(&b.created())))
}

/// Pulls blobs into `options.output_dir`: titled ones by title, others under
/// their digest's hex. All names are validated before anything is written.
pub async fn pull_blobs(
    store: &dyn Store,
    repository: &str,
    blobs: &[Descriptor],
    options: &PullOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<Vec<WrittenPath>, OpError> {
    let dir = &options.output_dir;
    let names: Vec<String> = blobs
        .iter()
        .map(|b| {
            b.title()
                .map_or_else(|| b.digest.hex().to_owned(), str::to_owned)
        })
        .collect();
    let paths = validate_titles(names.iter().map(String::as_str))?;
    let plan: Vec<Planned> = blobs
        .iter()
        .zip(paths)
        .map(|(descriptor, relative)| Planned {
            unpack: descriptor.annotation(ANNOTATION_UNPACK) == Some("true"),
            descriptor: descriptor.clone(),
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

    // Everything verified: only now touch the final names.
    let mut written = Vec::new();
    for (i, staged) in ready {
        let item = &plan[i];
        let target = dir.join(&item.relative);
        refuse_symlinked_components(dir, &item.relative)?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| OpError::io(format!("create {}", parent.display()), e))?;
        }
        match staged {
            Staged::File(file) => {
                // Temporary files are private (0600); a pulled file gets the
                // usual mode, as `oras pull` writes it.
                set_readable(file.path())?;
                file.persist(&target).map_err(|e| {
                    OpError::io(format!("rename into {}", target.display()), e.error)
                })?;
            }
            Staged::Directory(temp) => {
                if target.is_dir() {
                    std::fs::remove_dir_all(&target)
                        .map_err(|e| OpError::io(format!("replace {}", target.display()), e))?;
                }
                let kept = temp.keep();
                std::fs::rename(&kept, &target)
                    .map_err(|e| OpError::io(format!("rename into {}", target.display()), e))?;
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

#[cfg(unix)]
fn set_readable(path: &Path) -> Result<(), OpError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
        .map_err(|e| OpError::io(format!("set the mode of {}", path.display()), e))
}

#[cfg(not(unix))]
fn set_readable(_path: &Path) -> Result<(), OpError> {
    Ok(())
}
