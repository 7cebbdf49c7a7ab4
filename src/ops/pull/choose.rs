//! Which manifests a pull writes from: the reference itself (or one
//! platform of it), or the SBOMs and referrers of a type that the graph's
//! one answer gives, in `select`'s order, confirmed by reading where a
//! candidate announces nothing.

use super::sbom::sbom_candidates;
use super::select::{Scope, platform_scope, referrers_of_type};
use super::target::target_candidate;
use super::{Candidate, PlatformChoice, PullOptions, PullSelect, SbomRank};
use crate::document::{SbomFormat, unwrap_statement};
use crate::graph::{DiscoverOptions, ReferrerTree, discover};
use crate::oci::PlatformSpec;
use crate::oci::media_type::{self as mt, ArtifactKind};
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
    if let Some(candidate) = target_candidate(store, repository, reference, options).await? {
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
    let scopes = scopes_of(tree, &options.platform, index)?;
    let mut chosen = Vec::new();
    for (scope, dir) in &scopes {
        let found = confirm(store, repository, find(scope), options, progress).await?;
        chosen.extend(found.into_iter().map(|c| (c, dir.clone())));
    }
    if chosen.is_empty() && index && options.platform == PlatformChoice::Auto {
        chosen =
            from_the_chosen_platform(store, repository, tree, &find, &wanted, options, progress)
                .await?;
    }
    if chosen.is_empty() {
        return Err(nothing_found(
            repository, tree, index, &find, options, wanted,
        ));
    }
    Ok(chosen)
}

/// Where to look, each with the subdirectory its files go to: the subject,
/// one platform of an index, or (`--platform all`) the index and each
/// platform it serves.
fn scopes_of<'a>(
    tree: &'a ReferrerTree,
    platform: &PlatformChoice,
    index: bool,
) -> Result<Vec<(Scope<'a>, Option<String>)>, OpError> {
    let mut scopes: Vec<(Scope<'_>, Option<String>)> = Vec::new();
    match platform {
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
    Ok(scopes)
}

/// For an index with nothing of its own: what the platform the one chooser
/// takes (this machine's, else the only one) has, said in a note; empty
/// when it takes none.
async fn from_the_chosen_platform(
    store: &dyn Store,
    repository: &str,
    tree: &ReferrerTree,
    find: &impl Fn(&Scope<'_>) -> Vec<Candidate>,
    wanted: &str,
    options: &PullOptions,
    progress: &ProgressSink,
) -> Result<Vec<(Candidate, Option<String>)>, OpError> {
    let taken = crate::graph::choose_platform(&tree.manifest, None)
        .ok()
        .and_then(|entry| entry.platform.as_ref());
    let platform = taken.map(PlatformSpec::of);
    let (Some(taken), Some(platform)) = (taken, platform) else {
        return Ok(Vec::new());
    };
    let Some(scope) = platform_scope(tree, &platform) else {
        return Ok(Vec::new());
    };
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
    Ok(confirm(store, repository, find(&scope), options, progress)
        .await?
        .into_iter()
        .map(|c| (c, None))
        .collect())
}

/// The error for a pull that found nothing; for an index pulled without
/// --platform it names the platforms that have what was asked for.
fn nothing_found(
    repository: &str,
    tree: &ReferrerTree,
    index: bool,
    find: &impl Fn(&Scope<'_>) -> Vec<Candidate>,
    options: &PullOptions,
    wanted: String,
) -> OpError {
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
    OpError::NoSuchReferrer { subject, wanted }
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
