//! What changed between two images: their manifests and configs, their
//! layers, the files of their merged file systems, the packages their SBOMs
//! list, and what is attached to them. The answer is plain data
//! ([`DiffReport`]) that the CLI prints as text, JSON or markdown and a TUI
//! screen can draw.
//!
//! - `run`: fetching both sides (in parallel) and building the report;
//! - `side`: one side's image manifest, config and SBOM;
//! - `manifest` and `config`: media types, platforms, config fields and
//!   annotations;
//! - `layers`: shared, added and removed layers, and the shared base;
//! - `overlay` and `files`: the file systems above the shared base, applied
//!   under the whiteout rules, and compared path by path (`files_read`
//!   reads them);
//! - `sbom`: packages matched by purl, else by name and type;
//! - `attachments`: the referrer graphs, matched by digest, then by kind
//!   and artifact type;
//! - `summary`: the one line that says what differs.
//!
//! Layers with the same digest on both sides at the bottom of both stacks
//! (the shared base) are never read: only the layers above it are.

pub mod attachments;
pub mod config;
pub mod files;
mod files_read;
pub mod layers;
pub mod manifest;
mod overlay;
pub mod run;
pub mod sbom;
pub mod side;
pub mod summary;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::oci::{Digest, PlatformSpec};
use crate::ops::untar::UnpackLimits;

pub use attachments::AttachmentsDiff;
pub use files::FilesDiff;
pub use layers::LayersDiff;
pub use manifest::ManifestDiff;
pub use run::diff;
pub use sbom::SbomDiff;
pub use side::DiffSide;

/// A part of the diff that `--only` can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Manifest,
    Layers,
    Files,
    Sbom,
    Attachments,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Manifest,
        Section::Layers,
        Section::Files,
        Section::Sbom,
        Section::Attachments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Manifest => "manifest",
            Section::Layers => "layers",
            Section::Files => "files",
            Section::Sbom => "sbom",
            Section::Attachments => "attachments",
        }
    }

    pub fn parse(text: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == text.trim())
    }
}

/// Which platforms of an index are compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PlatformWanted {
    /// The host's platform (or an index's only one), as `files` takes it.
    #[default]
    Auto,
    One(PlatformSpec),
    /// Every platform both sides have: one image diff each.
    All,
}

#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub sections: BTreeSet<Section>,
    pub platform: PlatformWanted,
    /// Pull's caps, applied to every layer read.
    pub limits: UnpackLimits,
    /// Read the shared base layers too, so that a path only one side's
    /// own layers touch is known to be added or modified.
    pub read_shared: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            sections: Section::ALL.into_iter().collect(),
            platform: PlatformWanted::Auto,
            limits: UnpackLimits::default(),
            read_shared: false,
        }
    }
}

impl DiffOptions {
    pub fn wants(&self, section: Section) -> bool {
        self.sections.contains(&section)
    }
}

/// What one side resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideInfo {
    pub reference: String,
    /// The manifest the reference names (an index, for a multi-platform
    /// image).
    pub digest: Digest,
    /// The image manifest compared, when the reference is an index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Digest>,
}

/// The diff of one image (one platform of two indexes). A section not asked
/// for is `None` (`null` in JSON).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDiff {
    pub same: bool,
    pub platform: Option<String>,
    pub left: SideInfo,
    pub right: SideInfo,
    pub manifest: Option<ManifestDiff>,
    pub layers: Option<LayersDiff>,
    pub files: Option<FilesDiff>,
    pub sbom: Option<SbomDiff>,
    pub attachments: Option<AttachmentsDiff>,
    /// What the reader should know: what was not read, what was skipped.
    pub notes: Vec<String>,
}

impl ImageDiff {
    /// Whether every section asked for found nothing different.
    pub fn compute_same(&self) -> bool {
        self.manifest.as_ref().is_none_or(ManifestDiff::is_empty)
            && self.layers.as_ref().is_none_or(LayersDiff::is_empty)
            && self.files.as_ref().is_none_or(FilesDiff::is_empty)
            && self.sbom.as_ref().is_none_or(SbomDiff::is_empty)
            && self
                .attachments
                .as_ref()
                .is_none_or(AttachmentsDiff::is_empty)
    }
}

/// Every image diff the command asked for: one, or one per platform.
#[derive(Debug, Clone)]
pub struct DiffReport {
    pub images: Vec<ImageDiff>,
    /// `--platform all`: the JSON is an array, one object per platform.
    pub per_platform: bool,
}

impl DiffReport {
    pub fn same(&self) -> bool {
        self.images.iter().all(|i| i.same)
    }
}
