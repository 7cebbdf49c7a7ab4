//! What the CLI shows while it works: a live byte bar per transfer on a
//! terminal (the real binary in tmux), one plain line per step in a pipe,
//! nothing but results with `--quiet`; and completion scripts a shell
//! accepts.

use std::process::Command;

use crate::cli::regscope_output;
use crate::cli_pull::{file_blob, push_artifact};
use crate::support::{FaultProxy, Oras, Registry, Rule};
use crate::tui::tmux::Tmux;

/// An artifact of one 3 MiB file, and a proxy in front of its registry.
fn big_artifact() -> (Registry, FaultProxy, String, tempfile::TempDir) {
    let registry = Registry::olareg();
    let oras = Oras::for_registry(&registry);
    let work = tempfile::tempdir().unwrap();
    let content: Vec<u8> = (0..3 << 20).map(|i: usize| (i * 7 % 253) as u8).collect();
    let direct = push_artifact(
        &oras,
        &registry,
        work.path(),
        "v1",
        &[file_blob("big.bin", &content)],
    );
    let proxy = FaultProxy::start(registry.host());
    let reference = direct.replacen(registry.host(), &proxy.host(), 1);
    (registry, proxy, reference, work)
}

#[test]
fn a_terminal_sees_a_byte_bar_that_leaves_one_line() {
    let (_registry, proxy, reference, work) = big_artifact();
    let out = work.path().join("out");
    // About three seconds of download: long enough to see the bar.
    proxy.add_rule(Rule::new("GET", "/blobs/").throttle(1 << 20));
    let binary = env!("CARGO_BIN_EXE_regscope");
    let tmux = Tmux::start(
        &format!("{binary} pull {reference} -o {}", out.display()),
        120,
        20,
    );
    let screen = tmux.wait_for("a byte bar", |s| {
        s.contains("big.bin") && s.contains("MiB/3.00 MiB") && s.contains('━')
    });
    assert!(screen.contains("/s"), "a rate: {screen}");
    let screen = tmux.wait_for("the end", |s| s.contains("regscope exited with"));
    assert!(screen.contains("regscope exited with 0"), "{screen}");
    assert!(
        screen.contains("Done") && screen.contains("big.bin"),
        "{screen}"
    );
    assert!(
        !screen.contains('━'),
        "the bar is cleared when done: {screen}"
    );
    let written = std::fs::metadata(out.join("big.bin"));
    assert_eq!(written.map(|m| m.len()).ok(), Some(3 << 20));
    assert!(proxy.rule_hits(0) > 0, "the download was throttled");
}

#[test]
fn a_pipe_gets_plain_lines_and_quiet_only_results() {
    let (_registry, _proxy, reference, work) = big_artifact();
    let out = regscope_output(work.path(), &["pull", &reference, "-o", "plain"]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Transferring") && stderr.contains("Done"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r') && !stderr.contains('━'),
        "{stderr:?}"
    );

    let out = regscope_output(work.path(), &["pull", "-q", &reference, "-o", "quiet"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "--quiet says nothing"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with("big.bin"),
        "results stay: {stdout}"
    );
}

#[test]
fn completion_scripts_load_in_their_shells() {
    let work = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = regscope_output(work.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8_lossy(&out.stdout);
        // fish writes long flags without their dashes.
        for word in ["attach", "audit", "sbom", "plain-http"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    // bash itself loads the script and registers the completion.
    let script = work.path().join("regscope.bash");
    let out = regscope_output(work.path(), &["completions", "bash"]);
    std::fs::write(&script, &out.stdout).unwrap();
    let check = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p regscope",
            script.display()
        ))
        .output()
        .expect("bash runs");
    assert!(
        check.status.success() && String::from_utf8_lossy(&check.stdout).contains("regscope"),
        "{check:?}"
    );
}
