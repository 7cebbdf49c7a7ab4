//! The subject of a discovery: resolved, fetched (and hashed), the tag
//! list read beside it, and for `--platform` the platform manifest picked
//! out of its index. What depends on nothing else goes out at once.

use futures_util::future::join3;

use super::DiscoverOptions;
use crate::graph::tree::{check_single_platform, select_platform};
use crate::oci::{Descriptor, Digest, Manifest};
use crate::store::{Store, StoreError};

/// The subject as discovery describes it.
pub(super) struct Resolved {
    pub(super) subject: Descriptor,
    pub(super) manifest: Manifest,
    /// With `--platform` on an index: the index and its manifest.
    pub(super) within_index: Option<(Descriptor, Manifest)>,
    /// Every tag of the repository, sorted; `None` when they could not be
    /// listed (a warning says so).
    pub(super) tags: Option<Vec<String>>,
    pub(super) warnings: Vec<String>,
}

pub(super) async fn resolve_subject(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &DiscoverOptions,
) -> Result<Resolved, StoreError> {
    // What depends on nothing else goes out at once: the subject as
    // resolving names it (for a layout, its `index.json` entry with
    // annotations, as `oras discover` shows it), its manifest, and the tag
    // list that cosign's tags are found in.
    let tags = async {
        match &options.known_tags {
            Some(tags) => Ok(tags.to_vec()),
            None => collect_tags(store, repository).await,
        }
    };
    let known = options
        .known_subject
        .as_ref()
        .filter(|manifest| manifest.digest().to_string() == reference);
    let (subject, manifest, tags) = match known {
        Some(manifest) => (Ok(manifest.descriptor()), Ok(manifest.clone()), tags.await),
        None => {
            join3(
                store.resolve(repository, reference),
                store.fetch_manifest(repository, reference),
                tags,
            )
            .await
        }
    };
    let mut subject = subject?;
    let mut manifest = manifest?;
    let mut disagreement = None;
    if !describes(&subject.digest, &manifest) {
        if reference.parse::<Digest>().is_ok() {
            // Asked by a digest in another algorithm: the resolved one is
            // the one to describe (its fetch hashes what it gets).
            manifest = store
                .fetch_manifest(repository, &subject.digest.to_string())
                .await?;
        } else {
            // By tag, resolving (HEAD) and the GET disagree: the tag moved
            // between them, or the registry's HEAD answer is wrong. The
            // GET's bytes were hashed here, so they are what is described.
            disagreement = Some(format!(
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
    }
    let mut within_index = None;
    if let Some(wanted) = &options.platform
        && !manifest.is_index()
    {
        check_single_platform(store, repository, &manifest, wanted).await?;
    }
    if let Some(wanted) = &options.platform
        && manifest.is_index()
    {
        let entry = select_platform(&manifest, wanted)?.clone();
        let platform_manifest = store
            .fetch_manifest(repository, &entry.digest.to_string())
            .await?;
        within_index = Some((subject, manifest));
        subject = entry;
        manifest = platform_manifest;
    }
    let mut warnings = manifest.warnings.clone();
    warnings.extend(disagreement);
    let tags = match tags {
        Ok(mut tags) => {
            tags.sort_unstable();
            Some(tags)
        }
        Err(error) => {
            warnings.push(format!("cosign tags not searched: {error}"));
            None
        }
    };
    Ok(Resolved {
        subject,
        manifest,
        within_index,
        tags,
        warnings,
    })
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
