//! `regscope diff LEFT RIGHT`: what changed between two images (see
//! `crate::diff`), as text, JSON or a markdown comment, and with
//! `--exit-code` a CI check (1 when anything differs, 0 when nothing does,
//! 2 when the diff could not be made), like `git diff --exit-code`.

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr};

use super::commands::{open_ref, print_stdout};
use super::diff_markdown::to_markdown;
use super::diff_text::to_text;
use super::progress::Reporter;
use crate::diff::{DiffOptions, DiffReport, DiffSide, PlatformWanted, Section, diff};
use crate::ops::CancellationToken;
use crate::store::remote::ConnectOptions;
use crate::text::escape_control;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    /// For a pull request comment: a summary line, then sections.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffSection {
    Manifest,
    Layers,
    Files,
    Sbom,
    Attachments,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The image to compare from, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "LEFT")]
    pub left: String,
    /// The image to compare with (another repository, registry or layout
    /// is fine).
    #[arg(value_name = "RIGHT")]
    pub right: String,
    /// Only these sections (comma-separated). `--only attachments
    /// --exit-code` checks that a mirror kept every attachment.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "SECTION,...")]
    pub only: Vec<DiffSection>,
    /// For indexes: which platform, `os/arch[/variant]`, or `all` for one
    /// diff per platform both sides have (default: the host's).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]|all")]
    pub platform: Option<String>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit with status 1 when anything differs, 0 when nothing does.
    #[arg(long)]
    pub exit_code: bool,
    /// Also read the layers both images share at the bottom, so that every
    /// path is known to be added or modified (slower: the shared base is
    /// otherwise never downloaded).
    #[arg(long)]
    pub read_shared: bool,
}

/// The diff found differences and `--exit-code` was given: exit 1, quietly.
#[derive(Debug, thiserror::Error)]
#[error("the images differ")]
pub struct Differs;

/// The diff itself failed: with `--exit-code` that is status 2, so that a
/// CI check tells "differs" from "could not compare".
#[derive(Debug, thiserror::Error)]
#[error("cannot compare {left} with {right}")]
pub struct DiffFailed {
    left: String,
    right: String,
}

/// Whether a command's error is `--exit-code` reporting a difference.
pub fn differs(report: &color_eyre::Report) -> bool {
    report.downcast_ref::<Differs>().is_some()
}

/// The exit status of a failed command: 2 for a diff that could not be
/// made, 1 for everything else.
pub fn failure_status(report: &color_eyre::Report) -> u8 {
    if report.downcast_ref::<DiffFailed>().is_some() {
        2
    } else {
        1
    }
}

pub(super) async fn run(
    args: DiffArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<()> {
    let failed = || DiffFailed {
        left: escape_control(&args.left).into_owned(),
        right: escape_control(&args.right).into_owned(),
    };
    let report = compute(&args, connection, cancel, reporter)
        .await
        .wrap_err_with(failed)?;
    let text = match args.format {
        DiffFormat::Text => to_text(&report),
        DiffFormat::Json => to_json(&report).wrap_err_with(failed)?,
        DiffFormat::Markdown => to_markdown(&report),
    };
    print_stdout(&text)?;
    if args.exit_code && !report.same() {
        return Err(Differs.into());
    }
    Ok(())
}

async fn compute(
    args: &DiffArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
    reporter: Reporter,
) -> Result<DiffReport> {
    let options = options(args)?;
    let side = |input: &str| -> Result<DiffSide> {
        let (target, reference) = open_ref(input, connection)?;
        Ok(DiffSide {
            store: target.store,
            repository: target.repository,
            reference,
            name: input.to_owned(),
        })
    };
    let (left, right) = (side(&args.left)?, side(&args.right)?);
    let report = reporter
        .with_progress(cancel, |sink| {
            let (left, right, options) = (&left, &right, &options);
            async move { diff(left, right, options, &sink, cancel).await }
        })
        .await?;
    Ok(report)
}

fn options(args: &DiffArgs) -> Result<DiffOptions> {
    let mut options = DiffOptions {
        read_shared: args.read_shared,
        ..DiffOptions::default()
    };
    if !args.only.is_empty() {
        options.sections = args
            .only
            .iter()
            .map(|s| match s {
                DiffSection::Manifest => Section::Manifest,
                DiffSection::Layers => Section::Layers,
                DiffSection::Files => Section::Files,
                DiffSection::Sbom => Section::Sbom,
                DiffSection::Attachments => Section::Attachments,
            })
            .collect();
    }
    options.platform = match args.platform.as_deref() {
        None => PlatformWanted::Auto,
        Some("all") => PlatformWanted::All,
        Some(text) => PlatformWanted::One(
            text.parse()
                .map_err(|e| color_eyre::eyre::eyre!("--platform {text:?}: {e}"))?,
        ),
    };
    Ok(options)
}

/// One object, or with `--platform all` an array of one per platform.
pub fn to_json(report: &DiffReport) -> Result<String> {
    let mut text = if report.per_platform {
        serde_json::to_string_pretty(&report.images)?
    } else {
        match report.images.first() {
            Some(image) => serde_json::to_string_pretty(image)?,
            None => "null".to_owned(),
        }
    };
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
