//! Pulls interrupted or failing half-way, with the real binary behind the
//! fault proxy: Ctrl-C, `kill -9`, a flipped byte, a directory swapped for
//! a symlink during the download, a full disk. Each must leave an existing
//! file byte-identical and no temporary file behind (or, after `kill -9`,
//! one that the next pull removes).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::regscope_output;
use crate::cli_pull::{file_blob, push_artifact, snapshot};
use crate::support::{FaultProxy, Oras, Registry, Rule};

const TEMP_PREFIX: &str = ".regscope-pull-";

/// A registry with an artifact of one `size`-byte file titled `title`, and
/// a proxy in front of it; returns the reference through the proxy.
struct Setup {
    _registry: Registry,
    proxy: FaultProxy,
    reference: String,
    content: Vec<u8>,
    sandbox: tempfile::TempDir,
}

impl Setup {
    fn new(title: &str, size: usize) -> Setup {
        let registry = Registry::distribution();
        let oras = Oras::for_registry(&registry);
        let sandbox = tempfile::tempdir().unwrap();
        let work = sandbox.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        let content: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        let direct = push_artifact(&oras, &registry, &work, "v1", &[file_blob(title, &content)]);
        let proxy = FaultProxy::start(registry.host());
        let reference = direct.replacen(registry.host(), &proxy.host(), 1);
        Setup {
            _registry: registry,
            proxy,
            reference,
            content,
            sandbox,
        }
    }

    /// As `new`, with every blob download slowed to `bytes_per_sec`.
    fn throttled(title: &str, size: usize, bytes_per_sec: u64) -> Setup {
        let setup = Setup::new(title, size);
        setup
            .proxy
            .add_rule(Rule::new("GET", "/blobs/").throttle(bytes_per_sec));
        setup
    }

    fn work(&self) -> PathBuf {
        self.sandbox.path().join("work")
    }

    /// An output directory holding `sbom.json` with known old bytes.
    fn out_with_old_file(&self) -> PathBuf {
        let out = self.sandbox.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("sbom.json"), b"old sbom\n").unwrap();
        out
    }

    fn spawn_pull(&self, out: &Path) -> Child {
        let work = self.work();
        Command::new(env!("CARGO_BIN_EXE_regscope"))
            .args(["pull", &self.reference, "-o", out.to_str().unwrap()])
            .current_dir(&work)
            .env("HOME", &work)
            .env("DOCKER_CONFIG", work.join(".docker"))
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run regscope")
    }
}

fn temp_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(TEMP_PREFIX))
        .collect()
}

/// Waits until a temporary file in `dir` has some bytes: the download runs.
fn wait_for_download(dir: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let growing = temp_names(dir)
            .iter()
            .any(|name| std::fs::metadata(dir.join(name)).is_ok_and(|m| m.len() > 0));
        if growing {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("regscope ended ({status}) before the download began");
        }
        assert!(Instant::now() < deadline, "the download never began");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn send_signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} failed");
}

#[test]
fn ctrl_c_cancels_a_pull_and_leaves_the_old_file_and_no_temp() {
    let setup = Setup::throttled("sbom.json", 256 * 1024, 16 * 1024);
    let out = setup.out_with_old_file();
    let mut child = setup.spawn_pull(&out);
    wait_for_download(&out, &mut child);
    send_signal(&child, "-INT");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("cancelled"), "{stderr}");
    assert_eq!(std::fs::read(out.join("sbom.json")).unwrap(), b"old sbom\n");
    assert_eq!(temp_names(&out), Vec::<String>::new());
}

#[test]
fn a_pull_after_kill_9_removes_the_stale_temp_and_completes() {
    let setup = Setup::new("sbom.json", 256 * 1024);
    setup
        .proxy
        .add_rule(Rule::new("GET", "/blobs/").throttle(16 * 1024).times(1));
    let out = setup.out_with_old_file();
    let mut child = setup.spawn_pull(&out);
    wait_for_download(&out, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    let stale = temp_names(&out);
    assert_eq!(stale.len(), 1, "kill -9 left {stale:?}");
    assert_eq!(std::fs::read(out.join("sbom.json")).unwrap(), b"old sbom\n");
    // Someone else's file that merely looks similar is not ours to remove.
    std::fs::write(out.join(".regscope-notes"), b"mine").unwrap();

    let result = regscope_output(
        &setup.work(),
        &["pull", &setup.reference, "-o", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(stderr.contains("interrupted pull"), "{stderr}");
    assert_eq!(temp_names(&out), Vec::<String>::new());
    assert_eq!(std::fs::read(out.join("sbom.json")).unwrap(), setup.content);
    assert_eq!(std::fs::read(out.join(".regscope-notes")).unwrap(), b"mine");
}

#[test]
fn a_flipped_byte_fails_the_pull_and_keeps_the_old_file() {
    let setup = Setup::new("sbom.json", 64 * 1024);
    setup
        .proxy
        .add_rule(Rule::new("GET", "/blobs/sha256:").flip_byte(1000));
    let out = setup.out_with_old_file();
    let before = snapshot(&out);
    let result = regscope_output(
        &setup.work(),
        &["pull", &setup.reference, "-o", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "a corrupted blob was accepted");
    assert!(stderr.contains("digest"), "{stderr}");
    assert_eq!(snapshot(&out), before, "{stderr}");
    assert_eq!(setup.proxy.rule_hits(0), 1, "the blob was flipped once");
}

#[test]
fn a_directory_swapped_for_a_symlink_during_the_download_is_refused() {
    let setup = Setup::throttled("sub/pwn", 256 * 1024, 64 * 1024);
    let out = setup.sandbox.path().join("out");
    let outside = setup.sandbox.path().join("outside");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let mut child = setup.spawn_pull(&out);
    wait_for_download(&out, &mut child);
    // The title was checked when nothing stood at `sub`; now a symlink out.
    std::os::unix::fs::symlink(&outside, out.join("sub")).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "wrote through the symlink");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(snapshot(&outside), Vec::new(), "{stderr}");
    assert_eq!(temp_names(&out), Vec::<String>::new());
}
