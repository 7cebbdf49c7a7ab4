//! The headless command-line front end: clap definitions, and one handler
//! per subcommand that calls `graph`/`ops` and formats the result. Results go
//! to stdout, progress and logs to stderr; registry strings printed as text
//! are stripped of control characters first.

pub mod audit;
mod audit_output;
mod audit_trust;
mod audit_vulns;
pub mod commands;
pub mod connection;
pub mod diff;
mod diff_markdown;
mod diff_text;
pub mod doctor;
mod files;
mod files_output;
pub mod interrupt;
pub mod progress;
mod remove;
mod transfer;
pub mod tree;
mod tree_text;
pub mod typo;
pub mod verify;
mod verify_output;
pub mod vulns;
mod vulns_output;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::oci::PlatformSpec;

pub use commands::run;

const REFERENCE_HELP: &str = "\
References:
  A REF is a registry reference, `[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`
  (Docker's rules: no registry means docker.io), or an OCI image layout on
  disk written `oci:DIR[:TAG][@DIGEST]` (as `oras --oci-layout DIR:TAG`).
  Loopback registries (localhost, 127.0.0.1) are spoken to over plain HTTP
  unless --ca-file or --insecure asks for TLS.

Logs:
  REGSCOPE_LOG=debug shows every request (method, URL, status) and retry;
  the CLI logs to stderr, the TUI to regscope.log in the cache directory
  (its help shows the path). The value is tracing's filter syntax.

Examples:
  regscope                                   the TUI on the built-in demo
  regscope localhost:5000/net-monitor:v1     the TUI on an image's graph
  regscope tree localhost:5000/net-monitor:v1 --format json
  regscope pull localhost:5000/net-monitor:v1 --sbom -o ./download
  regscope attach localhost:5000/net-monitor:v1 --artifact-type sbom/example sbom.json:application/json
  regscope cp -r localhost:5000/net-monitor:v1 localhost:5000/staging/net-monitor:v1
  regscope rm --with-referrers localhost:5000/net-monitor:v1
  regscope audit localhost:5000/net-monitor --require signature,sbom --key cosign.pub
  regscope vulns localhost:5000/net-monitor:v1 --format json
  regscope verify localhost:5000/net-monitor:v1 --key cosign.pub
  regscope files localhost:5000/net-monitor:v1 --layer 0
  regscope cat localhost:5000/net-monitor:v1 /etc/os-release
  regscope diff localhost:5000/app:v1 localhost:5000/app:v2 --format markdown
  regscope doctor localhost:5000/net-monitor --format json";

/// A terminal UI and CLI for OCI registries and the artifacts attached to
/// images (signatures, SBOMs, attestations).
#[derive(Debug, Parser)]
#[command(name = "regscope", version, after_help = REFERENCE_HELP)]
pub struct Cli {
    /// What to open in the TUI: a registry, a repository or a reference.
    /// Without it (and without --oci-layout) the TUI opens the built-in demo.
    pub target: Option<String>,

    /// Open an OCI image layout directory in the TUI: `DIR[:TAG]`.
    #[arg(long, value_name = "DIR[:TAG]", conflicts_with = "target")]
    pub oci_layout: Option<String>,

    /// Print only results, warnings and errors: no progress, no summaries.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to reach registries; the same flags as `oras`. Listed under their
/// own heading in every command's `--help`, apart from its own flags.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// Speak plain HTTP to the registry (the default for loopback registries
    /// unless --ca-file or --insecure asks for TLS).
    #[arg(long, global = true)]
    pub plain_http: bool,
    /// A PEM file of extra CA certificates to trust.
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Do not verify the registry's TLS certificate (dangerous).
    #[arg(long, global = true)]
    pub insecure: bool,
    /// User name for the registry (otherwise Docker's config and helpers).
    #[arg(long, short = 'u', global = true)]
    pub username: Option<String>,
    /// Read the password (or token) from standard input.
    #[arg(long, global = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the graph of artifacts attached to REF (like `oras discover`).
    Tree(TreeArgs),
    /// Download an artifact's files (or its newest referrer of a type).
    Pull(PullArgs),
    /// Attach files to REF as a new referrer artifact.
    Attach(AttachArgs),
    /// Copy an image or artifact (and with -r its referrer graph).
    #[command(alias = "copy")]
    Cp(CopyArgs),
    /// Delete a tag, or a manifest (and with --with-referrers the graph
    /// under it), after showing exactly what goes.
    #[command(alias = "delete")]
    Rm(DeleteArgs),
    /// List a registry's repositories or a repository's tags.
    Ls(ListArgs),
    /// Audit every tag of a repository (or registry): signed, SBOM, signed
    /// SBOM, provenance; a CI gate with --require, signatures checked
    /// offline with --key.
    Audit(audit::AuditArgs),
    /// The vulnerabilities attached scans report for an image, with VEX
    /// applied (`--format json` is a documented contract).
    Vulns(vulns::VulnsArgs),
    /// Check the signatures of an image (or, with --bundle, a Sigstore
    /// bundle over a file) offline; exit status 0 when one verifies, 1
    /// when none does, 2 on a usage or input error.
    Verify(verify::VerifyArgs),
    /// List the files of an image (its merged file system, or one layer
    /// with --layer), one per line like `tar tv`.
    Files(FilesArgs),
    /// Write one file of an image to stdout (or with -o into a directory).
    Cat(CatArgs),
    /// What changed between two images: manifest and config, layers,
    /// files, SBOM packages and attachments (`--exit-code` for CI).
    Diff(diff::DiffArgs),
    /// Check what a registry really does (referrers API or fallback tags,
    /// catalog, paging, ranges, deletes…), each finding with its evidence.
    /// Exits 1 when a check failed (warn and skip exit 0).
    Doctor(doctor::DoctorArgs),
    /// Print a completion script: `regscope completions bash >
    /// ~/.local/share/bash-completion/completions/regscope`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

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
