//! Building the report: both sides' manifests fetched side by side, the
//! platforms to compare chosen, then for each platform the sections asked
//! for. Each side's referrer graph is discovered once for all platforms.

use futures_util::future::{join, try_join};

use super::attachments::{self, Attachment};
use super::files_read::{Listings, files_diff};
use super::layers::layers_diff;
use super::manifest::{ManifestInput, manifest_diff};
use super::side::{DiffSide, config_of, image_of, sbom_of};
use super::{DiffOptions, DiffReport, ImageDiff, PlatformWanted, SbomDiff, Section, SideInfo};
use crate::graph::sources::platform_entries;
use crate::graph::{DiscoverOptions, discover};
use crate::oci::{Manifest, PlatformSpec};
use crate::ops::{CancellationToken, OpError, PlatformChoice, ProgressSink};

/// Compares `left` with `right`.
pub async fn diff(
    left: &DiffSide,
    right: &DiffSide,
    options: &DiffOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<DiffReport, OpError> {
    tokio::select! {
        () = cancel.cancelled() => Err(OpError::Cancelled),
        report = build(left, right, options, progress, cancel) => report,
    }
}

async fn build(
    left: &DiffSide,
    right: &DiffSide,
    options: &DiffOptions,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<DiffReport, OpError> {
    let fetch = |side: &DiffSide| {
        let side = side.clone();
        async move {
            let manifest = side
                .store
                .fetch_manifest(&side.repository, &side.reference)
                .await?;
            Ok::<_, OpError>(manifest)
        }
    };
    let (left_top, right_top) = try_join(fetch(left), fetch(right)).await?;
    let platforms = plan_platforms(&left_top, &right_top, &options.platform)?;
    let mut warnings = Vec::new();
    let graphs = if options.wants(Section::Attachments) {
        let ((l, left_warnings), (r, right_warnings)) =
            try_join(graph_of(left), graph_of(right)).await?;
        warnings.extend(left_warnings.into_iter().chain(right_warnings));
        Some((l, r))
    } else {
        None
    };
    let mut images = Vec::with_capacity(platforms.len());
    let mut listings = Listings::default();
    for platform in &platforms {
        let sides = Sides {
            left,
            right,
            left_top: &left_top,
            right_top: &right_top,
        };
        let mut image = image_diff(
            &sides,
            platform.as_ref(),
            graphs.as_ref(),
            options,
            &mut listings,
            progress,
            cancel,
        )
        .await?;
        // Warnings say what the attachments may be missing; the
        // sameness of the sections stands.
        image.notes.extend(warnings.iter().cloned());
        images.push(image);
    }
    Ok(DiffReport {
        images,
        per_platform: options.platform == PlatformWanted::All,
    })
}

pub(super) struct Sides<'a> {
    pub(super) left: &'a DiffSide,
    pub(super) right: &'a DiffSide,
    pub(super) left_top: &'a Manifest,
    pub(super) right_top: &'a Manifest,
}

/// The platforms to compare: `None` means "the host's, or the only one".
fn plan_platforms(
    left: &Manifest,
    right: &Manifest,
    wanted: &PlatformWanted,
) -> Result<Vec<Option<PlatformSpec>>, OpError> {
    let any_index = left.is_index() || right.is_index();
    match wanted {
        PlatformWanted::Auto => Ok(vec![None]),
        PlatformWanted::One(_) | PlatformWanted::All if !any_index => Err(OpError::Invalid(
            "neither side is an index: --platform does not apply".to_owned(),
        )),
        PlatformWanted::One(platform) => Ok(vec![Some(platform.clone())]),
        PlatformWanted::All => {
            let of = |m: &Manifest| -> Vec<PlatformSpec> {
                platform_entries(m)
                    .filter_map(|d| d.platform.as_ref())
                    .map(PlatformSpec::of)
                    .collect()
            };
            let (l, r) = (of(left), of(right));
            let both: Vec<Option<PlatformSpec>> = match (left.is_index(), right.is_index()) {
                (true, true) => l.into_iter().filter(|p| r.contains(p)).map(Some).collect(),
                (true, false) => l.into_iter().map(Some).collect(),
                _ => r.into_iter().map(Some).collect(),
            };
            if both.is_empty() {
                return Err(OpError::Invalid(
                    "the two indexes have no platform in common".to_owned(),
                ));
            }
            Ok(both)
        }
    }
}

/// A side's attachments, and what discovery warned of (named by side).
async fn graph_of(side: &DiffSide) -> Result<(Vec<Attachment>, Vec<String>), OpError> {
    let tree = discover(
        side.store.as_ref(),
        &side.repository,
        &side.reference,
        &DiscoverOptions::default(),
    )
    .await?;
    let warnings = tree
        .warnings
        .iter()
        .chain(tree.all_nodes().into_iter().flat_map(|n| n.warnings.iter()))
        .map(|w| format!("{}: {w}", side.name))
        .collect();
    Ok((attachments::attachments_of(&tree), warnings))
}

#[allow(clippy::too_many_arguments)]
async fn image_diff(
    sides: &Sides<'_>,
    platform: Option<&PlatformSpec>,
    graphs: Option<&(Vec<Attachment>, Vec<Attachment>)>,
    options: &DiffOptions,
    listings: &mut Listings,
    progress: &ProgressSink,
    cancel: &CancellationToken,
) -> Result<ImageDiff, OpError> {
    let (left, right) = (sides.left, sides.right);
    let (left_image, right_image) = try_join(
        image_of(left, sides.left_top, platform),
        image_of(right, sides.right_top, platform),
    )
    .await?;
    let mut notes = Vec::new();
    let platform_name = left_image.platform.clone().or(right_image.platform.clone());
    let manifest = if options.wants(Section::Manifest) {
        let ((left_config, left_note), (right_config, right_note)) = join(
            config_of(left, &left_image.manifest),
            config_of(right, &right_image.manifest),
        )
        .await;
        notes.extend(left_note.into_iter().chain(right_note));
        Some(manifest_diff(
            &ManifestInput {
                top: sides.left_top,
                image: &left_image.manifest,
                config: &left_config,
            },
            &ManifestInput {
                top: sides.right_top,
                image: &right_image.manifest,
                config: &right_config,
            },
        ))
    } else {
        None
    };
    let (left_layers, right_layers) = (&left_image.manifest.layers, &right_image.manifest.layers);
    let files = if options.wants(Section::Files) {
        files_diff(
            sides,
            left_layers,
            right_layers,
            options,
            listings,
            &mut notes,
            progress,
            cancel,
        )
        .await?
    } else {
        None
    };
    let layers = options
        .wants(Section::Layers)
        .then(|| layers_diff(left_layers, right_layers, &listings.read));
    let sbom = if options.wants(Section::Sbom) {
        let choice = |top: &Manifest| match platform {
            Some(p) if top.is_index() => PlatformChoice::One(p.clone()),
            _ => PlatformChoice::Auto,
        };
        let (l, r) = try_join(
            sbom_of(left, choice(sides.left_top), progress),
            sbom_of(right, choice(sides.right_top), progress),
        )
        .await?;
        Some(sbom_diff(l, r))
    } else {
        None
    };
    let attachments = graphs.map(|(l, r)| {
        let scope = |items: &Vec<Attachment>| match (platform, &platform_name) {
            (Some(_), Some(name)) => attachments::in_scope(items.clone(), Some(name)),
            _ => items.clone(),
        };
        attachments::compare(scope(l), scope(r))
    });
    let side_info = |side: &DiffSide, top: &Manifest, image: &Manifest| SideInfo {
        reference: side.name.clone(),
        digest: top.digest().clone(),
        image: top.is_index().then(|| image.digest().clone()),
    };
    let mut image = ImageDiff {
        same: false,
        platform: platform_name,
        left: side_info(left, sides.left_top, &left_image.manifest),
        right: side_info(right, sides.right_top, &right_image.manifest),
        manifest,
        layers,
        files,
        sbom,
        attachments,
        notes,
    };
    image.same = image.compute_same();
    Ok(image)
}

fn sbom_diff(
    left: Option<(
        super::sbom::SbomSource,
        Vec<crate::document::components::Component>,
    )>,
    right: Option<(
        super::sbom::SbomSource,
        Vec<crate::document::components::Component>,
    )>,
) -> SbomDiff {
    let empty = Vec::new();
    let left_packages = left.as_ref().map_or(&empty, |(_, c)| c);
    let right_packages = right.as_ref().map_or(&empty, |(_, c)| c);
    let mut diff = super::sbom::compare(left_packages, right_packages);
    diff.left = left.map(|(s, _)| s);
    diff.right = right.map(|(s, _)| s);
    diff
}
