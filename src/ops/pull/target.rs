//! What a pull of the reference itself writes: its manifest (or, for an
//! index, one platform's), or with `--layer` one layer of it.

use super::{Candidate, PlatformChoice, PullOptions, PullSelect, Wanted};
use crate::oci::{Descriptor, Manifest};
use crate::ops::OpError;
use crate::store::Store;

/// The candidate of a pull of the reference itself, or of one layer of it
/// (`--layer`); `None` when the pull asks for SBOMs or referrers instead.
pub(super) async fn target_candidate(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    options: &PullOptions,
) -> Result<Option<Candidate>, OpError> {
    if options.select == PullSelect::Target {
        let manifest = target_manifest(store, repository, reference, &options.platform).await?;
        return Ok(Some(Candidate::whole(manifest)));
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
        return Ok(Some(candidate));
    }
    Ok(None)
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
