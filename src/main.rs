//! regscope's entry point: parse the arguments, then hand over to the TUI
//! (no subcommand) or the headless CLI (a subcommand), each of which sets
//! up logging (`regscope::logging`).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;
use color_eyre::eyre::{Result, WrapErr};

use regscope::cli::Cli;
use regscope::cli::connection::connect_options;
use regscope::store::remote::ConnectOptions;
use regscope::target::{Spec, open};
use regscope::text::escape_control_lines;
use regscope::tui::{Launch, Start};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // `regscope tre HOST/app`: clap sees an unexpected argument,
            // the person a mistyped subcommand.
            if error.use_stderr()
                && let Some(message) = regscope::cli::typo::typo_in_args(std::env::args_os())
            {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
            error.exit()
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `diff --exit-code`: differences exit 1 quietly, failures 2.
        Err(report) if regscope::cli::diff::differs(&report) => ExitCode::from(1),
        Err(report) => {
            print_error(&report);
            if was_interrupted(&report) {
                ExitCode::from(regscope::cli::interrupt::INTERRUPTED_EXIT)
            } else if let Some(exit) = report.downcast_ref::<regscope::cli::verify::Exit>() {
                ExitCode::from(exit.code())
            } else {
                ExitCode::from(regscope::cli::diff::failure_status(&report))
            }
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let connection = connect_options(&cli.connection)?;
    match cli.command {
        Some(command) => {
            regscope::logging::to_stderr();
            regscope::cli::run(command, &connection, cli.quiet).await
        }
        None => {
            if let Some(name) = cli
                .target
                .as_deref()
                .and_then(regscope::cli::typo::mistyped_subcommand)
            {
                let word = cli.target.as_deref().unwrap_or_default();
                color_eyre::eyre::bail!(regscope::cli::typo::typo_message(word, &name));
            }
            let password_piped = cli.connection.password_stdin;
            run_tui(cli.target, cli.oci_layout, &connection, password_piped).await
        }
    }
}

/// `error: …` and then every cause, each on its own line, with registry
/// text stripped of control characters.
fn print_error(report: &color_eyre::Report) {
    let mut chain = report.chain();
    if let Some(top) = chain.next() {
        eprintln!("error: {}", escape_control_lines(&top.to_string()));
    }
    for cause in chain {
        eprintln!("  caused by: {}", escape_control_lines(&cause.to_string()));
    }
}

/// Whether the command failed because Ctrl-C cancelled it.
fn was_interrupted(report: &color_eyre::Report) -> bool {
    report.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<regscope::ops::OpError>(),
            Some(regscope::ops::OpError::Cancelled)
        )
    })
}

/// Opens what the TUI should show: the demo, a layout, or a registry target.
async fn run_tui(
    target: Option<String>,
    oci_layout: Option<String>,
    connection: &ConnectOptions,
    password_piped: bool,
) -> Result<()> {
    // With `--password-stdin` the password came through a pipe: keys are
    // then read from the controlling terminal (crossterm opens /dev/tty).
    let keys_reachable = std::io::stdin().is_terminal()
        || (password_piped && std::fs::File::open("/dev/tty").is_ok());
    if !std::io::stdout().is_terminal() || !keys_reachable {
        color_eyre::eyre::bail!(
            "the terminal UI needs a terminal; for scripts use a subcommand (see `regscope --help`)"
        );
    }
    // The demo's scratch copy must outlive the TUI.
    let mut _scratch = None;
    let spec = match (oci_layout, target) {
        (Some(layout), _) => Some(Spec::layout(&layout)),
        (None, Some(target)) => Some(Spec::parse(&target)?),
        (None, None) => None,
    };
    let launch = if let Some(spec) = spec {
        let opened = open(&spec, connection, false)?;
        Launch {
            start: start_for(&opened.repository, opened.reference.as_deref()),
            store: opened.store,
            scratch_note: None,
            connect: connection.clone(),
        }
    } else {
        let (store, scratch) =
            regscope::demo::open_scratch().wrap_err("cannot open the built-in demo")?;
        _scratch = Some(scratch);
        Launch {
            store: Arc::new(store),
            start: Start::demo(),
            scratch_note: Some(regscope::demo::DEMO_SCRATCH_NOTE.to_owned()),
            connect: connection.clone(),
        }
    };
    regscope::tui::run(launch).await
}

fn start_for(repository: &str, reference: Option<&str>) -> Start {
    match (repository.is_empty(), reference) {
        (true, _) => Start::Registry,
        (false, None) => Start::Repository(repository.to_owned()),
        (false, Some(reference)) => Start::Reference {
            repository: repository.to_owned(),
            reference: reference.to_owned(),
        },
    }
}
