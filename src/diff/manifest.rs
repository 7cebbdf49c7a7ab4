//! The manifest and config section: media types, the platforms an index
//! gained or lost, annotations (the index's and the image's), and the
//! config fields of `config`.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use super::config::{FieldChange, config_changes, keyed_changes};
use crate::graph::sources::platform_entries;
use crate::oci::{Digest, Manifest, PlatformSpec};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestSide {
    /// The image manifest compared (one platform's, for an index).
    pub digest: Digest,
    pub media_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlatformsDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestDiff {
    pub left: ManifestSide,
    pub right: ManifestSide,
    /// For indexes: platforms only the right has (added) or only the left.
    pub platforms: PlatformsDiff,
    /// Every compared field that differs, in a stable order.
    pub changes: Vec<FieldChange>,
}

impl ManifestDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
            && self.platforms.added.is_empty()
            && self.platforms.removed.is_empty()
    }
}

/// One side as the manifest section needs it.
pub struct ManifestInput<'a> {
    /// What the reference names (an index, or the image itself).
    pub top: &'a Manifest,
    /// The image manifest compared.
    pub image: &'a Manifest,
    /// Its parsed config (`null` when it has none or it is not JSON).
    pub config: &'a Value,
}

pub fn manifest_diff(left: &ManifestInput<'_>, right: &ManifestInput<'_>) -> ManifestDiff {
    let mut changes = Vec::new();
    let either_index = left.top.is_index() || right.top.is_index();
    if either_index {
        push_text(
            &mut changes,
            "index.mediaType",
            index_field(left.top, |m| Some(m.media_type.clone())),
            index_field(right.top, |m| Some(m.media_type.clone())),
        );
        keyed_changes(
            &mut changes,
            "index.annotations",
            &index_annotations(left.top),
            &index_annotations(right.top),
        );
    }
    push_text(
        &mut changes,
        "mediaType",
        Some(left.image.media_type.clone()),
        Some(right.image.media_type.clone()),
    );
    push_text(
        &mut changes,
        "artifactType",
        left.image.artifact_type.clone(),
        right.image.artifact_type.clone(),
    );
    let config_type = |m: &Manifest| m.config.as_ref().map(|c| c.media_type.clone());
    push_text(
        &mut changes,
        "config.mediaType",
        config_type(left.image),
        config_type(right.image),
    );
    keyed_changes(
        &mut changes,
        "annotations",
        &left.image.annotations,
        &right.image.annotations,
    );
    changes.extend(config_changes(left.config, right.config));
    let platforms = if either_index {
        let (l, r) = (platforms_of(left), platforms_of(right));
        PlatformsDiff {
            added: r.difference(&l).cloned().collect(),
            removed: l.difference(&r).cloned().collect(),
        }
    } else {
        PlatformsDiff::default()
    };
    ManifestDiff {
        left: side(left.image),
        right: side(right.image),
        platforms,
        changes,
    }
}

fn side(image: &Manifest) -> ManifestSide {
    ManifestSide {
        digest: image.digest().clone(),
        media_type: image.media_type.clone(),
    }
}

fn push_text(out: &mut Vec<FieldChange>, name: &str, from: Option<String>, to: Option<String>) {
    if from != to {
        let value = |v: Option<String>| v.map_or(Value::Null, Value::String);
        out.push(FieldChange::new(name, value(from), value(to)));
    }
}

fn index_field(top: &Manifest, get: impl Fn(&Manifest) -> Option<String>) -> Option<String> {
    if top.is_index() { get(top) } else { None }
}

fn index_annotations(top: &Manifest) -> std::collections::BTreeMap<String, String> {
    if top.is_index() {
        top.annotations.clone()
    } else {
        std::collections::BTreeMap::new()
    }
}

/// The platforms a side offers: an index's entries (BuildKit's attestation
/// entries are not platforms), or a single image's own, from its config.
fn platforms_of(input: &ManifestInput<'_>) -> BTreeSet<String> {
    if input.top.is_index() {
        return platform_entries(input.top)
            .filter_map(|d| d.platform.as_ref())
            .map(|p| PlatformSpec::of(p).to_string())
            .collect();
    }
    config_platform(input.config).into_iter().collect()
}

/// `os/arch[/variant]` as a single image's config states it.
pub fn config_platform(config: &Value) -> Option<String> {
    let os = config.get("os")?.as_str()?;
    let arch = config.get("architecture")?.as_str()?;
    Some(match config.get("variant").and_then(Value::as_str) {
        Some(variant) if !variant.is_empty() => format!("{os}/{arch}/{variant}"),
        _ => format!("{os}/{arch}"),
    })
}
