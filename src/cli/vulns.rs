//! `regscope vulns IMAGE`: the vulnerability findings attached to an image
//! (scans read, VEX applied; see `crate::vuln`), as a table, the JSON
//! contract the README documents, or SARIF.

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr};

use super::commands::{open_ref, print_stdout};
use super::vulns_output::{to_json, to_sarif, to_table};
use crate::graph::{DiscoverOptions, discover};
use crate::oci::PlatformSpec;
use crate::store::remote::ConnectOptions;
use crate::text::escape_control;
use crate::vuln::{CollectOptions, PlatformChoice, collect};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VulnsFormat {
    Table,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct VulnsArgs {
    /// The image, `[REGISTRY/]REPO[:TAG][@DIGEST]` or `oci:DIR[:TAG]`.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// For an index: one platform's scans, or `all` for the index's own and
    /// every platform's. Without it, the index's own, else this machine's
    /// platform's.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]|all")]
    pub platform: Option<String>,
    #[arg(long, value_enum, default_value_t = VulnsFormat::Table)]
    pub format: VulnsFormat,
    /// Also list findings that VEX suppresses (`not_affected`, `fixed`).
    #[arg(long)]
    pub show_suppressed: bool,
}

/// What `--platform` asks for.
pub(super) fn platform_choice(platform: Option<&str>) -> Result<PlatformChoice> {
    Ok(match platform {
        None => PlatformChoice::Subject,
        Some("all") => PlatformChoice::All,
        Some(text) => PlatformChoice::One(
            text.parse::<PlatformSpec>()
                .map_err(|e| color_eyre::eyre::eyre!("invalid --platform {text:?}: {}", e.0))?,
        ),
    })
}

pub(super) async fn run(args: VulnsArgs, connection: &ConnectOptions) -> Result<()> {
    let platform = platform_choice(args.platform.as_deref())?;
    let (target, reference) = open_ref(&args.reference, connection)?;
    let options = DiscoverOptions {
        max_depth: Some(1),
        ..DiscoverOptions::default()
    };
    let tree = discover(
        target.store.as_ref(),
        &target.repository,
        &reference,
        &options,
    )
    .await
    .wrap_err_with(|| format!("cannot discover the attachments of {}", args.reference))?;
    let collect_options = CollectOptions {
        platform,
        ..CollectOptions::default()
    };
    let report = collect(target.store.as_ref(), &tree, &collect_options).await;
    for warning in &report.warnings {
        tracing::warn!("{}", escape_control(warning));
    }
    let text = match args.format {
        VulnsFormat::Table => to_table(&report, args.show_suppressed),
        VulnsFormat::Json => to_json(&report, args.show_suppressed)?,
        VulnsFormat::Sarif => to_sarif(&report, args.show_suppressed)?,
    };
    print_stdout(&text)
}
