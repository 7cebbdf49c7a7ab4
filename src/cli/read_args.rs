//! The arguments of the commands that read an image and print it: `tree`,
//! `ls`, `files` and `cat`, with their output formats.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::oci::PlatformSpec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FilesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct FilesArgs {
    /// The image, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// One layer only: its index from 0 (the base) or its digest. Without
    /// it, the merged view: what a container sees, each path with the layer
    /// that last changed it.
    #[arg(long, value_name = "N|DIGEST")]
    pub layer: Option<String>,
    /// What each layer (or the --layer one) changes, as dive's layer view
    /// shows it: the paths it adds, modifies and removes.
    #[arg(long)]
    pub changes: bool,
    /// For an index: which platform (default: the host's).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
    #[arg(long, value_enum, default_value_t = FilesFormat::Text)]
    pub format: FilesFormat,
}

#[derive(Debug, Args)]
pub struct CatArgs {
    /// The image, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// The file's path in the image (symlinks are followed).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// For an index: which platform (default: the host's).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
    /// Write the file into DIR (under its own name) instead of stdout.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// With -o: replace a different file of that name.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TreeFormat {
    /// Text like `oras discover --format tree`.
    Tree,
    /// JSON like `oras discover --format json`.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct TreeArgs {
    /// The image or artifact, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    #[arg(long, value_enum, default_value_t = TreeFormat::Tree)]
    pub format: TreeFormat,
    /// Only referrers of this artifact type (at every level).
    #[arg(long)]
    pub artifact_type: Option<String>,
    /// Levels of referrers to show (all when absent).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
    /// For an index: show this platform's manifest and its attachments.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
    /// Exit 0 even when a manifest of the graph could not be fetched (an
    /// index's deleted platform, a listed referrer that is gone); it is
    /// still marked.
    #[arg(long)]
    pub allow_missing: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// A registry (lists repositories) or a repository (lists tags); or
    /// `oci:DIR`.
    #[arg(value_name = "REGISTRY|REPO")]
    pub target: String,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Also list the fallback and cosign tags (`sha256-…`).
    #[arg(long)]
    pub all: bool,
}
