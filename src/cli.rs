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
mod read_args;
mod remove;
mod transfer;
pub mod tree;
mod tree_text;
pub mod typo;
pub mod verify;
mod verify_output;
pub mod vulns;
mod vulns_output;
mod write_args;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use commands::run;
pub use read_args::{CatArgs, FilesArgs, FilesFormat, ListArgs, ListFormat, TreeArgs, TreeFormat};
pub use write_args::{AttachArgs, CopyArgs, DeleteArgs, PullArgs};

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
