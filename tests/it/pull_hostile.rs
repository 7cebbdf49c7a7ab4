//! Hostile or unlucky pulls with the real binary: decompression and
//! entry-count bombs (A4), titles that collide only in case (A7), and a
//! full disk (A8). Each fails cleanly and leaves the output directory as it
//! was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::regscope_output;
use crate::cli_pull::{Blob, file_blob, push_artifact, snapshot, unpack_blob};
use crate::support::{Oras, Registry};

/// A gzip tar holding `entries` as built by `fill`, annotated as an ORAS
/// directory titled `title` (no uncompressed digest: the caps must hold on
/// their own).
fn streamed_dir_blob(title: &str, fill: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Blob {
    let mut builder = tar::Builder::new(Vec::new());
    fill(&mut builder);
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    unpack_blob(title, gz.finish().unwrap(), None)
}

/// A gzip tar of one file of `size` zero bytes, compressed as it is made so
/// the uncompressed tar never sits in memory.
fn zero_bomb(title: &str, size: u64) -> Blob {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut header = tar::Header::new_gnu();
    header.set_path(format!("{title}/zeros")).unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    gz.write_all(header.as_bytes()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        gz.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    // Padding to the block, then the two empty blocks that end a tar.
    let pad = (512 - size % 512) % 512 + 1024;
    gz.write_all(&vec![0u8; pad as usize]).unwrap();
    unpack_blob(title, gz.finish().unwrap(), None)
}

/// Pulls `reference` into `out`; returns the output and every byte the
/// process wrote (`wchar` of `/proc/<pid>/io`, read once it has exited and
/// before it is reaped, so nothing it wrote is missed: the most the
/// directory can ever have held).
fn pull_measured(work: &Path, reference: &str, out: &Path) -> (std::process::Output, u64) {
    let logs = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_regscope"))
        .args(["pull", reference, "-o", out.to_str().unwrap()])
        .current_dir(work)
        .env("HOME", work)
        .env("DOCKER_CONFIG", work.join(".docker"))
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("run regscope");
    let proc = PathBuf::from(format!("/proc/{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(300);
    while !is_zombie(&proc) {
        assert!(Instant::now() < deadline, "the pull did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
    let io = std::fs::read_to_string(proc.join("io")).expect("/proc/<pid>/io (Linux)");
    let written = io
        .lines()
        .find_map(|line| line.strip_prefix("wchar:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("wchar");
    let status = child.wait().unwrap();
    let output = std::process::Output {
        status,
        stdout: std::fs::read(stdout).unwrap(),
        stderr: std::fs::read(stderr).unwrap(),
    };
    (output, written)
}

/// Whether the process has exited and waits to be reaped.
fn is_zombie(proc: &Path) -> bool {
    let stat = std::fs::read_to_string(proc.join("stat")).expect("/proc/<pid>/stat");
    // The state follows the command name, which is in parentheses.
    stat.rsplit_once(") ")
        .is_some_and(|(_, rest)| rest.starts_with('Z'))
}

struct Ground {
    registry: Registry,
    oras: Oras,
    sandbox: tempfile::TempDir,
}

impl Ground {
    fn new() -> Ground {
        let registry = Registry::distribution();
        let oras = Oras::for_registry(&registry);
        let sandbox = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(sandbox.path().join("work")).unwrap();
        Ground {
            registry,
            oras,
            sandbox,
        }
    }
    fn work(&self) -> PathBuf {
        self.sandbox.path().join("work")
    }
    fn out(&self, name: &str) -> PathBuf {
        let out = self.sandbox.path().join(name);
        std::fs::create_dir_all(&out).unwrap();
        out
    }
    fn push(&self, tag: &str, blobs: &[Blob]) -> String {
        push_artifact(&self.oras, &self.registry, &self.work(), tag, blobs)
    }
    /// Pushes `bomb` under `tag` and pulls it into a fresh directory, which
    /// must fail and leave that directory empty. Returns stderr and the
    /// bytes the pull wrote.
    fn failing_pull(&self, tag: &str, bomb: Blob) -> (String, u64) {
        let reference = self.push(tag, &[bomb]);
        let out = self.out(tag);
        let (output, written) = pull_measured(&self.work(), &reference, &out);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!output.status.success(), "{tag} was unpacked");
        assert_eq!(snapshot(&out), Vec::new(), "{stderr}");
        (stderr, written)
    }
}

#[test]
fn a_gzip_bomb_directory_fails_fast_and_writes_little() {
    let ground = Ground::new();
    // 1 GiB of zeros in about 1 MiB: far past the 100:1 ratio.
    let bomb = zero_bomb("bomb", 1 << 30);
    let compressed = bomb.bytes.len() as u64;
    assert!(compressed < 4 << 20, "the bomb is {compressed} bytes");
    let (stderr, written) = ground.failing_pull("gzip-bomb", bomb);
    assert!(stderr.contains("uncompressed"), "{stderr}");
    // The default cap: 100 uncompressed bytes per compressed byte, at
    // least 64 MiB; plus the downloaded archive, and a little output.
    let cap = regscope::ops::untar::UnpackLimits::default().byte_limit(compressed);
    assert!(cap < 1 << 30);
    assert!(
        written <= cap + compressed + (1 << 20),
        "wrote {written} bytes"
    );
    // The measure sees the writes: the archive, then unpacked zeros.
    assert!(
        written > compressed + (1 << 20),
        "wrote only {written} bytes"
    );
}

#[test]
fn an_entry_count_bomb_fails_at_the_cap() {
    let ground = Ground::new();
    let bomb = streamed_dir_blob("many", |builder| {
        for i in 0..100_001u32 {
            let mut header = tar::Header::new_gnu();
            header.set_path(format!("many/{i}")).unwrap();
            header.set_size(0);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            builder.append(&header, std::io::empty()).unwrap();
        }
    });
    let (stderr, _) = ground.failing_pull("entry-bomb", bomb);
    assert!(stderr.contains("more than 100000 entries"), "{stderr}");
}

#[test]
fn titles_differing_only_in_case_are_refused_before_writing() {
    let ground = Ground::new();
    let reference = ground.push(
        "case",
        &[file_blob("a.txt", b"lower"), file_blob("A.txt", b"upper")],
    );
    let out = ground.out("out");
    let result = regscope_output(
        &ground.work(),
        &["pull", &reference, "-o", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !result.status.success(),
        "a.txt and A.txt were both written"
    );
    assert!(
        stderr.contains("A.txt") && stderr.contains("case"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), Vec::new());
}

/// Unmounts the tmpfs when the test ends, however it ends.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_cleanly_naming_the_file() {
    let ground = Ground::new();
    let content: Vec<u8> = (0..5 << 20).map(|i: u32| (i % 253) as u8).collect();
    let reference = ground.push("big", &[file_blob("big.bin", &content)]);
    let out = ground.out("small-disk");
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&out)
        .output()
        .expect("run mount");
    assert!(
        mount.status.success(),
        "this test needs `mount -t tmpfs` (run as root, as CI does): {}",
        String::from_utf8_lossy(&mount.stderr)
    );
    let _mounted = Mounted(out.clone());
    let result = regscope_output(
        &ground.work(),
        &["pull", &reference, "-o", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "5 MiB fit in 1 MiB");
    assert!(stderr.contains("big.bin"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(snapshot(&out), Vec::new(), "{stderr}");
}
