//! What one side contributes, read from its store: the image manifest for
//! a platform (without fetching the index again), its config, and its SBOM
//! as `pull --sbom` chooses it, unwrapped and read into packages.

use serde_json::Value;

use super::sbom::SbomSource;
use crate::document::components::{Component, components};
use crate::document::{SbomFormat, unwrap_statement};
use crate::graph::select_platform;
use crate::graph::sources::platform_entries;
use crate::oci::{Descriptor, Manifest, PlatformSpec};
use crate::ops::pull::{Candidate, choose_sbom};
use crate::ops::{OpError, PlatformChoice, ProgressSink};
use crate::store::SharedStore;

/// Configs larger than this are not image configs.
const CONFIG_LIMIT: u64 = 4 * 1024 * 1024;
/// SBOMs of large images run to tens of MiB.
const SBOM_LIMIT: u64 = 256 * 1024 * 1024;

/// One side of a diff: a store and what to resolve in it.
#[derive(Clone)]
pub struct DiffSide {
    pub store: SharedStore,
    pub repository: String,
    /// A tag or digest.
    pub reference: String,
    /// How the user wrote it, for messages.
    pub name: String,
}

/// The image manifest compared on one side, and the platform it is for
/// (as the index names it) when the side is an index.
pub struct ImageOf {
    pub manifest: Manifest,
    pub platform: Option<String>,
}

/// The image manifest of `top` for `platform`: `top` itself when it is an
/// image; for an index the platform asked for, else the host's, else its
/// only one.
pub async fn image_of(
    side: &DiffSide,
    top: &Manifest,
    platform: Option<&PlatformSpec>,
) -> Result<ImageOf, OpError> {
    if !top.is_index() {
        return Ok(ImageOf {
            manifest: top.clone(),
            platform: None,
        });
    }
    let chosen: &Descriptor = match platform {
        Some(wanted) => select_platform(top, wanted)?,
        None => {
            let entries: Vec<&Descriptor> = platform_entries(top).collect();
            match select_platform(top, &PlatformSpec::host()) {
                Ok(found) => found,
                Err(_) if entries.len() == 1 => entries[0],
                Err(error) => {
                    return Err(OpError::Invalid(format!(
                        "{}: {error}; choose one with --platform (or --platform all)",
                        side.name
                    )));
                }
            }
        }
    };
    let manifest = side
        .store
        .fetch_manifest(&side.repository, &chosen.digest.to_string())
        .await?;
    Ok(ImageOf {
        manifest,
        platform: chosen
            .platform
            .as_ref()
            .map(|p| PlatformSpec::of(p).to_string()),
    })
}

/// The image's config as JSON; `null` when it has none, with a note when
/// it cannot be read as JSON.
pub async fn config_of(side: &DiffSide, image: &Manifest) -> (Value, Option<String>) {
    let Some(config) = &image.config else {
        return (Value::Null, None);
    };
    let bytes = match side
        .store
        .fetch_blob_bytes(&side.repository, config, CONFIG_LIMIT)
        .await
    {
        Ok(bytes) => bytes,
        Err(error) => {
            let note = format!("{}: cannot read the config: {error}", side.name);
            return (Value::Null, Some(note));
        }
    };
    match serde_json::from_slice(&bytes) {
        Ok(value) => (value, None),
        Err(error) => {
            let note = format!("{}: the config is not JSON ({error})", side.name);
            (Value::Null, Some(note))
        }
    }
}

/// The side's SBOM for `platform` as `pull --sbom` chooses it, and its
/// packages; `None` when it has none.
pub async fn sbom_of(
    side: &DiffSide,
    platform: PlatformChoice,
    progress: &ProgressSink,
) -> Result<Option<(SbomSource, Vec<Component>)>, OpError> {
    let store = side.store.as_ref();
    let Some(candidate) =
        choose_sbom(store, &side.repository, &side.reference, platform, progress).await?
    else {
        return Ok(None);
    };
    let mut last_error = None;
    for wanted in &candidate.layers {
        let bytes = store
            .fetch_blob_bytes(&side.repository, &wanted.descriptor, SBOM_LIMIT)
            .await?;
        let document = if wanted.unwrap_predicate {
            match unwrap_statement(&bytes)
                .ok()
                .and_then(|s| s.predicate_bytes())
            {
                Some(predicate) => predicate,
                None => continue,
            }
        } else {
            bytes.to_vec()
        };
        let format = SbomFormat::sniff(&document)
            .or_else(|| SbomFormat::from_media_type(&wanted.descriptor.media_type))
            .or(candidate.format);
        let Some(format) = format else { continue };
        match components(&document, format) {
            Ok(found) => return Ok(Some((source(&candidate, format, found.len()), found))),
            Err(error) => last_error = Some(error),
        }
    }
    Err(OpError::Invalid(match last_error {
        Some(error) => format!("{}: {error}", side.name),
        None => format!(
            "{}: the SBOM {} holds no document regscope can read",
            side.name,
            candidate.manifest.digest()
        ),
    }))
}

fn source(candidate: &Candidate, format: SbomFormat, packages: usize) -> SbomSource {
    SbomSource {
        digest: candidate.manifest.digest().clone(),
        format: format.label().to_owned(),
        kind: candidate
            .rank
            .map_or_else(|| candidate.label.clone(), |r| r.label().to_owned()),
        found_by: candidate.found_by.clone(),
        packages,
    }
}
