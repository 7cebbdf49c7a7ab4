//! Which manifests a pull writes from: the reference itself (or one
//! platform of it), or the SBOMs and referrers of a type that the graph's
//! one answer gives, in `select`'s order, confirmed by reading where a
//! candidate announces nothing.

use super::sbom::sbom_candidates;
use super::select::{Scope, platform_scope, referrers_of_type};
use super::{Candidate, PlatformChoice, PullOptions, PullSelect, SbomRank, Wanted};
use crate::document::{SbomFormat, unwrap_statement};
use crate::graph::{DiscoverOptions, discover};
use crate::oci::media_type::{self as mt, ArtifactKind};
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::ops::{OpError, Progress, ProgressSink, report};
use crate::store::{Store, StoreError};

/// Attestations and generic documents read to learn what they hold are
/// refused past this size (SBOMs of large images run to tens of MiB).
const READ_TO_CLASSIFY_LIMIT: u64 = 64 * 1024 * 1024;

/// The manifests `options` wants from `reference`, each with the
/// subdirectory its files go to (for `--platform all`).
pub(super) async fn choose(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &PullOptions,
    progress: &ProgressSink,
) -> Result<Vec<(Candidate, Option<String>)>, OpError> {
    if options.select == PullSelect::Target {
        let manifest = target_manifest(store, repository, reference, &options.platform).await?;
        let candidate = Candidate::whole(manifest);
        return Ok(vec![(candidate, None)]);
    }
    if let PullSelect::Layer(which) = &options.select {
        let manifest = target_manifest(store, repository, reference, &options.platform).await?;
        let layer = pick_layer(&manifest, which)?;
        let mut candidate = Candidate::whole(manifest);
        candidate.layers = vec![Wanted {
            name: Some(
                layer
                    .title()
                    .map_or_else(|| layer.digest.hex().to_owned(), str::to_owned),
            ),
            descriptor: layer,
            unwrap_predicate: false,
            content: None,
        }];
        return Ok(vec![(candidate, None)]);
    }
    // Attachments of the subject and, for an index, of each platform: one
    // level is enough, an SBOM hangs off the image itself.
    let discover_options = DiscoverOptions {
        max_depth: Some(1),
        ..DiscoverOptions::default()
    };
    let discovered;
    let tree = match &options.known_graph {
        Some(known) if known.subject.digest.to_string() == reference => known.as_ref(),
        _ => {
            discovered = discover(store, repository, reference, &discover_options).await?;
            &discovered
        }
    };
    for warning in &tree.warnings {
        report(progress, Progress::Warning(warning.clone()));
    }
    let wanted = match &options.select {
        PullSelect::Referrer(wanted) => wanted.clone(),
        _ => "SBOM".to_owned(),
    };
    let find = |scope: &Scope<'_>| match &options.select {
        PullSelect::Referrer(wanted) => referrers_of_type(scope, wanted),
        _ => sbom_candidates(scope, options.raw),
    };
    let index = tree.manifest.is_index();
    if let PlatformChoice::One(wanted) = &options.platform
        && !index
    {
        crate::graph::check_single_platform(store, repository, &tree.manifest, wanted).await?;
    }
    let mut scopes: Vec<(Scope<'_>, Option<String>)> = Vec::new();
    match &options.platform {
        PlatformChoice::One(platform) if index => {
            crate::graph::select_platform(&tree.manifest, platform)?;
            scopes.extend(platform_scope(tree, platform).map(|s| (s, None)));
        }
        PlatformChoice::All if index => {
            scopes.push((Scope::own(tree), None));
            for platform in tree.platforms.iter().filter(|p| p.unfetched.is_none()) {
                let scope = Scope::platform(platform);
                let dir = scope.platform.as_ref().map(PlatformSpec::dir_name);
                scopes.push((scope, dir));
            }
        }
        _ => scopes.push((Scope::own(tree), None)),
    }
    let mut chosen = Vec::new();
    for (scope, dir) in &scopes {
        let found = confirm(store, repository, find(scope), options, progress).await?;
        chosen.extend(found.into_iter().map(|c| (c, dir.clone())));
    }
    if chosen.is_empty() && index && options.platform == PlatformChoice::Auto {
        // The one chooser: this machine's platform, else the only one.
        let taken = crate::graph::choose_platform(&tree.manifest, None)
            .ok()
            .and_then(|entry| entry.platform.as_ref());
        let platform = taken.map(PlatformSpec::of);
        if let (Some(taken), Some(platform)) = (taken, platform)
            && let Some(scope) = platform_scope(tree, &platform)
        {
            let why = if PlatformSpec::host().matches(taken) {
                "this machine's platform"
            } else {
                "the index's only platform"
            };
            report(
                progress,
                Progress::Note(format!(
                    "the index has no {wanted} of its own; taking {platform}, {why} \
                     (--platform picks another, --platform all takes every one)"
                )),
            );
            chosen = confirm(store, repository, find(&scope), options, progress)
                .await?
                .into_iter()
                .map(|c| (c, None))
                .collect();
        }
    }
    if chosen.is_empty() {
        let mut subject = format!("{repository}@{}", tree.subject.digest);
        if index {
            let with: Vec<String> = tree
                .platforms
                .iter()
                .filter(|p| !find(&Scope::platform(p)).is_empty())
                .filter_map(|p| p.descriptor.platform.as_ref())
                .map(|p| PlatformSpec::of(p).to_string())
                .collect();
            if !with.is_empty() && options.platform == PlatformChoice::Auto {
                subject.push_str(&format!(
                    " (nor has the host's platform; these do: {}; pass --platform)",
                    with.join(", ")
                ));
            }
        }
        return Err(OpError::NoSuchReferrer { subject, wanted });
    }
    Ok(chosen)
}

/// Keeps the candidates that really hold what was asked for, in order:
/// the first one (or, with `--all`, every one). Candidates that announce
/// nothing are read to find out.
async fn confirm(
    store: &dyn Store,
    repository: &str,
    candidates: Vec<Candidate>,
    options: &PullOptions,
    progress: &ProgressSink,
) -> Result<Vec<Candidate>, OpError> {
    let mut kept = Vec::new();
    for mut candidate in candidates {
        if candidate.rank.is_some_and(SbomRank::needs_reading) {
            match read_format(store, repository, &mut candidate).await {
                Ok(Some(format)) => {
                    candidate.format = Some(format);
                    for wanted in &mut candidate.layers {
                        if wanted.unwrap_predicate || wanted.descriptor.title().is_none() {
                            wanted.name = Some(format.file_name().to_owned());
                        }
                    }
                }
                Ok(None) => continue,
                Err(error) => {
                    report(
                        progress,
                        Progress::Warning(format!(
                            "cannot read {}: {error}",
                            candidate.manifest.digest()
                        )),
                    );
                    continue;
                }
            }
        }
        kept.push(candidate);
        if !options.all {
            break;
        }
    }
    Ok(kept)
}

/// The SBOM format a candidate's only layer holds, read from its bytes,
/// which the candidate keeps: the pull writes them without a second
/// download.
async fn read_format(
    store: &dyn Store,
    repository: &str,
    candidate: &mut Candidate,
) -> Result<Option<SbomFormat>, StoreError> {
    let Some(wanted) = candidate.layers.first_mut() else {
        return Ok(None);
    };
    let bytes = store
        .fetch_blob_bytes(repository, &wanted.descriptor, READ_TO_CLASSIFY_LIMIT)
        .await?;
    wanted.content = Some(bytes.clone());
    if candidate.rank == Some(SbomRank::UnannouncedAttestation) {
        let Ok(statement) = unwrap_statement(&bytes) else {
            return Ok(None);
        };
        if mt::predicate_kind(&statement.predicate_type) != ArtifactKind::Sbom {
            return Ok(None);
        }
        return Ok(statement
            .predicate_bytes()
            .and_then(|p| SbomFormat::sniff(&p))
            .or_else(|| SbomFormat::from_predicate_type(&statement.predicate_type)));
    }
    Ok(SbomFormat::sniff(&bytes))
}

/// The layer `which` names: its index from 0, or its digest.
fn pick_layer(manifest: &Manifest, which: &str) -> Result<Descriptor, OpError> {
    let found = match which.parse::<usize>() {
        Ok(index) => manifest.layers.get(index),
        Err(_) => manifest.layers.iter().find(|l| {
            l.digest.to_string() == which
                || (which.len() >= 12 && l.digest.hex().starts_with(which))
        }),
    };
    found.cloned().ok_or_else(|| {
        OpError::Invalid(format!(
            "{} has no layer {which} (it has {}: 0 to {})",
            manifest.digest(),
            crate::text::count(manifest.layers.len(), "layer"),
            manifest.layers.len().saturating_sub(1)
        ))
    })
}

/// The manifest a plain pull writes: the reference, or one platform of it.
async fn target_manifest(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    platform: &PlatformChoice,
) -> Result<Manifest, OpError> {
    let mut manifest = store.fetch_manifest(repository, reference).await?;
    if let PlatformChoice::One(wanted) = platform
        && !manifest.is_index()
    {
        crate::graph::check_single_platform(store, repository, &manifest, wanted).await?;
    }
    if manifest.is_index() {
        match platform {
            PlatformChoice::One(wanted) => {
                let entry = crate::graph::select_platform(&manifest, wanted)?;
                manifest = store
                    .fetch_manifest(repository, &entry.digest.to_string())
                    .await?;
            }
            PlatformChoice::All => {
                return Err(OpError::Invalid(
                    "--platform all picks SBOMs or referrers (--sbom, --artifact-type); \
                     pull one platform's files with --platform os/arch"
                        .to_owned(),
                ));
            }
            PlatformChoice::Auto => {}
        }
    }
    if manifest.is_index() {
        return Err(OpError::Invalid(format!(
            "{} is an index; pull one of its manifests (--platform os/arch)",
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
