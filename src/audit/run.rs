//! The audit driver: list a repository's tags (fallback and cosign tags
//! are never rows), resolve them with bounded concurrency (one manifest
//! fetch each, kept by the session cache for discovery), group them by
//! digest, then discover each image's graph with bounded concurrency and
//! emit its row as soon as it is done. The store already backs off on 429;
//! the bounds keep one audit from flooding a registry.

mod image_row;
mod options;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::{StreamExt, stream};

use super::image::{ImageAudit, Summary};
use super::verify::Trust;
use crate::graph::DiscoverOptions;
use crate::oci::{Descriptor, Digest};
use crate::ops::CancellationToken;
use crate::store::{Store, StoreError};

pub use image_row::{ImageRef, audit_image};
use options::options_root;
pub use options::{AuditOptions, AuditTarget, DEFAULT_AUDIT_CONCURRENCY, proof_root};

/// What an audit reports while it runs.
#[derive(Debug, Clone)]
pub enum AuditEvent {
    /// A repository's tags are grouped: this many rows will follow for it.
    Planned { repository: String, images: usize },
    /// One image is done.
    Row(Box<ImageAudit>),
    /// Something was skipped (a tag that did not resolve, a repository
    /// whose tags could not be listed).
    Warning(String),
}

/// Audits `target`, calling `on_event` as rows finish; the summary counts
/// every row. Cancelling stops at once with `StoreError::Cancelled`.
pub async fn audit(
    store: &dyn Store,
    target: &AuditTarget,
    options: &AuditOptions,
    on_event: &mut (dyn FnMut(AuditEvent) + Send),
    cancel: &CancellationToken,
) -> Result<Summary, StoreError> {
    let work = async {
        let mut summary = Summary::default();
        match target {
            AuditTarget::Repository(repository) => {
                audit_repository(store, repository, options, on_event, &mut summary).await?;
            }
            AuditTarget::Registry => {
                let repositories = crate::ops::list_repositories(store).await?;
                for repository in repositories {
                    if let Err(error) =
                        audit_repository(store, &repository, options, on_event, &mut summary).await
                    {
                        on_event(AuditEvent::Warning(format!(
                            "{repository}: not audited: {error}"
                        )));
                    }
                }
            }
        }
        Ok(summary)
    };
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(StoreError::Cancelled),
        result = work => result,
    }
}

async fn audit_repository(
    store: &dyn Store,
    repository: &str,
    options: &AuditOptions,
    on_event: &mut (dyn FnMut(AuditEvent) + Send),
    summary: &mut Summary,
) -> Result<(), StoreError> {
    let tags = crate::ops::list_tags(store, repository).await?;
    let all_tags: Arc<[String]> = tags
        .named
        .iter()
        .chain(tags.attachment.iter())
        .cloned()
        .collect();
    let wanted: Vec<String> = tags
        .named
        .into_iter()
        .filter(|tag| options.tags.as_ref().is_none_or(|glob| glob.is_match(tag)))
        .collect();
    let resolved: Vec<(String, Result<Descriptor, StoreError>)> = stream::iter(wanted)
        .map(|tag| async move {
            let found = resolve_by_fetching(store, repository, &tag).await;
            (tag, found)
        })
        .buffer_unordered(options.resolve_concurrency.max(1))
        .collect()
        .await;
    // Each tag is resolved once: discovery starts from the descriptor, and
    // its fetch of the manifest by digest is answered by the session cache.
    let mut images: BTreeMap<Digest, (Descriptor, Vec<String>)> = BTreeMap::new();
    for (tag, found) in resolved {
        match found {
            Ok(descriptor) => images
                .entry(descriptor.digest.clone())
                .or_insert_with(|| (descriptor, Vec::new()))
                .1
                .push(tag),
            Err(error) => on_event(AuditEvent::Warning(format!(
                "{repository}:{tag}: not resolved: {error}"
            ))),
        }
    }
    on_event(AuditEvent::Planned {
        repository: repository.to_owned(),
        images: images.len(),
    });
    let discover_options = DiscoverOptions {
        platform: options.platform.clone(),
        known_tags: Some(all_tags),
        ..DiscoverOptions::default()
    };
    let discover_options = &discover_options;
    let vulnerabilities = options.vulnerabilities;
    let root = options_root(options);
    let trust = Trust {
        keys: &options.keys,
        keyless: options.keyless.as_deref(),
        root: root.as_deref(),
        notation: options.notation.as_deref(),
        policy: options.time_policy,
        now: jiff::Timestamp::now(),
    };
    let mut rows = stream::iter(images)
        .map(|(digest, (resolved, mut tags))| async move {
            tags.sort();
            let image = ImageRef {
                repository,
                digest: &digest,
                vulnerabilities,
            };
            let discover_options = DiscoverOptions {
                resolved_subject: Some(resolved),
                ..discover_options.clone()
            };
            audit_image(store, image, tags, &discover_options, trust).await
        })
        .buffer_unordered(options.concurrency.max(1));
    while let Some(row) = rows.next().await {
        summary.add(&row);
        on_event(AuditEvent::Row(Box::new(row)));
    }
    Ok(())
}

/// A tag resolved by fetching its manifest (hashed here) rather than by
/// `HEAD`: discovery needs the manifest anyway, and the session cache keeps
/// it by digest, so each image costs one manifest request instead of a
/// `HEAD` and a `GET`. Only the descriptor is kept here: the manifests of
/// a large repository stay within the cache's bound, and one evicted
/// meanwhile is simply fetched again.
async fn resolve_by_fetching(
    store: &dyn Store,
    repository: &str,
    tag: &str,
) -> Result<Descriptor, StoreError> {
    let manifest = store.fetch_manifest(repository, tag).await?;
    Ok(Descriptor::new(
        manifest.media_type.clone(),
        manifest.digest().clone(),
        manifest.size(),
    ))
}
