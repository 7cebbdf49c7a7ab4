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
use crate::document::SbomFormat;
use crate::oci::media_type::ANNOTATION_UNPACK;
use crate::oci::{Descriptor, PlatformSpec};
use crate::store::Store;
use choose::choose;
use place::place;
pub use select::{Candidate, SbomRank, Wanted};
use stage::{Planned, Staged, stage};

mod choose;
mod keep;
#[cfg_attr(not(unix), path = "pull/place_portable.rs")]
mod place;
mod select;
mod stage;
pub(crate) mod temp;

/// Blobs of one pull downloaded at the same time.
const PULL_CONCURRENCY: usize = 4;

/// What to pull from the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullSelect {
    /// The referenced artifact itself.
    Target,
    /// Its newest attached referrer of this artifact type.
    Referrer(String),
    /// Its SBOM, wherever real tools put it (see `select`).
    Sbom,
}

/// Which platform of an index a pull looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PlatformChoice {
    /// The index's own attachments; failing those, the host's platform.
    #[default]
    Auto,
    One(PlatformSpec),
    /// Every platform, each into `<os>-<arch>[-<variant>]/`.
    All,
}

#[derive(Debug, Clone)]
pub struct PullOptions {
    pub output_dir: PathBuf,
    pub select: PullSelect,
    pub limits: UnpackLimits,
    pub platform: PlatformChoice,
    /// Write every candidate, not only the first in order.
    pub all: bool,
    /// Keep an attestation's envelope instead of unwrapping its predicate.
    pub raw: bool,
    /// Replace a file already at a final name when its content differs
    /// (as `oras pull` does). When false such a pull writes nothing and
    /// fails with [`OpError::WouldReplace`]; identical files are fine.
    pub replace_existing: bool,
}

impl PullOptions {
    pub fn new(output_dir: PathBuf, select: PullSelect) -> PullOptions {
        PullOptions {
            output_dir,
            select,
            limits: UnpackLimits::default(),
            platform: PlatformChoice::Auto,
            all: false,
            raw: false,
            replace_existing: true,
        }
    }
}

/// What was pulled and where it came from, for the user to read.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub manifest: Descriptor,
    pub label: String,
    pub found_by: String,
    pub platform: Option<PlatformSpec>,
    pub format: Option<SbomFormat>,
    pub rank: Option<SbomRank>,
}

#[derive(Debug, Clone)]
pub struct PullOutcome {
    /// The manifest whose files were pulled (the first, with `--all`).
    pub manifest: Descriptor,
    pub artifact_type: Option<String>,
    /// Every manifest written from, in order.
    pub pulled: Vec<Pulled>,
    pub written: Vec<WrittenPath>,
}

/// Pulls the files of `reference` (or of its SBOM, or of a referrer of a
/// type).
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
    let chosen = tokio::select! {
        () = cancel.cancelled() => return Err(OpError::Cancelled),
        chosen = choose(store, repository, reference, options, progress) => chosen?,
    };
    let mut plan = Vec::new();
    let mut pulled = Vec::new();
    for (owner, (candidate, subdir)) in chosen.iter().enumerate() {
        for wanted in &candidate.layers {
            let name = wanted.name.clone().unwrap_or_else(|| {
                wanted
                    .descriptor
                    .title()
                    .map_or_else(|| wanted.descriptor.digest.hex().to_owned(), str::to_owned)
            });
            let name = match subdir {
                Some(dir) => format!("{dir}/{name}"),
                None => name,
            };
            plan.push((owner, wanted.clone(), name));
        }
        report(
            progress,
            Progress::Note(format!(
                "pulling {} {} ({}){}",
                candidate.label,
                candidate.manifest.digest(),
                candidate.found_by,
                candidate
                    .platform
                    .as_ref()
                    .map(|p| format!(" for {p}"))
                    .unwrap_or_default()
            )),
        );
        pulled.push(Pulled {
            manifest: candidate.manifest.descriptor(),
            label: candidate.label.clone(),
            found_by: candidate.found_by.clone(),
            platform: candidate.platform.clone(),
            format: candidate.format,
            rank: candidate.rank,
        });
    }
    uniquify_names(&mut plan);
    let plan = plan
        .into_iter()
        .map(|(_, wanted, name)| (wanted, name))
        .collect();
    let written = pull_wanted(store, repository, plan, options, progress, cancel).await?;
    let first = &chosen[0].0.manifest;
    Ok(PullOutcome {
        manifest: first.descriptor(),
        artifact_type: first.effective_artifact_type().map(str::to_owned),
        pulled,
        written,
    })
}

/// With `--all`, two SBOMs may want the same name: a later manifest's file
/// gets that manifest's short digest before the extension
/// (`sbom-1a2b3c4d5e6f.cdx.json`). Names within one manifest are left for
/// `validate_titles` to judge.
fn uniquify_names(plan: &mut [(usize, Wanted, String)]) {
    let mut taken: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (owner, wanted, name) in plan.iter_mut() {
        let key = name.to_lowercase();
        match taken.get(&key) {
            Some(first) if first != owner => {
                let short = &wanted.descriptor.digest.hex()[..12];
                let (dir, file) = match name.rsplit_once('/') {
                    Some((dir, file)) => (format!("{dir}/"), file.to_owned()),
                    None => (String::new(), name.clone()),
                };
                *name = match file.split_once('.') {
                    Some((stem, ext)) => format!("{dir}{stem}-{short}.{ext}"),
                    None => format!("{dir}{file}-{short}"),
                };
                taken.insert(name.to_lowercase(), *owner);
            }
            Some(_) => {}
            None => {
                taken.insert(key, *owner);
            }
        }
    }
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
    let plan = blobs
        .iter()
        .map(|b| {
            let name = b
                .title()
                .map_or_else(|| b.digest.hex().to_owned(), str::to_owned);
            (Wanted::as_stored(b), name)
        })
        .collect();
    pull_wanted(store, repository, plan, options, progress, cancel).await
}

/// Pulls each wanted blob under its name (validated all at once before
/// anything is written), unpacking directories and unwrapping predicates.
async fn pull_wanted(
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
