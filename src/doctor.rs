//! `regscope doctor`: what a registry really does, checked against what
//! it says, each finding with its evidence and with what regscope will
//! therefore do. The report is plain data (`report`) for any front end.
//!
//! The checks go through the store the operations use, so what the
//! referrer checks find is the session's one answer (`capabilities`):
//! a later attach or copy in the same session acts on it. Read-only checks
//! go out at once, in as few rounds as their dependencies allow (a
//! repository, then one of its manifests); `--write` first pushes a
//! scratch image for them to read, and deletes it again at the end.

mod basics;
mod content;
mod evidence_line;
mod listing;
mod prober;
mod referrers;
pub mod report;
mod write;

use futures_util::future::{join, join3, join4};

use crate::graph::sources::is_attachment_tag;
use crate::store::remote::RemoteStore;
use crate::store::remote::capabilities::ReferrersMode;
use prober::{Prober, zero_digest};
pub use referrers::PROBE_ARTIFACT_TYPE;
pub use report::{Check, CheckId, Evidence, ReferrersModeName, Report, Status};

/// Where the checks that read look, when no repository is named and the
/// catalog names none.
pub const PLACEHOLDER_REPOSITORY: &str = "regscope-doctor/probe";

#[derive(Debug, Clone, Default)]
pub struct DoctorOptions {
    /// The repository to read (and with `write`, to push into).
    pub repository: Option<String>,
    /// A tag or digest in it to read; otherwise its first tag.
    pub reference: Option<String>,
    /// Push into a scratch repository (`repository`, or
    /// `regscope-doctor/<random>`) and delete again.
    pub write: bool,
    /// What the checks that write say when they were not asked for: how
    /// the user asks in this front end (`None`: the CLI's `--write`).
    pub writes_not_asked: Option<String>,
}

/// Runs every check against `store`'s registry.
pub async fn run(store: &RemoteStore, options: &DoctorOptions) -> Report {
    use crate::store::Store;
    let prober = Prober::new(store);
    let mut scratch = options
        .write
        .then(|| write::Scratch::new(options.repository.as_deref()));
    let mut setup_failed = None;
    if let Some(scratch) = &mut scratch
        && let Err(evidence) = scratch.set_up(&prober).await
    {
        setup_failed = Some(evidence);
    }
    let repository = scratch
        .as_ref()
        .map(|s| s.repository.clone())
        .or_else(|| options.repository.clone());
    let reference = options.reference.clone().or_else(|| {
        scratch
            .as_ref()
            .filter(|s| s.image.is_some())
            .and_then(|s| s.tags.first().cloned())
    });
    let mut checks = read_only(&prober, repository.as_deref(), reference.as_deref()).await;
    let mut left_behind = None;
    match (&mut scratch, setup_failed) {
        (Some(scratch), None) => {
            let (chunked, mounted) = {
                let mut first = scratch.clone();
                let mut second = scratch.clone();
                let (chunked, mounted) = join(
                    write::chunked_upload(&prober, &mut first),
                    write::mount(&prober, &mut second),
                )
                .await;
                scratch.chunked = first.chunked;
                scratch.mounted = second.mounted;
                (chunked, mounted)
            };
            let mut written = scratch.referrer_checks(&prober).await;
            written.push(chunked);
            written.push(mounted);
            written.extend(write::delete_checks(&prober, scratch).await);
            // What the writes showed replaces what reading alone could say.
            checks.retain(|c| !written.iter().any(|w| w.id == c.id));
            checks.extend(written);
            left_behind = Some(write::clean_up(&prober, scratch).await);
        }
        (Some(scratch), Some(evidence)) => {
            let why = format!(
                "setting up the scratch repository {} failed",
                scratch.repository
            );
            checks.extend(write::skipped(&why).into_iter().map(|c| {
                Check::new(c.id, Status::Fail, c.summary).evidence(vec![evidence.clone()])
            }));
            left_behind = Some(write::clean_up(&prober, scratch).await);
        }
        (None, _) => checks.extend(write::skipped(
            options
                .writes_not_asked
                .as_deref()
                .unwrap_or("not tried: writes need --write"),
        )),
    }
    checks.push(basics::rate_limit(&prober.seen()));
    checks.sort_by_key(|c| c.id);
    let referrers_mode = match store.capabilities().referrers_mode() {
        ReferrersMode::Api => ReferrersModeName::Api,
        ReferrersMode::Fallback | ReferrersMode::Unknown => ReferrersModeName::Fallback,
    };
    Report {
        registry: store.registry().to_owned(),
        repository,
        write: options.write,
        referrers_mode,
        checks,
        left_behind,
    }
}

/// The read-only checks; those that need a repository use the one given,
/// else the catalog's first.
async fn read_only(
    prober: &Prober<'_>,
    repository: Option<&str>,
    reference: Option<&str>,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let (ping, (catalog, _), rest) = match repository {
        Some(repository) => {
            join3(
                basics::ping(prober),
                basics::catalog(prober),
                in_repository(prober, Some(repository), reference),
            )
            .await
        }
        None => {
            let (ping, (catalog, found)) =
                join(basics::ping(prober), basics::catalog(prober)).await;
            let rest = in_repository(prober, found.as_deref(), None).await;
            (ping, (catalog, found), rest)
        }
    };
    checks.push(ping);
    checks.push(catalog);
    checks.extend(rest);
    checks
}

/// Everything that reads one repository: auth's anonymous pull, the tag
/// list, then a manifest, then its blob and its referrers. Without a
/// repository only the referrers API is asked, about the zero digest in
/// a placeholder repository.
async fn in_repository(
    prober: &Prober<'_>,
    repository: Option<&str>,
    reference: Option<&str>,
) -> Vec<Check> {
    let named = repository;
    let repository = repository.unwrap_or(PLACEHOLDER_REPOSITORY);
    let zero = zero_digest();
    let listing = async {
        match named {
            Some(repository) => listing::tags(prober, repository).await,
            None => {
                let why = "no repository to read: name one (the catalog named none)";
                (
                    Check::new(CheckId::TagsList, Status::Skip, why),
                    Check::new(CheckId::TagsPagination, Status::Skip, why),
                    Vec::new(),
                )
            }
        }
    };
    let given_manifest = async {
        match reference {
            Some(reference) => Some(content::manifest_head(prober, repository, reference).await),
            None => None,
        }
    };
    let (auth, (tags_list, tags_pagination, tags), given, unknown) = join4(
        basics::auth(prober, named),
        listing,
        given_manifest,
        referrers::probe_unknown(prober, repository, &zero),
    )
    .await;
    let found = match given {
        Some(found) => found,
        None => match tags.iter().find(|t| !is_attachment_tag(t)) {
            Some(tag) => content::manifest_head(prober, repository, tag).await,
            None => (
                Check::new(
                    CheckId::ManifestHeadDigest,
                    Status::Skip,
                    format!(
                        "no tag in {repository} to read a manifest by; name a repository with one, or use --write"
                    ),
                ),
                None,
            ),
        },
    };
    let (manifest_check, subject) = found;
    let blob = async {
        let blob = match &subject {
            Some(subject) => content::some_blob(prober, repository, subject).await,
            None => None,
        };
        content::blob_range(prober, repository, blob).await
    };
    let (blob_range, referrer_checks) = join(
        blob,
        referrers::judge(prober, repository, subject.as_ref(), unknown),
    )
    .await;
    let mut checks = vec![auth, tags_list, tags_pagination, manifest_check, blob_range];
    checks.extend(referrer_checks);
    checks
}
