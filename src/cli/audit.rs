//! `regscope audit TARGET`: every tag of a repository (or of every
//! repository of a registry, or of an OCI layout) against what is attached
//! to it, as a table, JSON or CSV, and a CI gate with `--require`: the exit
//! status is non-zero when an image misses a requirement, and stderr names
//! what is missing where.

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr, eyre};

use super::audit_output::{to_csv, to_json, to_table};
use super::audit_trust::TrustArgs;
use super::commands::print_stdout;
use super::interrupt::cancel_on_interrupt;
use crate::audit::{
    AuditEvent, AuditOptions, AuditTarget, ImageAudit, Requirement, Summary, audit,
};
use crate::oci::PlatformSpec;
use crate::ops::CancellationToken;
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, open};
use crate::text::escape_control;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// A repository (`[REGISTRY/]REPO`, a `:TAG` audits that tag only), a
    /// registry (every repository its catalog lists), or `oci:DIR`.
    #[arg(value_name = "REPO|REGISTRY|oci:DIR")]
    pub target: String,
    #[arg(long, value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Only tags matching this glob (`v1.*`, `release-*`).
    #[arg(long, value_name = "GLOB")]
    pub tags: Option<String>,
    /// For an index: audit this platform's manifest instead of the index.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<PlatformSpec>,
    /// Fail (exit status 1) when an image misses one of these:
    /// signature, sbom (for an index: on every platform, unless the index
    /// carries one), signed-sbom, provenance, verified (needs trust
    /// material: --key, --trusted-root, --notation-trust-store or [trust]).
    #[arg(long, value_delimiter = ',', value_name = "WHAT,…")]
    pub require: Vec<Requirement>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Fail (exit status 1) when an image has an unsuppressed finding at or
    /// above this severity (critical, high, medium, low, negligible), as
    /// `grype --fail-on` does.
    #[arg(long, value_name = "SEVERITY", help_heading = "Vulnerabilities")]
    pub fail_on: Option<crate::vuln::Severity>,
    /// Fail when an image's newest vulnerability scan is older than this
    /// many days, or it has none.
    #[arg(long, value_name = "DAYS", help_heading = "Vulnerabilities")]
    pub max_scan_age: Option<u32>,
    /// Images looked at at once.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

pub(super) async fn run(
    args: AuditArgs,
    connection: &ConnectOptions,
    cancel: &CancellationToken,
) -> Result<()> {
    let spec = Spec::parse(&args.target)?;
    let trust = super::audit_trust::trust(&args.trust, Some(&spec))?;
    let target = open(&spec, connection, false)?;
    let mut tags = args.tags.clone();
    if tags.is_none() {
        // `repo:tag` audits that tag; a digest is looked up among the tags.
        tags = spec.tag().map(globset::escape);
    }
    let tags = tags
        .map(|glob| {
            globset::Glob::new(&glob)
                .map(|g| g.compile_matcher())
                .wrap_err_with(|| format!("invalid --tags glob {glob:?}"))
        })
        .transpose()?;
    let audit_target = if matches!(spec, Spec::RegistryOnly(_)) {
        AuditTarget::Registry
    } else {
        AuditTarget::Repository(target.repository.clone())
    };
    let options = AuditOptions {
        tags,
        platform: args.platform.clone(),
        keys: trust.keys,
        keyless: trust.keyless,
        root: trust.root,
        notation: trust.notation,
        time_policy: trust.policy,
        concurrency: usize::from(args.concurrency),
        vulnerabilities: true,
        ..AuditOptions::default()
    };
    let mut rows: Vec<ImageAudit> = Vec::new();
    let mut planned = 0;
    let mut on_event = |event: AuditEvent| match event {
        AuditEvent::Planned { repository, images } => {
            planned += images;
            tracing::info!("{}: {images} images", escape_control(&repository));
        }
        AuditEvent::Row(row) => {
            tracing::info!("audited {}/{planned}: {}", rows.len() + 1, row.digest);
            rows.push(*row);
        }
        AuditEvent::Warning(warning) => tracing::warn!("{}", escape_control(&warning)),
    };
    let _guard = cancel_on_interrupt(cancel.clone());
    let summary = audit(
        target.store.as_ref(),
        &audit_target,
        &options,
        &mut on_event,
        cancel,
    )
    .await
    .map_err(|error| match error {
        crate::store::StoreError::Cancelled => eyre!(crate::ops::OpError::Cancelled),
        other => eyre!(other),
    })
    .wrap_err_with(|| format!("cannot audit {}", args.target))?;
    rows.sort_by(|a, b| {
        (&a.repository, a.tags.first(), &a.digest).cmp(&(&b.repository, b.tags.first(), &b.digest))
    });
    let gates = super::audit_vulns::VulnGates {
        fail_on: args.fail_on,
        max_scan_age: args.max_scan_age,
    };
    let now = crate::vuln::time::now();
    let missing: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut missing = r.missing(&args.require);
            missing.extend(super::audit_vulns::failures(r, gates, now));
            missing
        })
        .collect();
    let text = match args.format {
        AuditFormat::Table => to_table(&rows, &missing, &summary),
        AuditFormat::Json => to_json(&rows, &missing, &summary, &args.require)?,
        AuditFormat::Csv => to_csv(&rows, &missing),
    };
    print_stdout(&text)?;
    gate(&rows, &missing, &summary)
}

/// Names every image that misses a requirement, on stderr, and fails.
fn gate(rows: &[ImageAudit], missing: &[Vec<String>], summary: &Summary) -> Result<()> {
    let failing: Vec<String> = rows
        .iter()
        .zip(missing)
        .filter(|(_, m)| !m.is_empty())
        .map(|(row, m)| {
            let tags = if row.tags.is_empty() {
                String::new()
            } else {
                format!(" ({})", row.tags.join(", "))
            };
            escape_control(&format!(
                "{}@{}{tags}: missing {}",
                row.repository,
                row.digest,
                m.join(", ")
            ))
            .into_owned()
        })
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    for line in &failing {
        eprintln!("{line}");
    }
    Err(eyre!(
        "{} of {} images miss a requirement",
        failing.len(),
        summary.images
    ))
}
