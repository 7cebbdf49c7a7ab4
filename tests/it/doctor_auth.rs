//! Doctor behind authentication: the `auth` check shows the challenge and
//! the token realm, tells a repository anyone may pull from one that needs
//! credentials, and no secret reaches its report or its logs (it runs with
//! `RUST_LOG=trace`). Without credentials, `ping` fails and says why.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use serde_json::Value;

use crate::auth::{PASSWORD, USER, olareg_with_tokens};
use crate::doctor::{expect, summary};
use crate::support::Registry;

/// `regscope doctor ARGS --format json`, the password on stdin when given.
fn doctor(args: &[&str], password: Option<&str>) -> (Output, String) {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_regscope"));
    command
        .arg("doctor")
        .args(args)
        .args(["--format", "json"])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", home.path().join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if password.is_some() {
        command.args(["--username", USER, "--password-stdin"]);
    }
    let mut child = command.spawn().expect("run regscope");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(password.unwrap_or_default().as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
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
    (out, text)
}

/// The JSON report; the exit status is 1 exactly when a check failed.
fn report(out: &Output, text: &str) -> Value {
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    let failed = report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|check| check["status"] == "fail");
    assert_eq!(out.status.code(), Some(i32::from(failed)), "{text}");
    report
}

#[test]
fn doctor_behind_a_token_server() {
    let registry = olareg_with_tokens();
    let private = registry.reference("private/app");
    let (out, text) = doctor(&[&private, "--write"], Some(PASSWORD));
    let checked = report(&out, &text);
    expect(
        &checked,
        &[
            ("ping", "pass"),
            ("auth", "pass"),
            ("tags-list", "pass"),
            ("subject-header", "pass"),
            ("manifest-delete", "pass"),
        ],
    );
    let auth = summary(&checked, "auth");
    let realm = format!("Bearer tokens from http://{}/token", registry.host());
    assert!(auth.contains(&realm), "{auth}");
    assert!(auth.contains("anonymous pull refused"), "{auth}");
    assert!(
        !text.to_ascii_lowercase().contains("authorization:"),
        "{text}"
    );

    let public = registry.reference("public/hello");
    let (out, text) = doctor(&[&public], Some(PASSWORD));
    let checked = report(&out, &text);
    assert!(
        summary(&checked, "auth").contains("anonymous pull allowed"),
        "{checked:#}"
    );

    let (out, text) = doctor(&[&private], None);
    let checked = report(&out, &text);
    expect(&checked, &[("ping", "fail"), ("tags-list", "fail")]);
    assert!(summary(&checked, "ping").contains("401"), "{checked:#}");
}

#[test]
fn doctor_behind_basic_authentication() {
    let registry = Registry::distribution_htpasswd(USER, PASSWORD);
    let (out, text) = doctor(&[registry.host(), "--write"], Some(PASSWORD));
    let checked = report(&out, &text);
    expect(
        &checked,
        &[
            ("ping", "pass"),
            ("auth", "pass"),
            ("chunked-upload", "pass"),
        ],
    );
    assert!(
        summary(&checked, "auth").contains("Basic authentication (realm regscope-test)"),
        "{checked:#}"
    );
}
