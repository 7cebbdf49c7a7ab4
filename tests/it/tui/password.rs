//! `--password-stdin` with the TUI, in the real binary under tmux: from a
//! pipe (keys then come from the terminal), and typed at the terminal with
//! echo off, so the password is never on screen.

use crate::auth::{PASSWORD, USER, push_artifact};
use crate::support::{Oras, Registry};

use super::tmux::Tmux;

fn registry_with_app() -> Registry {
    let registry = Registry::distribution_htpasswd(USER, PASSWORD);
    push_artifact(&Oras::for_registry(&registry), registry.host(), "app");
    registry
}

#[test]
fn a_piped_password_opens_the_tui() {
    let registry = registry_with_app();
    let binary = env!("CARGO_BIN_EXE_regscope");
    let command = format!(
        "printf \"%s\\\\n\" {PASSWORD} | {binary} --username {USER} --password-stdin {}/app",
        registry.host()
    );
    let tmux = Tmux::start(&command, 120, 30);
    let screen = tmux.wait_for("the repository's tags", |s| s.contains("v1"));
    assert!(!screen.contains("needs a terminal"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("a clean exit", |s| s.contains("regscope exited with 0"));
}

#[test]
fn a_typed_password_is_not_echoed() {
    let registry = registry_with_app();
    let binary = env!("CARGO_BIN_EXE_regscope");
    let command = format!(
        "{binary} --username {USER} --password-stdin {}/app",
        registry.host()
    );
    let tmux = Tmux::start(&command, 120, 30);
    tmux.wait_for("the password prompt", |s| s.contains("Password:"));
    tmux.type_text(PASSWORD);
    let typing = tmux.screen();
    assert!(!typing.contains(PASSWORD), "echoed: {typing}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the repository's tags", |s| s.contains("v1"));
    assert!(!screen.contains(PASSWORD), "{screen}");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("a clean exit", |s| s.contains("regscope exited with 0"));
    assert!(
        !after.contains(PASSWORD),
        "the password reached the scrollback: {after}"
    );
}
