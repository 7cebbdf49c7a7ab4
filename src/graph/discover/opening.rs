//! Where a discovery starts: the subject as resolving names it (for a
//! layout, its `index.json` entry with annotations, as `oras discover`
//! shows it), its manifest, the tag list cosign's tags are found in, and,
//! when the subject's digest is known before its manifest arrives, the
//! subject's own listing, sent beside the manifest's fetch.

use futures_util::future::{join, join3};

use super::{DiscoverOptions, Listing};
use crate::graph::node::{NodeContext, list_candidates};
use crate::graph::tree::{check_single_platform, select_platform};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Store, StoreError};

/// The subject, its manifest and the repository's tags.
pub(super) struct Opening {
    pub subject: Descriptor,
    pub manifest: Manifest,
    /// With `platform`: the index the subject was picked from.
    pub within_index: Option<(Descriptor, Manifest)>,
    /// Sorted; `None` when they could not be listed (a warning says so).
    pub tags: Option<Vec<String>>,
    /// The subject's attachments, when they were listed beside the fetch.
    pub subject_listing: Option<Listing>,
    pub warnings: Vec<String>,
}

pub(super) async fn open(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &DiscoverOptions,
) -> Result<Opening, StoreError> {
    let known_manifest = options
        .known_subject
        .as_ref()
        .filter(|manifest| manifest.digest().to_string() == reference);
    let resolved = options
        .resolved_subject
        .as_ref()
        .filter(|descriptor| descriptor.digest.to_string() == reference);
    // The subject's digest before anything is fetched; with a platform to
    // pick, the subject may yet become a platform manifest.
    let early_digest = match (known_manifest, resolved) {
        _ if options.platform.is_some() => None,
        (Some(manifest), _) => Some(manifest.digest().clone()),
        (None, Some(descriptor)) => Some(descriptor.digest.clone()),
        (None, None) => reference.parse::<Digest>().ok(),
    };
    let tags_then_listing = tags_then_listing(store, repository, options, early_digest.as_ref());
    let (subject, manifest, (tags, subject_listing)) = match (known_manifest, resolved) {
        (Some(manifest), _) => (
            Ok(manifest.descriptor()),
            Ok(manifest.clone()),
            tags_then_listing.await,
        ),
        (None, Some(descriptor)) => {
            let (manifest, rest) = join(
                store.fetch_manifest(repository, reference),
                tags_then_listing,
            )
            .await;
            (Ok(descriptor.clone()), manifest, rest)
        }
        (None, None) => {
            join3(
                store.resolve(repository, reference),
                store.fetch_manifest(repository, reference),
                tags_then_listing,
            )
            .await
        }
    };
    let (subject, manifest, mut warnings) =
        reconcile(store, repository, reference, subject?, manifest?).await?;
    let subject_listing =
        subject_listing.filter(|_| early_digest.as_ref() == Some(&subject.digest));
    let (subject, manifest, within_index) =
        pick_platform(store, repository, options, subject, manifest).await?;
    let mut all_warnings = manifest.warnings.clone();
    all_warnings.append(&mut warnings);
    let tags = match tags {
        Ok(tags) => Some(tags),
        Err(error) => {
            all_warnings.push(format!("cosign tags not searched: {error}"));
            None
        }
    };
    Ok(Opening {
        subject,
        manifest,
        within_index,
        tags,
        subject_listing,
        warnings: all_warnings,
    })
}

/// The repository's tags, sorted, then (when the subject's digest is
/// already known) the subject's own listing, which needs the tags for
/// cosign's.
async fn tags_then_listing(
    store: &dyn Store,
    repository: &str,
    options: &DiscoverOptions,
    early_digest: Option<&Digest>,
) -> (Result<Vec<String>, StoreError>, Option<Listing>) {
    let tags = match &options.known_tags {
        Some(tags) => Ok(tags.to_vec()),
        None => collect_tags(store, repository).await,
    }
    .map(|mut tags| {
        tags.sort_unstable();
        tags
    });
    let listing = match early_digest {
        Some(digest) => {
            let context = subject_context(options, tags.as_ref().ok(), None);
            Some(list_candidates(store, repository, digest, context).await)
        }
        None => None,
    };
    (tags, listing)
}

/// The subject as resolved and its manifest as fetched, made to agree;
/// a warning says so when they did not.
async fn reconcile(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    mut subject: Descriptor,
    mut manifest: Manifest,
) -> Result<(Descriptor, Manifest, Vec<String>), StoreError> {
    let mut warnings = Vec::new();
    if describes(&subject.digest, &manifest) {
        return Ok((subject, manifest, warnings));
    }
    if reference.parse::<Digest>().is_ok() {
        // Asked by a digest in another algorithm: the resolved one is the
        // one to describe (its fetch hashes what it gets).
        manifest = store
            .fetch_manifest(repository, &subject.digest.to_string())
            .await?;
    } else {
        // By tag, resolving (HEAD) and the GET disagree: the tag moved
        // between them, or the registry's HEAD answer is wrong. The GET's
        // bytes were hashed here, so they are what is described.
        warnings.push(format!(
            "resolving {reference} gave {} (the registry's word), fetching it gave {} \
             (hashed here): the tag moved meanwhile, or the registry answers HEAD \
             wrongly; showing {}",
            subject.digest,
            manifest.digest(),
            manifest.digest()
        ));
        let annotations = std::mem::take(&mut subject.annotations);
        subject = manifest.descriptor();
        subject.annotations.extend(annotations);
    }
    Ok((subject, manifest, warnings))
}

/// With `platform` and an index: that platform's manifest becomes the
/// subject, and the index is kept beside it. With `platform` and a single
/// image: its config must name that platform (`check_single_platform`).
async fn pick_platform(
    store: &dyn Store,
    repository: &str,
    options: &DiscoverOptions,
    subject: Descriptor,
    manifest: Manifest,
) -> Result<(Descriptor, Manifest, Option<(Descriptor, Manifest)>), StoreError> {
    let Some(wanted) = options.platform.as_ref() else {
        return Ok((subject, manifest, None));
    };
    if !manifest.is_index() {
        check_single_platform(store, repository, &manifest, wanted).await?;
        return Ok((subject, manifest, None));
    }
    let entry = select_platform(&manifest, wanted)?.clone();
    let platform_manifest = store
        .fetch_manifest(repository, &entry.digest.to_string())
        .await?;
    Ok((entry, platform_manifest, Some((subject, manifest))))
}

/// What a listing of the discovery's nodes knows around them.
pub(super) fn subject_context<'a>(
    options: &'a DiscoverOptions,
    tags: Option<&'a Vec<String>>,
    parent_index: Option<&'a Manifest>,
) -> NodeContext<'a> {
    NodeContext {
        artifact_type: options.artifact_type.as_deref(),
        tags: tags.map(Vec::as_slice),
        tags_complete: tags.is_some(),
        parent_index,
        max_fan_out: options.max_fan_out,
    }
}

async fn collect_tags(store: &dyn Store, repository: &str) -> Result<Vec<String>, StoreError> {
    let mut tags = Vec::new();
    store
        .tags(repository, &mut |page| tags.extend(page))
        .await?;
    Ok(tags)
}

/// Whether `digest` names `manifest`'s bytes, in whatever algorithm it uses.
fn describes(digest: &Digest, manifest: &Manifest) -> bool {
    if manifest.digest() == digest {
        return true;
    }
    let mut hasher = crate::oci::DigestHasher::new(digest.algorithm());
    hasher.update(manifest.raw());
    &hasher.finish() == digest
}
