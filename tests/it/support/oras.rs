//! The real ORAS CLI as the peer of every interop test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use super::{Registry, tool};

/// Runs `oras` with a private `HOME` and `DOCKER_CONFIG` (so no test sees
/// another's logins or the user's) and `--plain-http` added to every command
/// that talks to a registry.
pub struct Oras {
    bin: PathBuf,
    home: TempDir,
}

impl Default for Oras {
    fn default() -> Self {
        Self::new()
    }
}

/// Commands that take no `--plain-http` flag.
const NO_PLAIN_HTTP: &[&str] = &["version", "help", "logout", "completion"];

impl Oras {
    pub fn new() -> Self {
        Oras {
            bin: tool("oras"),
            home: tempfile::Builder::new()
                .prefix("regscope-oras-home-")
                .tempdir()
                .expect("temp HOME for oras"),
        }
    }

    /// A new `oras` logged in to `registry` when it has credentials.
    pub fn for_registry(registry: &Registry) -> Self {
        let oras = Self::new();
        if let Some((user, pass)) = registry.credentials() {
            oras.login(registry.host(), user, pass);
        }
        oras
    }

    /// The private `DOCKER_CONFIG` directory (holds `config.json` after login).
    pub fn docker_config(&self) -> PathBuf {
        self.home.path().join(".docker")
    }

    /// `oras login --plain-http -u user --password-stdin host`.
    pub fn login(&self, host: &str, user: &str, pass: &str) {
        let mut cmd = self.command(&["login", "-u", user, "--password-stdin", host]);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn oras login");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(pass.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        check(&["login", host], &out);
    }

    /// The `Command` that [`Oras::run`] would execute (args + `--plain-http`),
    /// working directory unset.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args);
        let first = args.first().copied().unwrap_or("");
        if !NO_PLAIN_HTTP.contains(&first) && !args.contains(&"--") {
            cmd.arg("--plain-http");
        }
        cmd.env("HOME", self.home.path())
            .env("DOCKER_CONFIG", self.docker_config())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("XDG_CACHE_HOME", self.home.path().join(".cache"))
            .env_remove("ORAS_CACHE")
            .env_remove("REGISTRY_AUTH_FILE")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .stdin(Stdio::null());
        cmd
    }

    /// Run in the current directory; stdout on success, panic with stderr
    /// otherwise.
    pub fn run(&self, args: &[&str]) -> String {
        self.run_in(self.home.path(), args)
    }

    /// Run with `dir` as working directory (file arguments of `push`/`attach`
    /// are relative to it and become the titles).
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut out = self.output_in(dir, args);
        if !out.status.success()
            && String::from_utf8_lossy(&out.stderr)
                .trim_end()
                .ends_with(": EOF")
        {
            // Go's client sends a POST on a kept-alive connection that
            // olareg (token auth, under load) has just closed, and retries
            // only idempotent requests: a setup push then fails with EOF.
            // What oras does here is the test's ground, not its subject, and
            // pushing the same content again is harmless; tests that judge
            // oras's own failures use `output_in`.
            eprintln!("oras {}: EOF from the registry, once more", args.join(" "));
            out = self.output_in(dir, args);
        }
        check(args, &out);
        String::from_utf8(out.stdout).expect("oras stdout is UTF-8")
    }

    /// Run and parse stdout as JSON (pass `--format json` yourself).
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        self.json_in(self.home.path(), args)
    }

    pub fn json_in(&self, dir: &Path, args: &[&str]) -> serde_json::Value {
        let out = self.run_in(dir, args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("oras {args:?}: stdout is not JSON ({e}):\n{out}"))
    }

    /// Run without judging the exit status.
    pub fn output_in(&self, dir: &Path, args: &[&str]) -> Output {
        self.command(args)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run oras {args:?}: {e}"))
    }

    /// Run without judging the exit status (in the private HOME).
    pub fn output(&self, args: &[&str]) -> Output {
        self.output_in(self.home.path(), args)
    }
}

fn check(args: &[&str], out: &Output) {
    if !out.status.success() {
        panic!(
            "oras {} failed ({}):\n--- stderr ---\n{}\n--- stdout ---\n{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
