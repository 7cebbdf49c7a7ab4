//! Pulling an artifact's files: by title, directories unpacked, every digest
//! verified, written under temporary names inside the output directory and
//! renamed only once everything verified, so a failed pull leaves existing
//! files untouched and nothing half-written.

use std::path::PathBuf;

use super::untar::UnpackLimits;
use super::{CancellationToken, OpError, Progress, ProgressSink, WrittenPath, report};
use crate::document::SbomFormat;
use crate::oci::{Descriptor, PlatformSpec};
use crate::store::Store;
use choose::choose;
pub use sbom::SbomRank;
pub use select::{Candidate, Wanted};

mod choose;
mod keep;
mod sbom;
mod select;
mod stage;
mod target;
mod write;

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
    /// One layer of the referenced manifest, by its index from 0 or its
    /// digest: written under its title, or under its digest's hex when it
    /// has none (the way to get a layer a plain pull skips).
    Layer(String),
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
    /// The subject's referrer graph when the caller holds it already (the
    /// TUI's tree, expanded): its first level is what choosing an SBOM or
    /// a referrer reads, so with it no discovery request is sent. Used
    /// only when it names the digest `reference` is.
    pub known_graph: Option<std::sync::Arc<crate::graph::ReferrerTree>>,
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
            known_graph: None,
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
    /// Layers left out because nothing names them as a file (no
    /// `org.opencontainers.image.title`), as `oras pull` leaves them.
    pub untitled: Vec<Descriptor>,
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
    let mut untitled = Vec::new();
    for (owner, (candidate, subdir)) in chosen.iter().enumerate() {
        for wanted in &candidate.layers {
            // A layer nothing names is not a file (an image's tar layer):
            // oras skips it too, and naming it by its digest made files
            // nobody asked for.
            let Some(name) = wanted
                .name
                .clone()
                .or_else(|| wanted.descriptor.title().map(str::to_owned))
            else {
                untitled.push(wanted.descriptor.clone());
                continue;
            };
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
    let owners: Vec<&crate::oci::Digest> =
        chosen.iter().map(|(c, _)| c.manifest.digest()).collect();
    uniquify_names(&mut plan, &owners);
    let plan = plan
        .into_iter()
        .map(|(_, wanted, name)| (wanted, name))
        .collect();
    let written = write::pull_wanted(store, repository, plan, options, progress, cancel).await?;
    let first = &chosen[0].0.manifest;
    Ok(PullOutcome {
        manifest: first.descriptor(),
        artifact_type: first.effective_artifact_type().map(str::to_owned),
        pulled,
        written,
        untitled,
    })
}

/// The SBOM `pull --sbom` would take from `reference` for `platform` (the
/// first in its order), without writing anything; `None` when there is
/// none. The diff compares what this chooses on each side.
pub async fn choose_sbom(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    platform: PlatformChoice,
    progress: &ProgressSink,
) -> Result<Option<Candidate>, OpError> {
    let options = PullOptions {
        platform,
        ..PullOptions::new(PathBuf::new(), PullSelect::Sbom)
    };
    match choose(store, repository, reference, &options, progress).await {
        Ok(chosen) => Ok(chosen.into_iter().next().map(|(candidate, _)| candidate)),
        Err(OpError::NoSuchReferrer { .. }) => Ok(None),
        Err(error) => Err(error),
    }
}

/// With `--all`, two SBOMs may want the same name: a later manifest's file
/// gets that manifest's short digest before the extension
/// (`sbom-1a2b3c4d5e6f.cdx.json`), so the name says which artifact it came
/// from even when two artifacts hold the same blob. Names within one
/// manifest are left for `validate_titles` to judge.
fn uniquify_names(plan: &mut [(usize, Wanted, String)], owners: &[&crate::oci::Digest]) {
    let mut taken: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (owner, _, name) in plan.iter_mut() {
        let key = name.to_lowercase();
        match taken.get(&key) {
            Some(first) if first != owner => {
                let short = owners.get(*owner).map_or("", |d| d.short());
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
    write::pull_wanted(store, repository, plan, options, progress, cancel).await
}
