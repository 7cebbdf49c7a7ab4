//! The files section's reading: the layers above the shared base, each
//! digest once and a few at a time, applied per side under the overlay
//! rules and compared.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use futures_util::{StreamExt, TryStreamExt, stream};

use super::files::compare as compare_files;
use super::layers::shared_base;
use super::overlay::Overlay;
use super::run::Sides;
use super::side::DiffSide;
use super::{DiffOptions, FilesDiff};
use crate::layer::digests::{DigestedListing, list_layer_with_digests};
use crate::layer::image::is_filesystem_layer;
use crate::oci::{Descriptor, Digest};
use crate::ops::{CancellationToken, OpError, ProgressSink};

/// Layers listed at the same time: each is streamed whole, so this bounds
/// the memory of the walks as well as the connections.
const LAYERS_AT_ONCE: usize = 4;

/// Layer listings read during one diff, by digest: a layer both sides have
/// above the shared base is read once.
#[derive(Default)]
pub(super) struct Listings {
    pub(super) by_digest: HashMap<Digest, Arc<DigestedListing>>,
    pub(super) read: BTreeSet<Digest>,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn files_diff(
    sides: &Sides<'_>,
    left_layers: &[Descriptor],
    right_layers: &[Descriptor],
    options: &DiffOptions,
    listings: &mut Listings,
    notes: &mut Vec<String>,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<Option<FilesDiff>, OpError> {
    for (side, layers) in [(sides.left, left_layers), (sides.right, right_layers)] {
        if let Some(other) = layers.iter().find(|l| !is_filesystem_layer(l)) {
            notes.push(format!(
                "files not compared: {} has a layer of type {:?}, not a file system tar",
                side.name,
                crate::text::escape_control(&other.media_type)
            ));
            return Ok(None);
        }
    }
    let base = if options.read_shared {
        0
    } else {
        shared_base(left_layers, right_layers)
    };
    // Every layer above the base not read yet, each digest once, read a
    // few at a time: the two sides' differing layers download together.
    let mut wanted: Vec<(&DiffSide, &Descriptor)> = Vec::new();
    for (side, layers) in [(sides.left, left_layers), (sides.right, right_layers)] {
        for layer in layers.iter().skip(base) {
            let known = listings.by_digest.contains_key(&layer.digest)
                || wanted.iter().any(|(_, w)| w.digest == layer.digest);
            if !known {
                wanted.push((side, layer));
            }
        }
    }
    let read: Vec<DigestedListing> = stream::iter(wanted)
        .map(|(side, layer)| {
            list_layer_with_digests(
                side.store.as_ref(),
                &side.repository,
                layer,
                options.limits,
                progress,
                cancel,
            )
        })
        .buffer_unordered(LAYERS_AT_ONCE)
        .try_collect()
        .await?;
    for listing in read {
        let digest = listing.descriptor.digest.clone();
        listings.read.insert(digest.clone());
        listings.by_digest.insert(digest, Arc::new(listing));
    }
    let mut overlays = Vec::with_capacity(2);
    for layers in [left_layers, right_layers] {
        let mut overlay = Overlay::default();
        for (index, layer) in layers.iter().enumerate().skip(base) {
            if let Some(listing) = listings.by_digest.get(&layer.digest) {
                overlay.apply(index, &listing.entries, &listing.digests);
            }
        }
        overlays.push(overlay);
    }
    let diff = compare_files(&overlays[0], &overlays[1], base);
    let uncertain = diff
        .added
        .iter()
        .chain(&diff.removed)
        .filter(|e| e.uncertain.is_some())
        .count();
    if uncertain > 0 {
        notes.push(format!(
            "the {base} shared base layer(s) were not read; {uncertain} path(s) only one side's \
             own layers touch are marked uncertain (--read-shared reads the base to tell)"
        ));
    }
    Ok(Some(diff))
}
