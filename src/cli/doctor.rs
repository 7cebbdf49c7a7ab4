//! `regscope doctor REGISTRY[/REPOSITORY[:TAG]] [--write] [--format
//! table|json]`: runs the engine's checks and prints the report, each
//! check with its evidence; registry text is escaped before it is printed.
//! The exit status is 1 when a check failed (after the report is printed),
//! so CI can gate on it; `warn` and `skip` exit 0, and with `--strict` a
//! `warn` (an optional feature missing, such as the referrers API) fails too.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, bail, eyre};

use super::commands::print_stdout;
use crate::doctor::{DoctorOptions, ReferrersModeName, Report, Status, run};
use crate::store::remote::{ConnectOptions, RemoteStore};
use crate::target::Spec;
use crate::text::escape_control;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DoctorFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The registry, optionally a repository in it to read (and a tag or
    /// digest to read there; otherwise its first tag).
    #[arg(value_name = "REGISTRY[/REPOSITORY]")]
    pub target: String,
    /// Also push into a scratch repository (REPOSITORY, or
    /// regscope-doctor/<random>), try deletes, mounts and chunked uploads,
    /// delete what was pushed, and say what stayed.
    #[arg(long)]
    pub write: bool,
    #[arg(long, value_enum, default_value_t = DoctorFormat::Table)]
    pub format: DoctorFormat,
    /// Exit 1 on a warning too (an optional feature missing, such as the
    /// referrers API or the catalog), not only on a failed check.
    #[arg(long)]
    pub strict: bool,
}

pub async fn doctor(args: DoctorArgs, connection: &ConnectOptions) -> Result<()> {
    let (registry, options) = match Spec::parse(&args.target)? {
        Spec::RegistryOnly(registry) => (
            registry,
            DoctorOptions {
                write: args.write,
                ..DoctorOptions::default()
            },
        ),
        Spec::Registry(reference) => (
            reference.registry.clone(),
            DoctorOptions {
                repository: Some(reference.repository.clone()),
                reference: reference.has_target().then(|| reference.target()),
                write: args.write,
                writes_not_asked: None,
            },
        ),
        Spec::Layout { .. } => bail!("doctor checks registries; an OCI layout has nothing to ask"),
    };
    let store = RemoteStore::new(&registry, connection.clone())?;
    let report = run(&store, &options).await;
    let text = match args.format {
        DoctorFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report)?;
            json.push('\n');
            json
        }
        DoctorFormat::Table => to_table(&report),
    };
    print_stdout(&text)?;
    gate(&report, args.strict)
}

/// Fails, naming the failed checks (and with `strict` the warnings), when
/// there are any: the report is already out, so a script reads both it and
/// the status.
fn gate(report: &Report, strict: bool) -> Result<()> {
    let counts = |status: Status| strict || status == Status::Fail;
    let failed: Vec<String> = report
        .checks
        .iter()
        .filter(|check| matches!(check.status, Status::Fail | Status::Warn) && counts(check.status))
        .map(|check| format!("{} ({})", check.id.as_str(), check.status.as_str()))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let what = if strict { "failed or warned" } else { "failed" };
    Err(eyre!(
        "{} of {} checks {what}: {}",
        failed.len(),
        report.checks.len(),
        failed.join(", ")
    ))
}

/// The report as a person reads it: one line per check, its evidence
/// indented under it.
pub fn to_table(report: &Report) -> String {
    let mut out = String::new();
    let mode = match report.referrers_mode {
        ReferrersModeName::Api => "the referrers API",
        ReferrersModeName::Fallback => "fallback tags (sha256-<hex>)",
    };
    let _ = writeln!(
        out,
        "registry {}{}{}",
        escape_control(&report.registry),
        report
            .repository
            .as_deref()
            .map(|r| format!(", repository {}", escape_control(r)))
            .unwrap_or_default(),
        if report.write {
            ", with writes"
        } else {
            ", read-only"
        }
    );
    let _ = writeln!(out, "referrers: {mode}\n");
    let width = report
        .checks
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    for check in &report.checks {
        let _ = writeln!(
            out,
            "{:<width$}  {:<4}  {}",
            check.id.as_str(),
            check.status.as_str(),
            escape_control(&check.summary)
        );
        for evidence in &check.evidence {
            let _ = writeln!(out, "{:<width$}        {}", "", evidence.line());
        }
    }
    if let Some(stayed) = &report.left_behind {
        if stayed.is_empty() {
            out.push_str("\nleft behind: nothing (everything pushed was deleted again)\n");
        } else {
            out.push_str("\nleft behind (the registry would not delete it):\n");
            for item in stayed {
                let _ = writeln!(out, "  {}", escape_control(item));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::{Check, CheckId, Evidence, Status};

    #[test]
    fn registry_text_is_escaped_in_the_table() {
        let mut evidence = Evidence::failed("GET /v2/\u{1b}[2J", "no answer");
        evidence.headers.insert(
            "www-authenticate".to_owned(),
            "Bearer realm=\"\u{1b}]52;c;x\u{7}\"".to_owned(),
        );
        let report = Report {
            registry: "r.example".to_owned(),
            repository: Some("app".to_owned()),
            write: false,
            referrers_mode: ReferrersModeName::Api,
            checks: vec![
                Check::new(CheckId::Auth, Status::Pass, "realm \u{1b}[31mred")
                    .evidence(vec![evidence]),
            ],
            left_behind: None,
        };
        let table = to_table(&report);
        assert!(!table.contains('\u{1b}'), "{table:?}");
        assert!(!table.contains('\u{7}'), "{table:?}");
        assert!(table.contains("auth"));
        assert!(table.contains("referrers: the referrers API"));
    }
}
