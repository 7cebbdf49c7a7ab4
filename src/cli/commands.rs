//! Dispatch, and the read-only subcommands: `tree` and `ls`.

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr, bail};

use super::Command;
use super::progress::Reporter;
use super::read_args::{ListArgs, ListFormat, TreeArgs, TreeFormat};
use super::tree::{to_json, to_text};
use crate::graph::{DiscoverOptions, discover};
use crate::ops::CancellationToken;
use crate::store::remote::ConnectOptions;
use crate::target::{Spec, Target, open};
use crate::text::escape_control;

/// Runs one subcommand to completion; `quiet` leaves only results, warnings
/// and errors.
pub async fn run(command: Command, connection: &ConnectOptions, quiet: bool) -> Result<()> {
    let reporter = Reporter::new(quiet);
    // Each operation watches Ctrl-C from its start (`cancel_on_interrupt`):
    // before that (parsing, `rm`'s question) Ctrl-C quits as usual.
    let cancel = CancellationToken::new();
    match command {
        Command::Tree(args) => tree(args, connection).await,
        Command::Pull(args) => super::transfer::pull(args, connection, &cancel, reporter).await,
        Command::Attach(args) => super::transfer::attach(args, connection, &cancel, reporter).await,
        Command::Cp(args) => super::transfer::copy(args, connection, &cancel, reporter).await,
        Command::Rm(args) => super::remove::remove(args, connection, &cancel, reporter).await,
        Command::Ls(args) => list(args, connection).await,
        Command::Audit(args) => super::audit::run(args, connection, &cancel).await,
        Command::Vulns(args) => super::vulns::run(args, connection).await,
        Command::Verify(args) => super::verify::run(args, connection).await,
        Command::Files(args) => super::files::files(args, connection, &cancel, reporter).await,
        Command::Cat(args) => super::files::cat(args, connection, &cancel, reporter).await,
        Command::Diff(args) => super::diff::run(args, connection, &cancel, reporter).await,
        Command::Doctor(args) => super::doctor::doctor(args, connection).await,
        Command::Completions { shell } => completions(shell),
    }
}

/// The shell's completion script on stdout, from the same definition as
/// the parser, so it never lists a flag that is not there.
fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory as _;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut super::Cli::command(), "regscope", &mut script);
    print_stdout(&String::from_utf8_lossy(&script))
}

pub(super) fn open_ref(input: &str, connection: &ConnectOptions) -> Result<(Target, String)> {
    let target = open(&Spec::parse(input)?, connection, false)?;
    let reference = target.require_reference()?.to_owned();
    Ok((target, reference))
}

pub(super) fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .wrap_err("cannot write to stdout")?;
    stdout.flush().wrap_err("cannot write to stdout")
}

async fn tree(args: TreeArgs, connection: &ConnectOptions) -> Result<()> {
    let (target, reference) = open_ref(&args.reference, connection)?;
    let options = DiscoverOptions {
        artifact_type: args.artifact_type,
        max_depth: args.depth.map(|d| d as usize),
        platform: args.platform,
        ..DiscoverOptions::default()
    };
    let tree = discover(
        target.store.as_ref(),
        &target.repository,
        &reference,
        &options,
    )
    .await
    .wrap_err_with(|| format!("cannot discover the referrers of {}", args.reference))?;
    for warning in &tree.warnings {
        tracing::warn!("{}", escape_control(warning));
    }
    for node in tree.all_nodes() {
        for warning in &node.warnings {
            tracing::warn!("{}: {}", node.digest(), escape_control(warning));
        }
    }
    let text = match args.format {
        TreeFormat::Json => {
            let mut json = serde_json::to_string_pretty(&to_json(&tree, &target.display_name))?;
            json.push('\n');
            json
        }
        TreeFormat::Tree => to_text(&tree, &target.display_name),
    };
    print_stdout(&text)?;
    let unfetched = tree.unfetched();
    if !args.allow_missing && !unfetched.is_empty() {
        let named: Vec<String> = unfetched
            .iter()
            .map(|(digest, unfetched)| format!("{digest} {}", unfetched.label()))
            .collect();
        bail!(
            "{} of the graph could not be fetched: {} (--allow-missing exits 0)",
            crate::text::count(unfetched.len(), "manifest"),
            named.join(", ")
        );
    }
    Ok(())
}

async fn list(args: ListArgs, connection: &ConnectOptions) -> Result<()> {
    let spec = Spec::parse(&args.target)?;
    let target = open(&spec, connection, false)?;
    let store = target.store.as_ref();
    let (key, names) = if target.repository.is_empty() {
        let names = crate::ops::list_repositories(store)
            .await
            .wrap_err_with(|| format!("cannot list the repositories of {}", args.target))?;
        if names.is_empty() {
            eprintln!("{} has no repositories", escape_control(&args.target));
        }
        ("repositories", names)
    } else {
        let tags = crate::ops::list_tags(store, &target.repository)
            .await
            .wrap_err_with(|| format!("cannot list the tags of {}", args.target))?;
        let hidden = tags.attachment.len();
        let mut names = tags.named;
        if args.all {
            names.extend(tags.attachment);
        }
        // An empty answer would look like a failed command: say what it is.
        if names.is_empty() {
            let note = if hidden > 0 {
                format!(
                    " but {} of attachments (--all lists them)",
                    crate::text::count(hidden, "tag")
                )
            } else {
                String::new()
            };
            eprintln!("{} has no tags{note}", escape_control(&args.target));
        }
        ("tags", names)
    };
    let text = match args.format {
        ListFormat::Json => {
            let mut json = serde_json::to_string_pretty(&serde_json::json!({ key: names }))?;
            json.push('\n');
            json
        }
        ListFormat::Text => names
            .iter()
            .map(|n| format!("{}\n", escape_control(n)))
            .collect(),
    };
    print_stdout(&text)
}
