//! The regscope binary finding credentials the way a user's machine offers
//! them: `DOCKER_CONFIG` written by `oras login`, a credential helper on
//! `PATH`, `--username --password-stdin`; failing plainly (and sending
//! no credentials) when a helper is missing; running none when the
//! registry asks for none. Runs with
//! `RUST_LOG=trace` so every line it logs is checked for the secrets.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;

use super::credentials::{answering_helper, helper_env, write_config};
use super::{PASSWORD, USER, olareg_with_tokens, push_artifact};
use crate::support::{FaultProxy, Oras, Registry};

/// `regscope ls <reference>` with a private HOME, the given docker config
/// dir and PATH, and the given stdin.
fn ls(
    reference: &str,
    config: &Path,
    path: Option<&std::ffi::OsStr>,
    extra: &[&str],
    stdin: &str,
) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_regscope"));
    command
        .arg("ls")
        .args(extra)
        .arg(reference)
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", config)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let mut child = command.spawn().expect("run regscope");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Stdout and stderr together, checked for every secret of these tests.
fn clean_output(out: &Output) -> String {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    for secret in [PASSWORD, basic.as_str()] {
        assert!(
            !text.contains(secret),
            "a secret reached the output:\n{text}"
        );
    }
    text
}

#[test]
fn the_cli_uses_the_docker_config_oras_login_wrote() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let oras = Oras::for_registry(&reg);
    push_artifact(&oras, reg.host(), "app");
    let out = ls(&reg.reference("app"), &oras.docker_config(), None, &[], "");
    let text = clean_output(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("v1"),
        "{text}"
    );

    let nobody = tempfile::tempdir().unwrap();
    let out = ls(&reg.reference("app"), nobody.path(), None, &[], "");
    let text = clean_output(&out);
    assert!(!out.status.success() && text.contains("401"), "{text}");

    let flags = ["--username", USER, "--password-stdin"];
    let out = ls(&reg.reference("app"), nobody.path(), None, &flags, PASSWORD);
    let text = clean_output(&out);
    assert!(out.status.success() && text.contains("v1"), "{text}");
}

#[test]
fn the_cli_asks_a_credential_helper_on_path_for_a_token_server() {
    let reg = olareg_with_tokens();
    let script = answering_helper(reg.host(), USER, PASSWORD);
    let env = helper_env(&[("regscope-test", &script)]);
    write_config(
        &env,
        &format!(
            r#"{{"credHelpers": {{"{}": "regscope-test"}}}}"#,
            reg.host()
        ),
    );
    let config = env.lookup.config_dir.clone().unwrap();
    let path = env.lookup.path.clone();
    let out = ls(
        &reg.reference("private/app"),
        &config,
        path.as_deref(),
        &[],
        "",
    );
    let text = clean_output(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("v1"),
        "{text}"
    );
}

/// Credentials are looked up when the registry first asks for them (so a
/// registry that needs none never runs a helper): the one request before
/// that goes out anonymous, and a missing helper stops everything there.
#[test]
fn a_missing_credential_helper_stops_the_cli_at_the_first_challenge() {
    let reg = Registry::distribution_htpasswd(USER, PASSWORD);
    let proxy = FaultProxy::start(reg.host());
    let env = helper_env(&[]);
    write_config(
        &env,
        r#"{"credsStore": "doesnotexist", "auths": {"https://index.docker.io/v1/": {}}}"#,
    );
    let config = env.lookup.config_dir.clone().unwrap();
    let path = env.lookup.path.clone();
    let out = ls(
        &format!("{}/app", proxy.host()),
        &config,
        path.as_deref(),
        &[],
        "",
    );
    let text = clean_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("docker-credential-doesnotexist"), "{text}");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].status, 401, "{requests:?}");
    assert!(
        requests[0].header("authorization").is_none(),
        "{requests:?}"
    );
}

/// A registry that needs no credentials never starts a helper, even a
/// broken one (here: one that would leave a mark if it ran).
#[test]
fn an_open_registry_never_runs_a_credential_helper() {
    let reg = Registry::distribution();
    push_artifact(&Oras::for_registry(&reg), reg.host(), "app");
    let env = helper_env(&[(
        "marks",
        "#!/bin/sh\ntouch \"$(dirname \"$0\")/helper-ran\"\nexit 1\n",
    )]);
    write_config(&env, r#"{"credsStore": "marks"}"#);
    let config = env.lookup.config_dir.clone().unwrap();
    let path = env.lookup.path.clone();
    let out = ls(&reg.reference("app"), &config, path.as_deref(), &[], "");
    let text = clean_output(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("v1"),
        "{text}"
    );
    let helper_dir = std::env::split_paths(path.as_deref().unwrap())
        .next()
        .unwrap();
    assert!(!helper_dir.join("helper-ran").exists());
}
