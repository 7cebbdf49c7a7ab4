//! Running a docker credential helper: `docker-credential-<name> get` with
//! the server on stdin, answering JSON `{ServerURL, Username, Secret}`
//! (docker/docker-credential-helpers `client/client.go`).
//!
//! A helper can hang (a keychain prompt nobody sees), so it gets a deadline
//! and is killed after it. Its output may hold the secret, so messages never
//! quote stdout, and stderr only by its first line.

use std::io::{Read, Write as _};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Credential, LookupEnv};
use crate::store::StoreError;

/// A helper's answer is a few hundred bytes; more is read and dropped.
const MAX_OUTPUT: u64 = 64 * 1024;
/// What docker-credential-helpers print when they hold nothing for a server.
const NOT_FOUND: &str = "credentials not found";
/// The user name helpers answer with when the secret is an identity token.
const IDENTITY_TOKEN_USER: &str = "<token>";

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Asks helper `name` for `server`'s credential; `Ok(None)` when it has none.
pub(super) fn get(
    name: &str,
    server: &str,
    env: &LookupEnv,
) -> Result<Option<Credential>, StoreError> {
    let program = format!("docker-credential-{name}");
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(StoreError::Invalid(format!(
            "the docker config names a credential helper {name:?} that is not a plain name"
        )));
    }
    let executable = find_on_path(&program, env).ok_or_else(|| {
        StoreError::Invalid(format!(
            "credential helper {program} (configured for {server}) is not on PATH; \
             install it or fix the docker config"
        ))
    })?;
    let mut command = Command::new(&executable);
    command
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = &env.path {
        command.env("PATH", path);
    }
    let mut child = command
        .spawn()
        .map_err(|e| StoreError::io(format!("running credential helper {program}"), e))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading closes the pipe; its answer
        // (or exit status) is what matters, not this write.
        let _ = stdin.write_all(server.as_bytes());
    }
    let stdout = capture(child.stdout.take());
    let stderr = capture(child.stderr.take());
    let deadline = Instant::now() + env.helper_timeout;
    let status = wait_until(&mut child, deadline).ok_or_else(|| {
        StoreError::Invalid(format!(
            "credential helper {program} gave no answer within {}s and was stopped",
            env.helper_timeout.as_secs_f32()
        ))
    })?;
    // Output arrives once the helper (and anything it left holding its
    // pipes) is done; a straggler gets a moment, not forever.
    let grace = Duration::from_secs(1);
    let stdout = stdout.recv_timeout(grace).unwrap_or_default();
    let stderr = stderr.recv_timeout(grace).unwrap_or_default();
    answer(&program, status, &stdout, &stderr)
}

fn answer(
    program: &str,
    status: ExitStatus,
    stdout: &[u8],
    stderr: &[u8],
) -> Result<Option<Credential>, StoreError> {
    if !status.success() {
        if String::from_utf8_lossy(stdout)
            .to_ascii_lowercase()
            .contains(NOT_FOUND)
        {
            return Ok(None);
        }
        let hint = first_line(stderr)
            .map(|line| format!(": {line}"))
            .unwrap_or_default();
        return Err(StoreError::Invalid(format!(
            "credential helper {program} failed ({status}){hint}"
        )));
    }
    let answer: HelperAnswer = serde_json::from_slice(stdout).map_err(|_| {
        StoreError::Invalid(format!(
            "credential helper {program} gave a malformed answer (expected JSON with Username and Secret)"
        ))
    })?;
    if answer.secret.is_empty() {
        return Ok(None);
    }
    if answer.username == IDENTITY_TOKEN_USER {
        return Ok(Some(Credential::IdentityToken(answer.secret)));
    }
    if answer.username.is_empty() {
        return Err(StoreError::Invalid(format!(
            "credential helper {program} answered with a secret but no user name"
        )));
    }
    Ok(Some(Credential::Basic {
        username: answer.username,
        password: answer.secret,
    }))
}

/// The first file named `program` in the PATH directories that can be run.
fn find_on_path(program: &str, env: &LookupEnv) -> Option<PathBuf> {
    let path = env.path.as_ref()?;
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &std::path::Path) -> bool {
    path.is_file()
}

/// Reads a pipe to its end on a thread, keeping at most [`MAX_OUTPUT`] bytes.
fn capture(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let _ = (&mut pipe).take(MAX_OUTPUT).read_to_end(&mut kept);
            // Drain the rest so the helper never blocks on a full pipe.
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            let _ = sender.send(kept);
        });
    }
    receiver
}

/// Waits for the child until `deadline`; past it, kills it and says `None`.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

fn first_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line: String = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())?
        .chars()
        .filter(|c| !c.is_control())
        .take(160)
        .collect();
    Some(line)
}
