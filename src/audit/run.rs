//! The audit driver: list a repository's tags (fallback and cosign tags
//! are never rows), resolve them with bounded concurrency (one manifest
//! fetch each, kept by the session cache for discovery), group them by
//! digest, then discover each image's graph with bounded concurrency and
//! emit its row as soon as it is done. The store already backs off on 429;
//! the bounds keep one audit from flooding a registry.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::{StreamExt, stream};

use super::row::{failed_row, is_signed_envelope, kinds, summarize};
use super::transparency::{TrustedRoot, shipped};
use super::verify::{Trust, Verdict, notation_signer, verify_node};
use super::{
    ImageAudit, Keyless, NotationTrust, SignatureScheme, Summary, TimePolicy, TrustKey,
    Verification,
};
use crate::graph::{DiscoverOptions, GraphNode, ReferrerTree, discover};
use crate::oci::media_type::ArtifactKind;
use crate::oci::{Descriptor, Digest, PlatformSpec};
use crate::ops::CancellationToken;
use crate::store::{Store, StoreError};

/// What to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditTarget {
    Repository(String),
    /// Every repository the registry's catalog lists.
    Registry,
}

#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Only tags this glob matches (`v1.*`, `release-*`).
    pub tags: Option<globset::GlobMatcher>,
    /// For an index: audit this platform's manifest instead.
    pub platform: Option<PlatformSpec>,
    /// Trust material: signatures are checked against these keys...
    pub keys: Vec<TrustKey>,
    /// ...keyless ones against this trusted root and identity...
    pub keyless: Option<Arc<Keyless>>,
    /// ...the proofs of key-signed ones against this trusted root (`None`:
    /// the keyless one's, else the public-good root)...
    pub root: Option<Arc<TrustedRoot>>,
    /// ...and Notation ones against this trust store.
    pub notation: Option<Arc<NotationTrust>>,
    /// What to ask of transparency log entries and timestamps.
    pub time_policy: TimePolicy,
    /// Images discovered at once. Each discovery sends a level of its graph
    /// together; the store's adaptive limit (32 at first, less when the
    /// registry pushes back) keeps the sum in bounds.
    pub concurrency: usize,
    /// Tags resolved at once.
    pub resolve_concurrency: usize,
    /// Read the attached scans and VEX into each row's `vulnerabilities`
    /// (every platform of an index); costs a fetch per scan or CycloneDX
    /// SBOM, so only when asked.
    pub vulnerabilities: bool,
}

/// Images audited at once by default. One image's discovery keeps only a
/// few requests in flight (its rounds are short), so 16 images left the
/// store's limit mostly idle: at 1,000 images behind 25 ms, 16 at once was
/// 8.9x the `oras discover` loop and 32 at once 14x. The store's own
/// in-flight limit still bounds the requests, and halves on 429/503.
pub const DEFAULT_AUDIT_CONCURRENCY: usize = 32;

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            tags: None,
            platform: None,
            keys: Vec::new(),
            keyless: None,
            root: None,
            notation: None,
            time_policy: TimePolicy::default(),
            concurrency: DEFAULT_AUDIT_CONCURRENCY,
            resolve_concurrency: 32,
            vulnerabilities: false,
        }
    }
}

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

fn options_root(options: &AuditOptions) -> Option<Arc<TrustedRoot>> {
    proof_root(
        options.root.as_ref(),
        options.keyless.as_deref(),
        !options.keys.is_empty(),
    )
}

/// The root that checks key-signed signatures' proofs: the one given, the
/// keyless one, or the public-good root (only loaded when keys are given;
/// `None` when it cannot be read, which fails any proof present).
pub fn proof_root(
    given: Option<&Arc<TrustedRoot>>,
    keyless: Option<&Keyless>,
    keys_given: bool,
) -> Option<Arc<TrustedRoot>> {
    if let Some(root) = given {
        return Some(Arc::clone(root));
    }
    if let Some(keyless) = keyless {
        return Some(Arc::clone(&keyless.root));
    }
    if !keys_given {
        return None;
    }
    shipped::shared().ok().map(|(root, _)| root)
}

/// Which image a row is for, and whether to read its scans.
#[derive(Debug, Clone, Copy)]
pub struct ImageRef<'a> {
    pub repository: &'a str,
    pub digest: &'a Digest,
    /// Read the attached scans and VEX (`AuditOptions::vulnerabilities`).
    pub vulnerabilities: bool,
}

/// One image's row: its graph discovered, summarised, and (with trust
/// material) its signatures checked.
pub async fn audit_image(
    store: &dyn Store,
    image: ImageRef<'_>,
    tags: Vec<String>,
    options: &DiscoverOptions,
    trust: Trust<'_>,
) -> ImageAudit {
    let ImageRef {
        repository, digest, ..
    } = image;
    let tree = match discover(store, repository, &digest.to_string(), options).await {
        Ok(tree) => tree,
        Err(error) => return failed_row(repository, digest, tags, &error),
    };
    let mut row = summarize(&tree, tags);
    if image.vulnerabilities {
        super::vulns::add_vulnerabilities(store, &tree, &mut row).await;
    }
    for signature in &mut row.signatures {
        if signature.scheme == SignatureScheme::Notation
            && let Some(node) = tree
                .referrers
                .iter()
                .find(|n| n.digest() == &signature.digest)
        {
            signature.signer = notation_signer(store, &tree.repository, node).await;
        }
    }
    if !trust.is_empty() {
        verify_row(store, &tree, &mut row, trust).await;
    }
    row
}

/// Checks every signature of the image, and of its SBOMs, against `trust`.
async fn verify_row(
    store: &dyn Store,
    tree: &ReferrerTree,
    row: &mut ImageAudit,
    trust: Trust<'_>,
) {
    let repository = tree.repository.as_str();
    let subject_raw = tree.manifest.raw().clone();
    let mut reasons = Vec::new();
    let mut verified = None;
    for signature in &mut row.signatures {
        let Some(node) = tree
            .referrers
            .iter()
            .find(|n| n.digest() == &signature.digest)
        else {
            continue;
        };
        let outcome = verify_node(store, repository, node, Some(&subject_raw), trust).await;
        signature.verification = outcome_of(outcome, &mut reasons, node);
        if verified.is_none() && signature.verification.is_verified() {
            verified = Some(signature.verification.clone());
        }
    }
    // Nothing to check is not a check that failed: an unsigned image is
    // unverified (`ImageAudit::verdict` says "no signature").
    row.verification = match verified {
        Some(verification) => verification,
        None if row.signatures.is_empty() => Verification::Unverified,
        None => Verification::Failed { reasons },
    };

    // The SBOMs: an attestation's own envelope, or a signature on it.
    let sboms: Vec<&GraphNode> = tree
        .all_nodes()
        .into_iter()
        .filter(|n| row.sbom.digests.contains(n.digest()))
        .collect();
    let mut sbom_reasons = Vec::new();
    let mut sbom_verified = None;
    for sbom in sboms {
        let raw = sbom.manifest.as_ref().map(|m| m.raw().clone());
        let mut candidates: Vec<(&GraphNode, Option<&[u8]>)> = sbom
            .children
            .iter()
            .filter(|c| c.is_attached() && kinds(c).contains(&ArtifactKind::Signature))
            .map(|c| (c, raw.as_deref()))
            .collect();
        if is_signed_envelope(sbom) {
            candidates.push((sbom, None));
        }
        for (node, raw) in candidates {
            let outcome = verify_node(store, repository, node, raw, trust).await;
            let verification = outcome_of(outcome, &mut sbom_reasons, node);
            if verification.is_verified() {
                sbom_verified.get_or_insert(verification);
            }
        }
    }
    row.sbom.verification = match sbom_verified {
        Some(verification) => verification,
        // No SBOM signature to check: unverified, as for the image.
        None if sbom_reasons.is_empty() => Verification::Unverified,
        None => Verification::Failed {
            reasons: sbom_reasons,
        },
    };
}

fn outcome_of(
    outcome: Result<Verdict, Vec<String>>,
    reasons: &mut Vec<String>,
    node: &GraphNode,
) -> Verification {
    match outcome {
        Ok(Verdict { key, time, root }) => Verification::Verified { key, time, root },
        Err(why) => {
            let prefixed: Vec<String> = why
                .into_iter()
                .map(|w| format!("{}: {w}", node.digest().short()))
                .collect();
            reasons.extend(prefixed.iter().cloned());
            Verification::Failed { reasons: prefixed }
        }
    }
}
