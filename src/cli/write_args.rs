//! The arguments of the commands that write: `pull` (files on disk),
//! `attach` and `cp` (to a registry or a layout) and `rm`.

use std::path::PathBuf;

use clap::Args;

use crate::oci::PlatformSpec;

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The image or artifact, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Where to write the files.
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub output: PathBuf,
    /// Pull REF's newest referrer of this type instead of REF itself.
    #[arg(long, conflicts_with = "sbom")]
    pub artifact_type: Option<String>,
    /// Pull one layer of REF, by its index from 0 or its digest, under its
    /// title or (untitled, as an image's layers are) its digest.
    #[arg(long, value_name = "N|DIGEST", conflicts_with_all = ["sbom", "artifact_type", "all"])]
    pub layer: Option<String>,
    /// Pull REF's SBOM, wherever real tools put it: an SBOM artifact,
    /// cosign's SBOM, or the SBOM predicate of an attestation (unwrapped).
    #[arg(long)]
    pub sbom: bool,
    /// For an index: which platform, `os/arch[/variant]`, or `all` to write
    /// each platform's into `<os>-<arch>[-<variant>]/`. With --sbom and no
    /// SBOM on the index itself, the host's platform is taken.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]|all")]
    pub platform: Option<String>,
    /// With --sbom or --artifact-type: write every one found, not only the
    /// first in order.
    #[arg(long)]
    pub all: bool,
    /// With --sbom: write an attestation's envelope as it is stored instead
    /// of the SBOM inside it.
    #[arg(long, requires = "sbom")]
    pub raw: bool,
    /// Do not replace a file already there with other content: fail and
    /// write nothing (as `oras pull --keep-old-files`).
    #[arg(long)]
    pub keep_old_files: bool,
}

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The image or artifact, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    #[arg(long, required = true)]
    pub artifact_type: String,
    /// Files or directories, each optionally `FILE:MEDIATYPE`.
    #[arg(value_name = "FILE[:MEDIATYPE]")]
    pub files: Vec<String>,
    /// Manifest annotations, `KEY=VALUE`.
    #[arg(long = "annotation", short = 'a', value_name = "KEY=VALUE")]
    pub annotations: Vec<String>,
    /// For an index: attach to this platform's manifest (as `oras attach
    /// --platform`).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// What to copy: `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "SRC")]
    pub source: String,
    /// Where to: a repository, optionally with a tag (default: the source's
    /// tag); `oci:DIR[:TAG]` writes an OCI layout.
    #[arg(value_name = "DST")]
    pub destination: String,
    /// Also copy the referrer graph, all the way down.
    #[arg(short, long)]
    pub recursive: bool,
    /// With -r, only referrers of these types.
    #[arg(long)]
    pub artifact_type: Vec<String>,
    /// For an index: copy only this platform's manifest (and with -r its
    /// attachments); the destination tag then names that manifest.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
    /// With -r, leave cosign's `sha256-<hex>.sig|.att|.sbom` tags (and what
    /// only they attach) behind; by default they are copied with the graph.
    #[arg(long)]
    pub no_cosign_tags: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The image or artifact, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Also delete every referrer under it, deepest first (deletes the
    /// manifest a tag names, as --manifest does).
    #[arg(long)]
    pub with_referrers: bool,
    /// With a tag: delete the manifest it names, and with it every tag that
    /// names it (the plan lists them), not only the tag.
    #[arg(long)]
    pub manifest: bool,
    /// Delete a manifest even when an image index lists it, leaving that
    /// index pointing at nothing (the plan names each one); -y alone never
    /// does.
    #[arg(long)]
    pub break_index: bool,
    /// Do not ask; also delete a manifest whose referrers would be left
    /// orphaned.
    #[arg(short, long, visible_alias = "force")]
    pub yes: bool,
    /// With --with-referrers, leave cosign's `sha256-<hex>.sig|.att|.sbom`
    /// tags and their manifests; by default they go with the graph.
    #[arg(long)]
    pub no_cosign_tags: bool,
}
