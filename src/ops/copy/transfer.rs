//! Moving one batch of a copy: the blobs (each once, side by side, skipped
//! when the target has them, else mounted within a registry, streamed
//! otherwise), then the manifests in one push, in graph order.

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{Chain, CopyOutcome, Ends};
use crate::oci::{Descriptor, Manifest};
use crate::ops::{OpError, Progress, report};

/// Copies the blobs of every chain of every level (each once, in
/// parallel), then pushes all their manifests as one batch in graph order:
/// level by level, and within a level the first of every chain, then the
/// second, … (an index after its children). The store PUTs a manifest after
/// what it names and updates each subject's fallback index once for the
/// whole batch, so a registry without the referrers API pays one settle for
/// the graph, not one per level. The last manifest of a chain gets the
/// chain's tags.
pub(super) async fn copy_batch(ends: &Ends<'_>, levels: &[Vec<Chain>]) -> Result<(), OpError> {
    let mut seen = HashSet::new();
    let blobs: Vec<&Descriptor> = levels
        .iter()
        .flatten()
        .flat_map(|chain| chain.manifests.iter())
        .flat_map(Manifest::blobs)
        .filter(|blob| seen.insert(blob.digest.clone()))
        .collect();
    // Futures are collected before streaming them: a stream over a
    // borrowing iterator would fail rustc's higher-ranked `Send` check.
    let copies: Vec<_> = blobs
        .into_iter()
        .map(|blob| copy_blob(ends, blob))
        .collect();
    stream::iter(copies)
        .buffer_unordered(ends.concurrency)
        .try_collect::<Vec<()>>()
        .await?;
    if ends.cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    let mut batch: Vec<(&Manifest, Option<&str>)> = Vec::new();
    let mut fresh_count = 0;
    for chains in levels {
        let rounds = chains.iter().map(|c| c.manifests.len()).max().unwrap_or(0);
        for round in 0..rounds {
            fresh_count += add_round(ends, chains, round, &mut batch);
        }
    }
    push_batch(ends, &batch, fresh_count).await
}

/// Adds the `round`-th manifest of every chain to `batch` (once per tag, or
/// by digest when untagged and not pushed yet); returns how many are new.
fn add_round<'a>(
    ends: &Ends<'_>,
    chains: &'a [Chain],
    round: usize,
    batch: &mut Vec<(&'a Manifest, Option<&'a str>)>,
) -> usize {
    let mut fresh_count = 0;
    for chain in chains {
        let Some(manifest) = chain.manifests.get(round) else {
            continue;
        };
        let tags: &[String] = if round + 1 == chain.manifests.len() {
            &chain.tags
        } else {
            &[]
        };
        let fresh = ends
            .pushed
            .lock()
            .map(|mut pushed| pushed.insert(manifest.digest().clone()))
            .unwrap_or(true);
        fresh_count += usize::from(fresh);
        if fresh && tags.is_empty() {
            batch.push((manifest, None));
        }
        // By digest when untagged, else once per tag (cosign's `.sig` and
        // the user's tag are names of the same bytes).
        batch.extend(tags.iter().map(|tag| (manifest, Some(tag.as_str()))));
    }
    fresh_count
}

async fn push_batch(
    ends: &Ends<'_>,
    batch: &[(&Manifest, Option<&str>)],
    fresh_count: usize,
) -> Result<(), OpError> {
    let pushed = ends.target.push_manifests(ends.target_repo, batch).await?;
    for ((manifest, tag), pushed) in batch.iter().zip(&pushed) {
        if &pushed.descriptor.digest != manifest.digest() {
            return Err(OpError::Invalid(format!(
                "the target stored {} as {}",
                manifest.digest(),
                pushed.descriptor.digest
            )));
        }
        let tagged = tag.map(|t| format!(" as {t}")).unwrap_or_default();
        report(
            ends.progress,
            Progress::Note(format!("copied manifest {}{tagged}", manifest.digest())),
        );
    }
    if let Ok(mut outcome) = ends.outcome.lock() {
        outcome.manifests += fresh_count;
    }
    Ok(())
}

async fn copy_blob(ends: &Ends<'_>, blob: &Descriptor) -> Result<(), OpError> {
    let what = crate::ops::blob_label(blob);
    let count = |field: fn(&mut CopyOutcome) -> &mut usize| {
        if let Ok(mut outcome) = ends.outcome.lock() {
            *field(&mut outcome) += 1;
        }
    };
    // Asked first, also within one registry: a mount of a blob the target
    // has already answers 201 like a real one, and would be reported as
    // mounted. One round more, as oras takes (it checks before it
    // mounts); never both at once (distribution 2.8 answered such a check
    // with a 500 while the mount was linking the same blob).
    if ends.target.blob_exists(ends.target_repo, blob).await? {
        count(|o| &mut o.blobs_skipped);
        report(
            ends.progress,
            Progress::Skipped {
                digest: blob.digest.clone(),
                what,
                reason: "already at the target".to_owned(),
            },
        );
        return Ok(());
    }
    if ends.same_registry
        && ends.source_repo != ends.target_repo
        && ends
            .target
            .mount_blob(ends.target_repo, ends.source_repo, blob)
            .await?
    {
        count(|o| &mut o.blobs_mounted);
        report(
            ends.progress,
            Progress::Skipped {
                digest: blob.digest.clone(),
                what,
                reason: format!("mounted from {}", ends.source_repo),
            },
        );
        return Ok(());
    }
    if ends.cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    report(
        ends.progress,
        Progress::Started {
            digest: blob.digest.clone(),
            what: what.clone(),
            total: blob.size,
        },
    );
    let content = ends.source.fetch_blob(ends.source_repo, blob).await?;
    let cancel = ends.cancel.clone();
    let (progress, digest, mut done) = (ends.progress.clone(), blob.digest.clone(), 0u64);
    let content = content
        .take_until(async move { cancel.cancelled().await })
        .inspect(move |chunk| {
            if let Ok(chunk) = chunk {
                done += chunk.len() as u64;
                let digest = digest.clone();
                report(&progress, Progress::Bytes { digest, done });
            }
        })
        .boxed();
    ends.target
        .push_blob(ends.target_repo, blob, content)
        .await?;
    if ends.cancel.is_cancelled() {
        return Err(OpError::Cancelled);
    }
    count(|o| &mut o.blobs_copied);
    report(
        ends.progress,
        Progress::Finished {
            digest: blob.digest.clone(),
            what,
        },
    );
    Ok(())
}
