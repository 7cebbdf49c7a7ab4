//! Which manifest's layers to look inside: the reference itself, or for an
//! index the platform asked for (the host's when none was, or the only one
//! there is), and which of its layers `--layer` names.

use super::entry::FileEntry;
use super::merge::{MergedView, merge};
use super::{FilesOptions, LayerListing, list_layer};
use crate::graph::check_single_platform;
use crate::graph::choose_platform;
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::ops::{CancellationToken, OpError, ProgressSink};
use crate::store::Store;

/// The image manifest `reference` names, down one platform of an index.
pub async fn image_manifest(
    store: &dyn Store,
    repository: &str,
    reference: &str,
    platform: Option<&PlatformSpec>,
) -> Result<Manifest, OpError> {
    let manifest = store.fetch_manifest(repository, reference).await?;
    if !manifest.is_index() {
        // As pull and copy do: the image's own platform is fine, any other
        // is an error rather than files of another platform.
        if let Some(wanted) = platform {
            check_single_platform(store, repository, &manifest, wanted).await?;
        }
        return Ok(manifest);
    }
    let chosen = choose_platform(&manifest, platform).map_err(|error| match platform {
        Some(_) => OpError::from(error),
        None => OpError::Invalid(format!("{error}; choose one with --platform")),
    })?;
    let digest = chosen.digest.to_string();
    Ok(store.fetch_manifest(repository, &digest).await?)
}

/// Whether a layer's media type says it is a file system tar.
pub fn is_filesystem_layer(descriptor: &Descriptor) -> bool {
    let media_type = descriptor.media_type.as_str();
    media_type.contains(".tar") || media_type.contains("rootfs.diff")
}

/// The image's file system layers, base first; anything else (an
/// artifact's JSON) is refused, since it has no files to list.
pub fn filesystem_layers(manifest: &Manifest) -> Result<Vec<Descriptor>, OpError> {
    if manifest.layers.is_empty() {
        return Err(OpError::Invalid(format!(
            "{} has no layers",
            manifest.digest()
        )));
    }
    if let Some(other) = manifest.layers.iter().find(|l| !is_filesystem_layer(l)) {
        return Err(OpError::Invalid(format!(
            "{} has a layer of type {:?}, not a file system tar",
            manifest.digest(),
            crate::text::escape_control(&other.media_type)
        )));
    }
    Ok(manifest.layers.clone())
}

/// The layer `--layer` names: an index from 0 (the base), a digest, or a
/// unique digest prefix.
pub fn find_layer(layers: &[Descriptor], wanted: &str) -> Result<usize, OpError> {
    if let Ok(index) = wanted.parse::<usize>() {
        return if index < layers.len() {
            Ok(index)
        } else {
            Err(OpError::Invalid(format!(
                "layer {index} does not exist: the image has {} (0 to {})",
                layers.len(),
                layers.len().saturating_sub(1)
            )))
        };
    }
    let matching: Vec<usize> = layers
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let digest = l.digest.to_string();
            digest == wanted || digest.starts_with(wanted) || l.digest.hex().starts_with(wanted)
        })
        .map(|(i, _)| i)
        .collect();
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => Err(OpError::Invalid(format!(
            "no layer of the image has the digest {wanted}"
        ))),
        _ => Err(OpError::Invalid(format!(
            "{wanted} is the start of more than one layer's digest"
        ))),
    }
}

/// Every layer's listing, base first, and the merged view of them.
pub async fn list_image(
    store: &dyn Store,
    repository: &str,
    layers: &[Descriptor],
    options: &FilesOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<(Vec<LayerListing>, MergedView), OpError> {
    let mut listings = Vec::with_capacity(layers.len());
    // One layer at a time: each is streamed whole, and the memory bound
    // is per layer.
    for layer in layers {
        listings.push(list_layer(store, repository, layer, options, progress, cancel).await?);
    }
    let entries: Vec<&[FileEntry]> = listings.iter().map(|l| l.entries.as_slice()).collect();
    let view = merge(&entries);
    Ok((listings, view))
}
